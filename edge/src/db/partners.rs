//! `partners` and `partner_origins`: who may call the public routes, and from which pages.

use worker::{Env, Result};

use super::{counts_any, open, query};

/// Whether `origin` is registered for `partner`, so a page there may call the API for it.
pub async fn origin_registered(env: &Env, partner: &str, origin: &str) -> Result<bool> {
    let stmt = query(
        &open(env)?,
        "SELECT COUNT(*) AS n FROM partner_origins WHERE partner_id = ?1 AND origin = ?2",
        &[partner.into(), origin.into()],
    )?;
    counts_any(stmt).await
}
