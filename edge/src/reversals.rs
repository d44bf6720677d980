//! `POST /v1/conversions/{id}/reversal`: a bank claws a payout back (refund, early withdrawal).
//! Signed like a postback; idempotent.

use inflow_core::conversion::{is_valid_id, reversal_outcome, ReversalRequest, MAX_POSTBACK_BYTES};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{auth, http, ledger, ratelimit, runtime};

pub async fn create(req: &mut Request, env: &Env, id: &str) -> Result<Response> {
    let now = runtime::now();
    let body = match http::json_body(req, MAX_POSTBACK_BYTES, http::Accepts::JsonOrEmpty).await? {
        Ok(b) => b,
        Err(p) => return Ok(http::problem(&p)),
    };
    let bank_id = match auth::bank(req, env, &body, now).await? {
        Ok(b) => b,
        Err(p) => return Ok(http::problem(&p)),
    };
    if let Some(p) = ratelimit::per_bank(env, &bank_id).await? {
        return Ok(http::problem(&p));
    }
    let reversal = match ReversalRequest::parse(&body) {
        Ok(r) => r,
        Err(p) => return Ok(http::problem(&p)),
    };
    let not_found = || {
        http::problem(&Problem::new(
            ProblemCode::NotFound,
            "no conversion with this id for your bank",
        ))
    };
    if !is_valid_id(id) {
        return Ok(not_found());
    }
    match ledger::reverse(env, &bank_id, id, reversal.reason.as_deref(), now).await? {
        Some(c) => match reversal_outcome(c.status) {
            Ok(()) => http::json(200, &c),
            Err(p) => Ok(http::problem(&p)),
        },
        None => Ok(not_found()),
    }
}
