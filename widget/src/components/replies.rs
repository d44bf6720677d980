use inflow_core::{lead::questionnaire, Lang};
use yew::prelude::*;

pub struct Props {
    pub question: &'static str,
    pub lang: Lang,
    pub on_answer: Callback<(&'static str, &'static str)>,
}

/// Stateless, so a view function: a component would cost its own copy of yew's lifecycle code.
pub fn replies(p: Props) -> Html {
    let Some(q) = questionnaire::question(p.question) else {
        return html! {};
    };
    html! {
        <div class="replies" role="group" aria-label={q.prompt.get(p.lang)}>
            { for q.choices.iter().map(|c| {
                let onclick = p.on_answer.reform(move |_: MouseEvent| (q.id, c.id));
                html! {
                    <button class="reply" data-choice={c.id} {onclick}>{ c.label.get(p.lang) }</button>
                }
            }) }
        </div>
    }
}
