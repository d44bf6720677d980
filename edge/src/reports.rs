//! `GET /v1/reports`: the funnel and the ledger for a partner (its own rows) or a bank (its own
//! partners and its own clicks and conversions), by day, scene, product, campaign or partner.
//!
//! Rows are computed from the raw tables with indexed range scans; rollups for the
//! million-event scale are the next step (issue 6).

use std::collections::BTreeMap;

use inflow_core::report::row::to_csv;
use inflow_core::report::{key_hash, Format, GroupBy, ReportQuery, ReportRow};
use inflow_core::{Problem, ProblemCode};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Env, Headers, Request, Response, Result};

use crate::{http, storage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Partner(String),
    Bank(String),
}

impl Scope {
    fn id(&self) -> &str {
        match self {
            Scope::Partner(id) | Scope::Bank(id) => id,
        }
    }

    /// Rows that carry no bank (funnel events, leads): the partner's own, or the bank's partners'.
    fn funnel_filter(&self) -> &'static str {
        match self {
            Scope::Partner(_) => "partner_id = ?1",
            Scope::Bank(_) => "partner_id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)",
        }
    }

    /// Clicks and conversions carry their bank: a bank sees only its own.
    fn ledger_filter(&self) -> &'static str {
        match self {
            Scope::Partner(_) => "partner_id = ?1",
            Scope::Bank(_) => "bank_id = ?1",
        }
    }
}

/// Runs a report statement whose parameters are ?1 = the scope's id, ?2/?3 = [start, end) and
/// ?4 = the optional partner filter.
async fn scoped<T: serde::de::DeserializeOwned>(
    env: &Env,
    sql: String,
    scope: &Scope,
    q: &ReportQuery,
) -> Result<Vec<T>> {
    env.d1("DB")?
        .prepare(sql)
        .bind(&[
            scope.id().into(),
            JsValue::from_f64(q.start as f64),
            JsValue::from_f64(q.end as f64),
            q.partner.as_deref().map_or(JsValue::NULL, JsValue::from_str),
        ])?
        .all()
        .await?
        .results()
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

async fn scope(req: &Request, env: &Env) -> Result<Option<Scope>> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    let Some(key) = header.strip_prefix("Bearer ").map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let hash = key_hash(key);
    let db = env.d1("DB")?;
    let partner: Option<IdRow> = db
        .prepare("SELECT id FROM partners WHERE report_key_hash = ?1")
        .bind(&[hash.as_str().into()])?
        .first(None)
        .await?;
    if let Some(p) = partner {
        return Ok(Some(Scope::Partner(p.id)));
    }
    let bank: Option<IdRow> = db
        .prepare("SELECT id FROM banks WHERE report_key_hash = ?1")
        .bind(&[hash.as_str().into()])?
        .first(None)
        .await?;
    Ok(bank.map(|b| Scope::Bank(b.id)))
}

fn problem(code: ProblemCode, detail: &str) -> Result<Response> {
    Ok(http::problem(&Problem::new(code, detail)))
}

pub async fn serve(req: &Request, env: &Env) -> Result<Response> {
    let Some(scope) = scope(req, env).await? else {
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
        Err(p) => return Ok(http::problem(&p)),
    };
    match (&scope, q.group_by, q.partner.as_deref()) {
        (Scope::Partner(_), GroupBy::Partner, _) => {
            return problem(ProblemCode::Forbidden, "a partner key sees its own rows only");
        }
        (Scope::Partner(me), _, Some(other)) if other != me => {
            return problem(ProblemCode::Forbidden, "a partner key sees its own rows only");
        }
        (Scope::Bank(bank), _, Some(p)) if !bank_has_partner(env, bank, p).await? => {
            return problem(ProblemCode::Forbidden, "not one of this bank's partners");
        }
        _ => {}
    }
    let rows = rows(env, &scope, &q).await?;
    let drop_off = drop_off(env, &scope, &q).await?;
    let headers = Headers::new();
    headers.set("cache-control", "no-store")?;
    match q.format {
        Format::Csv => {
            headers.set("content-type", "text/csv; charset=utf-8; header=present")?;
            Ok(Response::ok(to_csv(&rows))?.with_headers(headers))
        }
        Format::Json => {
            let body = serde_json::json!({
                "from": q.from, "to": q.to, "tz": q.zone.name, "group_by": q.group_by.as_str(),
                "rows": rows,
                "drop_off": drop_off,
            });
            http::json(200, &body)
        }
    }
}

async fn bank_has_partner(env: &Env, bank: &str, partner: &str) -> Result<bool> {
    let stmt = env
        .d1("DB")?
        .prepare("SELECT COUNT(*) AS n FROM campaigns WHERE bank_id = ?1 AND partner_id = ?2")
        .bind(&[bank.into(), partner.into()])?;
    storage::counts_any(stmt).await
}

#[derive(Deserialize)]
struct Part {
    grp: Option<String>,
    metric: String,
    n: f64,
    v: f64,
    p: f64,
}

/// The grouping expression for a table whose time column is `ts` (unix seconds) — chosen from
/// fixed strings, never from the request.
fn group_expr(g: GroupBy, ts: &str, offset_secs: i64, product: &str, campaign: &str) -> String {
    match g {
        GroupBy::Day => format!("date({ts} + {offset_secs}, 'unixepoch')"),
        GroupBy::Scene => "scene".into(),
        GroupBy::Product => product.into(),
        GroupBy::Campaign => campaign.into(),
        GroupBy::Partner => "partner_id".into(),
    }
}

async fn rows(env: &Env, scope: &Scope, q: &ReportQuery) -> Result<Vec<ReportRow>> {
    let off = i64::from(q.zone.offset_minutes) * 60;
    let g = q.group_by;
    let (who_funnel, who_ledger) = (scope.funnel_filter(), scope.ledger_filter());
    let fe_ts = "CAST(strftime('%s', received_at) AS INTEGER)";
    let lead_ts = "CAST(strftime('%s', created_at) AS INTEGER)";
    let sql = format!(
        "SELECT grp, metric, SUM(n) AS n, SUM(v) AS v, SUM(p) AS p FROM (\
           SELECT {g_fe} AS grp, kind AS metric, 1 AS n, 0 AS v, 0 AS p FROM funnel_events \
             WHERE {who_funnel} AND (?4 IS NULL OR partner_id = ?4) AND {fe_ts} >= ?2 AND {fe_ts} < ?3 \
             AND kind IN ('impression', 'open', 'recommendation') \
           UNION ALL SELECT {g_lead}, 'lead', 1, 0, 0 FROM leads \
             WHERE {who_funnel} AND (?4 IS NULL OR partner_id = ?4) AND {lead_ts} >= ?2 AND {lead_ts} < ?3 \
           UNION ALL SELECT {g_click}, 'click', 1, 0, 0 FROM clicks \
             WHERE {who_ledger} AND (?4 IS NULL OR partner_id = ?4) AND created_at >= ?2 AND created_at < ?3 \
           UNION ALL SELECT {g_conv}, 'conversion:' || status || ':' || event, 1, amount_minor, payout_minor FROM conversions \
             WHERE {who_ledger} AND (?4 IS NULL OR partner_id = ?4) AND occurred_at >= ?2 AND occurred_at < ?3\
         ) GROUP BY grp, metric",
        g_fe = group_expr(g, fe_ts, off, "''", "''"),
        g_lead = group_expr(g, lead_ts, off, "''", "''"),
        g_click = group_expr(g, "created_at", off, "product_id", "campaign_id"),
        g_conv = group_expr(g, "occurred_at", off, "product_id", "campaign_id"),
    );
    let parts: Vec<Part> = scoped(env, sql, scope, q).await?;
    let mut by_group: BTreeMap<String, ReportRow> = BTreeMap::new();
    for part in parts {
        let group = part.grp.unwrap_or_default();
        let row = by_group.entry(group.clone()).or_insert_with(|| ReportRow {
            group,
            ..Default::default()
        });
        let (n, v, p) = (part.n as u64, part.v as i64, part.p as i64);
        match part.metric.as_str() {
            "impression" => row.impressions += n,
            "open" => row.chats_opened += n,
            "recommendation" => row.recommendations_shown += n,
            "lead" => row.qualified_leads += n,
            "click" => row.clicks += n,
            conversion => {
                let rest = conversion.trim_start_matches("conversion:");
                let (status, event) = rest.split_once(':').unwrap_or((rest, ""));
                if status != "rejected" {
                    row.conversions += n;
                    row.conversion_value_minor += v;
                    *row.conversions_by_event.entry(event.to_string()).or_default() += n;
                }
                match status {
                    "pending" => row.payout_pending_minor += p,
                    "approved" => row.payout_approved_minor += p,
                    "held" => row.payout_held_minor += p,
                    "reversed" => row.payout_reversed_minor += p,
                    _ => {}
                }
            }
        }
    }
    Ok(by_group.into_values().collect())
}

/// Per-question drop-off: how many chats reached each question (answered it), in the order
/// questions are asked (age first), beside how many chats were opened.
async fn drop_off(env: &Env, scope: &Scope, q: &ReportQuery) -> Result<serde_json::Value> {
    #[derive(Deserialize)]
    struct Count {
        key: Option<String>,
        n: f64,
    }
    let who_funnel = scope.funnel_filter();
    let ts = "CAST(strftime('%s', received_at) AS INTEGER)";
    let sql = format!(
        "SELECT CASE kind WHEN 'answer' THEN question ELSE kind END AS key, COUNT(*) AS n FROM funnel_events \
         WHERE {who_funnel} AND (?4 IS NULL OR partner_id = ?4) AND {ts} >= ?2 AND {ts} < ?3 \
         AND kind IN ('open', 'answer') GROUP BY key"
    );
    let counts: Vec<Count> = scoped(env, sql, scope, q).await?;
    let count = |k: &str| {
        counts
            .iter()
            .find(|c| c.key.as_deref() == Some(k))
            .map_or(0, |c| c.n as u64)
    };
    // Age is always first; the rest follow the education scene's order as a stable reference.
    let questions: Vec<serde_json::Value> = inflow_core::questionnaire::script(inflow_core::Scene::Education)
        .iter()
        .map(|question| serde_json::json!({ "question": question.id, "answered": count(question.id) }))
        .collect();
    Ok(serde_json::json!({ "opened": count("open"), "questions": questions }))
}
