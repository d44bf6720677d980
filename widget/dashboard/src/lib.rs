//! inflow-dashboard: the report dashboard for partners and banks, served at `/dashboard/`.
//!
//! It reads `GET /v1/reports` with the user's report key and draws what comes back with the
//! report types of `inflow-core`, so the edge and the dashboard cannot disagree on a field.
//! Layout follows the Yew examples: `components` draw, `hooks` hold state and effects,
//! `services` do the I/O, `types` are the data.

mod app;
mod components;
mod format;
mod hooks;
mod services;
mod texts;
mod types;

use wasm_bindgen::prelude::*;

pub use app::App;

/// Runs when `www/dashboard/main.js` initialises the module: mounts the app into `#app`.
#[wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = root {
        yew::Renderer::<App>::with_root(root).render();
    }
}
