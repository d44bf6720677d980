//! A statement: what one bank owes one partner for one period, and the period's state.
//!
//! The rules (the brief's, after Impact's and Dub's monthly payouts): the opening balance is the
//! previous statement's carry; `closing = opening + released − clawed back`;
//! `payable = closing` when `closing ≥ min_payout`, else 0; `carry = closing − payable`. So a
//! negative balance carries forward (a clawback larger than the period's earnings is recovered
//! from later periods, never charged to the partner), and a positive balance under the minimum
//! payout waits for the next period.

use serde::{Deserialize, Serialize};

use crate::settlement::entry::{Entry, EntryKind};
use crate::settlement::period::Period;

/// A period's state: open until the bank closes it, then paid with the bank's own reference.
/// On the wire the `state` field (`open`, `closed`, `paid`) with the times (unix seconds) and
/// reference beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PeriodState {
    /// Entries may still be booked into it; its figures are provisional.
    Open,
    /// Closed by the bank at `closed_at`: its figures never change again; later entries dated
    /// in it are booked into the next open period.
    Closed { closed_at: i64 },
    /// Paid by the bank at `paid_at`, under its own `reference` (a transfer id; 1–128 printable
    /// characters).
    Paid {
        closed_at: i64,
        paid_at: i64,
        reference: String,
    },
}

impl PeriodState {
    /// Whether the period is closed (or paid): nothing more is booked into it.
    pub fn is_closed(&self) -> bool {
        !matches!(self, PeriodState::Open)
    }
}

/// A statement's numbers. Every amount is minor units of the bank's currency; flows are
/// magnitudes (≥ 0), balances are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The previous statement's `carry_minor` (0 for the first). Signed.
    pub opening_minor: i64,
    /// Commissions earned in the period and held (accruals), approved on arrival or not.
    pub accrued_minor: i64,
    /// Commissions that became payable: accruals approved on arrival and holds released.
    pub released_minor: i64,
    /// Holds reversed before their release: never payable, so not in the balance.
    pub voided_minor: i64,
    /// Payable money taken back by reversals after release.
    pub clawed_back_minor: i64,
    /// `opening + released − clawed_back`. Signed.
    pub closing_minor: i64,
    /// `closing` when it reaches the minimum payout, else 0. Never negative.
    pub payable_minor: i64,
    /// `closing − payable`: the next statement's opening. Signed.
    pub carry_minor: i64,
    /// Held (not yet payable) at the period's end: earlier holds plus accruals, less releases
    /// and voids.
    pub held_minor: i64,
    /// How many ledger entries the period holds.
    pub entries: u64,
}

/// What a period holds of one entry kind: the sum of its amounts (signed minor units, the
/// kind's sign) and how many entries — a `GROUP BY period, kind` row of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub kind: EntryKind,
    pub amount_minor: i64,
    pub entries: u64,
}

impl Figures {
    /// [`Figures::settle`] from per-kind totals instead of entries (the edge sums in D1): the
    /// same figures, since every flow is a sum of its kind's magnitudes.
    pub fn settle_totals(
        opening: i64,
        held: i64,
        totals: impl IntoIterator<Item = Totals>,
        min_payout: i64,
    ) -> Figures {
        let mut f = Figures {
            opening_minor: opening,
            held_minor: held,
            ..Figures::default()
        };
        for t in totals {
            let size = t.amount_minor.saturating_abs();
            let flow = match t.kind {
                EntryKind::Accrual => &mut f.accrued_minor,
                EntryKind::Release => &mut f.released_minor,
                EntryKind::Void => &mut f.voided_minor,
                EntryKind::Clawback => &mut f.clawed_back_minor,
            };
            *flow = flow.saturating_add(size);
            f.held_minor = f.held_minor.saturating_add(t.kind.held_minor(t.amount_minor));
            f.entries += t.entries;
        }
        f.closing_minor = opening
            .saturating_add(f.released_minor)
            .saturating_sub(f.clawed_back_minor);
        f.payable_minor = if f.closing_minor >= min_payout.max(0) {
            f.closing_minor
        } else {
            0
        };
        f.carry_minor = f.closing_minor - f.payable_minor;
        f
    }

    /// Settles a period: `opening` and `held` balances carried in (minor units), the period's
    /// `entries`, and the bank's minimum payout (minor units; below 0 counts as 0). Sums
    /// saturate rather than wrap; no real ledger comes near `i64::MAX` minor units.
    pub fn settle<'a>(
        opening: i64,
        held: i64,
        entries: impl IntoIterator<Item = &'a Entry>,
        min_payout: i64,
    ) -> Figures {
        let totals = entries.into_iter().map(|e| Totals {
            kind: e.kind,
            amount_minor: e.amount_minor,
            entries: 1,
        });
        Figures::settle_totals(opening, held, totals, min_payout)
    }
}

/// One bank × partner × period statement, as `GET …/statements` answers it (JSON: these fields,
/// `Figures`' fields and `PeriodState`'s flattened in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub bank_id: String,
    pub partner_id: String,
    pub period: Period,
    /// The bank's currency (ISO 4217): every amount is minor units of it.
    pub currency: String,
    /// The bank's IANA time zone the period's month is in.
    pub zone: String,
    /// The period's first instant and the next period's (unix seconds, `[start, end)`).
    pub start: i64,
    pub end: i64,
    #[serde(flatten)]
    pub figures: Figures,
    #[serde(flatten)]
    pub state: PeriodState,
}

impl Statement {
    /// `bank_id` × `partner_id`'s statement of `period` in `currency`, with its bounds in the
    /// bank's `zone`.
    pub fn new(
        (bank_id, partner_id, currency): (&str, &str, &str),
        zone: &crate::report::zone::Zone,
        period: Period,
        figures: Figures,
        state: PeriodState,
    ) -> Statement {
        let (start, end) = period.bounds(zone);
        Statement {
            bank_id: bank_id.into(),
            partner_id: partner_id.into(),
            period,
            currency: currency.into(),
            zone: zone.name().into(),
            start,
            end,
            figures,
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: EntryKind, amount: i64) -> Entry {
        Entry {
            id: 1,
            conversion_id: "c".into(),
            bank_id: "b".into(),
            partner_id: "p".into(),
            campaign_id: "m".into(),
            kind,
            amount_minor: amount,
            at: 0,
        }
    }

    #[test]
    fn the_brief_formulas() {
        use EntryKind::*;
        let es = [
            entry(Accrual, 3_000),
            entry(Release, 3_000),
            entry(Clawback, -5_000),
            entry(Accrual, 800),
        ];
        let f = Figures::settle(0, 0, &es, 0);
        assert_eq!(
            (
                f.released_minor,
                f.clawed_back_minor,
                f.closing_minor,
                f.payable_minor,
                f.carry_minor
            ),
            (3_000, 5_000, -2_000, 0, -2_000),
            "a negative balance carries forward"
        );
        assert_eq!((f.accrued_minor, f.held_minor, f.entries), (3_800, 800, 4));
        let next = Figures::settle(f.carry_minor, f.held_minor, &[entry(Release, 800)], 0);
        assert_eq!(
            (
                next.closing_minor,
                next.payable_minor,
                next.carry_minor,
                next.held_minor
            ),
            (-1_200, 0, -1_200, 0)
        );
    }

    #[test]
    fn minimum_payout_carries_small_balances() {
        let f = Figures::settle(0, 0, &[entry(EntryKind::Release, 5_000)], 10_000);
        assert_eq!((f.payable_minor, f.carry_minor), (0, 5_000));
        let g = Figures::settle(f.carry_minor, 0, &[entry(EntryKind::Release, 5_000)], 10_000);
        assert_eq!(
            (g.closing_minor, g.payable_minor, g.carry_minor),
            (10_000, 10_000, 0),
            "the threshold itself pays"
        );
        let zero = Figures::settle(0, 0, &[], -5);
        assert_eq!((zero.payable_minor, zero.carry_minor), (0, 0));
        let void = Figures::settle(0, 700, &[entry(EntryKind::Void, -700)], 0);
        let totals = [Totals {
            kind: EntryKind::Void,
            amount_minor: -700,
            entries: 1,
        }];
        assert_eq!(
            Figures::settle_totals(0, 700, totals, 0),
            void,
            "totals settle as entries do"
        );
        assert_eq!((void.voided_minor, void.held_minor, void.closing_minor), (700, 0, 0));
    }

    #[test]
    fn json_shape() {
        let s = Statement {
            bank_id: "demo-bank".into(),
            partner_id: "edu-demo".into(),
            period: Period::parse("2026-11").expect("period"),
            currency: "CNY".into(),
            zone: "Asia/Shanghai".into(),
            start: 1_793_462_400,
            end: 1_796_054_400,
            figures: Figures::settle(0, 0, &[entry(EntryKind::Release, 5_000)], 0),
            state: PeriodState::Paid {
                closed_at: 1_796_100_000,
                paid_at: 1_796_200_000,
                reference: "TX-1".into(),
            },
        };
        let v = serde_json::to_value(&s).expect("json");
        assert_eq!(v["period"], "2026-11");
        assert_eq!(v["state"], "paid");
        assert_eq!(v["reference"], "TX-1");
        assert_eq!(v["payable_minor"], 5_000);
        assert_eq!(v["opening_minor"], 0);
        assert_eq!(v["currency"], "CNY");
        let back: Statement = serde_json::from_value(v).expect("back");
        assert_eq!(back, s);
        let open = serde_json::to_value(PeriodState::Open).expect("json");
        assert_eq!(open, serde_json::json!({"state": "open"}));
    }
}
