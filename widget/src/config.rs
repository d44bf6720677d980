//! What the loader gives the chat, and what the chat tells the host page.

use inflow_core::support::i18n::{fill, Localized};
use inflow_core::{Lang, Scene};
use yew::prelude::*;

use crate::services::storage::Snapshot;
use crate::texts;

/// What the partner's page offers in its scene, as the edge's `GET /v1/widget/{partner}/{scene}`
/// (core's `WidgetConfig`) told the loader: whose products the visitor may be shown and what
/// they agree to when they ask to be contacted. The loader fetched it before drawing the bubble
/// and hands it to `mount`, so the chat never asks again.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The banks' names as one phrase ("Demo Bank and Harbor Bank"), per language.
    pub banks: Localized,
    /// Every bank's consent text, per language, as the edge joined them.
    pub consent: Localized,
    /// What a lead's `ConsentRecord.version` must be for this offer.
    pub consent_version: String,
}

impl Offer {
    /// The offer of `banks` (each bank's name per language, in the edge's order) with its
    /// consent `text` and `version`.
    pub fn new(banks: &[Localized], consent: Localized, consent_version: String) -> Offer {
        let names = |lang| texts::and_list(&banks.iter().map(|b| b.get(lang)).collect::<Vec<_>>(), lang);
        Offer {
            banks: Localized {
                zh_hans: names(Lang::ZhHans),
                zh_hant: names(Lang::ZhHant),
                en: names(Lang::En),
            },
            consent,
            consent_version,
        }
    }

    /// Whether the visitor wants the banks' advisers to contact them, naming the banks.
    pub fn consent_ask(&self, lang: Lang) -> String {
        fill(texts::CONSENT_ASK.get(lang), &[self.banks.get(lang)])
    }
}

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
    pub offer: std::rc::Rc<Offer>,
    pub lang: Lang,
    /// Origin of the edge, taken from the loader's own URL.
    pub api: String,
    pub attribution: inflow_core::support::pairs::Pairs,
    /// A conversation kept from an earlier page of this visit.
    pub restored: Option<Snapshot>,
    pub on_close: Callback<()>,
    pub emit: Callback<WidgetEvent>,
}
