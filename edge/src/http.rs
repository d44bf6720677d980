//! Response helpers shared by the routes (refusals are answered by `error.rs`).

use inflow_core::api::media_type_is;
use inflow_core::Problem;
use worker::{Headers, Request, Response};

use crate::error::Result;

/// The answer to a HEAD request: the GET answer's status and headers, without its body
/// (RFC 9110 §9.3.2).
pub fn head_of(get: Response) -> worker::Result<Response> {
    let status = get.status_code();
    let headers = get.headers().clone();
    Ok(Response::empty()?.with_headers(headers).with_status(status))
}

/// JSON with `status`, never cached.
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

/// The raw body of a JSON request, refused early when declared too large (413) and again when
/// it turns out to be, and refused (415) when its media type is not one the route accepts.
pub async fn json_body(req: &mut Request, max: usize, accepts: Accepts) -> Result<Vec<u8>> {
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(Problem::body_too_large(max).into());
    }
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let body = req.bytes().await?;
    if body.len() > max {
        return Err(Problem::body_too_large(max).into());
    }
    // RFC 9110 media types: case-insensitive, exact type/subtype, parameters allowed.
    let json = media_type_is(&content_type, "application/json");
    let media_ok = match accepts {
        Accepts::Json => json,
        Accepts::JsonOrEmpty => body.is_empty() || json,
        Accepts::JsonOrText => json || media_type_is(&content_type, "text/plain"),
    };
    if !media_ok {
        let expected = match accepts {
            Accepts::JsonOrText => "application/json or text/plain",
            _ => "application/json",
        };
        return Err(Problem::unsupported_media_type(expected).into());
    }
    Ok(body)
}

/// A 302 that no cache keeps: each click must reach the edge to be counted.
/// The request's query as decoded `(name, value)` pairs, in order.
pub fn query_pairs(req: &Request) -> worker::Result<Vec<(String, String)>> {
    Ok(req
        .url()?
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// The value of `name`, the route's one query parameter ([`inflow_core::api::single_param`]:
/// 400 for another parameter or `name` twice).
pub fn single_param(req: &Request, name: &str) -> Result<Option<String>> {
    let pairs = query_pairs(req)?;
    let value = inflow_core::api::single_param(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), name)?;
    Ok(value.map(str::to_owned))
}

pub fn redirect(location: &str) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("location", location)?;
    headers.set("cache-control", "no-store")?;
    headers.set("referrer-policy", "no-referrer")?;
    Ok(Response::empty()?.with_headers(headers).with_status(302))
}

/// Whether the client asked for HTML (a visitor's browser following a link).
pub fn wants_html(req: &Request) -> bool {
    req.headers()
        .get("accept")
        .ok()
        .flatten()
        .is_some_and(|a| a.contains("text/html"))
}
