use inflow_core::report::ReportRow;
use yew::prelude::*;

use crate::texts;
use crate::types::{Lang, Shown, KPIS};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub totals: ReportRow,
}

/// One tile per headline figure; `data-value` carries the raw number (count, minor units or
/// basis points) beside the printed one.
#[function_component(Kpis)]
pub fn kpis(p: &Props) -> Html {
    html! {
        <section class="card kpis" aria-labelledby="kpis-h">
            <h2 id="kpis-h">{ texts::TOTALS.get(p.lang) }</h2>
            <dl class="tiles">
                { for KPIS.into_iter().map(|m| html! {
                    <div class="kpi" data-kpi={m.name()} data-value={m.value(&p.totals).to_string()}>
                        <dt>{ texts::metric(m).get(p.lang) }</dt>
                        <dd>{ m.display(&p.totals) }</dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}
