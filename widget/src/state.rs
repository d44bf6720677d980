//! The chat's state and the one function that changes it: what the visitor did, or what the edge
//! answered, goes in as an [`Action`]; the next [`Chat`] comes out. Nothing here draws or does
//! I/O — the key and the clock come in with the action, and the effects that store, send and
//! retry live in `hooks` — so the reducer is tested natively (`cargo test -p inflow-widget`).

use std::rc::Rc;

use inflow_core::lead::consent::{ConsentRecord, Contact};
use inflow_core::lead::conversation::{Conversation, Progress, Stage};
use inflow_core::{lead::questionnaire, Lang, Scene};
use yew::Reducible;

use crate::config::Offer;
use crate::services::api::{Answered, SubmitError};
use crate::services::storage::Snapshot;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Chatting,
    /// Every question answered: may the bank contact the visitor?
    Consent,
    /// Agreed: asking for a phone number or an e-mail address.
    Contact,
    Sending,
    Done(Answered),
    Failed(SubmitError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub conversation: Conversation,
    pub lang: Lang,
    pub phase: Phase,
    /// Whether the visitor has done anything yet: nothing is stored before they have.
    pub touched: bool,
    pub consent: Option<ConsentRecord>,
    /// One key per lead, kept across retries and reloads, so the edge stores it once. A lead
    /// is frozen once sent (its answers cannot change, and `sent_lang` keeps its language when
    /// the visitor switches): every resend is the same body with the same key, and starting
    /// over makes a new key.
    pub idempotency_key: Option<String>,
    /// The language the pending lead is sent in.
    pub sent_lang: Lang,
    /// Failed sends so far, for the back-off.
    pub attempts: u32,
    /// The contact last entered was neither a phone number nor an e-mail address.
    pub contact_invalid: bool,
    /// Which conversation this is (one more on every start over): an answer to a lead sent
    /// before the visitor started over belongs to the old conversation and is ignored.
    pub round: u32,
    /// The partner's offer: the banks the consent names and the version a consent records.
    pub offer: Rc<Offer>,
    /// The edge erased the answered lead at the visitor's request ("delete my details").
    pub erased: bool,
}

/// What changes the chat.
#[derive(Debug)]
pub enum Action {
    /// A reply to a question: question id, choice id.
    Answer(&'static str, &'static str),
    Agree,
    /// No contact: the lead goes without one, under the new idempotency `key`.
    Decline {
        key: String,
    },
    /// The contact as typed; if it is a phone number or an e-mail address, the lead goes with
    /// it under the new idempotency `key`, consent given at `accepted_at` (RFC 3339).
    Contact {
        raw: String,
        key: String,
        accepted_at: String,
    },
    /// The edge's answer to the lead sent in conversation `round`.
    Answered(u32, Result<Answered, SubmitError>),
    Retry,
    /// The edge erased the answered lead.
    Erased,
    Restart,
    Lang(Lang),
}

impl Chat {
    /// A new chat in `scene` about `offer`, or the one kept in `restored` from an earlier page
    /// of this visit.
    pub fn new(scene: Scene, lang: Lang, offer: Rc<Offer>, restored: Option<&Snapshot>) -> Chat {
        let mut chat = Chat {
            conversation: Conversation::new(scene),
            lang,
            phase: Phase::Chatting,
            touched: false,
            consent: None,
            idempotency_key: None,
            sent_lang: lang,
            attempts: 0,
            contact_invalid: false,
            round: 0,
            offer,
            erased: false,
        };
        if let Some(snap) = restored {
            // Replay in script order so a stale or edited snapshot cannot skip a question.
            for q in questionnaire::script(scene) {
                if let Some(c) = snap.answers.get(q.id) {
                    chat.conversation.answer(q.id, c);
                }
            }
            chat.lang = snap.lang;
            chat.touched = true;
            if chat.conversation.progress() == Progress::Complete {
                chat.phase = Phase::Consent;
            }
            // A lead that was on its way when the page went away is sent again, with its key.
            if let (Some((key, lang)), None) = (&snap.pending, &snap.response) {
                chat.idempotency_key = Some(key.clone());
                chat.sent_lang = *lang;
                chat.consent = snap.consent.clone();
                chat.phase = Phase::Sending;
            }
            if let Some(answered) = &snap.response {
                chat.phase = Phase::Done(answered.clone());
            }
        }
        chat
    }

    /// Sent or about to be sent, without an answer from the edge yet.
    fn pending(&self) -> bool {
        matches!(self.phase, Phase::Sending | Phase::Failed(_))
    }

    /// What is kept for the rest of the visit (see `services::storage`).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            lang: self.lang,
            answers: self.conversation.answers.clone(),
            response: match &self.phase {
                Phase::Done(answered) => Some(answered.clone()),
                _ => None,
            },
            pending: self
                .idempotency_key
                .clone()
                .filter(|_| self.pending())
                .map(|k| (k, self.sent_lang)),
            // The contact itself never goes into the host site's storage, where its scripts
            // could read it; a resent lead keeps the consent record without it.
            consent: self
                .consent
                .clone()
                .filter(|_| self.pending())
                .map(|c| ConsentRecord { contact: None, ..c }),
        }
    }

    /// Where the step counter stands.
    pub fn stage(&self) -> Stage {
        match self.phase {
            Phase::Chatting => Stage::Questions,
            Phase::Consent => Stage::Consent,
            Phase::Contact => Stage::Contact,
            _ => Stage::Result,
        }
    }

    /// Names the step on screen; focus moves to its first control when this changes.
    pub fn step_key(&self) -> &'static str {
        match (&self.phase, self.conversation.progress()) {
            (Phase::Chatting, Progress::Ask(q)) => q.id,
            (Phase::Consent, _) => "consent",
            (Phase::Contact, _) => "contact",
            (Phase::Done(..), _) => "results",
            (Phase::Failed(_), _) => "retry",
            _ => "",
        }
    }

    /// The lead, frozen under `key` in the language it was sent in.
    fn send(&mut self, key: String) {
        self.idempotency_key = Some(key);
        self.sent_lang = self.lang;
        self.phase = Phase::Sending;
    }
}

impl Reducible for Chat {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Answer(q, c) if next.phase == Phase::Chatting => {
                if next.conversation.answer(q, c) == Progress::Complete {
                    next.phase = Phase::Consent;
                }
                next.touched = true;
            }
            Action::Answer(..) => return self,
            Action::Agree if next.phase == Phase::Consent => next.phase = Phase::Contact,
            Action::Decline { key } if next.phase == Phase::Consent => {
                next.consent = None;
                next.send(key);
            }
            Action::Contact { raw, .. } if next.phase == Phase::Contact && Contact::parse(&raw).is_none() => {
                next.contact_invalid = true;
            }
            Action::Contact { raw, key, accepted_at } if next.phase == Phase::Contact => {
                next.contact_invalid = false;
                next.consent = Some(ConsentRecord {
                    version: next.offer.consent_version.clone(),
                    accepted_at,
                    contact: Some(raw.trim().to_string()),
                });
                next.send(key);
            }
            Action::Agree | Action::Decline { .. } | Action::Contact { .. } => return self,
            // A late answer to a lead of a conversation the visitor has since started over.
            Action::Answered(round, _) if round != next.round || next.phase != Phase::Sending => return self,
            Action::Answered(_, Ok(answered)) => next.phase = Phase::Done(answered),
            Action::Answered(_, Err(e)) => {
                next.attempts += 1;
                next.phase = Phase::Failed(e);
            }
            Action::Retry if matches!(next.phase, Phase::Failed(_)) => next.phase = Phase::Sending,
            Action::Retry => return self,
            Action::Erased if matches!(next.phase, Phase::Done(_)) => next.erased = true,
            Action::Erased => return self,
            Action::Restart => {
                next.erased = false;
                next.conversation = Conversation::new(next.conversation.scene);
                next.consent = None;
                next.idempotency_key = None;
                next.attempts = 0;
                next.contact_invalid = false;
                next.phase = Phase::Chatting;
                next.touched = true;
                next.round += 1;
            }
            Action::Lang(lang) => {
                next.lang = lang;
                next.touched = true;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use inflow_core::support::i18n::Localized;

    fn localized(zh_hans: &str, zh_hant: &str, en: &str) -> Localized {
        Localized::new(zh_hans, zh_hant, en)
    }

    /// Two banks' offer, as the edge gives it for the education partner.
    fn offer() -> Rc<Offer> {
        let banks = [
            localized("示范银行", "示範銀行", "Demo Bank"),
            localized("港湾银行", "港灣銀行", "Harbor Bank"),
        ];
        let text = localized(
            "我同意两家银行联系我。",
            "我同意兩家銀行聯繫我。",
            "I agree that both banks may contact me.",
        );
        Rc::new(Offer::new(&banks, text, "contact-2026-11+harbor-2026-11".into()))
    }

    fn chat() -> Rc<Chat> {
        Rc::new(Chat::new(Scene::Education, Lang::En, offer(), None))
    }

    fn apply(chat: Rc<Chat>, actions: impl IntoIterator<Item = Action>) -> Rc<Chat> {
        actions.into_iter().fold(chat, Reducible::reduce)
    }

    /// Every question answered with the reference lead's choices.
    fn answered() -> Rc<Chat> {
        apply(chat(), answered_actions())
    }

    /// The reference lead's choices, in the scene's order.
    fn answered_actions() -> impl Iterator<Item = Action> {
        let answers = questionnaire::EXAMPLE;
        questionnaire::script(Scene::Education).into_iter().map(move |q| {
            let choice = answers.iter().find(|(id, _)| *id == q.id).map_or("", |(_, c)| *c);
            Action::Answer(q.id, choice)
        })
    }

    fn decline(key: &str) -> Action {
        Action::Decline { key: key.into() }
    }

    fn contact(raw: &str) -> Action {
        Action::Contact {
            raw: raw.into(),
            key: "k2".into(),
            accepted_at: "2026-11-30T08:00:00.000Z".into(),
        }
    }

    fn response() -> Answered {
        let response = inflow_core::LeadResponse {
            lead_id: "l1".into(),
            risk_tolerance: "C3".into(),
            recommendations: Vec::new(),
            erasure_token: String::new(),
        };
        Answered {
            response: Rc::new(response),
            raw: Rc::from("{\"lead_id\":\"l1\"}"),
        }
    }

    #[test]
    fn nothing_is_touched_before_the_visitor_acts() {
        let c = chat();
        assert!(!c.touched);
        assert_eq!((c.stage(), c.step_key()), (Stage::Questions, "age"));
        assert!(apply(c, [Action::Lang(Lang::ZhHans)]).touched);
    }

    #[test]
    fn all_answers_lead_to_consent_and_a_decline_sends_under_its_key() {
        let c = answered();
        assert_eq!((&c.phase, c.step_key()), (&Phase::Consent, "consent"));
        let c = apply(c, [Action::Lang(Lang::ZhHant), decline("k1")]);
        assert_eq!(c.phase, Phase::Sending);
        assert_eq!((c.idempotency_key.as_deref(), c.sent_lang), (Some("k1"), Lang::ZhHant));
        assert_eq!(c.consent, None);
    }

    #[test]
    fn out_of_turn_actions_change_nothing() {
        let c = chat();
        for action in [Action::Agree, decline("k"), contact("a@b.cn"), Action::Retry] {
            assert!(Rc::ptr_eq(&c, &c.clone().reduce(action)));
        }
        let c = answered();
        assert!(Rc::ptr_eq(&c, &c.clone().reduce(Action::Answer("age", "18_29"))));
    }

    #[test]
    fn a_contact_is_checked_then_sent_with_its_consent() {
        let c = apply(answered(), [Action::Agree, contact("not a contact")]);
        assert_eq!((&c.phase, c.contact_invalid), (&Phase::Contact, true));
        let c = apply(c, [contact(" a@b.cn ")]);
        assert_eq!((&c.phase, c.contact_invalid), (&Phase::Sending, false));
        let consent = c.consent.clone().expect("consent recorded");
        assert_eq!(consent.version, "contact-2026-11+harbor-2026-11", "the offer's version");
        assert_eq!(consent.contact.as_deref(), Some("a@b.cn"));
        assert_eq!(consent.accepted_at, "2026-11-30T08:00:00.000Z");
    }

    #[test]
    fn the_stored_snapshot_never_holds_the_contact() {
        let c = apply(answered(), [Action::Agree, contact("a@b.cn")]);
        let snap = c.snapshot();
        assert_eq!(snap.pending, Some(("k2".into(), Lang::En)));
        assert_eq!(snap.consent.map(|r| r.contact), Some(None));
    }

    #[test]
    fn failures_count_and_retry_resends_the_same_lead() {
        let c = apply(
            answered(),
            [decline("k1"), Action::Answered(0, Err(SubmitError::Network))],
        );
        assert_eq!(
            (&c.phase, c.attempts, c.step_key()),
            (&Phase::Failed(SubmitError::Network), 1, "retry")
        );
        let c = apply(c, [Action::Retry]);
        assert_eq!((&c.phase, c.idempotency_key.as_deref()), (&Phase::Sending, Some("k1")));
        let c = apply(c, [Action::Answered(0, Ok(response()))]);
        assert_eq!(c.phase, Phase::Done(response()));
        assert_eq!((c.stage(), c.step_key()), (Stage::Result, "results"));
        assert_eq!(c.snapshot().pending, None);
    }

    #[test]
    fn only_an_answered_lead_is_erased_and_starting_over_forgets_it() {
        let c = answered();
        assert!(Rc::ptr_eq(&c, &c.clone().reduce(Action::Erased)), "nothing sent yet");
        let c = apply(c, [decline("k1"), Action::Answered(0, Ok(response())), Action::Erased]);
        assert!(c.erased);
        assert!(!apply(c, [Action::Restart]).erased);
    }

    #[test]
    fn an_answer_to_an_earlier_conversation_is_ignored() {
        let c = apply(answered(), [decline("k1"), Action::Restart]);
        assert_eq!(
            (&c.phase, c.round, c.idempotency_key.clone()),
            (&Phase::Chatting, 1, None)
        );
        assert!(c.conversation.answers.is_empty());
        let c = apply(c, [Action::Answered(0, Ok(response()))]);
        assert_eq!(c.phase, Phase::Chatting);
    }

    #[test]
    fn a_lead_on_its_way_is_resumed_with_its_key_and_language() {
        let sending = apply(answered(), [Action::Agree, contact("a@b.cn")]);
        let snap = sending.snapshot();
        let resumed = Chat::new(Scene::Education, Lang::ZhHans, offer(), Some(&snap));
        assert_eq!(resumed.phase, Phase::Sending);
        assert_eq!(resumed.idempotency_key.as_deref(), Some("k2"));
        assert_eq!((resumed.lang, resumed.sent_lang), (Lang::En, Lang::En));
        assert_eq!(resumed.conversation.answers, sending.conversation.answers);

        let done = apply(sending, [Action::Answered(0, Ok(response()))]);
        let resumed = Chat::new(Scene::Education, Lang::En, offer(), Some(&done.snapshot()));
        assert_eq!(resumed.phase, done.phase);
    }

    #[test]
    fn the_consent_step_names_the_offers_banks_and_a_restart_keeps_the_offer() {
        let c = answered();
        assert_eq!(c.phase, Phase::Consent);
        assert_eq!(
            c.offer.consent_ask(Lang::En),
            "Would you like an adviser from Demo Bank and Harbor Bank to contact you about these products?"
        );
        assert_eq!(
            c.offer.consent_ask(Lang::ZhHans),
            "需要示范银行和港湾银行的顾问联系您，详细介绍这些产品吗？"
        );
        let c = apply(c, [decline("k1"), Action::Restart]);
        assert_eq!(c.offer, offer());
        let c = apply(apply(c, answered_actions()), [Action::Agree, contact("13800138000")]);
        let version = c.consent.as_ref().map(|r| r.version.as_str());
        assert_eq!(version, Some("contact-2026-11+harbor-2026-11"));
    }
}
