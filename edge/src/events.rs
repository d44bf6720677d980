//! `POST /v1/events`: funnel events in batches, as `navigator.sendBeacon` sends them
//! (`text/plain`, so no preflight; the origin is still checked).

use inflow_core::lead::funnel::{EventBatch, MAX_BATCH_BYTES};
use inflow_core::Problem;
use worker::{Env, Request, Response};

use crate::error::Result;
use crate::{cors, db, http, runtime};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    let origin = cors::foreign_origin(req)?;
    let body = http::json_body(req, MAX_BATCH_BYTES, http::Accepts::JsonOrText).await?;
    let batch = EventBatch::parse(&body)?;
    cors::check(env, &batch.partner, origin.as_deref()).await?;
    if !db::events::insert(env, &batch, &runtime::now_iso()).await? {
        return Err(Problem::unknown_partner().into());
    }
    Ok(http::json(202, &serde_json::json!({ "accepted": batch.events.len() }))?)
}
