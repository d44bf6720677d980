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

/// Stores the lead if its partner exists; `Ok(false)` means the partner is unknown and nothing
/// was written. One statement, so there is no window between the check and the write.
pub async fn insert_lead(env: &Env, id: &str, lead: &LeadRequest, decision: &Decision) -> Result<bool> {
    let db = env.d1(DB)?;
    let answers = serde_json::to_string(&lead.answers)?;
    let attribution = serde_json::to_string(&lead.attribution)?;
    let product_ids: Vec<&str> = decision.recommendations.iter().map(|r| r.product_id.as_str()).collect();
    let products = serde_json::to_string(&product_ids)?;
    let tags = serde_json::to_string(&decision.profile.tags)?;
    let result = db
        .prepare(
            "INSERT INTO leads (id, partner_id, scene, lang, answers, risk_tolerance, \
             recommended, attribution, created_at, propensity, tier, tags) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 \
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
            now_iso().into(),
            f64::from(decision.propensity).into(),
            decision.tier.as_str().into(),
            tags.into(),
        ])?
        .run()
        .await?;
    let changes = result.meta()?.and_then(|m| m.changes).unwrap_or(0);
    Ok(changes == 1)
}
