//! The edge API, over the pristine realm's `fetch` (see `realm`). The request's JSON is written
//! in Rust and answers are read with the pristine `JSON.parse`: a JSON library would cost
//! visitors kilobytes of wasm, and the host page's `JSON`, `fetch` and prototypes are not to be
//! trusted.

use std::cell::RefCell;
use std::rc::Rc;

use inflow_core::support::i18n::Localized;
use inflow_core::support::json_text::{self, Json};
use inflow_core::{LeadRequest, LeadResponse, Recommendation};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use super::realm;
use crate::config::Offer;

/// Why a lead is not answered yet. Every kind but `Config` and `Outdated` keeps the lead queued: it is sent
/// again, with the same Idempotency-Key, until the edge answers.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitError {
    /// No answer at all (offline, DNS, a blocked request).
    Network,
    /// An answer that is not the lead's (5xx, a problem caused on the way, an unreadable body).
    Later,
    /// The site is not set up for the partner (origin not registered, unknown partner):
    /// sending again cannot help, so nothing is retried.
    Config,
    /// The bank replaced its consent text while the visitor chatted (`consent_outdated`): the
    /// record names a text no longer on file, so resending cannot help; the page's next load
    /// shows the current text.
    Outdated,
}

/// A fresh Idempotency-Key for a lead. Without crypto (insecure contexts) the lead goes without
/// a key: stored, not deduplicated.
pub fn new_key() -> String {
    realm::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_default()
}

/// The lead as the JSON text the edge reads.
pub fn lead_json(lead: &LeadRequest) -> String {
    let mut fields = vec![
        ("partner", Json::Str(&lead.partner)),
        ("scene", Json::Str(lead.scene.as_str())),
        ("lang", Json::Str(lead.lang.tag())),
        ("answers", json_text::strings(lead.answers.iter())),
        ("attribution", json_text::strings(lead.attribution.iter())),
    ];
    if let Some(c) = &lead.consent {
        let mut consent = vec![
            ("version", Json::Str(&c.version)),
            ("accepted_at", Json::Str(&c.accepted_at)),
        ];
        if let Some(contact) = &c.contact {
            consent.push(("contact", Json::Str(contact)));
        }
        fields.push(("consent", Json::Obj(consent)));
    }
    Json::Obj(fields).text()
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

fn localized(v: &JsValue) -> Localized {
    Localized {
        zh_hans: string(v, "zh-Hans"),
        zh_hant: string(v, "zh-Hant"),
        en: string(v, "en"),
    }
}

/// The partner's offer from the edge's `WidgetConfig` (`GET /v1/widget/{partner}/{scene}`), as
/// the loader parsed it in the pristine frame; read field by field, like the lead's answer, to
/// keep a JSON library out of the wasm.
pub fn offer(config: &JsValue) -> Offer {
    let banks: Vec<Localized> = get(config, "banks")
        .dyn_ref::<Array>()
        .map(|a| a.iter().map(|b| localized(&get(&b, "name"))).collect())
        .unwrap_or_default();
    let consent = get(config, "consent");
    Offer::new(&banks, localized(&get(&consent, "text")), string(&consent, "version"))
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
        url: string(v, "url"),
        // The widget names the bank, it does not link to it by id.
        bank_id: String::new(),
        bank_name: string(v, "bank_name"),
    }
}

/// The edge's answer to a lead: read, for drawing, and its JSON text as received, kept for
/// resuming (see `storage`).
#[derive(Debug, Clone)]
pub struct Answered {
    pub response: Rc<LeadResponse>,
    pub raw: Rc<str>,
}

/// Two answers are the same when their texts are: yew compares the chat's state on every
/// change, and this spares it (and the wasm) a walk through every product's fields.
impl PartialEq for Answered {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

/// Reads an answer kept as the JSON text the edge sent.
pub fn parse_response(raw: &str) -> Option<Answered> {
    let v = realm::parse_json(raw)?;
    let recs = get(&v, "recommendations");
    let recs = recs.dyn_ref::<Array>()?;
    let response = LeadResponse {
        lead_id: get(&v, "lead_id").as_string()?,
        risk_tolerance: string(&v, "risk_tolerance"),
        recommendations: recs.iter().map(|r| recommendation(&r)).collect(),
        erasure_token: string(&v, "erasure_token"),
    };
    Some(Answered {
        response: Rc::new(response),
        raw: Rc::from(raw),
    })
}

thread_local! {
    /// The last cause told to the integrator, so each is told once, not on every retry.
    static TOLD: RefCell<String> = const { RefCell::new(String::new()) };
}

/// One console error per cause, for the site's developer (visitors read the chat's own words).
fn tell(cause: String) {
    TOLD.with(|told| {
        if *told.borrow() != cause {
            web_sys::console::error_1(&JsValue::from_str(&cause));
            told.replace(cause);
        }
    });
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Sends the lead with `key`; on success returns the edge's answer.
pub async fn submit_lead(api: &str, lead: &LeadRequest, key: &str) -> Result<Answered, SubmitError> {
    let resp = match post_json(&format!("{api}/v1/leads"), &lead_json(lead), key).await {
        Ok(r) => r,
        Err(e) => {
            tell(format!(
                "inflow: the lead could not reach {api} ({}); it stays queued and is retried with the same Idempotency-Key",
                e.as_string().unwrap_or_else(|| string(&e, "message"))
            ));
            return Err(SubmitError::Network);
        }
    };
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .unwrap_or_default();
    if resp.ok() {
        if let Some(answer) = parse_response(&text) {
            return Ok(answer);
        }
    }
    let problem = realm::parse_json(&text).unwrap_or(JsValue::UNDEFINED);
    let code = string(&problem, "code");
    if matches!(code.as_str(), "origin_not_allowed" | "unknown_partner") {
        tell(format!(
            "inflow: configuration error ({code}): the page's origin {} is not registered for partner \"{}\" — register it for the partner; no lead is sent from this origin",
            page_origin(),
            lead.partner
        ));
        return Err(SubmitError::Config);
    }
    if code == "consent_outdated" {
        return Err(SubmitError::Outdated);
    }
    tell(format!(
        "inflow: the edge answered HTTP {} {code} ({}); the lead stays queued and is retried with the same Idempotency-Key",
        resp.status(),
        string(&problem, "detail")
    ));
    Err(SubmitError::Later)
}

/// Asks the edge to erase the answered lead with its erasure token; whether it is erased (now
/// or before). The token is read from the answer kept in sessionStorage, never elsewhere.
pub async fn erase(api: &str, answer: &LeadResponse) -> bool {
    let body = Json::Obj(vec![("token", Json::Str(&answer.erasure_token))]).text();
    let url = format!("{api}/v1/leads/{}/erasure", answer.lead_id);
    post_json(&url, &body, "").await.is_ok_and(|r| r.ok())
}

async fn post_json(url: &str, body: &str, idempotency_key: &str) -> Result<Response, JsValue> {
    let headers = Object::new();
    Reflect::set(
        &headers,
        &JsValue::from_str("content-type"),
        &JsValue::from_str("application/json"),
    )?;
    Reflect::set(
        &headers,
        &JsValue::from_str("idempotency-key"),
        &JsValue::from_str(idempotency_key),
    )?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    init.set_headers(&headers);
    let window = realm::window().ok_or_else(|| JsValue::from_str("no window"))?;
    // The pristine realm's Response is not `instanceof` this realm's: unchecked on purpose.
    Ok(JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .unchecked_into())
}
