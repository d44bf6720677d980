use yew::prelude::*;

use crate::texts;
use crate::types::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub on_lang: Callback<Lang>,
}

fn name(l: Lang) -> &'static str {
    match l {
        Lang::ZhHans => "中文",
        Lang::En => "English",
    }
}

#[function_component(LangSwitch)]
pub fn lang_switch(p: &Props) -> Html {
    html! {
        <div class="langs" role="group" aria-label={texts::LANGUAGE.get(p.lang)}>
            { for Lang::ALL.into_iter().map(|l| html! {
                <button type="button" class="lang" lang={l.tag()} data-lang={l.tag()}
                    aria-pressed={(l == p.lang).to_string()}
                    onclick={p.on_lang.reform(move |_: MouseEvent| l)}>{ name(l) }</button>
            }) }
        </div>
    }
}
