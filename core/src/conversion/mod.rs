//! The conversion stage: the bank's signed postback, its attribution to a click, and the
//! commission it earns or claws back.

pub mod attribution;
pub mod commission;
pub mod postback;
pub mod signature;
