//! `POST /v1/conversions`: a bank's signed postback, attributed and written exactly once.

use inflow_core::attribution;
use inflow_core::conversion::{Conversion, MAX_POSTBACK_BYTES};
use inflow_core::signature::TOLERANCE_SECS;
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{auth, http, ledger, ratelimit, runtime, storage};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    match accept(req, env).await? {
        // 201 for the first delivery, 200 with the same body for every retry.
        Ok((body, true)) => http::json(201, &body),
        Ok((body, false)) => http::json(200, &body),
        Err(p) => Ok(http::problem(&p)),
    }
}

type Outcome = std::result::Result<(inflow_core::conversion::ConversionResponse, bool), Problem>;

async fn accept(req: &mut Request, env: &Env) -> Result<Outcome> {
    let now = runtime::now();
    let body = match http::json_body(req, MAX_POSTBACK_BYTES, http::Accepts::Json).await? {
        Ok(b) => b,
        Err(p) => return Ok(Err(p)),
    };
    let bank_id = match auth::bank(req, env, &body, now).await? {
        Ok(id) => id,
        Err(p) => return Ok(Err(p)),
    };
    if let Some(p) = ratelimit::per_bank(env, &bank_id).await? {
        return Ok(Err(p));
    }
    let conversion = match Conversion::parse(&body) {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    if conversion.occurred_at > now + TOLERANCE_SECS {
        return Ok(Err(Problem::new(
            ProblemCode::InvalidField,
            "occurred_at is in the future",
        )));
    }
    let Some(mut attributed) = ledger::attribute(env, &bank_id, &conversion).await? else {
        return Ok(Err(Problem::new(
            ProblemCode::UnknownClick,
            "no click with this click_id for your bank",
        )));
    };
    if attributed.currency != conversion.currency {
        return Ok(Err(Problem::new(
            ProblemCode::InvalidField,
            format!("this campaign settles in {}", attributed.currency),
        )));
    }
    let decision = attribution::decide(&attributed.facts);
    let id = storage::new_id()?;
    if let Some(stored) = ledger::record(env, &id, &bank_id, &conversion, &attributed, &decision, now).await? {
        return Ok(Ok(stored));
    }
    // Another external id took this click's one payment for the event meanwhile: this one is
    // the duplicate.
    attributed.facts.event_paid_on_click = true;
    let decision = attribution::decide(&attributed.facts);
    let id = storage::new_id()?;
    let stored = ledger::record(env, &id, &bank_id, &conversion, &attributed, &decision, now).await?;
    stored
        .map(Ok)
        .ok_or_else(|| worker::Error::RustError("conversion missing after insert".into()))
}
