//! The conversation so far, rebuilt from the answers so a language switch re-words all of it.

use inflow_core::lead::conversation::Progress;
use inflow_core::lead::questionnaire;
use yew::prelude::*;

use crate::services::api::SubmitError;
use crate::state::{Chat, Phase};
use crate::texts;

pub struct Props<'a> {
    pub chat: &'a Chat,
    /// The panel keeps the newest message in view through this.
    pub node: NodeRef,
    /// Shown after the messages: the product cards.
    pub children: Html,
}

fn bot(text: &str) -> Html {
    html! { <p class="msg bot">{ text.to_string() }</p> }
}

pub fn log(p: Props) -> Html {
    let lang = p.chat.lang;
    let conv = &p.chat.conversation;
    let mut lines = vec![bot(questionnaire::opener(conv.scene).get(lang))];
    for q in questionnaire::script(conv.scene) {
        let Some(choice) = conv.answers.get(q.id).and_then(|c| q.choice(c)) else {
            continue;
        };
        lines.push(bot(q.prompt_in(conv.scene).get(lang)));
        lines.push(html! { <p class="msg me">{ choice.label.get(lang) }</p> });
    }
    match (&p.chat.phase, conv.progress()) {
        (_, Progress::Ineligible) => lines.push(bot(texts::INELIGIBLE.get(lang))),
        (Phase::Chatting, Progress::Ask(q)) => lines.push(bot(q.prompt_in(conv.scene).get(lang))),
        (Phase::Consent, _) => lines.push(bot(&p.chat.offer.consent_ask(lang))),
        (Phase::Sending, _) => lines.push(html! {
            <p class="msg bot typing" aria-label={texts::THINKING.get(lang)}>
                <span class="dot"></span><span class="dot"></span><span class="dot"></span>
            </p>
        }),
        (Phase::Failed(SubmitError::Network), _) => lines.push(bot(texts::OFFLINE.get(lang))),
        (Phase::Failed(SubmitError::Later), _) => lines.push(bot(texts::LATER.get(lang))),
        (Phase::Failed(SubmitError::Config), _) => lines.push(bot(texts::NOT_SET_UP.get(lang))),
        (Phase::Failed(SubmitError::Outdated), _) => lines.push(bot(texts::CONSENT_CHANGED.get(lang))),
        _ => {}
    }
    html! {
        <div class="log" ref={p.node} role="log" aria-live="polite" tabindex="0" aria-label={texts::TITLE.get(lang)}>
            { for lines }
            { p.children }
        </div>
    }
}
