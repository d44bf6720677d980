//! The edge API, over `fetch`. JSON is built and read through the browser's own JSON and
//! object model rather than serde: that keeps a JSON library out of the wasm visitors download.

use inflow_core::{LeadRequest, LeadResponse, Recommendation};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

#[derive(Debug, Clone, PartialEq)]
pub enum SubmitError {
    /// The request never got an answer: offline, DNS, CORS.
    Network,
    /// The edge refused the lead, with its reason.
    Refused(String),
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object we created cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn map_object<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> Object {
    let obj = Object::new();
    for (k, v) in pairs {
        set(&obj, k, &JsValue::from_str(v));
    }
    obj
}

fn lead_json(lead: &LeadRequest) -> Option<String> {
    let obj = Object::new();
    set(&obj, "partner", &JsValue::from_str(&lead.partner));
    set(&obj, "scene", &JsValue::from_str(lead.scene.as_str()));
    set(&obj, "lang", &JsValue::from_str(lead.lang.tag()));
    set(&obj, "answers", &map_object(lead.answers.iter()));
    set(&obj, "attribution", &map_object(lead.attribution.iter()));
    if let Some(c) = &lead.consent {
        let consent = Object::new();
        set(&consent, "version", &JsValue::from_str(&c.version));
        set(&consent, "accepted_at", &JsValue::from_str(&c.accepted_at));
        if let Some(contact) = &c.contact {
            set(&consent, "contact", &JsValue::from_str(contact));
        }
        set(&obj, "consent", &consent);
    }
    js_sys::JSON::stringify(&obj).ok()?.as_string()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn string(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

fn number(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or(0.0)
}

fn strings(v: &JsValue) -> Vec<String> {
    v.dyn_ref::<Array>()
        .map(|a| a.iter().filter_map(|s| s.as_string()).collect())
        .unwrap_or_default()
}

fn recommendation(v: &JsValue) -> Recommendation {
    Recommendation {
        product_id: string(v, "product_id"),
        name: string(v, "name"),
        // The widget does not show the kind; the edge's value is kept out of the wasm.
        kind: inflow_core::ProductKind::DemandDeposit,
        risk: string(v, "risk"),
        yield_bps: number(v, "yield_bps") as u32,
        term_months: number(v, "term_months") as u16,
        min_amount_cny: number(v, "min_amount_cny") as u64,
        reasons: strings(&get(v, "reasons")),
        incentive: get(v, "incentive").as_string(),
        expected_value: 0.0,
        url: string(v, "url"),
    }
}

/// Reads an answer kept as JSON text (see `storage`).
pub fn parse_response(raw: &str) -> Option<LeadResponse> {
    lead_response(&js_sys::JSON::parse(raw).ok()?)
}

fn lead_response(v: &JsValue) -> Option<LeadResponse> {
    let recs = get(v, "recommendations");
    let recs = recs.dyn_ref::<Array>()?;
    Some(LeadResponse {
        lead_id: get(v, "lead_id").as_string()?,
        risk_tolerance: string(v, "risk_tolerance"),
        recommendations: recs.iter().map(|r| recommendation(&r)).collect(),
    })
}

/// Sends the lead; on success returns the edge's answer and its JSON text (kept for resuming).
pub async fn submit_lead(api: &str, lead: &LeadRequest, key: &str) -> Result<(LeadResponse, String), SubmitError> {
    let body = lead_json(lead).ok_or_else(|| SubmitError::Refused("cannot encode the lead".into()))?;
    let resp = post_json(&format!("{api}/v1/leads"), &body, key)
        .await
        .map_err(|_| SubmitError::Network)?;
    let json = JsFuture::from(resp.json().map_err(|_| SubmitError::Network)?).await;
    if resp.ok() {
        let v = json.map_err(|_| SubmitError::Refused("unexpected answer".into()))?;
        let raw = js_sys::JSON::stringify(&v)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        lead_response(&v)
            .map(|r| (r, raw))
            .ok_or_else(|| SubmitError::Refused("unexpected answer".into()))
    } else {
        let detail = json
            .map(|p| string(&p, "detail"))
            .ok()
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| format!("HTTP {}", resp.status()));
        Err(SubmitError::Refused(detail))
    }
}

async fn post_json(url: &str, body: &str, idempotency_key: &str) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let req = Request::new_with_str_and_init(url, &init)?;
    req.headers().set("content-type", "application/json")?;
    req.headers().set("idempotency-key", idempotency_key)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.fetch_with_request(&req))
        .await?
        .dyn_into::<Response>()
}
