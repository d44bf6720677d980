//! Attribution reports: what a partner or bank asks for (range, timezone, grouping), the rows it
//! gets, and their CSV form. The edge runs the queries; the rules live here.

pub mod csv;
pub mod query;
pub mod row;
pub mod zone;

pub use query::{Format, GroupBy, ReportQuery};
pub use row::ReportRow;
pub use zone::Zone;
