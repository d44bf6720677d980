//! The one check of a refusal the edge answers: a 4xx (or 5xx) `application/problem+json` body
//! (RFC 9457) with a stable code from the OpenAPI's `ProblemCode` enum.

use crate::bank::Answer;

/// Asserts that `a` is the problem `code` with `status`: the status line and the body's
/// `status` agree, the content type is `application/problem+json`, and a refusal never
/// redirects (no `Location`).
pub fn assert(a: &Answer, status: u16, code: &str) {
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (status, Some(code)),
        "expected {status} {code}, got {a:?}"
    );
    assert_eq!(a.content_type, "application/problem+json", "{a:?}");
    assert_eq!(a.body["status"], status, "{a:?}");
    assert!(a.location.is_none(), "an error never redirects: {a:?}");
}
