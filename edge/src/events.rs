//! `POST /v1/events`: funnel events in batches, as `navigator.sendBeacon` sends them
//! (`text/plain`, so no preflight; the origin is still checked).

use inflow_core::funnel::{EventBatch, MAX_BATCH_BYTES};
use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{cors, http, storage};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    let origin = cors::foreign_origin(req)?;
    let body = match http::json_body(req, MAX_BATCH_BYTES, http::Accepts::JsonOrText).await? {
        Ok(body) => body,
        Err(p) => return Ok(http::problem(&p)),
    };
    let batch = match EventBatch::parse(&body) {
        Ok(b) => b,
        Err(p) => return Ok(http::problem(&p)),
    };
    if let Some(o) = &origin {
        if !storage::origin_allowed(env, &batch.partner, o).await? {
            // Refused but readable, as for leads (see cors::preflight).
            let p = Problem::new(
                ProblemCode::OriginNotAllowed,
                "this origin is not registered for the partner",
            );
            return Ok(cors::grant(http::problem(&p), o));
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
