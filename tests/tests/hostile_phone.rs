//! Issue 11.4 and 11.5, on a phone and a page whose root font size is 62.5 %: the contact
//! input is at least 16 px (no iOS zoom on focus), the page behind the full-screen chat does
//! not scroll (and gets its own overflow back on close), Enter confirming an input method's
//! candidate (keyCode 229) does not submit, full-width contact input is accepted and hashes as
//! its ASCII form, and the step counter runs through consent, contact and the result.

use std::time::Duration;

use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile;
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script")
}

async fn step(b: &Browser) -> String {
    b.widget_element(".step", WAIT)
        .await
        .expect("step")
        .text()
        .await
        .expect("text")
}

const OVERFLOW: &str = "const s = e => getComputedStyle(e).overflowY;\
    return [s(document.documentElement), s(document.body)]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_input_methods_and_full_width_contacts() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::registered_page(&worker, &["root-font.css", "console.js"]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.set_window_size(375, 667).await.expect("phone size");
    b.client.goto(&format!("{site}/")).await.expect("page");
    let before = js(&b, OVERFLOW).await;
    assert_eq!(before[0], json!("visible"), "{before}");

    // Full screen: the page behind does not scroll.
    b.click_widget(".bubble").await.expect("bubble");
    b.widget_element(".panel", WAIT).await.expect("panel");
    let open = js(&b, OVERFLOW).await;
    assert_eq!((&open[0], &open[1]), (&json!("hidden"), &json!("hidden")), "{open}");

    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    assert_eq!(step(&b).await, "Step 14 of 16", "consent is a step");
    b.click_widget(".consent .agree").await.expect("agree");
    assert_eq!(step(&b).await, "Step 15 of 16", "contact is a step");

    // Every text input at least 16 px, whatever the host's root font size.
    let input = b.widget_element(".contact-input", WAIT).await.expect("contact input");
    let sizes = js(
        &b,
        "return [...document.querySelector('[data-inflow-widget]').shadowRoot.querySelectorAll('input')]\
         .map(i => parseFloat(getComputedStyle(i).fontSize))",
    )
    .await;
    let sizes: Vec<f64> = sizes
        .as_array()
        .expect("sizes")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert!(
        !sizes.is_empty() && sizes.iter().all(|s| *s >= 16.0),
        "input font sizes {sizes:?}"
    );

    // Enter that confirms an input method's candidate (keyCode 229) does not submit.
    input
        .send_keys("１３８００１３８０００")
        .await
        .expect("type full-width digits");
    for kind in ["keyDown", "keyUp"] {
        b.cdp(
            "Input.dispatchKeyEvent",
            json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 229,
                    "nativeVirtualKeyCode": 229, "text": if kind == "keyDown" { "\r" } else { "" } }),
        )
        .await
        .expect("IME Enter");
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        b.widget_count(".contact-input").await.expect("count"),
        1,
        "still on the contact step"
    );
    assert_eq!(hostile::leads(&worker), 0, "nothing sent by an IME Enter");

    // Full-width digits, plus, dashes and ideographic space are a phone number.
    js(
        &b,
        "const i = document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('.contact-input');\
         i.value = ''; return true",
    )
    .await;
    input
        .send_keys("＋８６\u{3000}１３８－００１３－８０００\n")
        .await
        .expect("type full-width");
    b.widget_element(".card", WAIT).await.expect("recommendations");
    assert_eq!(b.widget_count(".contact-error").await.expect("count"), 0);
    assert_eq!(step(&b).await, "Step 16 of 16", "the result is the last step");

    // It hashes as the ASCII number does.
    let answers: serde_json::Map<String, Value> = inflow_core::lead::questionnaire::EXAMPLE
        .iter()
        .map(|(q, c)| (q.to_string(), json!(c)))
        .collect();
    let ascii = json!({
        "partner": "edu-demo", "scene": "education", "lang": "en", "answers": answers, "attribution": {},
        "consent": { "version": inflow_core::lead::consent::CONSENT_VERSION, "accepted_at": "2026-11-25T01:02:03Z",
                     "contact": "13800138000" }
    });
    let resp = ureq::post(&worker.url("/v1/leads"))
        .set("content-type", "application/json")
        .send_string(&ascii.to_string())
        .expect("ASCII lead");
    assert_eq!(resp.status(), 201);
    let hashes = worker
        .d1("SELECT COUNT(*) AS n, COUNT(DISTINCT contact_hash) AS h FROM leads WHERE contact_hash IS NOT NULL")
        .expect("D1");
    assert_eq!(
        (&hashes[0]["n"], &hashes[0]["h"]),
        (&json!(2), &json!(1)),
        "same person, same hash"
    );

    // Closing gives the page its scrolling back.
    b.click_widget(".close").await.expect("close");
    let closed = js(&b, OVERFLOW).await;
    assert_eq!(closed, before, "restored on close");
    b.close().await.expect("close");
}
