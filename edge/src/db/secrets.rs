//! D1 for postback secrets (`postback_secrets`, migration 0012).

use inflow_core::admin::secrets::PostbackSecret;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Result};

use super::query;

#[derive(Deserialize)]
struct Row {
    id: String,
    secret: String,
    created_at: i64,
    expires_at: Option<i64>,
}

/// Every secret of `bank_id`, expired ones included, oldest first.
pub async fn of_bank(db: &D1Database, bank_id: &str) -> Result<Vec<PostbackSecret>> {
    let rows: Vec<Row> = query(
        db,
        "SELECT id, secret, created_at, expires_at FROM postback_secrets WHERE bank_id = ?1 ORDER BY created_at, id",
        &[bank_id.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|r| PostbackSecret {
            id: r.id,
            secret: r.secret,
            created_at: r.created_at,
            expires_at: r.expires_at,
        })
        .collect())
}

/// The statement adding `s` to `bank_id`'s secrets.
pub fn insert(db: &D1Database, bank_id: &str, s: &PostbackSecret) -> Result<D1PreparedStatement> {
    query(
        db,
        "INSERT INTO postback_secrets (bank_id, id, secret, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            bank_id.into(),
            (&s.id).into(),
            (&s.secret).into(),
            s.created_at.into(),
            s.expires_at.into(),
        ],
    )
}

/// The statement setting secret `id`'s expiry.
pub fn expire(db: &D1Database, bank_id: &str, id: &str, at: i64) -> Result<D1PreparedStatement> {
    query(
        db,
        "UPDATE postback_secrets SET expires_at = ?3 WHERE bank_id = ?1 AND id = ?2",
        &[bank_id.into(), id.into(), at.into()],
    )
}
