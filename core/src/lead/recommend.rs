//! Ranking of the suitable products by expected value, each with reasons the visitor can read.
//!
//! expected value = propensity × fit × bank weight, where
//! - *propensity* is the lead's probability of converting ([`crate::lead::propensity`]);
//! - *fit* (0.5–2) rewards a product whose liquidity, term and kind match the visitor's need,
//!   horizon, goal and yield preference;
//! - *bank weight* (0.5–1.5) is the bank's priority for the product this quarter.
//!
//! Propensity is the same for every product of one lead, so it decides the lead's tier and the
//! expected value a bank sees, while fit and weight decide the order.

use crate::api::Recommendation;
use crate::lead::catalogue::{Product, ProductKind};
use crate::lead::offer::Shelved;
use crate::lead::profile::{Goal, Liquidity, RiskProfile, YieldPreference};
use crate::lead::suitability;
use crate::support::i18n::{Lang, Text};

/// How many products a visitor is shown: more than three is a catalogue, not advice.
pub const MAX_RECOMMENDATIONS: usize = 3;

fn is_liquid(p: &Product) -> bool {
    p.early_redemption && p.term_months == 0
}

/// How well a (suitable) product matches the visitor, 0.5–2.
pub fn fit(profile: &RiskProfile, p: &Product) -> f32 {
    let mut f = 1.0f32;
    match profile.liquidity {
        Liquidity::Anytime if is_liquid(p) => f *= 1.3,
        Liquidity::Anytime if p.term_months > 3 => f *= 0.7,
        Liquidity::Unlikely if p.term_months > 0 => f *= 1.1,
        _ => {}
    }
    if p.term_months > 0 && p.term_months <= profile.horizon_months {
        // A term that uses most of the horizon earns the most.
        f *= 1.0 + 0.3 * f32::from(p.term_months) / f32::from(profile.horizon_months.max(1));
    }
    let goal_match = match profile.goal {
        Goal::Emergency | Goal::Medical => is_liquid(p),
        Goal::Tuition | Goal::Retirement => matches!(p.kind, ProductKind::TimeDeposit | ProductKind::LargeCd),
        Goal::IdleCash => matches!(p.kind, ProductKind::CashManagement | ProductKind::DemandDeposit),
    };
    if goal_match {
        f *= 1.2;
    }
    match profile.tags.yield_preference {
        YieldPreference::Safety if p.kind.is_deposit() => f *= 1.2,
        YieldPreference::Growth => f *= 1.0 + 0.05 * f32::from(p.risk.0),
        _ => {}
    }
    if p.incentive.is_some() {
        f *= 1.05;
    }
    f.clamp(0.5, 2.0)
}

pub fn bank_weight(p: &Product) -> f32 {
    0.5 + f32::from(p.priority.min(100)) / 100.0
}

pub fn expected_value(propensity: f32, profile: &RiskProfile, p: &Product) -> f32 {
    propensity * fit(profile, p) * bank_weight(p)
}

fn percent(bps: u32) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

fn reasons(profile: &RiskProfile, p: &Product, lang: Lang) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    if p.kind.is_deposit() {
        out.push(
            Text::new(
                "存款产品，受存款保险保障",
                "存款產品，受存款保險保障",
                "A deposit, covered by deposit insurance",
            )
            .get(lang)
            .to_string(),
        );
    } else {
        let fits = Text::new(
            "风险等级{p}，在您的承受能力{c}之内",
            "風險等級{p}，在您的承受能力{c}之內",
            "Risk {p} is within your tolerance {c}",
        );
        out.push(
            fits.get(lang)
                .replace("{p}", &p.risk.label())
                .replace("{c}", &profile.tolerance.label()),
        );
    }
    if is_liquid(p) {
        out.push(
            Text::new(
                "随时可取，急用不愁",
                "隨時可取，急用不愁",
                "Withdraw any time if you need it",
            )
            .get(lang)
            .to_string(),
        );
    } else if p.term_months > 0 && p.term_months <= profile.horizon_months {
        let t = Text::new(
            "{n}个月期限，与您的用钱时间匹配",
            "{n}個月期限，與您的用錢時間匹配",
            "A {n}-month term that fits when you need the money",
        );
        out.push(t.get(lang).replace("{n}", &p.term_months.to_string()));
    } else if p.early_redemption {
        out.push(
            Text::new(
                "可提前支取，保留灵活性",
                "可提前支取，保留靈活性",
                "Can be withdrawn early if plans change",
            )
            .get(lang)
            .to_string(),
        );
    }
    if p.yield_bps > 0 {
        let t = Text::new("参考年化收益{y}", "參考年化收益{y}", "Indicative yield {y} a year");
        out.push(t.get(lang).replace("{y}", &percent(p.yield_bps)));
    }
    out.truncate(3);
    out
}

fn incentive(p: &Product, lang: Lang) -> Option<String> {
    p.incentive.map(|i| {
        Text::new(
            "{d}天内存入，利率再加{b}",
            "{d}天內存入，利率再加{b}",
            "+{b} rate if funded within {d} days",
        )
        .get(lang)
        .replace("{d}", &i.within_days.to_string())
        .replace("{b}", &percent(i.bonus_bps))
    })
}

/// A product the ranking chose for a lead: what the visitor will read about it, worded in the
/// lead's language, with the figures behind the choice. It becomes the wire
/// [`Recommendation`] once the edge knows where its link leads ([`Ranked::answer`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub product_id: String,
    pub name: String,
    pub kind: ProductKind,
    pub risk: String,
    pub yield_bps: u32,
    pub term_months: u16,
    pub min_amount_cny: u64,
    pub reasons: Vec<String>,
    pub incentive: Option<String>,
    /// The bank's own page for the product (the catalogue's `url`).
    pub bank_url: String,
    /// The id of the bank that sells the product.
    pub bank_id: String,
    /// That bank's name in the lead's language.
    pub bank_name: String,
    /// propensity × fit × bank weight (see the module): the ranking's key, never sent.
    pub expected_value: f32,
}

impl Ranked {
    /// The recommendation the visitor is sent, leading to `url`.
    pub fn answer(self, url: String) -> Recommendation {
        Recommendation {
            product_id: self.product_id,
            name: self.name,
            kind: self.kind,
            risk: self.risk,
            yield_bps: self.yield_bps,
            term_months: self.term_months,
            min_amount_cny: self.min_amount_cny,
            reasons: self.reasons,
            incentive: self.incentive,
            url,
            bank_id: self.bank_id,
            bank_name: self.bank_name,
        }
    }
}

/// The suitable products of every bank on the shelf, best expected value first (ties by
/// product id, then bank id), at most [`MAX_RECOMMENDATIONS`]; each names its bank.
pub fn recommend(profile: &RiskProfile, shelf: &[Shelved], propensity: f32, lang: Lang) -> Vec<Ranked> {
    let mut ranked: Vec<(&Shelved, f32)> = shelf
        .iter()
        .filter(|s| suitability::check(profile, &s.product).is_ok())
        .map(|s| (s, expected_value(propensity, profile, &s.product)))
        .collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| a.0.product.id.cmp(&b.0.product.id))
            .then_with(|| a.0.bank_id.cmp(&b.0.bank_id))
    });
    ranked
        .into_iter()
        .take(MAX_RECOMMENDATIONS)
        .map(|(s, ev)| (&s.product, s, ev))
        .map(|(p, s, ev)| Ranked {
            product_id: p.id.clone(),
            name: p.name.get(lang).to_string(),
            kind: p.kind,
            risk: p.risk.label(),
            yield_bps: p.yield_bps,
            term_months: p.term_months,
            min_amount_cny: p.min_amount_cny,
            reasons: reasons(profile, p, lang),
            incentive: incentive(p, lang),
            expected_value: ev,
            bank_url: p.url.clone(),
            bank_id: s.bank_id.clone(),
            bank_name: s.bank_name.get(lang).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::catalogue;
    use crate::lead::profile::{assess, tests::typical};

    #[test]
    fn recommends_suitable_products_with_reasons_in_every_language() {
        let profile = assess(&typical()).expect("valid");
        for lang in Lang::ALL {
            let recs = recommend(&profile, &catalogue::builtin().shelf(), 0.2, lang);
            assert!(!recs.is_empty() && recs.len() <= MAX_RECOMMENDATIONS);
            for r in &recs {
                assert!((1..=3).contains(&r.reasons.len()), "{r:?}");
                assert!(r.risk.as_str() <= "R3");
            }
            assert!(recs.windows(2).all(|w| w[0].expected_value >= w[1].expected_value));
        }
    }

    #[test]
    fn emergency_money_gets_liquid_products_first() {
        let mut a = typical();
        a.insert("goal".into(), "emergency".into());
        a.insert("liquidity".into(), "anytime".into());
        let profile = assess(&a).expect("valid");
        let recs = recommend(&profile, &catalogue::builtin().shelf(), 0.2, Lang::En);
        assert_eq!(recs[0].term_months, 0, "{recs:?}");
    }

    #[test]
    fn incentives_are_shown() {
        let profile = assess(&typical()).expect("valid");
        let recs = recommend(&profile, &catalogue::builtin().shelf(), 0.2, Lang::En);
        let td = recs
            .iter()
            .find(|r| r.product_id == "td-12m" || r.product_id == "td-36m");
        assert!(td.is_some(), "{recs:?}");
        assert!(recs.iter().any(|r| r.incentive.is_some()) || recs.iter().all(|r| r.product_id != "td-12m"));
    }
}
