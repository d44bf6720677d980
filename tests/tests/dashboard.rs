//! The report dashboard in headless Chromium against `wrangler dev`, on data made through the
//! real API (leads, click-outs, signed postbacks, funnel events): the page is served under a
//! strict CSP, a wrong key is refused on screen, and with a real key every tile, bar and table
//! cell equals what `GET /v1/reports` answers for the same query, in both languages; the CSV
//! button saves the API's own CSV from a Blob; the key stays out of URLs and storage unless
//! the user asks. A full-page screenshot is kept in `tests/artifacts/dashboard.png`. The
//! statements view: a real postback's entries moved into last month (the setup), that month
//! closed and paid through the API, the conversion reversed after (a clawback in this month),
//! and each row and cell equals `GET /v1/statements` — the partner's own, the bank's per
//! partner — with the statements' CSV saved byte for byte.

use fantoccini::elements::Element;
use fantoccini::Locator;
use inflow_core::report::response::sum;
use inflow_core::report::{ReportResponse, ReportRow, Zone};
use inflow_core::settlement::api::Statements;
use inflow_core::settlement::{Period, PeriodState, Statement};
use inflow_tests::bank::{agent, click, click_id, conversion, lead, now, request, DEMO_BANK};
use inflow_tests::chat::{js, wait_for, WAIT};
use inflow_tests::{paths, Browser, Worker};
use serde_json::json;

const PARTNER_KEY: &str = "rk_edu-demo_local";
const BANK_KEY: &str = "rk_bank_demo_local";
/// The operator's key in `.dev.vars.example`: it makes Demo Bank's admin key, which closes and
/// pays periods.
const OPERATOR_KEY: &str = "dev-admin-key-not-secret-0001";
/// The bank's payment reference for last month.
const REFERENCE: &str = "TX-DASH-2026";

fn get(w: &Worker, key: &str, query: &str) -> String {
    let resp = ureq::get(&w.url(&format!("/v1/reports?{query}")))
        .set("authorization", &format!("Bearer {key}"))
        .call()
        .unwrap_or_else(|e| panic!("report {query}: {e}"));
    resp.into_string().expect("body")
}

fn report(w: &Worker, key: &str, range: &str, group: &str) -> ReportResponse {
    let body = get(w, key, &format!("{range}&group_by={group}"));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The dashboard's figure for a metric (a report column): the rows added up by core, then the
/// column read by name — core's own ratios for the two derived ones.
fn expected(rows: &[ReportRow], metric: &str) -> i64 {
    let totals = sum(rows);
    match metric {
        "conversion_rate_bps" => i64::try_from(totals.conversion_rate_bps()).expect("bps"),
        "earnings_per_click_minor" => totals.earnings_per_click_minor(),
        field => serde_json::to_value(&totals).expect("a row")[field]
            .as_i64()
            .unwrap_or_else(|| panic!("unknown metric {field}")),
    }
}

/// Minor units as the dashboard should print them: thousands grouped, two decimals.
fn money(minor: i64) -> String {
    let units = (minor.abs() / 100).to_string();
    let grouped: Vec<String> = units
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", grouped.join(","), minor.abs() % 100)
}

/// Leads, clicks and conversions for edu-demo (and one lead for game-demo, which the partner
/// key must not see), plus funnel events with a drop-off.
fn make_demo_data(w: &Worker) {
    let urls: Vec<String> = (0..3)
        .map(|_| {
            lead(w, "edu-demo", "education")["recommendations"][0]["url"]
                .as_str()
                .expect("url")
                .into()
        })
        .collect();
    lead(w, "game-demo", "gaming");
    let mut clicks = Vec::new();
    for url in &urls[..2] {
        clicks.push(click_id(&click(url, "Mozilla/5.0 (dashboard test)")));
    }
    // The first click is an hour old, so its conversion is not held as too fast.
    let aged = format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{}'",
        clicks[0]
    );
    w.d1(&aged).expect("age a click");
    for (i, (event, amount)) in [("funded", 1_234_567), ("account_opened", 50_000)].iter().enumerate() {
        let body = conversion(&clicks[i], event, &format!("DASH-{i}"), *amount, now());
        let posted = DEMO_BANK.post(w, "/v1/conversions", &body);
        assert_eq!(posted.status, 201, "{:?}", posted.body);
    }
    let events = json!({"partner": "edu-demo", "scene": "education", "session": "dash-test-1", "events": [
        {"kind": "impression"}, {"kind": "impression"}, {"kind": "impression"}, {"kind": "impression"},
        {"kind": "open"}, {"kind": "open"}, {"kind": "open"},
        {"kind": "answer", "question": "age"}, {"kind": "answer", "question": "age"},
        {"kind": "answer", "question": "age"}, {"kind": "answer", "question": "goal"},
        {"kind": "answer", "question": "goal"}, {"kind": "recommendation"}, {"kind": "recommendation"}]});
    let stored = ureq::post(&w.url("/v1/events"))
        .set("content-type", "text/plain")
        .send_string(&events.to_string());
    assert_eq!(stored.map(|r| r.status()).unwrap_or(0), 202);
}

async fn el(b: &Browser, css: &str) -> Element {
    let found = b.client.find(Locator::Css(css)).await;
    found.unwrap_or_else(|e| panic!("{css}: {e}"))
}

async fn wait_el(b: &Browser, css: &str) -> Element {
    let found = b.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await;
    found.unwrap_or_else(|e| panic!("{css} never showed: {e}"))
}

async fn press(b: &Browser, css: &str) {
    el(b, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn attr(b: &Browser, css: &str, name: &str) -> String {
    el(b, css)
        .await
        .attr(name)
        .await
        .expect("attribute")
        .unwrap_or_default()
}

async fn text(b: &Browser, css: &str) -> String {
    el(b, css).await.text().await.expect("text")
}

async fn count(b: &Browser, css: &str) -> usize {
    b.client.find_all(Locator::Css(css)).await.expect("find").len()
}

/// Types `key` into the form and loads.
async fn load_with(b: &Browser, key: &str) {
    let input = el(b, "#key").await;
    input.clear().await.expect("clear");
    input.send_keys(key).await.expect("type key");
    press(b, "button.load").await;
}

/// The dashboard's default query: the last 30 days up to today in Shanghai.
struct Range {
    from: String,
    today: String,
    query: String,
}

fn groups(r: &ReportResponse) -> Vec<&str> {
    r.rows.iter().map(|r| r.group.as_str()).collect()
}

/// Every row of a breakdown table equals the API's row for that group, cell by cell.
async fn check_table(b: &Browser, table: &str, api: &ReportResponse) {
    let script = format!("return [...document.querySelectorAll('table.{table} tbody tr')].map(r => r.dataset.group)");
    assert_eq!(
        js(b, &script).await.expect("groups"),
        json!(groups(api)),
        "{table} rows"
    );
    for row in &api.rows {
        for metric in ["clicks", "conversions", "qualified_leads", "payout_released_minor"] {
            let css = format!("table.{table} tr[data-group='{}'] td[data-col='{metric}']", row.group);
            let want = expected(std::slice::from_ref(row), metric).to_string();
            assert_eq!(attr(b, &css, "data-value").await, want, "{css}");
        }
    }
}

/// Served at /dashboard/ (with /dashboard redirected there) under the strict policy, with
/// the last 30 days in Shanghai in the form.
async fn check_page(b: &Browser, w: &Worker, r: &Range) {
    let bare = agent().get(&w.url("/dashboard")).call().expect("GET /dashboard");
    let location = bare.header("location").unwrap_or_default();
    assert!(
        bare.status() / 100 == 3 && location.ends_with("/dashboard/"),
        "{location}"
    );
    let page = ureq::get(&w.url("/dashboard/")).call().expect("GET /dashboard/");
    let csp = page.all("content-security-policy");
    assert_eq!(csp.len(), 1, "{csp:?}");
    assert!(csp[0].contains("script-src 'self' 'wasm-unsafe-eval'") && !csp[0].contains("unsafe-inline"));

    b.client.goto(&w.url("/dashboard")).await.expect("open dashboard");
    wait_el(b, "form.controls").await;
    press(b, "button.lang[data-lang='en']").await;
    let form = js(
        b,
        "return ['#from', '#to', '#tz'].map(s => document.querySelector(s).value)",
    )
    .await;
    assert_eq!(form.expect("form"), json!([r.from, r.today, "Asia/Shanghai"]));
}

/// A wrong key: a clear error, no figures.
async fn check_wrong_key(b: &Browser) {
    load_with(b, "rk_not_a_key").await;
    let alert = wait_el(b, "[role=alert]").await;
    assert_eq!(
        alert.attr("data-error").await.expect("attr").as_deref(),
        Some("unauthorized")
    );
    assert!(alert.text().await.expect("text").contains("not recognised"));
    assert_eq!(count(b, ".kpi").await, 0);
}

/// Tiles, funnel, time series and drop-off equal the API's report by day.
async fn check_figures(b: &Browser, by_day: &ReportResponse, today: &str) {
    let kpis = js(
        b,
        "return [...document.querySelectorAll('.kpi')].map(k => [k.dataset.kpi, k.dataset.value])",
    )
    .await;
    let kpis = kpis.expect("kpis");
    assert_eq!(kpis.as_array().map(Vec::len), Some(12));
    for kpi in kpis.as_array().into_iter().flatten() {
        let metric = kpi[0].as_str().expect("id");
        assert_eq!(kpi[1], expected(&by_day.rows, metric).to_string(), "{metric}");
    }
    let value = expected(&by_day.rows, "conversion_value_minor");
    assert_eq!(value, 1_284_567);
    assert_eq!(text(b, "[data-kpi='conversion_value_minor'] dd").await, money(value));
    assert_eq!(text(b, "[data-kpi='clicks'] dt").await, "Clicks");

    // One funnel bar per step, in order, the largest (4 impressions) the widest.
    let bars = "return [...document.querySelectorAll('.funnel-chart rect.bar')].map(r => [r.dataset.value, r.getAttribute('width')])";
    let bars = js(b, bars).await.expect("bars");
    // The funnel's steps are the report's counts, in the order of its columns.
    let steps = &ReportRow::CSV_HEADER[1..7];
    assert_eq!(bars.as_array().map(Vec::len), Some(steps.len()));
    for (i, step) in steps.iter().enumerate() {
        assert_eq!(bars[i][0], expected(&by_day.rows, step).to_string(), "{step}");
    }
    assert_eq!(bars[0][1], "220.0", "{bars}");
    let opened = text(b, ".funnel-chart [data-step='chats_opened'] .count").await;
    assert!(opened.contains("75.00%"), "3 of 4 opened: {opened}");

    // A pair of bars for each of the 30 days, today's equal to the API's.
    assert_eq!(count(b, ".series-chart g.day").await, 30);
    let row = by_day.rows.iter().find(|r| r.group == today).expect("a row for today");
    for (series, want) in [("clicks", row.clicks), ("conversions", row.conversions)] {
        let css = format!(".series-chart rect[data-series='{series}'][data-day='{today}']");
        assert_eq!(attr(b, &css, "data-value").await, want.to_string(), "{series}");
        let height: f64 = attr(b, &css, "height").await.parse().expect("height");
        assert!(height > 0.0, "{series} drawn today");
    }

    // Drop-off: three chats opened, all answered age, two went on to the goal.
    for (question, n) in [("opened", "3"), ("age", "3"), ("goal", "2")] {
        let css = format!("tr[data-question='{question}'] td");
        assert_eq!(attr(b, &css, "data-value").await, n, "{question}");
    }
}

/// A full-page picture, `height` pixels tall, kept as `tests/artifacts/{name}`.
async fn screenshot(b: &Browser, height: u32, name: &str) {
    b.client.set_window_size(1280, height).await.expect("window size");
    let png = b.client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real picture");
    let artifacts = paths::root().join("tests/artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifact dir");
    std::fs::write(artifacts.join(name), png).expect("save screenshot");
}

/// Chinese: labels change, numbers do not.
async fn check_chinese(b: &Browser) {
    let figures = "return [...document.querySelectorAll('.kpi dd, td[data-col]')].map(e => e.textContent)";
    let before = js(b, figures).await.expect("figures");
    press(b, "button.lang[data-lang='zh-Hans']").await;
    wait_for(b, "return document.documentElement.lang === 'zh-Hans'", "zh-Hans")
        .await
        .expect("zh");
    assert_eq!(text(b, "[data-kpi='clicks'] dt").await, "点击");
    assert_eq!(text(b, "table.by-scene tbody th").await, "在线教育");
    assert_eq!(js(b, figures).await.expect("figures"), before);
}

/// The CSV button saves, from a Blob, exactly the API's CSV for the chosen grouping, byte for
/// byte (its UTF-8 byte order mark included, which reading it as text would drop), through a
/// `download` link to the Blob's URL.
async fn check_csv(b: &Browser, w: &Worker, r: &Range) {
    let watch = "window.__saved = []; const make = URL.createObjectURL;\
        URL.createObjectURL = (blob) => { const url = make(blob); window.__saved.push({url, blob}); return url; };\
        document.addEventListener('click', (e) => { if (e.target.matches('a[download]')) \
          window.__link = {href: e.target.href, download: e.target.download}; }, true);";
    js(b, watch).await.expect("watch downloads");
    el(b, "#csv-group")
        .await
        .select_by_value("product")
        .await
        .expect("pick");
    press(b, "button.download").await;
    wait_for(b, "return !!window.__link", "the download link")
        .await
        .expect("downloaded");
    let read = "const done = arguments[0]; const s = window.__saved[0];\
        s.blob.arrayBuffer().then(b => done({bytes: Array.from(new Uint8Array(b)), type: s.blob.type, \
          url: s.url, n: window.__saved.length, link: window.__link}));";
    let saved = b.client.execute_async(read, vec![]).await.expect("read the blob");
    let csv = get(w, PARTNER_KEY, &format!("{}&group_by=product&format=csv", r.query));
    assert!(csv.starts_with("\u{feff}group,impressions,"), "a BOM, then the header");
    let bytes: Vec<u8> = serde_json::from_value(saved["bytes"].clone()).expect("bytes");
    assert_eq!(bytes, csv.as_bytes(), "the saved file is the API's CSV, byte for byte");
    assert_eq!(saved["type"], "text/csv;charset=utf-8");
    assert_eq!(saved["n"], 1);
    assert_eq!(saved["link"]["href"], saved["url"]);
    assert!(saved["url"].as_str().is_some_and(|u| u.starts_with("blob:")));
    let name = format!("inflow-report-{}-{}-product.csv", r.from, r.today);
    assert_eq!(saved["link"]["download"], name);
    assert_eq!(text(b, ".csv-status").await, "CSV 已下载。");
}

/// A bank key, kept for the tab on request: its partners side by side, and the key is there
/// again after a reload (and never in localStorage).
async fn check_bank_key_kept(b: &Browser, w: &Worker, r: &Range) {
    press(b, "#remember").await;
    load_with(b, BANK_KEY).await;
    wait_el(b, "table.by-partner").await;
    let by_partner = report(w, BANK_KEY, &r.query, "partner");
    assert_eq!(groups(&by_partner), ["edu-demo", "game-demo"]);
    check_table(b, "by-partner", &by_partner).await;
    let kept = js(
        b,
        "return [sessionStorage.getItem('inflow.dashboard.key'), localStorage.length]",
    )
    .await;
    assert_eq!(kept.expect("kept"), json!([BANK_KEY, 0]));
    b.client.refresh().await.expect("reload");
    let key = wait_el(b, "#key").await;
    assert_eq!(key.prop("value").await.expect("value").as_deref(), Some(BANK_KEY));
}

fn scalar(w: &Worker, sql: &str) -> i64 {
    let rows = w.d1(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows[0]["n"].as_i64().unwrap_or_else(|| panic!("{sql}: {rows:?}"))
}

fn call(w: &Worker, path: &str, key: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let a = request(
        agent()
            .post(&w.url(path))
            .set("authorization", &format!("Bearer {key}"))
            .set("content-type", "application/json"),
        Some(&body.to_string()),
    );
    (a.status, a.body)
}

fn statements(w: &Worker, key: &str) -> Vec<Statement> {
    let body = ureq::get(&w.url("/v1/statements"))
        .set("authorization", &format!("Bearer {key}"))
        .call()
        .expect("GET /v1/statements")
        .into_string()
        .expect("body");
    let answer: Statements = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    answer.statements
}

/// What the settlement setup did: the months and the funded conversion's commission.
struct Settled {
    last: Period,
    this: Period,
    paid_minor: i64,
}

/// Demo Bank settles with edu-demo: the funded postback (DASH-0, approved on arrival: an
/// accrual and its release) is dated last month in the bank's zone — the setup, as if it had
/// arrived then — the bank closes last month and pays it under [`REFERENCE`], then reverses
/// DASH-0, which claws its commission back in this month, the first open one.
fn settle(w: &Worker) -> Settled {
    let zone = Zone::parse("Asia/Shanghai").expect("Demo Bank's zone");
    let this = Period::of(&zone, now());
    let last = this.prev().expect("a month before");
    let id = w
        .d1("SELECT id FROM conversions WHERE external_id = 'DASH-0'")
        .expect("conversion")[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let kinds =
        format!("SELECT COUNT(*) AS n FROM ledger WHERE conversion_id = '{id}' AND kind IN ('accrual', 'release')");
    assert_eq!(scalar(w, &kinds), 2, "accrued and released on arrival");
    let paid_minor = scalar(
        w,
        &format!("SELECT amount_minor AS n FROM ledger WHERE conversion_id = '{id}' AND kind = 'release'"),
    );
    assert_eq!(paid_minor, 6_172, "0.5 % of 12,345.67");
    let (start, _) = last.bounds(&zone);
    w.d1(&format!(
        "UPDATE ledger SET created_at = {}, period = '{last}' WHERE conversion_id = '{id}'",
        start + 86_400
    ))
    .expect("date the entries last month");

    let (status, key) = call(
        w,
        "/v1/admin/banks/demo-bank/keys",
        OPERATOR_KEY,
        &json!({"kind": "bank_admin", "name": "dashboard statements"}),
    );
    assert_eq!(status, 201, "{key}");
    let admin = key["token"].as_str().expect("token");
    let (status, closed) = call(w, &format!("/v1/statements/{last}/close"), admin, &json!({}));
    assert_eq!(status, 201, "{closed}");
    let pay = json!({"partner": "edu-demo", "reference": REFERENCE});
    let (status, paid) = call(w, &format!("/v1/statements/{last}/paid"), admin, &pay);
    assert_eq!((status, paid["state"].as_str()), (200, Some("paid")), "{paid}");
    let reversed = DEMO_BANK.post(w, &format!("/v1/conversions/{id}/reversal"), "");
    assert_eq!(reversed.status / 100, 2, "{:?}", reversed.body);
    Settled { last, this, paid_minor }
}

/// The API's statements for the setup: last month paid as it was closed, this month opening
/// at last month's carry with the clawback in it, and its closing the ledger's sum.
fn check_api_statements(w: &Worker, s: &Settled) -> Vec<Statement> {
    let all = statements(w, PARTNER_KEY);
    let of = |p: Period| {
        all.iter()
            .find(|x| x.period == p && x.bank_id == "demo-bank")
            .unwrap_or_else(|| panic!("no {p} statement in {all:?}"))
    };
    let last = of(s.last);
    let f = &last.figures;
    assert_eq!(
        (
            f.opening_minor,
            f.released_minor,
            f.clawed_back_minor,
            f.closing_minor,
            f.payable_minor,
            f.carry_minor
        ),
        (0, s.paid_minor, 0, s.paid_minor, s.paid_minor, 0)
    );
    assert!(
        matches!(&last.state, PeriodState::Paid { reference, .. } if reference == REFERENCE),
        "{:?}",
        last.state
    );
    let this = of(s.this);
    let released_now = scalar(
        w,
        &format!(
            "SELECT COALESCE(SUM(amount_minor), 0) AS n FROM ledger WHERE partner_id = 'edu-demo' \
             AND period = '{}' AND kind = 'release'",
            s.this
        ),
    );
    let f = &this.figures;
    assert_eq!(
        (f.opening_minor, f.released_minor, f.clawed_back_minor, f.closing_minor),
        (0, released_now, s.paid_minor, released_now - s.paid_minor),
        "the reversal after payment is a clawback in the open month"
    );
    assert_eq!(this.state, PeriodState::Open);
    // DASH-1 came seconds after its click, so it is held (fast_conversion): accrued, not
    // released. The month owes nothing and carries the clawback forward.
    assert_eq!(
        (released_now, f.payable_minor, f.carry_minor),
        (0, 0, -s.paid_minor),
        "a negative balance carries forward"
    );
    all
}

/// The statements view for `key` (loaded afresh): one row per API statement, newest month
/// first, every figure and the state and reference in their cells, money printed as the
/// report prints it, and the other party named.
async fn check_statements_view(b: &Browser, key: &str, api: &[Statement], party: &str) {
    // A refused key first clears what is on screen, so what shows next is this load's.
    load_with(b, "rk_not_a_key").await;
    wait_el(b, "[role=alert]").await;
    load_with(b, key).await;
    wait_el(b, ".kpi").await;
    press(b, "button.view[data-view='statements']").await;
    wait_el(b, "table.statements-table").await;
    let rows = "return [...document.querySelectorAll('table.statements-table tbody tr')]\
        .map(r => [r.dataset.period, r.dataset.bank, r.dataset.partner, r.querySelector('td.party').textContent])";
    let shown = |s: &Statement| {
        if party == "partner" {
            s.partner_id.clone()
        } else {
            s.bank_id.clone()
        }
    };
    let mut want: Vec<&Statement> = api.iter().collect();
    want.sort_by(|a, b| b.period.cmp(&a.period).then(shown(a).cmp(&shown(b))));
    let expected: Vec<serde_json::Value> = want
        .iter()
        .map(|s| json!([s.period.to_string(), s.bank_id, s.partner_id, shown(s)]))
        .collect();
    assert_eq!(js(b, rows).await.expect("rows"), json!(expected), "rows, newest first");
    for s in want {
        let row = format!(
            "table.statements-table tr[data-period='{}'][data-bank='{}'][data-partner='{}']",
            s.period, s.bank_id, s.partner_id
        );
        let figures = serde_json::to_value(s.figures).expect("figures");
        for col in [
            "opening_minor",
            "released_minor",
            "clawed_back_minor",
            "closing_minor",
            "payable_minor",
            "carry_minor",
        ] {
            let css = format!("{row} td[data-col='{col}']");
            let value = figures[col].as_i64().expect("minor units");
            assert_eq!(attr(b, &css, "data-value").await, value.to_string(), "{css}");
            assert_eq!(text(b, &css).await, money(value), "{css}");
        }
        let (state, reference) = match &s.state {
            PeriodState::Open => ("open", ""),
            PeriodState::Closed { .. } => ("closed", ""),
            PeriodState::Paid { reference, .. } => ("paid", reference.as_str()),
        };
        assert_eq!(
            attr(b, &format!("{row} td[data-col='state']"), "data-value").await,
            state
        );
        assert_eq!(text(b, &format!("{row} td[data-col='reference']")).await, reference);
    }
}

/// The statements' CSV button saves the API's CSV byte for byte, as the report's does.
async fn check_statements_csv(b: &Browser, w: &Worker, key: &str) {
    // check_csv's watch is still on the page: start its record afresh.
    js(b, "window.__saved = []; window.__link = null;")
        .await
        .expect("reset");
    press(b, "button.statements-csv").await;
    wait_for(b, "return !!window.__link", "the statements download")
        .await
        .expect("downloaded");
    let read = "const done = arguments[0]; const s = window.__saved[0];\
        s.blob.arrayBuffer().then(b => done({bytes: Array.from(new Uint8Array(b)), link: window.__link}));";
    let saved = b.client.execute_async(read, vec![]).await.expect("read the blob");
    let csv = ureq::get(&w.url("/v1/statements?format=csv"))
        .set("authorization", &format!("Bearer {key}"))
        .call()
        .expect("statements CSV")
        .into_string()
        .expect("csv");
    assert!(csv.starts_with("\u{feff}bank_id,partner_id,period,"), "{csv}");
    assert!(csv.contains(REFERENCE), "the paid month's reference is in the CSV");
    let bytes: Vec<u8> = serde_json::from_value(saved["bytes"].clone()).expect("bytes");
    assert_eq!(bytes, csv.as_bytes(), "the saved file is the API's CSV, byte for byte");
    assert_eq!(saved["link"]["download"], "inflow-statements.csv");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_what_the_report_api_answers() {
    let w = Worker::start().expect("wrangler dev starts");
    make_demo_data(&w);
    let zone = Zone::parse("Asia/Shanghai").expect("zone");
    let (from, today) = (zone.day_of(now() - 29 * 86_400), zone.day_of(now()));
    let query = format!("from={from}&to={today}&tz=Asia/Shanghai");
    let r = Range { from, today, query };
    let by_day = report(&w, PARTNER_KEY, &r.query, "day");
    assert_eq!(expected(&by_day.rows, "clicks"), 2, "the demo data is in the report");
    assert_eq!(expected(&by_day.rows, "conversions"), 2);

    let b = Browser::start().await.expect("chromium starts");
    check_page(&b, &w, &r).await;
    check_wrong_key(&b).await;

    load_with(&b, PARTNER_KEY).await;
    wait_el(&b, ".kpi").await;
    check_figures(&b, &by_day, &r.today).await;
    let by_scene = report(&w, PARTNER_KEY, &r.query, "scene");
    assert_eq!(groups(&by_scene), ["education"]);
    check_table(&b, "by-scene", &by_scene).await;
    check_table(&b, "by-product", &report(&w, PARTNER_KEY, &r.query, "product")).await;
    assert_eq!(
        count(&b, "table.by-partner").await,
        0,
        "a partner key has no partner table"
    );
    screenshot(&b, 2600, "dashboard.png").await;

    check_chinese(&b).await;
    check_csv(&b, &w, &r).await;
    // The key went only into headers: not into any URL the page used, nor into storage.
    let leaks = "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]\
        .filter(u => u.includes('rk_')).length + localStorage.length + sessionStorage.length + document.cookie.length";
    assert_eq!(js(&b, leaks).await.expect("leaks"), json!(0));

    let settled = settle(&w);
    let partner_statements = check_api_statements(&w, &settled);
    check_statements_view(&b, PARTNER_KEY, &partner_statements, "bank").await;
    check_statements_csv(&b, &w, PARTNER_KEY).await;

    check_bank_key_kept(&b, &w, &r).await;
    let bank_statements = statements(&w, BANK_KEY);
    let demo_bank_s = partner_statements.iter().filter(|s| s.bank_id == "demo-bank");
    assert!(
        bank_statements.iter().all(|s| s.bank_id == "demo-bank")
            && demo_bank_s.clone().count() == 2
            && demo_bank_s.clone().all(|s| bank_statements.contains(s)),
        "the bank sees edu-demo's statements among its partners': {bank_statements:?}"
    );
    check_statements_view(&b, BANK_KEY, &bank_statements, "partner").await;
    screenshot(&b, 900, "dashboard-statements.png").await;
    b.close().await.expect("close");
}

#[test]
fn money_prints_like_a_ledger() {
    assert_eq!(money(1_284_567), "12,845.67");
    assert_eq!(money(-5), "-0.05");
    assert_eq!(money(100_000_000), "1,000,000.00");
    assert_eq!(money(0), "0.00");
}
