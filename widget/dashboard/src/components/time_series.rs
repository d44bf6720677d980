//! Clicks and conversions per day as paired SVG bars over every day of the range (empty days
//! included), with the same numbers in a table.

use inflow_core::report::zone;
use inflow_core::report::{ReportResponse, ReportRow};
use yew::prelude::*;

use super::svg::{n, scale, view_box, WIDTH};
use crate::texts;
use crate::types::{Lang, Metric, Shown};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub report: ReportResponse,
}

const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 12.0;
const PLOT_W: f64 = WIDTH - LEFT - 8.0;
const PLOT_H: f64 = HEIGHT - TOP - 28.0;
const SERIES: [Metric; 2] = [Metric::Clicks, Metric::Conversions];

/// Every calendar day from `from` to `to` (the report's zone's days: one bar each, 23- and
/// 25-hour days included), each with its row.
fn days(r: &ReportResponse) -> Vec<(String, ReportRow)> {
    zone::days(&r.from, &r.to)
        .into_iter()
        .map(|day| {
            let row = r.rows.iter().find(|row| row.group == day).cloned().unwrap_or_default();
            (day, row)
        })
        .collect()
}

#[function_component(TimeSeries)]
pub fn time_series(p: &Props) -> Html {
    let l = p.lang;
    let days = days(&p.report);
    let max = days
        .iter()
        .flat_map(|(_, r)| SERIES.map(|m| m.value(r)))
        .max()
        .unwrap_or(0);
    let band = PLOT_W / days.len().max(1) as f64;
    let base = TOP + PLOT_H;
    let ticks = [0, days.len() / 2, days.len().saturating_sub(1)];
    html! {
        <section class="card series" aria-labelledby="series-h">
            <h2 id="series-h">{ texts::PER_DAY.get(l) }</h2>
            <ul class="legend">
                { for SERIES.iter().map(|m| html! {
                    <li class={m.name()}>{ texts::metric(*m).get(l) }</li>
                }) }
            </ul>
            <svg class="chart series-chart" viewBox={view_box(HEIGHT)} role="img"
                aria-label={texts::PER_DAY.get(l)}>
                <line class="axis" x1={n(LEFT)} x2={n(LEFT + PLOT_W)} y1={n(base)} y2={n(base)} />
                <line class="grid" x1={n(LEFT)} x2={n(LEFT + PLOT_W)} y1={n(TOP)} y2={n(TOP)} />
                <text class="tick" x={n(LEFT - 6.0)} y={n(TOP + 4.0)} text-anchor="end">{ max }</text>
                <text class="tick" x={n(LEFT - 6.0)} y={n(base + 4.0)} text-anchor="end">{ "0" }</text>
                { for days.iter().enumerate().map(|(i, (day, row))| html! {
                    <g class="day" data-day={day.clone()}>
                        { for SERIES.iter().enumerate().map(|(s, m)| {
                            let v = m.value(row);
                            let h = scale(v, max, PLOT_H);
                            let x = LEFT + band * (i as f64 + 0.1 + 0.4 * s as f64);
                            html! {
                                <rect class={classes!("bar", m.name())} data-series={m.name()} data-day={day.clone()}
                                    data-value={v.to_string()} x={n(x)} y={n(base - h)} width={n(band * 0.4)}
                                    height={n(h)}>
                                    <title>{ format!("{day} · {}: {v}", texts::metric(*m).get(l)) }</title>
                                </rect>
                            }
                        }) }
                        if ticks.contains(&i) {
                            <text class="tick" x={n(LEFT + band * (i as f64 + 0.5))} y={n(base + 18.0)}
                                text-anchor="middle">{ day.get(5..).unwrap_or(day) }</text>
                        }
                    </g>
                }) }
            </svg>
            <details>
                <summary>{ texts::NUMBERS_BY_DAY.get(l) }</summary>
                <table class="by-day">
                    <thead><tr>
                        <th scope="col">{ texts::DAY.get(l) }</th>
                        { for SERIES.iter().map(|m| html! { <th scope="col">{ texts::metric(*m).get(l) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for days.iter().map(|(day, row)| html! {
                            <tr data-group={day.clone()}>
                                <th scope="row">{ day.clone() }</th>
                                { for SERIES.iter().map(|m| html! { <td>{ m.display(row) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </section>
    }
}
