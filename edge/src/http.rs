//! Response helpers shared by the routes.

use inflow_core::Problem;
use worker::{Headers, Response};

pub fn problem(p: &Problem) -> Response {
    let body = serde_json::to_string(p).unwrap_or_default();
    let headers = Headers::new();
    // Setting a fixed, valid header value cannot fail.
    let _ = headers.set("content-type", "application/problem+json");
    let _ = headers.set("cache-control", "no-store");
    match Response::ok(body) {
        Ok(r) => r.with_headers(headers).with_status(p.status),
        Err(_) => Response::empty().unwrap_or_else(|_| unreachable_response()),
    }
}

fn unreachable_response() -> Response {
    // Response::empty only fails if the JS runtime is broken; nothing useful can be sent then.
    Response::error("internal", 500).unwrap_or_else(|_| unreachable_response())
}

pub fn json<T: serde::Serialize>(status: u16, value: &T) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::from_json(value)?
        .with_headers(headers)
        .with_status(status))
}
