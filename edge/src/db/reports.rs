//! The report rollups' reads (edge/migrations/0006, 0007, 0011, 0024, 0026): whose key a request carries,
//! whether a bank has a partner, and a report's parts and answers in one D1 batch. Core decides
//! which rows and sources (`inflow_core::report::scope`) and folds what is read
//! (`inflow_core::report::fold`); the long queries are the `.sql` files in `reports/`, whose
//! `{…}` slots are filled only with fixed strings and integers core computed, never request text.

use inflow_core::report::fold::{self, AnswerCount, Part};
use inflow_core::report::metric::LEFT_OUT_COLUMN;
use inflow_core::report::scope::{Rows, Source};
use inflow_core::report::tags::{self, Tag};
use inflow_core::report::{utc_days, DropOff, GroupBy, Metric, ReportQuery, ReportRow, Scope, Zone};
use serde::de::DeserializeOwned;
use worker::{D1Database, D1PreparedStatement, D1Result, Result};

use super::{query, Arg, Count};

const BUCKETS: &str = include_str!("reports/buckets.sql");
const BANK_BUCKETS: &str = include_str!("reports/bank_buckets.sql");
const DAYS_AND_EDGES: &str = include_str!("reports/days_and_edges.sql");
const ANSWERS: &str = include_str!("reports/answers.sql");
const TAGS: &str = include_str!("reports/tags.sql");

/// A bank sees its own clicks and conversions, and the funnel of every partner it has a
/// campaign with (funnel rows carry no bank: `bank_id = ''`); ?4 narrows to one partner.
const BANK_ROWS: &str =
    "(bank_id = ?1 OR (bank_id = '' AND partner_id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)))";
const BANK_PARTNER_ROWS: &str = "partner_id = ?4 AND (bank_id = ?1 OR (bank_id = '' \
     AND partner_id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)))";

/// The rows D1 read for one request, added up statement by statement (`meta.rows_read`).
#[derive(Default)]
pub struct Reads(pub u64);

impl Reads {
    fn count(&mut self, result: &D1Result) -> Result<()> {
        if let Some(meta) = result.meta()? {
            self.0 += meta.rows_read.unwrap_or(0) as u64;
        }
        Ok(())
    }

    /// Runs `stmt` and returns its rows, counting what D1 read for it.
    async fn all<T: DeserializeOwned>(&mut self, stmt: D1PreparedStatement) -> Result<Vec<T>> {
        let result = stmt.all().await?;
        self.count(&result)?;
        result.results()
    }
}

/// Whether `bank` has a campaign with `partner`.
pub async fn bank_has_partner(db: &D1Database, bank: &str, partner: &str, reads: &mut Reads) -> Result<bool> {
    let sql = "SELECT COUNT(*) AS n FROM campaigns WHERE bank_id = ?1 AND partner_id = ?2";
    let counts: Vec<Count> = reads.all(query(db, sql, &[bank.into(), partner.into()])?).await?;
    Ok(counts.first().is_some_and(|c| c.n > 0.0))
}

/// The grouping expression. Buckets are unix seconds on half-hour edges, and the query was
/// refused unless every offset in force over `[start, end)` and every change of offset is whole
/// half hours, so a bucket lies within one local day: the day of `bucket + ` the offset in
/// force at it. The zone's transitions are looked up once for the range, not per bucket.
fn group_expr(g: GroupBy, zone: &Zone, start: i64, end: i64) -> String {
    match g {
        GroupBy::Day => {
            let offset = match zone.offsets(start, end).as_slice() {
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
        GroupBy::Tag(_) => "value".into(),
    }
}

/// Every summed rollup column ([`Metric::rollup_columns`], in its order) as `SUM(c) AS c` when
/// `read` holds for its metric, else `0 AS c`: each part of a UNION has the same columns. The
/// left-out count goes with the conversions.
fn sums(read: impl Fn(Metric) -> bool) -> String {
    let columns: Vec<String> = Metric::stored()
        .filter_map(|m| m.column().map(|c| (read(m), c)))
        .chain([(read(Metric::Conversions), LEFT_OUT_COLUMN)])
        .map(|(read, c)| {
            if read {
                format!("SUM({c}) AS {c}")
            } else {
                format!("0 AS {c}")
            }
        })
        .collect();
    columns.join(", ")
}

/// The report's rows and its drop-off, read in one D1 batch.
pub async fn report(
    db: &D1Database,
    scope: &Scope,
    q: &ReportQuery,
    reads: &mut Reads,
) -> Result<(Vec<ReportRow>, DropOff)> {
    let rows = scope.rows(q.partner.as_deref());
    let (d0, d1) = utc_days(q.start, q.end);
    let source = scope.source(q.group_by, q.partner.as_deref());
    let tag = match source {
        Source::Tags(tag) => Some(tag),
        _ => None,
    };
    // ?1 the scope's id, ?2 and ?3 the range, ?4 the partner a bank narrows to ('' if none),
    // ?5 and ?6 the whole UTC days in the range, ?7 the tag a report is by ('' if none). A
    // statement binds up to the last it uses.
    let params: [Arg; 7] = [
        scope.id().into(),
        q.start.into(),
        q.end.into(),
        scope.narrowed_to(q.partner.as_deref()).unwrap_or_default().into(),
        d0.into(),
        d1.into(),
        tag.map_or("", Tag::key).into(),
    ];
    let which = match rows {
        Rows::Partner => "partner_id = ?1",
        Rows::Bank => BANK_ROWS,
        Rows::BankPartner => BANK_PARTNER_ROWS,
    };
    let (template, used) = match source {
        Source::Buckets if rows == Rows::BankPartner => (BUCKETS, 4),
        Source::Buckets => (BUCKETS, 3),
        Source::BankBuckets => (BANK_BUCKETS, 3),
        Source::DaysAndEdgeBuckets => (DAYS_AND_EDGES, 6),
        Source::Tags(_) => (TAGS, 7),
    };
    let group = group_expr(q.group_by, &q.zone, q.start, q.end);
    // Every rollup holds payouts by conversion date (the conversions' by status) and by ledger
    // date (the entries', 0024 and 0026) in columns of their own: a report sums those its
    // `payout_date` shows, and the others are 0.
    let parts_sql = template
        .replace("{group}", &group)
        .replace("{sums}", &sums(|m| q.payout_date.reports(m)))
        .replace("{rows}", which);
    let owner = match rows {
        Rows::Partner => "bank_id = '' AND partner_id = ?1",
        Rows::Bank => "bank_id = ?1 AND partner_id = ''",
        Rows::BankPartner => {
            "bank_id = '' AND partner_id = ?4 \
             AND EXISTS (SELECT 1 FROM campaigns WHERE bank_id = ?1 AND partner_id = ?4)"
        }
    };
    let answers_sql = ANSWERS.replace("{owner}", owner);
    let results = db
        .batch(vec![
            query(db, parts_sql, &params[..used])?,
            query(db, answers_sql, &params[..6])?,
        ])
        .await?;
    let [parts, answers] = results.as_slice() else {
        return Err(worker::Error::RustError(
            "D1 answered a batch of two with another count".into(),
        ));
    };
    reads.count(parts)?;
    reads.count(answers)?;
    let (rows, opened) = fold::rows(parts.results::<Part>()?);
    let rows = if tag.is_some() { tags::finish(rows) } else { rows };
    Ok((rows, fold::drop_off(opened, answers.results::<AnswerCount>()?)))
}
