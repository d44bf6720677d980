//! Erasing a lead (issue 14, item 4): `POST /v1/leads/{id}/erasure` by the visitor with the
//! lead's erasure token, `DELETE /v1/bank/leads/{id}` by a bank the lead was shown. Both erase
//! the same way (`db::erasure`: one D1 batch), both are idempotent, and the first erasure tells
//! the banks shown (`lead.erased`).

use inflow_core::lead::erasure::{self, MAX_ERASURE_BYTES};
use inflow_core::tenant::DEFAULT_RETENTION_DAYS;
use inflow_core::webhook::event::lead_erased;
use inflow_core::Problem;
use worker::{Env, Request, Response};

use crate::error::Result;
use crate::{cors, db, http, runtime, webhooks};

/// The Worker secret erasure tokens are MACs under.
const TOKEN_KEY: &str = "ERASURE_TOKEN_KEY";

/// The erasure token of `lead_id`, for its answer.
pub fn token(env: &Env, lead_id: &str) -> worker::Result<String> {
    Ok(erasure::token(&runtime::secret(env, TOKEN_KEY)?, lead_id))
}

/// The visitor's erasure: 204 once the lead is erased (again or not); 404 `not_found` for an
/// unknown lead, 403 `invalid_erasure_token` for a token that is not the lead's, 400 for a bad
/// body. A foreign origin must be one of the lead's partner's (403 `origin_not_allowed`).
pub async fn by_visitor(req: &mut Request, env: &Env, id: &str) -> Result<Response> {
    let origin = cors::foreign_origin(req)?;
    let body = http::json_body(req, MAX_ERASURE_BYTES, http::Accepts::Json).await?;
    let token = erasure::parse_request(&body)?;
    let d1 = db::open(env)?;
    let Some(target) = db::erasure::target(&d1, id, "").await? else {
        return Err(Problem::unknown_lead().into());
    };
    cors::check(env, &target.partner_id, origin.as_deref()).await?;
    if !erasure::verify(&runtime::secret(env, TOKEN_KEY)?, id, &token) {
        return Err(Problem::invalid_erasure_token().into());
    }
    erase(env, &d1, id).await
}

/// A bank's erasure: 204 once the lead is erased (again or not); 404 `not_found` for a lead the
/// bank was not shown, unknown or not (so lead ids cannot be probed); 401/403 as the pull.
pub async fn by_bank(req: &Request, env: &Env, id: &str) -> Result<Response> {
    let d1 = db::open(env)?;
    let bank = crate::bank_leads::bank_of_key(req, env, &d1).await?;
    match db::erasure::target(&d1, id, &bank).await? {
        Some(t) if t.shown != 0 => erase(env, &d1, id).await,
        _ => Err(Problem::unknown_lead().into()),
    }
}

async fn erase(env: &Env, d1: &worker::D1Database, id: &str) -> Result<Response> {
    erase_one(env, d1, id, runtime::now()).await?;
    Ok(Response::empty()?.with_status(204))
}

async fn erase_one(env: &Env, d1: &worker::D1Database, id: &str, now: i64) -> worker::Result<()> {
    if let Some(banks) = db::erasure::erase(d1, id, now).await? {
        webhooks::enqueue(env, lead_erased(id, now, &banks)).await;
    }
    Ok(())
}

/// Leads erased per scheduled run at most: the rest wait for the next run (every 15 minutes),
/// so one run stays within a Worker's limits whatever the backlog.
const PURGE_PER_RUN: i64 = 100;

/// The scheduled retention purge (issue 14, item 5): erases, as an erasure does, the leads past
/// the retention of the banks they were shown (`[bank] retention_days`, default
/// [`DEFAULT_RETENTION_DAYS`]), oldest first, at most [`PURGE_PER_RUN`]; how many it erased.
pub async fn purge_due(env: &Env, now: i64) -> worker::Result<usize> {
    let d1 = db::open(env)?;
    let due = db::erasure::due(&d1, now, PURGE_PER_RUN, i64::from(DEFAULT_RETENTION_DAYS)).await?;
    for id in &due {
        erase_one(env, &d1, id, now).await?;
    }
    Ok(due.len())
}
