use inflow_core::report::GroupBy;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::services::{api, download};
use crate::types::{Filters, LoadError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvState {
    Idle,
    Busy,
    Done,
    Failed(LoadError),
}

/// Downloads the report grouped by the given grouping as CSV: fetched with the key in its
/// header, saved from a Blob.
#[hook]
pub fn use_csv() -> (CsvState, Callback<(Filters, GroupBy)>) {
    let state = use_state(|| CsvState::Idle);
    let download = {
        let state = state.clone();
        use_callback((), move |(filters, group): (Filters, GroupBy), _| {
            state.set(CsvState::Busy);
            let state = state.clone();
            spawn_local(async move {
                let name = format!("inflow-report-{}-{}-{}.csv", filters.from, filters.to, group.as_str());
                let saved = match api::csv(&filters, group).await {
                    Ok(bytes) => download::save(&bytes, &name).map_err(|_| LoadError::Network),
                    Err(e) => Err(e),
                };
                state.set(saved.map_or_else(CsvState::Failed, |()| CsvState::Done));
            });
        })
    };
    ((*state).clone(), download)
}
