//! What the loader gives the chat, and what the chat tells the host page.

use inflow_core::{Lang, Scene};
use yew::prelude::*;

use crate::services::storage::Snapshot;

/// What the widget tells the host page through `window.inflow.on(…)`.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    Answer {
        question: &'static str,
        choice: &'static str,
    },
    Lead {
        lead_id: String,
    },
    Recommendation {
        product_ids: Vec<String>,
    },
    Click {
        product_id: String,
    },
}

#[derive(Properties, PartialEq, Clone)]
pub struct Config {
    pub partner: String,
    pub scene: Scene,
    pub lang: Lang,
    /// Origin of the edge, taken from the loader's own URL.
    pub api: String,
    pub attribution: inflow_core::support::pairs::Pairs,
    /// A conversation kept from an earlier page of this visit.
    pub restored: Option<Snapshot>,
    pub on_close: Callback<()>,
    pub emit: Callback<WidgetEvent>,
}
