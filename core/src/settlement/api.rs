//! The settlement routes' requests and answers (issue 15): `GET /v1/ledger`,
//! `GET /v1/statements`, `POST /v1/statements/{period}/close` and `…/paid`. Parsing and the
//! problems they answer live here; the edge reads and writes D1.

use serde::{Deserialize, Serialize};

use crate::api::{Problem, ProblemCode};
use crate::report::Format;
use crate::settlement::book::{check_reference, Booked, SettleError};
use crate::settlement::period::Period;
use crate::settlement::statement::Statement;

/// `GET /v1/ledger`'s page size when `limit` is absent.
pub const DEFAULT_LEDGER_LIMIT: u32 = 100;
/// The largest `limit`.
pub const MAX_LEDGER_LIMIT: u32 = 1_000;
/// The most months `GET /v1/statements` answers per account.
pub const MAX_STATEMENT_MONTHS: usize = 120;

fn invalid(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::InvalidField, detail)
}

/// The query parameters of a settlement read: each at most once, none unknown.
fn params<'a, const N: usize>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    names: [&str; N],
) -> Result<[Option<&'a str>; N], Problem> {
    let mut out = [None; N];
    for (k, v) in pairs {
        let k: String = k.chars().take(32).collect();
        let i = names.iter().position(|n| *n == k).ok_or_else(|| {
            invalid(format!(
                "unknown parameter '{k}' (this route takes {})",
                names.join(", ")
            ))
        })?;
        if out[i].replace(v).is_some() {
            return Err(invalid(format!("'{k}' is given twice")));
        }
    }
    Ok(out)
}

fn format(value: Option<&str>, accept: &str) -> Result<Format, Problem> {
    match value {
        Some("csv") => Ok(Format::Csv),
        Some("json") => Ok(Format::Json),
        None if accept.contains("text/csv") => Ok(Format::Csv),
        None => Ok(Format::Json),
        Some(_) => Err(invalid("format is json or csv")),
    }
}

fn id(name: &str, value: Option<&str>) -> Result<Option<String>, Problem> {
    match value {
        Some(v) if !crate::api::is_valid_partner_id(v) => Err(invalid(format!("{name} must be an id"))),
        v => Ok(v.map(String::from)),
    }
}

/// A period in a path or query (`YYYY-MM`).
///
/// # Errors
/// 400 `invalid_field` naming the rule.
pub fn period(name: &str, value: &str) -> Result<Period, Problem> {
    Period::parse(value).ok_or_else(|| invalid(format!("{name} is a month YYYY-MM from 1970-01 to 9999-11")))
}

/// `GET /v1/ledger?after=&limit=&partner=&bank=&format=`: entries after the cursor `after`
/// (the last entry id of the previous page), oldest first. A bank narrows to one `partner`, a
/// partner to one `bank`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerQuery {
    pub after: u64,
    /// 1–[`MAX_LEDGER_LIMIT`], default [`DEFAULT_LEDGER_LIMIT`].
    pub limit: u32,
    pub partner: Option<String>,
    pub bank: Option<String>,
    pub format: Format,
}

impl LedgerQuery {
    /// From query-string pairs and the Accept header (CSV when it asks for `text/csv`).
    ///
    /// # Errors
    /// 400 `invalid_cursor` (not a cursor this route gave), `invalid_limit`, `invalid_field`.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        accept: &str,
    ) -> Result<LedgerQuery, Problem> {
        let [after, limit, partner, bank, fmt] = params(pairs, ["after", "limit", "partner", "bank", "format"])?;
        let after = match after {
            None => 0,
            Some(a) => a
                .parse::<u64>()
                .ok()
                .filter(|n| *n < (1 << 53) && a.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    Problem::new(
                        ProblemCode::InvalidCursor,
                        "after is the `next` cursor of a ledger page",
                    )
                })?,
        };
        let limit = match limit {
            None => DEFAULT_LEDGER_LIMIT,
            Some(l) => l
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LEDGER_LIMIT).contains(n) && l.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    Problem::new(
                        ProblemCode::InvalidLimit,
                        format!("limit is a whole number from 1 to {MAX_LEDGER_LIMIT}"),
                    )
                })?,
        };
        Ok(LedgerQuery {
            after,
            limit,
            partner: id("partner", partner)?,
            bank: id("bank", bank)?,
            format: format(fmt, accept)?,
        })
    }
}

/// A page of the ledger: entries in id order; `next` is the cursor to ask with next (the last
/// entry's id, or the `after` asked with when the page is empty), so a poller keeps it and
/// asks again later; `has_more` says whether more entries are there now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub entries: Vec<Booked>,
    pub next: String,
    pub has_more: bool,
}

/// 403: the key is valid but not one that reads settlement (the operator's).
pub fn not_a_settlement_reader() -> Problem {
    Problem::new(
        ProblemCode::Forbidden,
        "the ledger and statements are read with a bank's or a partner's report key, or a bank admin key",
    )
}

/// 403: closing and paying periods takes the bank's admin key (a report key only reads).
pub fn not_a_bank_admin() -> Problem {
    Problem::new(ProblemCode::Forbidden, "a bank's admin key closes and pays its periods")
}

/// 404: the bank closed `period` but froze no statement for `partner` (nothing booked, no
/// balance), so there is nothing to pay.
pub fn no_statement(partner: &str, period: Period) -> Problem {
    Problem::new(
        ProblemCode::NotFound,
        format!("period {period} has no statement for partner {partner}"),
    )
}

/// 400: `partner` narrows a bank's reads, `bank` a partner's; the other one is not taken.
pub fn wrong_narrowing(name: &str) -> Problem {
    invalid(format!("'{name}' does not narrow this key's reads"))
}

/// `GET /v1/statements?from=&to=&partner=&bank=&format=`: statements of months `from`..=`to`
/// (`YYYY-MM`; default: every month with a statement, through the current month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementsQuery {
    pub from: Option<Period>,
    pub to: Option<Period>,
    pub partner: Option<String>,
    pub bank: Option<String>,
    pub format: Format,
}

impl StatementsQuery {
    /// From query-string pairs and the Accept header.
    ///
    /// # Errors
    /// 400 `invalid_field`: an unknown or repeated parameter, a month that is not `YYYY-MM`,
    /// `from` after `to`.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        accept: &str,
    ) -> Result<StatementsQuery, Problem> {
        let [from, to, partner, bank, fmt] = params(pairs, ["from", "to", "partner", "bank", "format"])?;
        let from = from.map(|f| period("from", f)).transpose()?;
        let to = to.map(|t| period("to", t)).transpose()?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(invalid("from must not be after to"));
            }
        }
        Ok(StatementsQuery {
            from,
            to,
            partner: id("partner", partner)?,
            bank: id("bank", bank)?,
            format: format(fmt, accept)?,
        })
    }

    /// Whether `period` is in the asked range.
    pub fn covers(&self, period: Period) -> bool {
        self.from.is_none_or(|f| period >= f) && self.to.is_none_or(|t| period <= t)
    }
}

/// `GET /v1/statements`' answer; a close answers the statements it froze the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statements {
    pub statements: Vec<Statement>,
}

/// `POST /v1/statements/{period}/paid`'s body: which partner's statement the bank paid, and
/// its own payment reference (1–128 readable characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    pub partner: String,
    pub reference: String,
}

impl PayRequest {
    /// # Errors
    /// 400 `malformed_json` / `invalid_field` (shape, partner id, reference).
    pub fn parse(body: &[u8]) -> Result<PayRequest, Problem> {
        let r: PayRequest = crate::api::parse_object(body)?;
        if !crate::api::is_valid_partner_id(&r.partner) {
            return Err(invalid("partner must be a partner id"));
        }
        check_reference(&r.reference)?;
        Ok(r)
    }
}

/// `POST /v1/statements/{period}/close`'s body: none, or an empty JSON object (`{}`); a close
/// takes no options, so anything else is refused rather than ignored (review: `{"dry_run":
/// true}` closed the month).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseRequest {}

/// Checks a close's body: empty (or only whitespace) or `{}`.
///
/// # Errors
/// 400 `malformed_json` (syntax) / `invalid_field` (not an object, or any field).
pub fn check_close_body(body: &[u8]) -> Result<(), Problem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    crate::api::parse_object::<CloseRequest>(body).map(|_| ())
}

impl From<SettleError> for Problem {
    fn from(e: SettleError) -> Problem {
        let code = match e {
            SettleError::NotOver { .. } => ProblemCode::PeriodNotOver,
            SettleError::OutOfOrder { .. } => ProblemCode::PeriodOutOfOrder,
            SettleError::NotClosed { .. } => ProblemCode::PeriodNotClosed,
            SettleError::AlreadyPaid { .. } => ProblemCode::PeriodAlreadyPaid,
            SettleError::InvalidReference(_) => ProblemCode::InvalidField,
            SettleError::WrongBook { .. } => ProblemCode::Internal,
        };
        Problem::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_query() {
        let q = LedgerQuery::parse([("after", "41"), ("limit", "2")], "").expect("ok");
        assert_eq!((q.after, q.limit, q.format), (41, 2, Format::Json));
        let csv = LedgerQuery::parse([], "text/csv").expect("ok");
        assert_eq!((csv.after, csv.limit, csv.format), (0, 100, Format::Csv));
        let code = |pairs: &[(&str, &str)]| LedgerQuery::parse(pairs.iter().copied(), "").map_err(|p| p.code);
        assert_eq!(code(&[("after", "-1")]), Err(ProblemCode::InvalidCursor));
        assert_eq!(code(&[("after", "+1")]), Err(ProblemCode::InvalidCursor));
        assert_eq!(code(&[("limit", "0")]), Err(ProblemCode::InvalidLimit));
        assert_eq!(code(&[("limit", "1001")]), Err(ProblemCode::InvalidLimit));
        assert_eq!(code(&[("limit", "5"), ("limit", "6")]), Err(ProblemCode::InvalidField));
        assert_eq!(code(&[("period", "2026-11")]), Err(ProblemCode::InvalidField));
        assert_eq!(code(&[("partner", "<x>")]), Err(ProblemCode::InvalidField));
    }

    #[test]
    fn statements_query() {
        let q = StatementsQuery::parse([("from", "2026-10"), ("to", "2026-11")], "").expect("ok");
        assert!(q.covers(period("p", "2026-11").expect("p")));
        assert!(!q.covers(period("p", "2026-12").expect("p")));
        let code = |pairs: &[(&str, &str)]| StatementsQuery::parse(pairs.iter().copied(), "").map_err(|p| p.code);
        assert_eq!(
            code(&[("from", "2026-12"), ("to", "2026-11")]),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(code(&[("from", "2026-13")]), Err(ProblemCode::InvalidField));
        assert_eq!(code(&[("to", "26-11")]), Err(ProblemCode::InvalidField));
    }

    #[test]
    fn a_close_takes_no_body_or_an_empty_object() {
        for ok in ["", " \n", "{}", " { } "] {
            assert_eq!(check_close_body(ok.as_bytes()).map_err(|p| p.status), Ok(()), "{ok:?}");
        }
        for (bad, code) in [
            ("{\"oops", ProblemCode::MalformedJson),
            ("[]", ProblemCode::InvalidField),
            ("{\"dry_run\":true}", ProblemCode::InvalidField),
            ("null", ProblemCode::InvalidField),
        ] {
            assert_eq!(check_close_body(bad.as_bytes()).map_err(|p| p.code), Err(code), "{bad}");
        }
    }

    #[test]
    fn pay_request_and_problems() {
        let ok = PayRequest::parse(br#"{"partner":"edu-demo","reference":"TX-1"}"#).expect("ok");
        assert_eq!(ok.reference, "TX-1");
        for bad in [
            r#"{"partner":"edu-demo","reference":""}"#,
            r#"{"partner":"edu-demo","reference":"a\u202eb"}"#,
            r#"{"partner":"edu-demo","reference":"\u200b"}"#,
            r#"{"partner":"edu-demo","reference":"\u200e\u2060\ue000"}"#,
            r#"{"partner":"edu demo","reference":"TX"}"#,
            r#"{"partner":"edu-demo","reference":"TX","amount":5}"#,
        ] {
            assert_eq!(
                PayRequest::parse(bad.as_bytes()).map_err(|p| p.status),
                Err(400),
                "{bad}"
            );
        }
        let p = period("p", "2026-11").expect("p");
        let problem = Problem::from(SettleError::NotClosed { period: p });
        assert_eq!((problem.code, problem.status), (ProblemCode::PeriodNotClosed, 409));
    }
}
