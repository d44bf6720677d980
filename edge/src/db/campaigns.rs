//! `campaigns`: which bank pays a partner for which products, in which scenes.

use serde::Deserialize;
use worker::{Env, Result};

use super::{open, query};

#[derive(Deserialize)]
struct Row {
    id: String,
    /// A JSON array of product ids; `"*"` is every product of the bank.
    products: String,
}

/// The partner's active campaigns that run in `scene`: each id with the product ids it pays
/// for (`"*"`: every product of its bank), as `inflow_core::conversion::attribution::pick_campaign` takes them.
pub async fn active(env: &Env, partner: &str, scene: &str) -> Result<Vec<(String, Vec<String>)>> {
    let rows: Vec<Row> = query(
        &open(env)?,
        "SELECT id, products FROM campaigns WHERE partner_id = ?1 AND active = 1 \
         AND EXISTS (SELECT 1 FROM json_each(campaigns.scenes) WHERE value = ?2)",
        &[partner.into(), scene.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, serde_json::from_str(&r.products).unwrap_or_default()))
        .collect())
}
