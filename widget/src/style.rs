//! The panel's styles, adopted as a constructable stylesheet: no inline `<style>`, so strict
//! CSPs without 'unsafe-inline' still work, and nothing leaks into the host page.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, ShadowRoot};

const CSS: &str = include_str!("style.css");

pub fn adopt(root: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    let sheets = js_sys::Array::from(&root.adopted_style_sheets());
    sheets.push(sheet.unchecked_ref());
    root.set_adopted_style_sheets(&sheets);
    Ok(())
}
