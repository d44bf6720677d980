//! What the Worker reads from its runtime: the clock, secrets and who is calling.

use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{js_sys, Env, Request, Result};

/// Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Now as RFC 3339 with milliseconds, UTC (`2026-01-02T03:04:05.678Z`).
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

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

/// A Worker secret (or, under `wrangler dev`, a value from the env file). Missing secrets are
/// an operator error, so they surface as an internal error rather than a silent default.
pub fn secret(env: &Env, name: &str) -> Result<Vec<u8>> {
    let value = env.secret(name)?.to_string();
    if value.len() < 16 {
        return Err(worker::Error::RustError(format!(
            "secret {name} must be at least 16 bytes"
        )));
    }
    Ok(value.into_bytes())
}

/// The client's address as Cloudflare reports it; it cannot be forged in production because
/// the edge overwrites the header. `wrangler dev` sets it only when absent.
pub fn client_ip(req: &Request) -> String {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent(req: &Request) -> String {
    let ua = req.headers().get("user-agent").ok().flatten();
    // Bounded so a huge header cannot bloat what is hashed or logged.
    ua.unwrap_or_default().chars().take(512).collect()
}
