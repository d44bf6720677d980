//! The widget embedded as banks embed it: on a partner page of another origin, under the
//! strict CSP the README gives, with a hostile stylesheet. The edge serves only origins
//! registered for the partner; an unregistered origin gets a readable refusal and stores nothing.
//!
//! The tests share one Worker: the browser test counts the leads and funnel events it makes,
//! and the others store neither.

use std::time::Duration;

use inflow_tests::fixture::{self, File};
use inflow_tests::worker::{alone, shared};
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

use inflow_tests::chat::{self, WAIT};

/// The stylesheet of a careless partner: resets everything, huge type, z-index wars.
const HOSTILE_CSS: &str = "* { all: unset !important; }\n\
    html, body, p, main { display: block !important; font-size: 40px !important; }\n\
    div, button, section { position: relative !important; z-index: 2147483647 !important; font-size: 40px !important; }";

/// What a host page's performance monitoring sees, registered before any other script.
const OBSERVE_JS: &str = "window.__jank = { longtask: [], shift: [] };\n\
    new PerformanceObserver(l => l.getEntries().forEach(e => __jank.longtask.push(Math.round(e.duration))))\
      .observe({ type: 'longtask' });\n\
    new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) __jank.shift.push(e.value); }))\
      .observe({ type: 'layout-shift', buffered: true });";

fn partner_site(edge: &str) -> Result<String, anyhow::Error> {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Partner</title>\
         <script src=\"/observe.js\"></script>\
         <link rel=\"stylesheet\" href=\"/hostile.css\"></head>\
         <body><main><p id=\"host-text\">A partner's page.</p></main>\
         <script async src=\"{edge}/widget.js\" data-partner=\"edu-demo\" data-scene=\"education\" data-lang=\"en\"></script>\
         </body></html>"
    );
    let csp = fixture::strict_csp(edge);
    fixture::serve(
        vec![
            File {
                path: "/",
                content_type: "text/html; charset=utf-8",
                body: page,
            },
            File {
                path: "/hostile.css",
                content_type: "text/css",
                body: HOSTILE_CSS.into(),
            },
            File {
                path: "/observe.js",
                content_type: "text/javascript",
                body: OBSERVE_JS.into(),
            },
        ],
        vec![csp],
    )
}

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script")
}

async fn complete(b: &Browser) {
    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(b, chat::PICKS.len()).await.expect("answers");
    b.click_widget(".consent .decline").await.expect("consent");
}

fn leads(w: &Worker) -> u64 {
    w.d1("SELECT COUNT(*) AS n FROM leads").expect("D1")[0]["n"]
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_embed_under_strict_csp_and_hostile_css() {
    // Alone: it budgets the host page's long tasks, and a neighbouring test's `wrangler d1`
    // process would take the CPU from Chromium on a 2-core machine and fail it for no fault.
    let worker = alone();
    let registered = partner_site(&worker.base).expect("partner site");
    let unregistered = partner_site(&worker.base).expect("second partner site");
    worker
        .d1(&format!(
            "INSERT INTO partner_origins (partner_id, origin) VALUES ('edu-demo', '{registered}')"
        ))
        .expect("register origin");
    let b = Browser::start().await.expect("chromium");

    // Until the visitor opens it, the widget costs the host no long task (> 50 ms) and no
    // layout shift, including while the chat is fetched and compiled when the page is idle.
    // A layout shift fails at once. A long task is wall-clock time, and on a loaded 2-core
    // machine any 20 ms task can pass 50 ms (CI once saw 51 ms): the page is loaded up to three
    // times and one load without a long task shows the widget's own work fits; a widget that
    // blocks the host (a synchronous compile, say) fails all three.
    let mut seen = Vec::new();
    let mut loads = 0;
    for _ in 0..3 {
        loads += 1;
        b.client
            .goto(&format!("{registered}/?utm_source=partner-news"))
            .await
            .expect("partner page");
        b.widget_element(".bubble", WAIT).await.expect("bubble drawn");
        let start = std::time::Instant::now();
        let prefetched =
            "return performance.getEntriesByType('resource').some(e => e.name.endsWith('inflow_widget_bg.wasm'))";
        while js(&b, prefetched).await != json!(true) {
            assert!(start.elapsed() < WAIT, "the chat is fetched when the page is idle");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let jank = js(&b, "return [__jank.longtask, __jank.shift]").await;
        assert_eq!(jank[1], json!([]), "layout shifts before the visitor opens the chat");
        if jank[0] == json!([]) {
            break;
        }
        seen.push(jank[0].clone());
    }
    assert!(seen.len() < 3, "long tasks (ms) on every one of three loads: {seen:?}");
    let before = js(&b, "return [getComputedStyle(document.getElementById('host-text')).fontSize, document.head.children.length, document.styleSheets.length, document.body.children.length]").await;
    assert_eq!(before[0], json!("40px"));

    complete(&b).await;
    b.widget_element(".card", WAIT)
        .await
        .expect("recommendations cross-origin");
    assert_eq!(leads(&worker), 1);

    // The widget kept its own look despite the host's stylesheet…
    let look = js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         const host = getComputedStyle(r.host); const msg = getComputedStyle(r.querySelector('.msg'));\
         const b = r.querySelector('.bubble').getBoundingClientRect();\
         const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);\
         return [host.position, msg.fontSize, top === r.host, Math.round(b.width)];",
    )
    .await;
    assert_eq!(look, json!(["fixed", "15px", true, 60]), "the widget's own styles win");
    // …and changed nothing on the host page.
    let after = js(&b, "return [getComputedStyle(document.getElementById('host-text')).fontSize, document.head.children.length, document.styleSheets.length, document.body.children.length]").await;
    assert_eq!(after, before, "host page untouched");

    // An origin not registered for the partner: a readable refusal, nothing stored.
    b.client.goto(&format!("{unregistered}/")).await.expect("second page");
    complete(&b).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Leaving the page sends what is left of its funnel batch (refused: unregistered).
    b.client.goto("about:blank").await.expect("leave");

    // The registered page's funnel arrived by beacon when it was left: one impression per load,
    // one open, 13 answers (one per question), the lead and its recommendations. The unregistered
    // page's events were refused.
    let funnel =
        "SELECT kind, COUNT(*) AS n, COUNT(DISTINCT question) AS q FROM funnel_events GROUP BY kind ORDER BY kind";
    let start = std::time::Instant::now();
    let rows = loop {
        let rows = worker.d1(funnel).expect("D1");
        if rows.iter().any(|r| r["kind"] == "recommendation") || start.elapsed() > WAIT {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let got: Vec<(String, u64, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or("").into(),
                r["n"].as_u64().unwrap_or(0),
                r["q"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64)> = [
        ("answer", 13, 13),
        ("impression", loads, 0),
        ("lead", 1, 0),
        ("open", 1, 0),
        ("recommendation", 1, 0),
    ]
    .iter()
    .map(|(k, n, q)| (k.to_string(), *n, *q))
    .collect();
    assert_eq!(got, want);
    assert_eq!(b.widget_count(".card").await.expect("count"), 0);
    assert_eq!(leads(&worker), 1, "no lead from an unregistered origin");
    b.close().await.expect("close");
}

fn preflight(w: &Worker, origin: &str) -> ureq::Response {
    ureq::request("OPTIONS", &w.url("/v1/leads"))
        .set("origin", origin)
        .set("access-control-request-method", "POST")
        .call()
        .expect("preflight")
}

/// The preflight lets the request through (it carries no partner to check); the request
/// itself is refused, readably.
#[test]
fn an_unregistered_origins_lead_passes_the_preflight_and_is_refused_readably() {
    let worker = shared();
    let unregistered = "http://127.0.0.1:9";
    assert_eq!(
        preflight(&worker, unregistered).header("access-control-allow-origin"),
        Some(unregistered)
    );
    let lead = ureq::post(&worker.url("/v1/leads"))
        .set("origin", unregistered)
        .set("content-type", "application/json")
        .send_json(json!({
            "partner": "edu-demo", "scene": "education", "lang": "en", "attribution": {},
            "answers": inflow_core::lead::questionnaire::EXAMPLE.iter().map(|(q, c)| (q.to_string(), json!(c)))
                .collect::<serde_json::Map<String, Value>>(),
        }));
    match lead {
        Err(ureq::Error::Status(status, r)) => {
            assert_eq!(r.header("access-control-allow-origin"), Some(unregistered));
            let body: Value = r.into_json().expect("problem");
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some("origin_not_allowed")),
                "{body}"
            );
        }
        other => panic!("an unregistered origin's lead must be refused, got {other:?}"),
    }
}

#[test]
fn a_registered_origins_preflight_is_granted() {
    let worker = shared();
    let registered = "http://127.0.0.1:7";
    worker
        .d1(&format!(
            "INSERT INTO partner_origins (partner_id, origin) VALUES ('edu-demo', '{registered}')"
        ))
        .expect("register origin");
    assert_eq!(
        preflight(&worker, registered).header("access-control-allow-origin"),
        Some(registered)
    );
}
