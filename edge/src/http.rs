//! Response helpers shared by the routes.

use inflow_core::api::media_type_is;
use inflow_core::{Problem, ProblemCode};
use worker::{Headers, Request, Response};

pub fn problem(p: &Problem) -> Response {
    problem_with(p, &[])
}

/// A problem+json answer with extra headers (e.g. `Allow`).
pub fn problem_with(p: &Problem, extra: &[(&str, &str)]) -> Response {
    let body = serde_json::to_string(p).unwrap_or_default();
    let headers = Headers::new();
    for (name, value) in extra {
        let _ = headers.set(name, value);
    }
    // Setting a fixed, valid header value cannot fail.
    let _ = headers.set("content-type", "application/problem+json");
    let _ = headers.set("cache-control", "no-store");
    match Response::ok(body) {
        Ok(r) => r.with_headers(headers).with_status(p.status),
        Err(_) => Response::empty().unwrap_or_else(|_| unreachable_response()),
    }
}

/// A 405 for `route`, with the `Allow` header listing what it answers (RFC 9110 §15.5.6).
pub fn method_not_allowed(route: &inflow_core::routes::Route) -> Response {
    let p = Problem::new(
        ProblemCode::MethodNotAllowed,
        format!("this route answers {}", route.allow()),
    );
    problem_with(&p, &[("allow", route.allow())])
}

/// The answer to a HEAD request: the GET answer's status and headers, without its body
/// (RFC 9110 §9.3.2).
pub fn head_of(get: Response) -> worker::Result<Response> {
    let status = get.status_code();
    let headers = get.headers().clone();
    Ok(Response::empty()?.with_headers(headers).with_status(status))
}

fn unreachable_response() -> Response {
    // Response::empty only fails if the JS runtime is broken; nothing useful can be sent then.
    Response::error("internal", 500).unwrap_or_else(|_| unreachable_response())
}

pub fn json<T: serde::Serialize>(status: u16, value: &T) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::from_json(value)?.with_headers(headers).with_status(status))
}

/// What a route accepts as its body's media type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    Json,
    /// JSON, or no body at all (the content type is then not checked).
    JsonOrEmpty,
    /// JSON, or JSON sent as `text/plain` — what `navigator.sendBeacon` can send without a
    /// preflight.
    JsonOrText,
}

/// The raw body of a JSON request, refused early when declared too large and again when it
/// turns out to be, and refused when its media type is not one the route accepts.
pub async fn json_body(req: &mut Request, max: usize, accepts: Accepts) -> worker::Result<Result<Vec<u8>, Problem>> {
    let too_large = || Problem::new(ProblemCode::BodyTooLarge, format!("at most {max} bytes"));
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Ok(Err(too_large()));
    }
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let body = req.bytes().await?;
    if body.len() > max {
        return Ok(Err(too_large()));
    }
    // RFC 9110 media types: case-insensitive, exact type/subtype, parameters allowed.
    let json = media_type_is(&content_type, "application/json");
    let media_ok = match accepts {
        Accepts::Json => json,
        Accepts::JsonOrEmpty => body.is_empty() || json,
        Accepts::JsonOrText => json || media_type_is(&content_type, "text/plain"),
    };
    if !media_ok {
        let detail = match accepts {
            Accepts::JsonOrText => "send application/json or text/plain",
            _ => "send application/json",
        };
        return Ok(Err(Problem::new(ProblemCode::UnsupportedMediaType, detail)));
    }
    Ok(Ok(body))
}

/// A 302 that no cache keeps: each click must reach the edge to be counted.
pub fn redirect(location: &str) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("location", location)?;
    headers.set("cache-control", "no-store")?;
    headers.set("referrer-policy", "no-referrer")?;
    Ok(Response::empty()?.with_headers(headers).with_status(302))
}

/// An error for a browser: a short HTML page when the client asked for HTML (a visitor
/// clicking a link), problem+json otherwise.
pub fn problem_for(req: &Request, p: &Problem, page_text: &str) -> Response {
    let wants_html = req
        .headers()
        .get("accept")
        .ok()
        .flatten()
        .is_some_and(|a| a.contains("text/html"));
    if !wants_html {
        return problem(p);
    }
    let html = format!(
        "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>inflow</title><p style=\"font:16px system-ui;margin:2em\">{page_text}</p>"
    );
    let headers = Headers::new();
    let _ = headers.set("content-type", "text/html; charset=utf-8");
    let _ = headers.set("cache-control", "no-store");
    match Response::ok(html) {
        Ok(r) => r.with_headers(headers).with_status(p.status),
        Err(_) => problem(p),
    }
}
