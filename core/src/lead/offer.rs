//! The offer of a (partner, scene): what a partner's page for one scene may show — the active
//! campaigns for it from every bank that has one, their banks, and the products each campaign
//! pays for (issue 13, items 4–5). Leads are decided against its products; the widget is
//! configured from its banks ([`WidgetConfig`], `GET /v1/widget/{partner}/{scene}`).

use serde::{Deserialize, Serialize};

use crate::lead::catalogue::Product;
use crate::lead::scene::Scene;
use crate::support::i18n::Localized;

/// `GET /v1/widget/{partner}/{scene}` — what the widget shows for a (partner, scene): the
/// brand, the banks whose products it may recommend and the consent the visitor is asked for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetConfig {
    pub partner: String,
    pub scene: Scene,
    /// The first bank's brand colour (banks ordered by id), `#rrggbb`.
    pub brand_color: String,
    /// The banks whose products the visitor may be shown, ordered by id.
    pub banks: Vec<WidgetBank>,
    pub consent: WidgetConsent,
}

/// One bank of a [`WidgetConfig`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetBank {
    /// The bank's id (`tenant::ID_PATTERN`).
    pub id: String,
    /// The bank's name in every language.
    pub name: Localized,
    /// The bank's brand colour, `#rrggbb`.
    pub brand_color: String,
}

/// The consent a visitor gives before leaving a contact, for every bank of the offer at once.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct WidgetConsent {
    /// The banks' consent versions joined by "+" in bank order: what a ConsentRecord's
    /// `version` must be for a lead of this (partner, scene).
    pub version: String,
    /// Per language: every bank's consent text in bank order (so the consent names each bank).
    pub text: Localized,
}

/// A product on offer, with the bank that sells it: what the ranking ranks, so that every
/// recommendation names its bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Shelved {
    /// The selling bank's id.
    pub bank_id: String,
    /// The selling bank's name; a recommendation carries it in the lead's language.
    pub bank_name: Localized,
    pub product: Product,
}
