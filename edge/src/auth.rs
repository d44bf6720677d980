//! Bank authentication: `Inflow-Bank` names the bank, `Inflow-Signature` proves it sent this
//! body recently with one of the bank's live postback secrets (see `inflow_core::signature` and
//! `inflow_core::admin::secrets`).

use inflow_core::admin::secrets::verify_any;
use inflow_core::conversion::{is_valid_id, BANK_HEADER};
use inflow_core::signature::{self, SignatureError};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Result};

fn refused(e: SignatureError) -> Problem {
    let code = match e {
        SignatureError::Stale => ProblemCode::StaleSignature,
        _ => ProblemCode::InvalidSignature,
    };
    Problem::new(code, e.detail())
}

/// The bank that signed `body`, or the 401 to answer. An unknown bank gets the same answer
/// as a wrong signature, so bank ids cannot be enumerated.
pub async fn bank(req: &Request, env: &Env, body: &[u8], now: i64) -> Result<std::result::Result<String, Problem>> {
    let headers = req.headers();
    let bank_id = headers.get(BANK_HEADER)?.unwrap_or_default();
    let Some(header) = headers.get(signature::HEADER)? else {
        return Ok(Err(refused(SignatureError::Malformed)));
    };
    if !is_valid_id(&bank_id) {
        return Ok(Err(Problem::new(
            ProblemCode::InvalidSignature,
            "Inflow-Bank must name your bank id",
        )));
    }
    if let Err(e) = signature::precheck(&header, now) {
        return Ok(Err(refused(e)));
    }
    // Read on every postback, not cached: a rotation's new secret works at once and an expired
    // one is refused at once (one indexed read beside the conversion's batch).
    let secrets = crate::db::secrets::of_bank(&env.d1("DB")?, &bank_id).await?;
    Ok(verify_any(&header, &secrets, body, now)
        .map(|_| bank_id)
        .map_err(refused))
}
