//! `/v1/admin/…/webhooks`: registering a bank's or a partner's webhook endpoints, rotating an
//! endpoint's signing secret, enabling a disabled one, and its delivery log. Who may is
//! core's (`Resource::BankWebhooks`, `Resource::PartnerWebhooks`); an endpoint of someone else
//! is answered as one that does not exist, so ids cannot be probed.

use inflow_core::admin::api::{audit_after, AuditDraft, RotateRequest};
use inflow_core::admin::secrets::{rotate as plan_rotation, PostbackSecret, DEFAULT_OVERLAP_SECS};
use inflow_core::admin::{Operation, Principal, Resource};
use inflow_core::support::encoding;
use inflow_core::webhook::delivery::Deliveries;
use inflow_core::webhook::endpoint::{EndpointView, EndpointWithSecret, RegisterEndpoint};
use inflow_core::webhook::signing;
use inflow_core::webhook::OwnerKind;
use inflow_core::Problem;
use worker::{D1Database, Request, Response};

use super::{body, random, Caller};
use crate::db::tenants::{exists, Table};
use crate::db::webhooks::{self as store, Endpoint, PAGE};
use crate::error::Result;
use crate::{db, http};

fn resource(kind: OwnerKind, owner: &str) -> Resource<'_> {
    match kind {
        OwnerKind::Bank => Resource::BankWebhooks(owner),
        OwnerKind::Partner => Resource::PartnerWebhooks(owner),
    }
}

fn audit(e: &EndpointView, action: &str, before: Option<&EndpointView>) -> Result<AuditDraft> {
    Ok(AuditDraft {
        bank_id: (e.owner_kind == OwnerKind::Bank).then(|| e.owner_id.clone()),
        object_kind: "webhook_endpoint".into(),
        object_id: e.id.clone(),
        action: action.into(),
        before: serde_json::to_value(before)?,
        after: serde_json::to_value(e)?,
    })
}

/// A new signing secret: a 16-hex id and `whsec_<base64 of 32 random bytes>`.
pub fn new_secret(now: i64) -> Result<PostbackSecret> {
    Ok(PostbackSecret {
        id: encoding::hex(&random::<8>()?),
        secret: signing::new_secret(random()?),
        created_at: now,
        expires_at: None,
    })
}

/// `GET`: the owner's endpoints.
pub async fn list(db: &D1Database, who: &Caller, kind: OwnerKind, owner: &str) -> Result<Response> {
    who.may(Operation::Read, resource(kind, owner))?;
    let all: Vec<EndpointView> = store::of_owner(db, kind, owner)
        .await?
        .into_iter()
        .map(|e| e.view)
        .collect();
    Ok(http::json(200, &all)?)
}

/// `POST`: registers an endpoint; 201 with it and its secret (shown this once).
pub async fn register(
    req: &mut Request,
    db: &D1Database,
    who: &Caller,
    kind: OwnerKind,
    owner: &str,
    now: i64,
) -> Result<Response> {
    let r: RegisterEndpoint = body(req, http::Accepts::Json)
        .await?
        .ok_or_else(Problem::no_webhook_request)?;
    who.may(Operation::Write, resource(kind, owner))?;
    let table = match kind {
        OwnerKind::Bank => Table::Banks,
        OwnerKind::Partner => Table::Partners,
    };
    if !exists(db, table, owner).await? {
        return Err(Problem::no_such_owner().into());
    }
    let checked = r.check(kind)?;
    let id = encoding::hex(&random::<8>()?);
    let secret = new_secret(now)?;
    let view = EndpointView {
        id: id.clone(),
        owner_kind: kind,
        owner_id: owner.into(),
        url: checked.url.clone(),
        events: checked.events.iter().map(|t| t.as_str().to_string()).collect(),
        disable_after: checked.disable_after,
        consecutive_failures: 0,
        disabled_at: None,
        disabled_reason: None,
        created_at: now,
        secrets: vec![(&secret).into()],
    };
    db.batch(vec![
        store::insert(db, &id, kind, owner, &checked, now)?,
        store::insert_secret(db, &id, &secret)?,
        db::audit::append(db, &audit(&view, "create", None)?, &who.key_id, now)?,
    ])
    .await?;
    let answer = EndpointWithSecret {
        endpoint: view,
        secret: secret.secret,
    };
    Ok(http::json(201, &answer)?)
}

/// The endpoint `id` if the caller may `access` it; 404 when it does not exist or is another
/// tenant's (a report key still gets its 403).
async fn owned(db: &D1Database, who: &Caller, id: &str, access: Operation) -> Result<Endpoint> {
    let e = store::by_id(db, id).await?.ok_or_else(Problem::no_such_webhook)?;
    match who.may(access, resource(e.view.owner_kind, &e.view.owner_id)) {
        Ok(()) => Ok(e),
        Err(_) if matches!(who.principal, Principal::BankAdmin(_)) => Err(Problem::no_such_webhook().into()),
        Err(denied) => Err(denied),
    }
}

/// `POST …/secrets`: a new secret; the older live ones sign too until the overlap is over.
pub async fn rotate(req: &mut Request, db: &D1Database, who: &Caller, id: &str, now: i64) -> Result<Response> {
    let r: RotateRequest = body(req, http::Accepts::JsonOrEmpty).await?.unwrap_or_default();
    let e = owned(db, who, id, Operation::Write).await?;
    let expiries = plan_rotation(&e.secrets, now, r.overlap_secs.unwrap_or(DEFAULT_OVERLAP_SECS))?;
    let secret = new_secret(now)?;
    let mut after = e.view.clone();
    for s in after.secrets.iter_mut() {
        if let Some((_, at)) = expiries.iter().find(|(sid, _)| *sid == s.id) {
            s.expires_at = Some(*at);
        }
    }
    after.secrets.push((&secret).into());
    let mut stmts = vec![store::insert_secret(db, id, &secret)?];
    for (sid, at) in &expiries {
        stmts.push(store::expire_secret(db, id, sid, *at)?);
    }
    stmts.push(db::audit::append(
        db,
        &audit(&after, "rotate", Some(&e.view))?,
        &who.key_id,
        now,
    )?);
    db.batch(stmts).await?;
    let answer = EndpointWithSecret {
        endpoint: after,
        secret: secret.secret,
    };
    Ok(http::json(201, &answer)?)
}

/// `POST …/enable`: the endpoint takes deliveries again, its failure count from zero.
pub async fn enable(db: &D1Database, who: &Caller, id: &str, now: i64) -> Result<Response> {
    let e = owned(db, who, id, Operation::Write).await?;
    let after = EndpointView {
        consecutive_failures: 0,
        disabled_at: None,
        disabled_reason: None,
        ..e.view.clone()
    };
    db.batch(vec![
        store::enable(db, id)?,
        db::audit::append(db, &audit(&after, "enable", Some(&e.view))?, &who.key_id, now)?,
    ])
    .await?;
    Ok(http::json(200, &after)?)
}

/// `GET …/deliveries[?after=SEQ]`: the endpoint's attempts, oldest first.
pub async fn deliveries(req: &Request, db: &D1Database, who: &Caller, id: &str) -> Result<Response> {
    owned(db, who, id, Operation::Read).await?;
    let param = http::single_param(req, "after")?;
    let after = audit_after(param.as_deref())?;
    let rows = store::deliveries(db, id, after).await?;
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    Ok(http::json(200, &Deliveries { deliveries: rows, next })?)
}
