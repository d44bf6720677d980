//! The JSON answer of `GET /v1/reports`, as one type: the edge can serialise it and the
//! dashboard reads it, so both sides agree on the shape.

use serde::{Deserialize, Serialize};

use crate::report::ReportRow;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportResponse {
    pub from: String,
    pub to: String,
    pub tz: String,
    pub group_by: String,
    /// `ledger` or `conversion`: which date the rows' payouts are by (`query::PayoutDate`).
    #[serde(default)]
    pub payout_date: String,
    pub rows: Vec<ReportRow>,
    pub drop_off: DropOff,
}

/// How far chats got: opened, then how many answered each question, in asking order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropOff {
    pub opened: u64,
    pub questions: Vec<QuestionReached>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionReached {
    pub question: String,
    pub answered: u64,
}

impl ReportResponse {
    /// The report's totals, whatever it is grouped by.
    pub fn totals(&self) -> ReportRow {
        sum(&self.rows)
    }
}

/// Every row added up, metric by metric.
pub fn sum(rows: &[ReportRow]) -> ReportRow {
    let mut t = ReportRow::default();
    for r in rows {
        t.add(r);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape `edge/src/reports.rs` writes, field for field.
    const EDGE_JSON: &str = r#"{"from":"2026-11-01","to":"2026-11-02","tz":"Asia/Shanghai",
        "group_by":"day","payout_date":"conversion","rows":[
        {"group":"2026-11-01","impressions":4,"chats_opened":2,"qualified_leads":1,
         "recommendations_shown":1,"clicks":2,"conversions":1,"conversions_by_event":{"funded":1},
         "conversion_value_minor":100000,"payout_pending_minor":0,"payout_approved_minor":500,
         "payout_held_minor":0,"payout_reversed_minor":0,"payout_accrued_minor":0,
         "payout_released_minor":0,"payout_voided_minor":0,"payout_clawed_back_minor":0},
        {"group":"2026-11-02","impressions":1,"chats_opened":1,"qualified_leads":1,
         "recommendations_shown":1,"clicks":1,"conversions":2,
         "conversions_by_event":{"funded":1,"account_opened":1},
         "conversion_value_minor":5,"payout_pending_minor":7,"payout_approved_minor":8000,
         "payout_held_minor":3,"payout_reversed_minor":2,"payout_accrued_minor":0,
         "payout_released_minor":0,"payout_voided_minor":0,"payout_clawed_back_minor":0}],
        "drop_off":{"opened":3,"questions":[{"question":"age","answered":3},{"question":"goal","answered":1}]}}"#;

    #[test]
    fn reads_the_edge_answer_and_writes_the_same_shape() {
        let r: ReportResponse = serde_json::from_str(EDGE_JSON).expect("the edge's shape");
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.drop_off.questions[1].question, "goal");
        let back: serde_json::Value = serde_json::to_value(&r).expect("serialises");
        let original: serde_json::Value = serde_json::from_str(EDGE_JSON).expect("json");
        assert_eq!(back, original);
    }

    #[test]
    fn totals_add_every_metric() {
        let r: ReportResponse = serde_json::from_str(EDGE_JSON).expect("the edge's shape");
        let t = r.totals();
        assert_eq!(
            (
                t.impressions,
                t.chats_opened,
                t.qualified_leads,
                t.recommendations_shown
            ),
            (5, 3, 2, 2)
        );
        assert_eq!((t.clicks, t.conversions), (3, 3));
        assert_eq!(t.conversions_by_event.get("funded"), Some(&2));
        assert_eq!(t.conversions_by_event.get("account_opened"), Some(&1));
        assert_eq!(t.conversion_value_minor, 100_005);
        assert_eq!(
            (
                t.payout_pending_minor,
                t.payout_approved_minor,
                t.payout_held_minor,
                t.payout_reversed_minor
            ),
            (7, 8_500, 3, 2)
        );
        assert_eq!(ReportResponse::default().totals(), ReportRow::default());
    }
}
