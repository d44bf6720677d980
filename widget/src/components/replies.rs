use inflow_core::{questionnaire, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub question: &'static str,
    pub lang: Lang,
    pub on_answer: Callback<(&'static str, &'static str)>,
}

#[function_component(Replies)]
pub fn replies(p: &Props) -> Html {
    let node = use_node_ref();
    crate::hooks::use_focus_first(node.clone(), p.question);
    let Some(q) = questionnaire::question(p.question) else {
        return html! {};
    };
    html! {
        <div class="replies" ref={node} role="group" aria-label={q.prompt.get(p.lang)}>
            { for q.choices.iter().map(|c| {
                let onclick = p.on_answer.reform(move |_: MouseEvent| (q.id, c.id));
                html! {
                    <button class="reply" data-choice={c.id} {onclick}>{ c.label.get(p.lang) }</button>
                }
            }) }
        </div>
    }
}
