//! Bank authentication: `Inflow-Bank` names the bank, `Inflow-Signature` proves it sent this
//! body recently (see `inflow_core::signature`).

use std::cell::RefCell;
use std::collections::HashMap;

use inflow_core::conversion::{is_valid_id, BANK_HEADER};
use inflow_core::signature::{self, SignatureError};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Result};

/// Secrets are cached per isolate for this long: a postback then costs no extra D1 read, and
/// a rotated secret takes effect within a minute.
const CACHE_SECS: i64 = 60;

thread_local! {
    static SECRETS: RefCell<HashMap<String, (String, i64)>> = RefCell::new(HashMap::new());
}

async fn bank_secret(env: &Env, bank_id: &str, now: i64) -> Result<Option<String>> {
    let cached = SECRETS.with(|c| {
        c.borrow()
            .get(bank_id)
            .filter(|(_, at)| now - at < CACHE_SECS)
            .map(|(s, _)| s.clone())
    });
    if cached.is_some() {
        return Ok(cached);
    }
    let secret: Option<String> = env
        .d1("DB")?
        .prepare("SELECT postback_secret FROM banks WHERE id = ?1")
        .bind(&[bank_id.into()])?
        .first(Some("postback_secret"))
        .await?;
    if let Some(s) = &secret {
        SECRETS.with(|c| c.borrow_mut().insert(bank_id.to_string(), (s.clone(), now)));
    }
    Ok(secret)
}

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
    let Some(secret) = bank_secret(env, &bank_id, now).await? else {
        return Ok(Err(refused(SignatureError::Mismatch)));
    };
    Ok(signature::verify(&header, secret.as_bytes(), body, now)
        .map(|_| bank_id)
        .map_err(refused))
}
