//! Everything that talks to the browser or the network; components only call these through
//! hooks.

pub mod api;
pub mod download;
pub mod page;
pub mod session;
