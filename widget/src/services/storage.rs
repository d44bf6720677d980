//! The conversation kept in the host tab's sessionStorage so a reload or a navigation within the
//! partner's site resumes it. Written only after the visitor has interacted with the chat.
//!
//! Storage, `JSON.parse` and the JSON text written come from the pristine realm and from Rust
//! (see `realm`), so a host page's patched `Storage`, `JSON` or prototypes cannot lose a
//! finished chat — which would ask for consent again and send a second lead.

use inflow_core::lead::consent::ConsentRecord;
use inflow_core::lead::questionnaire::Answers;
use inflow_core::support::json_text::{self, Json};
use inflow_core::Lang;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

use super::api::{self, Answered};
use super::realm;

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub lang: Lang,
    pub answers: Answers,
    /// The edge's answer, once the lead was accepted.
    pub response: Option<Answered>,
    /// The idempotency key of a lead sent but not yet answered, and the language it was sent in.
    pub pending: Option<(String, Lang)>,
    pub consent: Option<ConsentRecord>,
}

fn key(partner: &str) -> String {
    format!("inflow:v1:{partner}")
}

fn storage() -> Option<Storage> {
    // Storage can be disabled or throw (privacy modes, sandboxed frames): then we do without.
    realm::window()?.session_storage().ok()?
}

fn lang(tag: Option<String>) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| tag.as_deref() == Some(l.tag()))
}

pub fn load(partner: &str) -> Option<Snapshot> {
    let raw = storage()?.get_item(&key(partner)).ok()??;
    let v = realm::parse_json(&raw)?;
    let text = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|s| s.as_string());
    let answers_obj = Reflect::get(&v, &JsValue::from_str("answers")).ok()?;
    if !answers_obj.is_object() {
        return None;
    }
    let mut answers = Answers::new();
    for entry in Object::entries(answers_obj.unchecked_ref()).iter() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(q), Some(c)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            answers.insert(q, c);
        }
    }
    let consent = Reflect::get(&v, &JsValue::from_str("consent"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| {
            Some(ConsentRecord {
                version: text(&c, "version")?,
                accepted_at: text(&c, "accepted_at")?,
                contact: text(&c, "contact"),
            })
        });
    let pending = text(&v, "pending_key").map(|k| (k, lang(text(&v, "pending_lang")).unwrap_or_default()));
    Some(Snapshot {
        lang: lang(text(&v, "lang"))?,
        answers,
        response: text(&v, "response").and_then(|raw| api::parse_response(&raw)),
        pending,
        consent,
    })
}

pub fn save(partner: &str, snap: &Snapshot) {
    let Some(store) = storage() else { return };
    let mut fields = vec![
        ("lang", Json::Str(snap.lang.tag())),
        ("answers", json_text::strings(snap.answers.iter())),
    ];
    if let Some(answered) = &snap.response {
        fields.push(("response", Json::Str(&answered.raw)));
    }
    if let Some((k, l)) = &snap.pending {
        fields.push(("pending_key", Json::Str(k)));
        fields.push(("pending_lang", Json::Str(l.tag())));
    }
    if let Some(c) = &snap.consent {
        let mut consent = vec![
            ("version", Json::Str(&c.version)),
            ("accepted_at", Json::Str(&c.accepted_at)),
        ];
        if let Some(contact) = &c.contact {
            consent.push(("contact", Json::Str(contact)));
        }
        fields.push(("consent", Json::Obj(consent)));
    }
    let _ = store.set_item(&key(partner), &Json::Obj(fields).text());
}

pub fn clear(partner: &str) {
    if let Some(store) = storage() {
        let _ = store.remove_item(&key(partner));
    }
}
