//! The edge's one error type. A handler returns [`Result`] and refuses with `?`: a [`Problem`]
//! (worded in `inflow_core::api`) is read by the client; anything else — D1 down, a missing
//! secret, a bug — is internal. [`EdgeError::into_response`] is the one place either becomes
//! an answer (called from `lib.rs`).

use inflow_core::Problem;
use worker::{Headers, Response};

/// Why a request was not answered with success.
#[derive(Debug)]
pub enum EdgeError {
    /// A refusal the client reads: 4xx `application/problem+json` with a stable code, and any
    /// headers that go with it (`Allow` on a 405).
    Refused(Box<Problem>, Vec<(&'static str, String)>),
    /// A failure below the routes: logged, and answered 500 `internal` without its cause.
    Internal(worker::Error),
}

/// A handler's result: its answer, or why there is none.
pub type Result<T, E = EdgeError> = std::result::Result<T, E>;

impl From<Problem> for EdgeError {
    fn from(p: Problem) -> Self {
        EdgeError::Refused(Box::new(p), Vec::new())
    }
}

impl From<worker::Error> for EdgeError {
    fn from(e: worker::Error) -> Self {
        EdgeError::Internal(e)
    }
}

/// Serialising our own types (an answer, a stored column) fails only on a bug.
impl From<serde_json::Error> for EdgeError {
    fn from(e: serde_json::Error) -> Self {
        EdgeError::Internal(e.into())
    }
}

impl EdgeError {
    /// 405 for a route that answers `allow`, with the `Allow` header (RFC 9110 §15.5.6).
    pub fn method_not_allowed(allow: &'static str) -> Self {
        EdgeError::from(Problem::method_not_allowed(allow)).with_header("allow", allow)
    }

    /// The same refusal with a header added to its answer; an internal error is answered
    /// without any.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if let EdgeError::Refused(_, headers) = &mut self {
            headers.push((name, value.into()));
        }
        self
    }

    /// The answer to send for this error on `path`. A browser that opened a link (`page`, the
    /// click-out route asked for HTML) gets a short page instead of problem+json. Fails only
    /// when the JS runtime cannot make a response at all.
    pub fn into_response(self, path: &str, page: bool) -> worker::Result<Response> {
        let (problem, extra) = match self {
            EdgeError::Refused(p, extra) => (*p, extra),
            EdgeError::Internal(e) => {
                // The cause stays in the log; the client parses a 500 like every other error.
                worker::console_error!("internal error on {path}: {e}");
                (Problem::internal(), Vec::new())
            }
        };
        let headers = Headers::new();
        headers.set("cache-control", "no-store")?;
        for (name, value) in extra {
            headers.set(name, &value)?;
        }
        let body = if page {
            headers.set("content-type", "text/html; charset=utf-8")?;
            html_page(&problem.detail)
        } else {
            headers.set("content-type", "application/problem+json")?;
            serde_json::to_string(&problem)?
        };
        Ok(Response::ok(body)?.with_headers(headers).with_status(problem.status))
    }
}

/// A visitor's page for a refusal: the problem's detail as a sentence. Details are our own
/// wording (core), so they carry no markup.
fn html_page(detail: &str) -> String {
    let mut chars = detail.chars();
    let sentence: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!(
        "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>inflow</title><p style=\"font:16px system-ui;margin:2em\">{sentence}.</p>"
    )
}
