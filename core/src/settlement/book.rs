//! One bank × partner's settlement book: the entries booked into periods, the periods the bank
//! closed and paid, and the statements they make. Core's model of what the edge keeps in D1
//! (a period column on `ledger`, a `statements` table frozen at close).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::report::zone::Zone;
use crate::settlement::entry::{Entry, EntryKind};
use crate::settlement::period::{booking_period, Period};
use crate::settlement::statement::{Figures, PeriodState, Statement};
use crate::support::text::{self, Lines};

/// A bank's payment reference is at most this many characters.
pub const MAX_REFERENCE_CHARS: usize = 128;

/// An entry and the period it was booked into (`GET /v1/ledger`'s item: the entry's fields and
/// `period`, `YYYY-MM`). The period is fixed when the entry is booked and never recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booked {
    pub period: Period,
    /// The bank's currency (ISO 4217) the amount is minor units of.
    pub currency: String,
    #[serde(flatten)]
    pub entry: Entry,
}

/// Why a close, payment or booking is refused. [`SettleError::code`] is a stable code for a
/// problem+json answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettleError {
    /// The entry is another bank's or partner's.
    WrongBook { bank_id: String, partner_id: String },
    /// The period has not ended yet (`ends_at`, unix seconds), or is [`Period::MAX`].
    NotOver { period: Period, ends_at: i64 },
    /// Periods close in order, so each statement's opening is a closed carry: `expected` first.
    OutOfOrder { period: Period, expected: Period },
    /// Only a closed period can be paid.
    NotClosed { period: Period },
    /// Already paid under another reference: a period is paid once.
    AlreadyPaid { period: Period, reference: String },
    /// The reference is not 1–128 readable characters (`support::text`'s reason).
    InvalidReference(String),
}

impl SettleError {
    /// `period_not_over`, `period_out_of_order`, `period_not_closed`, `period_already_paid`,
    /// `invalid_field`, `wrong_book`.
    pub fn code(&self) -> &'static str {
        match self {
            SettleError::WrongBook { .. } => "wrong_book",
            SettleError::NotOver { .. } => "period_not_over",
            SettleError::OutOfOrder { .. } => "period_out_of_order",
            SettleError::NotClosed { .. } => "period_not_closed",
            SettleError::AlreadyPaid { .. } => "period_already_paid",
            SettleError::InvalidReference(_) => "invalid_field",
        }
    }
}

impl fmt::Display for SettleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettleError::WrongBook { bank_id, partner_id } => {
                write!(
                    f,
                    "the entry is bank {bank_id}'s with partner {partner_id}, not this book's"
                )
            }
            SettleError::NotOver { period, ends_at } => write!(
                f,
                "period {period} ends at {}; it can be closed after that",
                crate::support::time::format_rfc3339(*ends_at)
            ),
            SettleError::OutOfOrder { period, expected } if period < expected => write!(
                f,
                "{period} comes before the first period to close, {expected} (the month of the \
                 first entry or the last month that has ended, whichever is earlier)"
            ),
            SettleError::OutOfOrder { period, expected } => {
                write!(f, "periods close in order: close {expected} before {period}")
            }
            SettleError::NotClosed { period } => write!(f, "period {period} is open; close it before paying it"),
            SettleError::AlreadyPaid { period, reference } => {
                write!(f, "period {period} is already paid under reference {reference}")
            }
            SettleError::InvalidReference(reason) => write!(f, "reference {reason}"),
        }
    }
}

impl std::error::Error for SettleError {}

/// Whether `period` may be closed at `now` (unix seconds) in `zone`, given the last closed
/// period and the first period anything is booked in: it has ended, and periods close in order
/// — the month after the last closed one, or, before any close, the month of the first entry
/// or the last month that has ended, whichever is earlier (so every statement's opening is a
/// closed carry, and a mistyped early month such as `1970-01` cannot be closed first: periods
/// never reopen, and every month after it would have to be closed one by one).
///
/// # Errors
/// [`SettleError::NotOver`] before the period's end (or for [`Period::MAX`]);
/// [`SettleError::OutOfOrder`] with the period to close first.
pub fn check_close(
    zone: &Zone,
    period: Period,
    now: i64,
    last_closed: Option<Period>,
    first_booked: Option<Period>,
) -> Result<(), SettleError> {
    let (_, ends_at) = period.bounds(zone);
    if now < ends_at || period == Period::MAX {
        return Err(SettleError::NotOver { period, ends_at });
    }
    let expected = match last_closed {
        Some(last) => last.next(),
        None => {
            let last_ended = Period::of(zone, now).prev().unwrap_or(Period::MIN);
            Some(first_booked.map_or(last_ended, |first| first.min(last_ended)))
        }
    };
    match expected.filter(|e| *e != period) {
        Some(expected) => Err(SettleError::OutOfOrder { period, expected }),
        None => Ok(()),
    }
}

/// A bank's payment reference (its transfer id): 1–[`MAX_REFERENCE_CHARS`] readable
/// characters on one line (`support::text`).
///
/// # Errors
/// [`SettleError::InvalidReference`] with the reason.
pub fn check_reference(reference: &str) -> Result<(), SettleError> {
    text::check(reference, MAX_REFERENCE_CHARS, Lines::One).map_err(|e| SettleError::InvalidReference(e.reason()))
}

/// A bank × partner book. Entries are booked once each (by conversion id and kind), into their
/// own period or, when that is closed, the first open one after every closed period
/// ([`booking_period`]); closed statements are frozen copies.
#[derive(Debug, Clone)]
pub struct Book {
    bank_id: String,
    partner_id: String,
    currency: String,
    zone: Zone,
    min_payout_minor: i64,
    booked: Vec<Booked>,
    keys: BTreeSet<(String, EntryKind)>,
    /// Closed statements in period order, consecutive months.
    closed: Vec<Statement>,
}

impl Book {
    /// An empty book in the bank's `currency` and `zone`, paying balances of at least
    /// `min_payout_minor` (minor units; 0 pays any positive balance).
    pub fn new(bank_id: &str, partner_id: &str, currency: &str, zone: Zone, min_payout_minor: i64) -> Book {
        Book {
            bank_id: bank_id.into(),
            partner_id: partner_id.into(),
            currency: currency.into(),
            zone,
            min_payout_minor: min_payout_minor.max(0),
            booked: vec![],
            keys: BTreeSet::new(),
            closed: vec![],
        }
    }

    /// Every booked entry, in booking order.
    pub fn booked(&self) -> &[Booked] {
        &self.booked
    }

    /// The last closed (or paid) period.
    pub fn last_closed(&self) -> Option<Period> {
        self.closed.last().map(|s| s.period)
    }

    /// The state of `period`: open unless closed.
    pub fn state(&self, period: Period) -> PeriodState {
        self.frozen(period).map_or(PeriodState::Open, |s| s.state.clone())
    }

    fn frozen(&self, period: Period) -> Option<&Statement> {
        self.closed.iter().find(|s| s.period == period)
    }

    /// Books `entry` and answers its period, or `None` when an entry of its conversion and kind
    /// is already booked (a replay changes nothing). Never refused for its date.
    ///
    /// # Errors
    /// [`SettleError::WrongBook`] for another bank's or partner's entry.
    pub fn book(&mut self, entry: Entry) -> Result<Option<Period>, SettleError> {
        if entry.bank_id != self.bank_id || entry.partner_id != self.partner_id {
            return Err(SettleError::WrongBook {
                bank_id: entry.bank_id,
                partner_id: entry.partner_id,
            });
        }
        if !self.keys.insert((entry.conversion_id.clone(), entry.kind)) {
            return Ok(None);
        }
        let period = booking_period(&self.zone, self.last_closed(), entry.at);
        self.booked.push(Booked {
            period,
            currency: self.currency.clone(),
            entry,
        });
        Ok(Some(period))
    }

    /// Every statement from the first period with an entry or a close through `through` (or
    /// the last booked period, if later): closed ones as frozen at close, open ones computed
    /// now, each opening with the previous one's carry.
    pub fn statements(&self, through: Period) -> Vec<Statement> {
        let computed = self.compute(through);
        computed
            .into_iter()
            .map(|s| self.frozen(s.period).cloned().unwrap_or(s))
            .collect()
    }

    /// The statement of `period` (all zeros before the first entry).
    pub fn statement(&self, period: Period) -> Statement {
        match self.statements(period).into_iter().find(|s| s.period == period) {
            Some(s) => s,
            None => self.settle(period, 0, 0, &[]),
        }
    }

    /// Every statement computed from the booked entries alone (closed ones too): what the
    /// frozen statements must equal, since nothing is booked into a closed period.
    pub(crate) fn compute(&self, through: Period) -> Vec<Statement> {
        let mut by_period: BTreeMap<Period, Vec<&Entry>> = BTreeMap::new();
        for b in &self.booked {
            by_period.entry(b.period).or_default().push(&b.entry);
        }
        let first = [by_period.keys().next().copied(), self.closed.first().map(|s| s.period)]
            .into_iter()
            .flatten()
            .min();
        let Some(mut period) = first else {
            return vec![];
        };
        let last = [Some(through), by_period.keys().last().copied(), self.last_closed()]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(through);
        let (mut carry, mut held) = (0, 0);
        let mut out = vec![];
        while period <= last {
            let entries = by_period.get(&period).map(Vec::as_slice).unwrap_or_default();
            let s = self.settle(period, carry, held, entries);
            (carry, held) = (s.figures.carry_minor, s.figures.held_minor);
            out.push(s);
            match period.next() {
                Some(next) => period = next,
                None => break,
            }
        }
        out
    }

    fn settle(&self, period: Period, opening: i64, held: i64, entries: &[&Entry]) -> Statement {
        let figures = Figures::settle(opening, held, entries.iter().copied(), self.min_payout_minor);
        let who = (self.bank_id.as_str(), self.partner_id.as_str(), self.currency.as_str());
        Statement::new(who, &self.zone, period, figures, self.state(period))
    }

    /// The bank closes `period` at `now` (unix seconds): its statement is frozen, and entries
    /// dated in it from now on are booked into the next period. Answers the statement and
    /// whether this call closed it (closing a closed period again answers it unchanged).
    ///
    /// # Errors
    /// [`SettleError::NotOver`] before the period's end; [`SettleError::OutOfOrder`] unless it
    /// is the month after the last closed one (or, before any close, no entry is booked in an
    /// earlier month).
    pub fn close(&mut self, period: Period, now: i64) -> Result<(Statement, bool), SettleError> {
        if let Some(s) = self.frozen(period) {
            return Ok((s.clone(), false));
        }
        let first_booked = self.booked.iter().map(|b| b.period).min();
        check_close(&self.zone, period, now, self.last_closed(), first_booked)?;
        let mut statement = self.statement(period);
        statement.state = PeriodState::Closed { closed_at: now };
        self.closed.push(statement.clone());
        Ok((statement, true))
    }

    /// The bank marks closed `period` paid at `now` under its own `reference`. Answers the
    /// statement and whether this call paid it; the same reference again answers it unchanged
    /// (a retried request pays nothing twice).
    ///
    /// # Errors
    /// [`SettleError::InvalidReference`], [`SettleError::NotClosed`], and
    /// [`SettleError::AlreadyPaid`] for another reference.
    pub fn mark_paid(&mut self, period: Period, reference: &str, now: i64) -> Result<(Statement, bool), SettleError> {
        check_reference(reference)?;
        let Some(s) = self.closed.iter_mut().find(|s| s.period == period) else {
            return Err(SettleError::NotClosed { period });
        };
        match s.state.clone() {
            PeriodState::Paid { reference: paid, .. } if paid == reference => Ok((s.clone(), false)),
            PeriodState::Paid { reference: paid, .. } => Err(SettleError::AlreadyPaid {
                period,
                reference: paid,
            }),
            PeriodState::Closed { closed_at } => {
                s.state = PeriodState::Paid {
                    closed_at,
                    paid_at: now,
                    reference: reference.into(),
                };
                Ok((s.clone(), true))
            }
            // Only closed statements are kept in `closed`.
            PeriodState::Open => Err(SettleError::NotClosed { period }),
        }
    }
}
