//! Hex, unpadded base64url and padded standard base64 (RFC 4648 §4, the Standard Webhooks
//! encoding of secrets and signatures): the text encodings of signatures and tokens.
//! Hand-written because each is a dozen lines and both WebAssembly builds pay for every
//! dependency.

const HEX: &[u8; 16] = b"0123456789abcdef";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// Lower- or upper-case hex; `None` for odd length or any other character.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

pub fn base64url(bytes: &[u8]) -> String {
    encode(bytes, B64)
}

/// Standard base64 with `=` padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = encode(bytes, B64_STD);
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

/// Standard base64, padded or not (Standard Webhooks secrets are written both ways); `None`
/// for any other character or non-canonical trailing bits.
pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    let unpadded = text
        .strip_suffix("==")
        .or_else(|| text.strip_suffix('='))
        .unwrap_or(text);
    if unpadded.len() != text.len() && !text.len().is_multiple_of(4) {
        return None;
    }
    decode(unpadded, B64_STD)
}

fn encode(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[(n >> (18 - 6 * i) & 0x3f) as usize]));
        }
    }
    out
}

/// Unpadded base64url only; `None` for anything else, including non-canonical trailing bits,
/// so one token has exactly one spelling.
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    decode(text, B64)
}

fn decode(text: &str, alphabet: &[u8; 64]) -> Option<Vec<u8>> {
    let value = |c: u8| alphabet.iter().position(|&b| b == c).map(|p| p as u32);
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
        let unused_bits = n & ((1u32 << (24 - 8 * produced)) - 1);
        if unused_bits != 0 {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_vectors() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(unhex("00ABff"), Some(vec![0x00, 0xab, 0xff]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(unbase64url("Zm8"), Some(b"fo".to_vec()));
        assert_eq!(unbase64url("Zm9"), None, "non-canonical trailing bits");
        assert_eq!(unbase64url("Zm8="), None, "padding is not accepted");
        assert_eq!(unbase64url("Z"), None);
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(unbase64("+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(unbase64("+/8"), Some(vec![0xfb, 0xff]), "padding may be left out");
        assert_eq!(unbase64("Zm8=="), None);
        assert_eq!(unbase64("-_8="), None, "base64url is not standard base64");
    }

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(unhex(&hex(&bytes)), Some(bytes.clone()));
            prop_assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes.clone()));
            prop_assert_eq!(unbase64(&base64(&bytes)), Some(bytes));
        }

        #[test]
        fn decoding_never_panics(text in "\\PC{0,80}") {
            let _ = unbase64url(&text);
            let _ = unbase64(&text);
            let _ = unhex(&text);
        }
    }
}
