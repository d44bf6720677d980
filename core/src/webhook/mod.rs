//! Signed webhooks (issue 14 item 3): banks and partners register endpoints for events, the
//! edge enqueues each event on a Cloudflare Queue, and the Worker's consumer delivers it in the
//! Standard Webhooks format, retrying with back-off and disabling an endpoint that keeps
//! failing. Pure: the edge passes the clock, random numbers and what it read from D1.
//!
//! [`signing`] is the wire format (and the receiver's check), [`event`] the events and their
//! queue message, [`endpoint`] what is registered, [`delivery`] what an attempt does.

pub mod delivery;
pub mod endpoint;
pub mod event;
pub mod signing;

pub use event::{Envelope, EventType, OwnerKind};
