//! From answers to the facts suitability and ranking need. The edge runs this on the raw
//! answers; a score the browser computed is never trusted.

use serde::{Deserialize, Serialize};

use crate::questionnaire::{self, Answers};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    Tuition,
    Emergency,
    Medical,
    IdleCash,
    Retirement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskProfile {
    pub tolerance: RiskTolerance,
    pub goal: Goal,
    /// How long the money can stay invested.
    pub horizon_months: u16,
    /// Upper bound of the amount band in CNY; `None` for the open-ended top band.
    pub amount_max_cny: Option<u64>,
    pub age_band: String,
    /// Qualified investors (financial assets ≥ 3,000,000 CNY) may see restricted products. The
    /// chat does not establish this yet, so nobody is qualified.
    pub qualified_investor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    Missing(&'static str),
    UnknownQuestion(String),
    UnknownChoice { question: &'static str, choice: String },
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

fn answer<'a>(answers: &'a Answers, q: &'static questionnaire::Question) -> Result<&'a str, AnswerError> {
    let given = answers.get(q.id).ok_or(AnswerError::Missing(q.id))?;
    q.choice(given)
        .map(|c| c.id)
        .ok_or_else(|| AnswerError::UnknownChoice {
            question: q.id,
            choice: given.clone(),
        })?;
    Ok(given.as_str())
}

pub fn assess(answers: &Answers) -> Result<RiskProfile, AnswerError> {
    if let Some(unknown) = answers.keys().find(|k| questionnaire::question(k).is_none()) {
        return Err(AnswerError::UnknownQuestion(unknown.clone()));
    }
    let age = answer(answers, &questionnaire::AGE)?;
    if age == "under_18" {
        return Err(AnswerError::Underage);
    }
    let goal = match answer(answers, &questionnaire::GOAL)? {
        "tuition" => Goal::Tuition,
        "emergency" => Goal::Emergency,
        "medical" => Goal::Medical,
        "idle_cash" => Goal::IdleCash,
        _ => Goal::Retirement,
    };
    let horizon_months = match answer(answers, &questionnaire::HORIZON)? {
        "lt_3m" => 3,
        "3_12m" => 12,
        "1_3y" => 36,
        _ => 120,
    };
    let amount_max_cny = match answer(answers, &questionnaire::AMOUNT)? {
        "lt_10k" => Some(10_000),
        "10k_50k" => Some(50_000),
        "50k_200k" => Some(200_000),
        _ => None,
    };
    let mut level: u8 = match answer(answers, &questionnaire::LOSS)? {
        "sell_all" => 1,
        "sell_some" => 2,
        "hold" => 3,
        _ => 4,
    };
    // Money needed within a year cannot ride out a drawdown, whatever the stated attitude.
    if horizon_months <= 12 {
        level = level.min(2);
    }
    Ok(RiskProfile {
        tolerance: RiskTolerance(level),
        goal,
        horizon_months,
        amount_max_cny,
        age_band: age.to_string(),
        qualified_investor: false,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect()
    }

    pub fn typical() -> Answers {
        answers(&[
            ("age", "30_44"),
            ("goal", "tuition"),
            ("horizon", "gt_3y"),
            ("amount", "50k_200k"),
            ("loss", "hold"),
        ])
    }

    #[test]
    fn typical_answers_give_a_balanced_profile() {
        let p = assess(&typical()).expect("valid answers");
        assert_eq!(p.tolerance.label(), "C3");
        assert_eq!(p.goal, Goal::Tuition);
        assert_eq!(p.amount_max_cny, Some(200_000));
    }

    #[test]
    fn minors_are_refused() {
        let mut a = typical();
        a.insert("age".into(), "under_18".into());
        assert_eq!(assess(&a), Err(AnswerError::Underage));
    }

    #[test]
    fn short_horizon_caps_tolerance() {
        let mut a = typical();
        a.insert("horizon".into(), "lt_3m".into());
        a.insert("loss".into(), "buy_more".into());
        assert_eq!(assess(&a).map(|p| p.tolerance.level()), Ok(2));
    }

    #[test]
    fn missing_unknown_and_invalid_answers_are_named() {
        let mut a = typical();
        a.remove("loss");
        assert_eq!(assess(&a), Err(AnswerError::Missing("loss")));
        let mut a = typical();
        a.insert("shoe_size".into(), "42".into());
        assert_eq!(assess(&a), Err(AnswerError::UnknownQuestion("shoe_size".into())));
        let mut a = typical();
        a.insert("goal".into(), "<script>".into());
        assert!(matches!(assess(&a), Err(AnswerError::UnknownChoice { question: "goal", .. })));
    }
}
