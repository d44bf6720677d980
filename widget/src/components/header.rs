use inflow_core::support::i18n::fill;
use inflow_core::Lang;
use yew::prelude::*;

use crate::texts;

/// The header has no state of its own, so it is a view function rather than a component: a
/// component would cost the widget its own copy of yew's lifecycle code.
pub struct Props {
    pub lang: Lang,
    pub step: usize,
    pub total: usize,
    pub on_lang: Callback<Lang>,
    pub on_close: Callback<()>,
}

fn short_name(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhHans => "简",
        Lang::ZhHant => "繁",
        Lang::En => "EN",
    }
}

pub fn header(p: Props) -> Html {
    let step = fill(texts::STEP.get(p.lang), &[&p.step.to_string(), &p.total.to_string()]);
    let close = p.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="head">
            <div class="titles">
                <strong class="title">{ texts::TITLE.get(p.lang) }</strong>
                <span class="step">{ step }</span>
            </div>
            <div class="langs" role="group" aria-label={texts::LANGUAGE.get(p.lang)}>
                { for Lang::ALL.into_iter().map(|l| {
                    let on_lang = p.on_lang.reform(move |_: MouseEvent| l);
                    html! {
                        <button class="lang" lang={l.tag()} aria-pressed={(l == p.lang).to_string()}
                            onclick={on_lang}>{ short_name(l) }</button>
                    }
                }) }
            </div>
            <button class="close" aria-label={texts::CLOSE.get(p.lang)} onclick={close}>{ "×" }</button>
        </div>
    }
}
