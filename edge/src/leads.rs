//! `POST /v1/leads`: validate, recompute, store once, answer.

use std::cell::RefCell;

use inflow_core::api::{is_valid_idempotency_key, MAX_LEAD_BYTES};
use inflow_core::consent::Contact;
use inflow_core::engine::{self, Context};
use inflow_core::{catalogue, propensity::EconomicContext};
use inflow_core::{LeadRequest, LeadResponse, Problem, ProblemCode};
use worker::{Env, Headers, Request, Response, Result};

use crate::storage::LeadExtras;
use crate::{clickout, cors, http, runtime, storage};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    let origin = cors::foreign_origin(req)?;
    let resp = match accept(req, env, origin.as_deref()).await? {
        Outcome::Answer(json, replayed) => answer(&json, replayed)?,
        Outcome::Refused(p) => http::problem(&p),
    };
    // Every answer is readable by the calling page, refusals too: an unregistered origin must
    // be told apart from a network failure (nothing is stored for it).
    Ok(match origin {
        Some(o) => cors::grant(resp, &o),
        None => resp,
    })
}

enum Outcome {
    /// The answer's JSON, and whether it is a replay of an earlier submission.
    Answer(String, bool),
    /// Refused, with why.
    Refused(Problem),
}

fn answer(json: &str, replayed: bool) -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    if replayed {
        headers.set("idempotent-replayed", "true")?;
    }
    Ok(Response::ok(json)?.with_headers(headers).with_status(201))
}

fn refused(code: ProblemCode, detail: &str) -> Outcome {
    Outcome::Refused(Problem::new(code, detail))
}

/// What an earlier submission with this key means for this one: its answer when it asked the
/// same (same fingerprint), `idempotency_key_reused` when it asked something else — even while
/// it is still being answered — and `idempotency_in_progress` while the same is answered.
async fn replay(env: &Env, partner: &str, key: &str, fingerprint: &str) -> Result<Option<Outcome>> {
    let Some(earlier) = storage::lead_for_key(env, partner, key).await? else {
        return Ok(None);
    };
    if earlier.request_fingerprint.as_deref() != Some(fingerprint) {
        return Ok(Some(refused(
            ProblemCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different lead; send a new key for new answers",
        )));
    }
    Ok(Some(match earlier.response {
        Some(json) => Outcome::Answer(json, true),
        None => refused(
            ProblemCode::IdempotencyInProgress,
            "a lead with this Idempotency-Key is still being answered; retry shortly",
        ),
    }))
}

async fn accept(req: &mut Request, env: &Env, origin: Option<&str>) -> Result<Outcome> {
    // A key that is sent must be valid, an empty one too: it is never read as "no key".
    let key = req.headers().get("idempotency-key")?;
    if key.as_deref().is_some_and(|k| !is_valid_idempotency_key(k)) {
        return Ok(refused(
            ProblemCode::InvalidField,
            "Idempotency-Key is 1–100 of A-Z a-z 0-9 - _",
        ));
    }
    let body = match http::json_body(req, MAX_LEAD_BYTES, http::Accepts::Json).await? {
        Ok(body) => body,
        Err(p) => return Ok(Outcome::Refused(p)),
    };
    let lead = match LeadRequest::parse(&body) {
        Ok(lead) => lead,
        Err(p) => return Ok(Outcome::Refused(p)),
    };
    if let Some(o) = origin {
        if !storage::origin_allowed(env, &lead.partner, o).await? {
            // Nothing is stored; the widget shows a configuration error for this refusal
            // instead of retrying as if offline.
            return Ok(refused(
                ProblemCode::OriginNotAllowed,
                &format!("the origin {o} is not registered for partner {}", lead.partner),
            ));
        }
    }
    let fingerprint = lead.fingerprint();
    if let Some(k) = &key {
        if let Some(earlier) = replay(env, &lead.partner, k, &fingerprint).await? {
            return Ok(earlier);
        }
    }
    let decision = match engine::decide(&lead, catalogue::demo(), &context(env)) {
        Ok(d) => d,
        Err(p) => return Ok(Outcome::Refused(p)),
    };
    let consent = match &lead.consent {
        Some(c) => {
            // LeadRequest::parse has checked the record; hash the contact, never keep it.
            let hash = match c.contact.as_deref().and_then(Contact::parse) {
                Some(contact) => Some(contact.keyed_hash(&runtime::secret(env, "CONTACT_HASH_KEY")?)),
                None => None,
            };
            Some((c.version.as_str(), c.accepted_at.as_str(), hash))
        }
        None => None,
    };
    let lead_id = storage::new_id()?;
    let extras = LeadExtras {
        idempotency_key: key.as_deref(),
        fingerprint: &fingerprint,
        consent,
    };
    if !storage::insert_lead(env, &lead_id, &lead, &decision, &extras).await? {
        // Either a concurrent retry won the race for this key, or the partner is unknown.
        if let Some(k) = &key {
            if let Some(earlier) = replay(env, &lead.partner, k, &fingerprint).await? {
                return Ok(earlier);
            }
        }
        return Ok(refused(ProblemCode::UnknownPartner, "no partner with this id"));
    }
    let own = req.url()?.origin().ascii_serialization();
    let recommendations = clickout::attach(env, &own, &lead_id, &lead, decision.recommendations).await?;
    let response = LeadResponse {
        lead_id: lead_id.clone(),
        risk_tolerance: decision.profile.tolerance.label(),
        recommendations,
    };
    let json = serde_json::to_string(&response)?;
    storage::save_response(env, &lead_id, &json).await?;
    Ok(Outcome::Answer(json, false))
}

/// The economic context the model scores in: the operator's `ECONOMY` variable
/// (`"emp_var_rate,cons_price_idx,cons_conf_idx,euribor3m,nr_employed"`), else the default.
/// Kept per isolate for as long as the variable is unchanged, so a lead costs one model score.
fn context(env: &Env) -> Context {
    let configured = env.var("ECONOMY").ok().map(|v| v.to_string()).unwrap_or_default();
    CONTEXT.with(|cached| {
        let mut cached = cached.borrow_mut();
        match &*cached {
            Some((var, ctx)) if *var == configured => *ctx,
            _ => {
                let ctx = parse_economy(&configured).map_or_else(Context::default, Context::new);
                *cached = Some((configured, ctx));
                ctx
            }
        }
    })
}

thread_local! {
    static CONTEXT: RefCell<Option<(String, Context)>> = const { RefCell::new(None) };
}

fn parse_economy(var: &str) -> Option<EconomicContext> {
    let numbers: Vec<f32> = var.split(',').filter_map(|n| n.trim().parse().ok()).collect();
    match numbers[..] {
        [emp_var_rate, cons_price_idx, cons_conf_idx, euribor3m, nr_employed] => Some(EconomicContext {
            emp_var_rate,
            cons_price_idx,
            cons_conf_idx,
            euribor3m,
            nr_employed,
        }),
        _ => None,
    }
}
