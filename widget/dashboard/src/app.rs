//! The page: header with the language switch, the query form, then whatever loading gave.

use yew::prelude::*;

use crate::components::{Alert, Controls, LangSwitch, Report, Status};
use crate::hooks::{use_defaults, use_lang, use_report};
use crate::texts;
use crate::types::{Lang, Load};

#[function_component(App)]
pub fn app() -> Html {
    let lang = use_lang();
    let defaults = use_defaults();
    let (load, on_load) = use_report();
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| lang.set(l))
    };
    let l = *lang;
    html! {
        <>
            <header class="top">
                <h1>{ texts::TITLE.get(l) }</h1>
                <LangSwitch lang={l} {on_lang} />
            </header>
            <Controls lang={l} {defaults} busy={load == Load::Loading} on_submit={on_load} />
            { match load {
                Load::Idle => html! { <Status text={texts::IDLE.get(l)} /> },
                Load::Loading => html! { <Status text={texts::LOADING.get(l)} /> },
                Load::Failed(error) => html! { <Alert lang={l} {error} /> },
                Load::Ready(dashboard) => html! { <Report lang={l} {dashboard} /> },
            } }
        </>
    }
}
