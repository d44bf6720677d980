//! `POST /v1/events`: funnel events in batches, as `navigator.sendBeacon` sends them
//! (`text/plain`, so no preflight; the origin is still checked).

use inflow_core::funnel::{EventBatch, MAX_BATCH_BYTES};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{cors, http, storage};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    let origin = cors::foreign_origin(req)?;
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !(content_type.starts_with("text/plain") || content_type.starts_with("application/json")) {
        return Ok(http::problem(&Problem::new(
            ProblemCode::UnsupportedMediaType,
            "send the batch as text/plain or application/json",
        )));
    }
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BATCH_BYTES) {
        return Ok(http::problem(&Problem::new(
            ProblemCode::BodyTooLarge,
            "a batch is at most 16 KiB",
        )));
    }
    let batch = match EventBatch::parse(&req.bytes().await?) {
        Ok(b) => b,
        Err(p) => return Ok(http::problem(&p)),
    };
    if let Some(o) = &origin {
        if !storage::origin_allowed(env, Some(&batch.partner), o).await? {
            return Ok(http::problem(&Problem::new(
                ProblemCode::OriginNotAllowed,
                "this origin is not registered for the partner",
            )));
        }
    }
    if !storage::insert_events(env, &batch).await? {
        return Ok(http::problem(&Problem::new(
            ProblemCode::UnknownPartner,
            "no partner with this id",
        )));
    }
    let resp = http::json(202, &serde_json::json!({ "accepted": batch.events.len() }))?;
    Ok(match origin {
        Some(o) => cors::grant(resp, &o),
        None => resp,
    })
}
