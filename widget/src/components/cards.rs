use std::rc::Rc;

use inflow_core::support::i18n::fill;
use inflow_core::{Lang, LeadResponse};
use yew::prelude::*;

use crate::texts;

pub struct Props {
    pub response: Rc<LeadResponse>,
    pub lang: Lang,
    pub on_apply: Callback<String>,
}

fn percent(bps: u32) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

pub fn cards(p: Props) -> Html {
    let r = &p.response;
    if r.recommendations.is_empty() {
        return html! { <p class="msg bot">{ texts::NONE_FIT.get(p.lang) }</p> };
    }
    let intro = fill(texts::RESULTS.get(p.lang), &[&r.risk_tolerance]);
    html! {
        <>
            <p class="msg bot">{ intro }</p>
            <ul class="cards">
                { for r.recommendations.iter().map(|rec| html! {
                    <li class="card" data-product={rec.product_id.clone()}>
                        <h3 class="name">{ rec.name.clone() }</h3>
                        <p class="meta">
                            <span class="bank">{ rec.bank_name.clone() }</span>
                            <span class="risk">{ rec.risk.clone() }</span>
                            <span class="yield">{ percent(rec.yield_bps) }</span>
                        </p>
                        <ul class="reasons">
                            { for rec.reasons.iter().map(|why| html! { <li class="reason">{ why.clone() }</li> }) }
                        </ul>
                        if let Some(bonus) = &rec.incentive {
                            <p class="incentive">{ bonus.clone() }</p>
                        }
                        <a class="apply" href={rec.url.clone()} target="_blank" rel="noopener"
                            onclick={p.on_apply.reform({ let id = rec.product_id.clone(); move |_: MouseEvent| id.clone() })}>
                            { texts::APPLY.get(p.lang) }
                        </a>
                    </li>
                }) }
            </ul>
        </>
    }
}
