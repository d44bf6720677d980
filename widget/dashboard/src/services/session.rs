//! The report key in sessionStorage, only when the user asks for it: it then lasts until the
//! tab is closed and is never written to localStorage, cookies or URLs.

const SLOT: &str = "inflow.dashboard.key";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn load() -> Option<String> {
    storage()?.get_item(SLOT).ok()?.filter(|k| !k.is_empty())
}

/// Keeps `key` when `remember`, and forgets any kept key otherwise.
pub fn keep(key: &str, remember: bool) {
    let Some(s) = storage() else { return };
    // Storage can refuse (quota, privacy mode); the dashboard works without it.
    let _ = if remember {
        s.set_item(SLOT, key)
    } else {
        s.remove_item(SLOT)
    };
}
