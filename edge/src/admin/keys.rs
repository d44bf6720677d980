//! `GET|POST /v1/admin/banks/{id}/keys`, `GET|POST /v1/admin/partners/{id}/keys` and
//! `POST /v1/admin/keys/{id}/revoke`: API keys, whose tokens are shown once and stored hashed.

use inflow_core::admin::api::{AuditDraft, CreateKeyRequest, CreatedKey, KeyView};
use inflow_core::admin::keys::new_token;
use inflow_core::admin::{KeyKind, KeyRecord, Operation, Resource};
use inflow_core::Problem;
use worker::{D1Database, Request, Response};

use super::{body, random, Caller};
use crate::db::keys::{self as store, Owner};
use crate::db::tenants::{exists, Table};
use crate::error::Result;
use crate::{db, http};

pub fn owner_bank(id: &str) -> Owner<'_> {
    Owner::Bank(id)
}

pub fn owner_partner(id: &str) -> Owner<'_> {
    Owner::Partner(id)
}

/// What a key of `kind` owned by `owner` is, for [`Caller::may`].
fn resource<'a>(owner: Owner<'a>, kind: KeyKind) -> Resource<'a> {
    match owner {
        Owner::Bank(b) => Resource::BankKeys(b, kind),
        Owner::Partner(p) => Resource::PartnerKeys(p),
    }
}

fn audit_key(k: &KeyRecord) -> serde_json::Value {
    serde_json::to_value(KeyView::from(k)).unwrap_or_default()
}

fn bank_of(k: &KeyRecord) -> Option<String> {
    k.bank_id.clone()
}

/// Lists the owner's keys without their hashes.
pub async fn list(db: &D1Database, who: &Caller, owner: Owner<'_>) -> Result<Response> {
    who.may(Operation::Read, resource(owner, KeyKind::BankAdmin))?;
    let keys: Vec<KeyView> = store::list(db, owner).await?.iter().map(KeyView::from).collect();
    Ok(http::json(200, &keys)?)
}

/// Creates a key: 201 with its token, shown this once. 400 for a bad request, 403 when the
/// caller may not make this kind for this owner, 404 for an owner that does not exist.
pub async fn create(req: &mut Request, db: &D1Database, who: &Caller, owner: Owner<'_>, now: i64) -> Result<Response> {
    let r: CreateKeyRequest = body(req, http::Accepts::Json)
        .await?
        .ok_or_else(Problem::no_key_request)?;
    let is_partner = matches!(owner, Owner::Partner(_));
    who.may(Operation::Write, resource(owner, r.kind))?;
    r.check(is_partner, now)?;
    let (table, id) = match owner {
        Owner::Bank(b) => (Table::Banks, b),
        Owner::Partner(p) => (Table::Partners, p),
    };
    if !exists(db, table, id).await? {
        return Err(Problem::no_such_owner().into());
    }
    let t = new_token(random()?, random()?);
    let record = KeyRecord {
        id: t.id.clone(),
        kind: r.kind,
        bank_id: (!is_partner).then(|| id.to_string()),
        partner_id: is_partner.then(|| id.to_string()),
        name: r.name.trim().to_string(),
        hash: t.hash,
        created_at: now,
        expires_at: r.expires_at,
        last_used_at: None,
        revoked_at: None,
    };
    let audit = AuditDraft {
        bank_id: bank_of(&record),
        object_kind: "key".into(),
        object_id: record.id.clone(),
        action: "create".into(),
        before: serde_json::Value::Null,
        after: audit_key(&record),
    };
    db.batch(vec![
        store::insert(db, &record)?,
        db::audit::append(db, &audit, &who.key_id, now)?,
    ])
    .await?;
    let created = CreatedKey {
        key: KeyView::from(&record),
        token: t.token,
    };
    Ok(http::json(201, &created)?)
}

/// Revokes key `id` from this moment; revoking it again changes nothing. 404 for no such key
/// (also when it is another bank's, so ids cannot be probed); 403 when the caller may not.
pub async fn revoke(db: &D1Database, who: &Caller, id: &str, now: i64) -> Result<Response> {
    let record = store::by_id(db, id).await?.ok_or_else(Problem::no_such_key)?;
    let owner = match (&record.bank_id, &record.partner_id) {
        (Some(b), _) => Owner::Bank(b),
        (None, Some(p)) => Owner::Partner(p),
        (None, None) => return Err(Problem::no_such_key().into()),
    };
    let what = resource(owner, record.kind);
    if who.may(Operation::Read, resource(owner, KeyKind::BankAdmin)).is_err() {
        return Err(Problem::no_such_key().into());
    }
    who.may(Operation::Write, what)?;
    if record.revoked_at.is_some() {
        return Ok(http::json(200, &KeyView::from(&record))?);
    }
    let after = KeyRecord {
        revoked_at: Some(now),
        ..record.clone()
    };
    let audit = AuditDraft {
        bank_id: bank_of(&record),
        object_kind: "key".into(),
        object_id: record.id.clone(),
        action: "revoke".into(),
        before: audit_key(&record),
        after: audit_key(&after),
    };
    db.batch(vec![
        store::revoke(db, id, now)?,
        db::audit::append(db, &audit, &who.key_id, now)?,
    ])
    .await?;
    Ok(http::json(200, &KeyView::from(&after))?)
}
