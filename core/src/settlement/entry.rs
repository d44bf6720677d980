//! The settlement ledger: money movements, each dated when the money moved, derived from a
//! conversion's life (arrived, approved, reversed) by one state machine, at most one entry of
//! each kind per conversion.
//!
//! A paid conversion's commission is first **held** (an accrual): a bank may still reverse it
//! during the campaign's approval period (`campaigns.approval_days`; Impact calls this the
//! action's locking period, Tolt an approval delay), and a conversion held for a fraud signal
//! waits for someone to clear it. When the hold ends it is **released** and becomes payable. A
//! reversal then is a **clawback** of money that was payable — or, before the release, a
//! **void** of the hold, which takes back nothing that was ever payable (issue 15, item 3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What an entry does to the partner's balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The commission is earned but held (pending approval or a fraud check): `+payout` to the
    /// held balance, nothing payable yet.
    Accrual,
    /// The hold ends (approval date passed, or the hold cleared): `+payout` payable, `-payout`
    /// held. A conversion approved on arrival has its accrual and release at the same instant.
    Release,
    /// Reversed before its release: `-payout` held, nothing payable taken back.
    Void,
    /// Reversed after its release: `-payout` payable. The balance may go negative; it carries
    /// forward ([`super::statement`]).
    Clawback,
}

impl EntryKind {
    /// Every kind, in the order a conversion can go through them.
    pub const ALL: [EntryKind; 4] = [
        EntryKind::Accrual,
        EntryKind::Release,
        EntryKind::Void,
        EntryKind::Clawback,
    ];

    /// The kind's name on the wire and in D1 (`accrual`, `release`, `void`, `clawback`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Accrual => "accrual",
            EntryKind::Release => "release",
            EntryKind::Void => "void",
            EntryKind::Clawback => "clawback",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What an entry of this kind and signed `amount` (minor units) adds to the held balance:
    /// accruals add, releases and voids take out, clawbacks leave it.
    pub fn held_minor(self, amount: i64) -> i64 {
        match self {
            EntryKind::Accrual | EntryKind::Void => amount,
            EntryKind::Release => -amount,
            EntryKind::Clawback => 0,
        }
    }

    /// The sign of the kind's amount: money in (`+1`: accrual, release) or out (`-1`: void,
    /// clawback) of the balance it moves.
    pub fn sign(self) -> i64 {
        match self {
            EntryKind::Accrual | EntryKind::Release => 1,
            EntryKind::Void | EntryKind::Clawback => -1,
        }
    }
}

/// One money movement. Amounts are signed minor units of the bank's currency (positive for
/// accruals and releases, negative for voids and clawbacks, never zero), times unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Ledger order: ids increase as entries are written (`ledger.id`).
    pub id: u64,
    pub conversion_id: String,
    pub bank_id: String,
    pub partner_id: String,
    pub campaign_id: String,
    pub kind: EntryKind,
    /// Signed minor units, the sign of [`EntryKind::sign`].
    pub amount_minor: i64,
    /// When the money moved (unix seconds): arrival for an accrual, the approval date for a
    /// release, the reversal for a void or clawback. Statements are by this date, not by the
    /// conversion's, so a reversal never rewrites a past period.
    pub at: i64,
}

impl Entry {
    /// What the entry adds to the payable balance (minor units): releases and clawbacks only.
    pub fn payable_minor(&self) -> i64 {
        match self.kind {
            EntryKind::Release | EntryKind::Clawback => self.amount_minor,
            EntryKind::Accrual | EntryKind::Void => 0,
        }
    }

    /// What the entry adds to the held balance (minor units): accruals add, releases and voids
    /// take out.
    pub fn held_minor(&self) -> i64 {
        self.kind.held_minor(self.amount_minor)
    }
}

/// What happened to a conversion, as the edge learns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A paid conversion was recorded (`pending`, `held` or `approved` with a payout above 0);
    /// `approved` when it is approved on arrival (no approval period, no fraud hold).
    Arrived { approved: bool },
    /// Its approval date passed (`approve_at`) or its fraud hold was cleared.
    Approved,
    /// The bank reversed it.
    Reversed,
}

/// Where a conversion is in the ledger, from the kinds of entry it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionState {
    /// No entry: not paid, or not seen yet.
    Unpaid,
    /// Accrued, not released: the money is held.
    Held,
    /// Released: the money is payable (or paid).
    Released,
    /// Voided or clawed back: final, nothing more ever moves.
    Reversed,
}

impl ConversionState {
    /// The state a conversion with entries of `kinds` is in.
    pub fn of(kinds: impl IntoIterator<Item = EntryKind>) -> ConversionState {
        let mut state = ConversionState::Unpaid;
        for kind in kinds {
            let rank = match kind {
                EntryKind::Accrual => ConversionState::Held,
                EntryKind::Release => ConversionState::Released,
                EntryKind::Void | EntryKind::Clawback => ConversionState::Reversed,
            };
            state = state.max_with(rank);
        }
        state
    }

    fn max_with(self, other: ConversionState) -> ConversionState {
        let rank = |s| match s {
            ConversionState::Unpaid => 0,
            ConversionState::Held => 1,
            ConversionState::Released => 2,
            ConversionState::Reversed => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }

    /// The entries `event` writes for a conversion in this state, in order; none when it
    /// changes nothing (a duplicate postback, a second reversal, an approval after a reversal).
    /// The edge can apply the same rule with D1's `UNIQUE (conversion_id, kind)` as the guard.
    pub fn entries_for(self, event: Event) -> &'static [EntryKind] {
        match (self, event) {
            (ConversionState::Unpaid, Event::Arrived { approved: false }) => &[EntryKind::Accrual],
            (ConversionState::Unpaid, Event::Arrived { approved: true }) => &[EntryKind::Accrual, EntryKind::Release],
            (ConversionState::Held, Event::Approved) => &[EntryKind::Release],
            (ConversionState::Held, Event::Reversed) => &[EntryKind::Void],
            (ConversionState::Released, Event::Reversed) => &[EntryKind::Clawback],
            _ => &[],
        }
    }
}

/// A paid conversion as the ledger needs it: who earns, from whom, and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub conversion_id: String,
    pub bank_id: String,
    pub partner_id: String,
    pub campaign_id: String,
    /// The commission, minor units (`conversions.payout_minor`); 0 or less pays nothing.
    pub payout_minor: i64,
}

/// The ledger in memory: every entry, in order, at most one of each kind per conversion — the
/// rule D1's `UNIQUE (conversion_id, kind)` enforces. Core's model of the `ledger` table, used
/// by tests and replay; the edge writes the same entries in SQL.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
    /// Each conversion's accrual (its terms) and the kinds it has, by conversion id.
    by_conversion: BTreeMap<String, (Entry, Vec<EntryKind>)>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Every entry, in the order written.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The state of conversion `id`.
    pub fn state(&self, id: &str) -> ConversionState {
        self.by_conversion
            .get(id)
            .map_or(ConversionState::Unpaid, |(_, kinds)| {
                ConversionState::of(kinds.iter().copied())
            })
    }

    /// Records `event` for `conversion` at `at` (unix seconds) and answers the entries it wrote
    /// (see [`ConversionState::entries_for`]); a repeat writes none. Later events use the payout
    /// and ids of the accrual, whatever `conversion` says then, so a changed row cannot move
    /// more money than was accrued.
    pub fn record(&mut self, conversion: &Paid, event: Event, at: i64) -> Vec<Entry> {
        if matches!(event, Event::Arrived { .. }) && conversion.payout_minor <= 0 {
            return vec![];
        }
        let kinds = self.state(&conversion.conversion_id).entries_for(event);
        let mut written = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            let terms = match self.by_conversion.get(&conversion.conversion_id) {
                Some((accrual, _)) => accrual.clone(),
                None => Entry {
                    id: 0,
                    conversion_id: conversion.conversion_id.clone(),
                    bank_id: conversion.bank_id.clone(),
                    partner_id: conversion.partner_id.clone(),
                    campaign_id: conversion.campaign_id.clone(),
                    kind,
                    amount_minor: conversion.payout_minor,
                    at,
                },
            };
            let entry = Entry {
                id: self.entries.len() as u64 + 1,
                kind,
                amount_minor: kind.sign() * terms.amount_minor,
                at,
                ..terms
            };
            self.by_conversion
                .entry(entry.conversion_id.clone())
                .or_insert_with(|| (entry.clone(), vec![]))
                .1
                .push(kind);
            self.entries.push(entry.clone());
            written.push(entry);
        }
        written
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A paid conversion of Demo Bank's education campaign: the settlement tests' fixture.
    pub(in crate::settlement) fn paid(id: &str, payout: i64) -> Paid {
        Paid {
            conversion_id: id.into(),
            bank_id: "demo-bank".into(),
            partner_id: "edu-demo".into(),
            campaign_id: "cmp-edu".into(),
            payout_minor: payout,
        }
    }

    fn kinds(entries: &[Entry]) -> Vec<(EntryKind, i64)> {
        entries.iter().map(|e| (e.kind, e.amount_minor)).collect()
    }

    #[test]
    fn approved_on_arrival_accrues_and_releases_at_once() {
        let mut ledger = Ledger::new();
        let written = ledger.record(&paid("c1", 5_000), Event::Arrived { approved: true }, 100);
        assert_eq!(
            kinds(&written),
            [(EntryKind::Accrual, 5_000), (EntryKind::Release, 5_000)]
        );
        assert!(written.iter().all(|e| e.at == 100));
        assert_eq!(written.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(ledger.state("c1"), ConversionState::Released);
        assert!(ledger
            .record(&paid("c1", 5_000), Event::Arrived { approved: true }, 101)
            .is_empty());
        assert!(ledger.record(&paid("c1", 5_000), Event::Approved, 102).is_empty());
        let claw = ledger.record(&paid("c1", 9_999), Event::Reversed, 200);
        assert_eq!(
            kinds(&claw),
            [(EntryKind::Clawback, -5_000)],
            "the accrued payout, not the new one"
        );
        assert!(ledger.record(&paid("c1", 5_000), Event::Reversed, 300).is_empty());
        assert_eq!(ledger.entries().len(), 3);
    }

    #[test]
    fn held_then_released_or_voided() {
        let mut ledger = Ledger::new();
        ledger.record(&paid("c1", 3_000), Event::Arrived { approved: false }, 100);
        assert_eq!(ledger.state("c1"), ConversionState::Held);
        let release = ledger.record(&paid("c1", 3_000), Event::Approved, 500);
        assert_eq!(kinds(&release), [(EntryKind::Release, 3_000)]);
        assert_eq!((release[0].payable_minor(), release[0].held_minor()), (3_000, -3_000));

        ledger.record(&paid("c2", 700), Event::Arrived { approved: false }, 100);
        let void = ledger.record(&paid("c2", 700), Event::Reversed, 200);
        assert_eq!(kinds(&void), [(EntryKind::Void, -700)]);
        assert_eq!((void[0].payable_minor(), void[0].held_minor()), (0, -700));
        assert!(
            ledger.record(&paid("c2", 700), Event::Approved, 900).is_empty(),
            "reversed is final"
        );
        assert_eq!(ledger.state("c2"), ConversionState::Reversed);
    }

    #[test]
    fn unpaid_conversions_write_nothing() {
        let mut ledger = Ledger::new();
        assert!(ledger
            .record(&paid("c0", 0), Event::Arrived { approved: true }, 1)
            .is_empty());
        assert!(ledger.record(&paid("c9", 100), Event::Approved, 1).is_empty());
        assert!(ledger.record(&paid("c9", 100), Event::Reversed, 1).is_empty());
        assert!(ledger.entries().is_empty());
    }

    #[test]
    fn names_round_trip_and_state_is_order_free() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).expect("json"), k.as_str());
        }
        assert_eq!(EntryKind::parse("hold"), None);
        use EntryKind::*;
        assert_eq!(ConversionState::of([Release, Accrual]), ConversionState::Released);
        assert_eq!(
            ConversionState::of([Clawback, Accrual, Release]),
            ConversionState::Reversed
        );
        assert_eq!(ConversionState::of([]), ConversionState::Unpaid);
    }
}
