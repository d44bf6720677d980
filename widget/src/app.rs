//! The chat panel as drawn: the state is in `state`, the effects in `hooks`, and the pieces of
//! the view in `components`.

use inflow_core::lead::conversation::Progress;
use yew::prelude::*;

use crate::components::{
    cards, consent_ask, contact_form, header, log, replies, AskProps, CardsProps, FormProps, HeaderProps, LogProps,
    RepliesProps,
};
use crate::config::{Config, WidgetEvent};
use crate::hooks::{use_focus_first, use_persist, use_retry, use_scroll_to_end, use_send_lead};
use crate::services::api::{self, new_key, SubmitError};
use crate::services::storage;
use crate::state::{Action, Chat, Phase};
use crate::texts;

#[function_component(App)]
pub fn app(config: &Config) -> Html {
    let chat = use_reducer({
        let config = config.clone();
        move || {
            Chat::new(
                config.scene,
                config.lang,
                config.offer.clone(),
                config.restored.as_ref(),
            )
        }
    });
    use_persist(&config.partner, &chat);
    use_send_lead(config, chat.clone());
    use_retry(chat.clone());
    // Focus follows the conversation: each new step's first control, once it is on screen.
    let panel = use_node_ref();
    use_focus_first(panel.clone(), chat.step_key());
    let log_node = use_node_ref();
    use_scroll_to_end(log_node.clone());

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
    // "Delete my details", once the lead is answered: the token is the kept answer's.
    let erase = match &chat.phase {
        Phase::Done(_) if chat.erased => html! { <span role="status">{ texts::ERASED.get(lang) }</span> },
        Phase::Done(answered) if !answered.response.erasure_token.is_empty() => {
            let (chat, api, answer) = (chat.clone(), config.api.clone(), answered.response.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                let (chat, api, answer) = (chat.clone(), api.clone(), answer.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if api::erase(&api, &answer).await {
                        chat.dispatch(Action::Erased);
                    }
                });
            });
            html! { <button class="erase" {onclick}>{ texts::ERASE.get(lang) }</button> }
        }
        _ => html! {},
    };

    let footer = match (&chat.phase, chat.conversation.progress()) {
        (Phase::Chatting, Progress::Ask(q)) => replies(RepliesProps {
            question: q.id,
            lang,
            on_answer,
        }),
        (Phase::Consent, _) => consent_ask(AskProps {
            lang,
            ask: chat.offer.consent_ask(lang),
            text: chat.offer.consent.get(lang).to_string(),
            on_agree: dispatcher.reform(|()| Action::Agree),
            on_decline: dispatcher.reform(|()| Action::Decline { key: new_key() }),
        }),
        (Phase::Contact, _) => contact_form(FormProps {
            lang,
            invalid: chat.contact_invalid,
            on_contact: dispatcher.reform(|raw| Action::Contact {
                raw,
                key: new_key(),
                accepted_at: js_sys::Date::new_0().to_iso_string().into(),
            }),
        }),
        (Phase::Failed(SubmitError::Config | SubmitError::Outdated), _) => html! {},
        (Phase::Failed(_), _) => html! {
            <div class="replies"><button class="reply" onclick={retry}>{ texts::RETRY.get(lang) }</button></div>
        },
        _ => html! {},
    };

    // `lang` lets screen readers pick the voice and fonts the Chinese glyphs; `translate="no"`
    // keeps page translators from rewriting the replies' labels under the chat's feet.
    html! {
        <section class="panel" ref={panel} role="dialog" aria-label={texts::TITLE.get(lang)}
            lang={lang.tag()} translate="no">
            { header(HeaderProps { lang, step: chat.conversation.step(chat.stage()), total: chat.conversation.total_steps(),
                on_lang, on_close: config.on_close.clone() }) }
            { log(LogProps {
                chat: &chat,
                node: log_node,
                children: match &chat.phase {
                    Phase::Done(answered) => cards(CardsProps { response: answered.response.clone(), lang, on_apply }),
                    _ => Html::default(),
                },
            }) }
            { footer }
            <div class="tools">
                { erase }
                <button class="restart" onclick={restart}>{ texts::RESTART.get(lang) }</button>
            </div>
        </section>
    }
}
