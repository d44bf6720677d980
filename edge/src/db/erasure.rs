//! D1 for erasing a lead (issue 14, item 4; migration 0021): the lead's row emptied of the
//! visitor's data and marked erased, its sealed contacts (`lead_contacts`) deleted and a
//! tombstone appended to each of its banks' feeds (`bank_leads` kind `erased`), in one batch;
//! and which leads are past their banks' retention (migration 0022).

use serde::Deserialize;
use worker::{D1Database, Result};

use super::query;

/// What an erasure needs to know of a lead before erasing it.
#[derive(Deserialize)]
pub struct Target {
    /// The partner whose page took the lead (its registered origins may erase it).
    pub partner_id: String,
    /// Whether the calling bank was shown the lead (1) or not (0); always 0 for the visitor.
    pub shown: i64,
}

/// The lead `id` if it exists, and whether `bank` (a bank id, or "" for none) was shown it.
pub async fn target(db: &D1Database, id: &str, bank: &str) -> Result<Option<Target>> {
    query(
        db,
        "SELECT partner_id, EXISTS (SELECT 1 FROM bank_leads \
                        WHERE bank_id = ?2 AND lead_id = ?1 AND kind = 'lead') AS shown \
         FROM leads WHERE id = ?1",
        &[id.into(), bank.into()],
    )?
    .first::<Target>(None)
    .await
}

#[derive(Deserialize)]
struct Erased {
    erased: i64,
}

/// Whether lead `id` is erased (an unknown lead is not).
pub async fn is_erased(db: &D1Database, id: &str) -> Result<bool> {
    let row = query(
        db,
        "SELECT erased_at IS NOT NULL AS erased FROM leads WHERE id = ?1",
        &[id.into()],
    )?
    .first::<Erased>(None)
    .await?;
    Ok(row.is_some_and(|r| r.erased != 0))
}

#[derive(Deserialize)]
struct Due {
    id: String,
}

/// Up to `limit` leads past their retention at `now` (unix seconds), oldest first (`due.sql`;
/// `default_days` for a bank without its own).
pub async fn due(db: &D1Database, now: i64, limit: i64, default_days: i64) -> Result<Vec<String>> {
    let rows: Vec<Due> = query(
        db,
        include_str!("erasure/due.sql"),
        &[now.into(), limit.into(), default_days.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[derive(Deserialize)]
struct Bank {
    bank_id: String,
}

/// Erases lead `id` at `now` (unix seconds) in one batch, all or nothing: idempotent — a lead
/// erased before keeps its first `erased_at` and gets no second tombstone (the feed's UNIQUE
/// (bank_id, lead_id, kind)). Returns the banks the lead was shown when this call erased it,
/// `None` when it was erased already (or does not exist).
pub async fn erase(db: &D1Database, id: &str, now: i64) -> Result<Option<Vec<String>>> {
    let stmts = vec![
        query(
            db,
            "INSERT OR IGNORE INTO bank_leads (bank_id, lead_id, kind, products) \
             SELECT bank_id, lead_id, 'erased', '[]' FROM bank_leads \
             WHERE lead_id = ?1 AND kind = 'lead' ORDER BY seq",
            &[id.into()],
        )?,
        query(db, "DELETE FROM lead_contacts WHERE lead_id = ?1", &[id.into()])?,
        query(db, include_str!("erasure/erase.sql"), &[id.into(), now.into()])?,
        query(
            db,
            "SELECT bank_id FROM bank_leads WHERE lead_id = ?1 AND kind = 'lead' ORDER BY seq",
            &[id.into()],
        )?,
        // The tracking tags its clicks copied from the lead (migration 0024): attribution too.
        // Their report counts move to '(none)'; totals stay.
        query(
            db,
            "UPDATE clicks SET sub_id = '', utm_source = '', utm_campaign = '' \
             WHERE lead_id = ?1 AND (sub_id <> '' OR utm_source <> '' OR utm_campaign <> '')",
            &[id.into()],
        )?,
    ];
    let results = db.batch(stmts).await?;
    let erased_now = match results.get(2) {
        Some(r) => r.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0,
        None => false,
    };
    if !erased_now {
        return Ok(None);
    }
    let banks = match results.get(3) {
        Some(r) => r.results::<Bank>()?.into_iter().map(|b| b.bank_id).collect(),
        None => Vec::new(),
    };
    Ok(Some(banks))
}
