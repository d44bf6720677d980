//! What the host page tells us: the partner's tracking and campaign parameters, as the loader
//! read them from the script tag and the page URL and checked them (widget/loader/widget.js).

use inflow_core::support::pairs::Pairs;

/// Parameters a partner uses to attribute traffic; nothing else is kept.
const KEYS: [&str; 6] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "sub_id",
];

/// The attribution of the lead from the loader's query string `attr` (none from a loader older
/// than the tags: the URL is not read again here, as the loader left out what the edge refuses).
pub fn attribution(attr: &str) -> Pairs {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(attr) else {
        return Pairs::new();
    };
    KEYS.iter()
        .filter_map(|k| params.get(k).map(|v| (k.to_string(), v.chars().take(200).collect())))
        .collect()
}
