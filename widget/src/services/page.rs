//! What the host page tells us: campaign parameters from its URL.

use inflow_core::support::pairs::Pairs;

/// Query parameters a partner uses to attribute traffic; everything else on the URL is private
/// to the host page and is not read.
const KEYS: [&str; 6] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "sub_id",
];

pub fn attribution() -> Pairs {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Pairs::new();
    };
    KEYS.iter()
        .filter_map(|k| params.get(k).map(|v| (k.to_string(), v.chars().take(200).collect())))
        .collect()
}
