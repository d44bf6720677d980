//! Issue 11.1: a host page with Prototype.js 1.6-era globals (`Array.prototype.toJSON`,
//! `String.prototype.toJSON`, enumerable `Object.prototype` members, a replaced `JSON`, an
//! in-memory `sessionStorage`) changes nothing the widget sends or stores: the funnel batches
//! are accepted, and after a reload the results come back without a second lead.

use std::time::{Duration, Instant};

use inflow_tests::chat::{self, WAIT};
use inflow_tests::hostile;
use inflow_tests::{Browser, Worker};
use serde_json::json;

fn count(w: &Worker, sql: &str) -> u64 {
    w.d1(sql).expect("D1")[0]["n"].as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_prototypes_change_nothing_the_widget_sends_or_stores() {
    let worker = Worker::start().expect("wrangler dev starts");
    let site = hostile::registered_page(&worker, &["prototype.js", "console.js"]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{site}/")).await.expect("page");
    // The page really is patched the way Prototype.js patches it.
    assert_eq!(
        chat::js(&b, "return typeof JSON.parse(JSON.stringify({a: [1]})).a")
            .await
            .expect("js"),
        json!("string")
    );

    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .agree").await.expect("agree");
    b.widget_element(".contact-input", WAIT)
        .await
        .expect("contact input")
        .send_keys("13800138000\n")
        .await
        .expect("type contact");
    b.widget_element(".card", WAIT).await.expect("recommendations");
    assert_eq!(count(&worker, "SELECT COUNT(*) AS n FROM leads"), 1);
    assert_eq!(
        count(
            &worker,
            "SELECT COUNT(*) AS n FROM leads WHERE contact_hash IS NOT NULL"
        ),
        1,
        "the consent and contact arrived intact"
    );

    // A reload resumes the finished chat: the results, not the consent question again.
    b.client.refresh().await.expect("reload");
    b.widget_element(".card", WAIT).await.expect("results after reload");
    assert_eq!(
        b.widget_count(".consent").await.expect("count"),
        0,
        "consent not asked again"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&worker, "SELECT COUNT(*) AS n FROM leads"), 1, "no second lead");

    // The funnel batches (sent by beacon when the page was left) were accepted: every answer,
    // the lead and its recommendations are counted.
    b.client.goto("about:blank").await.expect("leave");
    let start = Instant::now();
    loop {
        let answers = count(&worker, "SELECT COUNT(*) AS n FROM funnel_events WHERE kind = 'answer'");
        let leads = count(&worker, "SELECT COUNT(*) AS n FROM funnel_events WHERE kind = 'lead'");
        if answers == chat::PICKS.len() as u64 && leads == 1 {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "funnel events arrived: {answers} answers, {leads} leads"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    b.close().await.expect("close");
}
