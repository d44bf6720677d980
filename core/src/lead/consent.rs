//! Consent before contact: the visitor agrees to a versioned text, and only then may give a
//! phone number or an e-mail address, which the edge keeps only as a keyed hash.

use serde::{Deserialize, Serialize};

use crate::support::i18n::Text;

/// Demo Bank's consent version, as `edge/seed/demo.sql` seeds it with [`CONSENT_TEXT`]: the
/// edge asks for the consent of a lead's offer (`lead::offer`), which is data; these two stay
/// as the demo tenant's reference (the seed is checked against them) and for tests.
pub const CONSENT_VERSION: &str = "contact-2026-11";

/// Why a consent record's version is refused: it is not the offer's (`Offer::check_consent`).
pub const UNKNOWN_VERSION: &str = "consent was given to a text version this edge does not know";

pub const CONSENT_TEXT: Text = Text::new(
    "我同意示范银行就上述产品通过电话或电子邮件联系我。我的联系方式仅用于此目的，我可以随时要求删除。",
    "我同意示範銀行就上述產品通過電話或電子郵件聯繫我。我的聯繫方式僅用於此目的，我可以隨時要求刪除。",
    "I agree that Demo Bank may contact me by phone or e-mail about these products. My contact \
     details are used for nothing else, and I can ask for them to be deleted at any time.",
);

/// What the visitor agreed to and when (the browser's clock, as RFC 3339; the edge adds its
/// own time), with the contact they chose to give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub version: String,
    pub accepted_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    /// A mainland China mobile number, 11 digits starting 1[3-9].
    Phone(String),
    /// Lower-cased.
    Email(String),
}

impl Contact {
    /// Accepts `138 0013 8000`, `+86 13800138000`, `138-0013-8000` or an e-mail address, typed
    /// in ASCII or in the full-width forms Chinese input methods produce
    /// (`＋８６ １３８－００１３－８０００`, see [`fold_width`]), and normalises it so the same
    /// person always hashes the same way. The widget and the edge both decide with this.
    pub fn parse(input: &str) -> Option<Contact> {
        let folded = fold_width(input);
        // Byte-wise on purpose: once folded, both forms are ASCII, and the widget's wasm then
        // carries no substring search.
        let s = folded.trim();
        if s.bytes().any(|b| b == b'@') {
            return parse_email(s).map(Contact::Email);
        }
        let digits: Vec<u8> = s.bytes().filter(|b| !matches!(b, b' ' | b'-' | b'(' | b')')).collect();
        let digits = digits.strip_prefix(b"+86").unwrap_or(&digits);
        let ok = digits.len() == 11
            && digits.iter().all(u8::is_ascii_digit)
            && digits[0] == b'1'
            && matches!(digits[1], b'3'..=b'9');
        ok.then(|| Contact::Phone(digits.iter().map(|&b| char::from(b)).collect()))
    }

    /// The keyed hash the edge stores instead of the contact: the bank, holding the key, can
    /// match a number it is given; a leaked database reveals nothing.
    pub fn keyed_hash(&self, key: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        m.update(b"inflow-contact-v1\0");
        m.update(self.canonical().as_bytes());
        crate::support::encoding::hex(&m.finalize().into_bytes())
    }

    /// The normalised form that is hashed.
    pub fn canonical(&self) -> String {
        match self {
            Contact::Phone(p) => format!("tel:+86{p}"),
            Contact::Email(e) => format!("mailto:{e}"),
        }
    }
}

/// NFKC's width folding, for the characters a contact is made of: the full-width forms
/// U+FF01–U+FF5E (`０-９`, `Ａ-Ｚ`, `ａ-ｚ`, `＋`, `－`, `（`, `）`, `＠`, `．` …) become their ASCII
/// counterparts, and the spaces NFKC maps to U+0020 — the ideographic space U+3000, the
/// no-break spaces U+00A0 and U+202F (what a number pasted from a web page or a spreadsheet
/// carries), U+2000–U+200A and U+205F — a space; everything else is kept as it is.
///
/// One step beyond NFKC: the ideographic full stop `。` (U+3002, and its half-width form U+FF61)
/// becomes `.`, because Chinese input methods type it for the dot in `name@qq。com`.
///
/// Hand-written rather than a Unicode normalisation crate: this runs in the widget's wasm, where
/// full NFKC tables would cost visitors tens of kilobytes, and for ASCII targets NFKC is exactly
/// this offset (a test folds every ASCII character's full-width form back).
pub fn fold_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
            '\u{3002}' | '\u{FF61}' => '.',
            _ => c,
        })
        .collect()
}

fn parse_email(s: &str) -> Option<String> {
    let at = s.bytes().position(|b| b == b'@')?;
    let (local, domain) = (&s.as_bytes()[..at], &s.as_bytes()[at + 1..]);
    let valid_local = !local.is_empty()
        && local.len() <= 64
        && local.iter().all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(b));
    let valid_domain = domain.len() <= 253
        && domain.contains(&b'.')
        && domain
            .split(|&b| b == b'.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'));
    (valid_local && valid_domain).then(|| s.to_ascii_lowercase())
}

impl ConsentRecord {
    /// Checks a record as the edge receives it — its time and its contact; its version is the
    /// offer's to check (`Offer::check_consent`). The reason is for the visitor's developer.
    pub fn check(&self) -> Result<Option<Contact>, &'static str> {
        if self.version.is_empty() {
            return Err(UNKNOWN_VERSION);
        }
        if crate::support::time::parse_rfc3339(&self.accepted_at).is_none() {
            return Err("consent time must be RFC 3339");
        }
        match &self.contact {
            None => Ok(None),
            Some(c) => Contact::parse(c)
                .map(Some)
                .ok_or("contact must be a mobile number or an e-mail address"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_phones_and_emails() {
        let p = |s| Contact::parse(s).map(|c| c.canonical());
        assert_eq!(p("138 0013 8000"), Some("tel:+8613800138000".into()));
        assert_eq!(p("+86 138-0013-8000"), Some("tel:+8613800138000".into()));
        assert_eq!(p("Li.Wei@Example.COM"), Some("mailto:li.wei@example.com".into()));
        for bad in [
            "12800138000",
            "1380013800",
            "phone",
            "a@b",
            "<script>@x.com",
            "a@@b.com",
            "",
        ] {
            assert_eq!(Contact::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn full_width_input_is_folded() {
        let p = |s| Contact::parse(s).map(|c| c.canonical());
        assert_eq!(p("１３８００１３８０００"), Some("tel:+8613800138000".into()));
        assert_eq!(
            p("＋８６　１３８－００１３－８０００"),
            Some("tel:+8613800138000".into())
        );
        assert_eq!(
            p("＋８６ １３８－００１３－８０００"),
            Some("tel:+8613800138000".into())
        );
        assert_eq!(p("（１３８）００１３８０００"), Some("tel:+8613800138000".into()));
        assert_eq!(
            p("Ｌｉ．Ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            Some("mailto:li.wei@example.com".into())
        );
        assert_eq!(fold_width("ａ\u{3000}Ｚ！～"), "a Z!~");
        assert_eq!(fold_width("中文"), "中文");
    }

    #[test]
    fn pasted_spaces_and_ideographic_full_stops_are_folded() {
        let p = |s: &str| Contact::parse(s).map(|c| c.canonical());
        // A number pasted from a web page or a spreadsheet: no-break and thin spaces.
        for space in ['\u{00A0}', '\u{202F}', '\u{2009}', '\u{2000}', '\u{200A}', '\u{205F}'] {
            let pasted = format!("138{space}0013{space}8000");
            assert_eq!(p(&pasted), Some("tel:+8613800138000".into()), "{:?}", space);
        }
        // An e-mail typed with a Chinese input method.
        assert_eq!(p("li.wei@qq。com"), Some("mailto:li.wei@qq.com".into()));
        assert_eq!(p("li.wei@qq\u{FF61}com"), Some("mailto:li.wei@qq.com".into()));
        // Other punctuation is not turned into a dot or a space.
        assert_eq!(fold_width("、·\u{200B}"), "、·\u{200B}");
    }

    /// Every ASCII character's full-width form, as NFKC maps it.
    fn widen(c: char) -> char {
        match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        }
    }

    #[test]
    fn every_full_width_form_folds_back() {
        for c in ' '..='~' {
            assert_eq!(fold_width(&widen(c).to_string()), c.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn full_width_and_ascii_forms_parse_the_same(
            s in "(\\+86)?[ ()-]?1[0-9 ()-]{10,14}|[a-zA-Z0-9._%+-]{1,12}@[a-zA-Z0-9-]{1,10}\\.[a-zA-Z]{2,4}|.{0,20}",
            mask in proptest::collection::vec(proptest::bool::ANY, 40),
        ) {
            let wide: String = s.chars().zip(mask.iter().cycle()).map(|(c, w)| if *w { widen(c) } else { c }).collect();
            proptest::prop_assert_eq!(Contact::parse(&wide), Contact::parse(&s));
        }
    }

    #[test]
    fn the_same_person_hashes_the_same_under_one_key_only() {
        let a = Contact::parse("138 0013 8000").map(|c| c.keyed_hash(b"k1"));
        assert_eq!(a, Contact::parse("+8613800138000").map(|c| c.keyed_hash(b"k1")));
        assert_ne!(a, Contact::parse("13800138000").map(|c| c.keyed_hash(b"k2")));
        assert_eq!(a.map(|h| h.len()), Some(64));
    }

    #[test]
    fn checks_version_time_and_contact() {
        let ok = ConsentRecord {
            version: CONSENT_VERSION.into(),
            accepted_at: "2026-11-25T01:02:03Z".into(),
            contact: Some("13800138000".into()),
        };
        assert!(matches!(ok.check(), Ok(Some(Contact::Phone(_)))));
        let none = ConsentRecord {
            version: String::new(),
            ..ok.clone()
        };
        assert!(none.check().is_err());
        let bad_time = ConsentRecord {
            accepted_at: "yesterday".into(),
            ..ok.clone()
        };
        assert!(bad_time.check().is_err());
        let bad_contact = ConsentRecord {
            contact: Some("x".into()),
            ..ok
        };
        assert!(bad_contact.check().is_err());
    }
}
