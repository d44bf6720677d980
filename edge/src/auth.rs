//! Bank authentication: `Inflow-Bank` names the bank, `Inflow-Signature` proves it sent this
//! body recently (see `inflow_core::signature`).

use std::cell::RefCell;
use std::collections::HashMap;

use inflow_core::conversion::{is_valid_id, BANK_HEADER};
use inflow_core::signature::{self, SignatureError};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request};

use crate::db;
use crate::error::Result;

/// Secrets are cached per isolate for this long: a postback then costs no extra D1 read, and
/// a rotated secret takes effect within a minute.
const CACHE_SECS: i64 = 60;

thread_local! {
    static SECRETS: RefCell<HashMap<String, (String, i64)>> = RefCell::new(HashMap::new());
}

async fn bank_secret(env: &Env, bank_id: &str, now: i64) -> worker::Result<Option<String>> {
    let cached = SECRETS.with(|c| {
        c.borrow()
            .get(bank_id)
            .filter(|(_, at)| now - at < CACHE_SECS)
            .map(|(s, _)| s.clone())
    });
    if cached.is_some() {
        return Ok(cached);
    }
    let secret = db::banks::postback_secret(env, bank_id).await?;
    if let Some(s) = &secret {
        SECRETS.with(|c| c.borrow_mut().insert(bank_id.to_string(), (s.clone(), now)));
    }
    Ok(secret)
}

/// The bank that signed `body`, or a 401. An unknown bank gets the same answer as a wrong
/// signature, so bank ids cannot be enumerated.
pub async fn bank(req: &Request, env: &Env, body: &[u8], now: i64) -> Result<String> {
    let headers = req.headers();
    let bank_id = headers.get(BANK_HEADER)?.unwrap_or_default();
    let header = headers
        .get(signature::HEADER)?
        .ok_or_else(|| Problem::from(SignatureError::Malformed))?;
    if !is_valid_id(&bank_id) {
        return Err(Problem::new(ProblemCode::InvalidSignature, "Inflow-Bank must name your bank id").into());
    }
    signature::precheck(&header, now).map_err(Problem::from)?;
    let secret = bank_secret(env, &bank_id, now)
        .await?
        .ok_or_else(|| Problem::from(SignatureError::Mismatch))?;
    signature::verify(&header, secret.as_bytes(), body, now).map_err(Problem::from)?;
    Ok(bank_id)
}
