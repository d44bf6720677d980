//! `POST /v1/conversions/{id}/reversal`: a bank claws a payout back (refund, early withdrawal).
//! Signed like a postback; idempotent. The first reversal tells the partner
//! (`conversion.reversed`).

use inflow_core::conversion::postback::{is_valid_id, reversal_outcome, ReversalRequest, MAX_POSTBACK_BYTES};
use inflow_core::webhook::event::conversion;
use inflow_core::webhook::EventType;
use inflow_core::Problem;
use worker::{Env, Request, Response};

use crate::error::Result;
use crate::{auth, conversions, db, http, ratelimit, runtime, webhooks};

pub async fn create(req: &mut Request, env: &Env, id: &str) -> Result<Response> {
    let now = runtime::now();
    let body = http::json_body(req, MAX_POSTBACK_BYTES, http::Accepts::JsonOrEmpty).await?;
    let bank_id = auth::bank(req, env, &body, now).await?;
    ratelimit::per_bank(env, &bank_id).await?;
    let reversal = ReversalRequest::parse(&body)?;
    if !is_valid_id(id) {
        return Err(Problem::unknown_conversion().into());
    }
    let r = db::ledger::reverse(env, &bank_id, id, reversal.reason.as_deref(), now)
        .await?
        .ok_or_else(Problem::unknown_conversion)?;
    reversal_outcome(r.conversion.status)?;
    if r.flipped {
        let data = conversions::event_data(&bank_id, &r.conversion);
        let event = conversion(EventType::ConversionReversed, &r.partner_id, now, &data);
        webhooks::enqueue(env, vec![event]).await;
    }
    Ok(http::json(200, &r.conversion)?)
}
