//! `POST /v1/conversions`: a bank's signed postback, attributed and written exactly once.

use inflow_core::conversion::attribution;
use inflow_core::conversion::postback::{Conversion, MAX_POSTBACK_BYTES};
use inflow_core::Problem;
use worker::{Env, Request, Response};

use crate::error::Result;
use crate::{auth, db, http, ratelimit, runtime};

/// 201 for the first delivery, 200 with the same body for every retry.
pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    let now = runtime::now();
    let body = http::json_body(req, MAX_POSTBACK_BYTES, http::Accepts::Json).await?;
    let bank_id = auth::bank(req, env, &body, now).await?;
    ratelimit::per_bank(env, &bank_id).await?;
    let conversion = Conversion::parse(&body)?;
    conversion.check_time(now)?;
    let mut attributed = db::ledger::attribute(env, &bank_id, &conversion)
        .await?
        .ok_or_else(Problem::unknown_click)?;
    conversion.check_currency(&attributed.currency)?;
    let decision = attribution::decide(&attributed.facts);
    let id = runtime::new_id()?;
    let stored = match db::ledger::record(env, &id, &bank_id, &conversion, &attributed, &decision, now).await? {
        Some(stored) => stored,
        None => {
            // Another external id took this click's one payment for the event meanwhile: this
            // one is the duplicate.
            attributed.facts.event_paid_on_click = true;
            let decision = attribution::decide(&attributed.facts);
            let id = runtime::new_id()?;
            db::ledger::record(env, &id, &bank_id, &conversion, &attributed, &decision, now)
                .await?
                .ok_or_else(|| worker::Error::RustError("conversion missing after insert".into()))?
        }
    };
    let (body, first) = stored;
    Ok(http::json(if first { 201 } else { 200 }, &body)?)
}
