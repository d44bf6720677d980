//! Issue 11.7: a visitor saving data (`navigator.connection.saveData`) or on 2G downloads the
//! chat only when they first interact; everyone else still gets it preloaded when idle.

use std::time::Duration;

use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile::{self, Page};
use inflow_tests::{Browser, Worker};
use serde_json::json;

const FETCHED: &str =
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('/w/inflow_widget')).length";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_savers_load_the_chat_on_first_interaction_only() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::serve(
        &worker.base,
        &[Page {
            path: "/",
            kit: &["network.js"],
            widget: true,
            lang: Some("en"),
        }],
    )
    .expect("partner site");
    let b = Browser::start().await.expect("chromium");
    for net in ["save", "2g"] {
        b.client.goto(&format!("{site}/?net={net}")).await.expect("page");
        b.widget_element(".bubble", WAIT).await.expect("bubble");
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(
            chat::js(&b, FETCHED).await.expect("js"),
            json!(0),
            "{net}: nothing fetched before interaction"
        );
        b.click_widget(".bubble").await.expect("bubble");
        b.widget_element(".panel", WAIT).await.expect("the chat opens on click");
        let fetched = chat::js(&b, FETCHED).await.expect("js");
        assert!(
            fetched.as_u64().is_some_and(|n| n > 0),
            "{net}: fetched on click ({fetched})"
        );
        hostile::forget_session(&b, &site).await.expect("forget open");
    }
    // Everyone else: preloaded when the page is idle.
    b.client.goto(&format!("{site}/")).await.expect("page");
    let idle = format!("{}) > 0", FETCHED.replace("return ", "return ("));
    chat::wait_for(&b, &idle, "idle preload").await.expect("preloaded");
    b.close().await.expect("close");
}
