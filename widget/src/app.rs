//! The chat panel: state, effects and layout. Pieces of the view live in `components`.

use std::rc::Rc;

use inflow_core::consent::{ConsentRecord, Contact, CONSENT_VERSION};
use inflow_core::conversation::{Conversation, Progress, Stage};
use inflow_core::{Lang, LeadRequest, LeadResponse, Scene};
use yew::prelude::*;

use crate::components::{
    cards, consent_ask, contact_form, header, log, replies, AskProps, CardsProps, FormProps, HeaderProps, LogProps,
    RepliesProps,
};
use crate::services::api::{self, SubmitError};
use crate::services::storage::{self, Snapshot};
use crate::texts;

/// What the widget tells the host page through `window.inflow.on(…)`.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    Answer {
        question: &'static str,
        choice: &'static str,
    },
    Lead {
        lead_id: String,
    },
    Recommendation {
        product_ids: Vec<String>,
    },
    Click {
        product_id: String,
    },
}

#[derive(Properties, PartialEq, Clone)]
pub struct Config {
    pub partner: String,
    pub scene: Scene,
    pub lang: Lang,
    /// Origin of the edge, taken from the loader's own URL.
    pub api: String,
    pub attribution: inflow_core::pairs::Pairs,
    /// A conversation kept from an earlier page of this visit.
    pub restored: Option<Snapshot>,
    pub on_close: Callback<()>,
    pub emit: Callback<WidgetEvent>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Chatting,
    /// Every question answered: may the bank contact the visitor?
    Consent,
    /// Agreed: asking for a phone number or an e-mail address.
    Contact,
    Sending,
    Done(Rc<LeadResponse>, Rc<str>),
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
}

fn new_key() -> String {
    crate::services::realm::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        // Without crypto (insecure contexts) the lead goes without a key: stored, not deduplicated.
        .unwrap_or_default()
}

impl Chat {
    fn new(config: &Config) -> Chat {
        let mut chat = Chat {
            conversation: Conversation::new(config.scene),
            lang: config.lang,
            phase: Phase::Chatting,
            touched: false,
            consent: None,
            idempotency_key: None,
            sent_lang: config.lang,
            attempts: 0,
            contact_invalid: false,
            round: 0,
        };
        if let Some(snap) = &config.restored {
            // Replay in script order so a stale or edited snapshot cannot skip a question.
            for q in inflow_core::questionnaire::script(config.scene) {
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
            if let Some(resp) = snap.response.as_deref().and_then(api::parse_response) {
                chat.phase = Phase::Done(Rc::new(resp), Rc::from(snap.response.as_deref().unwrap_or_default()));
            }
        }
        chat
    }

    /// Sent or about to be sent, without an answer from the edge yet.
    fn pending(&self) -> bool {
        matches!(self.phase, Phase::Sending | Phase::Failed(_))
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            lang: self.lang,
            answers: self.conversation.answers.clone(),
            response: match &self.phase {
                Phase::Done(_, raw) => Some(raw.to_string()),
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
}

pub enum Action {
    Answer(&'static str, &'static str),
    Agree,
    Decline,
    Contact(String),
    /// The edge's answer to the lead sent in conversation `round`.
    Answered(u32, Result<(LeadResponse, String), SubmitError>),
    Retry,
    Restart,
    Lang(Lang),
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
            Action::Decline if next.phase == Phase::Consent => {
                next.consent = None;
                next.idempotency_key = Some(new_key());
                next.sent_lang = next.lang;
                next.phase = Phase::Sending;
            }
            Action::Contact(raw) if next.phase == Phase::Contact && Contact::parse(&raw).is_none() => {
                next.contact_invalid = true;
            }
            Action::Contact(contact) if next.phase == Phase::Contact => {
                next.contact_invalid = false;
                next.consent = Some(ConsentRecord {
                    version: CONSENT_VERSION.to_string(),
                    accepted_at: String::from(js_sys::Date::new_0().to_iso_string()),
                    contact: Some(contact.trim().to_string()),
                });
                next.idempotency_key = Some(new_key());
                next.sent_lang = next.lang;
                next.phase = Phase::Sending;
            }
            Action::Agree | Action::Decline | Action::Contact(_) => return self,
            // A late answer to a lead of a conversation the visitor has since started over.
            Action::Answered(round, _) if round != next.round || next.phase != Phase::Sending => return self,
            Action::Answered(_, Ok((resp, raw))) => next.phase = Phase::Done(Rc::new(resp), Rc::from(raw)),
            Action::Answered(_, Err(e)) => {
                next.attempts += 1;
                next.phase = Phase::Failed(e);
            }
            Action::Retry if matches!(next.phase, Phase::Failed(_)) => next.phase = Phase::Sending,
            Action::Retry => return self,
            Action::Restart => {
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

#[function_component(App)]
pub fn app(config: &Config) -> Html {
    let chat = use_reducer({
        let config = config.clone();
        move || Chat::new(&config)
    });

    // Keep the conversation for the rest of the visit, once the visitor has taken part.
    {
        let partner = config.partner.clone();
        use_effect_with((*chat).clone(), move |chat| {
            if chat.touched {
                storage::save(&partner, &chat.snapshot());
            }
        });
    }

    // Send the lead once the questionnaire and the consent step are done, and only then.
    {
        let chat = chat.clone();
        let config = config.clone();
        let sending = chat.phase == Phase::Sending;
        use_effect_with(sending, move |sending| {
            if *sending {
                let lead = LeadRequest {
                    partner: config.partner.clone(),
                    scene: config.scene,
                    lang: chat.sent_lang,
                    answers: chat.conversation.answers.clone(),
                    attribution: config.attribution.clone(),
                    consent: chat.consent.clone(),
                };
                let key = chat.idempotency_key.clone().unwrap_or_default();
                let round = chat.round;
                wasm_bindgen_futures::spawn_local(async move {
                    let result = api::submit_lead(&config.api, &lead, &key).await;
                    if let Ok((resp, _)) = &result {
                        config.emit.emit(WidgetEvent::Lead {
                            lead_id: resp.lead_id.clone(),
                        });
                        let product_ids = resp.recommendations.iter().map(|r| r.product_id.clone()).collect();
                        config.emit.emit(WidgetEvent::Recommendation { product_ids });
                    }
                    chat.dispatch(Action::Answered(round, result));
                });
            }
        });
    }

    // No lead lost: after any failure but a configuration error, try again (same key) with
    // back-off and as soon as the browser says it is back online.
    {
        let chat = chat.clone();
        let offline = matches!(chat.phase, Phase::Failed(SubmitError::Network | SubmitError::Later));
        use_effect_with((offline, chat.attempts), move |(offline, attempts)| {
            let retry = crate::services::retry::schedule(*offline, *attempts, move || chat.dispatch(Action::Retry));
            move || drop(retry)
        });
    }

    // Focus follows the conversation: each new step's first control, once it is on screen.
    let panel = use_node_ref();
    let progress = chat.conversation.progress();
    let step_key = match (&chat.phase, progress) {
        (Phase::Chatting, Progress::Ask(q)) => q.id,
        (Phase::Consent, _) => "consent",
        (Phase::Contact, _) => "contact",
        (Phase::Done(..), _) => "results",
        (Phase::Failed(_), _) => "retry",
        _ => "",
    };
    crate::hooks::use_focus_first(panel.clone(), step_key);

    // Keep the newest message in view, as chat apps do.
    let log_node = use_node_ref();
    {
        let log_node = log_node.clone();
        use_effect(move || {
            if let Some(el) = log_node.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let lang = chat.lang;
    let dispatcher: Callback<Action> = {
        let chat = chat.clone();
        Callback::from(move |a| chat.dispatch(a))
    };
    let on_lang = dispatcher.reform(Action::Lang);
    let retry = dispatcher.reform(|_: MouseEvent| Action::Retry);
    let on_answer = {
        let chat = chat.clone();
        let emit = config.emit.clone();
        Callback::from(move |(question, choice)| {
            emit.emit(WidgetEvent::Answer { question, choice });
            chat.dispatch(Action::Answer(question, choice));
        })
    };
    let restart = {
        let chat = chat.clone();
        let partner = config.partner.clone();
        Callback::from(move |_| {
            storage::clear(&partner);
            chat.dispatch(Action::Restart);
        })
    };
    let on_apply = config.emit.reform(|product_id| WidgetEvent::Click { product_id });

    let footer = match (&chat.phase, progress) {
        (Phase::Chatting, Progress::Ask(q)) => replies(RepliesProps {
            question: q.id,
            lang,
            on_answer,
        }),
        (Phase::Consent, _) => consent_ask(AskProps {
            lang,
            on_agree: dispatcher.reform(|()| Action::Agree),
            on_decline: dispatcher.reform(|()| Action::Decline),
        }),
        (Phase::Contact, _) => contact_form(FormProps {
            lang,
            invalid: chat.contact_invalid,
            on_contact: dispatcher.reform(Action::Contact),
        }),
        (Phase::Failed(SubmitError::Config), _) => html! {},
        (Phase::Failed(_), _) => html! {
            <div class="replies"><button class="reply" onclick={retry}>{ texts::RETRY.get(lang) }</button></div>
        },
        _ => html! {},
    };

    let stage = match chat.phase {
        Phase::Chatting => Stage::Questions,
        Phase::Consent => Stage::Consent,
        Phase::Contact => Stage::Contact,
        _ => Stage::Result,
    };
    // `lang` lets screen readers pick the voice and fonts the Chinese glyphs; `translate="no"`
    // keeps page translators from rewriting the replies' labels under the chat's feet.
    html! {
        <section class="panel" ref={panel} role="dialog" aria-label={texts::TITLE.get(lang)}
            lang={lang.tag()} translate="no">
            { header(HeaderProps { lang, step: chat.conversation.step(stage), total: chat.conversation.total_steps(),
                on_lang, on_close: config.on_close.clone() }) }
            { log(LogProps {
                chat: &chat,
                node: log_node,
                children: match &chat.phase {
                    Phase::Done(resp, _) => cards(CardsProps { response: resp.clone(), lang, on_apply }),
                    _ => Html::default(),
                },
            }) }
            { footer }
            <div class="tools">
                <button class="restart" onclick={restart}>{ texts::RESTART.get(lang) }</button>
            </div>
        </section>
    }
}
