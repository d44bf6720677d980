//! Issue 11.2, a host that moves the widget's element (a single-page app re-rendering its body,
//! Turbo's permanent elements, a page builder wrapping the body's children): moving an element
//! reloads the iframes inside it, so the pristine frame the widget sends and stores through is
//! a new window afterwards. The lead must still be sent — not hang on the old frame's window —
//! and a move made before the edge has answered the loader's question for the partner's offer
//! must not leave the page without its bubble.

use std::time::{Duration, Instant};

use inflow_tests::chat::{self, WAIT};
use inflow_tests::fixture::{self, File};
use inflow_tests::hostile;
use inflow_tests::{Browser, Worker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_is_sent_after_the_host_moves_the_widget() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::registered_page(&worker, &["fetch-wrapper.js", "console.js"]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/")).await.expect("page");
    b.click_widget(".bubble").await.expect("bubble");
    b.widget_element(".replies .reply", WAIT).await.expect("first question");
    // The host moves the widget's element to the top of its body.
    chat::js(
        &b,
        "document.body.prepend(document.querySelector('[data-inflow-widget]')); return true",
    )
    .await
    .expect("move");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("decline");
    let start = Instant::now();
    while hostile::leads(&worker) < 1 {
        assert!(start.elapsed() < WAIT, "the lead reaches the edge after the move");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    b.widget_element(".card", WAIT).await.expect("recommendations");
    assert_eq!(
        chat::js(&b, "return window.__hostPosts").await.expect("js"),
        serde_json::json!(0),
        "still not through the host's fetch"
    );
    b.close().await.expect("close");
}

/// A host script that moves the widget's element the moment the loader adds it — while the
/// loader is still asking the edge for the partner's offer through its frame, whose window the
/// move replaces.
const MOVE_AT_ONCE_JS: &str = "new MutationObserver(function (records, observer) {\n\
      var h = document.querySelector('[data-inflow-widget]');\n\
      if (h) { observer.disconnect(); document.body.prepend(h); }\n\
    }).observe(document.body, { childList: true });";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bubble_is_drawn_when_the_host_moves_the_widget_before_the_offer_arrives() {
    let worker = Worker::start().expect("wrangler dev starts");
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Partner</title></head>\
         <body><main><p>A partner's page.</p></main><script src=\"/move.js\"></script>\
         <script async src=\"{}/widget.js\" data-partner=\"edu-demo\" data-scene=\"education\" data-lang=\"en\"></script>\
         </body></html>",
        worker.base
    );
    let site = fixture::serve(
        vec![
            File {
                path: "/",
                content_type: "text/html; charset=utf-8",
                body: page,
            },
            File {
                path: "/move.js",
                content_type: "text/javascript",
                body: MOVE_AT_ONCE_JS.into(),
            },
        ],
        vec![],
    )
    .expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/")).await.expect("page");
    b.widget_element(".bubble", WAIT)
        .await
        .expect("the bubble, though the frame the offer was asked through is gone");
    assert_eq!(
        chat::js(
            &b,
            "return document.body.firstElementChild.hasAttribute('data-inflow-widget')"
        )
        .await
        .expect("js"),
        serde_json::json!(true),
        "the host did move it"
    );
    b.close().await.expect("close");
}
