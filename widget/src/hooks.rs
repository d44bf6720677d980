//! Keyboard focus that follows the conversation.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot};
use yew::prelude::*;

/// The controls of the conversation's current step: its replies, consent or contact form, or the
/// product cards once they are shown.
const STEP_CONTROLS: &str = ".replies button, .replies input, .cards a[href]";

/// When `key` changes, moves focus to the first control of the current step inside `node` (the
/// panel) — but only if focus is
/// in the widget, or was and fell to the page body because the control that had it (the reply
/// just chosen) is gone. The chat never takes focus from something else on the host page.
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
