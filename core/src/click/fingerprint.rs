//! A keyed hash of the visitor's IP address and user agent: enough to count bursts of clicks
//! from one client, useless for finding out who the client was without the key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::encoding;

pub fn client_hash(key: &[u8], ip: &str, user_agent: &str) -> String {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    // Length-prefix the IP so ("1.2.3.4", "5x") and ("1.2.3.45", "x") differ.
    m.update(b"inflow-client-v1\0");
    m.update(&(ip.len() as u64).to_be_bytes());
    m.update(ip.as_bytes());
    m.update(user_agent.as_bytes());
    encoding::hex(&m.finalize().into_bytes()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_and_unambiguous() {
        let a = client_hash(b"k", "1.2.3.4", "5x");
        assert_eq!(a.len(), 32);
        assert_eq!(a, client_hash(b"k", "1.2.3.4", "5x"));
        assert_ne!(a, client_hash(b"k", "1.2.3.45", "x"));
        assert_ne!(a, client_hash(b"other", "1.2.3.4", "5x"));
    }
}
