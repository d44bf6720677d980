//! Attribution reports: what a partner or bank asks for (range, timezone, grouping), who may
//! read what (scope), the metrics (listed once), folding the rollups the edge reads into rows
//! and the drop-off, and their CSV form. The edge runs the queries; the rules live here.

#[cfg(feature = "csv")]
pub mod csv;
pub mod fold;
pub mod labels;
pub mod metric;
pub mod query;
pub mod response;
pub mod row;
pub mod scope;
#[cfg(feature = "tz")]
pub mod zone;

/// The zone reports are in when the reader names none, and a bank settles in when its tenant
/// file names none (outside `zone` so the widget's build, without the time zone database,
/// knows it too).
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

pub use metric::Metric;
#[cfg(feature = "tz")]
pub use query::ReportQuery;
pub use query::{Format, GroupBy};
pub use response::{DropOff, QuestionReached, ReportResponse};
pub use row::ReportRow;
pub use scope::{utc_days, Scope};
#[cfg(feature = "tz")]
pub use zone::Zone;
