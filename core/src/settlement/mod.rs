//! Settlement (issue 15): what banks owe partners, by the date money moved, period by period.
//!
//! - [`entry`]: the ledger's money movements (accrual, release, void, clawback) and the state
//!   machine that derives them, once each, from a conversion's arrival, approval and reversal.
//! - [`period`]: calendar months in the bank's IANA time zone, and which period an entry is
//!   booked into once earlier ones are closed.
//! - [`statement`]: a bank × partner × period statement — opening, flows, closing, payable,
//!   carry — and the period's state (open → closed → paid).
//! - [`book`]: one bank × partner's book: booking, closing, paying, statements.
//! - [`account`]: the same statements from what D1 keeps (frozen statements, open periods'
//!   totals), for the edge.
//! - [`csv`] (feature `csv`): statements and entries as CSV.
//!
//! Pure and integer-only (minor units, unix seconds). Behind feature `settlement` (it needs
//! jiff's time zone database through `tz`), which the widget never enables.

pub mod account;
pub mod api;
pub mod book;
#[cfg(feature = "csv")]
pub mod csv;
pub mod entry;
pub mod period;
pub mod statement;

#[cfg(test)]
mod replay;
#[cfg(test)]
mod sequence;

pub use account::Account;
pub use book::{check_close, check_reference, Book, Booked, SettleError};
pub use entry::{ConversionState, Entry, EntryKind, Event, Ledger, Paid};
pub use period::{booking_period, settlement_zone, Period};
pub use statement::{Figures, PeriodState, Statement, Totals};
