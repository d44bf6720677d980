//! The widget as a host page and a visitor meet it, in headless Chromium against `wrangler dev`:
//! nothing stored before interaction, one global with events, resume after reload without a
//! second lead, language switch keeping answers, inert hostile input, keyboard close with focus
//! returned, one widget when included twice, and a full-screen chat on a phone.

use std::time::Duration;

use fantoccini::key::Key;
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

use inflow_tests::chat::{self, WAIT};

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script runs")
}

async fn wait_for(b: &Browser, script: &str, what: &str) {
    chat::wait_for(b, script, what).await.expect(what);
}

async fn answer(b: &Browser, n: usize) {
    chat::answer(b, n).await.expect("answers");
}

async fn step_text(b: &Browser) -> String {
    b.widget_element(".step", WAIT)
        .await
        .expect("step")
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_behaves_for_host_pages_and_visitors() {
    let worker = Worker::start().expect("wrangler dev starts");
    let b = Browser::start().await.expect("chromium starts");
    let hostile = "<img src=x onerror=window.__pwned=1>";
    let url = worker.url(&format!(
        "/scenes/education/?utm_source={}&utm_campaign=spring&sub_id=s-77&private=secret",
        urlencode(hostile)
    ));
    b.client.goto(&url).await.expect("open scene");

    // Before any interaction: the chat is fetched when the page is idle, and nothing is stored.
    wait_for(
        &b,
        "return performance.getEntriesByType('resource').some(e => e.name.endsWith('inflow_widget_bg.wasm'))",
        "the wasm to be prefetched on idle",
    )
    .await;
    let untouched = js(
        &b,
        "return [document.cookie, localStorage.length, sessionStorage.length]",
    )
    .await;
    assert_eq!(
        untouched,
        json!(["", 0, 0]),
        "nothing written before the visitor interacts"
    );
    let globals = js(
        &b,
        "return Object.keys(window).filter(k => k.toLowerCase().includes('inflow'))",
    )
    .await;
    assert_eq!(globals, json!(["inflow"]), "one global");
    assert_eq!(
        js(
            &b,
            "return document.head.querySelectorAll('[data-inflow-widget], style').length"
        )
        .await,
        json!(0)
    );

    // Host page handlers see the widget's events.
    js(
        &b,
        "window.__events = []; ['open','close','answer','lead','recommendation','click']\
         .forEach(n => window.inflow.on(n, d => window.__events.push([n, d]))); return true",
    )
    .await;
    b.click_widget(".bubble").await.expect("bubble");
    answer(&b, 3).await;
    assert_eq!(step_text(&b).await, "Step 4 of 16");
    let names = js(&b, "return window.__events.map(e => e[0])").await;
    assert_eq!(names, json!(["open", "answer", "answer", "answer"]));
    assert_eq!(js(&b, "return window.__events[1][1].question").await, json!("age"));

    // A reload resumes the open chat where it was.
    b.client.refresh().await.expect("reload");
    b.widget_element(".panel", WAIT).await.expect("chat reopens by itself");
    wait_for(
        &b,
        "return document.querySelector('[data-inflow-widget]').hasAttribute('data-open')",
        "reopen",
    )
    .await;
    assert_eq!(b.widget_count(".msg.me").await.expect("count"), 3);
    assert_eq!(step_text(&b).await, "Step 4 of 16");

    // Switching language keeps the answers and re-words the whole log.
    b.click_widget(".lang[lang='zh-Hant']").await.expect("zh-Hant");
    assert_eq!(step_text(&b).await, "第 4/16 步");
    assert_eq!(b.widget_count(".msg.me").await.expect("count"), 3);
    b.click_widget(".lang[lang='en']").await.expect("en");

    // Finish: one lead, with the page's attribution stored verbatim and rendered nowhere.
    js(&b, "window.__events = []; ['lead','recommendation'].forEach(n => window.inflow.on(n, d => window.__events.push([n, d]))); return true").await;
    answer(&b, 10).await;
    // The network drops just as the lead is sent (the widget's own transport, its pristine
    // frame's fetch, fails): the widget says so, keeps the lead and sends it when the browser
    // is back online.
    js(
        &b,
        "const f = document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('iframe').contentWindow;\
         window.__fetch = f.fetch; f.fetch = () => Promise.reject(new TypeError('offline')); return true",
    )
    .await;
    b.click_widget(".consent .decline").await.expect("consent");
    wait_for(&b, "return [...document.querySelector('[data-inflow-widget]').shadowRoot.querySelectorAll('.msg.bot')].some(m => m.textContent.includes('network'))", "the offline notice").await;
    assert_eq!(
        worker.d1("SELECT COUNT(*) AS n FROM leads").expect("query D1")[0]["n"],
        0
    );
    js(
        &b,
        "document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('iframe').contentWindow.fetch = window.__fetch;\
         window.dispatchEvent(new Event('online')); return true",
    )
    .await;
    b.widget_element(".card", WAIT).await.expect("cards");
    wait_for(
        &b,
        "return window.__events.length === 2",
        "lead and recommendation events",
    )
    .await;
    assert_eq!(
        js(&b, "return window.__events.map(e => e[0])").await,
        json!(["lead", "recommendation"])
    );
    assert_eq!(js(&b, "return window.__pwned === undefined").await, json!(true));

    // After a reload the answer is shown again without sending the lead twice.
    b.client.refresh().await.expect("reload");
    b.widget_element(".card", WAIT).await.expect("cards restored");
    let rows = worker.d1("SELECT attribution FROM leads").expect("query D1");
    assert_eq!(rows.len(), 1, "exactly one lead");
    let attribution: Value = serde_json::from_str(rows[0]["attribution"].as_str().unwrap_or("{}")).expect("json");
    assert_eq!(attribution["utm_source"], hostile);
    assert_eq!(attribution["sub_id"], "s-77");
    assert_eq!(attribution["utm_campaign"], "spring");
    assert!(
        attribution.get("private").is_none(),
        "only attribution parameters are read"
    );

    // Escape closes the chat and gives focus back to the bubble.
    b.widget_element(".close", WAIT)
        .await
        .expect("close")
        .send_keys(&Key::Escape.to_string())
        .await
        .expect("esc");
    wait_for(
        &b,
        "return !document.querySelector('[data-inflow-widget]').hasAttribute('data-open')",
        "close",
    )
    .await;
    let focused = js(
        &b,
        "return document.querySelector('[data-inflow-widget]').shadowRoot.activeElement.className",
    )
    .await;
    assert_eq!(focused, json!("bubble"));

    // Including the script a second time leaves one widget.
    js(&b, "const s = document.createElement('script'); s.src = '/widget.js'; s.dataset.partner = 'edu-demo'; document.body.appendChild(s); return true").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        js(&b, "return document.querySelectorAll('[data-inflow-widget]').length").await,
        json!(1)
    );

    // On a phone the chat opens full-screen with readable controls and a reachable close button.
    b.client.set_window_size(375, 667).await.expect("resize");
    b.click_widget(".bubble").await.expect("bubble");
    let layout = js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         const p = r.querySelector('.panel').getBoundingClientRect();\
         const c = r.querySelector('.close').getBoundingClientRect();\
         const f = parseFloat(getComputedStyle(r.querySelector('.restart')).fontSize);\
         return [Math.round(p.width), Math.round(p.height), innerWidth, innerHeight,\
                 c.top >= 0 && c.right <= innerWidth && c.bottom <= innerHeight, f];",
    )
    .await;
    let l = layout.as_array().expect("layout");
    assert_eq!(l[0], l[2], "full width: {layout}");
    assert_eq!(l[1], l[3], "full height: {layout}");
    assert_eq!(l[4], json!(true), "close button on screen: {layout}");
    assert!(
        l[5].as_f64().unwrap_or(0.0) >= 16.0,
        "controls at least 16 px: {layout}"
    );
    b.close().await.expect("close browser");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
