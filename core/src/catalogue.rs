//! A bank's products, as the suitability rules and the ranking see them.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// Product risk R1 (principal-protected) … R5 (aggressive). Deposits are always R1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RiskLevel(pub u8);

impl RiskLevel {
    pub fn label(self) -> String {
        format!("R{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone)]
pub struct Product {
    pub id: &'static str,
    pub name: Text,
    pub kind: ProductKind,
    pub risk: RiskLevel,
    pub min_amount_cny: u64,
    /// 0 for products without a fixed term.
    pub term_months: u16,
    pub early_redemption: bool,
    /// Indicative annual yield in basis points.
    pub yield_bps: u32,
    pub qualified_only: bool,
    /// The bank's push for this product this quarter, 0–100.
    pub priority: u8,
    pub url: &'static str,
}

/// The demo bank's shelf, served by the local default.
pub fn demo() -> &'static [Product] {
    &DEMO
}

const BANK: &str = "https://bank.example.com/products/";

static DEMO: [Product; 6] = [
    Product {
        id: "demand-plus",
        name: Text::new("活期宝", "活期寶", "Demand Plus savings"),
        kind: ProductKind::DemandDeposit,
        risk: RiskLevel(1),
        min_amount_cny: 0,
        term_months: 0,
        early_redemption: true,
        yield_bps: 35,
        qualified_only: false,
        priority: 40,
        url: BANK,
    },
    Product {
        id: "td-12m",
        name: Text::new("一年期定期存款", "一年期定期存款", "12-month time deposit"),
        kind: ProductKind::TimeDeposit,
        risk: RiskLevel(1),
        min_amount_cny: 50,
        term_months: 12,
        early_redemption: true,
        yield_bps: 145,
        qualified_only: false,
        priority: 70,
        url: BANK,
    },
    Product {
        id: "td-36m",
        name: Text::new("三年期定期存款", "三年期定期存款", "3-year time deposit"),
        kind: ProductKind::TimeDeposit,
        risk: RiskLevel(1),
        min_amount_cny: 50,
        term_months: 36,
        early_redemption: true,
        yield_bps: 175,
        qualified_only: false,
        priority: 60,
        url: BANK,
    },
    Product {
        id: "cash-daily",
        name: Text::new("天天利现金管理", "天天利現金管理", "Daily cash management"),
        kind: ProductKind::CashManagement,
        risk: RiskLevel(2),
        min_amount_cny: 1,
        term_months: 0,
        early_redemption: true,
        yield_bps: 180,
        qualified_only: false,
        priority: 50,
        url: BANK,
    },
    Product {
        id: "bond-steady",
        name: Text::new("稳享债券精选", "穩享債券精選", "Steady bond select"),
        kind: ProductKind::FixedIncome,
        risk: RiskLevel(2),
        min_amount_cny: 10_000,
        term_months: 12,
        early_redemption: false,
        yield_bps: 290,
        qualified_only: false,
        priority: 55,
        url: BANK,
    },
    Product {
        id: "equity-growth",
        name: Text::new("成长精选混合", "成長精選混合", "Growth equity mix"),
        kind: ProductKind::Equity,
        risk: RiskLevel(4),
        min_amount_cny: 1_000,
        term_months: 0,
        early_redemption: true,
        yield_bps: 600,
        qualified_only: false,
        priority: 45,
        url: BANK,
    },
];
