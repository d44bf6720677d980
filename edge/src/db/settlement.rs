//! `ledger` (read), `settlement_periods` and `statements`: what a bank owes its partners, period
//! by period (issue 15). The rules — periods, figures, order of closes — are
//! `inflow_core::settlement`'s; here are the reads that feed them and the writes that freeze them.

use std::collections::BTreeMap;

use inflow_core::settlement::{
    settlement_zone, Account, Booked, Entry, EntryKind, Figures, Period, PeriodState, Statement, Totals,
};
use serde::Deserialize;
use worker::{D1Database, Result};

use super::query;

fn corrupt(what: impl std::fmt::Display) -> worker::Error {
    worker::Error::RustError(format!("settlement: {what}"))
}

/// Whose ledger: a bank's or a partner's.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Bank(&'a str),
    Partner(&'a str),
}

#[derive(Deserialize)]
struct EntryRow {
    id: i64,
    period: String,
    conversion_id: String,
    bank_id: String,
    partner_id: String,
    campaign_id: String,
    kind: String,
    amount_minor: i64,
    currency: String,
    at: i64,
}

impl EntryRow {
    fn booked(self) -> Result<Booked> {
        Ok(Booked {
            period: Period::parse(&self.period).ok_or_else(|| corrupt(format!("period {:?}", self.period)))?,
            currency: self.currency,
            entry: Entry {
                id: u64::try_from(self.id).map_err(corrupt)?,
                conversion_id: self.conversion_id,
                bank_id: self.bank_id,
                partner_id: self.partner_id,
                campaign_id: self.campaign_id,
                kind: EntryKind::parse(&self.kind).ok_or_else(|| corrupt(format!("kind {:?}", self.kind)))?,
                amount_minor: self.amount_minor,
                at: self.at,
            },
        })
    }
}

/// Up to `limit` entries of `owner` after entry id `after`, narrowed to one bank or partner on
/// the other side (`other`), in id order.
pub async fn ledger_page(
    db: &D1Database,
    owner: Owner<'_>,
    other: Option<&str>,
    after: u64,
    limit: u32,
) -> Result<Vec<Booked>> {
    let (side, id) = match owner {
        Owner::Bank(b) => ("bank", b),
        Owner::Partner(p) => ("partner", p),
    };
    let after = i64::try_from(after).map_err(corrupt)?;
    let rows: Vec<EntryRow> = query(
        db,
        include_str!("settlement/ledger_page.sql"),
        &[
            side.into(),
            id.into(),
            after.into(),
            other.into(),
            i64::from(limit).into(),
        ],
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter().map(EntryRow::booked).collect()
}

#[derive(Deserialize)]
struct BankRow {
    currency: String,
    timezone: Option<String>,
    min_payout_minor: Option<i64>,
}

#[derive(Deserialize)]
struct LastClosed {
    period: Option<String>,
}

#[derive(Deserialize)]
struct StatementRow {
    bank_id: String,
    partner_id: String,
    period: String,
    currency: String,
    zone: String,
    start_at: i64,
    end_at: i64,
    opening_minor: i64,
    accrued_minor: i64,
    released_minor: i64,
    voided_minor: i64,
    clawed_back_minor: i64,
    closing_minor: i64,
    payable_minor: i64,
    carry_minor: i64,
    held_minor: i64,
    entries: i64,
    closed_at: i64,
    paid_at: Option<i64>,
    reference: Option<String>,
}

impl StatementRow {
    fn statement(self) -> Result<Statement> {
        let state = match (self.paid_at, self.reference) {
            (Some(paid_at), Some(reference)) => PeriodState::Paid {
                closed_at: self.closed_at,
                paid_at,
                reference,
            },
            _ => PeriodState::Closed {
                closed_at: self.closed_at,
            },
        };
        Ok(Statement {
            period: Period::parse(&self.period).ok_or_else(|| corrupt(format!("period {:?}", self.period)))?,
            bank_id: self.bank_id,
            partner_id: self.partner_id,
            currency: self.currency,
            zone: self.zone,
            start: self.start_at,
            end: self.end_at,
            figures: Figures {
                opening_minor: self.opening_minor,
                accrued_minor: self.accrued_minor,
                released_minor: self.released_minor,
                voided_minor: self.voided_minor,
                clawed_back_minor: self.clawed_back_minor,
                closing_minor: self.closing_minor,
                payable_minor: self.payable_minor,
                carry_minor: self.carry_minor,
                held_minor: self.held_minor,
                entries: u64::try_from(self.entries).map_err(corrupt)?,
            },
            state,
        })
    }
}

#[derive(Deserialize)]
struct TotalRow {
    partner_id: String,
    period: String,
    kind: String,
    amount_minor: i64,
    entries: i64,
}

const STATEMENT_COLUMNS: &str = "bank_id, partner_id, period, currency, zone, start_at, end_at, opening_minor, \
     accrued_minor, released_minor, voided_minor, clawed_back_minor, closing_minor, payable_minor, \
     carry_minor, held_minor, entries, closed_at, paid_at, reference";

/// A bank's books as D1 keeps them: each partner's frozen statements and open account.
pub struct BankBooks {
    /// The bank's settlement zone.
    pub zone: inflow_core::report::zone::Zone,
    pub last_closed: Option<Period>,
    /// By partner: the statements frozen at close (period order) and the open account.
    pub partners: BTreeMap<String, (Vec<Statement>, Account)>,
}

/// The bank `bank_id`'s books, for one `partner` or all; `None` for an unknown bank. One D1
/// round trip: the bank, its last close, the frozen statements and the open periods' totals.
pub async fn books(db: &D1Database, bank_id: &str, partner: Option<&str>) -> Result<Option<BankBooks>> {
    let bank = query(
        db,
        "SELECT currency, timezone, min_payout_minor FROM banks WHERE id = ?1",
        &[bank_id.into()],
    )?;
    let last = query(
        db,
        "SELECT MAX(period) AS period FROM settlement_periods WHERE bank_id = ?1",
        &[bank_id.into()],
    )?;
    let frozen = query(
        db,
        format!(
            "SELECT {STATEMENT_COLUMNS} FROM statements WHERE bank_id = ?1 AND (?2 IS NULL OR partner_id = ?2) \
             ORDER BY partner_id, period"
        ),
        &[bank_id.into(), partner.into()],
    )?;
    let totals = query(
        db,
        include_str!("settlement/totals.sql"),
        &[bank_id.into(), partner.into()],
    )?;
    let results = db.batch(vec![bank, last, frozen, totals]).await?;
    let [bank, last, frozen, totals] = results.as_slice() else {
        return Err(corrupt("batch answered fewer results"));
    };
    let Some(bank) = bank.results::<BankRow>()?.into_iter().next() else {
        return Ok(None);
    };
    let zone = settlement_zone(bank.timezone.as_deref()).map_err(corrupt)?;
    let last_closed = last
        .results::<LastClosed>()?
        .into_iter()
        .next()
        .and_then(|l| l.period)
        .and_then(|p| Period::parse(&p));
    let mut partners: BTreeMap<String, (Vec<Statement>, Account)> = BTreeMap::new();
    let blank = |partner_id: &str| Account {
        bank_id: bank_id.into(),
        partner_id: partner_id.into(),
        currency: bank.currency.clone(),
        zone: zone.clone(),
        min_payout_minor: bank.min_payout_minor.unwrap_or(0),
        last_closed,
        last_frozen: None,
        open: BTreeMap::new(),
    };
    for row in frozen.results::<StatementRow>()? {
        let s = row.statement()?;
        let (kept, a) = partners
            .entry(s.partner_id.clone())
            .or_insert_with(|| (vec![], blank(&s.partner_id)));
        a.last_frozen = Some(s.clone());
        kept.push(s);
    }
    for t in totals.results::<TotalRow>()? {
        let period = Period::parse(&t.period).ok_or_else(|| corrupt(format!("period {:?}", t.period)))?;
        let kind = EntryKind::parse(&t.kind).ok_or_else(|| corrupt(format!("kind {:?}", t.kind)))?;
        let (_, a) = partners
            .entry(t.partner_id.clone())
            .or_insert_with(|| (vec![], blank(&t.partner_id)));
        a.open.entry(period).or_default().push(Totals {
            kind,
            amount_minor: t.amount_minor,
            entries: u64::try_from(t.entries).map_err(corrupt)?,
        });
    }
    Ok(Some(BankBooks {
        zone,
        last_closed,
        partners,
    }))
}

/// The first period anything of the bank is booked in, and the last entry id booked into
/// `period` or earlier (0 for none): what a close checks its order against and guards on.
pub async fn close_facts(db: &D1Database, bank_id: &str, period: Period) -> Result<(Option<Period>, i64)> {
    #[derive(Deserialize)]
    struct Facts {
        first: Option<String>,
        last_id: i64,
    }
    let f: Option<Facts> = query(
        db,
        "SELECT (SELECT MIN(period) FROM ledger WHERE bank_id = ?1) AS first, \
         (SELECT COALESCE(MAX(id), 0) FROM ledger WHERE bank_id = ?1 AND period <= ?2) AS last_id",
        &[bank_id.into(), period.to_string().as_str().into()],
    )?
    .first(None)
    .await?;
    let f = f.ok_or_else(|| corrupt("close facts"))?;
    Ok((f.first.as_deref().and_then(Period::parse), f.last_id))
}

/// What a close writes: the period row and each partner's frozen statement.
pub struct Close<'a> {
    pub bank_id: &'a str,
    pub period: Period,
    pub now: i64,
    /// A fresh id naming this close (`runtime::new_id`).
    pub close_id: &'a str,
    /// The guards: the last entry id booked into the period or earlier, and the last closed
    /// period, as read when the statements were computed.
    pub last_id: i64,
    pub last_closed: Option<Period>,
    pub statements: &'a [Statement],
}

/// Writes the close in one batch; answers whether this close won (its period row was written).
/// `false`: an entry was booked into the period meanwhile, another close got there first, or
/// the period is already closed — read again.
pub async fn close(db: &D1Database, c: &Close<'_>) -> Result<bool> {
    let period = c.period.to_string();
    let next = c.period.next().unwrap_or(Period::MAX).to_string();
    let last = c.last_closed.map(|p| p.to_string()).unwrap_or_default();
    let mut stmts = vec![query(
        db,
        include_str!("settlement/close_period.sql"),
        &[
            c.bank_id.into(),
            period.as_str().into(),
            next.as_str().into(),
            c.now.into(),
            c.close_id.into(),
            c.last_id.into(),
            last.as_str().into(),
        ],
    )?];
    for s in c.statements {
        let f = &s.figures;
        let entries = i64::try_from(f.entries).map_err(corrupt)?;
        stmts.push(query(
            db,
            include_str!("settlement/freeze.sql"),
            &[
                c.bank_id.into(),
                s.partner_id.as_str().into(),
                period.as_str().into(),
                s.currency.as_str().into(),
                s.zone.as_str().into(),
                s.start.into(),
                s.end.into(),
                f.opening_minor.into(),
                f.accrued_minor.into(),
                f.released_minor.into(),
                f.voided_minor.into(),
                f.clawed_back_minor.into(),
                f.closing_minor.into(),
                f.payable_minor.into(),
                f.carry_minor.into(),
                f.held_minor.into(),
                entries.into(),
                c.now.into(),
                c.close_id.into(),
            ],
        )?);
    }
    let results = db.batch(stmts).await?;
    let won = match results.first() {
        Some(r) => r.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0,
        None => false,
    };
    Ok(won)
}

/// Whether the bank closed `period`.
pub async fn is_closed(db: &D1Database, bank_id: &str, period: Period) -> Result<bool> {
    super::counts_any(query(
        db,
        "SELECT COUNT(*) AS n FROM settlement_periods WHERE bank_id = ?1 AND period = ?2",
        &[bank_id.into(), period.to_string().as_str().into()],
    )?)
    .await
}

/// Marks the bank's statement of `partner` for `period` paid at `now` under `reference` if it
/// is not paid yet, and answers the stored statement (`None`: no statement — the period is
/// open, or the partner had nothing in it).
pub async fn pay(
    db: &D1Database,
    bank_id: &str,
    partner: &str,
    period: Period,
    reference: &str,
    now: i64,
) -> Result<Option<Statement>> {
    let period = period.to_string();
    let update = query(
        db,
        "UPDATE statements SET paid_at = ?4, reference = ?5 \
         WHERE bank_id = ?1 AND partner_id = ?2 AND period = ?3 AND reference IS NULL",
        &[
            bank_id.into(),
            partner.into(),
            period.as_str().into(),
            now.into(),
            reference.into(),
        ],
    )?;
    let read = query(
        db,
        format!("SELECT {STATEMENT_COLUMNS} FROM statements WHERE bank_id = ?1 AND partner_id = ?2 AND period = ?3"),
        &[bank_id.into(), partner.into(), period.as_str().into()],
    )?;
    let results = db.batch(vec![update, read]).await?;
    match results.get(1) {
        Some(r) => r
            .results::<StatementRow>()?
            .into_iter()
            .next()
            .map(StatementRow::statement)
            .transpose(),
        None => Ok(None),
    }
}

/// The banks a partner has statements or entries with (its campaigns' banks, and any bank that
/// froze a statement for it).
pub async fn banks_of_partner(db: &D1Database, partner: &str) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Bank {
        bank_id: String,
    }
    let rows: Vec<Bank> = query(
        db,
        "SELECT bank_id FROM campaigns WHERE partner_id = ?1 \
         UNION SELECT bank_id FROM statements WHERE partner_id = ?1 ORDER BY bank_id",
        &[partner.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(|b| b.bank_id).collect())
}
