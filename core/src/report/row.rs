//! One row of a report: the group it is for, the funnel and ledger counts, and the ratios
//! derived from them — in integer minor units wherever money is involved.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::csv;

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
}

impl ReportRow {
    /// Adds `other`'s metrics to this row's (the group stays this row's).
    pub fn add(&mut self, other: &ReportRow) {
        self.impressions += other.impressions;
        self.chats_opened += other.chats_opened;
        self.qualified_leads += other.qualified_leads;
        self.recommendations_shown += other.recommendations_shown;
        self.clicks += other.clicks;
        self.conversions += other.conversions;
        for (event, n) in &other.conversions_by_event {
            *self.conversions_by_event.entry(event.clone()).or_default() += n;
        }
        self.conversion_value_minor += other.conversion_value_minor;
        self.payout_pending_minor += other.payout_pending_minor;
        self.payout_approved_minor += other.payout_approved_minor;
        self.payout_held_minor += other.payout_held_minor;
        self.payout_reversed_minor += other.payout_reversed_minor;
    }

    /// Conversions per click, in basis points (0 when there were no clicks).
    pub fn conversion_rate_bps(&self) -> u64 {
        (self.conversions * 10_000).checked_div(self.clicks).unwrap_or(0)
    }

    /// Approved earnings per click in minor units, rounded down.
    pub fn earnings_per_click_minor(&self) -> i64 {
        i64::try_from(self.clicks)
            .ok()
            .and_then(|c| self.payout_approved_minor.checked_div(c))
            .unwrap_or(0)
    }

    pub const CSV_HEADER: [&'static str; 15] = [
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
        "conversion_rate_bps",
        "earnings_per_click_minor",
    ];

    pub fn csv_line(&self) -> String {
        csv::line(&[
            self.group.clone(),
            self.impressions.to_string(),
            self.chats_opened.to_string(),
            self.qualified_leads.to_string(),
            self.recommendations_shown.to_string(),
            self.clicks.to_string(),
            self.conversions.to_string(),
            // One cell, `event=count` pairs separated by ';', so the columns stay fixed.
            self.conversions_by_event
                .iter()
                .map(|(e, n)| format!("{e}={n}"))
                .collect::<Vec<_>>()
                .join(";"),
            self.conversion_value_minor.to_string(),
            self.payout_pending_minor.to_string(),
            self.payout_approved_minor.to_string(),
            self.payout_held_minor.to_string(),
            self.payout_reversed_minor.to_string(),
            self.conversion_rate_bps().to_string(),
            self.earnings_per_click_minor().to_string(),
        ])
    }
}

/// The whole CSV document for `rows`, header first.
pub fn to_csv(rows: &[ReportRow]) -> String {
    let mut out = csv::line(&ReportRow::CSV_HEADER);
    for r in rows {
        out.push_str(&r.csv_line());
    }
    out
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
        assert!(lines[0].starts_with("group,impressions,"));
        assert!(lines[1].starts_with("\"gaming, \"\"neon\"\"\",0,0,0,0,2,"));
    }
}
