//! The report's metrics, each once: where its value is in a row, how it is printed, and its
//! stable id (used in the page's `data-` attributes and checked by the browser test).

use inflow_core::report::ReportRow;

use crate::format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    RecommendationsShown,
    Clicks,
    Conversions,
    ConversionValue,
    PayoutPending,
    PayoutApproved,
    PayoutHeld,
    PayoutReversed,
    ConversionRate,
    EarningsPerClick,
}

use Metric::*;

/// The tiles at the top.
pub const KPIS: [Metric; 12] = [
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    Clicks,
    Conversions,
    ConversionRate,
    ConversionValue,
    EarningsPerClick,
    PayoutApproved,
    PayoutPending,
    PayoutHeld,
    PayoutReversed,
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
    PayoutApproved,
    PayoutHeld,
    PayoutReversed,
    EarningsPerClick,
];

impl Metric {
    /// The JSON field (or, for the derived ratios, the CSV column) this metric is.
    pub fn id(self) -> &'static str {
        match self {
            Impressions => "impressions",
            ChatsOpened => "chats_opened",
            QualifiedLeads => "qualified_leads",
            RecommendationsShown => "recommendations_shown",
            Clicks => "clicks",
            Conversions => "conversions",
            ConversionValue => "conversion_value_minor",
            PayoutPending => "payout_pending_minor",
            PayoutApproved => "payout_approved_minor",
            PayoutHeld => "payout_held_minor",
            PayoutReversed => "payout_reversed_minor",
            ConversionRate => "conversion_rate_bps",
            EarningsPerClick => "earnings_per_click_minor",
        }
    }

    /// The raw value: a count, minor units or basis points.
    pub fn value(self, r: &ReportRow) -> i64 {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        match self {
            Impressions => n(r.impressions),
            ChatsOpened => n(r.chats_opened),
            QualifiedLeads => n(r.qualified_leads),
            RecommendationsShown => n(r.recommendations_shown),
            Clicks => n(r.clicks),
            Conversions => n(r.conversions),
            ConversionValue => r.conversion_value_minor,
            PayoutPending => r.payout_pending_minor,
            PayoutApproved => r.payout_approved_minor,
            PayoutHeld => r.payout_held_minor,
            PayoutReversed => r.payout_reversed_minor,
            ConversionRate => n(r.conversion_rate_bps()),
            EarningsPerClick => r.earnings_per_click_minor(),
        }
    }

    pub fn is_money(self) -> bool {
        matches!(
            self,
            ConversionValue | PayoutPending | PayoutApproved | PayoutHeld | PayoutReversed | EarningsPerClick
        )
    }

    pub fn display(self, r: &ReportRow) -> String {
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
            assert!(header.contains(&m.id()), "{m:?}");
        }
    }
}
