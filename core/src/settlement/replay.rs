//! Issue 15, item 4: statements are exact. Thousands of random postbacks — duplicates, holds,
//! releases (some written late, dated in a period already closed), reversals before and after
//! approval — across period boundaries and four zones (New York and London with daylight
//! saving), with banks closing and paying periods as they go. Then: statements sum to the ledger
//! to the minor unit, paid plus carry is the ledger, no conversion is paid twice, and no closed
//! statement changed.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::report::zone::Zone;
use crate::settlement::{Account, Book, EntryKind, Event, Ledger, Paid, Period, PeriodState, Statement, Totals};

/// (bank, partner, zone, minimum payout in minor units).
const BOOKS: [(&str, &str, &str, i64); 5] = [
    ("bank-a", "edu", "Asia/Shanghai", 0),
    ("bank-a", "game", "Asia/Shanghai", 10_000),
    ("bank-b", "edu", "America/New_York", 0),
    ("bank-c", "health", "Europe/London", 2_000),
    ("bank-d", "edu", "Asia/Kolkata", 500),
];

const DAY: i64 = 86_400;
/// 2025-01-01T00:00:00Z.
const START: i64 = 1_735_689_600;

#[derive(Debug, Clone)]
enum Op {
    Arrive {
        book: usize,
        payout: i64,
        approved: bool,
    },
    /// The approval is written `lag` seconds after its date (the cron ran late).
    Approve {
        pick: usize,
        lag: i64,
    },
    Reverse {
        pick: usize,
    },
    /// A postback or reversal sent again, as first sent.
    Repeat {
        pick: usize,
    },
    Close {
        book: usize,
    },
    Pay {
        book: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let book = 0..BOOKS.len();
    prop_oneof![
        7 => (book.clone(), 1i64..50_000, any::<bool>()).prop_map(|(book, payout, approved)| Op::Arrive { book, payout, approved }),
        4 => (any::<usize>(), prop_oneof![Just(0i64), 0..4 * DAY]).prop_map(|(pick, lag)| Op::Approve { pick, lag }),
        2 => any::<usize>().prop_map(|pick| Op::Reverse { pick }),
        3 => any::<usize>().prop_map(|pick| Op::Repeat { pick }),
        3 => book.clone().prop_map(|book| Op::Close { book }),
        1 => book.prop_map(|book| Op::Pay { book }),
    ]
}

struct Sim {
    now: i64,
    ledger: Ledger,
    books: Vec<Book>,
    zones: Vec<Zone>,
    /// Each conversion, its book and when it arrived.
    conversions: Vec<(Paid, usize, i64)>,
    /// Every event sent: conversion index, event, time.
    sent: Vec<(usize, Event, i64)>,
    /// Each statement as it was when closed, by book.
    frozen: Vec<(usize, Statement)>,
    /// Entries booked after their own period because it was closed.
    moved: usize,
}

impl Sim {
    fn new(start: i64) -> Sim {
        let zones: Vec<Zone> = BOOKS.iter().map(|b| Zone::parse(b.2).expect("zone")).collect();
        let books = BOOKS
            .iter()
            .zip(&zones)
            .map(|((bank, partner, _, min), zone)| Book::new(bank, partner, "CNY", zone.clone(), *min))
            .collect();
        Sim {
            now: start,
            ledger: Ledger::new(),
            books,
            zones,
            conversions: vec![],
            sent: vec![],
            frozen: vec![],
            moved: 0,
        }
    }

    /// Sends `event` for conversion `i` dated `at`; books what it writes, checking each entry
    /// lands in an open period no earlier than its own. Answers how many entries it wrote.
    fn send(&mut self, i: usize, event: Event, at: i64) -> usize {
        let (paid, b, _) = &self.conversions[i];
        let b = *b;
        let written = self.ledger.record(paid, event, at);
        for e in &written {
            let own = Period::of(&self.zones[b], e.at);
            let before = self.books[b].last_closed();
            let period = self.books[b].book(e.clone()).expect("right book").expect("new entry");
            assert!(period >= own, "{period} before the entry's own {own}");
            self.moved += usize::from(period > own);
            assert!(
                before.is_none_or(|c| period > c),
                "{period} booked into closed {before:?}"
            );
            assert_eq!(self.books[b].state(period), PeriodState::Open);
        }
        self.sent.push((i, event, at));
        written.len()
    }

    fn apply(&mut self, op: &Op) {
        let pick = |n: usize, len: usize| (len > 0).then(|| n % len);
        match *op {
            Op::Arrive { book, payout, approved } => {
                let (bank, partner, _, _) = BOOKS[book];
                let id = format!("c{}", self.conversions.len());
                let paid = Paid {
                    conversion_id: id,
                    bank_id: bank.into(),
                    partner_id: partner.into(),
                    campaign_id: format!("{bank}-{partner}"),
                    payout_minor: payout,
                };
                self.conversions.push((paid, book, self.now));
                self.send(self.conversions.len() - 1, Event::Arrived { approved }, self.now);
            }
            Op::Approve { pick: n, lag } => {
                if let Some(i) = pick(n, self.conversions.len()) {
                    let at = (self.now - lag).max(self.conversions[i].2);
                    self.send(i, Event::Approved, at);
                }
            }
            Op::Reverse { pick: n } => {
                if let Some(i) = pick(n, self.conversions.len()) {
                    self.send(i, Event::Reversed, self.now);
                }
            }
            Op::Repeat { pick: n } => {
                if let Some(k) = pick(n, self.sent.len()) {
                    let (i, event, at) = self.sent[k];
                    assert_eq!(self.send(i, event, at), 0, "a repeat of {event:?} wrote entries");
                }
            }
            Op::Close { book } => {
                let b = &mut self.books[book];
                let first_booked = b.booked().iter().map(|x| x.period).min();
                let next = match b.last_closed() {
                    Some(last) => last.next(),
                    None => first_booked,
                };
                if let Some(period) = next.filter(|p| p.bounds(&self.zones[book]).1 <= self.now) {
                    let (s, newly) = b.close(period, self.now).expect("closable");
                    assert!(newly);
                    self.frozen.push((book, s));
                }
            }
            Op::Pay { book } => {
                let b = &mut self.books[book];
                let unpaid = b
                    .statements(Period::MIN)
                    .into_iter()
                    .find(|s| matches!(s.state, PeriodState::Closed { .. }));
                if let Some(s) = unpaid {
                    let reference = format!("REF-{book}-{}", s.period);
                    let (paid, newly) = b.mark_paid(s.period, &reference, self.now).expect("pays");
                    assert!(newly);
                    assert_eq!(paid.figures, s.figures);
                }
            }
        }
    }

    /// The ledger's payable sum (releases less clawbacks) for book `b`, minor units.
    fn ledger_payable(&self, b: usize) -> i64 {
        let (bank, partner, _, _) = BOOKS[b];
        self.ledger
            .entries()
            .iter()
            .filter(|e| e.bank_id == bank && e.partner_id == partner)
            .map(|e| e.payable_minor())
            .sum()
    }

    /// The edge's way — frozen statements plus the open periods' totals by kind ([`Account`])
    /// — gives the open statements the book computes from every entry.
    fn account_agrees(&self, b: usize, book: &Book, through: Period, statements: &[Statement]) {
        let last_closed = book.last_closed();
        let mut open: BTreeMap<Period, Vec<Totals>> = BTreeMap::new();
        for x in book.booked().iter().filter(|x| Some(x.period) > last_closed) {
            let totals = open.entry(x.period).or_default();
            match totals.iter_mut().find(|t| t.kind == x.entry.kind) {
                Some(t) => (t.amount_minor, t.entries) = (t.amount_minor + x.entry.amount_minor, t.entries + 1),
                None => totals.push(Totals {
                    kind: x.entry.kind,
                    amount_minor: x.entry.amount_minor,
                    entries: 1,
                }),
            }
        }
        let account = Account {
            bank_id: BOOKS[b].0.into(),
            partner_id: BOOKS[b].1.into(),
            currency: "CNY".into(),
            zone: self.zones[b].clone(),
            min_payout_minor: BOOKS[b].3,
            last_closed,
            last_frozen: statements.iter().rfind(|s| s.state.is_closed()).cloned(),
            open,
        };
        let want: Vec<&Statement> = statements.iter().filter(|s| !s.state.is_closed()).collect();
        let got = account.open_statements(through);
        assert_eq!(
            got.iter().collect::<Vec<_>>(),
            want,
            "book {b}: the account's open statements"
        );
    }

    fn check(&mut self) {
        for (b, book) in self.books.iter().enumerate() {
            let through = Period::of(&self.zones[b], self.now);
            let statements = book.statements(through);
            assert_eq!(book.compute(through).len(), statements.len());
            for (computed, kept) in book.compute(through).iter().zip(&statements) {
                assert_eq!(computed.figures, kept.figures, "{} recomputed", kept.period);
            }
            for pair in statements.windows(2) {
                assert_eq!(
                    pair[1].figures.opening_minor, pair[0].figures.carry_minor,
                    "{}",
                    pair[1].period
                );
                assert_eq!(pair[1].period, pair[0].period.next().expect("next"));
            }
            let net: i64 = statements
                .iter()
                .map(|s| s.figures.released_minor - s.figures.clawed_back_minor)
                .sum();
            assert_eq!(net, self.ledger_payable(b), "book {b}: statements = ledger");
            let entries: u64 = statements.iter().map(|s| s.figures.entries).sum();
            assert_eq!(
                entries,
                book.booked().len() as u64,
                "each entry in exactly one statement"
            );
            self.account_agrees(b, book, through, &statements);
            let held: i64 = book.booked().iter().map(|x| x.entry.held_minor()).sum();
            assert_eq!(statements.last().map_or(0, |s| s.figures.held_minor), held);
            for s in &statements {
                let min = BOOKS[b].3;
                assert!(s.figures.payable_minor == 0 || s.figures.payable_minor >= min.max(1));
            }
        }
        for (b, snapshot) in &self.frozen {
            let now = self.books[*b].statement(snapshot.period);
            assert_eq!(now.figures, snapshot.figures, "closed {} changed", snapshot.period);
            let closed_at = |s: &PeriodState| match s {
                PeriodState::Closed { closed_at } | PeriodState::Paid { closed_at, .. } => Some(*closed_at),
                PeriodState::Open => None,
            };
            assert_eq!(closed_at(&now.state), closed_at(&snapshot.state));
        }
        self.no_conversion_paid_twice();
        self.close_everything_and_balance();
    }

    fn no_conversion_paid_twice(&self) {
        let mut by_conversion: BTreeMap<&str, Vec<EntryKind>> = BTreeMap::new();
        for book in &self.books {
            for x in book.booked() {
                by_conversion
                    .entry(&x.entry.conversion_id)
                    .or_default()
                    .push(x.entry.kind);
            }
        }
        assert_eq!(
            by_conversion.values().map(Vec::len).sum::<usize>(),
            self.ledger.entries().len()
        );
        for (paid, _, _) in &self.conversions {
            let kinds = by_conversion
                .get(paid.conversion_id.as_str())
                .cloned()
                .unwrap_or_default();
            let count = |k| kinds.iter().filter(|&&x| x == k).count();
            assert!(kinds.is_empty() || count(EntryKind::Accrual) == 1, "{kinds:?}");
            assert!(count(EntryKind::Release) <= 1 && count(EntryKind::Void) + count(EntryKind::Clawback) <= 1);
            assert!(
                count(EntryKind::Clawback) <= count(EntryKind::Release),
                "clawed back unreleased money"
            );
            assert!(
                count(EntryKind::Void) == 0 || count(EntryKind::Release) == 0,
                "{kinds:?}"
            );
            let payable: i64 = self
                .ledger
                .entries()
                .iter()
                .filter(|e| e.conversion_id == paid.conversion_id)
                .map(|e| e.payable_minor())
                .sum();
            assert!(
                payable == 0 || payable == paid.payout_minor,
                "{}: {payable}",
                paid.conversion_id
            );
        }
    }

    /// Long after the last postback, every bank closes every period: what was paid plus the
    /// final carry is the ledger, to the minor unit.
    fn close_everything_and_balance(&mut self) {
        let later = self.now + 62 * DAY;
        for b in 0..self.books.len() {
            let last = Period::of(&self.zones[b], self.now);
            let book = &mut self.books[b];
            let mut next = match book.last_closed() {
                Some(c) => c.next(),
                None => book.booked().iter().map(|x| x.period).min(),
            };
            while let Some(period) = next.filter(|p| *p <= last) {
                book.close(period, later).expect("closes in order");
                next = period.next();
            }
            let statements = book.statements(last);
            assert!(statements.iter().all(|s| s.state.is_closed()));
            let paid: i64 = statements.iter().map(|s| s.figures.payable_minor).sum();
            let carry = statements.last().map_or(0, |s| s.figures.carry_minor);
            assert_eq!(paid + carry, self.ledger_payable(b), "book {b}: paid + carry = ledger");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn statements_equal_the_ledger_to_the_minor_unit(
        start in 0i64..365 * DAY,
        ops in proptest::collection::vec((0i64..2 * DAY, op()), 300..700),
    ) {
        let mut sim = Sim::new(START + start);
        for (step, op) in &ops {
            sim.now += step;
            sim.apply(op);
        }
        let postbacks = sim.sent.len();
        sim.check();
        prop_assert!(postbacks > 0);
    }
}

/// One long replay with the same checks run along the way, so a closed statement is compared
/// after every later batch of entries, not only at the end.
#[test]
fn years_of_postbacks_checked_as_they_come() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let ops = proptest::collection::vec((0i64..DAY, op()), 3_000)
        .new_tree(&mut runner)
        .expect("ops")
        .current();
    let mut sim = Sim::new(START);
    for (n, (step, op)) in ops.iter().enumerate() {
        sim.now += step;
        sim.apply(op);
        if n % 500 == 499 {
            // `check` closes every period up to now; carry on from there.
            sim.check();
        }
    }
    sim.check();
    // The replay covers what it claims to: every kind, late entries moved forward, paid and
    // negative statements, more than one zone's months.
    let kinds = |k| sim.ledger.entries().iter().filter(|e| e.kind == k).count();
    for k in EntryKind::ALL {
        assert!(kinds(k) > 20, "{k:?}: {}", kinds(k));
    }
    assert!(sim.moved > 10, "entries booked after a closed period: {}", sim.moved);
    assert!(
        sim.frozen.len() > 50,
        "banks closed periods along the way: {}",
        sim.frozen.len()
    );
    let statements: Vec<Statement> = sim.books.iter().flat_map(|b| b.statements(Period::MIN)).collect();
    assert!(statements.iter().any(|s| s.figures.carry_minor < 0), "a negative carry");
    assert!(
        statements.iter().any(|s| s.figures.carry_minor > 0),
        "a balance under the minimum payout"
    );
    assert!(statements.iter().any(|s| matches!(s.state, PeriodState::Paid { .. })));
    assert!(sim.sent.len() > 2_000, "{}", sim.sent.len());
}
