//! The chat's effects, one hook each: keeping it for the visit, sending the lead, retrying, and
//! the keyboard focus and scroll that follow the conversation. The state they read and the
//! actions they dispatch are in `state`.

use inflow_core::LeadRequest;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot};
use yew::prelude::*;

use crate::config::{Config, WidgetEvent};
use crate::services::api::{self, SubmitError};
use crate::services::{retry, storage};
use crate::state::{Action, Chat, Phase};

/// Keeps the conversation for the rest of the visit, once the visitor has taken part.
#[hook]
pub fn use_persist(partner: &str, chat: &Chat) {
    let partner = partner.to_string();
    use_effect_with(chat.clone(), move |chat| {
        if chat.touched {
            storage::save(&partner, &chat.snapshot());
        }
    });
}

/// Sends the lead once the questionnaire and the consent step are done, and only then; tells
/// the host page about the lead and its products, and hands the edge's answer to the chat.
#[hook]
pub fn use_send_lead(config: &Config, chat: UseReducerHandle<Chat>) {
    let config = config.clone();
    let sending = chat.phase == Phase::Sending;
    use_effect_with(sending, move |sending| {
        if !*sending {
            return;
        }
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
            if let Ok(answered) = &result {
                let resp = &answered.response;
                config.emit.emit(WidgetEvent::Lead {
                    lead_id: resp.lead_id.clone(),
                });
                let product_ids = resp.recommendations.iter().map(|r| r.product_id.clone()).collect();
                config.emit.emit(WidgetEvent::Recommendation { product_ids });
            }
            chat.dispatch(Action::Answered(round, result));
        });
    });
}

/// No lead lost: after any failure but a configuration error, tries again (same key) with
/// back-off and as soon as the browser says it is back online.
#[hook]
pub fn use_retry(chat: UseReducerHandle<Chat>) {
    let offline = matches!(chat.phase, Phase::Failed(SubmitError::Network | SubmitError::Later));
    use_effect_with((offline, chat.attempts), move |(offline, attempts)| {
        let retry = retry::schedule(*offline, *attempts, move || chat.dispatch(Action::Retry));
        move || drop(retry)
    });
}

/// Keeps the newest message of `node` (the log) in view after every render, as chat apps do.
#[hook]
pub fn use_scroll_to_end(node: NodeRef) {
    use_effect(move || {
        if let Some(el) = node.cast::<web_sys::Element>() {
            el.set_scroll_top(el.scroll_height());
        }
    });
}

/// The controls of the conversation's current step: its replies, consent or contact form, or the
/// product cards once they are shown.
const STEP_CONTROLS: &str = ".replies button, .replies input, .cards a[href]";

/// When `key` changes, moves focus to the first control of the current step inside `node` (the
/// panel) — but only if focus is in the widget, or was and fell to the page body because the
/// control that had it (the reply just chosen) is gone. The chat never takes focus from
/// something else on the host page.
#[hook]
pub fn use_focus_first(node: NodeRef, key: &str) {
    // One concrete key type keeps a single copy of this code in the wasm.
    use_effect_with(key.to_string(), move |_| {
        let Some(el) = node.cast::<HtmlElement>() else { return };
        let Ok(root) = el.get_root_node().dyn_into::<ShadowRoot>() else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let active = document.active_element();
        let body = document.body().map(|b| b.unchecked_into::<web_sys::Element>());
        if active.is_some() && active != Some(root.host()) && active != body {
            return;
        }
        if let Some(first) = el
            .query_selector(STEP_CONTROLS)
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<HtmlElement>().ok())
        {
            let _ = first.focus();
        }
    });
}
