//! The query form: key, date range, timezone.

use std::rc::Rc;

use inflow_core::report::zone::{self, Zone};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::{Defaults, Submit};
use crate::texts;
use crate::types::{Filters, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub defaults: Rc<Defaults>,
    pub busy: bool,
    pub on_submit: Callback<Submit>,
}

fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
}

#[function_component(Controls)]
pub fn controls(p: &Props) -> Html {
    let d = &p.defaults;
    let key = use_state(|| d.key.clone().unwrap_or_default());
    let remember = use_state(|| d.key.is_some());
    let from = use_state(|| d.from.clone());
    let to = use_state(|| d.to.clone());
    let tz = use_state(|| d.tz.clone());
    // Every zone in the database, the usual ones first (core's list).
    let zones = use_memo((), |_| zone::names());

    let on_remember = {
        let remember = remember.clone();
        Callback::from(move |e: Event| remember.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let on_tz = {
        let tz = tz.clone();
        Callback::from(move |e: Event| {
            if let Ok(z) = Zone::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                tz.set(z.name().to_string());
            }
        })
    };
    let onsubmit = {
        let (key, remember, from, to, tz) = (key.clone(), remember.clone(), from.clone(), to.clone(), tz.clone());
        let on_submit = p.on_submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_submit.emit(Submit {
                filters: Filters {
                    key: Rc::from(key.trim()),
                    from: (*from).clone(),
                    to: (*to).clone(),
                    tz: (*tz).clone(),
                },
                remember: *remember,
            });
        })
    };
    let l = p.lang;
    html! {
        <form class="controls" {onsubmit}>
            <div class="field key">
                <label for="key">{ texts::KEY.get(l) }</label>
                <input id="key" type="password" autocomplete="off" spellcheck="false" required=true
                    value={(*key).clone()} oninput={text_input(&key)} />
                <label class="check">
                    <input id="remember" type="checkbox" checked={*remember} onchange={on_remember} />
                    { texts::REMEMBER.get(l) }
                </label>
            </div>
            <div class="field">
                <label for="from">{ texts::FROM.get(l) }</label>
                <input id="from" type="date" required=true value={(*from).clone()} oninput={text_input(&from)} />
            </div>
            <div class="field">
                <label for="to">{ texts::TO.get(l) }</label>
                <input id="to" type="date" required=true value={(*to).clone()} oninput={text_input(&to)} />
            </div>
            <div class="field">
                <label for="tz">{ texts::TIMEZONE.get(l) }</label>
                <select id="tz" onchange={on_tz}>
                    { for zones.iter().map(|z| html! {
                        <option value={z.clone()} selected={*z == *tz}>{ z.clone() }</option>
                    }) }
                </select>
            </div>
            <button class="load" type="submit" disabled={p.busy}>{ texts::LOAD.get(l) }</button>
        </form>
    }
}
