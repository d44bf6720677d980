mod cards;
mod consent;
mod header;
mod log;
mod replies;

pub use cards::Cards;
pub use consent::{ConsentAsk, ContactForm};
pub use header::Header;
pub use log::Log;
pub use replies::Replies;
