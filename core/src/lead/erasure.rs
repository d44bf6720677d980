//! Erasure of a lead on the visitor's or a bank's request (issue 14, item 4).
//!
//! The visitor proves the lead is theirs with the erasure token the lead's answer carried: an
//! HMAC-SHA256 of the lead id under the Worker secret `ERASURE_TOKEN_KEY`, so nothing is stored
//! to check it against and only the edge can mint one. Erasing removes the sealed contacts, the
//! contact hash, the answers and the attribution; the lead row stays, marked erased, with what
//! the ledger and the reports count (accounting hold).

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::api::{Problem, ProblemCode};
use crate::support::encoding::{base64url, unbase64url};

/// Bodies larger than this are refused before parsing: `{"token": "<43 characters>"}`.
pub const MAX_ERASURE_BYTES: usize = 1024;

/// What an erased lead's `answers` and `attribution` columns hold (they are NOT NULL columns;
/// an empty JSON object keeps every reader working and says nothing).
pub const ERASED_JSON: &str = "{}";

/// Domain separation: a token is never a valid MAC of anything else under the same key.
const CONTEXT: &[u8] = b"inflow-erasure-v1\0";

fn mac(key: &[u8], lead_id: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(CONTEXT);
    mac.update(lead_id.as_bytes());
    mac
}

/// The erasure token of `lead_id`: base64url (no padding) of 32 bytes, 43 characters.
pub fn token(key: &[u8], lead_id: &str) -> String {
    base64url(&mac(key, lead_id).finalize().into_bytes())
}

/// Whether `token` is `lead_id`'s, compared in constant time.
pub fn verify(key: &[u8], lead_id: &str, token: &str) -> bool {
    match unbase64url(token) {
        Some(bytes) => mac(key, lead_id).verify_slice(&bytes).is_ok(),
        None => false,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    token: String,
}

/// Reads `POST /v1/leads/{id}/erasure`'s body, `{"token": "…"}`.
///
/// # Errors
/// 400 `malformed_json` for a body that is not that object.
pub fn parse_request(body: &[u8]) -> Result<String, Problem> {
    serde_json::from_slice::<Body>(body).map(|b| b.token).map_err(|_| {
        Problem::new(
            ProblemCode::MalformedJson,
            r#"the body is {"token": "<the lead answer's erasure_token>"}"#,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"dev-erasure-token-key-not-secret-0001";

    #[test]
    fn a_token_verifies_for_its_lead_only() {
        let t = token(KEY, "lead-1");
        assert_eq!(t.len(), 43);
        assert!(verify(KEY, "lead-1", &t));
        assert!(!verify(KEY, "lead-2", &t));
        assert!(!verify(b"another-key-of-sixteen-bytes", "lead-1", &t));
        assert!(!verify(KEY, "lead-1", &t[..42]));
        assert!(!verify(KEY, "lead-1", ""));
        assert!(!verify(KEY, "lead-1", "not base64url!"));
    }

    #[test]
    fn the_body_is_one_token() {
        assert_eq!(parse_request(br#"{"token":"abc"}"#).as_deref(), Ok("abc"));
        for bad in [&b""[..], b"{}", br#"{"token":1}"#, br#"{"token":"a","x":1}"#, b"[]"] {
            assert_eq!(
                parse_request(bad).map_err(|p| p.code),
                Err(ProblemCode::MalformedJson),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
