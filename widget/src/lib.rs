//! inflow-widget: the chat, mounted by the loader (`loader/widget.js`) inside its shadow root.
//!
//! The loader owns the bubble and the page; this crate owns the conversation panel. It runs the
//! questionnaire from `inflow-core` locally and only talks to the edge once a lead is complete.

mod app;
mod components;
mod services;
mod style;
mod texts;

use inflow_core::{Lang, Scene};
use wasm_bindgen::prelude::*;
use web_sys::ShadowRoot;

pub use app::{App, Config};

/// Mounts the chat panel into `root` (the loader's shadow root). `on_close` is called when the
/// visitor closes the panel so the loader can hand focus back to the bubble.
#[wasm_bindgen]
pub fn mount(
    root: ShadowRoot,
    partner: String,
    scene: String,
    lang: String,
    api: String,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    let scene = Scene::parse(&scene).ok_or_else(|| JsValue::from_str("unknown scene"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    style::adopt(&root)?;
    let panel = document.create_element("div")?;
    panel.set_class_name("panel-root");
    root.append_child(&panel)?;
    let config = Config {
        partner,
        scene,
        lang: Lang::negotiate(&lang),
        api,
        attribution: services::page::attribution(),
        on_close: yew::Callback::from(move |()| {
            // The loader's callback cannot fail in a way the chat could handle.
            let _ = on_close.call0(&JsValue::NULL);
        }),
    };
    yew::Renderer::<App>::with_root_and_props(panel, config).render();
    Ok(())
}
