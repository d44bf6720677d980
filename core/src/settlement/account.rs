//! A bank × partner account as the edge keeps it in D1: the statements frozen when the bank
//! closed its periods, and the open periods' entries summed by kind (`GROUP BY period, kind`).
//! The open statements follow from those the same way [`super::Book`] computes them, so the
//! edge reads one row per open period and kind, never the whole ledger.

use std::collections::BTreeMap;

use crate::report::zone::Zone;
use crate::settlement::period::Period;
use crate::settlement::statement::{Figures, PeriodState, Statement, Totals};

/// One bank × partner account: what the edge loads to answer statements.
#[derive(Debug, Clone)]
pub struct Account {
    pub bank_id: String,
    pub partner_id: String,
    /// The bank's currency (ISO 4217).
    pub currency: String,
    /// The bank's settlement zone.
    pub zone: Zone,
    /// The bank's minimum payout, minor units (below 0 counts as 0).
    pub min_payout_minor: i64,
    /// The bank's last closed period: every partner's periods close together.
    pub last_closed: Option<Period>,
    /// This partner's latest frozen statement (its carry and held balance open the next one).
    pub last_frozen: Option<Statement>,
    /// Totals of the entries booked into open periods (after `last_closed`), by period.
    pub open: BTreeMap<Period, Vec<Totals>>,
}

impl Account {
    /// The open statements: every month from the one after the bank's last close (before any
    /// close, the first month with an entry) through `through` or the last month with an entry,
    /// whichever is later, each opening with the previous one's carry. Empty when the account
    /// has neither a frozen statement nor an entry.
    pub fn open_statements(&self, through: Period) -> Vec<Statement> {
        if self.last_frozen.is_none() && self.open.is_empty() {
            return vec![];
        }
        let first = match self.last_closed {
            Some(last) => last.next(),
            None => self.open.keys().next().copied(),
        };
        let Some(mut period) = first else {
            return vec![];
        };
        let last = self.open.keys().last().copied().map_or(through, |l| l.max(through));
        let (mut carry, mut held) = self
            .last_frozen
            .as_ref()
            .map_or((0, 0), |s| (s.figures.carry_minor, s.figures.held_minor));
        let mut out = vec![];
        while period <= last {
            let totals = self.open.get(&period).map(Vec::as_slice).unwrap_or_default();
            let figures = Figures::settle_totals(carry, held, totals.iter().copied(), self.min_payout_minor);
            (carry, held) = (figures.carry_minor, figures.held_minor);
            out.push(self.statement(period, figures, PeriodState::Open));
            match period.next() {
                Some(next) => period = next,
                None => break,
            }
        }
        out
    }

    /// The statement of `period` with `figures` and `state`, bounds in the bank's zone.
    pub fn statement(&self, period: Period, figures: Figures, state: PeriodState) -> Statement {
        let who = (self.bank_id.as_str(), self.partner_id.as_str(), self.currency.as_str());
        Statement::new(who, &self.zone, period, figures, state)
    }
}
