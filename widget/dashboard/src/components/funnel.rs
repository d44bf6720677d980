//! The funnel as horizontal SVG bars, each with its count and its share of the step before.

use inflow_core::report::ReportRow;
use yew::prelude::*;

use super::svg::{n, scale, view_box};
use crate::format;
use crate::texts;
use crate::types::{Lang, FUNNEL};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub totals: ReportRow,
}

const LABEL: f64 = 200.0;
const BAR: f64 = 220.0;
const ROW: f64 = 36.0;

#[function_component(Funnel)]
pub fn funnel(p: &Props) -> Html {
    let l = p.lang;
    let values: Vec<i64> = FUNNEL.iter().map(|m| m.value(&p.totals)).collect();
    let max = values.iter().copied().max().unwrap_or(0);
    let height = ROW * FUNNEL.len() as f64;
    let step = |i: usize| -> String {
        let count = format::count(values[i].unsigned_abs());
        match i.checked_sub(1) {
            Some(prev) => format!(
                "{count} ({})",
                format::share(values[i].unsigned_abs(), values[prev].unsigned_abs())
            ),
            None => count,
        }
    };
    let summary: Vec<String> = FUNNEL
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}: {}", texts::metric(*m).get(l), step(i)))
        .collect();
    html! {
        <section class="card funnel" aria-labelledby="funnel-h">
            <h2 id="funnel-h">{ texts::FUNNEL.get(l) }</h2>
            <svg class="chart funnel-chart" viewBox={view_box(height)} role="img"
                aria-label={format!("{}. {}", summary.join("; "), texts::OF_PREVIOUS.get(l))}>
                { for FUNNEL.iter().enumerate().map(|(i, m)| {
                    let y = ROW * i as f64;
                    let w = scale(values[i], max, BAR);
                    html! {
                        <g class="step" data-step={m.name()}>
                            <text class="label" x={n(LABEL - 10.0)} y={n(y + 23.0)} text-anchor="end">
                                { texts::metric(*m).get(l) }
                            </text>
                            <rect class="bar" x={n(LABEL)} y={n(y + 6.0)} width={n(w)} height="24"
                                data-value={values[i].to_string()}>
                                <title>{ summary[i].clone() }</title>
                            </rect>
                            <text class="count" x={n(LABEL + w + 8.0)} y={n(y + 23.0)}>{ step(i) }</text>
                        </g>
                    }
                }) }
            </svg>
            <p class="note">{ texts::OF_PREVIOUS.get(l) }</p>
        </section>
    }
}
