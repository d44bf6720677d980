//! The CSV download: pick a grouping, download the same report as RFC 4180 CSV.

use inflow_core::report::GroupBy;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::hooks::CsvState;
use crate::texts;
use crate::types::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    /// Partner keys cannot group by partner, so only bank keys are offered it.
    pub bank: bool,
    pub state: CsvState,
    pub on_download: Callback<GroupBy>,
}

const GROUPINGS: [GroupBy; 8] = GroupBy::ALL;

#[function_component(CsvDownload)]
pub fn csv_download(p: &Props) -> Html {
    let l = p.lang;
    let group = use_state(|| GROUPINGS[0]);
    let on_group = {
        let group = group.clone();
        Callback::from(move |e: Event| {
            if let Some(g) = GroupBy::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                group.set(g);
            }
        })
    };
    let onclick = {
        let group = *group;
        p.on_download.reform(move |_: MouseEvent| group)
    };
    let offered = GROUPINGS.into_iter().filter(|g| p.bank || *g != GroupBy::Partner);
    html! {
        <div class="csv">
            <label for="csv-group">{ texts::CSV_ROWS.get(l) }</label>
            <select id="csv-group" onchange={on_group}>
                { for offered.map(|g| html! {
                    <option value={g.as_str()} selected={g == *group}>{ texts::grouping(g).get(l) }</option>
                }) }
            </select>
            <button type="button" class="download" disabled={p.state == CsvState::Busy} {onclick}>
                { texts::DOWNLOAD.get(l) }
            </button>
            <span class="csv-status" role="status">
                { match &p.state {
                    CsvState::Done => texts::DOWNLOADED.get(l).to_string(),
                    CsvState::Failed(e) => texts::error(e, l),
                    CsvState::Busy => texts::LOADING.get(l).to_string(),
                    CsvState::Idle => String::new(),
                } }
            </span>
        </div>
    }
}
