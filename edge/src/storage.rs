//! D1 access. Parameterised statements only.

use inflow_core::engine::Decision;
use inflow_core::LeadRequest;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{js_sys, Env, Result};

const DB: &str = "DB";

/// A random UUID from the runtime's CSPRNG.
pub fn new_id() -> Result<String> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?;
    let f: js_sys::Function = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))?
        .dyn_into()
        .map_err(|_| worker::Error::RustError("crypto.randomUUID is missing".into()))?;
    f.call0(&crypto)?
        .as_string()
        .ok_or_else(|| worker::Error::RustError("randomUUID returned no string".into()))
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// What comes with a lead besides the engine's decision.
pub struct LeadExtras<'a> {
    pub idempotency_key: Option<&'a str>,
    /// [`LeadRequest::fingerprint`], stored with the key so a reuse with another body is seen.
    pub fingerprint: &'a str,
    /// Consent version, the visitor's time, and the keyed hash of their contact.
    pub consent: Option<(&'a str, &'a str, Option<String>)>,
}

/// Stores the lead if its partner exists and its idempotency key is new; `Ok(false)` means
/// nothing was written (unknown partner, or the key was used before). One statement, so there
/// is no window between the checks and the write.
pub async fn insert_lead(
    env: &Env,
    id: &str,
    lead: &LeadRequest,
    decision: &Decision,
    extras: &LeadExtras<'_>,
) -> Result<bool> {
    let db = env.d1(DB)?;
    let answers = serde_json::to_string(&lead.answers)?;
    let attribution = serde_json::to_string(&lead.attribution)?;
    let product_ids: Vec<&str> = decision.recommendations.iter().map(|r| r.product_id.as_str()).collect();
    let products = serde_json::to_string(&product_ids)?;
    let tags = serde_json::to_string(&decision.profile.tags)?;
    let now = now_iso();
    let opt = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from_str);
    let (consent_version, consent_at, contact_hash) = match &extras.consent {
        Some((v, at, hash)) => (Some(*v), Some(*at), hash.as_deref()),
        None => (None, None, None),
    };
    let result = db
        .prepare(
            "INSERT OR IGNORE INTO leads (id, partner_id, scene, lang, answers, risk_tolerance, \
             recommended, attribution, created_at, propensity, tier, tags, idempotency_key, \
             consent_version, consent_at, consent_recorded_at, contact_hash, request_fingerprint) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18 \
             WHERE EXISTS (SELECT 1 FROM partners WHERE id = ?2)",
        )
        .bind(&[
            id.into(),
            lead.partner.as_str().into(),
            lead.scene.as_str().into(),
            lead.lang.tag().into(),
            answers.into(),
            decision.profile.tolerance.label().into(),
            products.into(),
            attribution.into(),
            now.as_str().into(),
            f64::from(decision.propensity).into(),
            decision.tier.as_str().into(),
            tags.into(),
            opt(extras.idempotency_key),
            opt(consent_version),
            opt(consent_at),
            opt(consent_version.map(|_| now.as_str())),
            opt(contact_hash),
            extras.fingerprint.into(),
        ])?
        .run()
        .await?;
    // D1 counts the rows the report triggers write too, so any change means the lead went in.
    let changes = result.meta()?.and_then(|m| m.changes).unwrap_or(0);
    Ok(changes > 0)
}

/// An earlier submission with the same partner and Idempotency-Key.
#[derive(serde::Deserialize)]
pub struct EarlierLead {
    /// Its answer; `None` while it is still being answered.
    pub response: Option<String>,
    /// Its request's fingerprint; `None` for leads stored before fingerprints were kept.
    pub request_fingerprint: Option<String>,
}

/// The earlier submission with this key, if any.
pub async fn lead_for_key(env: &Env, partner: &str, key: &str) -> Result<Option<EarlierLead>> {
    env.d1(DB)?
        .prepare(
            "SELECT response, request_fingerprint FROM leads \
             WHERE partner_id = ?1 AND idempotency_key = ?2",
        )
        .bind(&[partner.into(), key.into()])?
        .first(None)
        .await
}

pub async fn save_response(env: &Env, lead_id: &str, json: &str) -> Result<()> {
    env.d1(DB)?
        .prepare("UPDATE leads SET response = ?1 WHERE id = ?2")
        .bind(&[json.into(), lead_id.into()])?
        .run()
        .await?;
    Ok(())
}

/// Whether a `SELECT COUNT(*) AS n …` statement counted anything.
pub async fn counts_any(stmt: worker::D1PreparedStatement) -> Result<bool> {
    #[derive(serde::Deserialize)]
    struct Count {
        n: f64,
    }
    let row: Option<Count> = stmt.first(None).await?;
    Ok(row.is_some_and(|r| r.n > 0.0))
}

/// Whether `origin` is registered for `partner`, so a page there may call the API for it.
pub async fn origin_allowed(env: &Env, partner: &str, origin: &str) -> Result<bool> {
    let stmt = env
        .d1(DB)?
        .prepare("SELECT COUNT(*) AS n FROM partner_origins WHERE partner_id = ?1 AND origin = ?2")
        .bind(&[partner.into(), origin.into()])?;
    counts_any(stmt).await
}

/// Stores a batch in one D1 batch (all or nothing); `Ok(false)` when the partner is unknown.
/// Each insert checks the partner itself, so a batch costs one round trip.
pub async fn insert_events(env: &Env, batch: &inflow_core::funnel::EventBatch) -> Result<bool> {
    let db = env.d1(DB)?;
    let now = now_iso();
    let mut statements = Vec::with_capacity(batch.events.len());
    for e in &batch.events {
        statements.push(
            db.prepare(
                "INSERT INTO funnel_events (partner_id, scene, session, kind, question, received_at) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM partners WHERE id = ?1)",
            )
            .bind(&[
                batch.partner.as_str().into(),
                batch.scene.as_str().into(),
                batch.session.as_str().into(),
                e.kind.as_str().into(),
                e.question.as_deref().map_or(JsValue::NULL, JsValue::from_str),
                now.as_str().into(),
            ])?,
        );
    }
    let results = db.batch(statements).await?;
    let first = results.first().map(|r| r.meta()).transpose()?.flatten();
    Ok(first.and_then(|m| m.changes).unwrap_or(0) > 0)
}
