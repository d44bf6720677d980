//! Issue 11.2, a lead on a slow network: the visitor starts over while the lead is still on its
//! way. The late answer belongs to the old conversation — it must not put the old results or a
//! retry notice into the new one (which would then resend the new, empty conversation forever).

use std::time::Duration;

use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile;
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_to_a_lead_sent_before_starting_over_stays_out_of_the_new_chat() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::registered_page(&worker, &["console.js"]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/")).await.expect("page");
    b.click_widget(".bubble").await.expect("bubble");
    b.widget_element("iframe", WAIT).await.expect("the widget's frame");
    // A slow network: the widget's own transport (its frame's fetch) holds every request until
    // the test lets it go with `__go()`.
    js(
        &b,
        "const f = document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('iframe').contentWindow;\
         const fetch = f.fetch; window.__sent = 0; let go; const held = new Promise(r => { go = r; });\
         window.__go = () => go();\
         f.fetch = function (url, init) { window.__sent++; return held.then(() => fetch.call(f, url, init)); };\
         return true",
    )
    .await;
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
    chat::wait_for(&b, "return window.__sent === 1", "the lead on its way")
        .await
        .expect("sent");

    // Starting over while the lead is on its way; then the edge answers it.
    b.click_widget(".restart").await.expect("start over");
    js(&b, "window.__go(); return true").await;
    let start = std::time::Instant::now();
    while hostile::leads(&worker) < 1 {
        assert!(start.elapsed() < WAIT, "the first lead is stored");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        b.widget_count(".card").await.expect("count"),
        0,
        "no old results in the new chat"
    );
    assert_eq!(
        b.widget_count(".replies .reply[data-choice]").await.expect("count"),
        b.widget_count(".replies .reply").await.expect("count"),
        "the new chat asks its first question (no retry button)"
    );
    assert!(b.widget_count(".replies .reply[data-choice]").await.expect("count") > 0);
    assert_eq!(js(&b, "return window.__sent").await, json!(1), "nothing sent again");

    // The new conversation is a lead of its own.
    chat::answer(&b, chat::PICKS.len()).await.expect("answers again");
    b.click_widget(".consent .decline").await.expect("decline");
    b.widget_element(".card", WAIT).await.expect("recommendations");
    assert_eq!(hostile::leads(&worker), 2, "one lead per conversation");
    b.close().await.expect("close");
}
