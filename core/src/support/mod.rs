//! Small pieces every stage shares: text encodings, languages, JSON text, sorted pairs, time,
//! and the rules for free text tenants write.

pub mod encoding;
pub mod i18n;
pub mod json_text;
pub mod pairs;
pub mod text;
pub mod time;
