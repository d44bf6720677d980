//! Issue 11.2: a host's naive `fetch` wrapper (headers dropped) cannot lose a lead; a lead that
//! fails on the way stays queued and is retried with the same Idempotency-Key, the visitor
//! reads a short message in the chat's language and the integrator one console error; an
//! origin not registered for the partner shows a configuration error instead of retrying.

use std::time::Duration;

use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile::{self, Page};
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

const PAGES: [Page; 2] = [
    Page {
        path: "/",
        kit: &["fetch-wrapper.js", "console.js"],
        widget: true,
        lang: Some("en"),
    },
    Page {
        path: "/zh",
        kit: &["fetch-wrapper.js", "console.js"],
        widget: true,
        lang: Some("zh-CN"),
    },
];

fn leads(w: &Worker) -> u64 {
    w.d1("SELECT COUNT(*) AS n FROM leads").expect("D1")[0]["n"]
        .as_u64()
        .unwrap_or(0)
}

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script")
}

/// Answers every question and declines contact, so the lead is sent.
async fn complete(b: &Browser) {
    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
}

/// Wraps the widget's own transport (its pristine frame's fetch) so the test sees every lead
/// sent: `__sent` records each call's Idempotency-Key, and the first `fail` calls (the page's
/// `__fail`, which the test may change) answer as a
/// broken proxy would (415) instead of reaching the edge.
async fn watch_transport(b: &Browser, fail: u32) {
    b.widget_element("iframe", WAIT).await.expect("the widget's frame");
    js(
        b,
        &format!(
            "const f = document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('iframe').contentWindow;\
             const fetch = f.fetch; window.__fail = {fail}; window.__sent = [];\
             f.fetch = function (url, init) {{\
               window.__sent.push(new f.Headers(init.headers).get('idempotency-key'));\
               if (window.__fail-- > 0) return Promise.resolve(new f.Response('{{\"code\":\"unsupported_media_type\",\"status\":415,\"detail\":\"proxy\"}}', {{ status: 415 }}));\
               return fetch.call(f, url, init);\
             }}; return true"
        ),
    )
    .await;
}

fn bot_says(text: &str) -> String {
    format!(
        "return [...document.querySelector('[data-inflow-widget]').shadowRoot.querySelectorAll('.msg.bot')]\
         .some(m => m.textContent.includes({}))",
        json!(text)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leads_survive_host_fetch_wrappers_failures_and_unregistered_origins() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::serve(&worker.base, &PAGES).expect("partner site");
    let unregistered = hostile::serve(&worker.base, &PAGES).expect("unregistered site");
    worker
        .d1(&format!(
            "INSERT INTO partner_origins (partner_id, origin) VALUES ('edu-demo', '{site}')"
        ))
        .expect("register origin");
    let b = Browser::start().await.expect("chromium");

    // The host's wrapper drops headers; the widget does not send through it.
    b.client.goto(&format!("{site}/")).await.expect("page");
    complete(&b).await;
    b.widget_element(".card", WAIT).await.expect("recommendations");
    assert_eq!(leads(&worker), 1);
    assert_eq!(
        js(&b, "return window.__hostPosts").await,
        json!(0),
        "no POST through the host's fetch"
    );

    // A lead failing on the way (in Chinese): a short notice in Chinese, one console error
    // naming the cause, and retries with the same key until it is stored — once.
    hostile::forget_session(&b, &site).await.expect("forget the session");
    b.client.goto(&format!("{site}/zh")).await.expect("zh page");
    b.click_widget(".bubble").await.expect("bubble");
    watch_transport(&b, 3).await;
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
    chat::wait_for(&b, &bot_says("自动重试"), "the retry notice in Chinese")
        .await
        .expect("notice");
    b.widget_element(".card", WAIT)
        .await
        .expect("recommendations after retries");
    let sent = js(&b, "return window.__sent").await;
    let keys = sent.as_array().expect("keys");
    assert_eq!(keys.len(), 4, "three failures, then stored: {sent}");
    assert!(
        keys.iter()
            .all(|k| k == &keys[0] && k.as_str().is_some_and(|k| !k.is_empty())),
        "one key: {sent}"
    );
    assert_eq!(leads(&worker), 2);
    let errors = js(&b, "return window.__errors").await;
    assert_eq!(errors.as_array().map(Vec::len), Some(1), "one console error: {errors}");
    assert!(
        errors[0].as_str().unwrap_or("").contains("415"),
        "names the cause: {errors}"
    );

    // An origin not registered for the partner: a configuration error, said once, no retries.
    b.client
        .goto(&format!("{unregistered}/"))
        .await
        .expect("unregistered page");
    b.click_widget(".bubble").await.expect("bubble");
    watch_transport(&b, 0).await;
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
    chat::wait_for(&b, &bot_says("isn't set up"), "the configuration notice")
        .await
        .expect("notice");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(js(&b, "return window.__sent.length").await, json!(1), "not retried");
    let errors = js(&b, "return window.__errors").await;
    assert_eq!(errors.as_array().map(Vec::len), Some(1), "one console error: {errors}");
    let error = errors[0].as_str().unwrap_or("");
    assert!(
        error.contains(&unregistered) && error.contains("edu-demo"),
        "names origin and partner: {error}"
    );
    assert_eq!(
        b.widget_count(".replies .reply").await.expect("count"),
        0,
        "no retry button"
    );
    assert_eq!(leads(&worker), 2, "nothing stored for an unregistered origin");

    // Changed answers are a new lead, with a new key: a visitor whose lead keeps failing starts
    // over (the only way to change an answer once sent) and the next send has another key.
    hostile::forget_session(&b, &site).await.expect("forget the session");
    b.client.goto(&format!("{site}/")).await.expect("page");
    b.click_widget(".bubble").await.expect("bubble");
    watch_transport(&b, 1000).await;
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
    chat::wait_for(&b, &bot_says("keep trying"), "the retry notice")
        .await
        .expect("notice");
    b.click_widget(".restart").await.expect("start over");
    js(&b, "window.__fail = 0; return true").await;
    chat::answer(&b, chat::PICKS.len()).await.expect("answers again");
    b.click_widget(".consent .decline").await.expect("decline");
    b.widget_element(".card", WAIT).await.expect("recommendations");
    let sent = js(&b, "return window.__sent").await;
    let keys = sent.as_array().expect("keys");
    assert_ne!(keys.first(), keys.last(), "a new key for the new answers: {sent}");
    assert_eq!(leads(&worker), 3, "one lead for the new answers");

    // The edge's side: the preflight lets the request through, the refusal is readable.
    let preflight = ureq::request("OPTIONS", &worker.url("/v1/leads"))
        .set("origin", &unregistered)
        .set("access-control-request-method", "POST")
        .set("access-control-request-headers", "content-type, idempotency-key")
        .call()
        .expect("preflight");
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(unregistered.as_str())
    );
    b.close().await.expect("close");
}
