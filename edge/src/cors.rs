//! Cross-origin calls from partner pages. The widget calls the API on its own script's origin,
//! so a partner's page is another origin; only origins registered for the partner are served,
//! and every answer to a foreign origin — a refusal too — is readable by it.

use worker::{Request, Response, Result};

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

/// `OPTIONS` on a public POST route: granted to any foreign origin, so the browser sends the
/// request itself. A preflight carries no body and so no partner; the request is where the
/// origin is checked against the partner's registered origins, and a refused origin gets a
/// readable `403 origin_not_allowed` (see [`grant`]) and stores nothing — the widget can then
/// tell a site that is not set up from a network failure instead of retrying as if offline.
pub fn preflight(req: &Request) -> Result<Response> {
    let Some(origin) = foreign_origin(req)? else {
        return Response::empty().map(|r| r.with_status(204));
    };
    let resp = Response::empty()?.with_status(204);
    let headers = resp.headers().clone();
    headers.set("access-control-allow-methods", "POST")?;
    headers.set("access-control-allow-headers", "content-type, idempotency-key")?;
    headers.set("access-control-max-age", "600")?;
    Ok(grant(resp.with_headers(headers), &origin))
}
