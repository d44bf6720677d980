//! The page around the app: its language, the clock and the default dates.

use inflow_core::report::Zone;

use crate::types::Lang;

pub fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// Tells the browser (and screen readers) which language the page is in now.
pub fn set_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The last 30 days up to today, as calendar days in `zone`.
pub fn last_30_days(zone: &Zone) -> (String, String) {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    (zone.day_of(now - 29 * 86_400), zone.day_of(now))
}
