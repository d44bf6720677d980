//! Settlement routes (issue 15): `GET /v1/ledger` and `GET /v1/statements` for banks and
//! partners (their own only), `POST /v1/statements/{period}/close` and `…/paid` for a bank's
//! admin key. Periods, figures and the order of closes are `inflow_core::settlement`'s; the
//! books come from `db::settlement`.

use inflow_core::admin::Principal;
use inflow_core::report::Format;
use inflow_core::settlement::api::{
    self as rules, check_close_body, LedgerPage, LedgerQuery, PayRequest, Statements, StatementsQuery,
    MAX_STATEMENT_MONTHS,
};
use inflow_core::settlement::{check_close, Period, PeriodState, SettleError, Statement};
use inflow_core::{Problem, ProblemCode};
use worker::{D1Database, Env, Headers, Request, Response};

use crate::db::settlement::{self as db, Close, Owner};
use crate::error::Result;
use crate::{http, runtime};

/// Who reads: a bank (its report or admin key) or a partner (its report key).
enum Reader {
    Bank(String),
    Partner(String),
}

async fn principal(req: &Request, env: &Env, d1: &D1Database) -> Result<Principal> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    if inflow_core::api::bearer_token(&header).is_none() {
        return Err(Problem::no_report_key().into());
    }
    Ok(crate::admin::caller(req, env, d1, runtime::now()).await?.principal)
}

async fn reader(req: &Request, env: &Env, d1: &D1Database) -> Result<Reader> {
    match principal(req, env, d1).await? {
        Principal::BankReport(b) | Principal::BankAdmin(b) => Ok(Reader::Bank(b)),
        Principal::PartnerReport(p) => Ok(Reader::Partner(p)),
        Principal::Operator => Err(rules::not_a_settlement_reader().into()),
    }
}

async fn bank_admin(req: &Request, env: &Env, d1: &D1Database) -> Result<String> {
    match principal(req, env, d1).await? {
        Principal::BankAdmin(b) => Ok(b),
        _ => Err(rules::not_a_bank_admin().into()),
    }
}

/// The route's query, parsed by `parse` from the query string and the Accept header.
fn query<T>(req: &Request, parse: impl FnOnce(&[(&str, &str)], &str) -> std::result::Result<T, Problem>) -> Result<T> {
    let pairs = http::query_pairs(req)?;
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let accept = req.headers().get("accept")?.unwrap_or_default();
    Ok(parse(&pairs, &accept)?)
}

/// The reader's own side and its narrowing to one counterpart: a bank narrows by `partner`, a
/// partner by `bank`; the other parameter is refused.
fn narrowed<'a>(
    who: &'a Reader,
    partner: Option<&'a str>,
    bank: Option<&'a str>,
) -> Result<(Owner<'a>, Option<&'a str>)> {
    match who {
        Reader::Bank(_) if bank.is_some() => Err(rules::wrong_narrowing("bank").into()),
        Reader::Partner(_) if partner.is_some() => Err(rules::wrong_narrowing("partner").into()),
        Reader::Bank(b) => Ok((Owner::Bank(b), partner)),
        Reader::Partner(p) => Ok((Owner::Partner(p), bank)),
    }
}

fn csv(body: String, name: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "text/csv; charset=utf-8; header=present")?;
    headers.set("cache-control", "no-store")?;
    headers.set(
        "content-disposition",
        &format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}"),
    )?;
    Ok(Response::ok(body)?.with_headers(headers))
}

fn no_store(mut resp: Response) -> Result<Response> {
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `GET /v1/ledger`.
pub async fn ledger(req: &Request, env: &Env) -> Result<Response> {
    let d1 = crate::db::open(env)?;
    let who = reader(req, env, &d1).await?;
    let q = query(req, |pairs, accept| LedgerQuery::parse(pairs.iter().copied(), accept))?;
    let (owner, other) = narrowed(&who, q.partner.as_deref(), q.bank.as_deref())?;
    let mut entries = db::ledger_page(&d1, owner, other, q.after, q.limit + 1).await?;
    let has_more = entries.len() > q.limit as usize;
    entries.truncate(q.limit as usize);
    let next = entries.last().map_or(q.after, |b| b.entry.id).to_string();
    match q.format {
        Format::Csv => {
            let mut resp = csv(inflow_core::settlement::csv::ledger(&entries), "inflow-ledger.csv")?;
            resp.headers_mut().set("inflow-next-after", &next)?;
            resp.headers_mut()
                .set("inflow-has-more", if has_more { "true" } else { "false" })?;
            Ok(resp)
        }
        Format::Json => no_store(http::json(
            200,
            &LedgerPage {
                entries,
                next,
                has_more,
            },
        )?),
    }
}

/// Every statement of the bank's book for `partner` (or all its partners) in the asked months:
/// frozen ones as closed, open ones through the current month.
async fn statements_of(
    d1: &D1Database,
    bank: &str,
    partner: Option<&str>,
    q: &StatementsQuery,
) -> Result<Vec<Statement>> {
    let Some(books) = db::books(d1, bank, partner).await? else {
        return Ok(vec![]);
    };
    let through = Period::of(&books.zone, runtime::now());
    let mut out = vec![];
    for (frozen, account) in books.partners.values() {
        let all = frozen.iter().cloned().chain(account.open_statements(through));
        out.extend(all.filter(|s| q.covers(s.period)).take(MAX_STATEMENT_MONTHS));
    }
    Ok(out)
}

/// `GET /v1/statements`.
pub async fn statements(req: &Request, env: &Env) -> Result<Response> {
    let d1 = crate::db::open(env)?;
    let who = reader(req, env, &d1).await?;
    let q = query(req, |pairs, accept| {
        StatementsQuery::parse(pairs.iter().copied(), accept)
    })?;
    let statements = match narrowed(&who, q.partner.as_deref(), q.bank.as_deref())? {
        (Owner::Bank(b), partner) => statements_of(&d1, b, partner, &q).await?,
        (Owner::Partner(p), bank) => {
            let mut out = vec![];
            for each in db::banks_of_partner(&d1, p).await? {
                if bank.is_none_or(|b| b == each) {
                    out.extend(statements_of(&d1, &each, Some(p), &q).await?);
                }
            }
            out
        }
    };
    match q.format {
        Format::Csv => csv(
            inflow_core::settlement::csv::statements(&statements),
            "inflow-statements.csv",
        ),
        Format::Json => no_store(http::json(200, &Statements { statements })?),
    }
}

/// How often a close computes again when entries keep landing in the period meanwhile.
const CLOSE_ATTEMPTS: usize = 3;

/// `POST /v1/statements/{period}/close`: the bank closes the period for every partner — each
/// partner's statement is frozen, and what is booked for the period from now on lands in the
/// next open one. 201 with the frozen statements; 200 with them when it was closed already.
pub async fn close(req: &mut Request, env: &Env, period: &str) -> Result<Response> {
    let d1 = crate::db::open(env)?;
    let bank = bank_admin(req, env, &d1).await?;
    let body = http::json_body(req, 1024, http::Accepts::JsonOrEmpty).await?;
    let period = rules::period("period", period)?;
    check_close_body(&body)?;
    for _ in 0..CLOSE_ATTEMPTS {
        let now = runtime::now();
        // Read before the books: an entry booked after this read has a larger id, so the
        // close's guard (no entry for the period past `last_id`) refuses a statement computed
        // without it. Read after them, an entry landing in between passed the guard and was
        // missing from the frozen statement forever (review).
        let (first, last_id) = db::close_facts(&d1, &bank, period).await?;
        let books = db::books(&d1, &bank, None)
            .await?
            .ok_or_else(|| Problem::new(ProblemCode::NotFound, "no such bank"))?;
        if books.last_closed.is_some_and(|l| period <= l) && db::is_closed(&d1, &bank, period).await? {
            let frozen = books
                .partners
                .values()
                .flat_map(|(frozen, _)| frozen.iter().filter(|s| s.period == period).cloned())
                .collect();
            return Ok(http::json(200, &Statements { statements: frozen })?);
        }
        check_close(&books.zone, period, now, books.last_closed, first).map_err(Problem::from)?;
        let statements: Vec<Statement> = books
            .partners
            .values()
            .filter_map(|(_, account)| {
                let mut s = account
                    .open_statements(period)
                    .into_iter()
                    .find(|s| s.period == period)?;
                s.state = PeriodState::Closed { closed_at: now };
                Some(s)
            })
            .collect();
        let close_id = runtime::new_id()?;
        let won = db::close(
            &d1,
            &Close {
                bank_id: &bank,
                period,
                now,
                close_id: &close_id,
                last_id,
                last_closed: books.last_closed,
                statements: &statements,
            },
        )
        .await?;
        if won {
            return Ok(http::json(201, &Statements { statements })?);
        }
    }
    Err(Problem::new(
        ProblemCode::PeriodCloseConflict,
        "entries kept landing in the period while it was being closed; nothing was closed, try again",
    )
    .into())
}

/// `POST /v1/statements/{period}/paid` `{"partner", "reference"}`: the bank paid a partner's
/// closed statement under its own reference. 200 with the statement, the same reference again
/// too (a retry pays nothing twice); another reference is `409 period_already_paid`.
pub async fn pay(req: &mut Request, env: &Env, period: &str) -> Result<Response> {
    let d1 = crate::db::open(env)?;
    let bank = bank_admin(req, env, &d1).await?;
    let body = http::json_body(req, 4096, http::Accepts::Json).await?;
    let period = rules::period("period", period)?;
    let pay = PayRequest::parse(&body)?;
    let Some(s) = db::pay(&d1, &bank, &pay.partner, period, &pay.reference, runtime::now()).await? else {
        if db::is_closed(&d1, &bank, period).await? {
            return Err(rules::no_statement(&pay.partner, period).into());
        }
        return Err(Problem::from(SettleError::NotClosed { period }).into());
    };
    match &s.state {
        PeriodState::Paid { reference, .. } if *reference != pay.reference => {
            Err(Problem::from(SettleError::AlreadyPaid {
                period,
                reference: reference.clone(),
            })
            .into())
        }
        _ => Ok(http::json(200, &s)?),
    }
}
