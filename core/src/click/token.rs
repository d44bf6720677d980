//! Click-out tokens: `/c/{token}` in every recommendation. A token binds lead, product, partner
//! and campaign to an expiry under an HMAC, so the edge can trust a click without a lookup and
//! nobody can mint one for a campaign or partner they like better.
//!
//! Layout before base64url: version (1 byte), expiry (u32 BE, unix seconds), four
//! length-prefixed strings, then the first 16 bytes of HMAC-SHA256 over everything before it.
//! 128 bits of tag is far beyond what an online forger can try.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::encoding;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
/// How long a recommendation's link stays valid.
pub const TTL_SECS: i64 = 7 * 24 * 3600;
/// Longer tokens are refused before decoding; a real one is about 130 characters.
pub const MAX_TOKEN_CHARS: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickClaims {
    pub lead_id: String,
    pub product_id: String,
    pub partner_id: String,
    pub campaign_id: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token we could have issued, or altered: the same answer for both, on purpose.
    Invalid,
    Expired,
}

/// The MAC over a payload, domain-separated so a token MAC can never double as another MAC
/// made with the same key.
fn keyed(key: &[u8], payload: &[u8]) -> Hmac<Sha256> {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(b"inflow-click-v1\0");
    m.update(payload);
    m
}

/// Fields longer than 255 bytes cannot be encoded; ids never are.
pub fn encode(key: &[u8], c: &ClickClaims) -> Option<String> {
    let mut payload = vec![VERSION];
    payload.extend_from_slice(&u32::try_from(c.expires_at).ok()?.to_be_bytes());
    for field in [&c.lead_id, &c.product_id, &c.partner_id, &c.campaign_id] {
        payload.push(u8::try_from(field.len()).ok()?);
        payload.extend_from_slice(field.as_bytes());
    }
    let tag = keyed(key, &payload).finalize().into_bytes();
    payload.extend_from_slice(&tag[..TAG_LEN]);
    Some(encoding::base64url(&payload))
}

pub fn decode(key: &[u8], token: &str, now: i64) -> Result<ClickClaims, TokenError> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(TokenError::Invalid);
    }
    let raw = encoding::unbase64url(token).ok_or(TokenError::Invalid)?;
    let split = raw.len().checked_sub(TAG_LEN).ok_or(TokenError::Invalid)?;
    let (payload, given) = raw.split_at(split);
    // Constant-time comparison of the truncated tag.
    keyed(key, payload)
        .verify_truncated_left(given)
        .map_err(|_| TokenError::Invalid)?;
    let claims = parse(payload).ok_or(TokenError::Invalid)?;
    if now > claims.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

fn parse(payload: &[u8]) -> Option<ClickClaims> {
    let (&version, rest) = payload.split_first()?;
    if version != VERSION || rest.len() < 4 {
        return None;
    }
    let (exp, mut rest) = rest.split_at(4);
    let expires_at = i64::from(u32::from_be_bytes(exp.try_into().ok()?));
    let mut fields = Vec::with_capacity(4);
    for _ in 0..4 {
        let (&len, tail) = rest.split_first()?;
        if tail.len() < usize::from(len) {
            return None;
        }
        let (field, tail) = tail.split_at(usize::from(len));
        fields.push(String::from_utf8(field.to_vec()).ok()?);
        rest = tail;
    }
    if !rest.is_empty() {
        return None;
    }
    let campaign_id = fields.pop()?;
    let partner_id = fields.pop()?;
    let product_id = fields.pop()?;
    let lead_id = fields.pop()?;
    Some(ClickClaims {
        lead_id,
        product_id,
        partner_id,
        campaign_id,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn claims() -> ClickClaims {
        ClickClaims {
            lead_id: "0b7e2c1a-4f5d-4e8b-9a6c-3d2f1e0a9b8c".into(),
            product_id: "td-12m".into(),
            partner_id: "edu-demo".into(),
            campaign_id: "cmp-demo-edu".into(),
            expires_at: 1_800_000_000,
        }
    }

    #[test]
    fn round_trips_and_refuses_forgery_and_expiry() {
        let t = encode(b"key", &claims()).expect("encodes");
        assert!(t.len() < 160, "compact: {} chars", t.len());
        assert_eq!(decode(b"key", &t, 1_700_000_000), Ok(claims()));
        assert_eq!(decode(b"key", &t, 1_800_000_001), Err(TokenError::Expired));
        assert_eq!(decode(b"other", &t, 1_700_000_000), Err(TokenError::Invalid));
        assert_eq!(decode(b"key", "", 0), Err(TokenError::Invalid));
        assert_eq!(decode(b"key", "not a token!", 0), Err(TokenError::Invalid));
        let mut forged = claims();
        forged.partner_id = "game-demo".into();
        let other = encode(b"attacker", &forged).expect("encodes");
        assert_eq!(decode(b"key", &other, 0), Err(TokenError::Invalid));
    }

    proptest! {
        #[test]
        fn any_altered_byte_is_refused(pos in 0usize..200, bit in 0u8..8) {
            let t = encode(b"key", &claims()).expect("encodes");
            let mut raw = encoding::unbase64url(&t).expect("decodes");
            let i = pos % raw.len();
            raw[i] ^= 1 << bit;
            let altered = encoding::base64url(&raw);
            prop_assert_eq!(decode(b"key", &altered, 0), Err(TokenError::Invalid));
        }

        #[test]
        fn garbage_never_panics(text in "[A-Za-z0-9_-]{0,200}") {
            let _ = decode(b"key", &text, 0);
        }

        #[test]
        fn round_trips_any_ids(
            lead in "[a-z0-9-]{1,40}", product in "[a-z0-9-]{1,40}",
            partner in "[a-z0-9-]{1,40}", campaign in "[a-z0-9-]{1,40}",
            exp in 0i64..4_000_000_000,
        ) {
            let c = ClickClaims { lead_id: lead, product_id: product, partner_id: partner,
                campaign_id: campaign, expires_at: exp };
            let t = encode(b"k", &c).expect("encodes");
            prop_assert_eq!(decode(b"k", &t, exp), Ok(c));
        }
    }
}
