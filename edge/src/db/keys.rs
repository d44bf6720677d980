//! D1 for API keys (`api_keys`, migration 0012) and the legacy report-key hashes of `banks` and
//! `partners` (0003), which admin routes must recognise to refuse them with 403.

use inflow_core::admin::{KeyKind, KeyRecord};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Result};

use super::query;

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
    one(query(
        db,
        format!("SELECT {COLUMNS} FROM api_keys WHERE hash = ?1"),
        &[hash.into()],
    )?)
    .await
}

/// The key with public id `id`.
pub async fn by_id(db: &D1Database, id: &str) -> Result<Option<KeyRecord>> {
    one(query(
        db,
        format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"),
        &[id.into()],
    )?)
    .await
}

/// Whose legacy report key hashes to `hash`: `(kind, owner id)`.
pub async fn legacy_report_key(db: &D1Database, hash: &str) -> Result<Option<(KeyKind, String)>> {
    #[derive(Deserialize)]
    struct R {
        kind: String,
        id: String,
    }
    let row: Option<R> = query(
        db,
        "SELECT 'partner_report' AS kind, id FROM partners WHERE report_key_hash = ?1 \
         UNION ALL SELECT 'bank_report', id FROM banks WHERE report_key_hash = ?1",
        &[hash.into()],
    )?
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
    let rows: Vec<Row> = query(
        db,
        format!("SELECT {COLUMNS} FROM api_keys WHERE {column} = ?1 ORDER BY created_at DESC, id"),
        &[id.into()],
    )?
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
    query(
        db,
        format!("INSERT INTO api_keys ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, NULL)"),
        &[
            (&k.id).into(),
            k.kind.as_str().into(),
            k.bank_id.as_deref().into(),
            k.partner_id.as_deref().into(),
            (&k.name).into(),
            (&k.hash).into(),
            k.created_at.into(),
            k.expires_at.into(),
        ],
    )
}

/// The statement revoking key `id` at `now` (a key revoked already keeps its first time).
pub fn revoke(db: &D1Database, id: &str, now: i64) -> Result<D1PreparedStatement> {
    query(
        db,
        "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        &[id.into(), now.into()],
    )
}

/// Records that key `id` was used at `now` (at most once a minute, to spare writes).
pub async fn touch(db: &D1Database, id: &str, now: i64) -> Result<()> {
    query(
        db,
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 \
         AND (last_used_at IS NULL OR last_used_at < ?2 - 60)",
        &[id.into(), now.into()],
    )?
    .run()
    .await?;
    Ok(())
}
