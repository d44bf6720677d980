//! `POST /v1/leads`: validate, decide against the offer of the lead's (partner, scene), link,
//! seal the contact to each bank shown, store once with the answer, enqueue `lead.created`
//! for the banks shown (one queue send, no D1 read), answer.

mod links;

use std::cell::RefCell;

use inflow_core::api::{is_valid_idempotency_key, MAX_LEAD_BYTES};
use inflow_core::lead::consent::Contact;
use inflow_core::lead::engine::{self, Context};
use inflow_core::lead::feed::banks_shown;
use inflow_core::lead::offer::Offer;
use inflow_core::lead::propensity::EconomicContext;
use inflow_core::lead::seal::{self, ContactRecord};
use inflow_core::webhook::event::{lead_created, SealedFor};
use inflow_core::{LeadRequest, LeadResponse, Problem};
use worker::{Env, Headers, Request, Response};

use crate::db::leads::{self, Delivery, EarlierLead, NewLead, Stored, StoredConsent};
use crate::error::Result;
use crate::{cors, erasure, http, offer, runtime, webhooks};

/// 201 with the answer; a retry with the same Idempotency-Key and the same lead gets the same
/// answer (`Idempotent-Replayed: true`), one with another lead 422 `idempotency_key_reused`.
pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    // A key that is sent must be valid, an empty one too: it is never read as "no key".
    let key = req.headers().get("idempotency-key")?;
    if key.as_deref().is_some_and(|k| !is_valid_idempotency_key(k)) {
        return Err(Problem::invalid_idempotency_key().into());
    }
    let origin = cors::foreign_origin(req)?;
    let body = http::json_body(req, MAX_LEAD_BYTES, http::Accepts::Json).await?;
    let lead = LeadRequest::parse(&body)?;
    cors::check(env, &lead.partner, origin.as_deref()).await?;
    let served = offer::of(env, &lead.partner, lead.scene).await?;
    let offer = match &served.offer {
        Some(offer) => offer,
        None if served.partner_known => return Err(Problem::no_campaign().into()),
        None => return Err(Problem::unknown_partner().into()),
    };
    offer.check_consent(&lead)?;
    let decision = engine::decide(&lead, &offer.shelf, &context(env))?;
    // LeadRequest::parse has checked the record; the contact is hashed and sealed, never kept.
    let contact = lead
        .consent
        .as_ref()
        .and_then(|c| c.contact.as_deref())
        .and_then(Contact::parse);
    let consent = match &lead.consent {
        Some(c) => Some(StoredConsent {
            version: &c.version,
            accepted_at: &c.accepted_at,
            contact_hash: match &contact {
                Some(contact) => Some(contact.keyed_hash(&runtime::secret(env, "CONTACT_HASH_KEY")?)),
                None => None,
            },
        }),
        None => None,
    };
    let lead_id = runtime::new_id()?;
    let record = match (&lead.consent, &contact) {
        (Some(c), Some(contact)) => Some(ContactRecord {
            lead_id: lead_id.clone(),
            contact: contact.canonical(),
            consent_version: c.version.clone(),
            consent_at: c.accepted_at.clone(),
        }),
        _ => None,
    };
    let deliveries = deliveries(offer, &decision.recommendations, record.as_ref())?;
    let own = req.url()?.origin().ascii_serialization();
    let ranked = decision.recommendations.clone();
    let response = LeadResponse {
        lead_id: lead_id.clone(),
        risk_tolerance: decision.profile.tolerance.label(),
        recommendations: links::link(env, offer, &own, &lead_id, &lead, ranked)?,
        erasure_token: erasure::token(env, &lead_id)?,
    };
    let json = serde_json::to_string(&response)?;
    let new = NewLead {
        id: &lead_id,
        lead: &lead,
        decision: &decision,
        idempotency_key: key.as_deref(),
        fingerprint: &lead.fingerprint(),
        consent,
        deliveries,
        response: &json,
        received_at: &runtime::now_iso(),
    };
    match leads::insert(env, &new).await? {
        Stored::New => {
            let sealed: SealedFor = new
                .deliveries
                .iter()
                .filter_map(|d| {
                    d.sealed
                        .as_ref()
                        .map(|s| (d.bank_id.as_str(), (s.key_id.as_str(), s.sealed.as_str())))
                })
                .collect();
            let events = lead_created(
                &lead_id,
                runtime::now(),
                &lead.partner,
                lead.scene.as_str(),
                &decision.recommendations,
                &sealed,
            );
            webhooks::enqueue(env, events).await;
            answer(&json, false)
        }
        Stored::KeyTaken(earlier) => replay(earlier, new.fingerprint),
        Stored::UnknownPartner => Err(Problem::unknown_partner().into()),
    }
}

/// One feed entry per bank whose products the lead was shown, with the contact sealed to the
/// bank's key when there is a contact and the bank has a key. A key HPKE refuses costs that
/// bank the contact (logged by bank id; the contact is never logged), not the lead.
fn deliveries(
    offer: &Offer,
    ranked: &[inflow_core::lead::recommend::Ranked],
    record: Option<&ContactRecord>,
) -> Result<Vec<Delivery>> {
    let mut rng = getrandom::rand_core::UnwrapErr(getrandom::SysRng);
    let mut out = Vec::new();
    for (bank_id, products) in banks_shown(ranked) {
        let sealed = match (record, offer.contact_key(&bank_id)) {
            (Some(record), Some(key)) => match seal::seal(key, &bank_id, record, &mut rng) {
                Ok(sealed) => Some(sealed),
                Err(e) => {
                    worker::console_warn!("contact not sealed for bank {bank_id}: {e}");
                    None
                }
            },
            _ => None,
        };
        out.push(Delivery {
            products: serde_json::to_string(&products)?,
            bank_id,
            sealed,
        });
    }
    Ok(out)
}

/// The answer to a key used before: the earlier answer when it asked the same (same
/// fingerprint), `idempotency_key_reused` when it asked something else.
fn replay(earlier: EarlierLead, fingerprint: &str) -> Result<Response> {
    if earlier.request_fingerprint.as_deref() != Some(fingerprint) {
        return Err(Problem::idempotency_key_reused().into());
    }
    match earlier.response {
        Some(json) => answer(&json, true),
        // Stored before answers were written with their lead, and never answered.
        None => Err(Problem::idempotency_in_progress().into()),
    }
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

/// The economic context the model scores in: the operator's `ECONOMY` variable (see
/// [`EconomicContext`]'s `FromStr`), else the default. Kept per isolate for as long as the
/// variable is unchanged, so a lead costs one model score.
fn context(env: &Env) -> Context {
    let configured = env.var("ECONOMY").ok().map(|v| v.to_string()).unwrap_or_default();
    CONTEXT.with(|cached| {
        let mut cached = cached.borrow_mut();
        match &*cached {
            Some((var, ctx)) if *var == configured => *ctx,
            _ => {
                let ctx = match configured.parse::<EconomicContext>() {
                    Ok(economy) => Context::new(economy),
                    Err(e) => {
                        if !configured.is_empty() {
                            worker::console_warn!("ECONOMY ignored, scoring in the default economy: {e}");
                        }
                        Context::default()
                    }
                };
                *cached = Some((configured, ctx));
                ctx
            }
        }
    })
}

thread_local! {
    static CONTEXT: RefCell<Option<(String, Context)>> = const { RefCell::new(None) };
}
