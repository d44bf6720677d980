//! inflow-core: everything inflow decides, with no I/O.
//!
//! The widget (wasm32, in the visitor's browser), the edge Worker (wasm32, in workerd) and the
//! CLI (native) all link this crate, so a rule is written once and every side agrees on it. The
//! edge never trusts what the widget computed: it calls the same functions again on the raw
//! answers.

pub mod admin;
pub mod api;
pub mod attribution;
#[cfg(feature = "bots")]
pub mod bots;
pub mod catalogue;
pub mod commission;
pub mod consent;
pub mod conversation;
pub mod conversion;
pub mod encoding;
pub mod engine;
pub mod fingerprint;
pub mod funnel;
pub mod i18n;
pub mod json_text;
pub mod pairs;
pub mod profile;
pub mod propensity;
pub mod questionnaire;
pub mod recommend;
pub mod report;
pub mod routes;
pub mod scene;
pub mod signature;
pub mod suitability;
pub mod tenant;
pub mod time;
pub mod token;

pub use api::{LeadRequest, LeadResponse, Problem, ProblemCode, Recommendation};
pub use catalogue::{Catalogue, Product, ProductKind, RiskLevel};
pub use i18n::Lang;
pub use profile::{RiskProfile, RiskTolerance};
pub use scene::Scene;
