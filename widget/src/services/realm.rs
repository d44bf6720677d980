//! The browser functions the widget sends and stores with, taken from a realm the host page
//! cannot have patched.
//!
//! The loader runs after the host's scripts, so `window.fetch`, `XMLHttpRequest`, `JSON`,
//! `sessionStorage` and the prototypes may already be wrapped or replaced (naive fetch wrappers
//! that drop headers, Prototype.js's `Array.prototype.toJSON`). The loader therefore hands the
//! chat the window of a fresh same-origin `about:blank` frame it keeps in its shadow root: its
//! functions are the browser's own, and it shares the page's origin, cookies-free CORS and
//! session storage. JSON text is written in Rust (`inflow_core::support::json_text`), never by a host
//! `JSON.stringify`.
//!
//! The loader gives a function returning the frame's *current* window, asked on every use:
//! when the host moves the widget's element (a re-rendered body, Turbo's permanent elements)
//! the frame is reloaded, and the window it had before is gone — a fetch on it never settles.

use std::cell::OnceCell;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Window;

thread_local! {
    static REALM: OnceCell<JsValue> = const { OnceCell::new() };
}

/// Keeps the loader's pristine realm: a function returning the frame's current window (or a
/// window itself); anything else leaves the page's own in use.
pub fn set(realm: JsValue) {
    if realm.is_object() || realm.is_function() {
        REALM.with(|r| {
            let _ = r.set(realm);
        });
    }
}

/// The pristine window when the loader gave one, else the page's.
pub fn window() -> Option<Window> {
    let realm = REALM.with(|r| r.get().cloned());
    let live = realm.and_then(|r| match r.dyn_ref::<Function>() {
        Some(current) => current.call0(&JsValue::UNDEFINED).ok().filter(JsValue::is_object),
        None => Some(r),
    });
    // A cross-realm window is not `instanceof` this realm's Window: unchecked on purpose.
    live.map(JsValue::unchecked_into).or_else(web_sys::window)
}

/// `JSON.parse` of the pristine realm: objects it makes have unpatched prototypes.
pub fn parse_json(text: &str) -> Option<JsValue> {
    let window: JsValue = window()?.into();
    let json = Reflect::get(&window, &JsValue::from_str("JSON")).ok()?;
    let parse = Reflect::get(&json, &JsValue::from_str("parse")).ok()?;
    // Checked with `typeof`, which holds across realms (unlike `instanceof`).
    parse.is_function().then_some(())?;
    parse
        .unchecked_ref::<Function>()
        .call1(&json, &JsValue::from_str(text))
        .ok()
}
