//! The click route redirects to the `products` table, which `edge/seed/demo.sql` seeds (the lead
//! path no longer writes it): Demo Bank's rows there are the built-in catalogue's products —
//! every one, with its English name and its page — and nothing else.

use std::collections::BTreeSet;
use std::path::Path;

use inflow_core::lead::catalogue;
use inflow_core::support::i18n::Lang;

/// `(id, name, url)` of each `('demo-bank', …)` row of the seed's products insert.
fn seeded(bank: &str) -> BTreeSet<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge/seed/demo.sql");
    let seed = std::fs::read_to_string(path).expect("seed");
    let start = seed.find("INSERT INTO products").expect("a products insert");
    let block = &seed[start..start + seed[start..].find(';').expect("end of the insert")];
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("('{bank}', ")))
        .map(|rest| {
            let fields: Vec<String> = rest
                .trim_end_matches([',', ')'])
                .split("', '")
                .map(|f| f.trim_matches('\'').replace("''", "'"))
                .collect();
            assert_eq!(fields.len(), 3, "{rest}");
            (fields[0].clone(), fields[1].clone(), fields[2].clone())
        })
        .collect()
}

#[test]
fn demo_bank_products_are_the_builtin_catalogue() {
    let want: BTreeSet<(String, String, String)> = catalogue::builtin()
        .products
        .iter()
        .map(|p| (p.id.clone(), p.name.get(Lang::En).to_string(), p.url.clone()))
        .collect();
    assert_eq!(seeded("demo-bank"), want);
}
