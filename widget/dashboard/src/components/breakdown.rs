//! A report grouped by scene, product, partner or sub-id, as a table with a totals row.

use inflow_core::report::response::sum;
use inflow_core::report::ReportRow;
use yew::prelude::*;

use crate::texts::{self, T};
use crate::types::{Lang, Shown, TABLE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scene,
    Product,
    Partner,
    /// The partner's own sub-ids (`report::tags`): the top values, "(other)" and "(none)".
    SubId,
}

impl Kind {
    fn id(self) -> &'static str {
        match self {
            Kind::Scene => "scene",
            Kind::Product => "product",
            Kind::Partner => "partner",
            Kind::SubId => "sub_id",
        }
    }

    fn titles(self) -> (T, T) {
        match self {
            Kind::Scene => (texts::BY_SCENE, texts::SCENE),
            Kind::Product => (texts::BY_PRODUCT, texts::PRODUCT),
            Kind::Partner => (texts::BY_PARTNER, texts::PARTNER),
            Kind::SubId => (texts::BY_SUB_ID, texts::SUB_ID),
        }
    }

    /// How a group reads: scenes translated, the funnel before any product named as such.
    fn label(self, group: &str, l: Lang) -> String {
        match self {
            Kind::Scene => texts::scene(group).map_or(group, |t| t.get(l)).to_string(),
            Kind::Product if group.is_empty() => texts::NO_PRODUCT.get(l).to_string(),
            _ => group.to_string(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub kind: Kind,
    pub rows: Vec<ReportRow>,
}

fn cells(r: &ReportRow) -> Html {
    html! {
        { for TABLE.into_iter().map(|m| html! {
            <td data-col={m.name()} data-value={m.value(r).to_string()}>{ m.display(r) }</td>
        }) }
    }
}

#[function_component(Breakdown)]
pub fn breakdown(p: &Props) -> Html {
    let (l, k) = (p.lang, p.kind);
    let (title, group) = k.titles();
    let heading = format!("by-{}-h", k.id());
    html! {
        <section class="card breakdown" data-breakdown={k.id()} aria-labelledby={heading.clone()}>
            <h2 id={heading.clone()}>{ title.get(l) }</h2>
            if p.rows.is_empty() {
                <p class="empty">{ texts::NO_ROWS.get(l) }</p>
            } else {
                <div class="scroll">
                    <table class={format!("by-{}", k.id())} aria-labelledby={heading}>
                        <thead><tr>
                            <th scope="col">{ group.get(l) }</th>
                            { for TABLE.into_iter().map(|m| html! {
                                <th scope="col">{ texts::metric(m).get(l) }</th>
                            }) }
                        </tr></thead>
                        <tbody>
                            { for p.rows.iter().map(|r| html! {
                                <tr data-group={r.group.clone()}>
                                    <th scope="row">{ k.label(&r.group, l) }</th>
                                    { cells(r) }
                                </tr>
                            }) }
                        </tbody>
                        <tfoot><tr>
                            <th scope="row">{ texts::TOTALS.get(l) }</th>
                            { cells(&sum(&p.rows)) }
                        </tr></tfoot>
                    </table>
                </div>
            }
        </section>
    }
}
