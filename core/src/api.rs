//! What crosses the wire between widget and edge, and the problem+json errors (RFC 9457).

use serde::{Deserialize, Serialize};

use crate::catalogue::ProductKind;
use crate::i18n::Lang;
use crate::profile::AnswerError;
use crate::questionnaire::Answers;
use crate::scene::Scene;

/// Larger lead bodies are refused before parsing: a lead is a few hundred bytes.
pub const MAX_LEAD_BYTES: usize = 16 * 1024;
const MAX_ATTR_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadRequest {
    pub partner: String,
    pub scene: Scene,
    #[serde(default)]
    pub lang: Lang,
    pub answers: Answers,
    /// utm_source, utm_medium, … and the partner's sub-id, as found on the host page.
    #[serde(default)]
    pub attribution: crate::pairs::Pairs,
    /// Present only when the visitor agreed to be contacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<crate::consent::ConsentRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadResponse {
    pub lead_id: String,
    pub risk_tolerance: String,
    pub recommendations: Vec<Recommendation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub product_id: String,
    pub name: String,
    pub kind: ProductKind,
    pub risk: String,
    pub yield_bps: u32,
    pub term_months: u16,
    pub min_amount_cny: u64,
    pub reasons: Vec<String>,
    /// A bonus for acting quickly, worded for the visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive: Option<String>,
    /// Internal ranking figure; never sent to the browser.
    #[serde(skip)]
    pub expected_value: f32,
    pub url: String,
}

/// Stable, machine-readable error codes: clients switch on these, so they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    MalformedJson,
    InvalidField,
    BodyTooLarge,
    UnsupportedMediaType,
    UnknownPartner,
    InvalidAnswer,
    NotEligible,
    NotFound,
    MethodNotAllowed,
    Internal,
    InvalidSignature,
    StaleSignature,
    InvalidToken,
    TokenExpired,
    UnknownClick,
    RateLimited,
    OriginNotAllowed,
    IdempotencyInProgress,
    Unauthorized,
    Forbidden,
}

impl ProblemCode {
    pub fn status(self) -> u16 {
        match self {
            ProblemCode::MalformedJson | ProblemCode::InvalidField => 400,
            ProblemCode::BodyTooLarge => 413,
            ProblemCode::UnsupportedMediaType => 415,
            ProblemCode::UnknownPartner | ProblemCode::InvalidAnswer | ProblemCode::NotEligible => 422,
            ProblemCode::NotFound => 404,
            ProblemCode::MethodNotAllowed => 405,
            ProblemCode::Internal => 500,
            ProblemCode::InvalidSignature | ProblemCode::StaleSignature => 401,
            ProblemCode::InvalidToken => 400,
            ProblemCode::TokenExpired => 410,
            ProblemCode::UnknownClick => 422,
            ProblemCode::RateLimited => 429,
            ProblemCode::OriginNotAllowed => 403,
            ProblemCode::IdempotencyInProgress => 409,
            ProblemCode::Unauthorized => 401,
            ProblemCode::Forbidden => 403,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::MalformedJson => "malformed_json",
            ProblemCode::InvalidField => "invalid_field",
            ProblemCode::BodyTooLarge => "body_too_large",
            ProblemCode::UnsupportedMediaType => "unsupported_media_type",
            ProblemCode::UnknownPartner => "unknown_partner",
            ProblemCode::InvalidAnswer => "invalid_answer",
            ProblemCode::NotEligible => "not_eligible",
            ProblemCode::NotFound => "not_found",
            ProblemCode::MethodNotAllowed => "method_not_allowed",
            ProblemCode::Internal => "internal",
            ProblemCode::InvalidSignature => "invalid_signature",
            ProblemCode::StaleSignature => "stale_signature",
            ProblemCode::InvalidToken => "invalid_token",
            ProblemCode::TokenExpired => "token_expired",
            ProblemCode::UnknownClick => "unknown_click",
            ProblemCode::RateLimited => "rate_limited",
            ProblemCode::OriginNotAllowed => "origin_not_allowed",
            ProblemCode::IdempotencyInProgress => "idempotency_in_progress",
            ProblemCode::Unauthorized => "unauthorized",
            ProblemCode::Forbidden => "forbidden",
        }
    }
}

/// An `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    pub detail: String,
}

impl Problem {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        let title = code.as_str().replace('_', " ");
        Problem {
            kind: format!("https://inflow.dev/problems/{}", code.as_str()),
            title,
            status: code.status(),
            code,
            detail: detail.into(),
        }
    }
}

impl From<AnswerError> for Problem {
    fn from(e: AnswerError) -> Self {
        let code = match e {
            AnswerError::Underage => ProblemCode::NotEligible,
            _ => ProblemCode::InvalidAnswer,
        };
        Problem::new(code, e.to_string())
    }
}

/// A JSON body that did not parse: syntax errors and type errors get different codes so a
/// client can tell a broken encoder from a wrong field.
pub fn json_problem(e: &serde_json::Error) -> Problem {
    let code = match e.classify() {
        serde_json::error::Category::Data => ProblemCode::InvalidField,
        _ => ProblemCode::MalformedJson,
    };
    Problem::new(code, e.to_string())
}

/// Idempotency keys are client-chosen tokens (a UUID from the widget): 1–100 characters of
/// letters, digits, '-' and '_'.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (1..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Partner ids are short slugs; anything else is refused before it reaches storage or logs.
pub fn is_valid_partner_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl LeadRequest {
    /// Parses and checks a raw body. Syntax errors and type errors get different codes so a
    /// client can tell a broken encoder from a wrong field.
    pub fn parse(body: &[u8]) -> Result<LeadRequest, Problem> {
        if body.len() > MAX_LEAD_BYTES {
            return Err(Problem::new(
                ProblemCode::BodyTooLarge,
                format!("a lead is at most {MAX_LEAD_BYTES} bytes"),
            ));
        }
        let req: LeadRequest = serde_json::from_slice(body).map_err(|e| json_problem(&e))?;
        if !is_valid_partner_id(&req.partner) {
            return Err(Problem::new(
                ProblemCode::InvalidField,
                "partner must be a slug of a-z, 0-9 and '-'",
            ));
        }
        let too_long = req
            .attribution
            .iter()
            .any(|(k, v)| k.chars().count() > MAX_ATTR_CHARS || v.chars().count() > MAX_ATTR_CHARS);
        if req.attribution.len() > 16 || too_long {
            return Err(Problem::new(
                ProblemCode::InvalidField,
                "attribution has too many or too long values",
            ));
        }
        if let Some(consent) = &req.consent {
            consent
                .check()
                .map_err(|why| Problem::new(ProblemCode::InvalidField, why))?;
        }
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(extra: &str) -> String {
        format!(
            r#"{{"partner":"edu-demo","scene":"education","lang":"zh-Hans","answers":{{"age":"30_44","goal":"tuition","horizon":"gt_3y","amount":"50k_200k","loss":"hold"}}{extra}}}"#
        )
    }

    #[test]
    fn parses_a_lead() {
        let req = LeadRequest::parse(body("").as_bytes()).expect("valid");
        assert_eq!(req.scene, Scene::Education);
        assert_eq!(req.lang, Lang::ZhHans);
        assert_eq!(req.answers.len(), 5);
    }

    #[test]
    fn tells_syntax_from_type_errors() {
        let code = |b: &str| LeadRequest::parse(b.as_bytes()).map(|_| ()).map_err(|p| p.code);
        assert_eq!(code("{\"partner\":"), Err(ProblemCode::MalformedJson));
        assert_eq!(code("not json"), Err(ProblemCode::MalformedJson));
        assert_eq!(code(r#"{"partner":7}"#), Err(ProblemCode::InvalidField));
        assert_eq!(code(&body(r#","admin":true"#)), Err(ProblemCode::InvalidField));
        assert_eq!(
            code(&body("").replace("edu-demo", "<img src=x>")),
            Err(ProblemCode::InvalidField)
        );
        let huge = body(&format!(
            r#","attribution":{{"utm_source":"{}"}}"#,
            "x".repeat(MAX_LEAD_BYTES)
        ));
        assert_eq!(code(&huge), Err(ProblemCode::BodyTooLarge));
    }

    #[test]
    fn problems_serialise_with_stable_codes() {
        let p = Problem::new(ProblemCode::UnknownPartner, "no such partner");
        let v: serde_json::Value = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(v["code"], "unknown_partner");
        assert_eq!(v["status"], 422);
    }
}
