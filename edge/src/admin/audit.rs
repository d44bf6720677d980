//! `GET /v1/admin/banks/{id}/audit` (that bank's rows; its admin keys and the operator) and
//! `GET /v1/admin/audit` (every row; the operator). `?after=SEQ` pages on.

use inflow_core::admin::{Access, Resource};
use inflow_core::ProblemCode;
use worker::{D1Database, Request, Response};

use super::{problem, Caller};
use crate::error::Result;
use crate::{db, http};

pub async fn read(req: &Request, db: &D1Database, who: &Caller, bank_id: Option<&str>) -> Result<Response> {
    match bank_id {
        Some(b) => who.may(Access::Read, Resource::Audit(b))?,
        None => who.may(Access::Read, Resource::AuditAll)?,
    }
    let after = match req.url()?.query_pairs().find(|(k, _)| k == "after") {
        None => 0,
        Some((_, v)) => v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            problem(
                ProblemCode::InvalidField,
                "after is the seq of the last row read (an integer ≥ 0)",
            )
        })?,
    };
    let rows = db::audit::read(db, bank_id, after).await?;
    Ok(http::json(200, &rows)?)
}
