//! `leads`: each visitor's answers, what the engine made of them and the answer sent, written
//! once.

use inflow_core::lead::engine::LeadDecision;
use inflow_core::lead::seal::Sealed;
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

/// The lead's entry in one bank's feed (`bank_leads`) and, when a contact was sealed to the
/// bank's key, its ciphertext (`lead_contacts`).
pub struct Delivery {
    pub bank_id: String,
    /// The bank's recommended product ids, best first, as a JSON array.
    pub products: String,
    pub sealed: Option<Sealed>,
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
    /// One per bank whose products the lead was shown.
    pub deliveries: Vec<Delivery>,
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

/// Stores the lead, its answer, its banks' feed entries and sealed contacts in one D1 round
/// trip (one batch, all or nothing) — with a key, the batch also reads back whichever lead
/// holds the key — so there is no window between the checks and the write. The feed and
/// contact rows are written only if the lead row was (its id is new, so it exists only then).
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
    let mut stmts = vec![insert];
    for d in &new.deliveries {
        stmts.push(query(
            &db,
            "INSERT INTO bank_leads (bank_id, lead_id, products) \
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM leads WHERE id = ?2)",
            &[d.bank_id.as_str().into(), new.id.into(), d.products.as_str().into()],
        )?);
        if let Some(s) = &d.sealed {
            stmts.push(query(
                &db,
                "INSERT INTO lead_contacts (lead_id, bank_id, key_id, sealed) \
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM leads WHERE id = ?1)",
                &[
                    new.id.into(),
                    d.bank_id.as_str().into(),
                    s.key_id.as_str().into(),
                    s.sealed.as_str().into(),
                ],
            )?);
        }
    }
    let Some(key) = new.idempotency_key else {
        let results = db.batch(stmts).await?;
        // D1 counts the rows the report triggers write too: any change means the lead went in.
        let changes = match results.first() {
            Some(r) => r.meta()?.and_then(|m| m.changes).unwrap_or(0),
            None => 0,
        };
        return Ok(if changes > 0 {
            Stored::New
        } else {
            Stored::UnknownPartner
        });
    };
    stmts.push(query(
        &db,
        "SELECT id, response, request_fingerprint FROM leads WHERE partner_id = ?1 AND idempotency_key = ?2",
        &[lead.partner.as_str().into(), key.into()],
    )?);
    let results = db.batch(stmts).await?;
    let holder = match results.last() {
        Some(r) => r.results::<EarlierLead>()?.into_iter().next(),
        None => None,
    };
    Ok(match holder {
        Some(h) if h.id == new.id => Stored::New,
        Some(earlier) => Stored::KeyTaken(earlier),
        None => Stored::UnknownPartner,
    })
}
