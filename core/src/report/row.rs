//! One row of a report: the group it is for, the funnel and ledger counts, and the ratios
//! derived from them — in integer minor units wherever money is involved.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "csv")]
use crate::report::csv::{self, Cell};
use crate::report::Metric;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The day, scene, product, campaign or partner this row is for.
    pub group: String,
    pub impressions: u64,
    pub chats_opened: u64,
    pub qualified_leads: u64,
    pub recommendations_shown: u64,
    pub clicks: u64,
    pub conversions: u64,
    /// Conversions by the bank's event name (lead_qualified, account_opened, funded, …).
    pub conversions_by_event: BTreeMap<String, u64>,
    pub conversion_value_minor: i64,
    pub payout_pending_minor: i64,
    pub payout_approved_minor: i64,
    pub payout_held_minor: i64,
    pub payout_reversed_minor: i64,
    /// By the ledger entry's date (`payout_date=ledger`, the default); 0 by conversion date.
    pub payout_accrued_minor: i64,
    pub payout_released_minor: i64,
    pub payout_voided_minor: i64,
    pub payout_clawed_back_minor: i64,
}

impl ReportRow {
    /// Adds `other`'s metrics to this row's (the group stays this row's).
    pub fn add(&mut self, other: &ReportRow) {
        for m in Metric::stored() {
            m.add(self, m.value(other));
        }
        for (event, n) in &other.conversions_by_event {
            *self.conversions_by_event.entry(event.clone()).or_default() += n;
        }
    }

    /// Conversions per click, in basis points (0 when there were no clicks).
    pub fn conversion_rate_bps(&self) -> u64 {
        (self.conversions * 10_000).checked_div(self.clicks).unwrap_or(0)
    }

    /// Payable earnings per click in minor units, rounded down: approved payouts by conversion
    /// date, or released ones by ledger date (a report fills one of the two).
    pub fn earnings_per_click_minor(&self) -> i64 {
        let payable = self.payout_approved_minor.saturating_add(self.payout_released_minor);
        i64::try_from(self.clicks)
            .ok()
            .and_then(|c| payable.checked_div(c))
            .unwrap_or(0)
    }

    /// The CSV columns: the group, then [`Metric::ALL`] with the conversions by event after
    /// the conversions.
    pub const CSV_HEADER: [&'static str; Metric::ALL.len() + 2] = csv_header();

    /// This row's CSV cells, in [`ReportRow::CSV_HEADER`]'s order: the group and the events
    /// are text (neutralised by [`csv::document`]), the rest numbers.
    #[cfg(feature = "csv")]
    pub fn csv_record(&self) -> Vec<Cell> {
        let mut cells = vec![Cell::Text(self.group.clone())];
        for m in Metric::ALL {
            cells.push(Cell::Int(m.value(self)));
            if m == Metric::Conversions {
                // One cell, `event=count` pairs separated by ';', so the columns stay fixed.
                cells.push(Cell::Text(
                    self.conversions_by_event
                        .iter()
                        .map(|(e, n)| format!("{e}={n}"))
                        .collect::<Vec<_>>()
                        .join(";"),
                ));
            }
        }
        cells
    }
}

/// The CSV column of the conversions by event.
const BY_EVENT: &str = "conversions_by_event";

const fn csv_header() -> [&'static str; Metric::ALL.len() + 2] {
    let mut header = [""; Metric::ALL.len() + 2];
    header[0] = "group";
    let (mut i, mut j) = (0, 1);
    while i < Metric::ALL.len() {
        header[j] = Metric::ALL[i].name();
        j += 1;
        if matches!(Metric::ALL[i], Metric::Conversions) {
            header[j] = BY_EVENT;
            j += 1;
        }
        i += 1;
    }
    header
}

/// The whole CSV document for `rows`: a UTF-8 BOM, the header, one line per row.
#[cfg(feature = "csv")]
pub fn to_csv(rows: &[ReportRow]) -> String {
    let records: Vec<Vec<Cell>> = rows.iter().map(ReportRow::csv_record).collect();
    csv::document(&ReportRow::CSV_HEADER, records.iter().map(Vec::as_slice))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_integer_and_safe_at_zero() {
        let r = ReportRow {
            clicks: 3,
            conversions: 1,
            payout_approved_minor: 1_000,
            ..Default::default()
        };
        assert_eq!(r.conversion_rate_bps(), 3_333);
        assert_eq!(r.earnings_per_click_minor(), 333);
        assert_eq!(ReportRow::default().conversion_rate_bps(), 0);
        assert_eq!(ReportRow::default().earnings_per_click_minor(), 0);
    }

    /// The CSV columns as they have always been, now derived from the metric list.
    #[test]
    fn csv_header_is_the_metric_list_with_the_events_after_conversions() {
        assert_eq!(
            ReportRow::CSV_HEADER,
            [
                "group",
                "impressions",
                "chats_opened",
                "qualified_leads",
                "recommendations_shown",
                "clicks",
                "conversions",
                "conversions_by_event",
                "conversion_value_minor",
                "payout_pending_minor",
                "payout_approved_minor",
                "payout_held_minor",
                "payout_reversed_minor",
                "payout_accrued_minor",
                "payout_released_minor",
                "payout_voided_minor",
                "payout_clawed_back_minor",
                "conversion_rate_bps",
                "earnings_per_click_minor",
            ]
        );
    }

    #[cfg(feature = "csv")]
    #[test]
    fn csv_has_a_header_and_one_line_per_row() {
        let rows = [ReportRow {
            group: "gaming, \"neon\"".into(),
            clicks: 2,
            ..Default::default()
        }];
        let text = to_csv(&rows);
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("\u{feff}group,impressions,"));
        assert!(lines[1].starts_with("\"gaming, \"\"neon\"\"\",0,0,0,0,2,"));
        let hostile = ReportRow {
            group: "=cmd|' /C calc'!A0".into(),
            conversions_by_event: [("@evil".to_string(), 1)].into_iter().collect(),
            conversion_value_minor: -500,
            ..Default::default()
        };
        let text = to_csv(&[hostile]);
        let line = text.split_terminator("\r\n").nth(1).expect("a row");
        assert!(line.starts_with("'=cmd|' /C calc'!A0,0,"), "{line}");
        assert!(line.contains(",'@evil=1,-500,"), "{line}");
    }
}
