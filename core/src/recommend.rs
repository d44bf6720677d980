//! Ranking of the suitable products, each with reasons the visitor can read.

use crate::api::Recommendation;
use crate::catalogue::{Product, ProductKind};
use crate::i18n::{Lang, Text};
use crate::profile::{Goal, RiskProfile};
use crate::suitability;

/// How many products a visitor is shown: more than three is a catalogue, not advice.
pub const MAX_RECOMMENDATIONS: usize = 3;

fn fit(profile: &RiskProfile, p: &Product) -> i32 {
    let mut score = i32::from(p.priority);
    let liquid_goal = matches!(profile.goal, Goal::Emergency | Goal::Medical);
    if liquid_goal && p.early_redemption && p.term_months == 0 {
        score += 40;
    }
    if p.term_months > 0 && p.term_months <= profile.horizon_months {
        // A term that uses most of the horizon earns the most.
        score += 30 * i32::from(p.term_months) / i32::from(profile.horizon_months.max(1));
    }
    if matches!(profile.goal, Goal::Retirement | Goal::Tuition) && p.kind.is_deposit() {
        score += 15;
    }
    score + i32::try_from(p.yield_bps / 20).unwrap_or(i32::MAX)
}

fn reasons(profile: &RiskProfile, p: &Product, lang: Lang) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    if p.kind.is_deposit() {
        out.push(Text::new("存款产品，本金有保障", "存款產品，本金有保障", "A deposit: your principal is protected").get(lang).to_string());
    } else {
        let fits = Text::new("风险等级{p}，在您的承受范围{c}之内", "風險等級{p}，在您的承受範圍{c}之內", "Risk {p} is within your tolerance {c}");
        out.push(
            fits.get(lang)
                .replace("{p}", &p.risk.label())
                .replace("{c}", &profile.tolerance.label()),
        );
    }
    if p.early_redemption && p.term_months == 0 {
        out.push(Text::new("随时可取，不影响急用", "隨時可取，不影響急用", "Withdraw any time if you need it").get(lang).to_string());
    } else if p.term_months > 0 && p.term_months <= profile.horizon_months {
        out.push(Text::new("期限与您的用钱时间匹配", "期限與您的用錢時間匹配", "The term fits when you need the money").get(lang).to_string());
    }
    if p.kind == ProductKind::TimeDeposit || p.yield_bps >= 150 {
        let y = format!("{}.{:02}%", p.yield_bps / 100, p.yield_bps % 100);
        out.push(
            Text::new("参考年化收益{y}", "參考年化收益{y}", "Indicative yield {y} a year")
                .get(lang)
                .replace("{y}", &y),
        );
    }
    out.truncate(3);
    out
}

/// The suitable products, best first, at most [`MAX_RECOMMENDATIONS`].
pub fn recommend(profile: &RiskProfile, catalogue: &[Product], lang: Lang) -> Vec<Recommendation> {
    let mut ranked: Vec<(&Product, i32)> = catalogue
        .iter()
        .filter(|p| suitability::check(profile, p).is_ok())
        .map(|p| (p, fit(profile, p)))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(b.0.id)));
    ranked
        .into_iter()
        .take(MAX_RECOMMENDATIONS)
        .map(|(p, _)| Recommendation {
            product_id: p.id.to_string(),
            name: p.name.get(lang).to_string(),
            kind: p.kind,
            risk: p.risk.label(),
            yield_bps: p.yield_bps,
            term_months: p.term_months,
            min_amount_cny: p.min_amount_cny,
            reasons: reasons(profile, p, lang),
            url: format!("{}{}", p.url, p.id),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::profile::{assess, tests::typical};

    #[test]
    fn recommends_suitable_products_with_reasons() {
        let profile = assess(&typical()).expect("valid");
        for lang in Lang::ALL {
            let recs = recommend(&profile, catalogue::demo(), lang);
            assert!(!recs.is_empty() && recs.len() <= MAX_RECOMMENDATIONS);
            for r in &recs {
                assert!((1..=3).contains(&r.reasons.len()), "{r:?}");
                assert!(r.risk.as_str() <= "R3");
            }
        }
    }

    #[test]
    fn conservative_visitor_never_sees_equity() {
        let mut a = typical();
        a.insert("loss".into(), "sell_all".into());
        let profile = assess(&a).expect("valid");
        let recs = recommend(&profile, catalogue::demo(), Lang::En);
        assert!(recs.iter().all(|r| r.risk == "R1"), "{recs:?}");
        assert!(!recs.is_empty(), "deposits stay available");
    }
}
