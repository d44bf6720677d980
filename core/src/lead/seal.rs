//! The sealed contact (issue 14, item 1): a consenting visitor's contact, sealed by the edge to
//! each bank's public key so only that bank can read it; inflow keeps the ciphertext and the
//! keyed hash ([`super::consent::Contact::keyed_hash`]), never the contact.
//!
//! HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
//! ChaCha20-Poly1305, through the `hpke` crate. The HPKE `info` names the bank and the lead
//! ([`info`]), so a ciphertext moved to another lead or another bank does not open; the
//! plaintext repeats the lead id and [`open`] checks it too.
//!
//! Wire forms: keys are unpadded base64url of their 32 bytes; a sealed contact is unpadded
//! base64url of the encapsulated key (32 bytes) followed by the ciphertext. A key's id
//! ([`key_id`]) is the hex of the first 8 bytes of SHA-256 of the public key, so a bank with
//! several keys knows which private key opens a lead.

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::support::encoding::{base64url, hex, unbase64url};
use crate::tenant::contact_key_bytes;

pub use hpke::rand_core::CryptoRng;

type Kem = X25519HkdfSha256;

/// Length of a key and of the encapsulated key, in bytes.
const KEY_BYTES: usize = 32;

/// What is sealed for a bank: the lead it belongs to, the contact as the visitor typed it
/// (normalised by `Contact::parse`'s rules on the edge) and the consent it was given under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    pub lead_id: String,
    /// `tel:+86…` or `mailto:…` (`Contact::canonical`).
    pub contact: String,
    /// The consent version the visitor agreed to (the offer's, banks' versions joined by "+").
    pub consent_version: String,
    /// When the visitor agreed, by their clock (RFC 3339).
    pub consent_at: String,
}

/// A contact sealed to one bank's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// [`key_id`] of the key it was sealed to.
    pub key_id: String,
    /// base64url(encapsulated key ‖ ciphertext).
    pub sealed: String,
}

/// A key pair from [`keygen`], each half as unpadded base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// The private key: the bank keeps it to itself.
    pub private: String,
    /// The public key: the tenant file's `[bank] contact_key`.
    pub public: String,
}

/// Why a contact was not sealed or not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The public key is not 32 bytes of unpadded base64url (see `tenant::contact_key_bytes`),
    /// or HPKE refused it (a low-order point).
    BadPublicKey,
    /// The private key is not 32 bytes of unpadded base64url.
    BadPrivateKey,
    /// The sealed text is not base64url or is too short to hold an encapsulated key.
    Malformed,
    /// It does not open with this key for this bank and lead: sealed to another key, moved
    /// from another lead or bank, or altered.
    DoesNotOpen,
    /// It opened, but for another lead than the one it is filed under.
    OtherLead,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SealError::BadPublicKey => "the public key is not 32 bytes of base64url X25519",
            SealError::BadPrivateKey => "the private key is not 32 bytes of base64url X25519",
            SealError::Malformed => "the sealed contact is not base64url of an HPKE ciphertext",
            SealError::DoesNotOpen => {
                "it does not open with this key: sealed to another key, for another lead or bank, or altered"
            }
            SealError::OtherLead => "it opened but names another lead",
        })
    }
}

impl std::error::Error for SealError {}

/// The HPKE `info`: a label, the bank and the lead, NUL-separated (ids never hold NUL).
pub fn info(bank_id: &str, lead_id: &str) -> Vec<u8> {
    [b"inflow-contact-v1".as_slice(), bank_id.as_bytes(), lead_id.as_bytes()].join(&0u8)
}

/// The id of a public key (base64url): hex of the first 8 bytes of its SHA-256.
///
/// # Errors
/// [`SealError::BadPublicKey`] when it is not a key.
pub fn key_id(public_key: &str) -> Result<String, SealError> {
    let bytes = contact_key_bytes(public_key).map_err(|_| SealError::BadPublicKey)?;
    Ok(hex(&Sha256::digest(bytes)[..8]))
}

/// A new key pair from `rng`.
pub fn keygen(rng: &mut impl CryptoRng) -> KeyPair {
    let (private, public) = Kem::gen_keypair_with_rng(rng);
    KeyPair {
        private: base64url(&private.to_bytes()),
        public: base64url(&public.to_bytes()),
    }
}

/// The public key of a private key (both base64url).
///
/// # Errors
/// [`SealError::BadPrivateKey`].
pub fn public_of(private_key: &str) -> Result<String, SealError> {
    let private = private_from(private_key)?;
    Ok(base64url(&Kem::sk_to_pk(&private).to_bytes()))
}

/// Seals `record` for bank `bank_id` to its `public_key` (base64url), with a fresh
/// encapsulation from `rng`.
///
/// # Errors
/// [`SealError::BadPublicKey`] for a key that is not one or that HPKE refuses.
pub fn seal(
    public_key: &str,
    bank_id: &str,
    record: &ContactRecord,
    rng: &mut impl CryptoRng,
) -> Result<Sealed, SealError> {
    let bytes = contact_key_bytes(public_key).map_err(|_| SealError::BadPublicKey)?;
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes).map_err(|_| SealError::BadPublicKey)?;
    let plaintext = serde_json::to_vec(record).unwrap_or_else(|_| unreachable!("strings serialise"));
    let (encapped, ciphertext) = hpke::single_shot_seal_with_rng::<ChaCha20Poly1305, HkdfSha256, Kem>(
        &OpModeS::Base,
        &public,
        &info(bank_id, &record.lead_id),
        &plaintext,
        b"",
        rng,
    )
    .map_err(|_| SealError::BadPublicKey)?;
    let mut out = encapped.to_bytes().to_vec();
    out.extend_from_slice(&ciphertext);
    Ok(Sealed {
        key_id: key_id(public_key)?,
        sealed: base64url(&out),
    })
}

/// Opens what [`seal`] made for bank `bank_id` and lead `lead_id` with the bank's
/// `private_key` (base64url).
///
/// # Errors
/// [`SealError::BadPrivateKey`], [`SealError::Malformed`], [`SealError::DoesNotOpen`] (another
/// key, lead or bank, or tampered) and [`SealError::OtherLead`].
pub fn open(private_key: &str, bank_id: &str, lead_id: &str, sealed: &str) -> Result<ContactRecord, SealError> {
    let private = private_from(private_key)?;
    let bytes = unbase64url(sealed).ok_or(SealError::Malformed)?;
    if bytes.len() <= KEY_BYTES {
        return Err(SealError::Malformed);
    }
    let (encapped, ciphertext) = bytes.split_at(KEY_BYTES);
    let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped).map_err(|_| SealError::Malformed)?;
    let plaintext = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
        &OpModeR::Base,
        &private,
        &encapped,
        &info(bank_id, lead_id),
        ciphertext,
        b"",
    )
    .map_err(|_| SealError::DoesNotOpen)?;
    let record: ContactRecord = serde_json::from_slice(&plaintext).map_err(|_| SealError::Malformed)?;
    if record.lead_id != lead_id {
        return Err(SealError::OtherLead);
    }
    Ok(record)
}

fn private_from(private_key: &str) -> Result<<Kem as hpke::Kem>::PrivateKey, SealError> {
    let bytes = unbase64url(private_key.trim())
        .filter(|b| b.len() == KEY_BYTES)
        .ok_or(SealError::BadPrivateKey)?;
    <Kem as hpke::Kem>::PrivateKey::from_bytes(&bytes).map_err(|_| SealError::BadPrivateKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stand-in for the OS generator: the tests need different draws, not
    /// secrecy.
    struct Counter(u64);

    impl hpke::rand_core::TryRng for Counter {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            let mut b = [0; 4];
            self.try_fill_bytes(&mut b)?;
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            let mut b = [0; 8];
            self.try_fill_bytes(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for chunk in dst.chunks_mut(32) {
                self.0 += 1;
                let block = Sha256::digest(self.0.to_le_bytes());
                chunk.copy_from_slice(&block[..chunk.len()]);
            }
            Ok(())
        }
    }
    impl hpke::rand_core::TryCryptoRng for Counter {}

    fn record(lead: &str) -> ContactRecord {
        ContactRecord {
            lead_id: lead.into(),
            contact: "tel:+8613800138000".into(),
            consent_version: "contact-2026-11".into(),
            consent_at: "2026-11-30T10:00:00Z".into(),
        }
    }

    #[test]
    fn round_trip() {
        let mut rng = Counter(1);
        let keys = keygen(&mut rng);
        assert_eq!(public_of(&keys.private).expect("a private key"), keys.public);
        let sealed = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        assert_eq!(sealed.key_id, key_id(&keys.public).expect("a public key"));
        assert_eq!(sealed.key_id.len(), 16);
        assert!(!sealed.sealed.contains("13800138000"));
        let opened = open(&keys.private, "demo-bank", "lead-1", &sealed.sealed).expect("opens");
        assert_eq!(opened, record("lead-1"));
    }

    #[test]
    fn each_seal_differs() {
        let mut rng = Counter(2);
        let keys = keygen(&mut rng);
        let a = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        let b = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        assert_ne!(a.sealed, b.sealed);
    }

    #[test]
    fn wrong_key_does_not_open() {
        let mut rng = Counter(3);
        let keys = keygen(&mut rng);
        let other = keygen(&mut rng);
        let sealed = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        assert_eq!(
            open(&other.private, "demo-bank", "lead-1", &sealed.sealed),
            Err(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn moved_to_another_lead_or_bank_does_not_open() {
        let mut rng = Counter(4);
        let keys = keygen(&mut rng);
        let sealed = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        assert_eq!(
            open(&keys.private, "demo-bank", "lead-2", &sealed.sealed),
            Err(SealError::DoesNotOpen)
        );
        assert_eq!(
            open(&keys.private, "harbor-bank", "lead-1", &sealed.sealed),
            Err(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn tampered_does_not_open() {
        let mut rng = Counter(5);
        let keys = keygen(&mut rng);
        let sealed = seal(&keys.public, "demo-bank", &record("lead-1"), &mut rng).expect("seals");
        let mut bytes = unbase64url(&sealed.sealed).expect("base64url");
        for i in [0, KEY_BYTES, bytes.len() - 1] {
            let mut t = bytes.clone();
            t[i] ^= 1;
            assert_eq!(
                open(&keys.private, "demo-bank", "lead-1", &base64url(&t)),
                Err(SealError::DoesNotOpen),
                "byte {i} flipped"
            );
        }
        bytes.truncate(KEY_BYTES);
        assert_eq!(
            open(&keys.private, "demo-bank", "lead-1", &base64url(&bytes)),
            Err(SealError::Malformed)
        );
        assert_eq!(
            open(&keys.private, "demo-bank", "lead-1", "not base64!"),
            Err(SealError::Malformed)
        );
    }

    #[test]
    fn bad_keys_are_refused() {
        let mut rng = Counter(6);
        assert_eq!(
            seal("AAAA", "demo-bank", &record("lead-1"), &mut rng),
            Err(SealError::BadPublicKey)
        );
        assert_eq!(
            open("AAAA", "demo-bank", "lead-1", "AAAA"),
            Err(SealError::BadPrivateKey)
        );
    }
}
