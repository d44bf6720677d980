//! Where a chat stands: which question is next, whether the visitor can go on. The widget keeps
//! one of these; the edge re-checks the finished answers with [`crate::lead::profile::assess`].

use crate::lead::questionnaire::{self, AgeBand, Answer, Answers, Question};
use crate::lead::scene::Scene;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub scene: Scene,
    pub answers: Answers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Ask(&'static Question),
    /// Every question is answered: the lead can be sent.
    Complete,
    /// The visitor cannot be a lead (under 18); nothing may be sent.
    Ineligible,
}

/// Where in the chat the visitor is, for the step counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Questions,
    Consent,
    Contact,
    Result,
}

/// The steps counted after the questions, in order (a visitor who declines skips contact).
pub const AFTER_QUESTIONS: [Stage; 3] = [Stage::Consent, Stage::Contact, Stage::Result];

impl Conversation {
    pub fn new(scene: Scene) -> Self {
        Conversation {
            scene,
            answers: Answers::new(),
        }
    }

    /// Steps the visitor sees counted: every question, then consent, contact and the result
    /// ([`AFTER_QUESTIONS`] of them), so the counter never stops short of the end.
    pub fn total_steps(&self) -> usize {
        questionnaire::script(self.scene).len() + AFTER_QUESTIONS.len()
    }

    /// 1-based number of the step shown at `stage`: the question being asked, or one of the
    /// steps after the questions.
    pub fn step(&self, stage: Stage) -> usize {
        let questions = questionnaire::script(self.scene).len();
        match AFTER_QUESTIONS.iter().position(|s| *s == stage) {
            Some(i) => questions + 1 + i,
            None => (self.answers.len() + 1).min(questions),
        }
    }

    pub fn progress(&self) -> Progress {
        if AgeBand::of(&self.answers) == Some(AgeBand::Under18) {
            return Progress::Ineligible;
        }
        questionnaire::script(self.scene)
            .into_iter()
            .find(|q| !self.answers.contains_key(q.id))
            .map_or(Progress::Complete, Progress::Ask)
    }

    /// Records an answer to the current question. Answers to other questions or to choices that
    /// do not exist are ignored, so a stale click cannot corrupt the conversation.
    pub fn answer(&mut self, question: &str, choice: &str) -> Progress {
        if let Progress::Ask(q) = self.progress() {
            if q.id == question && q.choice(choice).is_some() {
                self.answers.insert(question.to_string(), choice.to_string());
            }
        }
        self.progress()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_script_to_completion() {
        let mut c = Conversation::new(Scene::Gaming);
        let mut asked = 0;
        while let Progress::Ask(q) = c.progress() {
            asked += 1;
            assert_eq!(c.step(Stage::Questions), asked);
            let choice = q.choices.last().map(|ch| ch.id).unwrap_or_default();
            c.answer(q.id, choice);
        }
        assert_eq!(c.progress(), Progress::Complete);
        assert_eq!(asked + 3, c.total_steps());
        assert_eq!(c.step(Stage::Consent), asked + 1);
        assert_eq!(c.step(Stage::Contact), asked + 2);
        assert_eq!(c.step(Stage::Result), c.total_steps());
        assert!(crate::lead::profile::assess(&c.answers).is_ok());
    }

    #[test]
    fn minors_stop_the_conversation() {
        let mut c = Conversation::new(Scene::Education);
        assert_eq!(c.answer("age", "under_18"), Progress::Ineligible);
        assert_eq!(c.answer("goal", "tuition"), Progress::Ineligible);
        assert!(!c.answers.contains_key("goal"));
    }

    #[test]
    fn ignores_out_of_turn_and_unknown_answers() {
        let mut c = Conversation::new(Scene::Telehealth);
        c.answer("loss", "hold");
        c.answer("age", "seventy");
        assert!(c.answers.is_empty());
    }
}
