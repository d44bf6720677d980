//! Conversion propensity: how likely a lead is to open a deposit, learned from the UCI Bank
//! Marketing data (Moro, Cortez & Rita 2014) without the leaky `duration` column.
//!
//! The model is a small gradient-boosted tree ensemble ([`tree`]) trained by the CLI
//! (`inflow train`; the learner — `dataset`, `grow`, `params`, `train` — is compiled only with
//! this crate's `learn` feature, which the CLI enables, so the Worker and the widget carry the
//! scorer alone) and compiled into this crate as
//! `core/model/propensity.json`, so the Worker scores with no I/O and no extra dependency:
//!
//! ```
//! use inflow_core::lead::propensity::{self, EconomicContext, Features};
//! use inflow_core::lead::questionnaire::AgeBand;
//!
//! let econ = EconomicContext {
//!     emp_var_rate: -1.8,
//!     cons_price_idx: 92.893,
//!     cons_conf_idx: -46.2,
//!     euribor3m: 1.3,
//!     nr_employed: 5099.1,
//! };
//! let lead = Features::chat_lead(Some(AgeBand::From30To44), 5, 2, &econ);
//! let p = propensity::score(propensity::embedded(), &lead);
//! assert!(p > 0.0 && p < 1.0);
//! ```
//!
//! See [`Features`] for how a chat lead maps onto UCI's columns and how unknown values are
//! handled, and [`metrics`] for AUC and ALIFT.

#[cfg(feature = "learn")]
mod dataset;
mod features;
#[cfg(feature = "learn")]
mod grow;
pub mod metrics;
#[cfg(feature = "learn")]
mod params;
#[cfg(feature = "learn")]
mod train;
mod tree;
pub mod uci;

use std::sync::OnceLock;

#[cfg(feature = "learn")]
pub use dataset::{stratified_folds, stratified_holdout, Dataset, TrainError};
pub use features::{
    age_band_midpoint, is_categorical, EconomicContext, EconomyError, Features, Value, FEATURE_NAMES, N_FEATURES,
};
#[cfg(feature = "learn")]
pub use params::Params;
#[cfg(feature = "learn")]
pub use train::{Fit, FoldResult};
pub use tree::{Model, ModelError, Provenance, FORMAT};

/// The trained artifact, as committed. Retrain with `inflow train`.
pub const EMBEDDED_JSON: &str = include_str!("../../../model/propensity.json");

/// The embedded model, parsed once on first use.
pub fn embedded() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    // The artifact is fixed at compile time and a unit test parses it, so failing here means
    // the build itself is broken, not the input.
    MODEL.get_or_init(|| Model::from_json(EMBEDDED_JSON).expect("embedded propensity model is valid"))
}

/// Probability in (0, 1) that this person converts, by `model`.
pub fn score(model: &Model, f: &Features) -> f32 {
    model.predict(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_artifact_parses_and_scores_a_uci_row() {
        let model = Model::from_json(EMBEDDED_JSON).expect("artifact parses");
        assert!(model.n_trees() > 0);
        let header = r#""age";"job";"marital";"education";"default";"housing";"loan";"contact";"month";"day_of_week";"duration";"campaign";"pdays";"previous";"poutcome";"emp.var.rate";"cons.price.idx";"cons.conf.idx";"euribor3m";"nr.employed";"y""#;
        let row = r#"57;"services";"married";"high.school";"unknown";"no";"no";"telephone";"may";"mon";149;1;999;0;"nonexistent";1.1;93.994;-36.4;4.857;5191;"no""#;
        let (_, rows) = uci::parse(&format!("{header}\n{row}")).expect("sample parses");
        let p = score(embedded(), &rows[0].0);
        assert!(p > 0.0 && p < 1.0, "{p}");
    }

    #[test]
    fn embedded_model_handles_unknown_and_unseen_values() {
        let econ = EconomicContext {
            emp_var_rate: -1.8,
            cons_price_idx: 92.893,
            cons_conf_idx: -46.2,
            euribor3m: 1.3,
            nr_employed: 5099.1,
        };
        // January and Sunday never occur in UCI; nothing but the age band is known.
        let lead = Features::chat_lead(Some(crate::lead::questionnaire::AgeBand::From45To59), 1, 6, &econ);
        let p = score(embedded(), &lead);
        assert!(p > 0.0 && p < 1.0, "{p}");
        let mut all_missing = Features::missing();
        all_missing.job = Some("astronaut".into());
        let p = score(embedded(), &all_missing);
        assert!(p > 0.0 && p < 1.0, "{p}");
    }
}
