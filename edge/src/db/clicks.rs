//! `clicks`: visitors' click-outs, and the bank page each one leads to (`products`).

use inflow_core::click::token::ClickClaims;
use serde::Deserialize;
use worker::{Env, Result};

use super::{open, query};

/// What is known about the visitor who clicked.
pub struct Clicker<'a> {
    /// Keyed hash of IP and user agent (`inflow_core::click::fingerprint::client_hash`).
    pub client_hash: &'a str,
    /// A machine's user agent (`inflow_core::click::bots`).
    pub is_bot: bool,
}

#[derive(Deserialize)]
struct Target {
    url: String,
}

/// Records the click `id` on the link `claims` describes, at `now` (unix seconds), and returns
/// the bank's page for it; `None` (and nothing stored) when the lead, campaign or product is
/// gone or is not the token's partner's. One D1 batch.
pub async fn record(env: &Env, id: &str, claims: &ClickClaims, who: &Clicker<'_>, now: i64) -> Result<Option<String>> {
    let db = open(env)?;
    let insert = query(
        &db,
        include_str!("clicks/record.sql"),
        &[
            id.into(),
            claims.lead_id.as_str().into(),
            claims.campaign_id.as_str().into(),
            claims.product_id.as_str().into(),
            who.client_hash.into(),
            who.is_bot.into(),
            now.into(),
            claims.partner_id.as_str().into(),
        ],
    )?;
    let target = query(
        &db,
        "SELECT p.url FROM products p JOIN clicks k ON k.bank_id = p.bank_id \
         AND k.product_id = p.id WHERE k.id = ?1",
        &[id.into()],
    )?;
    let results = db.batch(vec![insert, target]).await?;
    match results.get(1) {
        Some(r) => Ok(r.results::<Target>()?.into_iter().next().map(|t| t.url)),
        None => Ok(None),
    }
}

/// Where the link would lead, under the same conditions as [`record`], read only (HEAD).
pub async fn target(env: &Env, claims: &ClickClaims) -> Result<Option<String>> {
    let target: Option<Target> = query(
        &open(env)?,
        "SELECT p.url FROM leads l JOIN campaigns m ON m.id = ?2 \
         JOIN products p ON p.bank_id = m.bank_id AND p.id = ?3 \
         WHERE l.id = ?1 AND l.partner_id = ?4 AND m.partner_id = ?4",
        &[
            claims.lead_id.as_str().into(),
            claims.campaign_id.as_str().into(),
            claims.product_id.as_str().into(),
            claims.partner_id.as_str().into(),
        ],
    )?
    .first(None)
    .await?;
    Ok(target.map(|t| t.url))
}
