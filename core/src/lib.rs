//! inflow-core: everything inflow decides, with no I/O.
//!
//! The widget (wasm32, in the visitor's browser), the edge Worker (wasm32, in workerd) and the
//! CLI (native) all link this crate, so a rule is written once and every side agrees on it. The
//! edge never trusts what the widget computed: it calls the same functions again on the raw
//! answers.

//! The modules follow a lead's path: [`lead`] (questions, profile, suitability, propensity,
//! ranking — what the widget and `POST /v1/leads` decide), [`click`] (signed click-outs and
//! who clicked), [`conversion`] (the bank's signed postback, attribution, commission), then
//! [`report`] and `settlement` (statements and payouts by the date money moved; feature
//! `settlement`); [`tenant`] and [`admin`] describe who the banks and partners are, [`api`] and
//! [`routes`] are the wire contract, and [`support`] holds the small encodings they share.

pub mod admin;
pub mod api;
pub mod click;
pub mod conversion;
pub mod lead;
pub mod report;
pub mod routes;
#[cfg(feature = "settlement")]
pub mod settlement;
pub mod support;
pub mod tenant;
pub mod webhook;

pub use api::{LeadRequest, LeadResponse, Problem, ProblemCode, Recommendation};
pub use lead::catalogue::{Catalogue, Product, ProductKind, RiskLevel};
pub use lead::profile::{RiskProfile, RiskTolerance};
pub use lead::scene::Scene;
pub use support::i18n::Lang;
