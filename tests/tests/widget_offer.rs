//! The widget configured from data (issue 13, item 5): a bank onboarded through the admin API,
//! embedded by its partner on another origin under the strict CSP the README gives. The loader
//! asks the edge for the partner's offer (`GET /v1/widget/{partner}/{scene}`) through its
//! pristine frame, never the host's patched `fetch`; the bubble and the panel wear the bank's
//! colour (a `data-color` on the page is not read), the consent names the bank and shows its
//! text, the lead records its consent version and the cards name the bank. A partner with no
//! campaign for the page's scene, or an unknown one, gets nothing: no bubble, no chat fetched,
//! no impression counted.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use inflow_tests::chat::{self, WAIT};
use inflow_tests::fixture::{self, File};
use inflow_tests::worker::{once, shared};
use inflow_tests::{Browser, Worker};
use serde_json::{json, Value};

/// `ADMIN_KEY` in `.dev.vars.example`, which the harness passes to `wrangler dev`.
const OPERATOR: &str = "dev-admin-key-not-secret-0001";
const FERN_EN: &str = "I agree that Fern Bank may contact me about these products.";
const FERN_VERSION: &str = "fern-2026-12";
/// Fern Bank's brand colour, `#7a1f5c`, as the browser computes it.
const FERN_RGB: &str = "rgb(122, 31, 92)";

/// A host script that records the calls that reach the page's own `fetch`, loaded before the
/// widget: the loader must not ask for the offer through it. (The chat's wasm is fetched by
/// wasm-bindgen's glue, which uses the page's `fetch`.)
const HOST_JS: &str = "window.__hostFetches = [];\n\
    (function () { var f = window.fetch; window.fetch = function (u) {\n\
      window.__hostFetches.push(String(u && u.url || u)); return f.apply(this, arguments); }; })();";

/// The partner pages: the school's education page (Fern's campaign), its gaming page (no
/// campaign in that scene), a shop Fern declares but runs no campaign with, and an unknown
/// partner. Each asks for a red bubble the bank's colour must override.
const PAGES: [(&str, &str, &str); 4] = [
    ("/", "fern-school", "education"),
    ("/gaming", "fern-school", "gaming"),
    ("/shop", "fern-shop", "education"),
    ("/unknown", "nobody-here", "education"),
];

struct Site {
    origin: String,
}

fn page(edge: &str, partner: &str, scene: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fern partner</title>\
         <script src=\"/host.js\"></script></head>\
         <body><main><p id=\"host-text\">A partner's page.</p></main>\
         <script async src=\"{edge}/widget.js\" data-partner=\"{partner}\" data-scene=\"{scene}\" \
         data-lang=\"en\" data-color=\"#ff0000\"></script></body></html>"
    )
}

/// Fern Bank: two products, the school with a campaign in education, the shop with none; both
/// partners registered for the site's origin.
fn fern(origin: &str) -> Value {
    let product = |id: &str, kind: &str, term: u32, yield_bps: u32, en: &str| {
        json!({
            "id": id, "name": {"zh-Hans": format!("蕨类{id}"), "zh-Hant": format!("蕨類{id}"), "en": en},
            "kind": kind, "risk": 1, "min_amount_cny": 0, "term_months": term, "early_redemption": true,
            "yield_bps": yield_bps, "qualified_only": false, "regions": [], "priority": 60,
            "url": format!("https://fern.example/{id}")
        })
    };
    json!({
        "bank": {
            "id": "fern-bank",
            "name": {"zh-Hans": "蕨类银行", "zh-Hant": "蕨類銀行", "en": "Fern Bank"},
            "brand_color": "#7a1f5c",
            "currency": "CNY",
            "consent": {
                "version": FERN_VERSION,
                "zh-Hans": "我同意蕨类银行就上述产品联系我。",
                "zh-Hant": "我同意蕨類銀行就上述產品聯繫我。",
                "en": FERN_EN
            }
        },
        "products": [
            product("fern-demand", "demand_deposit", 0, 40, "Fern demand savings"),
            product("fern-td-12m", "time_deposit", 12, 150, "Fern 12-month deposit"),
        ],
        "partners": [
            {"id": "fern-school", "name": "Fern School", "origins": [origin]},
            {"id": "fern-shop", "name": "Fern Shop", "origins": [origin]}
        ],
        "campaigns": [{
            "id": "fern-school-edu", "partner": "fern-school", "scenes": ["education"],
            "products": ["*"], "window_days": 30, "approval_days": 0,
            "commissions": [{"event": "account_opened", "flat_minor": 6000}]
        }]
    })
}

/// Serves `pages` (path, partner, scene) and the host script on a second origin under the
/// README's strict CSP, and applies Fern Bank for it on `w`; answers the origin.
fn serve_fern(w: &Worker, pages: &[(&'static str, &str, &str)]) -> String {
    let mut files: Vec<File> = pages
        .iter()
        .map(|&(path, partner, scene)| File {
            path,
            content_type: "text/html; charset=utf-8",
            body: page(&w.base, partner, scene),
        })
        .collect();
    files.push(File {
        path: "/host.js",
        content_type: "text/javascript",
        body: HOST_JS.into(),
    });
    let origin = fixture::serve(files, vec![fixture::strict_csp(&w.base)]).expect("partner site");
    apply(w, fern(&origin));
    origin
}

/// Applies a tenant file with the operator key; it must be taken.
fn apply(w: &Worker, file: Value) {
    let applied = ureq::post(&w.url("/v1/admin/tenants"))
        .set("authorization", &format!("Bearer {OPERATOR}"))
        .send_json(file);
    assert_eq!(
        applied.map(|r| r.status()).map_err(|e| e.to_string()),
        Ok(200),
        "applying a tenant file"
    );
}

/// The partner's site, with Fern Bank applied through the admin API (once per test binary).
fn site(w: &Worker) -> &'static Site {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    once(&SITE, || Site {
        origin: serve_fern(w, &PAGES),
    })
}

async fn js(b: &Browser, script: &str) -> Value {
    chat::js(b, script).await.expect("script runs")
}

/// Funnel events of `partner` by (scene, kind), once the page's beacon has had time to land.
fn funnel(w: &Worker, partner: &str) -> Vec<Value> {
    w.d1(&format!(
        "SELECT scene, kind, COUNT(*) AS n FROM funnel_events WHERE partner_id = '{partner}' \
         GROUP BY scene, kind ORDER BY scene, kind"
    ))
    .expect("D1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_wears_the_banks_colour_and_asks_for_its_consent() {
    let w = shared();
    let site = site(&w);
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{}/", site.origin)).await.expect("partner page");

    let config: Value = ureq::get(&w.url("/v1/widget/fern-school/education"))
        .call()
        .expect("the school's offer")
        .into_json()
        .expect("JSON");
    assert_eq!(
        (&config["brand_color"], &config["consent"]["version"]),
        (&json!("#7a1f5c"), &json!(FERN_VERSION))
    );
    let bubble = b.widget_element(".bubble", WAIT).await.expect("the bubble is drawn");
    let colour = js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         return getComputedStyle(r.querySelector('.bubble')).backgroundColor",
    )
    .await;
    assert_eq!(colour, json!(FERN_RGB), "the bank's colour, not the page's data-color");
    assert_eq!(
        js(&b, "return window.__hostFetches.filter(u => u.includes('/v1/'))").await,
        json!([]),
        "the offer is fetched through the widget's pristine frame, not the host's fetch"
    );

    bubble.click().await.expect("open");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    let consent = b
        .widget_element(".consent-text", WAIT)
        .await
        .expect("consent")
        .text()
        .await
        .expect("text");
    assert_eq!(consent, FERN_EN, "the bank's consent text, from data");
    let ask = js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         return [r.querySelector('.consent').getAttribute('aria-label'), [...r.querySelectorAll('.msg.bot')].pop().textContent,\
                 getComputedStyle(r.querySelector('.head')).backgroundColor]",
    )
    .await;
    let question = "Would you like an adviser from Fern Bank to contact you about these products?";
    assert_eq!(ask, json!([question, question, FERN_RGB]), "the consent names the bank");

    b.click_widget(".consent .agree").await.expect("agree");
    let input = b.widget_element(".contact-input", WAIT).await.expect("contact form");
    input.send_keys("fern.visitor@example.com").await.expect("type");
    b.click_widget(".contact .send").await.expect("send");
    b.widget_element(".card", WAIT).await.expect("recommendations");
    let banks = js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         return [...r.querySelectorAll('.card .bank')].map(e => e.textContent)",
    )
    .await;
    let banks = banks.as_array().expect("names");
    assert!(
        !banks.is_empty() && banks.iter().all(|n| n == "Fern Bank"),
        "every card names the bank: {banks:?}"
    );
    let lead = w
        .d1("SELECT consent_version FROM leads WHERE partner_id = 'fern-school'")
        .expect("D1");
    assert_eq!(lead, vec![json!({"consent_version": FERN_VERSION})]);

    // Leaving the page sends its funnel: this page was counted.
    b.client.goto("about:blank").await.expect("leave");
    let start = Instant::now();
    while !funnel(&w, "fern-school").iter().any(|r| r["kind"] == "impression") {
        assert!(start.elapsed() < WAIT, "the impression of a page with an offer arrives");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    b.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_campaign_the_loader_shows_nothing() {
    let w = shared();
    let site = site(&w);
    let b = Browser::start().await.expect("chromium");
    for (path, partner, scene) in &PAGES[1..] {
        b.client
            .goto(&format!("{}{path}", site.origin))
            .await
            .expect("partner page");
        // The edge has nothing for the page…
        let config = ureq::get(&w.url(&format!("/v1/widget/{partner}/{scene}"))).call();
        match config {
            Err(ureq::Error::Status(404, r)) => {
                let problem: Value = r.into_json().expect("problem");
                assert_eq!(problem["code"], "no_campaign", "{partner} in {scene}");
            }
            other => panic!("{partner} in {scene}: expected 404 no_campaign, got {other:?}"),
        }
        // …so the loader, once run (its element is in the page as soon as `window.inflow` is
        // defined), takes its element away.
        let gone = "return !!window.inflow && !document.querySelector('[data-inflow-widget]')";
        chat::wait_for(&b, gone, "the loader to give up")
            .await
            .unwrap_or_else(|e| panic!("{partner} in {scene}: {e}"));
        // Long enough for an idle prefetch, and opening does nothing either.
        js(&b, "window.inflow.open(); return true").await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let state = js(
            &b,
            "return [document.querySelectorAll('[data-inflow-widget]').length,\
             performance.getEntriesByType('resource').filter(e => e.name.includes('/w/inflow_widget')).length,\
             document.cookie, sessionStorage.length, window.__hostFetches.length]",
        )
        .await;
        assert_eq!(
            state,
            json!([0, 0, "", 0, 0]),
            "{partner} in {scene}: nothing shown, fetched or kept"
        );
    }
    // Leaving sends whatever the pages queued: nothing, so no impression is counted.
    b.client.goto("about:blank").await.expect("leave");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        funnel(&w, "fern-shop"),
        Vec::<Value>::new(),
        "no impression without a campaign"
    );
    let school = funnel(&w, "fern-school");
    assert!(
        school.iter().all(|r| r["scene"] != "gaming"),
        "no impression in a scene without a campaign: {school:?}"
    );
    b.close().await.expect("close");
}

/// A bank that replaces its consent text while a visitor chats: the lead names the text the
/// visitor agreed to, which is no longer on file, so the edge refuses it (409
/// `consent_outdated`) and the widget says so and stops — before, it took the refusal for a
/// passing fault and resent the lead, refused the same way, for as long as the page was open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_replaced_mid_chat_is_said_and_not_resent() {
    // Its own Worker, serving every change at once (the shared one caches offers a minute).
    let w = Worker::start_with(&["--var", "OFFER_CACHE_SECS:0"]).expect("worker");
    let origin = serve_fern(&w, &[("/", "fern-school", "education")]);

    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{origin}/")).await.expect("partner page");
    b.widget_element(".bubble", WAIT)
        .await
        .expect("bubble")
        .click()
        .await
        .expect("open");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    b.widget_element(".consent-text", WAIT)
        .await
        .expect("the consent Fern has today");

    // Meanwhile the bank replaces its consent text.
    let mut replaced = fern(&origin);
    replaced["bank"]["consent"]["version"] = json!("fern-2027-01");
    replaced["bank"]["consent"]["en"] = json!("I agree that Fern Bank may call me about these products.");
    apply(&w, replaced);

    b.click_widget(".consent .agree").await.expect("agree");
    let input = b.widget_element(".contact-input", WAIT).await.expect("contact form");
    input.send_keys("fern.visitor@example.com").await.expect("type");
    b.click_widget(".contact .send").await.expect("send");
    let said = "The bank has just changed its consent wording, so nothing was sent. Reload the page to read the new wording and send again.";
    let start = Instant::now();
    loop {
        let last = js(
            &b,
            "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
             return [[...r.querySelectorAll('.msg.bot')].pop().textContent, r.querySelectorAll('.replies .reply').length]",
        )
        .await;
        if last[0] == json!(said) {
            assert_eq!(last[1], json!(0), "no retry is offered for a lead that cannot be taken");
            break;
        }
        assert!(start.elapsed() < WAIT, "the visitor is told; last message: {last}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let leads = w
        .d1("SELECT COUNT(*) AS n FROM leads WHERE partner_id = 'fern-school'")
        .expect("D1");
    assert_eq!(leads, vec![json!({"n": 0})], "nothing was stored under the old text");
    b.close().await.expect("close");
}
