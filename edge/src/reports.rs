//! `GET /v1/reports`: the funnel and the ledger for a partner (its own rows) or a bank (its own
//! partners and its own clicks and conversions), by day, scene, product, campaign or partner.
//!
//! Reports read the rollups that SQLite triggers keep up to date on every write: 30-minute
//! buckets per partner, bank, scene, product, campaign and conversion event, and per bank for a
//! bank's report by day (migration 0006); the same per UTC day (migration 0007). A report by day
//! reads the buckets and puts each in its local day with the offset in force at it (a day is 23
//! or 25 hours when the clocks change; core refuses zones whose local days are not whole
//! buckets). A report by scene,
//! product, campaign or partner reads the UTC days that lie wholly in its range, and buckets only
//! for the partial days at its two edges (a zone's midnight is not UTC's). A 90-day report reads
//! thousands of rows however many events there are, and is as fresh as the last write.

use std::collections::BTreeMap;

use inflow_core::questionnaire;
use inflow_core::report::row::to_csv;
use inflow_core::report::{
    key_hash, DropOff, Format, GroupBy, QuestionReached, ReportQuery, ReportResponse, ReportRow, Zone,
};
use inflow_core::{Problem, ProblemCode, Scene};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1PreparedStatement, Env, Headers, Request, Response, Result};

use crate::error::EdgeError;
use crate::{bench, http};

/// The response header that carries the rows D1 read for the request (`meta.rows_read`, summed
/// over its statements), sent only when the bench routes are on (`BENCH_ROUTES=1`, never in
/// production): `cargo xtask bench` budgets reports on it, as it does not vary by machine.
pub const ROWS_READ_HEADER: &str = "inflow-d1-rows-read";

/// The rows D1 read for one request, added up statement by statement.
#[derive(Default)]
struct Reads(u64);

impl Reads {
    /// Runs `stmt` and returns its rows, counting what D1 read for it.
    async fn all<T: DeserializeOwned>(&mut self, stmt: D1PreparedStatement) -> Result<Vec<T>> {
        let result = stmt.all().await?;
        if let Some(meta) = result.meta()? {
            self.0 += meta.rows_read.unwrap_or(0) as u64;
        }
        result.results()
    }

    /// `resp` with the rows-read header when the bench asks for it.
    fn tag(&self, env: &Env, mut resp: Response) -> Result<Response> {
        if bench::enabled(env) {
            resp.headers_mut().set(ROWS_READ_HEADER, &self.0.to_string())?;
        }
        Ok(resp)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Partner(String),
    Bank(String),
}

/// A bank sees its own clicks and conversions, and the funnel of every partner it has a
/// campaign with (funnel rows carry no bank: `bank_id = ''`).
const BANK_ROWS: &str =
    "(bank_id = ?1 OR (bank_id = '' AND partner_id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)))";
const BANK_PARTNER_ROWS: &str = "partner_id = ?4 AND (bank_id = ?1 OR (bank_id = '' \
     AND partner_id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)))";

impl Scope {
    fn id(&self) -> &str {
        match self {
            Scope::Partner(id) | Scope::Bank(id) => id,
        }
    }

    /// The condition on a report's rows in report_rollup and report_daily_rollup: ?1 is the
    /// scope's id and ?4 the partner a bank narrows its report to. A partner key can only name
    /// itself (checked before).
    fn rows(&self, q: &ReportQuery) -> &'static str {
        match (self, q.partner.is_some()) {
            (Scope::Partner(_), _) => "partner_id = ?1",
            (Scope::Bank(_), true) => BANK_PARTNER_ROWS,
            (Scope::Bank(_), false) => BANK_ROWS,
        }
    }
}

#[derive(Deserialize)]
struct KeyRow {
    kind: String,
    id: String,
}

/// Whose report key the request carries: a partner's or a bank's, in one D1 round trip. Keys
/// are the legacy hashes of `partners`/`banks` and the report keys of `api_keys` (issue 13)
/// that are neither revoked nor expired.
async fn scope(req: &Request, env: &Env, reads: &mut Reads) -> Result<Option<Scope>> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    let Some(key) = inflow_core::api::bearer_token(&header) else {
        return Ok(None);
    };
    let stmt = env
        .d1("DB")?
        .prepare(
            "SELECT 'partner' AS kind, id FROM partners WHERE report_key_hash = ?1 \
             UNION ALL SELECT 'bank', id FROM banks WHERE report_key_hash = ?1 \
             UNION ALL SELECT CASE kind WHEN 'partner_report' THEN 'partner' ELSE 'bank' END, \
             COALESCE(partner_id, bank_id) FROM api_keys WHERE hash = ?1 \
             AND kind IN ('bank_report', 'partner_report') AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > ?2)",
        )
        .bind(&[key_hash(key).into(), JsValue::from_f64(crate::runtime::now() as f64)])?;
    let row: Option<KeyRow> = reads.all(stmt).await?.into_iter().next();
    Ok(row.map(|r| match r.kind.as_str() {
        "partner" => Scope::Partner(r.id),
        _ => Scope::Bank(r.id),
    }))
}

fn problem(code: ProblemCode, detail: &str) -> std::result::Result<Response, EdgeError> {
    Err(Problem::new(code, detail).into())
}

pub async fn serve(req: &Request, env: &Env) -> std::result::Result<Response, EdgeError> {
    let mut reads = Reads::default();
    match answer(req, env, &mut reads).await {
        Ok(resp) => Ok(reads.tag(env, resp)?),
        Err(e) if bench::enabled(env) => Err(e.with_header(ROWS_READ_HEADER, reads.0.to_string())),
        Err(e) => Err(e),
    }
}

async fn answer(req: &Request, env: &Env, reads: &mut Reads) -> std::result::Result<Response, EdgeError> {
    let Some(scope) = scope(req, env, reads).await? else {
        return problem(ProblemCode::Unauthorized, "send Authorization: Bearer <report key>");
    };
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let accept = req.headers().get("accept")?.unwrap_or_default();
    let q = match ReportQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &accept) {
        Ok(q) => q,
        Err(p) => return Err(p.into()),
    };
    match (&scope, q.group_by, q.partner.as_deref()) {
        (Scope::Partner(_), GroupBy::Partner, _) => {
            return problem(ProblemCode::Forbidden, "a partner key sees its own rows only");
        }
        (Scope::Partner(me), _, Some(other)) if other != me => {
            return problem(ProblemCode::Forbidden, "a partner key sees its own rows only");
        }
        (Scope::Bank(bank), _, Some(p)) if !bank_has_partner(env, bank, p, reads).await? => {
            return problem(ProblemCode::Forbidden, "not one of this bank's partners");
        }
        _ => {}
    }
    let (rows, drop_off) = report(env, &scope, &q, reads).await?;
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
                rows,
                drop_off,
            },
        )?),
    }
}

#[derive(Deserialize)]
struct Count {
    n: f64,
}

async fn bank_has_partner(env: &Env, bank: &str, partner: &str, reads: &mut Reads) -> Result<bool> {
    let stmt = env
        .d1("DB")?
        .prepare("SELECT COUNT(*) AS n FROM campaigns WHERE bank_id = ?1 AND partner_id = ?2")
        .bind(&[bank.into(), partner.into()])?;
    let counts: Vec<Count> = reads.all(stmt).await?;
    Ok(counts.first().is_some_and(|c| c.n > 0.0))
}

/// The metrics of a rollup row besides the answers per question (`q_<question id>`).
const METRICS: [&str; 12] = [
    "impressions",
    "opens",
    "recommendations",
    "leads",
    "clicks",
    "conversions",
    "rejected",
    "value_minor",
    "payout_pending_minor",
    "payout_approved_minor",
    "payout_held_minor",
    "payout_reversed_minor",
];

/// One group and conversion event ('' for the funnel and clicks) of a report, summed.
#[derive(Deserialize)]
struct Part {
    grp: String,
    event: String,
    impressions: f64,
    opens: f64,
    recommendations: f64,
    leads: f64,
    clicks: f64,
    conversions: f64,
    rejected: f64,
    value_minor: f64,
    payout_pending_minor: f64,
    payout_approved_minor: f64,
    payout_held_minor: f64,
    payout_reversed_minor: f64,
    /// `q_<question id>`: answers to each question.
    #[serde(flatten)]
    answered: BTreeMap<String, f64>,
}

impl Part {
    /// This part's metrics as report columns; its conversions count under its event.
    fn metrics(&self) -> ReportRow {
        let conversions = self.conversions as u64;
        ReportRow {
            impressions: self.impressions as u64,
            chats_opened: self.opens as u64,
            recommendations_shown: self.recommendations as u64,
            qualified_leads: self.leads as u64,
            clicks: self.clicks as u64,
            conversions,
            conversions_by_event: (conversions > 0)
                .then(|| (self.event.clone(), conversions))
                .into_iter()
                .collect(),
            conversion_value_minor: self.value_minor as i64,
            payout_pending_minor: self.payout_pending_minor as i64,
            payout_approved_minor: self.payout_approved_minor as i64,
            payout_held_minor: self.payout_held_minor as i64,
            payout_reversed_minor: self.payout_reversed_minor as i64,
            ..Default::default()
        }
    }
}

/// The grouping expression — fixed strings and integers core computed, never text from the
/// request. Buckets are unix seconds on half-hour edges, and the query was refused unless every
/// offset in force over `[start, end)` and every change of offset is whole half hours, so a
/// bucket lies within one local day: the day of `bucket + ` the offset in force at it.
fn group_expr(g: GroupBy, zone: &Zone, start: i64, end: i64) -> String {
    match g {
        GroupBy::Day => {
            let offsets = zone.offsets(start, end);
            let offset = match offsets.as_slice() {
                [(_, only)] => only.to_string(),
                [rest @ .., (_, last)] => {
                    let arms: String = rest
                        .iter()
                        .map(|(until, offset)| format!(" WHEN bucket < {until} THEN {offset}"))
                        .collect();
                    format!("CASE{arms} ELSE {last} END")
                }
                [] => "0".into(),
            };
            format!("date(bucket + {offset}, 'unixepoch')")
        }
        GroupBy::Scene => "scene".into(),
        GroupBy::Product => "product_id".into(),
        GroupBy::Campaign => "campaign_id".into(),
        GroupBy::Partner => "partner_id".into(),
    }
}

/// The whole UTC days in [start, end): from the first UTC midnight at or after `start` to the
/// last at or before `end`; both `end` when there is none, so the buckets cover the range.
fn utc_days(start: i64, end: i64) -> (i64, i64) {
    const DAY: i64 = 86_400;
    let d0 = (start + DAY - 1).div_euclid(DAY) * DAY;
    let d1 = end.div_euclid(DAY) * DAY;
    if d0 < d1 {
        (d0, d1)
    } else {
        (end, end)
    }
}

/// The report's rows, and the per-question drop-off: how many chats reached each question
/// (answered it), in the order questions are asked (age first), beside how many were opened.
async fn report(env: &Env, scope: &Scope, q: &ReportQuery, reads: &mut Reads) -> Result<(Vec<ReportRow>, DropOff)> {
    let which = scope.rows(q);
    let sums: Vec<String> = METRICS
        .iter()
        .map(|m| format!("SUM({m}) AS {m}"))
        .chain(
            questionnaire::ALL
                .iter()
                .map(|qn| format!("SUM(q_{0}) AS q_{0}", qn.id)),
        )
        .collect();
    let select = format!(
        "SELECT {g} AS grp, event, {sums}",
        g = group_expr(q.group_by, &q.zone, q.start, q.end),
        sums = sums.join(", "),
    );
    let mut params = vec![
        scope.id().into(),
        JsValue::from_f64(q.start as f64),
        JsValue::from_f64(q.end as f64),
    ];
    // ?4: the partner a bank narrows its report to; ?5 and ?6: the whole UTC days in the range,
    // for groupings other than by day.
    let partner = match (scope, q.partner.as_deref()) {
        (Scope::Bank(_), Some(p)) => Some(p),
        _ => None,
    };
    let days = (q.group_by != GroupBy::Day).then(|| utc_days(q.start, q.end));
    if partner.is_some() || days.is_some() {
        params.push(partner.unwrap_or_default().into());
    }
    let sql = match (scope, days) {
        // The whole UTC days [?5, ?6) and the buckets of the partial days before and after; the
        // loop below adds up a group's parts.
        (_, Some((d0, d1))) => {
            params.push(JsValue::from_f64(d0 as f64));
            params.push(JsValue::from_f64(d1 as f64));
            format!(
                "{select} FROM report_daily_rollup WHERE {which} AND day >= ?5 AND day < ?6 \
                 GROUP BY grp, event \
                 UNION ALL {select} FROM report_rollup WHERE {which} AND bucket >= ?2 AND bucket < ?5 \
                 GROUP BY grp, event \
                 UNION ALL {select} FROM report_rollup WHERE {which} AND bucket >= ?6 AND bucket < ?3 \
                 GROUP BY grp, event"
            )
        }
        // A bank's report by day has a rollup of its own, unless narrowed to a partner.
        (Scope::Bank(_), None) if partner.is_none() => format!(
            "{select} FROM report_bank_rollup WHERE bank_id = ?1 AND bucket >= ?2 AND bucket < ?3 \
             GROUP BY grp, event"
        ),
        (_, None) => format!(
            "{select} FROM report_rollup WHERE {which} AND bucket >= ?2 AND bucket < ?3 \
             GROUP BY grp, event"
        ),
    };
    let parts: Vec<Part> = reads.all(env.d1("DB")?.prepare(sql).bind(&params)?).await?;

    // Each group with whether anything happened in it (a rejected conversion counts too).
    let mut groups: BTreeMap<String, (ReportRow, bool)> = BTreeMap::new();
    let mut opened = 0;
    let mut answered: BTreeMap<String, u64> = BTreeMap::new();
    for p in parts {
        let (row, seen) = groups.entry(p.grp.clone()).or_insert_with(|| {
            let row = ReportRow {
                group: p.grp.clone(),
                ..Default::default()
            };
            (row, false)
        });
        row.add(&p.metrics());
        *seen |= p.impressions + p.opens + p.recommendations + p.leads + p.clicks + p.conversions + p.rejected > 0.0;
        opened += p.opens as u64;
        for (column, n) in p.answered {
            *answered.entry(column).or_default() += n as u64;
        }
    }
    let rows = groups
        .into_values()
        .filter(|(_, seen)| *seen)
        .map(|(row, _)| row)
        .collect();
    // Age is always first; the rest follow the education scene's order as a stable reference.
    let questions = questionnaire::script(Scene::Education)
        .iter()
        .map(|qn| QuestionReached {
            question: qn.id.into(),
            answered: answered.get(&format!("q_{}", qn.id)).copied().unwrap_or(0),
        })
        .collect();
    Ok((rows, DropOff { opened, questions }))
}
