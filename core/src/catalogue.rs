//! A bank's products, as the suitability rules and the ranking see them. Catalogues are data
//! (JSON); the demo bank's ships in `core/catalogue/demo-bank.json` and is what the demo serves.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::i18n::Localized;

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
    Invalid { product: String, why: &'static str },
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
    /// Parses and checks a catalogue: a bank's data must not be able to smuggle in a deposit
    /// rated above R1, a risk level outside R1–R5, or two products with one id.
    pub fn from_json(json: &str) -> Result<Catalogue, CatalogueError> {
        let cat: Catalogue = serde_json::from_str(json).map_err(|e| CatalogueError::Json(e.to_string()))?;
        let mut ids = std::collections::BTreeSet::new();
        for p in &cat.products {
            let invalid = |why| CatalogueError::Invalid {
                product: p.id.clone(),
                why,
            };
            if !(1..=5).contains(&p.risk.0) {
                return Err(invalid("risk must be R1–R5"));
            }
            if p.kind.is_deposit() && p.risk.0 != 1 {
                return Err(invalid("deposits are R1"));
            }
            if p.priority > 100 {
                return Err(invalid("priority is 0–100"));
            }
            if !p.name.is_complete() {
                return Err(invalid("name is missing a language"));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(invalid("duplicate id"));
            }
        }
        Ok(cat)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }
}

const DEMO_JSON: &str = include_str!("../catalogue/demo-bank.json");

/// The demo bank's catalogue, parsed once.
pub fn demo() -> &'static Catalogue {
    static DEMO: OnceLock<Catalogue> = OnceLock::new();
    // The file is compiled in and checked by a unit test: failing here is a broken build.
    DEMO.get_or_init(|| Catalogue::from_json(DEMO_JSON).expect("demo catalogue is valid"))
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
    fn rejects_a_deposit_above_r1() {
        let json = DEMO_JSON.replacen("\"risk\": 1", "\"risk\": 2", 1);
        assert!(matches!(
            Catalogue::from_json(&json),
            Err(CatalogueError::Invalid {
                why: "deposits are R1",
                ..
            })
        ));
    }
}
