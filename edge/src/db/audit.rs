//! D1 for the append-only audit log (`audit_log`, migration 0012: triggers refuse updates and
//! deletes).

use inflow_core::admin::api::{AuditDraft, AuditEntry};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Result};

use super::query;

/// Most rows one read answers (oldest first from `after`).
pub const PAGE: i64 = 500;

/// The statement appending `a`, written by `key_id` at `now`; callers put it in the batch of
/// the write it describes, so a write is never without its row.
pub fn append(db: &D1Database, a: &AuditDraft, key_id: &str, now: i64) -> Result<D1PreparedStatement> {
    let (before, after) = (a.before.to_string(), a.after.to_string());
    query(
        db,
        "INSERT INTO audit_log (at, key_id, bank_id, object_kind, object_id, action, before, after) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            now.into(),
            key_id.into(),
            a.bank_id.as_deref().into(),
            (&a.object_kind).into(),
            (&a.object_id).into(),
            (&a.action).into(),
            (&before).into(),
            (&after).into(),
        ],
    )
}

#[derive(Deserialize)]
struct Row {
    seq: i64,
    at: i64,
    key_id: String,
    bank_id: Option<String>,
    object_kind: String,
    object_id: String,
    action: String,
    before: String,
    after: String,
}

/// Up to [`PAGE`] rows with `seq > after`, oldest first: one bank's (`Some`) or every row.
pub async fn read(db: &D1Database, bank_id: Option<&str>, after: i64) -> Result<Vec<AuditEntry>> {
    let stmt = match bank_id {
        Some(b) => query(
            db,
            "SELECT * FROM audit_log WHERE bank_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            &[b.into(), after.into(), PAGE.into()],
        )?,
        None => query(
            db,
            "SELECT * FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            &[after.into(), PAGE.into()],
        )?,
    };
    let rows: Vec<Row> = stmt.all().await?.results()?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.seq,
                at: r.at,
                key_id: r.key_id,
                draft: AuditDraft {
                    bank_id: r.bank_id,
                    object_kind: r.object_kind,
                    object_id: r.object_id,
                    action: r.action,
                    before: serde_json::from_str(&r.before)?,
                    after: serde_json::from_str(&r.after)?,
                },
            })
        })
        .collect()
}
