//! `GET /v1/bank/leads?after=<cursor>&limit=<n>`: the calling bank's leads, oldest first, from
//! its cursor, with each consenting visitor's contact sealed to the bank's key (issue 14,
//! item 2). The rules — the query, the cursor, what each lead shows — are core's
//! (`inflow_core::lead::feed`); the bank is its report key's, never the request's.

use inflow_core::admin::Principal;
use inflow_core::lead::feed::{BankLeads, FeedQuery};
use inflow_core::Problem;
use worker::{D1Database, Env, Request, Response};

use crate::error::Result;
use crate::{db, http, runtime};

/// 200 with a page of the bank's feed; 401 without a live key, 403 with a key that is not a
/// bank's report key, 400 for a bad cursor or limit.
pub async fn serve(req: &Request, env: &Env) -> Result<Response> {
    let d1 = db::open(env)?;
    let bank = bank_of_key(req, env, &d1).await?;
    let pairs = http::query_pairs(req)?;
    let q = FeedQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let rows = db::bank_leads::page(&d1, &bank, &q).await?;
    Ok(http::json(200, &BankLeads::from_rows(&bank, &q, rows))?)
}

/// The bank whose report key `req` carries: the bank's routes (the feed, a bank's erasure) are
/// its alone. 401 `unauthorized` without a key or with one that is unknown, revoked or expired;
/// 403 `forbidden` for a valid key of another kind (a partner's, an admin key).
pub async fn bank_of_key(req: &Request, env: &Env, d1: &D1Database) -> Result<String> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    if inflow_core::api::bearer_token(&header).is_none() {
        return Err(Problem::no_bank_key().into());
    }
    match crate::admin::caller(req, env, d1, runtime::now()).await?.principal {
        Principal::BankReport(bank) => Ok(bank),
        Principal::PartnerReport(_) | Principal::BankAdmin(_) | Principal::Operator => {
            Err(Problem::not_a_bank_key().into())
        }
    }
}
