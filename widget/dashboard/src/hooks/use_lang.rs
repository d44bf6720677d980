use yew::prelude::*;

use crate::services::page;
use crate::types::Lang;

/// The dashboard's language, first from the browser, and the page's `lang` kept in step.
#[hook]
pub fn use_lang() -> UseStateHandle<Lang> {
    let lang = use_state(page::browser_lang);
    use_effect_with(*lang, |l| page::set_lang(*l));
    lang
}
