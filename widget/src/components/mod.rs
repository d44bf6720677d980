//! The pieces of the panel are view functions, not components: the chat's state lives in one
//! place (`state::Chat`), and every component would cost the widget its own copy of yew's
//! lifecycle code.

mod cards;
mod consent;
mod header;
mod log;
mod replies;

pub use cards::{cards, Props as CardsProps};
pub use consent::{consent_ask, contact_form, AskProps, FormProps};
pub use header::{header, Props as HeaderProps};
pub use log::{log, Props as LogProps};
pub use replies::{replies, Props as RepliesProps};
