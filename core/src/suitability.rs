//! The hard rules: a product that breaks one is never shown, whatever the model says or the bank
//! pays.

use crate::catalogue::Product;
use crate::profile::RiskProfile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    RiskAboveTolerance,
    BelowMinimumAmount,
    TermBeyondHorizon,
    QualifiedInvestorsOnly,
}

/// `Ok` when the product may be recommended to this visitor, otherwise the first rule it breaks.
pub fn check(profile: &RiskProfile, product: &Product) -> Result<(), Exclusion> {
    if product.risk.0 > profile.tolerance.level() {
        return Err(Exclusion::RiskAboveTolerance);
    }
    if profile
        .amount_max_cny
        .is_some_and(|max| product.min_amount_cny > max)
    {
        return Err(Exclusion::BelowMinimumAmount);
    }
    if !product.early_redemption && product.term_months > profile.horizon_months {
        return Err(Exclusion::TermBeyondHorizon);
    }
    if product.qualified_only && !profile.qualified_investor {
        return Err(Exclusion::QualifiedInvestorsOnly);
    }
    Ok(())
}
