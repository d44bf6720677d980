//! Onboarding and running tenants over the admin API (issue 13): API keys and who may use them
//! for what, postback secrets that rotate without downtime, the shapes of the admin API and
//! its audit rows. Tenant files themselves (validation and plans) are [`crate::tenant`].
//!
//! Everything here is pure: the edge passes the clock, random bytes and what it read from D1.

pub mod api;
mod authz;
pub mod keys;
pub mod secrets;

pub use authz::{authorize, Denied, Operation, Resource};
pub use keys::{KeyKind, KeyRecord, KeyRefused, Principal};
