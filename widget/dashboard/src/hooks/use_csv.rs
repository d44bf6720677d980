use yew::platform::spawn_local;
use yew::prelude::*;

use crate::services::{api, download};
use crate::types::{CsvFile, LoadError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvState {
    Idle,
    Busy,
    Done,
    Failed(LoadError),
}

/// Downloads a CSV (a report's or the statements'): fetched with the key in its header, saved
/// from a Blob.
#[hook]
pub fn use_csv() -> (CsvState, Callback<CsvFile>) {
    let state = use_state(|| CsvState::Idle);
    let download = {
        let state = state.clone();
        use_callback((), move |file: CsvFile, _| {
            state.set(CsvState::Busy);
            let state = state.clone();
            spawn_local(async move {
                let saved = match api::csv(&file).await {
                    Ok(bytes) => download::save(&bytes, &file.name).map_err(|_| LoadError::Network),
                    Err(e) => Err(e),
                };
                state.set(saved.map_or_else(CsvState::Failed, |()| CsvState::Done));
            });
        })
    };
    ((*state).clone(), download)
}
