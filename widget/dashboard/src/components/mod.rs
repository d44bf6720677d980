//! The dashboard's pieces. Each takes plain data and callbacks; none does I/O.

mod breakdown;
mod controls;
mod csv;
mod drop_off;
mod funnel;
mod kpis;
mod lang_switch;
mod report;
mod statements;
mod status;
mod svg;
mod time_series;

pub use breakdown::{Breakdown, Kind as BreakdownKind};
pub use controls::Controls;
pub use csv::CsvDownload;
pub use drop_off::DropOffTable;
pub use funnel::Funnel;
pub use kpis::Kpis;
pub use lang_switch::LangSwitch;
pub use report::Report;
pub use statements::Statements;
pub use status::{Alert, Status};
pub use time_series::TimeSeries;
