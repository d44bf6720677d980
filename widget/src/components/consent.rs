//! Consent first: contact details are asked for only after the visitor agrees to the versioned
//! consent text, and are checked before anything is sent.

use inflow_core::Lang;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::texts;

pub struct AskProps {
    pub lang: Lang,
    /// The question, naming the offer's banks (`config::Offer::consent_ask`).
    pub ask: String,
    /// The banks' consent text the visitor agrees to, from the offer.
    pub text: String,
    pub on_agree: Callback<()>,
    pub on_decline: Callback<()>,
}

pub fn consent_ask(p: AskProps) -> Html {
    html! {
        <div class="replies consent" role="group" aria-label={p.ask}>
            <p class="consent-text">{ p.text }</p>
            <button class="reply agree" onclick={p.on_agree.reform(|_: MouseEvent| ())}>{ texts::AGREE.get(p.lang) }</button>
            <button class="reply decline" onclick={p.on_decline.reform(|_: MouseEvent| ())}>{ texts::DECLINE.get(p.lang) }</button>
        </div>
    }
}

pub struct FormProps {
    pub lang: Lang,
    /// The last address sent was not a phone number or an e-mail address.
    pub invalid: bool,
    /// The raw input; the chat checks it (see `state::Action::Contact`).
    pub on_contact: Callback<String>,
}

/// The value of the form's input, read from the submit event so the form needs no state or
/// node reference of its own.
fn submitted_value(e: &SubmitEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|form| form.query_selector("input").ok().flatten())
        .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

pub fn contact_form(p: FormProps) -> Html {
    let onsubmit = p.on_contact.reform(|e: SubmitEvent| {
        e.prevent_default();
        submitted_value(&e)
    });
    let invalid = p.invalid;
    // Enter that confirms an input method's candidate (Chinese, Japanese…) is not a submit:
    // browsers flag it with `isComposing`, and Safari only with keyCode 229.
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if (e.key() == "Enter" || e.code() == "Enter") && (e.is_composing() || e.key_code() == 229) {
            e.prevent_default();
        }
    });
    html! {
        <form class="replies contact" {onsubmit} novalidate=true>
            <label class="contact-label" for="inflow-contact">{ texts::CONTACT_PROMPT.get(p.lang) }</label>
            <input id="inflow-contact" class="contact-input" type="text" autocomplete="email" {onkeydown}
                inputmode="email" maxlength="254" aria-invalid={if invalid { "true" } else { "false" }}
                aria-describedby={invalid.then_some("inflow-contact-error")} />
            if invalid {
                <p id="inflow-contact-error" class="contact-error" role="alert">{ texts::CONTACT_INVALID.get(p.lang) }</p>
            }
            <button class="reply send" type="submit">{ texts::SEND.get(p.lang) }</button>
        </form>
    }
}
