//! `GET /openapi.json`: the API's contract, kept as a document beside the code and checked
//! against the route table by the end-to-end tests.

use worker::{Headers, Response, Result};

const DOCUMENT: &str = include_str!("../openapi.json");

pub fn serve() -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "public, max-age=300")?;
    headers.set("access-control-allow-origin", "*")?;
    Ok(Response::ok(DOCUMENT)?.with_headers(headers))
}
