//! What crosses the wire between widget and edge, and the problem+json errors (RFC 9457).

use serde::{Deserialize, Serialize};

use crate::lead::catalogue::ProductKind;
use crate::lead::profile::AnswerError;
use crate::lead::questionnaire::Answers;
use crate::lead::scene::Scene;
use crate::support::i18n::Lang;

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
    pub attribution: crate::support::pairs::Pairs,
    /// Present only when the visitor agreed to be contacted.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "object_field")]
    pub consent: Option<crate::lead::consent::ConsentRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadResponse {
    pub lead_id: String,
    pub risk_tolerance: String,
    pub recommendations: Vec<Recommendation>,
    /// Proves the lead is the visitor's to `POST /v1/leads/{id}/erasure`
    /// (`lead::erasure::token`); kept only in the visitor's session.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub erasure_token: String,
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
    /// Where the visitor goes: the edge's signed click-out link `/c/{token}` when a campaign
    /// pays for the product, else the bank's own page.
    pub url: String,
    /// The id of the bank that sells the product.
    pub bank_id: String,
    /// That bank's name in the lead's language.
    pub bank_name: String,
}

/// Declares [`ProblemCode`] from one table of (variant, wire code, HTTP status), so the enum,
/// its strings, its statuses and [`ProblemCode::ALL`] (from which the OpenAPI enum is checked)
/// cannot drift apart.
macro_rules! problem_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $status:literal;)+) => {
        /// Stable, machine-readable error codes: clients switch on these, so they never change
        /// meaning. `edge/openapi.json` lists exactly [`ProblemCode::ALL`] (a test checks it).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemCode {
            $($(#[$doc])* $variant,)+
        }

        impl ProblemCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)+];

            /// The HTTP status a problem with this code is answered with.
            pub fn status(self) -> u16 {
                match self {
                    $(ProblemCode::$variant => $status,)+
                }
            }

            /// The code on the wire (`snake_case`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)+
                }
            }
        }
    };
}

problem_codes! {
    MalformedJson = "malformed_json", 400;
    InvalidField = "invalid_field", 400;
    BodyTooLarge = "body_too_large", 413;
    UnsupportedMediaType = "unsupported_media_type", 415;
    UnknownPartner = "unknown_partner", 422;
    InvalidAnswer = "invalid_answer", 422;
    NotEligible = "not_eligible", 422;
    NotFound = "not_found", 404;
    MethodNotAllowed = "method_not_allowed", 405;
    Internal = "internal", 500;
    InvalidSignature = "invalid_signature", 401;
    StaleSignature = "stale_signature", 401;
    InvalidToken = "invalid_token", 400;
    TokenExpired = "token_expired", 410;
    UnknownClick = "unknown_click", 422;
    RateLimited = "rate_limited", 429;
    OriginNotAllowed = "origin_not_allowed", 403;
    IdempotencyInProgress = "idempotency_in_progress", 409;
    Unauthorized = "unauthorized", 401;
    Forbidden = "forbidden", 403;
    /// The Idempotency-Key was used before for a different request (another fingerprint).
    IdempotencyKeyReused = "idempotency_key_reused", 422;
    /// Only paid conversions (pending, approved, held) can be reversed.
    NotReversible = "not_reversible", 409;
    /// A tenant file (or part of one) the rules refuse: the detail names every object and
    /// reason (`products[3] "lotus-equity": deposits are R1`); nothing of it is written.
    InvalidTenant = "invalid_tenant", 422;
    /// The partner has no active campaign for the scene (or is unknown): nothing is offered
    /// there, no lead is taken and the widget shows nothing.
    NoCampaign = "no_campaign", 404;
    /// The visitor agreed to a consent text the bank has since replaced: the lead is not taken
    /// (its record would name a text no longer on file); the visitor must see the current one.
    ConsentOutdated = "consent_outdated", 409;
    /// Another apply of the same bank's tenant file landed between this one's read and its
    /// write: nothing of this one is written; read the bank again and re-apply.
    ApplyConflict = "apply_conflict", 409;
    /// `GET /v1/bank/leads`: `after` is not a cursor the route gave.
    InvalidCursor = "invalid_cursor", 400;
    /// `GET /v1/bank/leads`: `limit` is not a whole number from 1 to 500.
    InvalidLimit = "invalid_limit", 400;
    /// A webhook endpoint the rules refuse (its URL, events or limits): the detail says why.
    InvalidWebhook = "invalid_webhook", 422;
    /// `POST /v1/leads/{id}/erasure`: the token is not the lead's erasure token.
    InvalidErasureToken = "invalid_erasure_token", 403;
    /// `POST /v1/statements/{period}/close` before the period's last instant in the bank's zone.
    PeriodNotOver = "period_not_over", 409;
    /// Periods close in order: the detail names the period to close first.
    PeriodOutOfOrder = "period_out_of_order", 409;
    /// `POST /v1/statements/{period}/paid` for a period the bank has not closed.
    PeriodNotClosed = "period_not_closed", 409;
    /// The statement is already paid under another reference: a period is paid once.
    PeriodAlreadyPaid = "period_already_paid", 409;
    /// Entries kept arriving in the period while it was being closed: nothing was closed; retry.
    PeriodCloseConflict = "period_close_conflict", 409;
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

/// The refusals the edge answers, worded once: the edge names a refusal, core words it. The
/// admin API's refusals are beside its rules (`admin::api`); a refusal core decides (a bad
/// answer, a signature, a report scope) converts with `From` or is returned by the rule itself.
impl Problem {
    /// 404 with `what` as its detail (the named constructors below word it).
    pub(crate) fn not_found(what: &str) -> Self {
        Problem::new(ProblemCode::NotFound, what)
    }

    /// 404: no route matches the request's path.
    pub fn no_such_route() -> Self {
        Problem::not_found("no such route")
    }

    /// 404: a valid click-out link whose product or campaign is gone (`GET`/`HEAD /c/{token}`).
    pub fn offer_gone() -> Self {
        Problem::not_found("this offer is no longer available")
    }

    /// 404: a reversal names no conversion of the calling bank (an unknown id and another
    /// bank's answer the same, so conversion ids cannot be probed).
    pub fn unknown_conversion() -> Self {
        Problem::not_found("no conversion with this id for your bank")
    }

    /// 404: an erasure names no lead (the visitor's route), or no lead shown to the calling
    /// bank (the bank's: an unknown id and another bank's lead answer the same, so lead ids
    /// cannot be probed).
    pub fn unknown_lead() -> Self {
        Problem::not_found("no lead with this id")
    }

    /// 403: the erasure token is not this lead's (`lead::erasure::verify`).
    pub fn invalid_erasure_token() -> Self {
        Problem::new(
            ProblemCode::InvalidErasureToken,
            "the token is not this lead's erasure token (the lead answer's erasure_token)",
        )
    }

    /// 405 for a route that answers `allow` (the value of the `Allow` header sent with it).
    pub fn method_not_allowed(allow: &str) -> Self {
        Problem::new(ProblemCode::MethodNotAllowed, format!("this route answers {allow}"))
    }

    /// 413: the body is larger than `max` bytes.
    pub fn body_too_large(max: usize) -> Self {
        Problem::new(ProblemCode::BodyTooLarge, format!("at most {max} bytes"))
    }

    /// 415: the body's media type is not one the route reads (`expected` says which).
    pub fn unsupported_media_type(expected: &str) -> Self {
        Problem::new(ProblemCode::UnsupportedMediaType, format!("send {expected}"))
    }

    /// 500: a failure below the routes; its cause is logged, never sent.
    pub fn internal() -> Self {
        Problem::new(ProblemCode::Internal, "internal error")
    }

    /// 404 `no_campaign`: no bank offers anything to this partner for this scene.
    pub fn no_campaign() -> Self {
        Problem::new(ProblemCode::NoCampaign, "no active campaign for this partner and scene")
    }

    /// 409 `consent_outdated`: the consent version is not the current one of the offer's banks.
    pub fn consent_outdated() -> Self {
        Problem::new(
            ProblemCode::ConsentOutdated,
            "the consent text changed since the visitor agreed; show the current text and ask again",
        )
    }

    /// 422: no partner with the id the request named.
    pub fn unknown_partner() -> Self {
        Problem::new(ProblemCode::UnknownPartner, "no partner with this id")
    }

    /// 403: a page on `origin` called for a partner that has not registered it.
    pub fn origin_not_allowed(origin: &str, partner: &str) -> Self {
        Problem::new(
            ProblemCode::OriginNotAllowed,
            format!("the origin {origin} is not registered for partner {partner}"),
        )
    }

    /// 400: the Idempotency-Key header is not 1–100 of `A-Z a-z 0-9 - _` (see
    /// [`is_valid_idempotency_key`]).
    pub fn invalid_idempotency_key() -> Self {
        Problem::new(ProblemCode::InvalidField, "Idempotency-Key is 1–100 of A-Z a-z 0-9 - _")
    }

    /// 422: the Idempotency-Key was used for a lead with other answers.
    pub fn idempotency_key_reused() -> Self {
        Problem::new(
            ProblemCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different lead; send a new key for new answers",
        )
    }

    /// 409: the lead with this Idempotency-Key is still being answered.
    pub fn idempotency_in_progress() -> Self {
        Problem::new(
            ProblemCode::IdempotencyInProgress,
            "a lead with this Idempotency-Key is still being answered; retry shortly",
        )
    }

    /// 429: a visitor's address is over its limit on the public routes.
    pub fn rate_limited_client() -> Self {
        Problem::new(
            ProblemCode::RateLimited,
            "too many requests from this address; retry in a minute",
        )
    }

    /// 429: a bank is over its limit of postbacks and reversals.
    pub fn rate_limited_bank() -> Self {
        Problem::new(
            ProblemCode::RateLimited,
            "too many postbacks from this bank; retry with backoff",
        )
    }

    /// 401 `invalid_signature`: the `Inflow-Bank` header of a signed request is not a valid id
    /// (answered like a wrong signature, so bank ids cannot be enumerated).
    pub fn invalid_bank_header() -> Self {
        Problem::new(ProblemCode::InvalidSignature, "Inflow-Bank must name your bank id")
    }

    /// 422: no click with this id belongs to the calling bank (an unknown click and another
    /// bank's answer the same, so click ids cannot be probed).
    pub fn unknown_click() -> Self {
        Problem::new(ProblemCode::UnknownClick, "no click with this click_id for your bank")
    }

    /// 401 with `detail` (the named constructors and `From` impls word it).
    pub(crate) fn unauthorized(detail: &str) -> Self {
        Problem::new(ProblemCode::Unauthorized, detail)
    }

    /// 401: `GET /v1/reports` without a report key, or with one that is unknown, revoked or
    /// expired.
    pub fn no_report_key() -> Self {
        Problem::unauthorized("send Authorization: Bearer <report key>")
    }

    /// 403: `GET /v1/reports` with an admin key (the operator's, a bank admin's): reports are
    /// read with a bank's or a partner's report key.
    pub fn not_a_report_key() -> Self {
        Problem::forbidden("reports are read with a bank's or a partner's report key, not an admin key")
    }

    /// 401: `GET /v1/bank/leads` without a key, or with one that is unknown, revoked or expired.
    pub fn no_bank_key() -> Self {
        Problem::unauthorized("send Authorization: Bearer <bank report key>")
    }

    /// 403: `GET /v1/bank/leads` with a key that is not a bank's report key (a partner's, an
    /// admin key): leads are the bank's alone.
    pub fn not_a_bank_key() -> Self {
        Problem::forbidden("only a bank's report key pulls the bank's leads")
    }

    /// 403: the key is valid but does not see what was asked (`detail` says why).
    pub(crate) fn forbidden(detail: &str) -> Self {
        Problem::new(ProblemCode::Forbidden, detail)
    }

    /// 400 `invalid_field`, with which field and why.
    pub(crate) fn invalid_field(detail: impl Into<String>) -> Self {
        Problem::new(ProblemCode::InvalidField, detail)
    }
}

/// A click-out link that is not ours (400 `invalid_token`: altered and foreign answer the same)
/// or has expired (410 `token_expired`).
impl From<crate::click::token::TokenError> for Problem {
    fn from(e: crate::click::token::TokenError) -> Self {
        match e {
            crate::click::token::TokenError::Invalid => {
                Problem::new(ProblemCode::InvalidToken, "this link is not valid")
            }
            crate::click::token::TokenError::Expired => Problem::new(
                ProblemCode::TokenExpired,
                "this link has expired; ask the assistant again for a fresh one",
            ),
        }
    }
}

/// A postback signature refused: 401 `stale_signature` when only its time is off (re-sign and
/// send again), 401 `invalid_signature` otherwise.
impl From<crate::conversion::signature::SignatureError> for Problem {
    fn from(e: crate::conversion::signature::SignatureError) -> Self {
        let code = match e {
            crate::conversion::signature::SignatureError::Stale => ProblemCode::StaleSignature,
            _ => ProblemCode::InvalidSignature,
        };
        Problem::new(code, e.detail())
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

/// Parses a request body that must be a JSON object. serde reads a struct from a JSON array too
/// (fields in order), so without this check `["edu-demo","education",…]` would pass as a lead:
/// any body that is valid JSON but not an object is refused with 400 `invalid_field`; syntax
/// errors are 400 `malformed_json`, type errors 400 `invalid_field` (see [`json_problem`]).
pub fn parse_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    // JSON's insignificant whitespace (RFC 8259 §2).
    let first = body.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first != Some(&b'{') {
        // A broken body is a syntax error whatever it starts with.
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(|e| json_problem(&e))?;
        return Err(not_an_object("the body"));
    }
    serde_json::from_slice(body).map_err(|e| json_problem(&e))
}

fn not_an_object(what: &str) -> Problem {
    Problem::new(ProblemCode::InvalidField, format!("{what} must be a JSON object"))
}

/// `deserialize_with` for a nested struct field that must be a JSON object (not an array in
/// field order, which serde would accept for a struct).
pub(crate) fn object_field<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    let Some(map) = Option::<serde_json::Map<String, serde_json::Value>>::deserialize(d)? else {
        return Ok(None);
    };
    T::deserialize(serde_json::Value::Object(map))
        .map(Some)
        .map_err(D::Error::custom)
}

/// `deserialize_with` for an integer field as JSON Schema defines one (the OpenAPI document's
/// `"type": "integer"`): any number with a zero fractional part, so `5000000.0` and `5e6` are
/// 5000000; a fraction or a value beyond ±2^53 (where floats stop being exact) is refused.
pub(crate) fn json_integer<'de, D>(d: D) -> Result<i64, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match serde_json::Number::deserialize(d)? {
        n if n.is_i64() => n.as_i64().ok_or_else(|| D::Error::custom("not an integer")),
        n => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() <= EXACT => Ok(f as i64),
            _ => Err(D::Error::custom(format!("invalid type: {n}, expected an integer"))),
        },
    }
}

/// `deserialize_with` for a list of structs, each of which must be a JSON object.
pub(crate) fn object_items<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    Vec::<serde_json::Map<String, serde_json::Value>>::deserialize(d)?
        .into_iter()
        .map(|map| T::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom))
        .collect()
}

/// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), `None` for any other
/// scheme or an empty token. The scheme is matched case-insensitively (RFC 9110 §11.1:
/// `bearer`, `BEARER` are `Bearer`), separated from the token by one or more spaces.
pub fn bearer_token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of `name`, the one query parameter a route takes (`None` when absent).
///
/// # Errors
/// 400 `invalid_field` for any other parameter, or `name` given twice: a repeated parameter
/// has no meaning a caller can rely on (`?dry_run=true&dry_run=false` must not write), and an
/// unknown one is a typo of a parameter the caller meant.
pub fn single_param<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    name: &str,
) -> Result<Option<&'a str>, Problem> {
    let mut value = None;
    for (k, v) in pairs {
        let k: String = k.chars().take(32).collect();
        if k != name {
            return Err(Problem::invalid_field(format!(
                "unknown parameter '{k}' (this route takes {name})"
            )));
        }
        if value.replace(v).is_some() {
            return Err(Problem::invalid_field(format!("'{k}' is given twice")));
        }
    }
    Ok(value)
}

/// Whether a `Content-Type` header names `essence` (`type/subtype`, lower case), parsed per RFC
/// 9110 §8.3.1: type and subtype are tokens compared case-insensitively and exactly
/// (`application/jsonp` is not `application/json`), optionally followed by `;`-separated
/// `name=value` parameters (token or quoted-string values), which are allowed and ignored
/// (`Application/JSON; charset=utf-8` is JSON). A header that does not parse matches nothing.
pub fn media_type_is(header: &str, essence: &str) -> bool {
    media_type(header).is_some_and(|m| m == essence)
}

/// The `type/subtype` of a `Content-Type` value in lower case, or `None` when it does not parse
/// as RFC 9110's `media-type` (see [`media_type_is`]).
pub fn media_type(header: &str) -> Option<String> {
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    let token = |s: &str| !s.is_empty() && s.chars().all(is_tchar);
    let is_ows = |c: char| c == ' ' || c == '\t';
    let (essence, mut rest) = match header.find(';') {
        Some(i) => (&header[..i], &header[i..]),
        None => (header, ""),
    };
    let essence = essence.trim_matches(is_ows);
    let (kind, subtype) = essence.split_once('/')?;
    if !token(kind) || !token(subtype) {
        return None;
    }
    // *( OWS ";" OWS [ parameter ] ), parameter = token "=" ( token / quoted-string )
    loop {
        rest = rest.trim_start_matches(is_ows);
        if rest.is_empty() {
            break;
        }
        rest = rest.strip_prefix(';')?.trim_start_matches(is_ows);
        if rest.is_empty() || rest.starts_with(';') {
            continue;
        }
        let eq = rest.find('=')?;
        if !token(&rest[..eq]) {
            return None;
        }
        rest = &rest[eq + 1..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in quoted.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            rest = &quoted[end? + 1..];
        } else {
            let len = rest.find(|c: char| !is_tchar(c)).unwrap_or(rest.len());
            if len == 0 {
                return None;
            }
            rest = &rest[len..];
        }
    }
    Some(format!(
        "{}/{}",
        kind.to_ascii_lowercase(),
        subtype.to_ascii_lowercase()
    ))
}

/// The parts of `edge/openapi.json` that are generated from this crate, so the contract says
/// what the edge enforces: `components.schemas.Problem.properties.code` (every
/// [`ProblemCode`]) and `components.schemas.LeadRequest.properties.answers` (every question of
/// the questionnaire with its choices, all required, nothing else). A test fails, printing the
/// value to paste, when the document differs.
pub fn openapi_generated() -> [(&'static str, serde_json::Value); 2] {
    use serde_json::json;
    let codes: Vec<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for q in crate::lead::questionnaire::ALL {
        let choices: Vec<&str> = q.choices.iter().map(|c| c.id).collect();
        properties.insert(q.id.to_string(), json!({"type": "string", "enum": choices}));
        required.push(q.id);
    }
    [
        (
            "/components/schemas/Problem/properties/code",
            json!({"type": "string", "enum": codes}),
        ),
        (
            "/components/schemas/LeadRequest/properties/answers",
            json!({
                "type": "object",
                "description": "question id → choice id; every question is answered (the scene only changes their order)",
                "additionalProperties": false,
                "required": required,
                "properties": properties,
            }),
        ),
    ]
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
        let req: LeadRequest = parse_object(body)?;
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
        for (key, value) in req.attribution.iter() {
            if crate::report::tags::Tag::from_key(key).is_some() {
                crate::report::tags::check(value)
                    .map_err(|why| Problem::new(ProblemCode::InvalidField, format!("attribution {key} {why}")))?;
            }
        }
        if let Some(consent) = &req.consent {
            consent
                .check()
                .map_err(|why| Problem::new(ProblemCode::InvalidField, why))?;
        }
        Ok(req)
    }

    /// A fingerprint of what the lead asks (partner, scene, lang, answers, attribution,
    /// consent record): SHA-256, in hex, of the parsed request's canonical JSON — fields in a
    /// fixed order, answers and attribution sorted by key, defaults filled in — so two bodies
    /// that say the same thing (keys reordered, whitespace, `lang` left to its default) match,
    /// and any change of an answer, attribution value or consent record does not. An
    /// Idempotency-Key is bound to it: the same key with another fingerprint is
    /// `idempotency_key_reused`.
    ///
    /// The contact is left out: the answer (profile, products) does not depend on it, and a
    /// widget resuming after a reload resends its queued lead without the contact, which it
    /// never keeps in the host page's storage — that resend must replay, not be refused.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut asked = self.clone();
        if let Some(c) = &mut asked.consent {
            c.contact = None;
        }
        // Serialising plain strings and maps cannot fail.
        let canonical = serde_json::to_vec(&asked).unwrap_or_default();
        let mut h = Sha256::new();
        h.update(b"inflow-lead-v1\0");
        h.update(&canonical);
        crate::support::encoding::hex(&h.finalize())
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
    fn bearer_scheme_is_case_insensitive() {
        for ok in [
            "Bearer rk_x",
            "bearer rk_x",
            "BEARER rk_x",
            "Bearer  rk_x ",
            " bEaReR rk_x",
        ] {
            assert_eq!(bearer_token(ok), Some("rk_x"), "{ok:?}");
        }
        for bad in ["", "Bearer", "Bearer ", "Basic rk_x", "Bearerrk_x", "Token rk_x"] {
            assert_eq!(bearer_token(bad), None, "{bad:?}");
        }
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

    /// A partner's tracking tags in the attribution are held to `report::tags::check`; other
    /// attribution keys keep their looser limit.
    #[test]
    fn tracking_tags_are_checked() {
        let code = |attr: &str| {
            LeadRequest::parse(body(&format!(r#","attribution":{attr}"#)).as_bytes())
                .map(|_| ())
                .map_err(|p| p.code)
        };
        assert_eq!(
            code(r#"{"sub_id":"aff-7","utm_source":"wechat","utm_campaign":"spring"}"#),
            Ok(())
        );
        assert_eq!(code(&format!(r#"{{"utm_term":"{}"}}"#, "x".repeat(100))), Ok(()));
        for bad in [
            format!(r#"{{"sub_id":"{}"}}"#, "x".repeat(65)),
            r#"{"utm_source":"a\u202eb"}"#.into(),
            r#"{"utm_campaign":"a\u0007b"}"#.into(),
            r#"{"sub_id":"  "}"#.into(),
            r#"{"sub_id":"(other)"}"#.into(),
        ] {
            assert_eq!(code(&bad), Err(ProblemCode::InvalidField), "{bad}");
        }
        let why = LeadRequest::parse(body(r#","attribution":{"utm_source":"a\u202eb"}"#).as_bytes())
            .expect_err("refused")
            .detail;
        assert!(why.contains("utm_source"), "{why}");
    }

    #[test]
    fn only_objects_are_bodies() {
        let code = |b: &str| LeadRequest::parse(b.as_bytes()).map(|_| ()).map_err(|p| p.code);
        let array = r#"["edu-demo","education","zh-Hans",{"age":"30_44"}]"#;
        assert_eq!(code(array), Err(ProblemCode::InvalidField));
        assert_eq!(code(" \n[1,"), Err(ProblemCode::MalformedJson));
        for scalar in ["\"x\"", "7", "null", "true", "[]"] {
            assert_eq!(code(scalar), Err(ProblemCode::InvalidField), "{scalar}");
        }
        assert_eq!(code(""), Err(ProblemCode::MalformedJson));
        let consent_array = body(r#","consent":["contact-2026-11","2026-11-25T01:02:03Z"]"#);
        assert_eq!(code(&consent_array), Err(ProblemCode::InvalidField));
        let consent = body(r#","consent":{"version":"contact-2026-11","accepted_at":"2026-11-25T01:02:03Z"}"#);
        assert!(LeadRequest::parse(consent.as_bytes()).is_ok());
        assert!(LeadRequest::parse(format!(" \r\n\t{}", body("")).as_bytes()).is_ok());
    }

    #[test]
    fn media_types_per_rfc_9110() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "APPLICATION/json;charset=\"utf-8\"",
            "application/json ; charset=UTF-8 ; q=\"a;b\\\"c\"",
            " application/json\t",
            // RFC 9110 allows an empty parameter: `*( OWS ";" OWS [ parameter ] )`.
            "application/json;",
        ] {
            assert!(media_type_is(ok, "application/json"), "{ok}");
        }
        for bad in [
            "application/jsonp",
            "application/json-seq",
            "application/json+x",
            "application/problem+json",
            "text/json",
            "application /json",
            "application/json; charset",
            "application/json; charset=\"utf-8",
            "application/json, text/plain",
            "application",
            "",
            "/json",
        ] {
            assert!(!media_type_is(bad, "application/json"), "{bad}");
        }
        assert!(media_type_is("text/plain;charset=UTF-8", "text/plain"));
    }

    #[test]
    fn fingerprints_bind_what_the_lead_asks() {
        let parse = |b: &str| LeadRequest::parse(b.as_bytes()).expect("valid");
        let base = parse(&body(r#","attribution":{"utm_source":"a","sub_id":"1"}"#));
        let fp = base.fingerprint();
        assert_eq!(fp.len(), 64);
        // The same request written differently: keys reordered, whitespace, default lang.
        let same = parse(
            r#"{ "answers": {"loss":"hold","amount":"50k_200k","horizon":"gt_3y","goal":"tuition","age":"30_44"},
                 "attribution": {"sub_id":"1","utm_source":"a"}, "lang":"zh-Hans", "scene":"education", "partner":"edu-demo" }"#,
        );
        assert_eq!(same.fingerprint(), fp);
        let defaulted = body("").replace(r#""lang":"zh-Hans","#, "");
        assert_eq!(
            parse(&defaulted).fingerprint(),
            parse(&body("").replace("zh-Hans", "en")).fingerprint(),
            "en is the default lang"
        );
        let changed = [
            body(r#","attribution":{"utm_source":"a","sub_id":"2"}"#),
            body(r#","attribution":{"utm_source":"a"}"#),
            body(r#","attribution":{"utm_source":"a","sub_id":"1"}"#).replace("\"hold\"", "\"sell\""),
            body(r#","attribution":{"utm_source":"a","sub_id":"1"}"#).replace("zh-Hans", "en"),
            body(r#","attribution":{"utm_source":"a","sub_id":"1"}"#).replace("edu-demo", "game-demo"),
            body(r#","attribution":{"utm_source":"a","sub_id":"1"}"#).replace("\"education\"", "\"gaming\""),
            body(
                r#","attribution":{"utm_source":"a","sub_id":"1"},"consent":{"version":"contact-2026-11","accepted_at":"2026-11-25T01:02:03Z"}"#,
            ),
        ];
        for other in changed {
            assert_ne!(parse(&other).fingerprint(), fp, "{other}");
        }
        // A resend without the contact (resumed after a reload) asks the same thing.
        let consent = r#","consent":{"version":"contact-2026-11","accepted_at":"2026-11-25T01:02:03Z""#;
        let with_contact = parse(&body(&format!(r#"{consent},"contact":"13800138000"}}"#)));
        let without = parse(&body(&format!("{consent}}}")));
        assert_eq!(with_contact.fingerprint(), without.fingerprint());
    }

    #[test]
    fn the_openapi_document_states_what_core_enforces() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../edge/openapi.json")).expect("edge/openapi.json parses");
        for (pointer, want) in openapi_generated() {
            let got = doc.pointer(pointer).cloned().unwrap_or_default();
            assert!(
                got == want,
                "edge/openapi.json {pointer} differs from core; it must be:\n{}",
                serde_json::to_string_pretty(&want).unwrap_or_default()
            );
        }
        // Enums that mirror core's types.
        let scenes: Vec<&str> = Scene::ALL.iter().map(|s| s.as_str()).collect();
        let langs: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
        let statuses = ["pending", "approved", "held", "out_of_window", "reversed", "rejected"];
        for (pointer, want) in [
            (
                "/components/schemas/LeadRequest/properties/scene/enum",
                serde_json::json!(scenes),
            ),
            (
                "/components/schemas/EventBatch/properties/scene/enum",
                serde_json::json!(scenes),
            ),
            (
                "/components/schemas/LeadRequest/properties/lang/enum",
                serde_json::json!(langs),
            ),
            (
                "/components/schemas/Conversion/properties/status/enum",
                serde_json::json!(statuses),
            ),
        ] {
            assert_eq!(doc.pointer(pointer), Some(&want), "{pointer}");
        }
        for s in statuses {
            assert!(crate::conversion::attribution::Status::parse(s).is_some(), "{s}");
        }
        // Every request body is an object that allows nothing else.
        for schema in ["LeadRequest", "ConversionRequest", "ReversalRequest", "EventBatch"] {
            let s = &doc["components"]["schemas"][schema];
            assert_eq!(s["type"], "object", "{schema}");
            assert_eq!(s["additionalProperties"], false, "{schema}");
        }
    }

    #[test]
    fn every_code_is_listed_once_with_a_client_error_status() {
        let mut seen = std::collections::BTreeSet::new();
        for c in ProblemCode::ALL {
            assert!(seen.insert(c.as_str()), "{c:?} twice");
            assert_eq!(serde_json::to_value(c).ok(), Some(serde_json::json!(c.as_str())));
            assert!((400..600).contains(&c.status()));
        }
    }

    #[test]
    fn named_refusals_carry_their_codes() {
        use crate::click::token::TokenError;
        use crate::conversion::signature::SignatureError;
        let cases = [
            (Problem::not_found("x"), ProblemCode::NotFound),
            (Problem::method_not_allowed("GET"), ProblemCode::MethodNotAllowed),
            (Problem::body_too_large(9), ProblemCode::BodyTooLarge),
            (
                Problem::unsupported_media_type("application/json"),
                ProblemCode::UnsupportedMediaType,
            ),
            (Problem::internal(), ProblemCode::Internal),
            (Problem::unknown_partner(), ProblemCode::UnknownPartner),
            (
                Problem::origin_not_allowed("https://a.example", "p"),
                ProblemCode::OriginNotAllowed,
            ),
            (Problem::invalid_idempotency_key(), ProblemCode::InvalidField),
            (Problem::idempotency_key_reused(), ProblemCode::IdempotencyKeyReused),
            (Problem::idempotency_in_progress(), ProblemCode::IdempotencyInProgress),
            (Problem::no_such_route(), ProblemCode::NotFound),
            (Problem::offer_gone(), ProblemCode::NotFound),
            (Problem::unknown_conversion(), ProblemCode::NotFound),
            (Problem::unknown_lead(), ProblemCode::NotFound),
            (Problem::invalid_erasure_token(), ProblemCode::InvalidErasureToken),
            (Problem::rate_limited_client(), ProblemCode::RateLimited),
            (Problem::rate_limited_bank(), ProblemCode::RateLimited),
            (Problem::invalid_bank_header(), ProblemCode::InvalidSignature),
            (Problem::no_report_key(), ProblemCode::Unauthorized),
            (Problem::no_key_request(), ProblemCode::MalformedJson),
            (Problem::no_tenant_file(), ProblemCode::MalformedJson),
            (Problem::no_such_owner(), ProblemCode::NotFound),
            (Problem::no_such_key(), ProblemCode::NotFound),
            (Problem::no_such_bank(), ProblemCode::NotFound),
            (Problem::bank_predates_tenant_files(), ProblemCode::NotFound),
            (Problem::invalid_tenant(&[]), ProblemCode::InvalidTenant),
            (Problem::invalid_audit_cursor(), ProblemCode::InvalidField),
            (crate::admin::Denied("x").into(), ProblemCode::Forbidden),
            (crate::admin::KeyRefused::Revoked.into(), ProblemCode::Unauthorized),
            (Problem::unknown_click(), ProblemCode::UnknownClick),
            (Problem::unauthorized("x"), ProblemCode::Unauthorized),
            (Problem::forbidden("x"), ProblemCode::Forbidden),
            (Problem::invalid_field("x"), ProblemCode::InvalidField),
            (TokenError::Invalid.into(), ProblemCode::InvalidToken),
            (TokenError::Expired.into(), ProblemCode::TokenExpired),
            (SignatureError::Stale.into(), ProblemCode::StaleSignature),
            (SignatureError::Mismatch.into(), ProblemCode::InvalidSignature),
            (SignatureError::Malformed.into(), ProblemCode::InvalidSignature),
        ];
        for (p, code) in cases {
            assert_eq!((p.code, p.status), (code, code.status()), "{p:?}");
        }
        assert_eq!(Problem::body_too_large(16).detail, "at most 16 bytes");
        assert!(Problem::origin_not_allowed("https://a.example", "edu")
            .detail
            .contains("https://a.example"));
    }

    #[test]
    fn problems_serialise_with_stable_codes() {
        let p = Problem::new(ProblemCode::UnknownPartner, "no such partner");
        let v: serde_json::Value = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(v["code"], "unknown_partner");
        assert_eq!(v["status"], 422);
    }

    #[test]
    fn a_route_with_one_parameter_refuses_repeats_and_strangers() {
        assert_eq!(single_param([], "after"), Ok(None));
        assert_eq!(single_param([("after", "7")], "after"), Ok(Some("7")));
        for pairs in [
            vec![("dry_run", "true"), ("dry_run", "false")],
            vec![("dry_run", "true"), ("dryrun", "true")],
        ] {
            let e = single_param(pairs, "dry_run").expect_err("refused");
            assert_eq!((e.status, e.code), (400, ProblemCode::InvalidField));
        }
    }
}
