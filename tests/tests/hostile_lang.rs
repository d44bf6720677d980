//! Issue 11.6: one language rule. The loader's small JS copy of `Lang::negotiate_all` gives every
//! row of core's table the same language (the built loader, run with the row as
//! `navigator.languages`); the widget's root carries `lang` and `translate="no"`, the bubble's
//! label follows the language, and the whole list is read (`fr-FR, zh-TW` → Traditional); on a
//! right-to-left host page the chat stays left to right.

use inflow_core::support::i18n::NEGOTIATION_TABLE;
use inflow_core::Lang;
use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile::{self, Page};
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

fn label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Savings helper",
        Lang::ZhHans | Lang::ZhHant => "存款小助手",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loader_and_core_negotiate_the_same_language() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::serve(
        &worker.base,
        &[
            Page {
                path: "/blank",
                kit: &[],
                widget: false,
                lang: None,
            },
            Page {
                path: "/",
                kit: &[],
                widget: true,
                lang: None,
            },
        ],
    )
    .expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/blank")).await.expect("page");
    for (list, want) in NEGOTIATION_TABLE {
        let tags: Vec<&str> = list.split(',').collect();
        b.client
            .execute(
                "document.querySelectorAll('[data-inflow-widget]').forEach(h => h.remove()); delete window.inflow;\
                 Object.defineProperty(navigator, 'languages', { value: arguments[0], configurable: true });\
                 const s = document.createElement('script'); s.src = arguments[1] + '/widget.js';\
                 s.dataset.partner = 'edu-demo'; document.body.appendChild(s); return true",
                vec![json!(tags), json!(worker.base)],
            )
            .await
            .expect("load the loader");
        // The bubble is drawn once the edge has told the loader the partner's offer.
        chat::wait_for(
            &b,
            "const h = document.querySelector('[data-inflow-widget]');\
             return !!window.inflow && !!h && !!h.shadowRoot.querySelector('.bubble')",
            "the loader's bubble",
        )
        .await
        .expect("loader ran");
        let got = chat::js(
            &b,
            "const h = document.querySelector('[data-inflow-widget]');\
             return [h.getAttribute('lang'), h.getAttribute('translate'), h.shadowRoot.querySelector('.bubble').getAttribute('aria-label')]",
        )
        .await
        .expect("read");
        assert_eq!(
            got,
            json!([want.tag(), "no", label(*want)]),
            "navigator.languages = {list}"
        );
    }

    // The whole list, on a real page: French first, then Taiwanese Chinese.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "Object.defineProperty(navigator, 'languages', { value: ['fr-FR', 'zh-TW'] });" }),
    )
    .await
    .expect("languages");
    b.client.goto(&format!("{site}/")).await.expect("page");
    // A Japanese right-to-left host page: the chat keeps its own language and direction.
    chat::js(
        &b,
        "document.documentElement.lang = 'ja'; document.documentElement.dir = 'rtl'; return true",
    )
    .await
    .expect("rtl host");
    b.click_widget(".bubble").await.expect("bubble");
    let panel = b.widget_element(".panel", WAIT).await.expect("panel");
    assert_eq!(
        chat::js(
            &b,
            "const p = document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('.panel');\
             return [getComputedStyle(p).direction, p.matches(':lang(zh-Hant)')]"
        )
        .await
        .expect("direction"),
        json!(["ltr", true]),
        "left to right, in Traditional Chinese, on an rtl ja page"
    );
    let attrs: Vec<Value> = vec![
        json!(panel.attr("lang").await.expect("lang")),
        json!(panel.attr("translate").await.expect("translate")),
    ];
    assert_eq!(attrs, vec![json!("zh-Hant"), json!("no")]);
    let step = b
        .widget_element(".step", WAIT)
        .await
        .expect("step")
        .text()
        .await
        .expect("text");
    assert_eq!(step, "第 1/16 步");
    b.close().await.expect("close");
}
