//! The statements view: one row per month and other party (newest month first) with the
//! statement's figures in its currency, its state and the bank's payment reference, and the
//! statements' CSV download.

use std::rc::Rc;

use inflow_core::settlement::Statement;
use yew::prelude::*;

use super::Alert;
use crate::format;
use crate::hooks::{use_csv, CsvState};
use crate::services::api;
use crate::texts;
use crate::types::{decimals, ordered, reference, state, Lang, LoadError, Side, AMOUNTS};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub side: Side,
    pub statements: Result<Vec<Statement>, LoadError>,
    /// The key the statements were read with, for the CSV download.
    pub report_key: Rc<str>,
}

fn row(s: &Statement, side: Side, l: Lang) -> Html {
    let places = decimals(&s.currency);
    let state = state(&s.state);
    html! {
        <tr data-period={s.period.to_string()} data-bank={s.bank_id.clone()} data-partner={s.partner_id.clone()}>
            <th scope="row">{ s.period.to_string() }</th>
            <td class="party">{ side.counterparty(s).to_string() }</td>
            <td class="currency">{ s.currency.clone() }</td>
            { for AMOUNTS.into_iter().map(|a| {
                let v = a.value(&s.figures);
                html! {
                    <td data-col={a.name()} data-value={v.to_string()}
                        class={classes!((v < 0).then_some("negative"))}>{ format::money_in(v, places) }</td>
                }
            }) }
            <td data-col="state" data-value={state}><span class={classes!("state", state)}>{ texts::period_state(state).get(l) }</span></td>
            <td data-col="reference" class="reference">{ reference(&s.state).unwrap_or_default().to_string() }</td>
        </tr>
    }
}

#[function_component(Statements)]
pub fn statements(p: &Props) -> Html {
    let l = p.lang;
    let (csv, on_csv) = use_csv();
    let onclick = {
        let key = p.report_key.clone();
        on_csv.reform(move |_: MouseEvent| api::statements_csv(&key))
    };
    let party = match p.side {
        Side::Bank => texts::PARTNER,
        Side::Partner => texts::BANK,
    };
    html! {
        <section class="card statements" aria-labelledby="statements-h">
            <div class="csv">
                <button type="button" class="download statements-csv" disabled={csv == CsvState::Busy} {onclick}>
                    { texts::DOWNLOAD.get(l) }
                </button>
                <span class="csv-status" role="status">
                    { match &csv {
                        CsvState::Done => texts::DOWNLOADED.get(l).to_string(),
                        CsvState::Failed(e) => texts::error(e, l),
                        CsvState::Busy => texts::LOADING.get(l).to_string(),
                        CsvState::Idle => String::new(),
                    } }
                </span>
            </div>
            <h2 id="statements-h">{ texts::STATEMENTS.get(l) }</h2>
            <p class="note">{ texts::STATEMENTS_NOTE.get(l) }</p>
            { match &p.statements {
                Err(error) => html! { <Alert lang={l} error={error.clone()} /> },
                Ok(rows) if rows.is_empty() => html! { <p class="empty">{ texts::NO_STATEMENTS.get(l) }</p> },
                Ok(rows) => html! {
                    <div class="scroll">
                        <table class="statements-table" aria-labelledby="statements-h">
                            <thead><tr>
                                <th scope="col">{ texts::PERIOD.get(l) }</th>
                                <th scope="col">{ party.get(l) }</th>
                                <th scope="col">{ texts::CURRENCY.get(l) }</th>
                                { for AMOUNTS.into_iter().map(|a| html! {
                                    <th scope="col">{ texts::amount(a).get(l) }</th>
                                }) }
                                <th scope="col">{ texts::STATE.get(l) }</th>
                                <th scope="col">{ texts::REFERENCE.get(l) }</th>
                            </tr></thead>
                            <tbody>
                                { for ordered(rows.clone(), p.side).iter().map(|s| row(s, p.side, l)) }
                            </tbody>
                        </table>
                    </div>
                },
            } }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_and_state_has_its_own_words() {
        let mut words: Vec<&str> = AMOUNTS.iter().map(|a| texts::amount(*a).en).collect();
        words.extend(["open", "closed", "paid"].map(|s| texts::period_state(s).zh));
        let n = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), n, "{words:?}");
        assert_eq!(api::statements_csv(&Rc::from("k")).name, "inflow-statements.csv");
        assert!(
            !api::statements_csv(&Rc::from("rk_x")).url.contains("rk_x"),
            "no key in a URL"
        );
    }
}
