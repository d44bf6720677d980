//! The report's metrics, listed once: the JSON field and CSV column each is, the rollup column it
//! is summed from (edge/migrations/0006, 0011), whether it is money, and how a row holds it. The
//! edge's report SQL, the CSV columns, the OpenAPI `ReportRow` schema (a test checks it) and the
//! dashboard derive from [`Metric::ALL`]; adding a metric starts here.

use crate::report::ReportRow;

/// One figure of a report row: a count, minor units, or basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Impressions,
    ChatsOpened,
    QualifiedLeads,
    RecommendationsShown,
    Clicks,
    /// Conversions that count (not rejected, not reversed; `Status::counts_in_reports`).
    Conversions,
    ConversionValue,
    PayoutPending,
    PayoutApproved,
    PayoutHeld,
    PayoutReversed,
    /// Ledger entries by the date the money moved (`payout_date=ledger`, edge/migrations/0026):
    /// commission earned and held (accrual), become payable (release), reversed before release
    /// (void) and after (clawback); the last two as positive amounts, as statements show them.
    PayoutAccrued,
    PayoutReleased,
    PayoutVoided,
    PayoutClawedBack,
    /// Conversions per click, basis points (derived, not stored).
    ConversionRate,
    /// Approved payout per click, minor units rounded down (derived, not stored).
    EarningsPerClick,
}

use Metric::*;

/// The rollup column that counts recorded conversions left out of `conversions` (rejected or
/// reversed): reports use it only to show a group in which something happened.
pub const LEFT_OUT_COLUMN: &str = "rejected";

impl Metric {
    /// Every metric, in the order of the JSON fields and the CSV columns.
    pub const ALL: [Metric; 17] = [
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
        PayoutAccrued,
        PayoutReleased,
        PayoutVoided,
        PayoutClawedBack,
        ConversionRate,
        EarningsPerClick,
    ];

    /// The JSON field and CSV column: stable, part of the API.
    pub const fn name(self) -> &'static str {
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
            PayoutAccrued => "payout_accrued_minor",
            PayoutReleased => "payout_released_minor",
            PayoutVoided => "payout_voided_minor",
            PayoutClawedBack => "payout_clawed_back_minor",
            ConversionRate => "conversion_rate_bps",
            EarningsPerClick => "earnings_per_click_minor",
        }
    }

    /// The rollup column it is summed from; `None` for the ratios derived from other metrics.
    pub fn column(self) -> Option<&'static str> {
        Some(match self {
            Impressions => "impressions",
            ChatsOpened => "opens",
            QualifiedLeads => "leads",
            RecommendationsShown => "recommendations",
            Clicks => "clicks",
            Conversions => "conversions",
            ConversionValue => "value_minor",
            PayoutPending => "payout_pending_minor",
            PayoutApproved => "payout_approved_minor",
            PayoutHeld => "payout_held_minor",
            PayoutReversed => "payout_reversed_minor",
            PayoutAccrued => "accrued_minor",
            PayoutReleased => "released_minor",
            PayoutVoided => "voided_minor",
            PayoutClawedBack => "clawed_back_minor",
            ConversionRate | EarningsPerClick => return None,
        })
    }

    /// Stored in a row (summed from the rollups), not derived.
    pub fn is_stored(self) -> bool {
        self.column().is_some()
    }

    /// Integer minor units of the conversion's currency.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            ConversionValue
                | PayoutPending
                | PayoutApproved
                | PayoutHeld
                | PayoutReversed
                | PayoutAccrued
                | PayoutReleased
                | PayoutVoided
                | PayoutClawedBack
                | EarningsPerClick
        )
    }

    /// A payout by the date the money moved (a ledger entry's), not by the conversion's date.
    pub fn is_ledger_dated(self) -> bool {
        matches!(self, PayoutAccrued | PayoutReleased | PayoutVoided | PayoutClawedBack)
    }

    /// A payout by the conversion's date and current status.
    pub fn is_conversion_dated(self) -> bool {
        matches!(self, PayoutPending | PayoutApproved | PayoutHeld | PayoutReversed)
    }

    /// A stored count of things that happened (not money): a group with any is shown.
    pub fn is_event_count(self) -> bool {
        self.is_stored() && !self.is_money()
    }

    /// The stored metrics, in [`Metric::ALL`]'s order.
    pub fn stored() -> impl Iterator<Item = Metric> {
        Metric::ALL.into_iter().filter(|m| m.is_stored())
    }

    /// Every summed rollup column a report reads: the stored metrics' and [`LEFT_OUT_COLUMN`].
    pub fn rollup_columns() -> impl Iterator<Item = &'static str> {
        Metric::stored().filter_map(Metric::column).chain([LEFT_OUT_COLUMN])
    }

    /// This metric's value in `row`: a count, minor units or basis points.
    pub fn value(self, row: &ReportRow) -> i64 {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        match self {
            Impressions => n(row.impressions),
            ChatsOpened => n(row.chats_opened),
            QualifiedLeads => n(row.qualified_leads),
            RecommendationsShown => n(row.recommendations_shown),
            Clicks => n(row.clicks),
            Conversions => n(row.conversions),
            ConversionValue => row.conversion_value_minor,
            PayoutPending => row.payout_pending_minor,
            PayoutApproved => row.payout_approved_minor,
            PayoutHeld => row.payout_held_minor,
            PayoutReversed => row.payout_reversed_minor,
            PayoutAccrued => row.payout_accrued_minor,
            PayoutReleased => row.payout_released_minor,
            PayoutVoided => row.payout_voided_minor,
            PayoutClawedBack => row.payout_clawed_back_minor,
            ConversionRate => n(row.conversion_rate_bps()),
            EarningsPerClick => row.earnings_per_click_minor(),
        }
    }

    /// Adds `n` to this metric in `row`; derived metrics follow the stored ones, so adding to
    /// them does nothing. Counts saturate rather than wrap.
    pub fn add(self, row: &mut ReportRow, n: i64) {
        let count = |c: &mut u64| *c = c.saturating_add_signed(n);
        let money = |m: &mut i64| *m = m.saturating_add(n);
        match self {
            Impressions => count(&mut row.impressions),
            ChatsOpened => count(&mut row.chats_opened),
            QualifiedLeads => count(&mut row.qualified_leads),
            RecommendationsShown => count(&mut row.recommendations_shown),
            Clicks => count(&mut row.clicks),
            Conversions => count(&mut row.conversions),
            ConversionValue => money(&mut row.conversion_value_minor),
            PayoutPending => money(&mut row.payout_pending_minor),
            PayoutApproved => money(&mut row.payout_approved_minor),
            PayoutHeld => money(&mut row.payout_held_minor),
            PayoutReversed => money(&mut row.payout_reversed_minor),
            PayoutAccrued => money(&mut row.payout_accrued_minor),
            PayoutReleased => money(&mut row.payout_released_minor),
            PayoutVoided => money(&mut row.payout_voided_minor),
            PayoutClawedBack => money(&mut row.payout_clawed_back_minor),
            ConversionRate | EarningsPerClick => {}
        }
    }
}

/// The OpenAPI schema of a report row (`components.schemas.ReportRow` in `edge/openapi.json`):
/// the group, every stored metric (required) and the conversions by event.
pub fn openapi_report_row() -> serde_json::Value {
    use serde_json::json;
    let mut properties = serde_json::Map::new();
    properties.insert("group".into(), json!({"type": "string"}));
    let mut required = vec!["group"];
    for m in Metric::stored() {
        properties.insert(m.name().into(), json!({"type": "integer"}));
        required.push(m.name());
    }
    properties.insert(
        "conversions_by_event".into(),
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
    );
    json!({"type": "object", "required": required, "properties": properties})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_columns_are_unique_and_stored_metrics_round_trip() {
        let mut names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Metric::ALL.len());
        let mut columns: Vec<&str> = Metric::rollup_columns().collect();
        columns.sort_unstable();
        columns.dedup();
        assert_eq!(columns.len(), Metric::stored().count() + 1);
        for (i, m) in Metric::stored().enumerate() {
            let mut row = ReportRow::default();
            m.add(&mut row, i as i64 + 1);
            assert_eq!(m.value(&row), i as i64 + 1, "{m:?}");
            let others: i64 = Metric::stored().filter(|o| *o != m).map(|o| o.value(&row)).sum();
            assert_eq!(others, 0, "{m:?} adds only to itself");
        }
        let mut row = ReportRow::default();
        ConversionRate.add(&mut row, 5);
        assert_eq!(row, ReportRow::default());
    }

    /// Every stored metric is a field of the JSON row, by its name.
    #[test]
    fn names_are_the_json_fields() {
        let row = ReportRow::default();
        let json = serde_json::to_value(&row).expect("serialises");
        for m in Metric::stored() {
            assert!(json.get(m.name()).is_some(), "{}", m.name());
        }
        let fields = json.as_object().map_or(0, |o| o.len());
        // The group and the conversions by event besides the stored metrics.
        assert_eq!(fields, Metric::stored().count() + 2);
    }

    #[test]
    fn the_openapi_report_row_is_the_metric_list() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../edge/openapi.json")).expect("edge/openapi.json parses");
        let want = openapi_report_row();
        let got = doc
            .pointer("/components/schemas/ReportRow")
            .cloned()
            .unwrap_or_default();
        assert!(
            got == want,
            "edge/openapi.json /components/schemas/ReportRow differs from core; it must be:\n{}",
            serde_json::to_string_pretty(&want).unwrap_or_default()
        );
    }
}
