//! Postback secrets: a bank holds several, each with an id and perhaps an expiry, so it can
//! rotate without downtime. A postback is accepted when its `Inflow-Signature` matches any
//! secret of the bank that has not expired ([`verify_any`]); rotating ([`rotate`]) adds a new
//! secret and gives every older one an expiry at most `overlap` seconds away, after which it is
//! refused.

use serde::{Deserialize, Serialize};

use crate::api::Problem;
use crate::conversion::signature::{self, SignatureError};
use crate::support::encoding;

/// Longest overlap a rotation may grant the old secrets: 30 days.
pub const MAX_OVERLAP_SECS: i64 = 30 * 86_400;
/// The overlap when the caller names none: one day.
pub const DEFAULT_OVERLAP_SECS: i64 = 86_400;

/// One secret as D1 keeps it (`postback_secrets`). The value must be stored (HMAC needs it);
/// it is shown once, when made, and never listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostbackSecret {
    /// 16 hex characters, or `legacy` for the secret a bank had before rotation existed.
    pub id: String,
    pub secret: String,
    pub created_at: i64,
    /// Refused from this instant (unix seconds); `None`: until rotated away.
    pub expires_at: Option<i64>,
}

impl PostbackSecret {
    /// Whether the secret is still accepted at `now`.
    pub fn live(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|t| now < t)
    }
}

/// Checks a postback's signature header against every live secret of the bank. Returns `t`
/// and the id of the secret that matched.
///
/// # Errors
/// As [`signature::verify`]: malformed or stale headers whatever the secrets; `Mismatch` when
/// no live secret made it (an expired secret counts as none).
pub fn verify_any<'a>(
    header: &str,
    secrets: &'a [PostbackSecret],
    body: &[u8],
    now: i64,
) -> Result<(i64, &'a str), SignatureError> {
    signature::precheck(header, now)?;
    for s in secrets.iter().filter(|s| s.live(now)) {
        if let Ok(t) = signature::verify(header, s.secret.as_bytes(), body, now) {
            return Ok((t, &s.id));
        }
    }
    Err(SignatureError::Mismatch)
}

/// A new secret from 8 + 32 random bytes supplied by the caller: id `<16 hex>`, value
/// `whsec_<43 base64url>`, no expiry.
pub fn new_secret(id_bytes: [u8; 8], secret_bytes: [u8; 32], now: i64) -> PostbackSecret {
    PostbackSecret {
        id: encoding::hex(&id_bytes),
        secret: format!("whsec_{}", encoding::base64url(&secret_bytes)),
        created_at: now,
        expires_at: None,
    }
}

/// What a rotation writes: the new expiry of each older live secret (`(id, expires_at)`),
/// each `now + overlap` unless it already expires sooner. Expired secrets are left alone.
///
/// # Errors
/// 400 `invalid_field` for `overlap` outside 0–[`MAX_OVERLAP_SECS`].
pub fn rotate(existing: &[PostbackSecret], now: i64, overlap: i64) -> Result<Vec<(String, i64)>, Problem> {
    if !(0..=MAX_OVERLAP_SECS).contains(&overlap) {
        return Err(Problem::invalid_field("overlap_secs is 0-2592000 (30 days)"));
    }
    let until = now + overlap;
    Ok(existing
        .iter()
        .filter(|s| s.live(now))
        .map(|s| (s.id.clone(), s.expires_at.map_or(until, |t| t.min(until))))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(id: &str, value: &str, expires_at: Option<i64>) -> PostbackSecret {
        PostbackSecret {
            id: id.into(),
            secret: value.into(),
            created_at: 0,
            expires_at,
        }
    }

    #[test]
    fn any_live_secret_verifies_and_expired_ones_do_not() {
        let body = b"{}";
        let set = [secret("old", "s-old", Some(1_000)), secret("new", "s-new", None)];
        let by_old = signature::sign(b"s-old", 900, body);
        let by_new = signature::sign(b"s-new", 900, body);
        assert_eq!(verify_any(&by_old, &set, body, 900), Ok((900, "old")));
        assert_eq!(verify_any(&by_new, &set, body, 900), Ok((900, "new")));
        let late = signature::sign(b"s-old", 1_000, body);
        assert_eq!(
            verify_any(&late, &set, body, 1_000),
            Err(SignatureError::Mismatch),
            "refused from its expiry"
        );
        let by_new = signature::sign(b"s-new", 1_000, body);
        assert_eq!(verify_any(&by_new, &set, body, 1_000), Ok((1_000, "new")));
        assert_eq!(verify_any(&by_new, &[], body, 1_000), Err(SignatureError::Mismatch));
        assert_eq!(verify_any("junk", &set, body, 1_000), Err(SignatureError::Malformed));
        assert_eq!(verify_any(&by_new, &set, body, 2_000), Err(SignatureError::Stale));
    }

    #[test]
    fn rotation_bounds_older_secrets() {
        let set = [
            secret("a", "x", None),
            secret("b", "y", Some(1_050)),
            secret("c", "z", Some(500)),
        ];
        assert_eq!(
            rotate(&set, 1_000, 100),
            Ok(vec![("a".into(), 1_100), ("b".into(), 1_050)])
        );
        assert_eq!(
            rotate(&set, 1_000, 0),
            Ok(vec![("a".into(), 1_000), ("b".into(), 1_000)])
        );
        assert!(rotate(&set, 1_000, -1).is_err());
        assert!(rotate(&set, 1_000, MAX_OVERLAP_SECS + 1).is_err());
    }

    #[test]
    fn new_secrets_have_an_id_and_no_expiry() {
        let s = new_secret([0x0f; 8], [1; 32], 77);
        assert_eq!(s.id, "0f0f0f0f0f0f0f0f");
        assert!(
            s.secret.starts_with("whsec_") && s.secret.len() == 6 + 43,
            "{}",
            s.secret
        );
        assert!(crate::tenant::is_valid_id(&s.id));
        assert_eq!((s.created_at, s.expires_at), (77, None));
        assert!(s.live(i64::MAX));
    }
}
