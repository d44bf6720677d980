//! `edge/seed/demo.sql` gives Demo Bank as data — its record (names, brand colour, consent) and
//! its catalogue (each product's name and page, which clicks read, and its full terms, `spec`,
//! which leads are decided against) — and these are exactly the built-in catalogue
//! (`core/catalogue/demo-bank.json`) and the consent core keeps as Demo Bank's reference.

use std::path::Path;

use inflow_core::lead::catalogue::{self, Product};
use inflow_core::lead::consent::{CONSENT_TEXT, CONSENT_VERSION};
use inflow_core::support::i18n::{Lang, Localized};
use inflow_core::tenant::Consent;

fn seed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge/seed/demo.sql");
    std::fs::read_to_string(path).expect("seed")
}

/// The SQL string literal that starts `text` (`'…'`, `''` for a quote), and what follows it.
fn literal(text: &str) -> (String, &str) {
    let body = text.strip_prefix('\'').expect("a string literal");
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|(_, c)| *c) == Some('\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return (out, &body[i + 1..]);
        }
        out.push(c);
    }
    panic!("unterminated literal");
}

/// The string literals of each `(…)` tuple of `bank`'s rows in the seed's products insert.
fn product_rows(seed: &str, bank: &str) -> Vec<Vec<String>> {
    let start = seed.find("INSERT INTO products").expect("a products insert");
    let mut rest = &seed[start..start + seed[start..].find("ON CONFLICT").expect("end of the rows")];
    let mut rows = Vec::new();
    let opening = format!("('{bank}', ");
    while let Some(at) = rest.find(&opening) {
        rest = &rest[at + 1..];
        let mut fields = Vec::new();
        loop {
            let (value, after) = literal(rest.trim_start());
            fields.push(value);
            let after = after.trim_start();
            match after.strip_prefix(',') {
                Some(more) if more.trim_start().starts_with('\'') => rest = more,
                _ => {
                    rest = after;
                    break;
                }
            }
        }
        rows.push(fields);
    }
    rows
}

/// The literal assigned to `column` in the seed's `UPDATE banks SET` for Demo Bank.
fn bank_column(seed: &str, column: &str) -> String {
    let update = &seed[seed.find("UPDATE banks SET").expect("Demo Bank's record")..];
    let update = &update[..update.find("WHERE id = 'demo-bank'").expect("for Demo Bank")];
    let at = update.find(&format!("{column} = '")).expect(column);
    literal(&update[at + column.len() + 3..]).0
}

#[test]
fn demo_bank_products_are_the_builtin_catalogue() {
    let rows = product_rows(&seed(), "demo-bank");
    let demo = catalogue::builtin();
    assert_eq!(rows.len(), demo.products.len(), "{rows:?}");
    for (row, want) in rows.iter().zip(&demo.products) {
        let [bank, id, name, url, spec] = &row[..] else {
            panic!("(bank, id, name, url, spec): {row:?}");
        };
        assert_eq!(bank, "demo-bank");
        let spec: Product = serde_json::from_str(spec).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&spec, want);
        assert_eq!((id, name.as_str(), url), (&want.id, want.name.get(Lang::En), &want.url));
    }
}

#[test]
fn demo_bank_record_is_the_builtin_name_the_widgets_colour_and_the_reference_consent() {
    let seed = seed();
    let names: Localized = serde_json::from_str(&bank_column(&seed, "names")).expect("names");
    assert_eq!(names, catalogue::builtin().name);
    assert_eq!(bank_column(&seed, "brand_color"), "#0b6e4f");
    let consent: Consent = serde_json::from_str(&bank_column(&seed, "consent")).expect("consent");
    assert_eq!(consent.version, CONSENT_VERSION);
    for lang in Lang::ALL {
        assert_eq!(consent.text().get(lang), CONSENT_TEXT.get(lang), "{lang:?}");
    }
}

/// Demo Bank's contact key is the same in the seed and its tenant file (`tests/tests/onboarding.rs`
/// checks the file against the seeded D1), and it is the public half of the demo-only private
/// key committed beside the file, so `inflow bank open` opens the demo's leads.
#[cfg(feature = "seal")]
#[test]
fn demo_bank_contact_key_is_the_public_half_of_the_committed_demo_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let private = std::fs::read_to_string(root.join("tenants/demo-bank.contact-key")).expect("the demo key");
    let private = private
        .lines()
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .expect("a key line");
    let public = inflow_core::lead::seal::public_of(private).expect("a private key");
    assert_eq!(bank_column(&seed(), "contact_key"), public);
    let file = std::fs::read_to_string(root.join("tenants/demo-bank.toml")).expect("the tenant file");
    assert!(
        file.contains(&format!("contact_key = \"{public}\"")),
        "tenants/demo-bank.toml"
    );
}
