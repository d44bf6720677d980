//! Consent first: contact details are asked for only after the visitor agrees to the versioned
//! consent text, and are checked before anything is sent.

use inflow_core::consent::{Contact, CONSENT_TEXT};
use inflow_core::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::texts;

#[derive(Properties, PartialEq)]
pub struct AskProps {
    pub lang: Lang,
    pub on_agree: Callback<()>,
    pub on_decline: Callback<()>,
}

#[function_component(ConsentAsk)]
pub fn consent_ask(p: &AskProps) -> Html {
    let node = use_node_ref();
    crate::hooks::use_focus_first(node.clone(), "consent");
    html! {
        <div class="replies consent" ref={node} role="group" aria-label={texts::CONSENT_ASK.get(p.lang)}>
            <p class="consent-text">{ CONSENT_TEXT.get(p.lang) }</p>
            <button class="reply agree" onclick={p.on_agree.reform(|_: MouseEvent| ())}>{ texts::AGREE.get(p.lang) }</button>
            <button class="reply decline" onclick={p.on_decline.reform(|_: MouseEvent| ())}>{ texts::DECLINE.get(p.lang) }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub lang: Lang,
    pub on_contact: Callback<String>,
}

#[function_component(ContactForm)]
pub fn contact_form(p: &FormProps) -> Html {
    let input = use_node_ref();
    let form = use_node_ref();
    crate::hooks::use_focus_first(form.clone(), "contact");
    let invalid = use_state(|| false);
    let onsubmit = {
        let input = input.clone();
        let invalid = invalid.clone();
        let on_contact = p.on_contact.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            match Contact::parse(&value) {
                Some(_) => on_contact.emit(value.trim().to_string()),
                None => invalid.set(true),
            }
        })
    };
    html! {
        <form class="replies contact" ref={form} {onsubmit} novalidate=true>
            <label class="contact-label" for="inflow-contact">{ texts::CONTACT_PROMPT.get(p.lang) }</label>
            <input id="inflow-contact" class="contact-input" ref={input} type="text" autocomplete="email"
                inputmode="email" maxlength="254" aria-invalid={invalid.to_string()}
                aria-describedby={(*invalid).then_some("inflow-contact-error")} />
            if *invalid {
                <p id="inflow-contact-error" class="contact-error" role="alert">{ texts::CONTACT_INVALID.get(p.lang) }</p>
            }
            <button class="reply send" type="submit">{ texts::SEND.get(p.lang) }</button>
        </form>
    }
}
