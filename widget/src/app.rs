//! The chat panel: state, effects and layout. Pieces of the view live in `components`.

use std::collections::BTreeMap;
use std::rc::Rc;

use inflow_core::conversation::{Conversation, Progress};
use inflow_core::{Lang, LeadRequest, LeadResponse, Scene};
use yew::prelude::*;

use crate::components::{Cards, Header, Log, Replies};
use crate::services::api::{self, SubmitError};
use crate::texts;

#[derive(Properties, PartialEq, Clone)]
pub struct Config {
    pub partner: String,
    pub scene: Scene,
    pub lang: Lang,
    /// Origin of the edge, taken from the loader's own URL.
    pub api: String,
    pub attribution: BTreeMap<String, String>,
    pub on_close: Callback<()>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Chatting,
    Sending,
    Done(Rc<LeadResponse>),
    Failed(SubmitError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub conversation: Conversation,
    pub lang: Lang,
    pub phase: Phase,
}

pub enum Action {
    Answer(&'static str, &'static str),
    Sending,
    Answered(Result<LeadResponse, SubmitError>),
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
            }
            Action::Answer(..) => return self,
            Action::Sending => next.phase = Phase::Sending,
            Action::Answered(Ok(resp)) => next.phase = Phase::Done(Rc::new(resp)),
            Action::Answered(Err(e)) => next.phase = Phase::Failed(e),
            Action::Retry => next.phase = Phase::Chatting,
            Action::Restart => {
                next.conversation = Conversation::new(next.conversation.scene);
                next.phase = Phase::Chatting;
            }
            Action::Lang(lang) => next.lang = lang,
        }
        Rc::new(next)
    }
}

#[function_component(App)]
pub fn app(config: &Config) -> Html {
    let chat = use_reducer({
        let (scene, lang) = (config.scene, config.lang);
        move || Chat {
            conversation: Conversation::new(scene),
            lang,
            phase: Phase::Chatting,
        }
    });

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
                    chat.dispatch(Action::Answered(result));
                });
            }
        });
    }

    let lang = chat.lang;
    let on_answer = {
        let chat = chat.clone();
        Callback::from(move |(q, c)| chat.dispatch(Action::Answer(q, c)))
    };
    let on_lang = {
        let chat = chat.clone();
        Callback::from(move |l| chat.dispatch(Action::Lang(l)))
    };
    let restart = {
        let chat = chat.clone();
        Callback::from(move |_| chat.dispatch(Action::Restart))
    };
    let retry = {
        let chat = chat.clone();
        Callback::from(move |_| chat.dispatch(Action::Retry))
    };

    let progress = chat.conversation.progress();
    let footer = match (&chat.phase, progress) {
        (Phase::Chatting, Progress::Ask(q)) => {
            html! { <Replies question={q.id} {lang} on_answer={on_answer} /> }
        }
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
                if let Phase::Done(resp) = &chat.phase {
                    <Cards response={resp.clone()} {lang} />
                }
            </Log>
            { footer }
            <div class="tools">
                <button class="restart" onclick={restart}>{ texts::RESTART.get(lang) }</button>
            </div>
        </section>
    }
}
