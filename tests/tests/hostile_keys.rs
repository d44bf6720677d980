//! Issue 11.3: keys typed in the chat stay in the chat. A host page with single-key shortcuts
//! on `window` (which skip inputs by `event.target`, retargeted to the widget's host by the
//! shadow root) gets none of them, and Escape still closes the chat.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile::{self, Page};
use inflow_tests::{Browser, Worker};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_typed_in_the_chat_do_not_reach_host_shortcuts() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::serve(
        &worker.base,
        &[Page {
            path: "/",
            kit: &["shortcuts.js"],
            widget: true,
            lang: Some("en"),
        }],
    )
    .expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/")).await.expect("page");
    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .agree").await.expect("agree");
    let input = b.widget_element(".contact-input", WAIT).await.expect("contact input");
    input.send_keys("spfn/ 138 0013 8000").await.expect("type");
    assert_eq!(
        input.prop("value").await.expect("value").as_deref(),
        Some("spfn/ 138 0013 8000"),
        "every character typed reached the input"
    );
    assert_eq!(chat::js(&b, "return window.__shortcuts").await.expect("js"), json!([]));
    input.send_keys(&Key::Escape.to_string()).await.expect("escape");
    chat::wait_for(
        &b,
        "return !document.querySelector('[data-inflow-widget]').hasAttribute('data-open')",
        "Escape closes the chat",
    )
    .await
    .expect("closed");

    // The host's shortcuts still work on the host's own page.
    chat::js(
        &b,
        "document.querySelector('[data-inflow-widget]').shadowRoot.activeElement.blur(); return true",
    )
    .await
    .expect("blur");
    b.client
        .perform_actions(
            KeyActions::new("keys".into())
                .then(KeyAction::Down { value: 's' })
                .then(KeyAction::Up { value: 's' }),
        )
        .await
        .expect("key");
    assert_eq!(
        chat::js(&b, "return window.__shortcuts").await.expect("js"),
        json!(["s"])
    );
    b.close().await.expect("close");
}
