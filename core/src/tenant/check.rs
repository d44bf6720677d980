//! The shapes of a tenant file's strings: ids, web origins, product URLs.
//!
//! Hand-written rather than the `url` crate: core is linked into the widget's wasm (≤ 100 KB
//! gzip), and what is needed here is the narrow, canonical form a browser sends in `Origin`,
//! not a general URL parser with IDNA tables.

/// The one shape of every id in a tenant file (bank, product, partner, campaign, consent
/// version): `^[a-z0-9][a-z0-9-]{0,62}$`.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,62}$";

/// Whether `id` matches [`ID_PATTERN`].
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (1..=63).contains(&b.len()) && ok(&b[0]) && b[1..].iter().all(|c| ok(c) || *c == b'-')
}

/// Checks a web origin exactly as a browser serialises it in the `Origin` header, so that a
/// registered origin can match one byte for byte: `https://host` or `https://host:port`;
/// `http` only for `localhost` and `127.0.0.1`; host in lower case, ASCII (an internationalised
/// name in its `xn--` form), dot-separated labels of `a-z 0-9 -`; a port only when it is not
/// the scheme's default (browsers leave 443 and 80 out); no user, path, query or fragment — not
/// even a trailing `/`.
///
/// # Errors
/// The first rule `origin` breaks, as a sentence.
pub fn check_origin(origin: &str) -> Result<(), &'static str> {
    let (scheme, rest) = origin
        .split_once("://")
        .ok_or("an origin is scheme://host, e.g. https://partner.example")?;
    if rest.contains(['/', '?', '#']) {
        return Err("an origin has no path, query or fragment (not even a trailing /)");
    }
    if rest.contains('@') {
        return Err("an origin has no user name or password");
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    check_host(host)?;
    let default_port = match scheme {
        "https" => 443,
        "http" if matches!(host, "localhost" | "127.0.0.1") => 80,
        "http" => return Err("http is allowed only for localhost and 127.0.0.1; use https"),
        _ if scheme.bytes().any(|b| b.is_ascii_uppercase()) => return Err("the scheme is lower-case"),
        _ => return Err("the scheme is https (http only for localhost)"),
    };
    if let Some(p) = port {
        let n: u32 = p.parse().map_err(|_| "the port is a number 1–65535")?;
        if p.starts_with('0') || !(1..=65_535).contains(&n) {
            return Err("the port is a number 1–65535 without leading zeros");
        }
        if n == default_port {
            return Err("leave out the scheme's default port (browsers send none)");
        }
    }
    Ok(())
}

fn check_host(host: &str) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("an origin names a host");
    }
    if host.starts_with('[') {
        return Err("IPv6 literal hosts are not supported; use a name");
    }
    if !host.is_ascii() {
        return Err("an internationalised host is written in its xn-- (punycode) form");
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("the host is lower-case, as browsers send it");
    }
    if host.len() > 253 {
        return Err("the host is at most 253 characters");
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !host.split('.').all(label_ok) {
        return Err("the host is dot-separated labels of a-z, 0-9 and inner hyphens");
    }
    Ok(())
}

/// Checks a product's landing URL: a valid origin ([`check_origin`]) followed by nothing or by
/// a path, query or fragment starting with `/`, `?` or `#`, with no spaces or control
/// characters, at most 2048 bytes.
///
/// # Errors
/// The first rule `url` breaks, as a sentence.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    if url.len() > 2048 {
        return Err("url is at most 2048 bytes");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("url has no spaces or control characters");
    }
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    check_origin(&url[..end])
}

/// Whether `color` is `#rrggbb` in lower-case hex.
pub fn is_brand_color(color: &str) -> bool {
    let b = color.as_bytes();
    b.len() == 7 && b[0] == b'#' && b[1..].iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

/// The 32 bytes of a bank's contact key (`[bank] contact_key`): an X25519 public key as
/// unpadded base64url (what `inflow bank keygen` prints). The contact is sealed to it
/// (`lead::seal`, HPKE).
///
/// # Errors
/// A sentence saying what is wrong: not base64url, not 32 bytes, or all zero (no key).
pub fn contact_key_bytes(key: &str) -> Result<[u8; 32], &'static str> {
    let bytes = crate::support::encoding::unbase64url(key)
        .ok_or("contact_key is not unpadded base64url (as `inflow bank keygen` prints it)")?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "contact_key is not 32 bytes (an X25519 public key)")?;
    if bytes == [0; 32] {
        return Err("contact_key is all zero, not a public key");
    }
    Ok(bytes)
}

/// Whether `code` is an ISO 4217 code of a currency a bank keeps money in: listed (the
/// `iso_currency` crate's table), with minor units, and not a fund (`CLF`), a special code
/// (`XAU`, `XDR`, `XTS`, `XXX`) or superseded by another (`VES`).
pub(crate) fn is_currency(code: &str) -> bool {
    iso_currency::Currency::from_code(code)
        .is_some_and(|c| c.exponent().is_some() && !c.is_fund() && !c.is_special() && c.is_superseded().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_keys() {
        let key = crate::support::encoding::base64url(&[7; 32]);
        assert_eq!(contact_key_bytes(&key), Ok([7; 32]));
        assert!(contact_key_bytes(&crate::support::encoding::base64url(&[0; 32])).is_err());
        assert!(contact_key_bytes(&crate::support::encoding::base64url(&[7; 31])).is_err());
        assert!(contact_key_bytes(&format!("{key}=")).is_err());
        assert!(contact_key_bytes("").is_err());
    }

    #[test]
    fn ids() {
        for ok in ["a", "0", "lotus-bank", "td-3m", "a-", &"x".repeat(63)] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "-a", "A", "lotus_bank", "lotus bank", "é", &"x".repeat(64)] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn origins_as_browsers_send_them() {
        for ok in [
            "https://mathcamp.example",
            "https://www.mathcamp.example:8443",
            "http://localhost:8787",
            "http://127.0.0.1",
            "https://xn--fiqs8s.example",
            "https://192.168.0.10",
        ] {
            assert_eq!(check_origin(ok), Ok(()), "{ok}");
        }
        for bad in [
            "mathcamp.example",
            "https://mathcamp.example/",
            "https://mathcamp.example/path",
            "https://mathcamp.example?q",
            "https://mathcamp.example#f",
            "http://mathcamp.example",
            "ftp://mathcamp.example",
            "HTTPS://mathcamp.example",
            "https://MathCamp.example",
            "https://数学.example",
            "https://mathcamp.example:443",
            "http://localhost:80",
            "https://mathcamp.example:0",
            "https://mathcamp.example:65536",
            "https://mathcamp.example:08443",
            "https://mathcamp.example:",
            "https://",
            "https://-bad.example",
            "https://a..example",
            "https://user@mathcamp.example",
            "https://[::1]",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(check_url("https://lotus.example/demand"), Ok(()));
        assert_eq!(check_url("https://lotus.example"), Ok(()));
        assert_eq!(check_url("https://lotus.example?p=1#x"), Ok(()));
        assert_eq!(check_url("http://localhost:8787/p"), Ok(()));
        assert!(check_url("http://lotus.example/demand").is_err());
        assert!(check_url("https://lotus.example/a b").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("/relative").is_err());
    }

    #[test]
    fn colours_and_currencies() {
        assert!(is_brand_color("#7a1f5c"));
        assert!(!is_brand_color("#7A1F5C"));
        assert!(!is_brand_color("7a1f5c"));
        assert!(!is_brand_color("#7a1f5"));
        for code in ["CNY", "HKD", "USD", "EUR", "JPY"] {
            assert!(is_currency(code), "{code}");
        }
        for code in ["cny", "CNYY", "ZZZ", "XXX", "XTS", "XAU", "CLF", ""] {
            assert!(!is_currency(code), "{code}");
        }
    }
}
