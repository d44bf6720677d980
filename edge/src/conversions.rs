//! `POST /v1/conversions`: a bank's signed postback, attributed and written exactly once; the
//! first delivery tells the partner (`conversion.created`), as the cron's approval does
//! (`conversion.approved`).

use inflow_core::conversion::attribution;
use inflow_core::conversion::postback::{Conversion, ConversionResponse, MAX_POSTBACK_BYTES};
use inflow_core::webhook::event::{self, ConversionEvent};
use inflow_core::webhook::EventType;
use inflow_core::Problem;
use worker::{Env, Request, Response};

use crate::error::Result;
use crate::{auth, db, http, ratelimit, runtime, webhooks};

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
    if first {
        let data = event_data(&bank_id, &body);
        let event = event::conversion(EventType::ConversionCreated, &attributed.facts.partner_id, now, &data);
        webhooks::enqueue(env, vec![event]).await;
    }
    Ok(http::json(if first { 201 } else { 200 }, &body)?)
}

/// How far back the approval job looks for approved conversions not yet released: a month,
/// so a run that stopped between approving and releasing is caught up by the next.
const RELEASE_LOOKBACK_SECS: i64 = 31 * 86_400;
/// Releases one D1 batch writes at most.
const RELEASES_PER_BATCH: i64 = 500;
/// Batches one run writes at most; what is left is older than the run's approvals only when
/// more than 10,000 were due at once, and the next run goes on from it within the look-back.
const RELEASE_BATCHES_PER_RUN: usize = 20;

/// The cron's approvals (`db::ledger::approve_due`), each told to its partner
/// (`conversion.approved`), and their holds released in the ledger (`db::ledger::release_due`).
pub async fn approve_due(env: &Env, now: i64) -> worker::Result<()> {
    let approved = db::ledger::approve_due(env, now).await?;
    // What this run approved is released whatever its approval date: one whose date is older
    // than the look-back (the cron did not run for a while) would otherwise stay held for ever.
    let since = approved
        .iter()
        .map(|a| a.approve_at)
        .fold(now - RELEASE_LOOKBACK_SECS, i64::min);
    for _ in 0..RELEASE_BATCHES_PER_RUN {
        if db::ledger::release_due(env, since, RELEASES_PER_BATCH, now).await? < RELEASES_PER_BATCH as usize {
            break;
        }
    }
    let events = approved
        .iter()
        .map(|a| {
            let data = event_data(&a.bank_id, &a.conversion);
            event::conversion(EventType::ConversionApproved, &a.partner_id, now, &data)
        })
        .collect();
    webhooks::enqueue(env, events).await;
    Ok(())
}

/// A stored conversion as its `conversion.*` webhooks carry it.
pub fn event_data(bank_id: &str, c: &ConversionResponse) -> ConversionEvent {
    ConversionEvent {
        conversion_id: c.id.clone(),
        bank_id: bank_id.into(),
        click_id: c.click_id.clone(),
        event: c.event.clone(),
        status: c.status.as_str().into(),
        payout_minor: c.payout_minor,
        payout_currency: c.payout_currency.clone(),
        occurred_at: c.occurred_at.clone(),
    }
}
