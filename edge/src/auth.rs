//! Bank authentication: `Inflow-Bank` names the bank, `Inflow-Signature` proves it sent this
//! body recently with one of the bank's live postback secrets (see `inflow_core::conversion::signature` and
//! `inflow_core::admin::secrets`).

use inflow_core::admin::secrets::verify_any;
use inflow_core::conversion::postback::{is_valid_id, BANK_HEADER};
use inflow_core::conversion::signature::{self, SignatureError};
use inflow_core::Problem;
use worker::{Env, Request};

use crate::db;
use crate::error::Result;

/// The bank that signed `body` with one of its live postback secrets, or a 401. An unknown
/// bank gets the same answer as a wrong signature, so bank ids cannot be enumerated.
pub async fn bank(req: &Request, env: &Env, body: &[u8], now: i64) -> Result<String> {
    let headers = req.headers();
    let bank_id = headers.get(BANK_HEADER)?.unwrap_or_default();
    let header = headers
        .get(signature::HEADER)?
        .ok_or_else(|| Problem::from(SignatureError::Malformed))?;
    if !is_valid_id(&bank_id) {
        return Err(Problem::invalid_bank_header().into());
    }
    signature::precheck(&header, now).map_err(Problem::from)?;
    // Read on every postback, not cached: a rotation's new secret works at once and an expired
    // one is refused at once (one indexed read beside the conversion's batch).
    let secrets = db::secrets::of_bank(&db::open(env)?, &bank_id).await?;
    verify_any(&header, &secrets, body, now).map_err(Problem::from)?;
    Ok(bank_id)
}
