//! API keys: who holds one, what its token looks like, how it is stored and when it stops
//! working.
//!
//! A token is `ik_<id>_<secret>`: `id` is 16 lower-case hex characters (8 random bytes), the
//! key's public name in lists, audit rows and revocations; `secret` is 43 base64url characters
//! (32 random bytes). The edge stores only the SHA-256 of the whole token ([`token_hash`], the
//! same hash report keys have always had), so a stolen table opens nothing. Randomness comes
//! from the caller (core does no I/O).
//!
//! The operator key is not a row: it is the Worker secret `ADMIN_KEY`, compared with
//! [`operator_matches`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::support::encoding;

/// The token's fixed prefix.
pub const TOKEN_PREFIX: &str = "ik_";
const ID_HEX: usize = 16;
const SECRET_B64: usize = 43;

/// Shortest `ADMIN_KEY` the edge accepts; a shorter (or absent) one turns the operator off.
pub const MIN_OPERATOR_KEY: usize = 16;

/// What a key may be used for. The operator's key is not a row and has no kind here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// Manages one bank's catalogue, campaigns, keys and postback secrets; reads its partners.
    BankAdmin,
    /// Reads one bank's reports (`GET /v1/reports`); nothing under `/v1/admin/`.
    BankReport,
    /// Reads one partner's reports; nothing under `/v1/admin/`.
    PartnerReport,
}

impl KeyKind {
    /// Every kind, in declaration order.
    pub const ALL: [KeyKind; 3] = [KeyKind::BankAdmin, KeyKind::BankReport, KeyKind::PartnerReport];

    /// The name on the wire and in D1's `api_keys.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::BankAdmin => "bank_admin",
            KeyKind::BankReport => "bank_report",
            KeyKind::PartnerReport => "partner_report",
        }
    }

    /// The kind named `s`, if any.
    pub fn parse(s: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a key of this kind belongs to a partner (else to a bank).
    pub fn is_partner_key(self) -> bool {
        self == KeyKind::PartnerReport
    }
}

/// A freshly made token: show `token` once, store `id` and `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The public id (16 hex characters).
    pub id: String,
    /// The whole token, `ik_<id>_<secret>`; never stored.
    pub token: String,
    /// [`token_hash`] of `token`.
    pub hash: String,
}

/// Makes a token from 8 + 32 random bytes supplied by the caller (the edge's CSPRNG).
pub fn new_token(id_bytes: [u8; 8], secret_bytes: [u8; 32]) -> NewToken {
    let id = encoding::hex(&id_bytes);
    let token = format!("{TOKEN_PREFIX}{id}_{}", encoding::base64url(&secret_bytes));
    let hash = token_hash(&token);
    NewToken { id, token, hash }
}

/// The public id of a well-formed token, `None` for anything else (so the edge can refuse
/// garbage before a D1 read).
pub fn token_id(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(TOKEN_PREFIX)?;
    let (id, secret) = rest.split_at_checked(ID_HEX)?;
    let secret = secret.strip_prefix('_')?;
    let id_ok = id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let secret_ok = secret.len() == SECRET_B64 && encoding::unbase64url(secret).is_some();
    (id_ok && secret_ok).then_some(id)
}

/// SHA-256 of the whole token, lower-case hex: what D1 stores for every key (`api_keys.hash`,
/// and the legacy `banks.report_key_hash` / `partners.report_key_hash`). A key is a long random
/// secret, so an unsalted hash is enough to make a leaked table useless.
pub fn token_hash(token: &str) -> String {
    encoding::hex(&Sha256::digest(token.as_bytes()))
}

/// Equality in time that depends only on the length: a forger timing answers learns nothing
/// about how many leading bytes matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `presented` is the operator key `admin_key` (the Worker secret). Both are hashed
/// first, so the comparison neither leaks the key's length nor runs early; an `admin_key`
/// shorter than [`MIN_OPERATOR_KEY`] matches nothing (a missing or toy secret cannot open the
/// admin API).
pub fn operator_matches(presented: &str, admin_key: &str) -> bool {
    if admin_key.len() < MIN_OPERATOR_KEY {
        return false;
    }
    constant_time_eq(
        &Sha256::digest(presented.as_bytes()),
        &Sha256::digest(admin_key.as_bytes()),
    )
}

/// A key as D1 keeps it (`api_keys`). Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecord {
    pub id: String,
    pub kind: KeyKind,
    /// The bank a bank key belongs to (`None` for partner keys).
    pub bank_id: Option<String>,
    /// The partner a partner key belongs to (`None` for bank keys).
    pub partner_id: Option<String>,
    /// A label chosen by whoever made it (1–100 characters), e.g. `ci-deploy`.
    pub name: String,
    /// [`token_hash`] of the token.
    pub hash: String,
    pub created_at: i64,
    /// After this instant the key is refused; `None`: never expires.
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Set when revoked; from then on the key is refused.
    pub revoked_at: Option<i64>,
}

/// Why a presented key is refused (401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefused {
    /// Not a token, or no key has it.
    Unknown,
    Revoked,
    Expired,
}

impl KeyRefused {
    /// The problem's detail: says which, since the holder already has the token.
    pub fn detail(self) -> &'static str {
        match self {
            KeyRefused::Unknown => "send Authorization: Bearer <an admin key>",
            KeyRefused::Revoked => "this key was revoked",
            KeyRefused::Expired => "this key has expired",
        }
    }
}

/// 401 `unauthorized` for an admin request without a usable key: none, an unknown one, or a
/// revoked or expired one (saying which, see [`KeyRefused::detail`]).
impl From<KeyRefused> for crate::api::Problem {
    fn from(e: KeyRefused) -> Self {
        crate::api::Problem::unauthorized(e.detail())
    }
}

/// Who is calling, once the key is checked: the input of [`super::authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The `ADMIN_KEY` holder.
    Operator,
    BankAdmin(String),
    BankReport(String),
    PartnerReport(String),
}

impl KeyRecord {
    /// The principal this key speaks for if `presented` is its token and it is usable `now`:
    /// the hash is compared in constant time, then revocation (any `revoked_at`, even a future
    /// one, takes effect at once) and expiry (`now >= expires_at`).
    ///
    /// # Errors
    /// [`KeyRefused`]: the token does not hash to this record, or the key is revoked or expired.
    pub fn authenticate(&self, presented: &str, now: i64) -> Result<Principal, KeyRefused> {
        if !constant_time_eq(token_hash(presented).as_bytes(), self.hash.as_bytes()) {
            return Err(KeyRefused::Unknown);
        }
        if self.revoked_at.is_some() {
            return Err(KeyRefused::Revoked);
        }
        if self.expires_at.is_some_and(|t| now >= t) {
            return Err(KeyRefused::Expired);
        }
        let owner = |o: &Option<String>| o.clone().ok_or(KeyRefused::Unknown);
        Ok(match self.kind {
            KeyKind::BankAdmin => Principal::BankAdmin(owner(&self.bank_id)?),
            KeyKind::BankReport => Principal::BankReport(owner(&self.bank_id)?),
            KeyKind::PartnerReport => Principal::PartnerReport(owner(&self.partner_id)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: KeyKind, token: &str) -> KeyRecord {
        KeyRecord {
            id: token_id(token).expect("well formed").into(),
            kind,
            bank_id: (!kind.is_partner_key()).then(|| "lotus-bank".into()),
            partner_id: kind.is_partner_key().then(|| "mathcamp".into()),
            name: "test".into(),
            hash: token_hash(token),
            created_at: 100,
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn tokens_have_one_shape_and_a_public_id() {
        let t = new_token([0xab; 8], [7; 32]);
        assert_eq!(t.id, "abababababababab");
        assert!(t.token.starts_with("ik_abababababababab_"), "{}", t.token);
        assert_eq!(t.token.len(), 3 + 16 + 1 + 43);
        assert_eq!(token_id(&t.token), Some("abababababababab"));
        assert_eq!(t.hash, token_hash(&t.token));
        assert_eq!(t.hash.len(), 64);
        assert_ne!(new_token([0xab; 8], [8; 32]).hash, t.hash, "the secret is in the hash");
        for bad in [
            "",
            "ik_",
            "rk_bank_demo_local",
            &t.token[..t.token.len() - 1],
            &format!("{}A", t.token),
            &t.token.replace("ik_", "IK_"),
            &t.token.replacen("ab", "AB", 1),
            &t.token.replacen('_', "-", 2),
        ] {
            assert_eq!(token_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn seeded_report_keys_keep_their_hash() {
        // edge/seed/demo.sql stores this hash for the partner report key rk_edu-demo_local.
        assert_eq!(
            token_hash("rk_edu-demo_local"),
            "30a5fa17c64fa955765c9e9aabec212c76f0dd69317b8c68a8e99832183732c8"
        );
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn the_operator_key_must_be_set_and_long() {
        let k = "dev-admin-key-not-secret-0001";
        assert!(operator_matches(k, k));
        assert!(!operator_matches("dev-admin-key-not-secret-0002", k));
        assert!(!operator_matches("", ""), "no ADMIN_KEY, no operator");
        assert!(!operator_matches("short", "short"));
    }

    #[test]
    fn authenticate_refuses_wrong_revoked_and_expired() {
        let t = new_token([1; 8], [2; 32]);
        let mut r = record(KeyKind::BankAdmin, &t.token);
        assert_eq!(
            r.authenticate(&t.token, 200),
            Ok(Principal::BankAdmin("lotus-bank".into()))
        );
        let other = new_token([1; 8], [3; 32]);
        assert_eq!(r.authenticate(&other.token, 200), Err(KeyRefused::Unknown));
        r.expires_at = Some(300);
        assert!(r.authenticate(&t.token, 299).is_ok());
        assert_eq!(r.authenticate(&t.token, 300), Err(KeyRefused::Expired));
        r.expires_at = None;
        r.revoked_at = Some(10_000);
        assert_eq!(r.authenticate(&t.token, 200), Err(KeyRefused::Revoked), "at once");
        let p = record(KeyKind::PartnerReport, &t.token);
        assert_eq!(
            p.authenticate(&t.token, 0),
            Ok(Principal::PartnerReport("mathcamp".into()))
        );
        let r = record(KeyKind::BankReport, &t.token);
        assert_eq!(
            r.authenticate(&t.token, 0),
            Ok(Principal::BankReport("lotus-bank".into()))
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in KeyKind::ALL {
            assert_eq!(KeyKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).expect("serialises"), k.as_str());
        }
        assert_eq!(KeyKind::parse("operator"), None);
    }
}
