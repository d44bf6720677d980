//! Issue 15, item 3: "the sequence that breaks others", one test per step, each replaying the
//! steps before it. Demo Bank pays edu-demo in Asia/Shanghai months: P1 = 2026-10,
//! P2 = 2026-11, P3 = 2026-12.

use crate::report::zone::Zone;
use crate::settlement::{Book, Entry, EntryKind, Event, Ledger, Period, PeriodState, SettleError, Statement};
use crate::support::time::parse_rfc3339;

struct World {
    ledger: Ledger,
    book: Book,
}

fn at(s: &str) -> i64 {
    parse_rfc3339(s).unwrap_or_else(|| panic!("{s}"))
}

fn p(s: &str) -> Period {
    Period::parse(s).unwrap_or_else(|| panic!("{s}"))
}

use super::entry::tests::paid as conversion;

impl World {
    fn new(min_payout: i64) -> World {
        let zone = Zone::parse("Asia/Shanghai").expect("zone");
        World {
            ledger: Ledger::new(),
            book: Book::new("demo-bank", "edu-demo", "CNY", zone, min_payout),
        }
    }

    /// Records the event and books what it wrote: the entries and their periods.
    fn post(&mut self, id: &str, payout: i64, event: Event, when: &str) -> Vec<(Entry, Period)> {
        let written = self.ledger.record(&conversion(id, payout), event, at(when));
        written
            .into_iter()
            .map(|e| {
                let period = self.book.book(e.clone()).expect("this book's").expect("a new entry");
                (e, period)
            })
            .collect()
    }

    fn statement(&self, period: &str) -> Statement {
        self.book.statement(p(period))
    }
}

/// Step 1: C1 (50.00) approved on arrival in P1; P1 closed and paid 50.00.
fn c1_paid_in_p1() -> World {
    let mut w = World::new(0);
    let booked = w.post("C1", 5_000, Event::Arrived { approved: true }, "2026-10-10T02:00:00Z");
    assert_eq!(
        booked.iter().map(|(_, p)| p.to_string()).collect::<Vec<_>>(),
        ["2026-10", "2026-10"]
    );
    let (closed, newly) = w
        .book
        .close(p("2026-10"), at("2026-11-02T01:00:00Z"))
        .expect("close P1");
    assert!(newly);
    assert_eq!((closed.figures.payable_minor, closed.figures.carry_minor), (5_000, 0));
    let (paid, newly) = w
        .book
        .mark_paid(p("2026-10"), "CMB-2026-10-001", at("2026-11-03T01:00:00Z"))
        .expect("pay");
    assert!(newly);
    assert_eq!(paid.figures, closed.figures);
    w
}

#[test]
fn step1_c1_is_approved_and_paid_in_p1() {
    let w = c1_paid_in_p1();
    let s = w.statement("2026-10");
    assert_eq!(
        (
            s.figures.opening_minor,
            s.figures.released_minor,
            s.figures.clawed_back_minor
        ),
        (0, 5_000, 0)
    );
    assert_eq!(
        (s.figures.closing_minor, s.figures.payable_minor, s.figures.carry_minor),
        (5_000, 5_000, 0)
    );
    assert!(
        matches!(&s.state, PeriodState::Paid { reference, .. } if reference == "CMB-2026-10-001"),
        "{:?}",
        s.state
    );
}

/// Step 2: the reversal of C1 arrives after P1 is paid.
fn c1_reversed_after_p1_paid() -> World {
    let mut w = c1_paid_in_p1();
    let booked = w.post("C1", 5_000, Event::Reversed, "2026-11-05T03:00:00Z");
    assert_eq!(booked.len(), 1);
    assert_eq!(
        (booked[0].0.kind, booked[0].0.amount_minor),
        (EntryKind::Clawback, -5_000)
    );
    assert_eq!(
        booked[0].1,
        p("2026-11"),
        "the clawback lands in P2, when the money moved"
    );
    w
}

#[test]
fn step2_a_reversal_after_p1_is_paid_is_clawed_back_in_p2_and_p1_stays() {
    let before = c1_paid_in_p1().statement("2026-10");
    let w = c1_reversed_after_p1_paid();
    assert_eq!(w.statement("2026-10"), before, "the paid statement is not rewritten");
    let p2 = w.statement("2026-11");
    assert_eq!(p2.state, PeriodState::Open);
    assert_eq!(
        (p2.figures.clawed_back_minor, p2.figures.closing_minor),
        (5_000, -5_000)
    );
}

/// Step 3: C2 (30.00) arrives pending and its approval falls in P2; P2 is closed.
fn c2_approves_in_p2() -> World {
    let mut w = c1_reversed_after_p1_paid();
    let accrued = w.post("C2", 3_000, Event::Arrived { approved: false }, "2026-11-08T00:00:00Z");
    assert_eq!(accrued[0].0.kind, EntryKind::Accrual);
    let released = w.post("C2", 3_000, Event::Approved, "2026-11-22T00:00:00Z");
    assert_eq!((released[0].0.kind, released[0].1), (EntryKind::Release, p("2026-11")));
    w.book
        .close(p("2026-11"), at("2026-12-01T02:00:00Z"))
        .expect("close P2");
    w
}

#[test]
fn step3_p2_pays_nothing_and_carries_minus_20() {
    let w = c2_approves_in_p2();
    let s = w.statement("2026-11");
    let f = s.figures;
    assert_eq!(
        (f.opening_minor, f.released_minor, f.clawed_back_minor),
        (0, 3_000, 5_000)
    );
    assert_eq!((f.closing_minor, f.payable_minor, f.carry_minor), (-2_000, 0, -2_000));
    assert_eq!(
        w.statement("2026-12").figures.opening_minor,
        -2_000,
        "P3 opens with the carry"
    );
    let paid: i64 = w
        .book
        .statements(p("2026-12"))
        .iter()
        .map(|s| s.figures.payable_minor)
        .sum();
    assert_eq!(
        paid, 5_000,
        "C1 was paid once; it is recovered from later earnings, never paid twice"
    );
}

#[test]
fn step4_the_same_reversal_again_changes_nothing() {
    let mut w = c2_approves_in_p2();
    let before = (w.book.statements(p("2027-01")), w.ledger.entries().to_vec());
    assert!(w.post("C1", 5_000, Event::Reversed, "2026-12-02T00:00:00Z").is_empty());
    assert!(w.post("C1", 5_000, Event::Reversed, "2026-11-05T03:00:00Z").is_empty());
    // Even if the edge booked the stored clawback again, the book keeps one per conversion.
    let clawback = w
        .ledger
        .entries()
        .iter()
        .find(|e| e.kind == EntryKind::Clawback)
        .cloned()
        .expect("one");
    assert_eq!(w.book.book(clawback), Ok(None));
    assert_eq!((w.book.statements(p("2027-01")), w.ledger.entries().to_vec()), before);
}

#[test]
fn step5_a_reversal_inside_the_approval_period_only_removes_the_pending_amount() {
    let mut w = c2_approves_in_p2();
    w.post("C3", 1_200, Event::Arrived { approved: false }, "2026-12-03T00:00:00Z");
    assert_eq!(w.statement("2026-12").figures.held_minor, 1_200);
    let voided = w.post("C3", 1_200, Event::Reversed, "2026-12-10T00:00:00Z");
    assert_eq!((voided[0].0.kind, voided[0].0.amount_minor), (EntryKind::Void, -1_200));
    assert!(
        w.post("C3", 1_200, Event::Approved, "2026-12-20T00:00:00Z").is_empty(),
        "never released"
    );
    let f = w.statement("2026-12").figures;
    assert_eq!(
        (f.accrued_minor, f.voided_minor, f.clawed_back_minor, f.held_minor),
        (1_200, 1_200, 0, 0)
    );
    assert_eq!(
        (f.opening_minor, f.closing_minor, f.payable_minor),
        (-2_000, -2_000, 0),
        "no clawback of money never released"
    );
}

/// The approval cron runs late: C4's approval date is in P1, but P1 was closed before its
/// release was written, so the release lands in P2 and P1's paid statement stays.
#[test]
fn an_entry_dated_in_a_closed_period_lands_in_the_next_open_one() {
    let mut w = World::new(0);
    w.post("C4", 800, Event::Arrived { approved: false }, "2026-10-01T00:00:00Z");
    let (p1, _) = w.book.close(p("2026-10"), at("2026-11-01T00:00:00Z")).expect("close");
    assert_eq!(p1.figures.held_minor, 800);
    let released = w.post("C4", 800, Event::Approved, "2026-10-30T00:00:00Z");
    assert_eq!(released[0].1, p("2026-11"));
    assert_eq!(w.statement("2026-10"), p1);
    assert_eq!(
        (
            w.statement("2026-11").figures.released_minor,
            w.statement("2026-11").figures.held_minor
        ),
        (800, 0)
    );
}

#[test]
fn a_minimum_payout_carries_small_balances_forward() {
    let mut w = World::new(5_000);
    w.post("A", 3_000, Event::Arrived { approved: true }, "2026-10-05T00:00:00Z");
    let (p1, _) = w.book.close(p("2026-10"), at("2026-11-01T00:00:00Z")).expect("close");
    assert_eq!((p1.figures.payable_minor, p1.figures.carry_minor), (0, 3_000));
    w.post("B", 2_500, Event::Arrived { approved: true }, "2026-11-05T00:00:00Z");
    let (p2, _) = w.book.close(p("2026-11"), at("2026-12-01T00:00:00Z")).expect("close");
    let f = p2.figures;
    assert_eq!(
        (f.opening_minor, f.closing_minor, f.payable_minor, f.carry_minor),
        (3_000, 5_500, 5_500, 0)
    );
}

#[test]
fn periods_close_after_their_end_in_order_and_are_paid_once() {
    let mut w = World::new(0);
    w.post("A", 1_000, Event::Arrived { approved: true }, "2026-10-05T00:00:00Z");
    let nov = p("2026-11");
    let err = w
        .book
        .close(nov, at("2026-12-05T00:00:00Z"))
        .expect_err("October is open");
    assert_eq!(
        err,
        SettleError::OutOfOrder {
            period: nov,
            expected: p("2026-10")
        }
    );
    assert_eq!(err.code(), "period_out_of_order");
    let err = w
        .book
        .close(p("2026-10"), at("2026-10-31T15:59:59Z"))
        .expect_err("not over");
    assert_eq!(err.code(), "period_not_over");
    assert!(err.to_string().contains("2026-10-31T16:00:00Z"), "{err}");
    assert_eq!(
        w.book.mark_paid(p("2026-10"), "TX-1", 0).map(|_| ()),
        Err(SettleError::NotClosed { period: p("2026-10") })
    );
    let (closed, newly) = w
        .book
        .close(p("2026-10"), at("2026-10-31T16:00:00Z"))
        .expect("at its end");
    assert!(newly);
    let (again, newly) = w
        .book
        .close(p("2026-10"), at("2026-11-09T00:00:00Z"))
        .expect("idempotent");
    assert!(!newly);
    assert_eq!(again, closed);
    assert_eq!(
        w.book.mark_paid(p("2026-10"), " ", 1).map(|_| ()).map_err(|e| e.code()),
        Err("invalid_field")
    );
    assert_eq!(
        w.book
            .mark_paid(p("2026-10"), "TX\n1", 1)
            .map(|_| ())
            .map_err(|e| e.code()),
        Err("invalid_field")
    );
    assert!(w.book.mark_paid(p("2026-10"), "TX-1", 10).expect("paid").1);
    assert!(!w.book.mark_paid(p("2026-10"), "TX-1", 20).expect("same reference").1);
    assert_eq!(
        w.book.mark_paid(p("2026-10"), "TX-2", 30).map(|_| ()),
        Err(SettleError::AlreadyPaid {
            period: p("2026-10"),
            reference: "TX-1".into()
        })
    );
    assert!(matches!(
        w.book.state(p("2026-10")),
        PeriodState::Paid { paid_at: 10, .. }
    ));
    assert_eq!(
        w.book.close(Period::MAX, i64::MAX).map(|_| ()).map_err(|e| e.code()),
        Err("period_not_over")
    );
    let other = Entry {
        partner_id: "game-demo".into(),
        ..w.ledger.entries()[0].clone()
    };
    assert_eq!(w.book.book(other).map_err(|e| e.code()), Err("wrong_book"));
}

/// The first close is the month of the first entry or the last month that has ended,
/// whichever is earlier: a mistyped early month (`1970-01`, last year's) is refused, since
/// periods never reopen and every month after it would have to be closed one by one (review:
/// `1970-01` was closed, then November needed 680 closes first).
#[test]
fn a_first_close_cannot_start_before_the_first_entry_or_the_last_ended_month() {
    let mut w = World::new(0);
    let dec = at("2026-12-05T00:00:00Z");
    for early in ["1970-01", "2025-11"] {
        let err = w
            .book
            .close(p(early), dec)
            .expect_err("no entry, not the last ended month");
        assert_eq!(
            err,
            SettleError::OutOfOrder {
                period: p(early),
                expected: p("2026-11")
            }
        );
        assert!(err.to_string().contains("first period to close, 2026-11"), "{err}");
    }
    w.post("A", 1_000, Event::Arrived { approved: true }, "2026-07-20T00:00:00Z");
    assert_eq!(
        w.book.close(p("2026-06"), dec).map(|_| ()),
        Err(SettleError::OutOfOrder {
            period: p("2026-06"),
            expected: p("2026-07")
        })
    );
    assert!(w.book.close(p("2026-07"), dec).is_ok());
}

/// Before any close, a bank may close a month earlier than every entry (an empty statement);
/// entries dated before it are then booked after it.
#[test]
fn a_first_close_before_any_entry_is_an_empty_statement() {
    let mut w = World::new(0);
    let (s, _) = w
        .book
        .close(p("2026-09"), at("2026-10-01T00:00:00Z"))
        .expect("empty month");
    assert_eq!((s.figures.entries, s.figures.closing_minor), (0, 0));
    let booked = w.post("A", 1_000, Event::Arrived { approved: true }, "2026-09-20T00:00:00Z");
    assert_eq!(booked[0].1, p("2026-10"));
    assert_eq!(
        w.book
            .close(p("2026-11"), at("2026-12-01T00:00:00Z"))
            .map(|_| ())
            .map_err(|e| e.code()),
        Err("period_out_of_order")
    );
}
