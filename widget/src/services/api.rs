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
    // JSON is encoded and decoded by the browser's own JSON object: no JSON library in the wasm.
    let body = serde_wasm_bindgen::to_value(lead)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string())
        .ok_or_else(|| SubmitError::Refused("cannot encode the lead".into()))?;
    let resp = post_json(&format!("{api}/v1/leads"), &body)
        .await
        .map_err(|_| SubmitError::Network)?;
    let json = JsFuture::from(resp.json().map_err(|_| SubmitError::Network)?).await;
    if resp.ok() {
        let value = json.map_err(|_| SubmitError::Refused("the answer is not JSON".into()))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| SubmitError::Refused(e.to_string()))
    } else {
        let detail = json
            .ok()
            .and_then(|v| serde_wasm_bindgen::from_value::<Problem>(v).ok())
            .map(|p| p.detail)
            .unwrap_or_else(|| format!("HTTP {}", resp.status()));
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
