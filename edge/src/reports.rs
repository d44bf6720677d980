//! `GET /v1/reports`: the funnel and the ledger for a partner (its own rows) or a bank (its own
//! partners and its own clicks and conversions), by day, scene, product, campaign or partner.
//!
//! Reports read the rollups that SQLite triggers keep up to date on every write (30-minute
//! buckets and UTC days; answers per question in a long rollup), through `db::reports`. Who may
//! read what, where the rows come from, and how they fold into rows and the drop-off are core's
//! (`inflow_core::report`). A 90-day report reads thousands of rows however many events there
//! are, and is as fresh as the last write.

use inflow_core::admin::Principal;
use inflow_core::report::row::to_csv;
use inflow_core::report::scope::{not_bank_partner, Access};
use inflow_core::report::Scope;
use inflow_core::report::{Format, ReportQuery, ReportResponse};
use inflow_core::Problem;
use worker::{Env, Headers, Request, Response};

use crate::db::reports::{self as db, Reads};
use crate::error::Result;
use crate::{bench, http};

/// The response header that carries the rows D1 read for the request (`meta.rows_read`, summed
/// over its statements), sent only when the bench routes are on (`BENCH_ROUTES=1`, never in
/// production): `cargo xtask bench` budgets reports on it, as it does not vary by machine.
pub const ROWS_READ_HEADER: &str = "inflow-d1-rows-read";

pub async fn serve(req: &Request, env: &Env) -> Result<Response> {
    let mut reads = Reads::default();
    let answer = answer(req, env, &mut reads).await;
    if !bench::enabled(env) {
        return answer;
    }
    let rows_read = reads.0.to_string();
    match answer {
        Ok(mut resp) => {
            resp.headers_mut().set(ROWS_READ_HEADER, &rows_read)?;
            Ok(resp)
        }
        Err(e) => Err(e.with_header(ROWS_READ_HEADER, rows_read)),
    }
}

async fn answer(req: &Request, env: &Env, reads: &mut Reads) -> Result<Response> {
    let d1 = crate::db::open(env)?;
    let header = req.headers().get("authorization")?.unwrap_or_default();
    // The same key resolution as the admin routes: legacy report hashes and unexpired,
    // unrevoked report keys speak for a scope. An admin key is a valid key of the wrong kind:
    // 403, as on the bank's lead feed, not 401 (which says "no key we know").
    if inflow_core::api::bearer_token(&header).is_none() {
        return Err(Problem::no_report_key().into());
    }
    let scope = match crate::admin::caller(req, env, &d1, crate::runtime::now())
        .await?
        .principal
    {
        Principal::PartnerReport(partner) => Scope::Partner(partner),
        Principal::BankReport(bank) => Scope::Bank(bank),
        Principal::Operator | Principal::BankAdmin(_) => return Err(Problem::not_a_report_key().into()),
    };
    let pairs = http::query_pairs(req)?;
    let accept = req.headers().get("accept")?.unwrap_or_default();
    let q = ReportQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &accept)?;
    if let Access::IfBankHasPartner(p) = scope.access(q.group_by, q.partner.as_deref())? {
        if !db::bank_has_partner(&d1, scope.id(), p, reads).await? {
            return Err(not_bank_partner().into());
        }
    }
    let (rows, drop_off) = db::report(&d1, &scope, &q, reads).await?;
    let headers = Headers::new();
    headers.set("cache-control", "no-store")?;
    match q.format {
        Format::Csv => {
            headers.set("content-type", "text/csv; charset=utf-8; header=present")?;
            // Saved, not shown; the name is ASCII (dates and a grouping), given both ways.
            let name = format!("inflow-report-{}-{}-{}.csv", q.from, q.to, q.group_by.as_str());
            headers.set(
                "content-disposition",
                &format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}"),
            )?;
            Ok(Response::ok(to_csv(&rows))?.with_headers(headers))
        }
        Format::Json => Ok(http::json(
            200,
            &ReportResponse {
                from: q.from.clone(),
                to: q.to.clone(),
                tz: q.zone.name().into(),
                group_by: q.group_by.as_str().into(),
                payout_date: q.payout_date.as_str().into(),
                rows,
                drop_off,
            },
        )?),
    }
}
