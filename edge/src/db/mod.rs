//! D1: every statement the edge runs lives under this module, one module per table group; no
//! `.prepare(` elsewhere. Statements are parameterised only, their values bound through
//! [`query`], and long SQL sits in a `.sql` file beside its module (`include_str!`).

pub mod audit;
pub mod bank_leads;
pub mod clicks;
pub mod erasure;
pub mod events;
pub mod keys;
pub mod leads;
pub mod ledger;
pub mod offer;
pub mod partners;
pub mod reports;
pub mod secrets;
pub mod settlement;
pub mod tenants;
pub mod webhooks;

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env, Result};

/// The D1 binding's name in `wrangler.toml`.
const BINDING: &str = "DB";

/// The database.
pub fn open(env: &Env) -> Result<D1Database> {
    env.d1(BINDING)
}

/// One value bound to a statement's `?N`.
///
/// D1 receives JS numbers (f64), so an integer is exact only within ±(2^53 − 1); [`query`]
/// refuses a larger one rather than round it. Every integer the edge stores (unix seconds,
/// minor units ≤ 10^14, counts, flags) is far inside that range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

impl From<f64> for Arg<'_> {
    fn from(x: f64) -> Self {
        Arg::Real(x)
    }
}

/// SQLite has no booleans: 1 or 0.
impl From<bool> for Arg<'_> {
    fn from(b: bool) -> Self {
        Arg::Int(i64::from(b))
    }
}

/// `None` is SQL NULL.
impl<'a, T: Into<Arg<'a>>> From<Option<T>> for Arg<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Null, Into::into)
    }
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_EXACT: i64 = (1 << 53) - 1;

impl Arg<'_> {
    fn to_js(self) -> Result<JsValue> {
        Ok(match self {
            Arg::Null => JsValue::NULL,
            Arg::Int(n) if (-MAX_EXACT..=MAX_EXACT).contains(&n) => JsValue::from_f64(n as f64),
            Arg::Int(n) => return Err(worker::Error::RustError(format!("{n} is not exact as a D1 number"))),
            Arg::Real(x) => JsValue::from_f64(x),
            Arg::Text(s) => JsValue::from_str(s),
        })
    }
}

/// `sql` with `args` bound to `?1`, `?2`, … in order: the one way the edge binds values.
pub fn query(db: &D1Database, sql: impl Into<String>, args: &[Arg<'_>]) -> Result<D1PreparedStatement> {
    let values = args.iter().map(|a| a.to_js()).collect::<Result<Vec<_>>>()?;
    db.prepare(sql).bind(&values)
}

/// Whether a `SELECT COUNT(*) AS n …` statement counted anything.
pub async fn counts_any(stmt: D1PreparedStatement) -> Result<bool> {
    let row: Option<Count> = stmt.first(None).await?;
    Ok(row.is_some_and(|r| r.n > 0.0))
}

/// A `COUNT(*) AS n` row; D1 returns numbers as JS numbers.
#[derive(Deserialize)]
pub struct Count {
    pub n: f64,
}
