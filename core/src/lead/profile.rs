//! From answers to the facts suitability and ranking need. The edge runs this on the raw
//! answers; a score the browser computed is never trusted.

use serde::{Deserialize, Serialize};

use crate::lead::questionnaire::{
    self, AgeBand, AmountBand, Answer, Answers, AssetBand, Experience, Horizon, Question,
};
use crate::lead::questionnaire::{Income, MaxLoss, Objective, Region, ScoreCard};

pub use crate::lead::questionnaire::{Goal, Liquidity};

/// Risk tolerance C1 (conservative) … C5 (aggressive), as the suitability questionnaire yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RiskTolerance(u8);

impl RiskTolerance {
    pub const C1: RiskTolerance = RiskTolerance(1);
    pub const C5: RiskTolerance = RiskTolerance(5);

    pub fn new(level: u8) -> Option<Self> {
        (1..=5).contains(&level).then_some(RiskTolerance(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }

    pub fn label(self) -> String {
        format!("C{}", self.0)
    }

    fn capped(self, max: u8) -> Self {
        RiskTolerance(self.0.min(max))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YieldPreference {
    Safety,
    Steady,
    Growth,
}

/// What the bank's team sees next to a lead, besides its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileTags {
    pub asset_band: AssetBand,
    pub region: Region,
    pub yield_preference: YieldPreference,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskProfile {
    pub tolerance: RiskTolerance,
    /// Points from the suitability items, before caps.
    pub points: u8,
    pub goal: Goal,
    /// How long the money can stay invested.
    pub horizon_months: u16,
    /// The amount band: lower bound and upper bound in CNY (`None`: open-ended top band).
    pub amount_min_cny: u64,
    pub amount_max_cny: Option<u64>,
    pub liquidity: Liquidity,
    /// Never [`AgeBand::Under18`]: minors are refused.
    pub age_band: AgeBand,
    pub region: Region,
    /// Financial assets ≥ 3,000,000 CNY and at least two years of investing experience.
    pub qualified_investor: bool,
    /// The income answer, which the model also reads.
    pub income: Income,
    pub tags: ProfileTags,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    Missing(&'static str),
    UnknownQuestion(String),
    UnknownChoice {
        question: &'static str,
        choice: String,
    },
    /// Minors are never leads, whatever else they answered.
    Underage,
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerError::Missing(q) => write!(f, "question '{q}' is not answered"),
            AnswerError::UnknownQuestion(q) => write!(f, "there is no question '{q}'"),
            AnswerError::UnknownChoice { question, .. } => {
                write!(f, "the answer to '{question}' is not one of its choices")
            }
            AnswerError::Underage => write!(f, "visitors under 18 cannot be leads"),
        }
    }
}

fn unknown_choice(q: &'static Question, given: &str) -> AnswerError {
    AnswerError::UnknownChoice {
        question: q.id,
        choice: given.chars().take(64).collect(),
    }
}

fn given<'a>(answers: &'a Answers, q: &'static Question) -> Result<&'a str, AnswerError> {
    answers.get(q.id).map(String::as_str).ok_or(AnswerError::Missing(q.id))
}

/// The answer to `T`'s question, parsed: the one place a choice id becomes its meaning.
fn read<T: Answer>(answers: &Answers) -> Result<T, AnswerError> {
    let given = given(answers, T::QUESTION)?;
    T::parse(given).ok_or_else(|| unknown_choice(T::QUESTION, given))
}

/// The points a suitability item's answer scores.
fn points(answers: &Answers, q: &'static Question) -> Result<u8, AnswerError> {
    let given = given(answers, q)?;
    q.choice(given).map(|c| c.score).ok_or_else(|| unknown_choice(q, given))
}

/// Recomputes the whole profile from raw answers. Fails on the first missing, unknown or
/// invalid answer (in the order below), and for minors.
pub fn assess(answers: &Answers) -> Result<RiskProfile, AnswerError> {
    if let Some(unknown) = answers.keys().find(|k| questionnaire::question(k).is_none()) {
        return Err(AnswerError::UnknownQuestion(unknown.chars().take(64).collect()));
    }
    let age: AgeBand = read(answers)?;
    if age == AgeBand::Under18 {
        return Err(AnswerError::Underage);
    }
    let goal: Goal = read(answers)?;
    let horizon: Horizon = read(answers)?;
    let (amount_min_cny, amount_max_cny) = read::<AmountBand>(answers)?.range_cny();
    let liquidity: Liquidity = read(answers)?;
    let region: Region = read(answers)?;
    let assets: AssetBand = read(answers)?;

    let mut points_sum = 0u8;
    for item in questionnaire::SUITABILITY_ITEMS {
        points_sum += points(answers, item)?;
    }
    let experience: Experience = read(answers)?;
    let card = ScoreCard {
        points: points_sum,
        accepts_no_loss: read::<MaxLoss>(answers)? == MaxLoss::NoLoss,
    };
    let mut tolerance = questionnaire::tolerance(card);
    let horizon_months = horizon.months();
    // Money needed within a year cannot ride out a drawdown, whatever the stated appetite.
    if horizon_months <= 12 {
        tolerance = tolerance.capped(2);
    }
    // Banks give older clients extra protection under the suitability rules.
    if age == AgeBand::From60 {
        tolerance = tolerance.capped(3);
    }
    let yield_preference = match read::<Objective>(answers)? {
        Objective::Preserve => YieldPreference::Safety,
        Objective::Income => YieldPreference::Steady,
        Objective::Balanced | Objective::Growth | Objective::Aggressive => YieldPreference::Growth,
    };
    Ok(RiskProfile {
        tolerance,
        points: points_sum,
        goal,
        horizon_months,
        amount_min_cny,
        amount_max_cny,
        liquidity,
        age_band: age,
        region,
        qualified_investor: assets.qualifies() && experience.two_years_or_more(),
        income: read(answers)?,
        tags: ProfileTags {
            asset_band: assets,
            region,
            yield_preference,
        },
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn typical() -> Answers {
        questionnaire::example_answers()
    }

    fn with(changes: &[(&str, &str)]) -> Answers {
        let mut a = typical();
        for (q, c) in changes {
            a.insert(q.to_string(), c.to_string());
        }
        a
    }

    #[test]
    fn typical_answers_give_a_balanced_profile() {
        let p = assess(&typical()).expect("valid answers");
        assert_eq!(p.points, 18);
        assert_eq!(p.tolerance.label(), "C3");
        assert_eq!(p.goal, Goal::Tuition);
        assert_eq!((p.amount_min_cny, p.amount_max_cny), (50_000, Some(200_000)));
        assert!(!p.qualified_investor);
        assert_eq!(p.tags.yield_preference, YieldPreference::Growth);
        assert_eq!(
            (p.age_band, p.income, p.horizon_months),
            (AgeBand::From30To44, Income::Stable, 60)
        );
    }

    #[test]
    fn tags_are_stored_with_the_answers_wire_ids() {
        let p = assess(&typical()).expect("valid answers");
        assert_eq!(
            serde_json::to_value(&p.tags).ok(),
            Some(serde_json::json!({"asset_band": "500k_3m", "region": "east", "yield_preference": "growth"}))
        );
    }

    #[test]
    fn minors_are_refused() {
        assert_eq!(assess(&with(&[("age", "under_18")])), Err(AnswerError::Underage));
    }

    #[test]
    fn caps_apply_whatever_the_points() {
        let bold = [
            ("experience", "stocks"),
            ("knowledge", "expert"),
            ("income", "growing"),
            ("objective", "aggressive"),
            ("max_loss", "over_30"),
            ("loss", "buy_more"),
        ];
        assert_eq!(assess(&with(&bold)).map(|p| p.tolerance.level()), Ok(5));
        let mut soon = bold.to_vec();
        soon.push(("horizon", "3_12m"));
        assert_eq!(assess(&with(&soon)).map(|p| p.tolerance.level()), Ok(2));
        let mut old = bold.to_vec();
        old.push(("age", "60_plus"));
        assert_eq!(assess(&with(&old)).map(|p| p.tolerance.level()), Ok(3));
        let mut no_loss = bold.to_vec();
        no_loss.push(("max_loss", "none"));
        assert_eq!(assess(&with(&no_loss)).map(|p| p.tolerance.level()), Ok(1));
    }

    #[test]
    fn qualified_needs_assets_and_experience() {
        let rich = assess(&with(&[("assets", "gt_3m"), ("experience", "funds_long")])).expect("valid");
        assert!(rich.qualified_investor);
        let novice = assess(&with(&[("assets", "gt_3m"), ("experience", "deposits")])).expect("valid");
        assert!(!novice.qualified_investor);
    }

    #[test]
    fn missing_unknown_and_invalid_answers_are_named() {
        let mut a = typical();
        a.remove("loss");
        assert_eq!(assess(&a), Err(AnswerError::Missing("loss")));
        let a = with(&[("shoe_size", "42")]);
        assert_eq!(assess(&a), Err(AnswerError::UnknownQuestion("shoe_size".into())));
        let a = with(&[("goal", "<script>")]);
        assert!(matches!(
            assess(&a),
            Err(AnswerError::UnknownChoice { question: "goal", .. })
        ));
    }
}
