//! `leads`: each visitor's answers, what the engine made of them and the answer sent, written
//! once.

use inflow_core::lead::engine::LeadDecision;
use inflow_core::LeadRequest;
use serde::Deserialize;
use worker::{Env, Result};

use super::{open, query};

/// A visitor's consent to be contacted, as stored.
pub struct StoredConsent<'a> {
    pub version: &'a str,
    /// When the visitor agreed, by their clock (RFC 3339).
    pub accepted_at: &'a str,
    /// The keyed hash of their contact; never the contact itself.
    pub contact_hash: Option<String>,
}

/// A lead ready to store, with the answer it is given.
pub struct NewLead<'a> {
    pub id: &'a str,
    pub lead: &'a LeadRequest,
    pub decision: &'a LeadDecision,
    pub idempotency_key: Option<&'a str>,
    /// [`LeadRequest::fingerprint`], stored with the key so a reuse with another body is seen.
    pub fingerprint: &'a str,
    pub consent: Option<StoredConsent<'a>>,
    /// The answer's JSON, replayed as is to a retry with the same key.
    pub response: &'a str,
    /// RFC 3339, UTC.
    pub received_at: &'a str,
}

/// The lead stored under the same partner and Idempotency-Key.
#[derive(Deserialize)]
pub struct EarlierLead {
    id: String,
    /// Its answer; `None` only for leads stored before answers were written with the row.
    pub response: Option<String>,
    /// Its request's fingerprint; `None` for leads stored before fingerprints were kept.
    pub request_fingerprint: Option<String>,
}

/// What became of a [`NewLead`].
pub enum Stored {
    /// It was stored, as a new lead.
    New,
    /// Its key was taken: by an earlier submission, or by a concurrent one that won.
    KeyTaken(EarlierLead),
    /// Nothing was stored: no partner with its id.
    UnknownPartner,
}

/// Stores the lead and its answer in one D1 round trip — with a key, one batch that also reads
/// back whichever lead holds the key — so there is no window between the checks and the write.
pub async fn insert(env: &Env, new: &NewLead<'_>) -> Result<Stored> {
    let db = open(env)?;
    let lead = new.lead;
    let d = new.decision;
    let answers = serde_json::to_string(&lead.answers)?;
    let attribution = serde_json::to_string(&lead.attribution)?;
    let product_ids: Vec<&str> = d.recommendations.iter().map(|r| r.product_id.as_str()).collect();
    let products = serde_json::to_string(&product_ids)?;
    let tags = serde_json::to_string(&d.profile.tags)?;
    let tolerance = d.profile.tolerance.label();
    let consent = new.consent.as_ref();
    let insert = query(
        &db,
        include_str!("leads/insert.sql"),
        &[
            new.id.into(),
            lead.partner.as_str().into(),
            lead.scene.as_str().into(),
            lead.lang.tag().into(),
            answers.as_str().into(),
            tolerance.as_str().into(),
            products.as_str().into(),
            attribution.as_str().into(),
            new.received_at.into(),
            f64::from(d.propensity).into(),
            d.tier.as_str().into(),
            tags.as_str().into(),
            new.idempotency_key.into(),
            consent.map(|c| c.version).into(),
            consent.map(|c| c.accepted_at).into(),
            consent.map(|_| new.received_at).into(),
            consent.and_then(|c| c.contact_hash.as_deref()).into(),
            new.fingerprint.into(),
            new.response.into(),
        ],
    )?;
    let Some(key) = new.idempotency_key else {
        let result = insert.run().await?;
        // D1 counts the rows the report triggers write too: any change means the lead went in.
        let changes = result.meta()?.and_then(|m| m.changes).unwrap_or(0);
        return Ok(if changes > 0 {
            Stored::New
        } else {
            Stored::UnknownPartner
        });
    };
    let holder = query(
        &db,
        "SELECT id, response, request_fingerprint FROM leads WHERE partner_id = ?1 AND idempotency_key = ?2",
        &[lead.partner.as_str().into(), key.into()],
    )?;
    let results = db.batch(vec![insert, holder]).await?;
    let holder = match results.get(1) {
        Some(r) => r.results::<EarlierLead>()?.into_iter().next(),
        None => None,
    };
    Ok(match holder {
        Some(h) if h.id == new.id => Stored::New,
        Some(earlier) => Stored::KeyTaken(earlier),
        None => Stored::UnknownPartner,
    })
}
