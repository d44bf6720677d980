//! Cross-origin calls from partner pages. The widget calls the API on its own script's origin,
//! so a partner's page is another origin; only origins registered for the partner are served,
//! and every answer to a foreign origin — a refusal too — is readable by it.

use inflow_core::Problem;
use worker::{Env, Request, Response, Result};

use crate::db;

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

/// `resp` readable by every page (`Access-Control-Allow-Origin: *`): for public data that
/// carries no credentials, the widget's configuration.
pub fn grant_any(resp: Response) -> Response {
    let headers = resp.headers().clone();
    let _ = headers.set("access-control-allow-origin", "*");
    resp.with_headers(headers)
}

/// `OPTIONS` on a public POST route: granted to any foreign origin (`lib.rs` adds the grant to
/// every answer on these routes), so the browser sends the request itself. A preflight carries
/// no body and so no partner; the request is where the origin is checked against the partner's
/// registered origins, and a refused origin gets a readable `403 origin_not_allowed` (see
/// [`grant`]) and stores nothing — the widget can then tell a site that is not set up from a
/// network failure instead of retrying as if offline.
pub fn preflight(req: &Request) -> Result<Response> {
    let resp = Response::empty()?.with_status(204);
    if foreign_origin(req)?.is_none() {
        return Ok(resp);
    }
    let headers = resp.headers().clone();
    headers.set("access-control-allow-methods", "POST")?;
    headers.set("access-control-allow-headers", "content-type, idempotency-key")?;
    headers.set("access-control-max-age", "600")?;
    Ok(resp.with_headers(headers))
}

/// Refuses a page on `origin` calling for `partner` unless the partner registered it. Nothing
/// is stored for a refused origin; the widget shows a configuration error for it instead of
/// retrying as if offline.
pub async fn check(env: &Env, partner: &str, origin: Option<&str>) -> crate::error::Result<()> {
    let Some(origin) = origin else {
        return Ok(());
    };
    if db::partners::origin_registered(env, partner, origin).await? {
        Ok(())
    } else {
        Err(Problem::origin_not_allowed(origin, partner).into())
    }
}
