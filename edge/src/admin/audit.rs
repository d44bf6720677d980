//! `GET /v1/admin/banks/{id}/audit` (that bank's rows; its admin keys and the operator) and
//! `GET /v1/admin/audit` (every row; the operator). `?after=SEQ` pages on.

use inflow_core::admin::api::audit_after;
use inflow_core::admin::{Operation, Resource};
use worker::{D1Database, Request, Response};

use super::Caller;
use crate::error::Result;
use crate::{db, http};

pub async fn read(req: &Request, db: &D1Database, who: &Caller, bank_id: Option<&str>) -> Result<Response> {
    match bank_id {
        Some(b) => who.may(Operation::Read, Resource::Audit(b))?,
        None => who.may(Operation::Read, Resource::AuditAll)?,
    }
    let param = http::single_param(req, "after")?;
    let after = audit_after(param.as_deref())?;
    let rows = db::audit::read(db, bank_id, after).await?;
    Ok(http::json(200, &rows)?)
}
