//! Standard Webhooks signing (standardwebhooks.com, "Signature scheme"): the content signed is
//! `<webhook-id>.<webhook-timestamp>.<raw body>`, the MAC is HMAC-SHA256 keyed with the
//! base64-decoded part of a `whsec_<base64>` secret, and `webhook-signature` carries one or
//! more `v1,<base64 MAC>` separated by spaces — two while an endpoint's secret rotates, so a
//! receiver holding either secret verifies. [`verify`] is what a receiver runs (the docs' and
//! the tests' reference), with a constant-time comparison and the spec's five-minute tolerance.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::encoding;

/// The message's id: the same on every retry of one event to one endpoint, so a receiver
/// de-duplicates by it.
pub const ID_HEADER: &str = "webhook-id";
/// Unix seconds of the attempt, inside the MAC.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// `v1,<base64>` signatures, space-separated.
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// How far a receiver lets `webhook-timestamp` be from its clock, either way (the spec's 5 min).
pub const TOLERANCE_SECS: i64 = 300;
/// Every secret starts with this; the rest is standard base64.
pub const SECRET_PREFIX: &str = "whsec_";
/// Key lengths the spec allows (24–64 bytes); inflow makes 32.
const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// Why a webhook does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    /// A header is missing or unparseable, or the secret is not `whsec_<base64 of 24–64 bytes>`.
    Malformed,
    /// `webhook-timestamp` is more than [`TOLERANCE_SECS`] from now.
    Stale,
    /// No `v1` signature was made with this secret over this id, time and body.
    Mismatch,
}

/// The HMAC key of a `whsec_<base64>` secret; `None` if it is not one.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let key = encoding::unbase64(secret.strip_prefix(SECRET_PREFIX)?)?;
    KEY_BYTES.contains(&key.len()).then_some(key)
}

/// A new secret from 32 random bytes the caller supplies: `whsec_<44 base64>`.
pub fn new_secret(bytes: [u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", encoding::base64(&bytes))
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(id.as_bytes());
    m.update(b".");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// One signature, `v1,<base64 HMAC-SHA256>`, with the key of [`secret_key`].
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "v1,{}",
        encoding::base64(&mac(key, id, timestamp, body).finalize().into_bytes())
    )
}

/// The `webhook-signature` value: one signature per key (each live secret of the endpoint),
/// space-separated.
pub fn signature_header(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &[u8]) -> String {
    let all: Vec<String> = keys.iter().map(|k| sign(k, id, timestamp, body)).collect();
    all.join(" ")
}

/// What a receiver runs on the three headers and the raw body: `Ok` when the timestamp is
/// within [`TOLERANCE_SECS`] of `now` and any `v1` signature was made with `secret`. The MAC
/// comparison is constant time (`verify_slice`); signatures of other versions are skipped.
///
/// # Errors
/// [`VerifyError`]: malformed before stale before mismatch.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    let key = secret_key(secret).ok_or(VerifyError::Malformed)?;
    let digits = !timestamp.is_empty() && timestamp.bytes().all(|b| b.is_ascii_digit());
    let t: i64 = timestamp
        .parse()
        .ok()
        .filter(|_| digits && !id.is_empty())
        .ok_or(VerifyError::Malformed)?;
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(VerifyError::Stale);
    }
    let candidates: Vec<Vec<u8>> = signatures
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(encoding::unbase64)
        .collect();
    if candidates.is_empty() {
        return Err(VerifyError::Malformed);
    }
    let expected = mac(&key, id, t, body);
    if candidates.iter().any(|c| expected.clone().verify_slice(c).is_ok()) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The test vector published with the Standard Webhooks specification (its reference
    // libraries' "sign function works" test).
    const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const SPEC_T: i64 = 1_614_265_330;
    const SPEC_BODY: &str = r#"{"test": 2432232314}"#;
    const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_specs_test_vector() {
        let key = secret_key(SPEC_SECRET).expect("the spec's secret");
        assert_eq!(sign(&key, SPEC_ID, SPEC_T, SPEC_BODY.as_bytes()), SPEC_SIGNATURE);
        let t = SPEC_T.to_string();
        assert_eq!(
            verify(
                SPEC_SECRET,
                SPEC_ID,
                &t,
                SPEC_SIGNATURE,
                SPEC_BODY.as_bytes(),
                SPEC_T + 10
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                SPEC_SECRET,
                SPEC_ID,
                &t,
                SPEC_SIGNATURE,
                b"{\"test\":2432232314}",
                SPEC_T
            ),
            Err(VerifyError::Mismatch),
            "the raw body is signed, not a re-serialisation"
        );
        assert_eq!(
            verify(
                SPEC_SECRET,
                SPEC_ID,
                &t,
                SPEC_SIGNATURE,
                SPEC_BODY.as_bytes(),
                SPEC_T + 301
            ),
            Err(VerifyError::Stale)
        );
        assert_eq!(
            verify(
                SPEC_SECRET,
                "msg_other",
                &t,
                SPEC_SIGNATURE,
                SPEC_BODY.as_bytes(),
                SPEC_T
            ),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn either_secret_verifies_while_one_rotates() {
        let old = new_secret([1; 32]);
        let new = new_secret([2; 32]);
        let keys = [
            secret_key(&old).expect("a test value"),
            secret_key(&new).expect("a test value"),
        ];
        let header = signature_header(&keys, "msg_1", 1000, b"{}");
        assert_eq!(header.split(' ').count(), 2, "{header}");
        for s in [&old, &new] {
            assert_eq!(verify(s, "msg_1", "1000", &header, b"{}", 1000), Ok(()));
        }
        let third = new_secret([3; 32]);
        assert_eq!(
            verify(&third, "msg_1", "1000", &header, b"{}", 1000),
            Err(VerifyError::Mismatch)
        );
        // A signature of a version this receiver does not know is skipped, not an error.
        let mixed = format!("v2,abc {header}");
        assert_eq!(verify(&old, "msg_1", "1000", &mixed, b"{}", 1000), Ok(()));
    }

    #[test]
    fn secrets_are_whsec_base64_of_24_to_64_bytes() {
        let s = new_secret([9; 32]);
        assert!(s.starts_with("whsec_") && s.len() == 6 + 44, "{s}");
        assert_eq!(secret_key(&s), Some(vec![9; 32]));
        for bad in [
            "",
            "whsec_",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_AAAA",
            "whsec_!!!!",
        ] {
            assert_eq!(secret_key(bad), None, "{bad}");
        }
        assert_eq!(
            verify("whsec_AAAA", SPEC_ID, "1", SPEC_SIGNATURE, b"", 1),
            Err(VerifyError::Malformed)
        );
        for (t, sig) in [
            ("", SPEC_SIGNATURE),
            ("-1", SPEC_SIGNATURE),
            ("1x", SPEC_SIGNATURE),
            ("1", ""),
            ("1", "v1,!!"),
        ] {
            assert_eq!(
                verify(SPEC_SECRET, SPEC_ID, t, sig, b"", 1),
                Err(VerifyError::Malformed),
                "{t:?} {sig:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_change_to_the_body_breaks_it(
            body in proptest::collection::vec(any::<u8>(), 1..64),
            flip in 0usize..64,
            t in 0i64..2_000_000_000,
        ) {
            let secret = new_secret([7; 32]);
            let header = signature_header(&[secret_key(&secret).expect("a test value")], "msg_x", t, &body);
            prop_assert_eq!(verify(&secret, "msg_x", &t.to_string(), &header, &body, t), Ok(()));
            let mut changed = body.clone();
            changed[flip % body.len()] ^= 1;
            prop_assert_eq!(
                verify(&secret, "msg_x", &t.to_string(), &header, &changed, t),
                Err(VerifyError::Mismatch)
            );
        }

        #[test]
        fn verifying_never_panics(sig in "\\PC{0,120}", t in "\\PC{0,12}") {
            let _ = verify(SPEC_SECRET, "msg", &t, &sig, b"", 0);
        }
    }
}
