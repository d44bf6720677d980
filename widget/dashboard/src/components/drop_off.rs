//! How far chats get: chats opened, then how many answered each question, in asking order.

use inflow_core::report::DropOff;
use yew::prelude::*;

use crate::format;
use crate::texts;
use crate::types::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub drop_off: DropOff,
}

#[function_component(DropOffTable)]
pub fn drop_off_table(p: &Props) -> Html {
    let l = p.lang;
    let opened = p.drop_off.opened;
    // A meter needs a positive maximum; with nothing opened every bar is simply empty.
    let max = opened.max(1).to_string();
    html! {
        <section class="card drop-off" aria-labelledby="drop-off-h">
            <h2 id="drop-off-h">{ texts::DROP_OFF.get(l) }</h2>
            <table class="drop-off-table">
                <thead><tr>
                    <th scope="col">{ texts::QUESTION.get(l) }</th>
                    <th scope="col">{ texts::REACHED.get(l) }</th>
                    <th scope="col">{ texts::OF_OPENED.get(l) }</th>
                </tr></thead>
                <tbody>
                    <tr data-question="opened">
                        <th scope="row">{ texts::OPENED.get(l) }</th>
                        <td data-value={opened.to_string()}>{ format::count(opened) }</td>
                        <td></td>
                    </tr>
                    { for p.drop_off.questions.iter().map(|q| {
                        let name = texts::question(&q.question).map_or(q.question.as_str(), |t| t.get(l));
                        let share = format::share(q.answered, opened);
                        html! {
                            <tr data-question={q.question.clone()}>
                                <th scope="row">{ name }</th>
                                <td data-value={q.answered.to_string()}>{ format::count(q.answered) }</td>
                                <td class="share">
                                    <meter min="0" max={max.clone()} value={q.answered.to_string()}
                                        aria-label={format!("{name}: {share}")}></meter>
                                    { share }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
