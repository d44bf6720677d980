//! A loaded dashboard: the report (headline figures, charts, drop-off and breakdowns, and its
//! CSV download) or the statements, one view at a time.

use std::rc::Rc;

use yew::prelude::*;

use super::{Breakdown, BreakdownKind, CsvDownload, DropOffTable, Funnel, Kpis, Statements, TimeSeries};
use crate::hooks::{use_csv, CsvState};
use crate::services::api;
use crate::texts;
use crate::types::{CsvFile, Dashboard, Lang};

/// Which view of the loaded dashboard is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Report,
    Statements,
}

impl View {
    const ALL: [View; 2] = [View::Report, View::Statements];

    fn id(self) -> &'static str {
        match self {
            View::Report => "report",
            View::Statements => "statements",
        }
    }

    fn title(self) -> texts::T {
        match self {
            View::Report => texts::REPORT_VIEW,
            View::Statements => texts::STATEMENTS,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub dashboard: Rc<Dashboard>,
}

#[function_component(Report)]
pub fn report(p: &Props) -> Html {
    let (l, d) = (p.lang, &p.dashboard);
    // Each load mounts a new report, so it opens on the report view and the download's status
    // starts afresh with it.
    let view = use_state(|| View::Report);
    let (csv, on_csv) = use_csv();
    html! {
        <div class="report">
            <nav class="views" aria-label={texts::VIEWS.get(l)}>
                { for View::ALL.into_iter().map(|v| {
                    let view = view.clone();
                    html! {
                        <button type="button" class="view" data-view={v.id()}
                            aria-pressed={(v == *view).to_string()}
                            onclick={Callback::from(move |_: MouseEvent| view.set(v))}>
                            { v.title().get(l) }
                        </button>
                    }
                }) }
            </nav>
            { match *view {
                View::Report => report_view(l, d, csv, &on_csv),
                View::Statements => html! {
                    <Statements lang={l} side={d.side()} statements={d.statements.clone()}
                        report_key={d.filters.key.clone()} />
                },
            } }
        </div>
    }
}

fn report_view(l: Lang, d: &Dashboard, csv: CsvState, on_csv: &Callback<CsvFile>) -> Html {
    let totals = d.by_day.totals();
    // The download is for the range on screen, whatever the form says now.
    let on_download = {
        let filters = d.filters.clone();
        on_csv.reform(move |group| api::report_csv(&filters, group))
    };
    html! {
        <>
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
        </>
    }
}
