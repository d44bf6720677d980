//! The conversation: one definition read by the widget (to ask) and by the edge (to check).
//!
//! Two kinds of question: *facts* (goal, horizon, amount, liquidity, age, region, assets) that
//! drive suitability and ranking, and *suitability items* whose scores add up to a risk
//! tolerance C1–C5 the way bank and securities suitability questionnaires do ([`items`]).
//!
//! Each question's choices are declared once, as an enum ([`Answer`]) whose rows carry the
//! wire id, the wording and the points: the wire id is parsed into the enum once, and the rules
//! (profile, propensity) match on the enum, exhaustively.

/// Declares a question's answers: an enum, one variant per choice, and the question's choices
/// in the same order — `Variant = "wire_id" (points): label` — so id, wording, points and
/// meaning stand on one line. Points are for suitability items; fact choices omit them (0).
macro_rules! answers {
    (
        $(#[$meta:meta])*
        pub enum $name:ident for $question:ident {
            $($(#[$vmeta:meta])* $variant:ident = $id:literal $(($score:literal))? : $label:expr,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// The question's choices, in the order of the variants.
            const CHOICES: &'static [$crate::lead::questionnaire::Choice] =
                &[$($crate::lead::questionnaire::c($id, $label, 0 $(+ $score)?),)+];
        }

        impl $crate::lead::questionnaire::Answer for $name {
            const QUESTION: &'static $crate::lead::questionnaire::Question = &$question;
            const ALL: &'static [Self] = &[$(Self::$variant,)+];

            fn id(self) -> &'static str {
                Self::CHOICES[self as usize].id
            }
        }

        /// Written as its wire id, as the visitor's answer was.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::lead::questionnaire::Answer::id(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let id = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <Self as $crate::lead::questionnaire::Answer>::parse(&id)
                    .ok_or_else(|| serde::de::Error::custom(format!("no choice {id:?}")))
            }
        }
    };
}

mod facts;
mod items;
mod scenes;

use crate::lead::scene::Scene;
use crate::support::i18n::Text;

pub use facts::{AgeBand, AmountBand, AssetBand, Goal, Horizon, Liquidity, Region};
pub use facts::{AGE, AMOUNT, ASSETS, GOAL, HORIZON, LIQUIDITY, REGION};
pub use items::{tolerance, ScoreCard, EXPERIENCE, INCOME, KNOWLEDGE, LOSS, MAX_LOSS, OBJECTIVE, SUITABILITY_ITEMS};
pub use items::{Experience, Income, Knowledge, LossReaction, MaxLoss, Objective};
pub use scenes::opener;

/// Answers as sent over the wire: question id → choice id.
pub type Answers = crate::support::pairs::Pairs;

#[derive(Debug)]
pub struct Question {
    pub id: &'static str,
    pub prompt: Text,
    pub choices: &'static [Choice],
}

#[derive(Debug)]
pub struct Choice {
    pub id: &'static str,
    pub label: Text,
    /// Points towards risk tolerance; 0 for fact questions.
    pub score: u8,
}

/// Questions are static and their ids unique, so the id is their identity.
impl PartialEq for Question {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Question {}

impl Question {
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.id == id)
    }

    /// The prompt as this scene words it.
    pub fn prompt_in(&'static self, scene: Scene) -> Text {
        scenes::prompt(scene, self).unwrap_or(self.prompt)
    }
}

/// A question's answer as a type: one enum per question, declared with its choices by
/// `answers!`, so the wire id is parsed once and the rules match on meaning.
pub trait Answer: Copy + 'static {
    /// The question this answers; its choices are in the order of [`Answer::ALL`].
    const QUESTION: &'static Question;
    /// Every answer, in the order the question offers them.
    const ALL: &'static [Self];

    /// The choice id sent over the wire.
    fn id(self) -> &'static str;

    /// The answer whose choice id is `id`; `None` for an id the question does not offer.
    fn parse(id: &str) -> Option<Self> {
        let i = Self::QUESTION.choices.iter().position(|c| c.id == id)?;
        Self::ALL.get(i).copied()
    }

    /// This question's answer among `answers`, if it is given and is one of its choices.
    fn of(answers: &Answers) -> Option<Self> {
        answers.get(Self::QUESTION.id).and_then(|id| Self::parse(id))
    }
}

pub(crate) const fn c(id: &'static str, label: Text, score: u8) -> Choice {
    Choice { id, label, score }
}

const N_QUESTIONS: usize = 13;

/// Every question, in no particular order.
pub const ALL: [&Question; N_QUESTIONS] = [
    &AGE,
    &GOAL,
    &HORIZON,
    &AMOUNT,
    &LIQUIDITY,
    &REGION,
    &ASSETS,
    &EXPERIENCE,
    &KNOWLEDGE,
    &INCOME,
    &OBJECTIVE,
    &MAX_LOSS,
    &LOSS,
];

/// The questions in the order the scene asks them. Every scene gathers the same facts; the
/// order follows what visitors of that scene come with (parents start from the goal, gamers
/// from the money on hand, patients from how quickly they may need it). Age is always first so
/// a minor is stopped before anything else is asked.
pub fn script(scene: Scene) -> [&'static Question; N_QUESTIONS] {
    let facts: [&'static Question; 6] = match scene {
        Scene::Education => [&GOAL, &HORIZON, &AMOUNT, &LIQUIDITY, &REGION, &ASSETS],
        Scene::Gaming => [&AMOUNT, &GOAL, &LIQUIDITY, &HORIZON, &REGION, &ASSETS],
        Scene::Telehealth => [&LIQUIDITY, &GOAL, &AMOUNT, &HORIZON, &REGION, &ASSETS],
    };
    let [f0, f1, f2, f3, f4, f5] = facts;
    let [i0, i1, i2, i3, i4, i5] = SUITABILITY_ITEMS;
    [&AGE, f0, f1, f2, f3, f4, f5, i0, i1, i2, i3, i4, i5]
}

/// A typical adult's complete answers (C3, tuition over 3–5 years): the one reference lead for
/// benches, the Worker's bench route and tests. Choice ids are unique across questions, so the
/// choices alone also answer any scene's order.
pub const EXAMPLE: [(&str, &str); N_QUESTIONS] = [
    ("age", "30_44"),
    ("goal", "tuition"),
    ("horizon", "3_5y"),
    ("amount", "50k_200k"),
    ("liquidity", "maybe"),
    ("region", "east"),
    ("assets", "500k_3m"),
    ("experience", "funds_short"),
    ("knowledge", "good"),
    ("income", "stable"),
    ("objective", "balanced"),
    ("max_loss", "up_to_15"),
    ("loss", "hold"),
];

pub fn example_answers() -> Answers {
    EXAMPLE.iter().map(|(q, c)| (q.to_string(), c.to_string())).collect()
}

pub fn question(id: &str) -> Option<&'static Question> {
    ALL.into_iter().find(|q| q.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::i18n::Lang;

    #[test]
    fn every_scene_asks_every_question_once_age_first() {
        for scene in Scene::ALL {
            let s = script(scene);
            assert_eq!(s[0].id, "age");
            let mut ids: Vec<_> = s.iter().map(|q| q.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), N_QUESTIONS, "{scene:?}");
        }
    }

    #[test]
    fn ids_are_unique_and_every_text_exists_in_every_language() {
        let mut ids: Vec<_> = ALL.iter().map(|q| q.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), N_QUESTIONS);
        for q in ALL {
            let mut choice_ids: Vec<_> = q.choices.iter().map(|c| c.id).collect();
            choice_ids.sort_unstable();
            choice_ids.dedup();
            assert_eq!(choice_ids.len(), q.choices.len(), "{}", q.id);
            for scene in Scene::ALL {
                for lang in Lang::ALL {
                    assert!(!q.prompt_in(scene).get(lang).is_empty(), "{} {lang:?}", q.id);
                }
            }
            for ch in q.choices {
                for lang in Lang::ALL {
                    assert!(!ch.label.get(lang).is_empty(), "{}/{}", q.id, ch.id);
                }
            }
        }
    }

    /// The answer type's variants are its question's choices, in order, and round-trip.
    fn typed<T: Answer + PartialEq + std::fmt::Debug>() -> &'static str {
        let q = T::QUESTION;
        assert_eq!(T::ALL.len(), q.choices.len(), "{}", q.id);
        for (a, c) in T::ALL.iter().zip(q.choices) {
            assert_eq!(a.id(), c.id, "{}", q.id);
            assert_eq!(T::parse(c.id), Some(*a), "{}", q.id);
        }
        assert_eq!(T::parse("<script>"), None);
        q.id
    }

    #[test]
    fn every_question_has_its_answer_type() {
        let mut typed = [
            typed::<AgeBand>(),
            typed::<Goal>(),
            typed::<Horizon>(),
            typed::<AmountBand>(),
            typed::<Liquidity>(),
            typed::<Region>(),
            typed::<AssetBand>(),
            typed::<Experience>(),
            typed::<Knowledge>(),
            typed::<Income>(),
            typed::<Objective>(),
            typed::<MaxLoss>(),
            typed::<LossReaction>(),
        ];
        typed.sort_unstable();
        let mut ids = ALL.map(|q| q.id);
        ids.sort_unstable();
        assert_eq!(typed, ids);
    }

    #[test]
    fn answers_serialise_as_their_wire_ids() {
        assert_eq!(
            serde_json::to_string(&AgeBand::From60).ok().as_deref(),
            Some("\"60_plus\"")
        );
        assert_eq!(serde_json::from_str::<Region>("\"east\"").ok(), Some(Region::East));
        assert!(serde_json::from_str::<Region>("\"atlantis\"").is_err());
    }

    #[test]
    fn scenes_word_the_goal_their_own_way() {
        let words: Vec<_> = Scene::ALL.iter().map(|s| GOAL.prompt_in(*s).en).collect();
        assert_ne!(words[0], words[1]);
        assert_ne!(words[1], words[2]);
    }
}
