//! The bank postback API: what `POST /v1/conversions` and its reversal accept and answer.

use serde::{Deserialize, Serialize};

use crate::api::{parse_object, Problem, ProblemCode};
use crate::conversion::attribution::Status;
use crate::support::time;

/// A postback is a few hundred bytes; larger bodies are refused before parsing.
pub const MAX_POSTBACK_BYTES: usize = 4 * 1024;
/// Which bank signed the request: the key to look its secret up by.
pub const BANK_HEADER: &str = "Inflow-Bank";
/// Amounts above a trillion yuan (in fen) are typos, not deposits.
const MAX_AMOUNT_MINOR: i64 = 100_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionRequest {
    pub click_id: String,
    pub event: String,
    pub external_id: String,
    /// An integer; as in JSON Schema, `5000000.0` is the integer 5000000 (a fraction is not).
    #[serde(deserialize_with = "crate::api::json_integer")]
    pub amount_minor: i64,
    pub currency: String,
    pub occurred_at: String,
}

/// A postback that passed every syntactic check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub click_id: String,
    pub event: String,
    pub external_id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub occurred_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionResponse {
    pub id: String,
    pub click_id: String,
    pub event: String,
    pub external_id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub occurred_at: String,
    pub received_at: String,
    pub status: Status,
    pub reason: Option<String>,
    pub payout_minor: i64,
    pub payout_currency: String,
    pub reversed_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

fn invalid(detail: &str) -> Problem {
    Problem::new(ProblemCode::InvalidField, detail)
}

fn too_large() -> Problem {
    Problem::new(
        ProblemCode::BodyTooLarge,
        format!("a postback is at most {MAX_POSTBACK_BYTES} bytes"),
    )
}

/// Click ids are the UUIDs the edge issued; anything else cannot be one.
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `e` is an event name as banks post it: snake_case (`a-z` and `_`), 1–32 characters.
pub fn is_event(e: &str) -> bool {
    (1..=32).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

impl Conversion {
    pub fn parse(body: &[u8]) -> Result<Conversion, Problem> {
        if body.len() > MAX_POSTBACK_BYTES {
            return Err(too_large());
        }
        let r: ConversionRequest = parse_object(body)?;
        if !is_valid_id(&r.click_id) {
            return Err(invalid("click_id is the inflow_click value the bank received"));
        }
        if !is_event(&r.event) {
            return Err(invalid("event is a snake_case name such as account_opened"));
        }
        let printable = r.external_id.bytes().all(|b| (0x21..0x7f).contains(&b));
        if !(1..=128).contains(&r.external_id.len()) || !printable {
            return Err(invalid("external_id is 1-128 printable ASCII characters"));
        }
        if !(0..=MAX_AMOUNT_MINOR).contains(&r.amount_minor) {
            return Err(invalid("amount_minor is a non-negative integer in minor units"));
        }
        if r.currency.len() != 3 || !r.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid("currency is an ISO 4217 code such as CNY"));
        }
        let occurred_at = time::parse_rfc3339(&r.occurred_at)
            .ok_or_else(|| invalid("occurred_at is an RFC 3339 time such as 2026-01-01T08:00:00+08:00"))?;
        Ok(Conversion {
            click_id: r.click_id,
            event: r.event,
            external_id: r.external_id,
            amount_minor: r.amount_minor,
            currency: r.currency,
            occurred_at,
        })
    }

    /// Refuses (400 `invalid_field`) a conversion said to happen after `now` (unix seconds),
    /// beyond the clock skew a signature is allowed ([`crate::conversion::signature::TOLERANCE_SECS`]).
    pub fn check_time(&self, now: i64) -> Result<(), Problem> {
        if self.occurred_at > now + crate::conversion::signature::TOLERANCE_SECS {
            return Err(invalid("occurred_at is in the future"));
        }
        Ok(())
    }

    /// Refuses (400 `invalid_field`) an amount in another currency than the campaign's: the
    /// commission's percentage is taken of the amount, so both must be in `settles_in`.
    pub fn check_currency(&self, settles_in: &str) -> Result<(), Problem> {
        if self.currency != settles_in {
            return Err(Problem::invalid_field(format!("this campaign settles in {settles_in}")));
        }
        Ok(())
    }
}

impl ReversalRequest {
    /// An empty body is a reversal without a reason.
    pub fn parse(body: &[u8]) -> Result<ReversalRequest, Problem> {
        if body.len() > MAX_POSTBACK_BYTES {
            return Err(too_large());
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(ReversalRequest::default());
        }
        let r: ReversalRequest = parse_object(body)?;
        if r.reason.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(invalid("reason is at most 200 characters"));
        }
        Ok(r)
    }
}

/// The answer to a reversal, given the conversion's status after the edge's conditional flip
/// (which changes only [`Status::REVERSIBLE`] statuses to `reversed`): a reversed conversion is
/// answered as is — just reversed, or by an earlier call — and any other status was never paid,
/// so there is nothing to reverse: `409 not_reversible`.
pub fn reversal_outcome(status_after: Status) -> Result<(), Problem> {
    match status_after {
        Status::Reversed => Ok(()),
        other => Err(Problem::new(
            ProblemCode::NotReversible,
            format!(
                "a {} conversion was never paid; only pending, approved and held ones can be reversed",
                other.as_str()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"click_id":"3f1c9a4e-8b2d-4c6f-9e1a-7d5b2c8f0a13","event":"funded","external_id":"ORD-1","amount_minor":5000000,"currency":"CNY","occurred_at":"2026-01-01T08:00:00+08:00"}"#;

    #[test]
    fn a_conversion_may_be_dated_up_to_the_signature_tolerance_ahead() {
        let c = Conversion::parse(GOOD.as_bytes()).expect("valid");
        let tolerance = crate::conversion::signature::TOLERANCE_SECS;
        assert_eq!(c.check_time(c.occurred_at), Ok(()));
        assert_eq!(c.check_time(c.occurred_at - tolerance), Ok(()));
        let early = c
            .check_time(c.occurred_at - tolerance - 1)
            .map_err(|p| (p.code, p.detail));
        assert_eq!(
            early,
            Err((ProblemCode::InvalidField, "occurred_at is in the future".into()))
        );
    }

    #[test]
    fn a_conversion_settles_in_its_campaigns_currency() {
        let c = Conversion::parse(GOOD.as_bytes()).expect("valid");
        assert_eq!(c.check_currency("CNY"), Ok(()));
        let other = c.check_currency("EUR").map_err(|p| (p.code, p.detail));
        assert_eq!(
            other,
            Err((ProblemCode::InvalidField, "this campaign settles in EUR".into()))
        );
    }

    #[test]
    fn parses_a_postback() {
        let c = Conversion::parse(GOOD.as_bytes()).expect("valid");
        assert_eq!((c.event.as_str(), c.occurred_at), ("funded", 1_767_225_600));
    }

    #[test]
    fn refuses_bad_postbacks_with_stable_codes() {
        let code = |b: &str| Conversion::parse(b.as_bytes()).map(|_| ()).map_err(|p| p.code);
        assert_eq!(code("{"), Err(ProblemCode::MalformedJson));
        assert_eq!(code(&GOOD.replace("5000000", "-1")), Err(ProblemCode::InvalidField));
        assert_eq!(code(&GOOD.replace("5000000", "1.5")), Err(ProblemCode::InvalidField));
        assert_eq!(code(&GOOD.replace("5000000", "1e300")), Err(ProblemCode::InvalidField));
        let whole = Conversion::parse(GOOD.replace("5000000", "5000000.0").as_bytes()).map(|c| c.amount_minor);
        assert_eq!(whole, Ok(5_000_000), "JSON Schema's integer includes 5000000.0");
        let exp = Conversion::parse(GOOD.replace("5000000", "5e6").as_bytes()).map(|c| c.amount_minor);
        assert_eq!(exp, Ok(5_000_000));
        assert_eq!(code(&GOOD.replace("CNY", "cny")), Err(ProblemCode::InvalidField));
        assert_eq!(code(&GOOD.replace("funded", "Funded!")), Err(ProblemCode::InvalidField));
        assert_eq!(code(&GOOD.replace("ORD-1", "ORD 1")), Err(ProblemCode::InvalidField));
        assert_eq!(
            code(&GOOD.replace("2026-01-01T08", "2026-02-30T08")),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(
            code(&GOOD.replace("3f1c9a4e", "../../x")),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(
            code(&GOOD.replace('}', r#","extra":1}"#)),
            Err(ProblemCode::InvalidField)
        );
        let huge = GOOD.replace("ORD-1", &"X".repeat(MAX_POSTBACK_BYTES));
        assert_eq!(code(&huge), Err(ProblemCode::BodyTooLarge));
    }

    #[test]
    fn reversal_bodies() {
        assert_eq!(ReversalRequest::parse(b""), Ok(ReversalRequest::default()));
        let r = ReversalRequest::parse(br#"{"reason":"refund"}"#).expect("valid");
        assert_eq!(r.reason.as_deref(), Some("refund"));
        assert!(ReversalRequest::parse(br#"{"why":1}"#).is_err());
        let code = |b: &[u8]| ReversalRequest::parse(b).map(|_| ()).map_err(|p| p.code);
        assert_eq!(code(br#"["refund"]"#), Err(ProblemCode::InvalidField));
        assert_eq!(code(b"null"), Err(ProblemCode::InvalidField));
    }

    #[test]
    fn only_reversed_rows_answer_a_reversal() {
        assert_eq!(reversal_outcome(Status::Reversed), Ok(()));
        for s in [
            Status::Rejected,
            Status::OutOfWindow,
            Status::Pending,
            Status::Approved,
            Status::Held,
        ] {
            let p = reversal_outcome(s).expect_err("refused");
            assert_eq!((p.code, p.status), (ProblemCode::NotReversible, 409));
        }
    }

    #[test]
    fn a_postback_is_an_object() {
        let code = |b: &str| Conversion::parse(b.as_bytes()).map(|_| ()).map_err(|p| p.code);
        let array =
            r#"["3f1c9a4e-8b2d-4c6f-9e1a-7d5b2c8f0a13","funded","ORD-1",5000000,"CNY","2026-01-01T08:00:00+08:00"]"#;
        assert_eq!(code(array), Err(ProblemCode::InvalidField));
        assert_eq!(code("[\"x\","), Err(ProblemCode::MalformedJson));
    }
}
