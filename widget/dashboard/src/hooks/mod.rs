//! State with side effects: the page language, the form's starting values, the report and the
//! CSV download. Components get plain values and callbacks from here.

mod use_csv;
mod use_defaults;
mod use_lang;
mod use_report;

pub use use_csv::{use_csv, CsvState};
pub use use_defaults::{use_defaults, Defaults};
pub use use_lang::use_lang;
pub use use_report::{use_report, Submit};
