//! The edge API, over `fetch`.

use inflow_core::{LeadRequest, LeadResponse, Problem};
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

pub async fn submit_lead(api: &str, lead: &LeadRequest) -> Result<LeadResponse, SubmitError> {
    let body = serde_json::to_string(lead).map_err(|e| SubmitError::Refused(e.to_string()))?;
    let resp = post_json(&format!("{api}/v1/leads"), &body)
        .await
        .map_err(|_| SubmitError::Network)?;
    let text = JsFuture::from(resp.text().map_err(|_| SubmitError::Network)?)
        .await
        .map_err(|_| SubmitError::Network)?
        .as_string()
        .unwrap_or_default();
    if resp.ok() {
        serde_json::from_str(&text).map_err(|e| SubmitError::Refused(e.to_string()))
    } else {
        let detail = serde_json::from_str::<Problem>(&text)
            .map(|p| p.detail)
            .unwrap_or_else(|_| format!("HTTP {}", resp.status()));
        Err(SubmitError::Refused(detail))
    }
}

async fn post_json(url: &str, body: &str) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let req = Request::new_with_str_and_init(url, &init)?;
    req.headers().set("content-type", "application/json")?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.fetch_with_request(&req))
        .await?
        .dyn_into::<Response>()
}
