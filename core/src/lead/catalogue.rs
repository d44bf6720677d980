//! A bank's products, as the suitability rules and the ranking see them. Catalogues are data:
//! a bank's products live in D1 (`products.spec`, written by the admin API or the seed) and a
//! lead is decided against those of its offer (`lead::offer`). The built-in one, Demo Bank's,
//! ships in `core/catalogue/demo-bank.json` as the demo's reference: `edge/seed/demo.sql` seeds
//! exactly it (a test keeps them equal), and core's tests and benches rank it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::lead::questionnaire::Answer;
use crate::support::i18n::Localized;
use crate::support::text::Lines;

/// Product risk R1 (principal-protected) … R5 (aggressive). Deposits are always R1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RiskLevel(pub u8);

impl RiskLevel {
    pub fn label(self) -> String {
        format!("R{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    DemandDeposit,
    TimeDeposit,
    LargeCd,
    StructuredDeposit,
    CashManagement,
    FixedIncome,
    Balanced,
    Equity,
}

impl ProductKind {
    pub fn is_deposit(self) -> bool {
        matches!(
            self,
            ProductKind::DemandDeposit
                | ProductKind::TimeDeposit
                | ProductKind::LargeCd
                | ProductKind::StructuredDeposit
        )
    }
}

/// A bonus the bank pays for quick action, e.g. +0.10 % if funded within 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incentive {
    pub bonus_bps: u32,
    pub within_days: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: Localized,
    pub kind: ProductKind,
    pub risk: RiskLevel,
    pub min_amount_cny: u64,
    /// 0 for products without a fixed term.
    pub term_months: u16,
    pub early_redemption: bool,
    /// Indicative annual yield in basis points.
    pub yield_bps: u32,
    pub qualified_only: bool,
    /// Region ids where the product is sold; empty means nationwide.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The bank's push for this product this quarter, 0–100.
    pub priority: u8,
    pub url: String,
    #[serde(default)]
    pub incentive: Option<Incentive>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub bank: String,
    pub name: Localized,
    pub products: Vec<Product>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueError {
    Json(String),
    Invalid { product: String, why: String },
}

impl std::fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatalogueError::Json(e) => write!(f, "catalogue is not valid JSON: {e}"),
            CatalogueError::Invalid { product, why } => write!(f, "product '{product}': {why}"),
        }
    }
}

impl Catalogue {
    /// Parses and checks a catalogue ([`problems`]); the first problem found is the error.
    pub fn from_json(json: &str) -> Result<Catalogue, CatalogueError> {
        let cat: Catalogue = serde_json::from_str(json).map_err(|e| CatalogueError::Json(e.to_string()))?;
        if let Some((i, why)) = problems(&cat.products).into_iter().next() {
            return Err(CatalogueError::Invalid {
                product: cat.products[i].id.clone(),
                why,
            });
        }
        Ok(cat)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// Every product of the catalogue, each naming this catalogue's bank.
    pub fn shelf(&self) -> Vec<crate::lead::offer::Shelved> {
        self.products
            .iter()
            .map(|p| crate::lead::offer::Shelved {
                bank_id: self.bank.clone(),
                bank_name: self.name.clone(),
                product: p.clone(),
            })
            .collect()
    }
}

/// Largest indicative yield a product may state, in basis points (50 %): a guard against a
/// yield written in the wrong unit (percent × 100 twice), not a market judgement.
pub const MAX_YIELD_BPS: u32 = 5_000;

/// Longest term in months (30 years).
pub const MAX_TERM_MONTHS: u16 = 360;

/// Smallest amount an individual may put in one large certificate of deposit, in CNY (PBoC,
/// 大额存单管理暂行办法 as amended in 2016: 200,000 CNY for individuals).
pub const LARGE_CD_MIN_CNY: u64 = 200_000;

/// The least a qualified investor puts into one product of `kind`, in CNY, when the product is
/// sold to qualified investors only (资管新规 2018, art. 5: fixed income 300,000, mixed 400,000,
/// equity 1,000,000); `None` where the rule sets no floor.
pub fn qualified_minimum_cny(kind: ProductKind) -> Option<u64> {
    match kind {
        ProductKind::FixedIncome => Some(300_000),
        ProductKind::Balanced => Some(400_000),
        ProductKind::Equity => Some(1_000_000),
        _ => None,
    }
}

/// The longest product name in any language, in characters: a card's title, not a paragraph.
pub const MAX_NAME_CHARS: usize = 100;

/// Every reason a list of products breaks the catalogue rules, as (index in `products`,
/// reason), in product order then rule order; empty when the catalogue is valid. This is the
/// one check for the built-in catalogue ([`Catalogue::from_json`]) and for a bank's tenant
/// file (`tenant::validate`):
/// - ids match `tenant::ID_PATTERN` and are unique;
/// - risk is R1–R5, and deposits (demand, time, large CD, structured) are R1;
/// - every name is translated into every language, each at most [`MAX_NAME_CHARS`] characters
///   of readable text (`support::text::check`);
/// - minimums: a large CD starts at [`LARGE_CD_MIN_CNY`]; a qualified-investors-only product at
///   [`qualified_minimum_cny`] for its kind;
/// - terms: demand deposits and cash management have none (0) and redeem any time; time
///   deposits, large CDs and structured deposits have one; at most [`MAX_TERM_MONTHS`];
/// - regions are the questionnaire's region ids, none twice;
/// - yield is at most [`MAX_YIELD_BPS`]; priority is 0–100;
/// - an incentive pays 1–1000 bps for acting within 1–365 days;
/// - the URL is https (`tenant::check_url`).
pub fn problems(products: &[Product]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (i, p) in products.iter().enumerate() {
        let mut fail = |why: String| out.push((i, why));
        if !crate::tenant::is_valid_id(&p.id) {
            fail("id is 1-63 characters of a-z, 0-9 and -, starting with a letter or digit".into());
        }
        if !ids.insert(p.id.as_str()) {
            fail("duplicate id".into());
        }
        if !(1..=5).contains(&p.risk.0) {
            fail("risk must be R1–R5".into());
        }
        if p.kind.is_deposit() && p.risk.0 != 1 {
            fail("deposits are R1".into());
        }
        if let Some(why) = p.name.problem("name", MAX_NAME_CHARS, Lines::One) {
            fail(why);
        }
        if p.kind == ProductKind::LargeCd && p.min_amount_cny < LARGE_CD_MIN_CNY {
            fail("a large CD's minimum is at least 200,000 CNY".into());
        }
        if p.qualified_only && qualified_minimum_cny(p.kind).is_some_and(|m| p.min_amount_cny < m) {
            fail("a qualified-investors-only product's minimum is at least 300,000 / 400,000 / 1,000,000 CNY (fixed income / balanced / equity)".into());
        }
        let open_ended = matches!(p.kind, ProductKind::DemandDeposit | ProductKind::CashManagement);
        if open_ended && p.term_months != 0 {
            fail("demand deposits and cash management have no term (term_months = 0)".into());
        }
        if open_ended && !p.early_redemption {
            fail("demand deposits and cash management redeem any time (early_redemption = true)".into());
        }
        let fixed_term = matches!(
            p.kind,
            ProductKind::TimeDeposit | ProductKind::LargeCd | ProductKind::StructuredDeposit
        );
        if fixed_term && p.term_months == 0 {
            fail("time deposits, large CDs and structured deposits have a term (term_months > 0)".into());
        }
        if p.term_months > MAX_TERM_MONTHS {
            fail("term_months is at most 360".into());
        }
        let known = |r: &String| crate::lead::questionnaire::Region::parse(r).is_some();
        if !p.regions.iter().all(known) {
            fail("regions are the questionnaire's: north, northeast, east, south, central, west".into());
        }
        let distinct: std::collections::BTreeSet<_> = p.regions.iter().collect();
        if distinct.len() != p.regions.len() {
            fail("a region is listed twice".into());
        }
        if p.yield_bps > MAX_YIELD_BPS {
            fail("yield_bps is at most 5000 (50 %): yields are in basis points".into());
        }
        if p.priority > 100 {
            fail("priority is 0–100".into());
        }
        if let Some(inc) = p.incentive {
            if !(1..=1_000).contains(&inc.bonus_bps) || !(1..=365).contains(&inc.within_days) {
                fail("an incentive pays 1–1000 bps (bonus_bps) within 1–365 days (within_days)".into());
            }
        }
        if crate::tenant::check_url(&p.url).is_err() {
            fail("url is https://host/… (http only for localhost)".into());
        }
    }
    out
}

const DEMO_JSON: &str = include_str!("../../catalogue/demo-bank.json");

/// The catalogue compiled into the build (Demo Bank's, `core/catalogue/demo-bank.json`), parsed
/// once: the reference the seed and `tenants/demo-bank.toml` are checked against (the edge
/// decides leads against D1's catalogues, not this).
pub fn builtin() -> &'static Catalogue {
    static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
    // The file is compiled in and checked by a unit test: failing here is a broken build.
    BUILTIN.get_or_init(|| Catalogue::from_json(DEMO_JSON).expect("built-in catalogue is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalogue_is_valid_and_varied() {
        let cat = Catalogue::from_json(DEMO_JSON).expect("valid");
        assert!(cat.products.len() >= 10);
        for level in 1..=5 {
            assert!(cat.products.iter().any(|p| p.risk.0 == level), "R{level} on the shelf");
        }
        assert!(cat.products.iter().any(|p| p.qualified_only));
        assert!(cat.products.iter().any(|p| p.incentive.is_some()));
    }

    #[test]
    fn problems_lists_every_fault_in_product_then_rule_order() {
        let demo = Catalogue::from_json(DEMO_JSON).expect("valid");
        assert_eq!(problems(&demo.products), []);
        let mut products = demo.products.clone();
        products[0].risk = RiskLevel(2);
        products[0].term_months = 3;
        products[2].id = products[1].id.clone();
        products[5].min_amount_cny = 100_000;
        products[5].regions = vec!["atlantis".into()];
        products[7].url = "http://bank.example.com/p".into();
        products[8].name.en = "Lotus\u{202E}gnivas".into();
        products[9].name.zh_hans = "活期\0".into();
        let found = problems(&products);
        let found: Vec<(usize, &str)> = found.iter().map(|(i, w)| (*i, w.as_str())).collect();
        assert_eq!(
            found,
            [
                (0, "deposits are R1"),
                (0, "demand deposits and cash management have no term (term_months = 0)"),
                (2, "duplicate id"),
                (5, "a large CD's minimum is at least 200,000 CNY"),
                (
                    5,
                    "regions are the questionnaire's: north, northeast, east, south, central, west"
                ),
                (7, "url is https://host/… (http only for localhost)"),
                (
                    8,
                    "name (en) holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)"
                ),
                (9, "name (zh-Hans) holds a control character"),
            ]
        );
        // from_json refuses with the first.
        let mut cat = demo.clone();
        cat.products = products;
        let json = serde_json::to_string(&cat).expect("serialises");
        assert_eq!(
            Catalogue::from_json(&json),
            Err(CatalogueError::Invalid {
                product: "demand-plus".into(),
                why: "deposits are R1".into()
            })
        );
    }

    #[test]
    fn rejects_a_deposit_above_r1() {
        let json = DEMO_JSON.replacen("\"risk\": 1", "\"risk\": 2", 1);
        assert!(matches!(
            Catalogue::from_json(&json),
            Err(CatalogueError::Invalid { why, .. }) if why == "deposits are R1"
        ));
    }
}
