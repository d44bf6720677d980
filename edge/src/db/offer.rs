//! The offer of a (partner, scene) as D1 holds it: `campaign_scenes` ⋈ `campaigns`, their
//! `banks` and those banks' `products.spec` (migrations 0012, 0013), read in one statement.

use inflow_core::lead::offer::OfferRows;
use serde::Deserialize;
use worker::{Env, Result};

use super::{open, query};

#[derive(Deserialize)]
struct Row {
    partner_known: f64,
    version: String,
    campaigns: String,
    banks: String,
    products: String,
}

/// The rows of (`partner`, `scene`) and their version (a text that changes whenever any of
/// them does, including whether the partner exists).
pub async fn read(env: &Env, partner: &str, scene: &str) -> Result<(String, OfferRows)> {
    let row: Option<Row> = query(
        &open(env)?,
        include_str!("offer/read.sql"),
        &[partner.into(), scene.into()],
    )?
    .first(None)
    .await?;
    let row = row.ok_or_else(|| worker::Error::RustError("the offer statement returned no row".into()))?;
    let rows = OfferRows {
        partner_known: row.partner_known > 0.0,
        campaigns: json(&row.campaigns)?,
        banks: json(&row.banks)?,
        products: json(&row.products)?,
    };
    Ok((format!("{}|{}", row.partner_known, row.version), rows))
}

/// A JSON array D1 built (`json_group_array`): well-formed unless SQLite is broken.
fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| worker::Error::RustError(format!("offer rows: {e}")))
}
