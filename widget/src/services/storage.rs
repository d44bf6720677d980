//! The conversation kept in the host tab's sessionStorage so a reload or a navigation within the
//! partner's site resumes it. Written only after the visitor has interacted with the chat.

use inflow_core::consent::ConsentRecord;
use inflow_core::questionnaire::Answers;
use inflow_core::Lang;
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;
use web_sys::Storage;

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub lang: Lang,
    pub answers: Answers,
    /// The edge's answer as received, once the lead was accepted.
    pub response: Option<String>,
    /// The idempotency key of a lead sent but not yet answered.
    pub pending_key: Option<String>,
    pub consent: Option<ConsentRecord>,
}

fn key(partner: &str) -> String {
    format!("inflow:v1:{partner}")
}

fn storage() -> Option<Storage> {
    // Storage can be disabled or throw (privacy modes, sandboxed frames): then we do without.
    web_sys::window()?.session_storage().ok()?
}

pub fn load(partner: &str) -> Option<Snapshot> {
    let raw = storage()?.get_item(&key(partner)).ok()??;
    let v = JSON::parse(&raw).ok()?;
    let get = |k: &str| Reflect::get(&v, &JsValue::from_str(k)).ok();
    let lang = Lang::ALL
        .into_iter()
        .find(|l| get("lang").and_then(|s| s.as_string()).as_deref() == Some(l.tag()))?;
    let answers_obj = get("answers")?;
    let mut answers = Answers::new();
    for entry in Object::entries(answers_obj.dyn_ref_object()?).iter() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(q), Some(c)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            answers.insert(q, c);
        }
    }
    let response = get("response").and_then(|r| r.as_string());
    let pending_key = get("pending_key").and_then(|r| r.as_string());
    let text = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|s| s.as_string());
    let consent = get("consent").filter(|c| c.is_object()).and_then(|c| {
        Some(ConsentRecord {
            version: text(&c, "version")?,
            accepted_at: text(&c, "accepted_at")?,
            contact: text(&c, "contact"),
        })
    });
    Some(Snapshot {
        lang,
        answers,
        response,
        pending_key,
        consent,
    })
}

pub fn save(partner: &str, snap: &Snapshot) {
    let Some(store) = storage() else { return };
    let obj = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&obj, &JsValue::from_str(k), v);
    };
    set("lang", &JsValue::from_str(snap.lang.tag()));
    let answers = Object::new();
    for (q, c) in snap.answers.iter() {
        let _ = Reflect::set(&answers, &JsValue::from_str(q), &JsValue::from_str(c));
    }
    set("answers", &answers);
    if let Some(r) = &snap.response {
        set("response", &JsValue::from_str(r));
    }
    if let Some(k) = &snap.pending_key {
        set("pending_key", &JsValue::from_str(k));
    }
    if let Some(c) = &snap.consent {
        let consent = Object::new();
        let put = |k: &str, v: &str| {
            let _ = Reflect::set(&consent, &JsValue::from_str(k), &JsValue::from_str(v));
        };
        put("version", &c.version);
        put("accepted_at", &c.accepted_at);
        if let Some(contact) = &c.contact {
            put("contact", contact);
        }
        set("consent", &consent);
    }
    if let Some(json) = JSON::stringify(&obj).ok().and_then(|s| s.as_string()) {
        let _ = store.set_item(&key(partner), &json);
    }
}

pub fn clear(partner: &str) {
    if let Some(store) = storage() {
        let _ = store.remove_item(&key(partner));
    }
}

trait DynRefObject {
    fn dyn_ref_object(&self) -> Option<&Object>;
}

impl DynRefObject for JsValue {
    fn dyn_ref_object(&self) -> Option<&Object> {
        use wasm_bindgen::JsCast;
        self.is_object().then(|| self.unchecked_ref::<Object>())
    }
}
