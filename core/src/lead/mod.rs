//! The lead stage: the visitor's answers become a profile, the suitable products of a
//! catalogue, a propensity score and a ranking — in the browser for the visitor's sake and again
//! at the edge, which trusts only its own result.

pub mod catalogue;
pub mod consent;
pub mod conversation;
pub mod engine;
// Erasure tokens and the erasure request, for the edge (the widget only keeps the token).
#[cfg(feature = "seal")]
pub mod erasure;
// The bank's side of a lead — its feed and the sealed contact — for the edge and the CLI only
// (the widget links neither; even the unused feed cost its wasm 35 bytes).
#[cfg(feature = "seal")]
pub mod feed;
pub mod funnel;
pub mod offer;
pub mod profile;
pub mod propensity;
pub mod questionnaire;
pub mod recommend;
pub mod scene;
#[cfg(feature = "seal")]
pub mod seal;
pub mod suitability;
