//! The click stage: signed click-out tokens, the keyed client fingerprint, and who counts as a
//! machine rather than a visitor.

#[cfg(feature = "bots")]
pub mod bots;
pub mod fingerprint;
pub mod token;
