//! `conversions` and `ledger`: what banks report, what it pays, and clawbacks. Every write that
//! must not be half-done is one `batch` (one transaction).

use inflow_core::conversion::attribution::{self, ConversionDecision, Facts, Status};
use inflow_core::conversion::commission::{Rule, ScopedRule};
use inflow_core::conversion::postback::{Conversion, ConversionResponse};
use inflow_core::settlement::{settlement_zone, Period};
use inflow_core::support::time::format_rfc3339;
use inflow_core::tenant::Commission;
use serde::Deserialize;
use worker::{Env, Result};

use super::{open, query, Arg, Count};

#[derive(Deserialize)]
struct Zone {
    timezone: Option<String>,
}

/// The month (`YYYY-MM`) `at` (unix seconds) is in, in the bank's settlement zone `timezone`:
/// where an entry dated `at` is booked unless that month is closed (the SQL moves it on).
fn own_period(timezone: Option<&str>, at: i64) -> Result<String> {
    let zone = settlement_zone(timezone).map_err(|e| worker::Error::RustError(format!("bank zone: {e}")))?;
    Ok(Period::of(&zone, at).to_string())
}

/// Writes the release of every approved conversion whose hold has not been released yet —
/// those the approval job just flipped, and any an earlier run flipped but did not release —
/// approved since `since` (unix seconds), at most `limit` a run, each dated `now`: when the
/// money became payable in the ledger. Dated at the approval date, a run after midnight (or
/// after an outage) wrote into days that were over, so a report by ledger date changed a
/// closed day and disagreed with the month's statement (review). Answers how many were
/// released.
pub async fn release_due(env: &Env, since: i64, limit: i64, now: i64) -> Result<usize> {
    #[derive(Deserialize)]
    struct Due {
        id: String,
        timezone: Option<String>,
    }
    let db = open(env)?;
    let due: Vec<Due> = query(
        &db,
        include_str!("ledger/unreleased.sql"),
        &[limit.into(), since.into()],
    )?
    .all()
    .await?
    .results()?;
    if due.is_empty() {
        return Ok(0);
    }
    // Every release is dated `now`: its month depends only on the bank's zone, found once each.
    let mut periods: std::collections::BTreeMap<Option<&str>, String> = std::collections::BTreeMap::new();
    let mut stmts = Vec::with_capacity(due.len());
    for d in &due {
        let zone = d.timezone.as_deref();
        let period = match periods.get(&zone) {
            Some(p) => p.clone(),
            None => periods.entry(zone).or_insert(own_period(zone, now)?).clone(),
        };
        stmts.push(query(
            &db,
            include_str!("ledger/release.sql"),
            &[d.id.as_str().into(), now.into(), period.as_str().into()],
        )?);
    }
    db.batch(stmts).await?;
    Ok(due.len())
}

#[derive(Deserialize)]
struct ClickRow {
    partner_id: String,
    campaign_id: String,
    product_id: String,
    scene: String,
    created_at: i64,
    ua_bot: i64,
    clicks_in_hour: i64,
    window_days: i64,
    approval_days: i64,
    max_clicks_per_hour: i64,
    events: String,
    repeatable_events: String,
    currency: String,
    /// The campaign's commissions as its tenant file gives them (JSON); `None` before 0012.
    commissions: Option<String>,
    /// The bank's settlement zone (`None`: the default).
    timezone: Option<String>,
}

#[derive(Deserialize)]
struct RuleRow {
    event: String,
    partner_id: String,
    flat_minor: i64,
    percent_bps: i64,
    cap_minor: Option<i64>,
}

/// What the decision needs plus where the conversion is filed.
pub struct Attributed {
    pub facts: Facts,
    pub campaign_id: String,
    pub product_id: String,
    pub scene: String,
    pub currency: String,
    /// The bank's settlement zone name (`None`: the default), where its ledger's months are.
    pub timezone: Option<String>,
}

/// The click's facts if it exists and belongs to `bank_id`; a click of another bank is the
/// same `None` as an unknown one, so a bank cannot probe others' click ids.
pub async fn attribute(env: &Env, bank_id: &str, c: &Conversion) -> Result<Option<Attributed>> {
    let db = open(env)?;
    let click = query(
        &db,
        include_str!("ledger/click_facts.sql"),
        &[c.click_id.as_str().into(), bank_id.into()],
    )?;
    let rules = query(
        &db,
        "SELECT event, partner_id, flat_minor, percent_bps, cap_minor \
         FROM commission_rules WHERE bank_id = ?1 AND event = ?2",
        &[bank_id.into(), c.event.as_str().into()],
    )?;
    // Whether this event was already paid on this click under another external id.
    let paid = query(
        &db,
        "SELECT COUNT(*) AS n FROM conversions WHERE click_id = ?1 AND event = ?2 \
         AND pays_once = 1 AND NOT (bank_id = ?3 AND external_id = ?4)",
        &[
            c.click_id.as_str().into(),
            c.event.as_str().into(),
            bank_id.into(),
            c.external_id.as_str().into(),
        ],
    )?;
    let results = db.batch(vec![click, rules, paid]).await?;
    let (Some(click), Some(rules), Some(paid)) = (results.first(), results.get(1), results.get(2)) else {
        return Ok(None);
    };
    let event_paid_on_click = paid.results::<Count>()?.first().is_some_and(|c| c.n > 0.0);
    let Some(k) = click.results::<ClickRow>()?.into_iter().next() else {
        return Ok(None);
    };
    // A campaign pays what it says: two campaigns of one bank for one partner (different
    // scenes, say) each keep their own terms. `commission_rules` — one row per (bank, event,
    // partner), which the second campaign's apply overwrote — only pays campaigns seeded
    // before tenant files, which have no commissions of their own.
    let own: Option<Vec<Commission>> = k.commissions.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let rules = match own {
        Some(own) => own
            .iter()
            .filter(|r| r.event == c.event)
            .map(|r| ScopedRule {
                event: r.event.clone(),
                partner_id: Some(k.partner_id.clone()),
                rule: r.rule(),
            })
            .collect(),
        None => bank_rules(rules.results::<RuleRow>()?),
    };

    let events: Vec<String> = serde_json::from_str(&k.events).unwrap_or_default();
    let repeatable_events: Vec<String> = serde_json::from_str(&k.repeatable_events).unwrap_or_default();
    Ok(Some(Attributed {
        facts: Facts {
            partner_id: k.partner_id,
            clicked_at: k.created_at,
            click_ua_is_bot: k.ua_bot != 0,
            clicks_in_hour: k.clicks_in_hour,
            max_clicks_per_hour: k.max_clicks_per_hour,
            window_days: k.window_days,
            approval_days: k.approval_days,
            events,
            repeatable_events,
            event_paid_on_click,
            rules,
            event: c.event.clone(),
            amount_minor: c.amount_minor,
            occurred_at: c.occurred_at,
        },
        campaign_id: k.campaign_id,
        product_id: k.product_id,
        scene: k.scene,
        currency: k.currency,
        timezone: k.timezone,
    }))
}

/// `commission_rules` rows as core's scoped rules ('' is the bank's default for any partner).
fn bank_rules(rows: Vec<RuleRow>) -> Vec<ScopedRule> {
    rows.into_iter()
        .map(|r| ScopedRule {
            event: r.event,
            partner_id: Some(r.partner_id).filter(|p| !p.is_empty()),
            rule: Rule {
                flat_minor: r.flat_minor,
                percent_bps: u32::try_from(r.percent_bps).unwrap_or(0),
                cap_minor: r.cap_minor,
            },
        })
        .collect()
}

#[derive(Deserialize)]
struct ConversionRow {
    id: String,
    partner_id: String,
    click_id: String,
    event: String,
    external_id: String,
    amount_minor: i64,
    currency: String,
    occurred_at: i64,
    received_at: i64,
    status: String,
    reason: Option<String>,
    payout_minor: i64,
    payout_currency: String,
    reversed_at: Option<i64>,
}

const CONVERSION_COLUMNS: &str = "id, partner_id, click_id, event, external_id, amount_minor, currency, \
     occurred_at, received_at, status, reason, payout_minor, payout_currency, reversed_at";

impl ConversionRow {
    /// The row as the API answers it.
    ///
    /// # Errors
    /// A status no [`Status`] names: a corrupt row is an internal error, never a status the
    /// bank would act on.
    fn into_response(self) -> Result<ConversionResponse> {
        let status = Status::parse(&self.status).ok_or_else(|| {
            worker::Error::RustError(format!(
                "conversion {} has an unknown status {:?}",
                self.id, self.status
            ))
        })?;
        Ok(ConversionResponse {
            id: self.id,
            click_id: self.click_id,
            event: self.event,
            external_id: self.external_id,
            amount_minor: self.amount_minor,
            currency: self.currency,
            occurred_at: format_rfc3339(self.occurred_at),
            received_at: format_rfc3339(self.received_at),
            status,
            reason: self.reason,
            payout_minor: self.payout_minor,
            payout_currency: self.payout_currency,
            reversed_at: self.reversed_at.map(format_rfc3339),
        })
    }
}

/// Inserts the conversion and its accrual exactly once and returns the stored row — ours, or
/// the one a concurrent or earlier duplicate stored first — and whether it is ours. `None`
/// when nothing was stored under this (bank, external id, event): another external id took the
/// click's one payment for this event meanwhile (the `pays_once` unique index); decide again
/// with `event_paid_on_click` set and record that.
pub async fn record(
    env: &Env,
    id: &str,
    bank_id: &str,
    c: &Conversion,
    a: &Attributed,
    d: &ConversionDecision,
    now: i64,
) -> Result<Option<(ConversionResponse, bool)>> {
    let db = open(env)?;
    let pays_once = attribution::pays_once_per_click(&a.facts, d);
    let approve_at = match d.status {
        Status::Pending => Arg::Int(now + a.facts.approval_days * 86_400),
        _ => Arg::Null,
    };
    let insert = query(
        &db,
        include_str!("ledger/insert_conversion.sql"),
        &[
            id.into(),
            bank_id.into(),
            c.external_id.as_str().into(),
            c.event.as_str().into(),
            c.click_id.as_str().into(),
            a.campaign_id.as_str().into(),
            a.facts.partner_id.as_str().into(),
            a.product_id.as_str().into(),
            a.scene.as_str().into(),
            c.amount_minor.into(),
            c.currency.as_str().into(),
            c.occurred_at.into(),
            now.into(),
            d.status.as_str().into(),
            d.reason.as_deref().into(),
            d.payout_minor.into(),
            a.currency.as_str().into(),
            approve_at,
            pays_once.into(),
        ],
    )?;
    // The accrual and, approved on arrival, the release (settlement::Event::Arrived).
    let period = own_period(a.timezone.as_deref(), now)?;
    let release = if d.status == Status::Approved {
        "release"
    } else {
        "accrual"
    };
    let accrue = query(
        &db,
        include_str!("ledger/accrue.sql"),
        &[id.into(), period.as_str().into(), release.into()],
    )?;
    let stored = query(
        &db,
        format!("SELECT {CONVERSION_COLUMNS} FROM conversions WHERE bank_id = ?1 AND external_id = ?2 AND event = ?3"),
        &[bank_id.into(), c.external_id.as_str().into(), c.event.as_str().into()],
    )?;
    let results = db.batch(vec![insert, accrue, stored]).await?;
    let row = match results.get(2) {
        Some(r) => r.results::<ConversionRow>()?.into_iter().next(),
        None => None,
    };
    row.map(|r| {
        let ours = r.id == id;
        Ok((r.into_response()?, ours))
    })
    .transpose()
}

/// A reversal's stored row, the partner it was attributed to, and whether this call flipped it.
pub struct Reversed {
    pub conversion: ConversionResponse,
    pub partner_id: String,
    pub flipped: bool,
}

/// Reverses a bank's conversion once if it is paid ([`Status::REVERSIBLE`]): the status flips
/// and the accrual is clawed back in the same transaction; a second call changes nothing and
/// returns the same row, and a conversion that was never paid is returned unchanged (the route
/// answers it with `inflow_core::conversion::postback::reversal_outcome`).
pub async fn reverse(env: &Env, bank_id: &str, id: &str, reason: Option<&str>, now: i64) -> Result<Option<Reversed>> {
    let db = open(env)?;
    let zone: Option<Zone> = query(&db, "SELECT timezone FROM banks WHERE id = ?1", &[bank_id.into()])?
        .first(None)
        .await?;
    let period = own_period(zone.and_then(|z| z.timezone).as_deref(), now)?;
    let flip = query(
        &db,
        format!(
            "UPDATE conversions SET reversed_from = status, status = 'reversed', \
             reversed_at = ?3, reversal_reason = ?4 \
             WHERE id = ?1 AND bank_id = ?2 AND status IN ({})",
            Status::reversible_sql()
        ),
        &[id.into(), bank_id.into(), now.into(), reason.into()],
    )?;
    let claw = query(
        &db,
        include_str!("ledger/claw_back.sql"),
        &[id.into(), bank_id.into(), now.into(), period.as_str().into()],
    )?;
    let stored = query(
        &db,
        format!("SELECT {CONVERSION_COLUMNS} FROM conversions WHERE id = ?1 AND bank_id = ?2"),
        &[id.into(), bank_id.into()],
    )?;
    let results = db.batch(vec![flip, claw, stored]).await?;
    // D1 counts the rows the report triggers write too: any change means the status flipped.
    let flipped = match results.first() {
        Some(r) => r.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0,
        None => false,
    };
    let row = match results.get(2) {
        Some(r) => r.results::<ConversionRow>()?.into_iter().next(),
        None => None,
    };
    row.map(|r| {
        let partner_id = r.partner_id.clone();
        Ok(Reversed {
            conversion: r.into_response()?,
            partner_id,
            flipped,
        })
    })
    .transpose()
}

/// A conversion the approval job approved: its bank, its partner, the stored row, and its
/// approval date (unix seconds), which dates its release.
pub struct Approved {
    pub bank_id: String,
    pub partner_id: String,
    pub conversion: ConversionResponse,
    pub approve_at: i64,
}

/// Pending conversions whose approval period is over become approved (the cron trigger);
/// answers each one approved now.
pub async fn approve_due(env: &Env, now: i64) -> Result<Vec<Approved>> {
    #[derive(Deserialize)]
    struct Row {
        bank_id: String,
        approve_at: i64,
        #[serde(flatten)]
        row: ConversionRow,
    }
    let rows: Vec<Row> = query(
        &open(env)?,
        format!(
            "UPDATE conversions SET status = 'approved' WHERE status = 'pending' AND approve_at <= ?1 \
             RETURNING bank_id, approve_at, {CONVERSION_COLUMNS}"
        ),
        &[now.into()],
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter()
        .map(|a| {
            Ok(Approved {
                bank_id: a.bank_id,
                partner_id: a.row.partner_id.clone(),
                approve_at: a.approve_at,
                conversion: a.row.into_response()?,
            })
        })
        .collect()
}
