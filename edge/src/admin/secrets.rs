//! `GET|POST /v1/admin/banks/{id}/secrets`: a bank's postback secrets (ids and expiries, never
//! values) and rotation (a new secret, shown once; the older ones expire after the overlap).

use inflow_core::admin::api::{AuditDraft, RotateRequest, Rotated, SecretView};
use inflow_core::admin::secrets::{new_secret, rotate as plan_rotation, DEFAULT_OVERLAP_SECS};
use inflow_core::admin::{Operation, Resource};
use inflow_core::Problem;
use worker::{D1Database, Request, Response};

use super::{body, random, Caller};
use crate::db::secrets as store;
use crate::db::tenants::{self, exists, By, Table, Written};
use crate::error::Result;
use crate::{db, http};

fn views(all: &[inflow_core::admin::secrets::PostbackSecret]) -> Vec<SecretView> {
    all.iter().map(SecretView::from).collect()
}

pub async fn list(db: &D1Database, who: &Caller, bank_id: &str) -> Result<Response> {
    who.may(Operation::Read, Resource::Secrets(bank_id))?;
    Ok(http::json(200, &views(&store::of_bank(db, bank_id).await?))?)
}

/// Rotates: 201 with the new secret. The body (`{"overlap_secs": N}`) may be empty. 409
/// `apply_conflict` when another write of the bank (a rotation, an apply) landed between this
/// one's read and its write: two rotations planned against the same secrets would each leave
/// a secret that never expires.
pub async fn rotate(req: &mut Request, db: &D1Database, who: &Caller, bank_id: &str, now: i64) -> Result<Response> {
    let r: RotateRequest = body(req, http::Accepts::JsonOrEmpty).await?.unwrap_or_default();
    who.may(Operation::Write, Resource::Secrets(bank_id))?;
    if !exists(db, Table::Banks, bank_id).await? {
        return Err(Problem::no_such_bank().into());
    }
    // The counter before the secrets: a write landing between the two reads fails our claim.
    let applies = tenants::applies(db, bank_id).await?;
    let before = store::of_bank(db, bank_id).await?;
    let expiries = plan_rotation(&before, now, r.overlap_secs.unwrap_or(DEFAULT_OVERLAP_SECS))?;
    let new = new_secret(random()?, random()?, now);
    let mut after = before.clone();
    for s in after.iter_mut() {
        if let Some((_, at)) = expiries.iter().find(|(id, _)| *id == s.id) {
            s.expires_at = Some(*at);
        }
    }
    after.push(new.clone());
    let audit = AuditDraft {
        bank_id: Some(bank_id.into()),
        object_kind: "postback_secret".into(),
        object_id: new.id.clone(),
        action: "rotate".into(),
        before: serde_json::to_value(views(&before))?,
        after: serde_json::to_value(views(&after))?,
    };
    let by = By {
        key_id: &who.key_id,
        now,
    };
    let mut stmts = vec![
        tenants::claim(db, bank_id, applies, by)?,
        store::insert(db, bank_id, &new)?,
    ];
    for (id, at) in &expiries {
        stmts.push(store::expire(db, bank_id, id, *at)?);
    }
    stmts.push(db::audit::append(db, &audit, &who.key_id, now)?);
    if tenants::claimed(db.batch(stmts).await)? == Written::Conflict {
        return Err(Problem::apply_conflict().into());
    }
    let rotated = Rotated {
        id: new.id,
        secret: new.secret,
        secrets: views(&after),
    };
    Ok(http::json(201, &rotated)?)
}
