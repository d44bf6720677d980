//! The decision for one lead: profile, propensity, tier and ranked recommendations. This is the
//! one call the edge makes; it recomputes everything from the raw answers.

use serde::{Deserialize, Serialize};

use crate::api::{LeadRequest, Problem};
use crate::lead::offer::Shelved;
use crate::lead::profile::{self, RiskProfile};
use crate::lead::propensity::{self, EconomicContext, Features};
use crate::lead::questionnaire::{AgeBand, Income};
use crate::lead::recommend::{self, Ranked};

/// The last economic context in the UCI data (November 2010). Operators override it with
/// current figures in the Worker's configuration.
pub const DEFAULT_ECONOMY: EconomicContext = EconomicContext {
    emp_var_rate: -1.1,
    cons_price_idx: 94.767,
    cons_conf_idx: -50.8,
    euribor3m: 1.028,
    nr_employed: 4963.6,
};

/// What the engine needs besides the lead: the economy, and the anonymous lead's score in it,
/// which every decision divides by — scored once here rather than once per lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    economy: EconomicContext,
    anonymous: f32,
}

impl Context {
    pub fn new(economy: EconomicContext) -> Self {
        let anonymous = propensity::score(propensity::embedded(), &Features::chat_lead(None, 0, 7, &economy));
        Context { economy, anonymous }
    }

    pub fn economy(&self) -> &EconomicContext {
        &self.economy
    }
}

impl Default for Context {
    fn default() -> Self {
        Context::new(DEFAULT_ECONOMY)
    }
}

/// How much attention a bank should give a lead.
///
/// With only what a chat can ask, the model's score is dominated by the economy (a lead in
/// 2010's context scores ~0.47, the same lead in 2008's ~0.06), so a fixed probability cut
/// would put every lead in one tier. Tiers are therefore set by *lift*: the lead's score over
/// the score of a lead the model knows nothing about, in the same economy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    A,
    B,
    C,
}

impl Tier {
    pub const A_FROM_LIFT: f32 = 1.05;
    pub const B_FROM_LIFT: f32 = 0.95;

    pub fn from_lift(lift: f32) -> Tier {
        if lift >= Tier::A_FROM_LIFT {
            Tier::A
        } else if lift >= Tier::B_FROM_LIFT {
            Tier::B
        } else {
            Tier::C
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }
}

/// What the engine makes of a lead. Not to be confused with
/// [`crate::conversion::attribution::ConversionDecision`], a conversion's.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadDecision {
    pub profile: RiskProfile,
    pub propensity: f32,
    /// Propensity over that of an anonymous lead in the same economy.
    pub lift: f32,
    pub tier: Tier,
    /// Best first; the edge links each ([`Ranked::answer`]).
    pub recommendations: Vec<Ranked>,
}

/// A chat lead in the model's terms (the table on [`Features`]), with two choices of our own:
///
/// - month and weekday are left out (marginalised): in UCI they record when that bank happened
///   to run its calls, which says nothing about a visitor chatting today;
/// - the job is inferred where the chat makes it plain — a visitor of 60 or over without a
///   steady income is `retired`, one of 18–29 without income a `student` — and otherwise not
///   asked. Both groups subscribe far more often in UCI, and both are common on partner scenes.
pub fn features(profile: &RiskProfile, ctx: &Context) -> Features {
    // Month 0 and weekday 7 are outside the model's calendar, so both are marginalised.
    let mut f = Features::chat_lead(Some(profile.age_band), 0, 7, &ctx.economy);
    f.job = match (profile.age_band, profile.income) {
        (AgeBand::From60, Income::NoRegular | Income::Unstable) => Some("retired".into()),
        (AgeBand::From18To29, Income::NoRegular) => Some("student".into()),
        // Every other lead: the job is not asked, so the model marginalises it.
        _ => None,
    };
    f
}

/// Decides `lead` against the products on `shelf` (every bank's of the lead's offer).
pub fn decide(lead: &LeadRequest, shelf: &[Shelved], ctx: &Context) -> Result<LeadDecision, Problem> {
    let profile = profile::assess(&lead.answers)?;
    let model = propensity::embedded();
    let p = propensity::score(model, &features(&profile, ctx));
    let lift = p / ctx.anonymous.max(f32::EPSILON);
    let recommendations = recommend::recommend(&profile, shelf, p, lead.lang);
    Ok(LeadDecision {
        tier: Tier::from_lift(lift),
        lift,
        propensity: p,
        profile,
        recommendations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::profile::tests::typical;

    fn lead_with(changes: &[(&str, &str)]) -> LeadRequest {
        let mut answers = typical();
        for (q, c) in changes {
            answers.insert(q.to_string(), c.to_string());
        }
        LeadRequest {
            partner: "edu-demo".into(),
            scene: crate::Scene::Education,
            lang: crate::Lang::En,
            answers,
            attribution: Default::default(),
            consent: None,
        }
    }

    #[test]
    fn decides_profile_score_tier_and_ranked_products() {
        let d = decide(
            &lead_with(&[]),
            &crate::lead::catalogue::builtin().shelf(),
            &Context::default(),
        )
        .expect("valid lead");
        assert!(d.propensity > 0.0 && d.propensity < 1.0);
        assert_eq!(d.tier, Tier::from_lift(d.lift));
        assert!(!d.recommendations.is_empty());
    }

    #[test]
    fn retirees_and_students_score_above_the_typical_adult() {
        let score = |changes: &[(&str, &str)]| {
            decide(
                &lead_with(changes),
                &crate::lead::catalogue::builtin().shelf(),
                &Context::default(),
            )
            .expect("valid lead")
            .propensity
        };
        let typical = score(&[]);
        assert!(score(&[("age", "60_plus"), ("income", "none")]) > typical);
        assert!(score(&[("age", "18_29"), ("income", "none")]) > typical);
    }

    #[test]
    fn tier_thresholds_split_chat_leads() {
        // Every combination of the answers the model sees, in 2008's economy.
        let ctx = Context::new(EconomicContext {
            emp_var_rate: 1.1,
            cons_price_idx: 93.994,
            cons_conf_idx: -36.4,
            euribor3m: 4.857,
            nr_employed: 5191.0,
        });
        let mut tiers = Vec::new();
        for age in ["18_29", "30_44", "45_59", "60_plus"] {
            for income in ["none", "unstable", "stable", "growing"] {
                let d = decide(
                    &lead_with(&[("age", age), ("income", income)]),
                    &crate::lead::catalogue::builtin().shelf(),
                    &ctx,
                )
                .expect("valid lead");
                tiers.push(d.tier);
            }
        }
        for t in [Tier::A, Tier::B, Tier::C] {
            assert!(tiers.contains(&t), "{t:?} is reachable: {tiers:?}");
        }
    }
}
