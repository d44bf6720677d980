//! A loaded report: headline figures, charts, drop-off and breakdowns, and the CSV download.

use std::rc::Rc;

use yew::prelude::*;

use super::{Breakdown, BreakdownKind, CsvDownload, DropOffTable, Funnel, Kpis, TimeSeries};
use crate::hooks::use_csv;
use crate::types::{Dashboard, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub dashboard: Rc<Dashboard>,
}

#[function_component(Report)]
pub fn report(p: &Props) -> Html {
    let (l, d) = (p.lang, &p.dashboard);
    let totals = d.by_day.totals();
    // Each load mounts a new report, so the download's status starts afresh with it.
    let (csv, on_csv) = use_csv();
    // The download is for the range on screen, whatever the form says now.
    let on_download = {
        let filters = d.filters.clone();
        on_csv.reform(move |group| (filters.clone(), group))
    };
    html! {
        <div class="report">
            <CsvDownload lang={l} bank={d.by_partner.is_some()} state={csv} {on_download} />
            <Kpis lang={l} totals={totals.clone()} />
            <div class="charts">
                <Funnel lang={l} {totals} />
                <TimeSeries lang={l} report={d.by_day.clone()} />
            </div>
            <Breakdown lang={l} kind={BreakdownKind::Scene} rows={d.by_scene.clone()} />
            <Breakdown lang={l} kind={BreakdownKind::Product} rows={d.by_product.clone()} />
            if let Some(rows) = &d.by_partner {
                <Breakdown lang={l} kind={BreakdownKind::Partner} rows={rows.clone()} />
            }
            <Breakdown lang={l} kind={BreakdownKind::SubId} rows={d.by_sub_id.clone()} />
            <DropOffTable lang={l} drop_off={d.by_day.drop_off.clone()} />
        </div>
    }
}
