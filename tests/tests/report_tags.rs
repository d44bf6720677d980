//! Partners' own tracking (issue 15 item 5) against `wrangler dev` and a real Chromium: a
//! partner's page carries `data-sub-id`, `data-utm-source` and `data-utm-campaign` on the
//! script tag → the visitor's funnel events and lead carry them → the lead's click-out and the
//! bank's conversion on it are counted under them → `GET /v1/reports?group_by=sub_id` (and
//! `utm_source`, `utm_campaign`, JSON and CSV) shows the conversion under that sub-id. A
//! hostile page's tags (a bidi override, an overlong value, only invisible characters) are left out by the widget, which
//! keeps working and keeps the page's valid tag; the edge refuses them (400 `invalid_field`).

use inflow_tests::bank::{agent, click, click_id, conversion, now, request, DEMO_BANK};
use inflow_tests::fixture::{self, File};
use inflow_tests::worker::shared;
use inflow_tests::{chat, problem, Browser, Worker};
use serde_json::{json, Value};
use std::time::Duration;

const PARTNER_KEY: &str = "rk_edu-demo_local";
const BANK_KEY: &str = "rk_bank_demo_local";

/// A partner page on a new origin registered for edu-demo, whose script tag carries `attrs`
/// (already HTML-escaped). Returns the origin.
fn tagged_page(w: &Worker, attrs: &str) -> String {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Partner</title></head>\
         <body><p>A partner's page.</p><script async src=\"{}/widget.js\" data-partner=\"edu-demo\" \
         data-scene=\"education\" data-lang=\"en\" {attrs}></script></body></html>",
        w.base
    );
    let site = fixture::serve(
        vec![File {
            path: "/",
            content_type: "text/html; charset=utf-8",
            body,
        }],
        vec![],
    )
    .expect("partner site");
    w.d1(&format!(
        "INSERT INTO partner_origins (partner_id, origin) VALUES ('edu-demo', '{site}')"
    ))
    .expect("origin");
    site
}

/// Opens the widget on `url`, answers every question, declines contact, and returns the first
/// card's click-out link once the recommendations show.
async fn chat_to_cards(b: &Browser, url: &str) -> String {
    b.client.goto(url).await.expect("page");
    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(b, chat::PICKS.len()).await.expect("answers");
    b.widget_element(".consent .decline", chat::WAIT)
        .await
        .expect("consent")
        .click()
        .await
        .expect("decline");
    b.widget_element(".card", chat::WAIT).await.expect("cards");
    let href = chat::js(
        b,
        "return document.querySelector('[data-inflow-widget]').shadowRoot.querySelector('.card a.apply').href",
    )
    .await
    .expect("href");
    href.as_str().expect("a link").to_string()
}

fn report(w: &Worker, key: &str, query: &str) -> Value {
    let a = request(
        agent()
            .get(&w.url(&format!("/v1/reports?{query}")))
            .set("authorization", &format!("Bearer {key}")),
        None,
    );
    assert_eq!(a.status, 200, "{query}: {:?}", a.body);
    a.body
}

fn group<'a>(r: &'a Value, name: &str) -> Option<&'a Value> {
    r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["group"] == name)
}

fn d1_row(w: &Worker, sql: &str) -> Value {
    w.d1(sql).expect("D1").first().cloned().unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversion_is_reported_under_the_script_tags_sub_id_and_utm_tags() {
    let w = shared();
    let site = tagged_page(
        &w,
        "data-sub-id=\"aff-42\" data-utm-source=\"wechat\" data-utm-campaign=\"spring sale\"",
    );
    let b = Browser::start().await.expect("chromium");
    // The page's URL has its own campaign: the script tag's wins; utm_medium comes from the URL.
    let link = chat_to_cards(&b, &format!("{site}/?utm_campaign=from-url&utm_medium=cpc")).await;
    b.close().await.expect("close");

    let lead = d1_row(
        &w,
        "SELECT sub_id, utm_source, utm_campaign, json_extract(attribution, '$.utm_medium') AS medium \
         FROM leads WHERE sub_id = 'aff-42'",
    );
    assert_eq!(
        (&lead["utm_source"], &lead["utm_campaign"], &lead["medium"]),
        (&json!("wechat"), &json!("spring sale"), &json!("cpc")),
        "the lead carries the script tag's tags and the URL's other parameters: {lead}"
    );
    // The impression and the open were sent by the loader with the tags (sendBeacon may land
    // after the lead: wait for it).
    inflow_tests::wait_until("the tagged impression", Duration::from_secs(20), || {
        d1_row(
            &w,
            "SELECT COUNT(*) AS n FROM funnel_events WHERE sub_id = 'aff-42' AND kind = 'impression'",
        )["n"]
            .as_i64()
            == Some(1)
    });

    let clicked = click(&link, "Mozilla/5.0 (report tags)");
    let id = click_id(&clicked);
    let posted = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&id, "funded", "TAGS-1", 80_000, now()),
    );
    assert_eq!(posted.status, 201, "{:?}", posted.body);

    let today = inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(now());
    let range = format!("from={today}&to={today}");
    let by_sub = report(&w, PARTNER_KEY, &format!("{range}&group_by=sub_id"));
    let row = group(&by_sub, "aff-42").unwrap_or_else(|| panic!("no aff-42 row: {by_sub}"));
    assert_eq!(
        (
            &row["impressions"],
            &row["chats_opened"],
            &row["qualified_leads"],
            &row["clicks"],
            &row["conversions"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1), &json!(1)),
        "{row}"
    );
    assert_eq!(row["conversion_value_minor"], 80_000);
    assert_eq!(by_sub["group_by"], "sub_id");
    // The groups add up to the report's totals: the untagged rest is "(none)".
    let by_day = report(&w, PARTNER_KEY, &range);
    for m in [
        "impressions",
        "qualified_leads",
        "clicks",
        "conversions",
        "payout_pending_minor",
        "payout_approved_minor",
    ] {
        let sum = |r: &Value| {
            r["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|x| x[m].as_i64().unwrap_or(0))
                .sum::<i64>()
        };
        assert_eq!(sum(&by_sub), sum(&by_day), "{m} by sub_id and by day");
    }
    for (grouping, value) in [("utm_source", "wechat"), ("utm_campaign", "spring sale")] {
        let r = report(&w, PARTNER_KEY, &format!("{range}&group_by={grouping}"));
        let row = group(&r, value).unwrap_or_else(|| panic!("no {value} row by {grouping}: {r}"));
        assert_eq!(row["conversions"], 1, "{grouping}: {row}");
    }
    assert!(
        group(
            &report(&w, PARTNER_KEY, &format!("{range}&group_by=utm_campaign")),
            "from-url"
        )
        .is_none(),
        "the script tag's campaign wins over the URL's"
    );
    // The bank sees the conversion under the partner's sub-id too; CSV carries the same group.
    let bank = report(&w, BANK_KEY, &format!("{range}&group_by=sub_id&partner=edu-demo"));
    assert_eq!(
        group(&bank, "aff-42").map(|r| r["conversions"].clone()),
        Some(json!(1)),
        "{bank}"
    );
    let csv = ureq::get(&w.url(&format!("/v1/reports?{range}&group_by=sub_id&format=csv")))
        .set("authorization", &format!("Bearer {PARTNER_KEY}"))
        .call()
        .expect("csv")
        .into_string()
        .expect("text");
    assert!(csv.lines().any(|l| l.starts_with("aff-42,1,1,1,")), "{csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_pages_tags_are_left_out_and_the_widget_keeps_working() {
    let w = shared();
    let long = "x".repeat(65);
    // A bidi override (U+202E) in the sub-id, an overlong source on the tag and only invisible
    // characters (a zero-width space and a word joiner) in the URL's source, which the widget
    // reads when the tag's is left out; the campaign is valid.
    let site = tagged_page(
        &w,
        &format!("data-sub-id=\"&#x202e;moc.knab\" data-utm-source=\"{long}\" data-utm-campaign=\"hostile-page\""),
    );
    let b = Browser::start().await.expect("chromium");
    let link = chat_to_cards(&b, &format!("{site}/?utm_source=%E2%80%8B%E2%81%A0")).await;
    b.close().await.expect("close");
    assert!(link.contains("/c/"), "the widget still recommends: {link}");
    let lead = d1_row(
        &w,
        "SELECT sub_id, utm_source, attribution FROM leads WHERE utm_campaign = 'hostile-page'",
    );
    assert_eq!(
        (&lead["sub_id"], &lead["utm_source"]),
        (&json!(""), &json!("")),
        "the invalid tags are left out, the valid one kept: {lead}"
    );
    inflow_tests::wait_until(
        "the page's events, without the invalid tags",
        Duration::from_secs(20),
        || {
            d1_row(
                &w,
                "SELECT COUNT(*) AS n FROM funnel_events WHERE utm_campaign = 'hostile-page' AND sub_id = ''",
            )["n"]
                .as_i64()
                .unwrap_or(0)
                >= 1
        },
    );
}

#[test]
fn the_edge_refuses_invalid_tags() {
    let w = shared();
    let events = |sub_id: &str| {
        request(
            agent().post(&w.url("/v1/events")).set("content-type", "text/plain"),
            Some(
                &json!({"partner": "edu-demo", "scene": "education", "session": "s-tags-0001",
                    "sub_id": sub_id, "events": [{"kind": "impression"}]})
                .to_string(),
            ),
        )
    };
    assert_eq!(events("aff-edge-only").status, 202);
    problem::assert(&events("a\u{202e}b"), 400, "invalid_field");
    problem::assert(&events(&"x".repeat(65)), 400, "invalid_field");
    problem::assert(&events("(other)"), 400, "invalid_field");
    // Shows nothing: a zero-width space, a right-to-left mark, a private-use character.
    for invisible in ["\u{200b}", "\u{200f} \u{2060}", "\u{e000}"] {
        problem::assert(&events(invisible), 400, "invalid_field");
    }
    let lead = |attribution: Value| {
        request(
            agent()
                .post(&w.url("/v1/leads"))
                .set("content-type", "application/json"),
            Some(
                &json!({"partner": "edu-demo", "scene": "education",
                    "answers": {"age": "30_44", "goal": "idle_cash", "horizon": "3_12m",
                        "amount": "10k_50k", "liquidity": "anytime"},
                    "attribution": attribution})
                .to_string(),
            ),
        )
    };
    let refused = lead(json!({"utm_source": "a\u{0007}b"}));
    problem::assert(&refused, 400, "invalid_field");
    assert!(
        refused.body["detail"].as_str().unwrap_or("").contains("utm_source"),
        "{:?}",
        refused.body
    );
    let report = request(
        agent()
            .get(&w.url("/v1/reports?from=2026-11-01&to=2026-11-02&group_by=utm_medium"))
            .set("authorization", &format!("Bearer {PARTNER_KEY}")),
        None,
    );
    problem::assert(&report, 400, "invalid_field");
}
