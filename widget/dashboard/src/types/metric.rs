//! Which of core's report metrics (`inflow_core::report::Metric`, the one list: its name is the
//! stable id in the page's `data-` attributes, checked by the browser test) the dashboard shows
//! where, and how it prints them.

use inflow_core::report::ReportRow;

use crate::format;

pub use inflow_core::report::Metric;

use Metric::*;

/// The tiles at the top. Payouts are by the date the money moved (the reports' default
/// `payout_date=ledger`), so a day that is over shows the same figures tomorrow.
pub const KPIS: [Metric; 12] = [
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    Clicks,
    Conversions,
    ConversionRate,
    ConversionValue,
    EarningsPerClick,
    PayoutReleased,
    PayoutAccrued,
    PayoutVoided,
    PayoutClawedBack,
];

/// The funnel, top to bottom.
pub const FUNNEL: [Metric; 6] = [
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    RecommendationsShown,
    Clicks,
    Conversions,
];

/// The columns of the breakdown tables.
pub const TABLE: [Metric; 12] = [
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    RecommendationsShown,
    Clicks,
    Conversions,
    ConversionRate,
    ConversionValue,
    PayoutReleased,
    PayoutVoided,
    PayoutClawedBack,
    EarningsPerClick,
];

/// How the dashboard prints a metric.
pub trait Shown {
    fn display(self, r: &ReportRow) -> String;
}

impl Shown for Metric {
    /// Money as `12,345.67`, the conversion rate as a percentage, counts with separators.
    fn display(self, r: &ReportRow) -> String {
        let v = self.value(r);
        match self {
            _ if self.is_money() => format::money(v),
            ConversionRate => format::percent_bps(v.unsigned_abs()),
            _ => format::count(v.unsigned_abs()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_prints_each_kind() {
        let r = ReportRow {
            clicks: 4,
            conversions: 1,
            conversion_value_minor: 1_234_567,
            payout_approved_minor: 1_001,
            ..Default::default()
        };
        assert_eq!(Clicks.display(&r), "4");
        assert_eq!(ConversionValue.display(&r), "12,345.67");
        assert_eq!(ConversionRate.display(&r), "25.00%");
        assert_eq!(EarningsPerClick.value(&r), 250);
        assert_eq!(EarningsPerClick.display(&r), "2.50");
    }

    #[test]
    fn ids_are_the_report_columns() {
        let header = ReportRow::CSV_HEADER;
        for m in KPIS.iter().chain(&TABLE).chain(&FUNNEL) {
            assert!(header.contains(&m.name()), "{m:?}");
        }
    }
}
