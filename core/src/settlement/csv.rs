//! Statements and ledger entries as CSV, written like report CSV ([`crate::report::csv`]: RFC
//! 4180 by the `csv` crate, a UTF-8 BOM, formula-like text neutralised, numbers as numbers).
//! Amounts are minor units, times unix seconds and RFC 3339 UTC side by side, so a spreadsheet
//! can sum exactly and a person can read when.

use crate::report::csv::{document, Cell};
use crate::settlement::book::Booked;
use crate::settlement::statement::{PeriodState, Statement};
use crate::support::time::format_rfc3339;

/// The statement CSV's columns, in order: ids, the period (`YYYY-MM`) and zone, its bounds
/// (RFC 3339 UTC), the figures ([`crate::settlement::statement::Figures`], minor units), the state (`open`,
/// `closed`, `paid`), when it was closed and paid (RFC 3339 UTC, empty if not) and the bank's
/// payment reference.
pub const STATEMENT_HEADER: [&str; 20] = [
    "bank_id",
    "partner_id",
    "period",
    "currency",
    "zone",
    "start",
    "end",
    "opening_minor",
    "accrued_minor",
    "released_minor",
    "voided_minor",
    "clawed_back_minor",
    "closing_minor",
    "payable_minor",
    "carry_minor",
    "held_minor",
    "entries",
    "state",
    "closed_at",
    "paid_at",
];

/// The ledger CSV's columns: the entry's fields, its period, and its time as unix seconds and
/// RFC 3339 UTC.
pub const LEDGER_HEADER: [&str; 11] = [
    "id",
    "period",
    "conversion_id",
    "bank_id",
    "partner_id",
    "campaign_id",
    "kind",
    "amount_minor",
    "currency",
    "at",
    "at_utc",
];

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Statements as one CSV document ([`STATEMENT_HEADER`] plus a `reference` column).
pub fn statements(rows: &[Statement]) -> String {
    let records: Vec<Vec<Cell>> = rows
        .iter()
        .map(|s| {
            let f = &s.figures;
            let (state, closed_at, paid_at, reference) = match &s.state {
                PeriodState::Open => ("open", None, None, ""),
                PeriodState::Closed { closed_at } => ("closed", Some(*closed_at), None, ""),
                PeriodState::Paid {
                    closed_at,
                    paid_at,
                    reference,
                } => ("paid", Some(*closed_at), Some(*paid_at), reference.as_str()),
            };
            let time = |t: Option<i64>| text(t.map(format_rfc3339).unwrap_or_default());
            vec![
                text(s.bank_id.as_str()),
                text(s.partner_id.as_str()),
                text(s.period.to_string()),
                text(s.currency.as_str()),
                text(s.zone.as_str()),
                text(format_rfc3339(s.start)),
                text(format_rfc3339(s.end)),
                Cell::Int(f.opening_minor),
                Cell::Int(f.accrued_minor),
                Cell::Int(f.released_minor),
                Cell::Int(f.voided_minor),
                Cell::Int(f.clawed_back_minor),
                Cell::Int(f.closing_minor),
                Cell::Int(f.payable_minor),
                Cell::Int(f.carry_minor),
                Cell::Int(f.held_minor),
                Cell::Uint(f.entries),
                text(state),
                time(closed_at),
                time(paid_at),
                text(reference),
            ]
        })
        .collect();
    let mut header = STATEMENT_HEADER.to_vec();
    header.push("reference");
    document(&header, records.iter().map(Vec::as_slice))
}

/// Booked entries as one CSV document ([`LEDGER_HEADER`]).
pub fn ledger(rows: &[Booked]) -> String {
    let records: Vec<Vec<Cell>> = rows
        .iter()
        .map(|b| {
            let e = &b.entry;
            vec![
                Cell::Uint(e.id),
                text(b.period.to_string()),
                text(e.conversion_id.as_str()),
                text(e.bank_id.as_str()),
                text(e.partner_id.as_str()),
                text(e.campaign_id.as_str()),
                text(e.kind.as_str()),
                Cell::Int(e.amount_minor),
                text(b.currency.as_str()),
                Cell::Int(e.at),
                text(format_rfc3339(e.at)),
            ]
        })
        .collect();
    document(&LEDGER_HEADER, records.iter().map(Vec::as_slice))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::entry::{Entry, EntryKind};
    use crate::settlement::period::Period;
    use crate::settlement::statement::Figures;

    fn read(doc: &str) -> Vec<Vec<String>> {
        let body = doc.strip_prefix(crate::report::csv::BOM).expect("BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn statement_rows() {
        let s = Statement {
            bank_id: "demo-bank".into(),
            partner_id: "=edu".into(),
            period: Period::parse("2026-11").expect("period"),
            currency: "CNY".into(),
            zone: "Asia/Shanghai".into(),
            start: 1_793_462_400,
            end: 1_796_054_400,
            figures: Figures {
                opening_minor: 0,
                released_minor: 3_000,
                clawed_back_minor: 5_000,
                closing_minor: -2_000,
                carry_minor: -2_000,
                entries: 3,
                ..Figures::default()
            },
            state: PeriodState::Paid {
                closed_at: 1_796_054_400,
                paid_at: 1_796_140_800,
                reference: "TX, 1".into(),
            },
        };
        let rows = read(&statements(&[s]));
        assert_eq!(rows[0].len(), STATEMENT_HEADER.len() + 1);
        assert_eq!(rows[0][..3], ["bank_id", "partner_id", "period"]);
        let r = &rows[1];
        assert_eq!(r[1], "'=edu", "formula-like ids are neutralised");
        assert_eq!(
            (r[2].as_str(), r[3].as_str(), r[5].as_str()),
            ("2026-11", "CNY", "2026-10-31T16:00:00Z")
        );
        assert_eq!(
            (r[12].as_str(), r[14].as_str()),
            ("-2000", "-2000"),
            "negative numbers stay numbers"
        );
        assert_eq!(
            (r[17].as_str(), r[19].as_str(), r[20].as_str()),
            ("paid", "2026-12-01T16:00:00Z", "TX, 1")
        );
    }

    #[test]
    fn ledger_rows() {
        let b = Booked {
            period: Period::parse("2026-12").expect("period"),
            currency: "CNY".into(),
            entry: Entry {
                id: 7,
                conversion_id: "c1".into(),
                bank_id: "demo-bank".into(),
                partner_id: "edu-demo".into(),
                campaign_id: "cmp".into(),
                kind: EntryKind::Clawback,
                amount_minor: -5_000,
                at: 1_796_000_000,
            },
        };
        let rows = read(&ledger(std::slice::from_ref(&b)));
        assert_eq!(rows[0], LEDGER_HEADER);
        assert_eq!(
            rows[1],
            [
                "7",
                "2026-12",
                "c1",
                "demo-bank",
                "edu-demo",
                "cmp",
                "clawback",
                "-5000",
                "CNY",
                "1796000000",
                "2026-11-30T00:53:20Z"
            ]
        );
        let json = serde_json::to_value(&b).expect("json");
        assert_eq!(
            (json["period"].as_str(), json["kind"].as_str()),
            (Some("2026-12"), Some("clawback"))
        );
        assert_eq!(serde_json::from_value::<Booked>(json).expect("back"), b);
    }
}
