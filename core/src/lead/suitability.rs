//! The hard rules: a product that breaks one is never shown, whatever the model says or the bank
//! pays. Every exclusion carries its reason so a bank can audit why a product was not offered.

use serde::{Deserialize, Serialize};

use crate::lead::catalogue::Product;
use crate::lead::profile::RiskProfile;
use crate::lead::questionnaire::Answer;
use crate::support::i18n::{Lang, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Product risk R above the visitor's tolerance C.
    RiskAboveTolerance,
    /// The visitor's amount (the lower bound of their band) is below the product's minimum.
    BelowMinimumAmount,
    /// The term is longer than the visitor's horizon and the product cannot be redeemed early.
    TermBeyondHorizon,
    /// Reserved for qualified investors (financial assets ≥ 3,000,000 CNY, 2+ years' experience).
    QualifiedInvestorsOnly,
    /// Not sold in the visitor's region.
    NotInRegion,
}

impl Exclusion {
    pub fn reason(self) -> Text {
        match self {
            Exclusion::RiskAboveTolerance => Text::new(
                "产品风险等级高于您的风险承受能力",
                "產品風險等級高於您的風險承受能力",
                "Its risk level is above your risk tolerance",
            ),
            Exclusion::BelowMinimumAmount => Text::new(
                "您的金额低于起购金额",
                "您的金額低於起購金額",
                "Your amount is below its minimum",
            ),
            Exclusion::TermBeyondHorizon => Text::new(
                "期限长于您的用钱时间且不能提前赎回",
                "期限長於您的用錢時間且不能提前贖回",
                "Its term outlasts your horizon and cannot be cut short",
            ),
            Exclusion::QualifiedInvestorsOnly => Text::new(
                "仅向合格投资者销售",
                "僅向合格投資者銷售",
                "Sold to qualified investors only",
            ),
            Exclusion::NotInRegion => Text::new("您所在地区暂未销售", "您所在地區暫未銷售", "Not sold in your region"),
        }
    }
}

/// `Ok` when the product may be recommended to this visitor, otherwise the first rule it breaks.
pub fn check(profile: &RiskProfile, product: &Product) -> Result<(), Exclusion> {
    if product.risk.0 > profile.tolerance.level() {
        return Err(Exclusion::RiskAboveTolerance);
    }
    if product.min_amount_cny > profile.amount_min_cny {
        return Err(Exclusion::BelowMinimumAmount);
    }
    if !product.early_redemption && product.term_months > profile.horizon_months {
        return Err(Exclusion::TermBeyondHorizon);
    }
    if product.qualified_only && !profile.qualified_investor {
        return Err(Exclusion::QualifiedInvestorsOnly);
    }
    if !product.regions.is_empty() && !product.regions.iter().any(|r| r == profile.region.id()) {
        return Err(Exclusion::NotInRegion);
    }
    Ok(())
}

/// Every product of a catalogue with its verdict, in catalogue order.
pub fn screen<'a>(profile: &RiskProfile, products: &'a [Product]) -> Vec<(&'a Product, Result<(), Exclusion>)> {
    products.iter().map(|p| (p, check(profile, p))).collect()
}

/// The reason for an exclusion in the visitor's language.
pub fn explain(e: Exclusion, lang: Lang) -> &'static str {
    e.reason().get(lang)
}
