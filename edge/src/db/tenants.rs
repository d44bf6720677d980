//! D1 for tenants: what exists for a bank (as core's `TenantState`), and writing a plan with its
//! audit rows in one batch. Tables: banks, products, partners, partner_origins, campaigns,
//! commission_rules (0003, 0004, 0012), tenant_applies (0014), and a bank's file-declared
//! webhook_endpoints (0020).

use std::collections::BTreeMap;

use inflow_core::admin::api::AuditDraft;
use inflow_core::admin::secrets::PostbackSecret;
use inflow_core::lead::catalogue::Product;
use inflow_core::support::i18n::Localized;
use inflow_core::tenant::{
    Action, Bank, Campaign, CampaignStatus, Commission, Consent, Object, Partner, Plan, TenantState, Webhook,
};
use inflow_core::Scene;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Result};

use super::{audit, query, webhooks};

/// What exists for one bank, and who owns the campaigns a file names.
pub struct Loaded {
    pub state: TenantState,
    /// Whether a row for the bank exists at all (a bank seeded before 0012 has no names yet,
    /// so `state.bank` is `None` although the row exists).
    pub bank_exists: bool,
    pub catalogue_version: i64,
    /// Campaign id → its bank, for the campaigns of the bank and those the file names.
    pub campaign_banks: BTreeMap<String, String>,
    /// Consent version → the other bank whose consent it is (every bank but this one).
    pub consent_banks: BTreeMap<String, String>,
    /// The bank's last apply (`tenant_applies.seq`, 0 before the first): [`write`] claims the
    /// next one, so an apply planned against this state fails if another wrote meanwhile.
    pub applies: i64,
    /// Whether the bank has a ledger entry or a closed month: its zone is then fixed
    /// (`inflow_core::tenant::timezone_change`).
    pub booked: bool,
}

/// What [`write`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// The plan and its audit rows are written.
    Applied,
    /// Another apply of the bank claimed the same seq first: nothing was written.
    Conflict,
}

#[derive(Deserialize)]
struct Row {
    bank: Option<String>,
    products: String,
    campaigns: String,
    partners: String,
    rules: String,
    consents: String,
    applies: i64,
    booked: i64,
    webhooks: String,
}

#[derive(Deserialize)]
struct ConsentRow {
    version: Option<String>,
    bank_id: String,
}

#[derive(Deserialize)]
struct BankRow {
    id: String,
    names: Option<Localized>,
    brand_color: Option<String>,
    currency: String,
    consent: Option<Consent>,
    contact_key: Option<String>,
    retention_days: Option<u32>,
    timezone: Option<String>,
    min_payout_minor: Option<u64>,
    catalogue_version: i64,
}

#[derive(Deserialize)]
struct CampaignRow {
    id: String,
    bank_id: String,
    partner: String,
    scenes: Vec<Scene>,
    products: Vec<String>,
    events: Vec<String>,
    window_days: u16,
    approval_days: u16,
    max_clicks_per_hour: u32,
    repeat_events: Vec<String>,
    active: i64,
    commissions: Option<Vec<Commission>>,
}

#[derive(Deserialize)]
struct RuleRow {
    event: String,
    partner_id: String,
    flat_minor: u64,
    percent_bps: u32,
    cap_minor: Option<u64>,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text)?)
}

/// The bank `bank_id` with all its products and campaigns, the campaigns named
/// `campaign_ids` (whoever owns them) and the partners named `partner_ids` or served by the
/// bank's campaigns, and the consent versions of every other bank. One D1 round trip.
pub async fn load(db: &D1Database, bank_id: &str, campaign_ids: &[&str], partner_ids: &[&str]) -> Result<Loaded> {
    let (campaigns, partners) = (
        serde_json::to_string(campaign_ids)?,
        serde_json::to_string(partner_ids)?,
    );
    let row: Option<Row> = query(
        db,
        include_str!("tenants/load.sql"),
        &[bank_id.into(), (&campaigns).into(), (&partners).into()],
    )?
    .first(None)
    .await?;
    let row = row.ok_or_else(|| worker::Error::RustError("tenants_load returned no row".into()))?;
    let bank: Option<BankRow> = row.bank.as_deref().map(json).transpose()?;
    let catalogue_version = bank.as_ref().map_or(0, |b| b.catalogue_version);
    let bank_exists = bank.is_some();
    let bank = bank.and_then(|b| {
        Some(Bank {
            id: b.id,
            name: b.names?,
            brand_color: b.brand_color?,
            currency: b.currency,
            consent: b.consent?,
            contact_key: b.contact_key,
            retention_days: b.retention_days,
            timezone: b.timezone,
            min_payout_minor: b.min_payout_minor,
        })
    });
    let specs: Vec<String> = json(&row.products)?;
    let mut products = BTreeMap::new();
    for s in specs {
        let p: Product = json(&s)?;
        products.insert(p.id.clone(), p);
    }
    let partners: Vec<Partner> = json(&row.partners)?;
    let consent_banks = json::<Vec<ConsentRow>>(&row.consents)?
        .into_iter()
        .filter_map(|c| Some((c.version?, c.bank_id)))
        .collect();
    let rules: Vec<RuleRow> = json(&row.rules)?;
    let mut campaigns = BTreeMap::new();
    let mut campaign_banks = BTreeMap::new();
    for c in json::<Vec<CampaignRow>>(&row.campaigns)? {
        campaign_banks.insert(c.id.clone(), c.bank_id.clone());
        if c.bank_id != bank_id {
            continue;
        }
        // Campaigns seeded before 0012 have no commissions column: their rules are the bank's
        // commission_rules (the partner's own, else the bank's default) for the events paid.
        let commissions = c.commissions.unwrap_or_else(|| {
            c.events
                .iter()
                .filter_map(|e| {
                    let rule = rules
                        .iter()
                        .find(|r| r.event == *e && r.partner_id == c.partner)
                        .or_else(|| rules.iter().find(|r| r.event == *e && r.partner_id.is_empty()))?;
                    Some(Commission {
                        event: e.clone(),
                        flat_minor: rule.flat_minor,
                        percent_bps: rule.percent_bps,
                        cap_minor: rule.cap_minor,
                    })
                })
                .collect()
        });
        campaigns.insert(
            c.id.clone(),
            Campaign {
                id: c.id,
                partner: c.partner,
                scenes: c.scenes,
                products: c.products,
                window_days: c.window_days,
                approval_days: c.approval_days,
                commissions,
                repeat_events: c.repeat_events,
                max_clicks_per_hour: c.max_clicks_per_hour,
                status: if c.active != 0 {
                    CampaignStatus::Active
                } else {
                    CampaignStatus::Paused
                },
            },
        );
    }
    Ok(Loaded {
        state: TenantState {
            bank,
            products,
            partners: partners.into_iter().map(|p| (p.id.clone(), p)).collect(),
            campaigns,
            webhooks: json::<Vec<Webhook>>(&row.webhooks)?
                .into_iter()
                .map(|w| (w.id.clone(), w))
                .collect(),
        },
        bank_exists,
        catalogue_version,
        campaign_banks,
        consent_banks,
        applies: row.applies,
        booked: row.booked != 0,
    })
}

/// The banks with a campaign for `partner_id`.
pub async fn partner_banks(db: &D1Database, partner_id: &str) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct R {
        bank_id: String,
    }
    let rows: Vec<R> = query(
        db,
        "SELECT DISTINCT bank_id FROM campaigns WHERE partner_id = ?1 ORDER BY bank_id",
        &[partner_id.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(|r| r.bank_id).collect())
}

/// Whether a bank (`banks`) or a partner (`partners`) row with `id` exists.
pub async fn exists(db: &D1Database, table: Table, id: &str) -> Result<bool> {
    let sql = match table {
        Table::Banks => "SELECT 1 AS x FROM banks WHERE id = ?1",
        Table::Partners => "SELECT 1 AS x FROM partners WHERE id = ?1",
    };
    let row: Option<serde_json::Value> = query(db, sql, &[id.into()])?.first(None).await?;
    Ok(row.is_some())
}

/// The tables [`exists`] looks in.
#[derive(Clone, Copy)]
pub enum Table {
    Banks,
    Partners,
}

/// Who writes an apply and when: the key's id and the time (Unix seconds).
#[derive(Clone, Copy)]
pub struct By<'a> {
    pub key_id: &'a str,
    pub now: i64,
}

/// Writes every create and update of `plan` for bank `bank_id` and appends `audit` rows
/// (written by `by`), all in one batch: all or nothing. A product change bumps
/// the bank's catalogue version once. A campaign owned by another bank is never overwritten
/// (the upsert's guard; the handler refuses such a file before). A webhook the plan creates
/// is stored with its secret from `new_secrets` (file id → secret).
///
/// `applies` is [`Loaded::applies`] of the state `plan` was made against. The batch's first
/// statement inserts `tenant_applies (bank_id, applies + 1)`: when another apply wrote since
/// that read, the primary key refuses it, D1 rolls the batch back (one transaction) and the
/// answer is [`Written::Conflict`] — no read-then-write window.
pub async fn write(
    db: &D1Database,
    bank_id: &str,
    applies: i64,
    plan: &Plan,
    audit_rows: &[AuditDraft],
    new_secrets: &BTreeMap<String, PostbackSecret>,
    by: By<'_>,
) -> Result<Written> {
    let By { key_id, now } = by;
    let mut stmts = vec![claim(db, bank_id, applies, by)?];
    let mut catalogue_changed = false;
    for change in plan.changes.iter().filter(|c| c.action != Action::Unchanged) {
        match &change.object {
            Object::Bank(b) => stmts.push(bank(db, b)?),
            Object::Partner(p) => stmts.extend(partner(db, p)?),
            Object::Product(p) => {
                catalogue_changed = true;
                stmts.push(product(db, bank_id, p, now)?);
            }
            Object::Campaign(c) => stmts.extend(campaign(db, bank_id, c)?),
            Object::Webhook(w) => stmts.extend(webhook(db, bank_id, w, new_secrets.get(&w.id), now)?),
        }
    }
    if catalogue_changed {
        stmts.push(query(
            db,
            "UPDATE banks SET catalogue_version = catalogue_version + 1 WHERE id = ?1",
            &[bank_id.into()],
        )?);
    }
    for a in audit_rows {
        stmts.push(audit::append(db, a, key_id, now)?);
    }
    claimed(db.batch(stmts).await)
}

/// The bank's write counter: its last claimed `tenant_applies.seq`, 0 before the first. Read it
/// *before* the state a write is planned against, and claim the next seq ([`claim`]) first in
/// that write's batch.
pub async fn applies(db: &D1Database, bank_id: &str) -> Result<i64> {
    #[derive(Deserialize)]
    struct Seq {
        seq: i64,
    }
    let row: Option<Seq> = query(
        db,
        "SELECT COALESCE(MAX(seq), 0) AS seq FROM tenant_applies WHERE bank_id = ?1",
        &[bank_id.into()],
    )?
    .first(None)
    .await?;
    Ok(row.map_or(0, |r| r.seq))
}

/// The statement claiming the bank's write `applies + 1`. Every read-plan-write of a bank's
/// tenant state (an apply, a secret rotation) puts it first in its batch: of two writes planned
/// against the same read, the second fails on the primary key and D1 rolls its batch back.
pub fn claim(db: &D1Database, bank_id: &str, applies: i64, by: By<'_>) -> Result<D1PreparedStatement> {
    query(
        db,
        "INSERT INTO tenant_applies (bank_id, seq, at, key_id) VALUES (?1, ?2, ?3, ?4)",
        &[bank_id.into(), (applies + 1).into(), by.now.into(), by.key_id.into()],
    )
}

/// A claiming batch's outcome: [`Written::Conflict`] when its claim was taken (nothing written).
pub fn claimed<T>(outcome: Result<T>) -> Result<Written> {
    match outcome {
        Ok(_) => Ok(Written::Applied),
        Err(e) if claimed_seq_taken(&e) => Ok(Written::Conflict),
        Err(e) => Err(e),
    }
}

/// Whether D1 refused the batch on `tenant_applies`' primary key (SQLite words it
/// `UNIQUE constraint failed: tenant_applies.bank_id, tenant_applies.seq`), and on nothing else.
fn claimed_seq_taken(e: &worker::Error) -> bool {
    // Not `D1Error`'s `Display`: it converts the JS error's `cause` to a string unchecked and
    // traps when there is none (worker 0.8.7), as local D1's constraint errors have — the
    // request then hangs instead of answering 409.
    let text = match e {
        worker::Error::D1(d) => {
            let js: &worker::js_sys::Error = d.as_ref();
            format!("{} {}", String::from(js.message()), d.cause())
        }
        other => other.to_string(),
    };
    text.contains("UNIQUE constraint failed: tenant_applies.")
}

/// A file's webhook: registered (with its first secret) or its URL, events and limit updated.
fn webhook(
    db: &D1Database,
    bank_id: &str,
    w: &Webhook,
    secret: Option<&PostbackSecret>,
    now: i64,
) -> Result<Vec<D1PreparedStatement>> {
    let id = w.endpoint_id(bank_id);
    let events = serde_json::to_string(&w.events)?;
    let mut stmts = vec![query(
        db,
        "INSERT INTO webhook_endpoints (id, owner_kind, owner_id, url, events, disable_after, created_at) \
         VALUES (?1, 'bank', ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, \
             disable_after = excluded.disable_after \
         WHERE webhook_endpoints.owner_kind = 'bank' AND webhook_endpoints.owner_id = excluded.owner_id",
        &[
            (&id).into(),
            bank_id.into(),
            (&w.url).into(),
            (&events).into(),
            i64::from(w.disable_after).into(),
            now.into(),
        ],
    )?];
    if let Some(s) = secret {
        stmts.push(webhooks::insert_secret(db, &id, s)?);
    }
    Ok(stmts)
}

fn bank(db: &D1Database, b: &Bank) -> Result<D1PreparedStatement> {
    let (names, consent) = (serde_json::to_string(&b.name)?, serde_json::to_string(&b.consent)?);
    query(
        db,
        "INSERT INTO banks (id, name, postback_secret, names, brand_color, currency, consent, contact_key, \
         retention_days, timezone, min_payout_minor, version) \
         VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, names = excluded.names, \
         brand_color = excluded.brand_color, currency = excluded.currency, \
         consent = excluded.consent, contact_key = excluded.contact_key, \
         retention_days = excluded.retention_days, timezone = excluded.timezone, \
         min_payout_minor = excluded.min_payout_minor, version = banks.version + 1",
        &[
            (&b.id).into(),
            (&b.name.en).into(),
            (&names).into(),
            (&b.brand_color).into(),
            (&b.currency).into(),
            (&consent).into(),
            b.contact_key.as_deref().into(),
            b.retention_days.map(i64::from).into(),
            b.timezone.as_deref().into(),
            b.min_payout_minor.and_then(|m| i64::try_from(m).ok()).into(),
        ],
    )
}

fn partner(db: &D1Database, p: &Partner) -> Result<Vec<D1PreparedStatement>> {
    let origins = serde_json::to_string(&p.origins)?;
    Ok(vec![
        query(
            db,
            "INSERT INTO partners (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            &[(&p.id).into(), (&p.name).into()],
        )?,
        query(
            db,
            "DELETE FROM partner_origins WHERE partner_id = ?1",
            &[(&p.id).into()],
        )?,
        query(
            db,
            "INSERT INTO partner_origins (partner_id, origin) \
             SELECT ?1, value FROM json_each(?2) ORDER BY key",
            &[(&p.id).into(), (&origins).into()],
        )?,
    ])
}

fn product(db: &D1Database, bank_id: &str, p: &Product, now: i64) -> Result<D1PreparedStatement> {
    let spec = serde_json::to_string(p)?;
    query(
        db,
        "INSERT INTO products (bank_id, id, name, url, spec, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (bank_id, id) DO UPDATE SET name = excluded.name, url = excluded.url, \
         spec = excluded.spec, updated_at = excluded.updated_at",
        &[
            bank_id.into(),
            (&p.id).into(),
            (&p.name.en).into(),
            (&p.url).into(),
            (&spec).into(),
            now.into(),
        ],
    )
}

fn campaign(db: &D1Database, bank_id: &str, c: &Campaign) -> Result<Vec<D1PreparedStatement>> {
    let scenes = serde_json::to_string(&c.scenes)?;
    let products = serde_json::to_string(&c.products)?;
    let events = serde_json::to_string(&c.events())?;
    let repeat = serde_json::to_string(&c.repeat_events)?;
    let commissions = serde_json::to_string(&c.commissions)?;
    let mut stmts = vec![query(
        db,
        include_str!("tenants/upsert_campaign.sql"),
        &[
            (&c.id).into(),
            bank_id.into(),
            (&c.partner).into(),
            (&scenes).into(),
            (&products).into(),
            (&events).into(),
            i64::from(c.window_days).into(),
            i64::from(c.approval_days).into(),
            i64::from(c.max_clicks_per_hour).into(),
            (c.status == CampaignStatus::Active).into(),
            (&repeat).into(),
            (&commissions).into(),
        ],
    )?];
    for r in c.scoped_rules() {
        let partner = r.partner_id.unwrap_or_default();
        stmts.push(query(
            db,
            "INSERT INTO commission_rules (bank_id, event, partner_id, flat_minor, percent_bps, cap_minor) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (bank_id, event, partner_id) DO UPDATE SET \
             flat_minor = excluded.flat_minor, percent_bps = excluded.percent_bps, \
             cap_minor = excluded.cap_minor",
            &[
                bank_id.into(),
                (&r.event).into(),
                (&partner).into(),
                r.rule.flat_minor.into(),
                i64::from(r.rule.percent_bps).into(),
                r.rule.cap_minor.into(),
            ],
        )?);
    }
    Ok(stmts)
}
