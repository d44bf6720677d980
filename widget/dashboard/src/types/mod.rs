//! The dashboard's data: what is asked, what came back, and how loading went.

mod metric;
mod statement;

use std::rc::Rc;

use inflow_core::report::{ReportResponse, ReportRow};
use inflow_core::settlement::Statement;

pub use metric::{Metric, Shown, FUNNEL, KPIS, TABLE};
pub use statement::{decimals, ordered, reference, state, Amount, Side, AMOUNTS};

/// The two languages the dashboard is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhHans,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhHans, Lang::En];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
        }
    }

    /// From a browser language tag: any Chinese reads the Simplified dashboard, anything else
    /// English.
    pub fn from_tag(tag: &str) -> Lang {
        match inflow_core::Lang::negotiate(tag) {
            inflow_core::Lang::En => Lang::En,
            _ => Lang::ZhHans,
        }
    }
}

/// One report request. `Debug` leaves the key out so it cannot end up in a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Filters {
    pub key: Rc<str>,
    pub from: String,
    pub to: String,
    /// An IANA zone name (`inflow_core::report::Zone` reads it).
    pub tz: String,
}

impl std::fmt::Debug for Filters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Filters({}..={} {})", self.from, self.to, self.tz)
    }
}

/// Everything one "Load" shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub filters: Filters,
    /// Grouped by day: the totals, the time series and the drop-off come from here.
    pub by_day: ReportResponse,
    pub by_scene: Vec<ReportRow>,
    pub by_product: Vec<ReportRow>,
    /// Only bank keys may group by partner; `None` for a partner key.
    pub by_partner: Option<Vec<ReportRow>>,
    /// By the partner's sub-id (`report::tags`).
    pub by_sub_id: Vec<ReportRow>,
    /// `GET /v1/statements`: every month with a statement, through the current one. Its own
    /// failure shows in the statements view and leaves the report alone.
    pub statements: Result<Vec<Statement>, LoadError>,
}

impl Dashboard {
    /// A bank key is the one that may group by partner.
    pub fn side(&self) -> Side {
        if self.by_partner.is_some() {
            Side::Bank
        } else {
            Side::Partner
        }
    }
}

/// A CSV the user may save: the API URL that answers it (no key in it), the key for its
/// Authorization header, and the file name to save it as.
#[derive(Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub url: String,
    pub key: Rc<str>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// 401: no such key.
    Unauthorized,
    /// 403: the key may not see this.
    Forbidden,
    /// 400: the edge's own explanation.
    Invalid(String),
    /// No answer at all, or one that is not a report.
    Network,
    Server(u16),
    /// Caught before asking: `from` after `to`.
    Range,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Idle,
    Loading,
    Ready(Rc<Dashboard>),
    Failed(LoadError),
}
