//! D1 for API keys (`api_keys`, migration 0012) and the legacy report-key hashes of `banks` and
//! `partners` (0003), which admin routes must recognise to refuse them with 403.

use inflow_core::admin::{KeyKind, KeyRecord};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Result};

use crate::ledger::int;

#[derive(Deserialize)]
struct Row {
    id: String,
    kind: String,
    bank_id: Option<String>,
    partner_id: Option<String>,
    name: String,
    hash: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl Row {
    fn record(self) -> Result<KeyRecord> {
        let kind = KeyKind::parse(&self.kind)
            .ok_or_else(|| worker::Error::RustError(format!("api_keys.kind {:?}", self.kind)))?;
        Ok(KeyRecord {
            id: self.id,
            kind,
            bank_id: self.bank_id,
            partner_id: self.partner_id,
            name: self.name,
            hash: self.hash,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        })
    }
}

const COLUMNS: &str = "id, kind, bank_id, partner_id, name, hash, created_at, expires_at, last_used_at, revoked_at";

async fn one(stmt: D1PreparedStatement) -> Result<Option<KeyRecord>> {
    let row: Option<Row> = stmt.first(None).await?;
    row.map(Row::record).transpose()
}

/// The key whose token hashes to `hash`.
pub async fn by_hash(db: &D1Database, hash: &str) -> Result<Option<KeyRecord>> {
    one(db
        .prepare(format!("SELECT {COLUMNS} FROM api_keys WHERE hash = ?1"))
        .bind(&[hash.into()])?)
    .await
}

/// The key with public id `id`.
pub async fn by_id(db: &D1Database, id: &str) -> Result<Option<KeyRecord>> {
    one(db
        .prepare(format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"))
        .bind(&[id.into()])?)
    .await
}

/// Whose legacy report key hashes to `hash`: `(kind, owner id)`.
pub async fn legacy_report_key(db: &D1Database, hash: &str) -> Result<Option<(KeyKind, String)>> {
    #[derive(Deserialize)]
    struct R {
        kind: String,
        id: String,
    }
    let row: Option<R> = db
        .prepare(
            "SELECT 'partner_report' AS kind, id FROM partners WHERE report_key_hash = ?1 \
             UNION ALL SELECT 'bank_report', id FROM banks WHERE report_key_hash = ?1",
        )
        .bind(&[hash.into()])?
        .first(None)
        .await?;
    Ok(row.and_then(|r| Some((KeyKind::parse(&r.kind)?, r.id))))
}

/// A bank's (`bank`) or a partner's keys, newest first.
pub async fn list(db: &D1Database, owner: Owner<'_>) -> Result<Vec<KeyRecord>> {
    let (column, id) = match owner {
        Owner::Bank(b) => ("bank_id", b),
        Owner::Partner(p) => ("partner_id", p),
    };
    let rows: Vec<Row> = db
        .prepare(format!(
            "SELECT {COLUMNS} FROM api_keys WHERE {column} = ?1 ORDER BY created_at DESC, id"
        ))
        .bind(&[id.into()])?
        .all()
        .await?
        .results()?;
    rows.into_iter().map(Row::record).collect()
}

/// Whose keys.
#[derive(Clone, Copy)]
pub enum Owner<'a> {
    Bank(&'a str),
    Partner(&'a str),
}

/// The statement inserting `k`.
pub fn insert(db: &D1Database, k: &KeyRecord) -> Result<D1PreparedStatement> {
    let opt = |s: &Option<String>| s.as_deref().map_or(JsValue::NULL, Into::into);
    db.prepare(format!(
        "INSERT INTO api_keys ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, NULL)"
    ))
    .bind(&[
        k.id.as_str().into(),
        k.kind.as_str().into(),
        opt(&k.bank_id),
        opt(&k.partner_id),
        k.name.as_str().into(),
        k.hash.as_str().into(),
        int(k.created_at),
        k.expires_at.map_or(JsValue::NULL, int),
    ])
}

/// The statement revoking key `id` at `now` (a key revoked already keeps its first time).
pub fn revoke(db: &D1Database, id: &str, now: i64) -> Result<D1PreparedStatement> {
    db.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
        .bind(&[id.into(), int(now)])
}

/// Records that key `id` was used at `now` (at most once a minute, to spare writes).
pub async fn touch(db: &D1Database, id: &str, now: i64) -> Result<()> {
    db.prepare(
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 \
         AND (last_used_at IS NULL OR last_used_at < ?2 - 60)",
    )
    .bind(&[id.into(), int(now)])?
    .run()
    .await?;
    Ok(())
}
