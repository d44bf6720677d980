//! The `Inflow-Signature` header on bank postbacks: `t=<unix seconds>,v1=<hex HMAC-SHA256>`
//! over `"<t>.<raw body>"`. The timestamp is inside the MAC, so a captured request cannot be
//! re-dated, and it must be within [`TOLERANCE_SECS`] of now, so it cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::encoding;

pub const HEADER: &str = "Inflow-Signature";
/// How far `t` may be from the edge's clock, either way.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// Missing, unparseable, or no `v1` value.
    Malformed,
    /// `t` is more than [`TOLERANCE_SECS`] away from now.
    Stale,
    /// Well-formed but not made with this secret over this body and time.
    Mismatch,
}

impl SignatureError {
    pub fn detail(self) -> &'static str {
        match self {
            SignatureError::Malformed => "Inflow-Signature must be t=<unix seconds>,v1=<hex>",
            SignatureError::Stale => "the signature's t is more than 300 s from now; re-sign",
            SignatureError::Mismatch => "the signature does not match this body and time",
        }
    }
}

fn mac(secret: &[u8], t: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The header value a bank sends: what the docs' worked example shows.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    let tag = mac(secret, t, body).finalize().into_bytes();
    format!("t={t},v1={}", encoding::hex(&tag))
}

/// `t` and every `v1` (several are allowed so a bank can sign with an old and a new secret
/// while it rotates).
fn parse(header: &str) -> Option<(i64, Vec<Vec<u8>>)> {
    let mut t = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "t" if t.is_none() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                t = Some(v.parse::<i64>().ok()?);
            }
            "v1" if v.len() == 64 => v1.push(encoding::unhex(v)?),
            "t" | "v1" => return None,
            _ => {} // unknown schemes are ignored so new ones can be added
        }
    }
    Some((t?, v1)).filter(|(_, v)| !v.is_empty() && v.len() <= 4)
}

/// Form and freshness only, so the edge can refuse garbage and stale requests before it spends
/// a database read on the bank's secret. Returns `t`.
pub fn precheck(header: &str, now: i64) -> Result<i64, SignatureError> {
    let (t, _) = parse(header).ok_or(SignatureError::Malformed)?;
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    Ok(t)
}

/// Checks a header against a secret, a raw body and the current time. The MAC comparison is
/// constant time (`verify_slice`), so a forger learns nothing from response timings.
pub fn verify(header: &str, secret: &[u8], body: &[u8], now: i64) -> Result<i64, SignatureError> {
    let t = precheck(header, now)?;
    let (_, candidates) = parse(header).ok_or(SignatureError::Malformed)?;
    let expected = mac(secret, t, body);
    let ok = candidates.iter().any(|c| expected.clone().verify_slice(c).is_ok());
    if ok {
        Ok(t)
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The worked example in docs/integration.md, its MAC computed independently with
    /// `openssl dgst -sha256 -hmac`. If this test fails, the docs are wrong.
    const DOC_SECRET: &str = "whsec_demo_bank_local_only";
    const DOC_T: i64 = 1_767_225_600;
    const DOC_BODY: &str = r#"{"click_id":"3f1c9a4e-8b2d-4c6f-9e1a-7d5b2c8f0a13","event":"funded","external_id":"ORD-20260101-0001","amount_minor":5000000,"currency":"CNY","occurred_at":"2026-01-01T00:00:00Z"}"#;
    const DOC_HEADER: &str = "t=1767225600,v1=9f09928a8375a8d987e1c352731c70cb36758c14b9ad0cabcecae5bd43a5315c";

    #[test]
    fn docs_worked_example() {
        assert_eq!(sign(DOC_SECRET.as_bytes(), DOC_T, DOC_BODY.as_bytes()), DOC_HEADER);
        assert_eq!(
            verify(DOC_HEADER, DOC_SECRET.as_bytes(), DOC_BODY.as_bytes(), DOC_T + 10),
            Ok(DOC_T)
        );
        let docs = include_str!("../../../docs/integration.md");
        for needed in [DOC_SECRET, DOC_BODY, DOC_HEADER] {
            assert!(docs.contains(needed), "docs/integration.md lacks {needed}");
        }
    }

    #[test]
    fn refuses_malformed_stale_and_forged() {
        let s = b"secret";
        let good = sign(s, 1000, b"{}");
        assert_eq!(verify(&good, s, b"{}", 1000), Ok(1000));
        assert_eq!(verify(&good, s, b"{}", 1301), Err(SignatureError::Stale));
        assert_eq!(verify(&good, s, b"{}", 699), Err(SignatureError::Stale));
        assert_eq!(verify(&good, s, b"{ }", 1000), Err(SignatureError::Mismatch));
        assert_eq!(verify(&good, b"other", b"{}", 1000), Err(SignatureError::Mismatch));
        let redated = good.replace("t=1000", "t=1001");
        assert_eq!(verify(&redated, s, b"{}", 1000), Err(SignatureError::Mismatch));
        for bad in [
            "",
            "t=1000",
            "v1=00",
            "t=x,v1=00",
            "t=1000,v1=zz",
            "t=-5,v1=00",
            "garbage",
        ] {
            assert_eq!(verify(bad, s, b"{}", 1000), Err(SignatureError::Malformed), "{bad}");
        }
        // A second v1 from a rotated secret is accepted.
        let other = sign(b"old", 1000, b"{}");
        let both = format!("{good},{}", other.trim_start_matches("t=1000,"));
        assert_eq!(verify(&both, b"old", b"{}", 1000), Ok(1000));
    }

    proptest! {
        #[test]
        fn any_change_to_body_or_time_breaks_it(
            body in proptest::collection::vec(any::<u8>(), 0..64),
            flip in 0usize..64,
            t in 0i64..2_000_000_000,
        ) {
            let header = sign(b"k", t, &body);
            prop_assert_eq!(verify(&header, b"k", &body, t), Ok(t));
            if !body.is_empty() {
                let mut changed = body.clone();
                changed[flip % body.len()] ^= 1;
                prop_assert_eq!(verify(&header, b"k", &changed, t), Err(SignatureError::Mismatch));
            }
        }

        #[test]
        fn parsing_never_panics(header in "\\PC{0,120}") {
            let _ = verify(&header, b"k", b"", 0);
        }
    }
}
