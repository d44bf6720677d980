//! Cross-origin calls from partner pages. The widget calls the API on its own script's origin,
//! so a partner's page is another origin; only origins registered for the partner are granted.

use inflow_core::{Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{http, storage};

/// The caller's origin when it is not the Worker's own (a cross-origin call).
pub fn foreign_origin(req: &Request) -> Result<Option<String>> {
    let own = req.url()?.origin().ascii_serialization();
    Ok(req.headers().get("origin")?.filter(|o| *o != own))
}

/// Adds the grant for `origin` to a response (success or problem alike, so the widget can read
/// why a lead was refused).
pub fn grant(resp: Response, origin: &str) -> Response {
    let headers = resp.headers().clone();
    let _ = headers.set("access-control-allow-origin", origin);
    let _ = headers.append("vary", "Origin");
    resp.with_headers(headers)
}

/// `OPTIONS` on a public POST route: granted when the origin is registered for some partner
/// (a preflight carries no body, so the partner is checked again on the request itself).
pub async fn preflight(req: &Request, env: &Env) -> Result<Response> {
    let Some(origin) = foreign_origin(req)? else {
        return Response::empty().map(|r| r.with_status(204));
    };
    if !storage::origin_allowed(env, None, &origin).await? {
        return Ok(http::problem(&Problem::new(
            ProblemCode::OriginNotAllowed,
            "this origin is not registered for any partner",
        )));
    }
    let resp = Response::empty()?.with_status(204);
    let headers = resp.headers().clone();
    headers.set("access-control-allow-methods", "POST")?;
    headers.set("access-control-allow-headers", "content-type, idempotency-key")?;
    headers.set("access-control-max-age", "600")?;
    Ok(grant(resp.with_headers(headers), &origin))
}
