//! `banks`: the banks that post conversions back.

use worker::{Env, Result};

use super::{open, query};

/// The secret `bank_id` signs its postbacks with; `None` for an unknown bank.
pub async fn postback_secret(env: &Env, bank_id: &str) -> Result<Option<String>> {
    query(
        &open(env)?,
        "SELECT postback_secret FROM banks WHERE id = ?1",
        &[bank_id.into()],
    )?
    .first(Some("postback_secret"))
    .await
}
