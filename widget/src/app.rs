//! The chat panel: state, effects and layout. Pieces of the view live in `components`.

use std::rc::Rc;

use inflow_core::conversation::{Conversation, Progress};
use inflow_core::{Lang, LeadRequest, LeadResponse, Scene};
use yew::prelude::*;

use crate::components::{Cards, Header, Log, Replies};
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
}

impl Chat {
    fn new(config: &Config) -> Chat {
        let mut chat = Chat {
            conversation: Conversation::new(config.scene),
            lang: config.lang,
            phase: Phase::Chatting,
            touched: false,
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
            if let Some(resp) = snap.response.as_deref().and_then(api::parse_response) {
                chat.phase = Phase::Done(Rc::new(resp), Rc::from(snap.response.as_deref().unwrap_or_default()));
            }
        }
        chat
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            lang: self.lang,
            answers: self.conversation.answers.clone(),
            response: match &self.phase {
                Phase::Done(_, raw) => Some(raw.to_string()),
                _ => None,
            },
        }
    }
}

pub enum Action {
    Answer(&'static str, &'static str),
    Sending,
    Answered(Result<(LeadResponse, String), SubmitError>),
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
                next.conversation.answer(q, c);
                next.touched = true;
            }
            Action::Answer(..) => return self,
            Action::Sending => next.phase = Phase::Sending,
            Action::Answered(Ok((resp, raw))) => next.phase = Phase::Done(Rc::new(resp), Rc::from(raw)),
            Action::Answered(Err(e)) => next.phase = Phase::Failed(e),
            Action::Retry => next.phase = Phase::Chatting,
            Action::Restart => {
                next.conversation = Conversation::new(next.conversation.scene);
                next.phase = Phase::Chatting;
                next.touched = true;
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

    // Send the lead once the questionnaire is complete, and only then.
    {
        let chat = chat.clone();
        let config = config.clone();
        let ready = chat.phase == Phase::Chatting && chat.conversation.progress() == Progress::Complete;
        use_effect_with(ready, move |ready| {
            if *ready {
                chat.dispatch(Action::Sending);
                let lead = LeadRequest {
                    partner: config.partner.clone(),
                    scene: config.scene,
                    lang: chat.lang,
                    answers: chat.conversation.answers.clone(),
                    attribution: config.attribution.clone(),
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let result = api::submit_lead(&config.api, &lead).await;
                    if let Ok((resp, _)) = &result {
                        config.emit.emit(WidgetEvent::Lead {
                            lead_id: resp.lead_id.clone(),
                        });
                        let product_ids = resp.recommendations.iter().map(|r| r.product_id.clone()).collect();
                        config.emit.emit(WidgetEvent::Recommendation { product_ids });
                    }
                    chat.dispatch(Action::Answered(result));
                });
            }
        });
    }

    let lang = chat.lang;
    let on_answer = {
        let chat = chat.clone();
        let emit = config.emit.clone();
        Callback::from(move |(question, choice)| {
            emit.emit(WidgetEvent::Answer { question, choice });
            chat.dispatch(Action::Answer(question, choice));
        })
    };
    let on_lang = {
        let chat = chat.clone();
        Callback::from(move |l| chat.dispatch(Action::Lang(l)))
    };
    let restart = {
        let chat = chat.clone();
        let partner = config.partner.clone();
        Callback::from(move |_| {
            storage::clear(&partner);
            chat.dispatch(Action::Restart);
        })
    };
    let retry = {
        let chat = chat.clone();
        Callback::from(move |_| chat.dispatch(Action::Retry))
    };
    let on_apply = config.emit.reform(|product_id| WidgetEvent::Click { product_id });

    let progress = chat.conversation.progress();
    let footer = match (&chat.phase, progress) {
        (Phase::Chatting, Progress::Ask(q)) => html! { <Replies question={q.id} {lang} on_answer={on_answer} /> },
        (Phase::Failed(_), _) => html! {
            <div class="replies"><button class="reply" onclick={retry}>{ texts::RETRY.get(lang) }</button></div>
        },
        _ => html! {},
    };

    html! {
        <section class="panel" role="dialog" aria-label={texts::TITLE.get(lang)}>
            <Header {lang} step={chat.conversation.step()} total={chat.conversation.total_steps()}
                on_lang={on_lang} on_close={config.on_close.clone()} />
            <Log chat={(*chat).clone()}>
                if let Phase::Done(resp, _) = &chat.phase {
                    <Cards response={resp.clone()} {lang} {on_apply} />
                }
            </Log>
            { footer }
            <div class="tools">
                <button class="restart" onclick={restart}>{ texts::RESTART.get(lang) }</button>
            </div>
        </section>
    }
}
