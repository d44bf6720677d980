//! inflow-widget: the chat, mounted by the loader (`loader/widget.js`) inside its shadow root.
//!
//! The loader owns the bubble and the page; this crate owns the conversation panel. It runs the
//! questionnaire from `inflow-core` locally and only talks to the edge once a lead is complete.

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

mod app;
mod components;
mod config;
mod hooks;
mod services;
mod state;
mod style;
mod texts;

use inflow_core::{Lang, Scene};
use wasm_bindgen::prelude::*;
use web_sys::ShadowRoot;

pub use app::App;
pub use config::{Config, WidgetEvent};

fn event_detail(e: &WidgetEvent) -> (&'static str, JsValue) {
    let obj = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &v);
    };
    let name = match e {
        WidgetEvent::Answer { question, choice } => {
            set("question", JsValue::from_str(question));
            set("choice", JsValue::from_str(choice));
            "answer"
        }
        WidgetEvent::Lead { lead_id } => {
            set("lead_id", JsValue::from_str(lead_id));
            "lead"
        }
        WidgetEvent::Recommendation { product_ids } => {
            let ids: js_sys::Array = product_ids.iter().map(|id| JsValue::from_str(id)).collect();
            set("product_ids", ids.into());
            "recommendation"
        }
        WidgetEvent::Click { product_id } => {
            set("product_id", JsValue::from_str(product_id));
            "click"
        }
    };
    (name, obj.into())
}

/// Mounts the chat panel into `root` (the loader's shadow root). `on_close` is called when the
/// visitor closes the panel so the loader can hand focus back to the bubble; `emit(name, detail)`
/// passes the chat's events on to the host page's `window.inflow.on` handlers; `realm` returns the
/// current window of the loader's pristine frame, whose `fetch`, `JSON` and storage the chat
/// uses (see `services::realm`). `config` is the edge's offer for (partner, scene) the loader
/// fetched before it drew the bubble (core's `WidgetConfig` as an object of the pristine
/// realm): its banks' names and consent text are shown, its consent version is recorded. It
/// comes after the others so that a loader cached from before it (one that passes none) still
/// mounts. `attr` is the lead's attribution as the loader read and checked it (the partner's
/// tracking tags and UTM parameters, a query string); a loader from before it passes none.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn mount(
    root: ShadowRoot,
    partner: String,
    scene: String,
    lang: String,
    api: String,
    on_close: js_sys::Function,
    emit: js_sys::Function,
    realm: JsValue,
    config: JsValue,
    attr: Option<String>,
) -> Result<(), JsValue> {
    services::realm::set(realm);
    let scene = Scene::parse(&scene).ok_or_else(|| JsValue::from_str("unknown scene"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    style::adopt(&root)?;
    let panel = document.create_element("div")?;
    panel.set_class_name("panel-root");
    root.append_child(&panel)?;
    let config = Config {
        partner: partner.clone(),
        scene,
        offer: std::rc::Rc::new(services::api::offer(&config)),
        // The loader has already negotiated the tag (see loader/widget.js).
        lang: Lang::ALL.into_iter().find(|l| l.tag() == lang).unwrap_or_default(),
        api,
        attribution: services::page::attribution(&attr.unwrap_or_default()),
        restored: services::storage::load(&partner),
        on_close: yew::Callback::from(move |()| {
            // The loader's callback cannot fail in a way the chat could handle.
            let _ = on_close.call0(&JsValue::NULL);
        }),
        emit: yew::Callback::from(move |e: WidgetEvent| {
            let (name, detail) = event_detail(&e);
            let _ = emit.call2(&JsValue::NULL, &JsValue::from_str(name), &detail);
        }),
    };
    yew::Renderer::<App>::with_root_and_props(panel, config).render();
    Ok(())
}
