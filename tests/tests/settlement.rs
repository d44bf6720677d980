//! Settlement against `wrangler dev` (issue 15): the ledger dated by when money moved, monthly
//! statements a bank closes and pays, reversals after payment landing in the open period as
//! clawbacks, the minimum payout, and the cron's releases — every figure to the minor unit.
//!
//! Entries are dated now by the Worker (the real clock), and a period closes only after it
//! ends, so the closable past comes from setup: a conversion paid two months ago is written
//! straight into D1 with its ledger entries, as `edge/seed/volume.sql` writes history. Every
//! other step goes through the API: the bank's admin key closes and pays, Demo Bank's signed
//! postbacks and reversals move money, report keys read.
//!
//! The tests share one Worker and run one at a time ([`alone`]): they compare whole ledgers
//! and statements before and after a step. Each keeps to a book of its own so its exact
//! figures hold whatever ran before it: the sequence is Demo Bank × edu-demo (written
//! once, [`sequence`], with a health-demo hold accrued in the month before), the cron's
//! releases Demo Bank × game-demo, the pending reversal Demo Bank × health-demo, the minimum
//! payout and the concurrent closes and payments Harbor Bank × edu-demo (compared before and
//! after, or in a month no other test books into).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use inflow_core::settlement::csv::{LEDGER_HEADER, STATEMENT_HEADER};
use inflow_core::settlement::{settlement_zone, Period};
use inflow_tests::bank::{agent, click, click_id, conversion, lead, now, request, Answer, DEMO_BANK, HARBOR_BANK};
use inflow_tests::cli::{call, ok, OPERATOR};
use inflow_tests::problem;
use inflow_tests::worker::{alone, once};
use inflow_tests::Worker;
use serde_json::{json, Value};

const DEMO_BANK_KEY: &str = "rk_bank_demo_local";
const HARBOR_BANK_KEY: &str = "rk_bank_harbor_local";
const EDU_KEY: &str = "rk_edu-demo_local";
const GAME_KEY: &str = "rk_game-demo_local";
const HEALTH_KEY: &str = "rk_health-demo_local";
const BROWSER: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";

/// The month `at` is in, in Demo Bank's (and Harbor Bank's) settlement zone: the default,
/// Asia/Shanghai.
fn period_of(at: i64) -> Period {
    Period::of(&settlement_zone(None).expect("zone"), at)
}

/// A GET with `key` as the bearer and `accept`, answered raw: status, the headers a ledger
/// page sets, and the body text (to compare byte for byte).
struct Raw {
    status: u16,
    content_type: String,
    next_after: Option<String>,
    has_more: Option<String>,
    text: String,
}

fn raw(w: &Worker, path: &str, key: Option<&str>, accept: &str) -> Raw {
    let mut req = agent().get(&w.url(path)).set("accept", accept);
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport: {e}"),
    };
    let header = |name: &str| resp.header(name).map(str::to_string);
    Raw {
        status: resp.status(),
        content_type: header("content-type").unwrap_or_default(),
        next_after: header("inflow-next-after"),
        has_more: header("inflow-has-more"),
        text: resp.into_string().unwrap_or_default(),
    }
}

/// A GET answered as the harness's [`Answer`] (problem checks).
fn get(w: &Worker, path: &str, key: Option<&str>) -> Answer {
    let mut req = agent().get(&w.url(path));
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    request(req, None)
}

/// A GET that must answer 200 JSON.
fn json_of(w: &Worker, path: &str, key: &str) -> Value {
    let a = get(w, path, Some(key));
    assert_eq!(a.status, 200, "GET {path}: {a:?}");
    assert!(a.content_type.starts_with("application/json"), "{a:?}");
    a.body
}

/// Every ledger entry `key` reads (with `query`, e.g. `&partner=…`), one page of 1,000.
fn ledger(w: &Worker, key: &str, query: &str) -> Vec<Value> {
    let page = json_of(w, &format!("/v1/ledger?limit=1000{query}"), key);
    assert_eq!(page["has_more"], false, "more than a page: {page}");
    page["entries"].as_array().expect("entries").clone()
}

/// Every statement `key` reads (with `query`, e.g. `?from=…&to=…`).
fn statements(w: &Worker, key: &str, query: &str) -> Vec<Value> {
    json_of(w, &format!("/v1/statements{query}"), key)["statements"]
        .as_array()
        .expect("statements")
        .clone()
}

/// The one statement of `bank` × `partner` for `period` in `list`.
fn statement(list: &[Value], bank: &str, partner: &str, period: Period) -> Value {
    let found: Vec<&Value> = list
        .iter()
        .filter(|s| s["bank_id"] == bank && s["partner_id"] == partner && s["period"] == period.to_string())
        .collect();
    assert_eq!(found.len(), 1, "{bank} × {partner} × {period} in {list:?}");
    found[0].clone()
}

/// The figures a test checks, in one tuple for one readable assertion: opening, released,
/// clawed back, closing, payable, carry (minor units).
fn money(s: &Value) -> (i64, i64, i64, i64, i64, i64) {
    let f = |k: &str| s[k].as_i64().unwrap_or_else(|| panic!("{k} in {s}"));
    (
        f("opening_minor"),
        f("released_minor"),
        f("clawed_back_minor"),
        f("closing_minor"),
        f("payable_minor"),
        f("carry_minor"),
    )
}

/// The entries of `conversion` in `entries`, as (kind, amount, period).
fn entries_of(entries: &[Value], conversion: &str) -> Vec<(String, i64, String)> {
    entries
        .iter()
        .filter(|e| e["conversion_id"] == conversion)
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_string(),
                e["amount_minor"].as_i64().unwrap_or_default(),
                e["period"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A fresh click of `partner`'s lead in `scene` by a browser of `test`'s own, an hour old (a
/// conversion right after its click looks too fast).
fn aged_click(w: &Worker, partner: &str, scene: &str, test: &str) -> String {
    let l = lead(w, partner, scene);
    let url = l["recommendations"][0]["url"].as_str().expect("a click-out url");
    let a = click(url, &format!("{BROWSER} inflow-test/settlement-{test}"));
    assert_eq!(a.status, 302, "{a:?}");
    let id = click_id(&a);
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{id}'"
    ))
    .expect("age the click");
    id
}

/// A Harbor Bank click of edu-demo, written in D1: Harbor offers nothing to click (its product
/// has no spec), as in `attribution.rs`.
fn harbor_click(w: &Worker, id: &str) {
    w.d1(&format!(
        "INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, scene, \
         client_hash, ua_bot, clicks_in_hour, created_at) VALUES ('{id}', 'x', 'harbor-bank', \
         'edu-demo', 'cmp-harbor-edu', 'harbor-td-6m', 'education', 'h-{id}', 0, 1, {})",
        now() - 3600
    ))
    .expect("harbor click");
}

/// A signed Demo Bank postback, now; answers the stored conversion.
fn convert(w: &Worker, click: &str, event: &str, external_id: &str, amount: i64) -> Value {
    let a = DEMO_BANK.post(
        w,
        "/v1/conversions",
        &conversion(click, event, external_id, amount, now() - 60),
    );
    assert!(a.status == 201 || a.status == 200, "{a:?}");
    a.body
}

fn reverse(w: &Worker, id: &str) -> Answer {
    DEMO_BANK.post(w, &format!("/v1/conversions/{id}/reversal"), "")
}

/// A new admin key of `bank`, created by the operator through the admin API.
fn bank_admin(w: &Worker, bank: &str) -> String {
    let body = json!({"kind": "bank_admin", "name": "settlement test"});
    let path = format!("/v1/admin/banks/{bank}/keys");
    let k = ok(call(w, "POST", &path, Some(OPERATOR), Some(&body)), 201);
    k["token"].as_str().expect("token").to_string()
}

fn close(w: &Worker, key: &str, period: Period) -> Answer {
    call(w, "POST", &format!("/v1/statements/{period}/close"), Some(key), None)
}

fn pay(w: &Worker, key: &str, period: Period, partner: &str, reference: &str) -> Answer {
    let body = json!({"partner": partner, "reference": reference});
    call(
        w,
        "POST",
        &format!("/v1/statements/{period}/paid"),
        Some(key),
        Some(&body),
    )
}

/// The sequence on Demo Bank × edu-demo, each step's answer kept for the tests that
/// check it. P1 (two months ago): C1 50.00 approved and paid; P2 (last month): nothing; now:
/// C1 reversed, C2 30.00 approved.
struct Sequence {
    p1: Period,
    p2: Period,
    now: Period,
    c1: String,
    c2: Value,
    close_p2_first: Answer,
    close_p1: Answer,
    close_p1_again: Answer,
    pay_open_p2: Answer,
    pay_with_report_key: Answer,
    pay: Answer,
    pay_same: Answer,
    pay_other: Answer,
    close_now: Answer,
    close_p2: Answer,
    close_before_p1: Answer,
    reversal: Answer,
    /// The bank's ledger and statements (raw JSON) before and after C1's second reversal.
    before_again: (String, String),
    reversal_again: Answer,
    after_again: (String, String),
}

static SEQUENCE: OnceLock<Result<Sequence, String>> = OnceLock::new();

/// C1 as setup in D1, the rest through the API; runs once, on the first test that asks.
fn sequence(w: &Worker) -> &'static Sequence {
    once(&SEQUENCE, || {
        let t = now();
        let cur = period_of(t);
        let p2 = cur.prev().expect("a month before");
        let p1 = p2.prev().expect("two months before");
        let zone = settlement_zone(None).expect("zone");
        let at = p1.bounds(&zone).0 + 10 * 86_400;
        let c1 = "set-c1".to_string();
        w.d1(&format!(
            "INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, scene, \
             client_hash, ua_bot, clicks_in_hour, created_at) VALUES ('set-c1-click', 'set-c1-lead', \
             'demo-bank', 'edu-demo', 'cmp-edu-demo', 'td-12m', 'education', 'set-c1', 0, 1, {})",
            at - 3600
        ))
        .expect("C1's click");
        w.d1(&format!(
            "INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id, \
             partner_id, product_id, scene, amount_minor, currency, occurred_at, received_at, status, \
             payout_minor, payout_currency, pays_once) VALUES ('{c1}', 'demo-bank', 'SET-C1', \
             'account_opened', 'set-c1-click', 'cmp-edu-demo', 'edu-demo', 'td-12m', 'education', 0, \
             'CNY', {at}, {at}, 'approved', 5000, 'CNY', 1)"
        ))
        .expect("C1");
        w.d1(&format!(
            "INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor, \
             currency, created_at, period) VALUES \
             ('{c1}', 'accrual', 'demo-bank', 'edu-demo', 'cmp-edu-demo', 5000, 'CNY', {at}, '{p1}'), \
             ('{c1}', 'release', 'demo-bank', 'edu-demo', 'cmp-edu-demo', 5000, 'CNY', {at}, '{p1}')"
        ))
        .expect("C1's entries");
        // H2: a health-demo conversion accrued in P2 and still held (30 days to approval).
        let at2 = p2.bounds(&zone).0 + 10 * 86_400;
        w.d1(&format!(
            "INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, scene, \
             client_hash, ua_bot, clicks_in_hour, created_at) VALUES ('set-h2-click', 'set-h2-lead', \
             'demo-bank', 'health-demo', 'cmp-health-demo', 'td-12m', 'telehealth', 'set-h2', 0, 1, {})",
            at2 - 3600
        ))
        .expect("H2's click");
        w.d1(&format!(
            "INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id, \
             partner_id, product_id, scene, amount_minor, currency, occurred_at, received_at, status, \
             payout_minor, payout_currency, approve_at) VALUES ('set-h2', 'demo-bank', 'SET-H2', \
             'account_opened', 'set-h2-click', 'cmp-health-demo', 'health-demo', 'td-12m', 'telehealth', \
             0, 'CNY', {at2}, {at2}, 'pending', 5000, 'CNY', {})",
            t + 30 * 86_400
        ))
        .expect("H2");
        w.d1(&format!(
            "INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor, \
             currency, created_at, period) VALUES \
             ('set-h2', 'accrual', 'demo-bank', 'health-demo', 'cmp-health-demo', 5000, 'CNY', {at2}, '{p2}')"
        ))
        .expect("H2's accrual");

        let admin = bank_admin(w, "demo-bank");
        let close_p2_first = close(w, &admin, p2);
        let close_p1 = close(w, &admin, p1);
        let close_p1_again = close(w, &admin, p1);
        let pay_open_p2 = pay(w, &admin, p2, "edu-demo", "TX-EARLY");
        let pay_with_report_key = pay(w, DEMO_BANK_KEY, p1, "edu-demo", "TX-REPORT");
        let pay_p1 = pay(w, &admin, p1, "edu-demo", "TX-P1-0001");
        let pay_same = pay(w, &admin, p1, "edu-demo", "TX-P1-0001");
        let pay_other = pay(w, &admin, p1, "edu-demo", "TX-P1-0002");
        let close_now = close(w, &admin, cur);
        let close_p2 = close(w, &admin, p2);
        let close_before_p1 = close(w, &admin, p1.prev().expect("three months before"));
        let reversal = reverse(w, &c1);

        let c2_click = aged_click(w, "edu-demo", "education", "c2");
        // A funded top-up pays 0.5 %: 6,000.00 pays 30.00.
        let c2 = convert(w, &c2_click, "funded", "SET-C2", 600_000);

        let books = || {
            (
                raw(w, "/v1/ledger?limit=1000", Some(DEMO_BANK_KEY), "application/json").text,
                raw(w, "/v1/statements", Some(DEMO_BANK_KEY), "application/json").text,
            )
        };
        let before_again = books();
        let reversal_again = reverse(w, &c1);
        let after_again = books();
        Sequence {
            p1,
            p2,
            now: cur,
            c1,
            c2,
            close_p2_first,
            close_p1,
            close_p1_again,
            pay_open_p2,
            pay_with_report_key,
            pay: pay_p1,
            pay_same,
            pay_other,
            close_now,
            close_p2,
            close_before_p1,
            reversal,
            before_again,
            reversal_again,
            after_again,
        }
    })
}

#[test]
fn p1_closes_in_order_with_c1_payable_and_is_paid_once_under_the_banks_reference() {
    let w = alone();
    let s = sequence(&w);
    problem::assert(&s.close_p2_first, 409, "period_out_of_order");

    assert_eq!(s.close_p1.status, 201, "{:?}", s.close_p1);
    let frozen = s.close_p1.body["statements"].as_array().expect("statements");
    assert_eq!(frozen.len(), 1, "only edu-demo has entries in P1: {frozen:?}");
    let p1 = statement(frozen, "demo-bank", "edu-demo", s.p1);
    assert_eq!(money(&p1), (0, 5000, 0, 5000, 5000, 0));
    assert_eq!(
        (p1["accrued_minor"].as_i64(), p1["held_minor"].as_i64()),
        (Some(5000), Some(0))
    );
    assert_eq!(
        (p1["state"].as_str(), p1["entries"].as_i64()),
        (Some("closed"), Some(2))
    );
    assert_eq!(
        (s.close_p1_again.status, &s.close_p1_again.body),
        (200, &s.close_p1.body),
        "closing again answers the frozen statements"
    );

    problem::assert(&s.pay_open_p2, 409, "period_not_closed");
    problem::assert(&s.pay_with_report_key, 403, "forbidden");
    assert_eq!(s.pay.status, 200, "{:?}", s.pay);
    assert_eq!(
        (
            s.pay.body["state"].as_str(),
            s.pay.body["reference"].as_str(),
            s.pay.body["payable_minor"].as_i64()
        ),
        (Some("paid"), Some("TX-P1-0001"), Some(5000))
    );
    assert_eq!(
        (s.pay_same.status, &s.pay_same.body),
        (200, &s.pay.body),
        "the same reference again pays nothing twice and changes nothing"
    );
    problem::assert(&s.pay_other, 409, "period_already_paid");
}

#[test]
fn periods_close_only_after_they_end_and_in_order() {
    let w = alone();
    let s = sequence(&w);
    problem::assert(&s.close_now, 409, "period_not_over");
    assert_eq!(s.close_p2.status, 201, "{:?}", s.close_p2);
    let p2 = statement(
        s.close_p2.body["statements"].as_array().expect("statements"),
        "demo-bank",
        "edu-demo",
        s.p2,
    );
    assert_eq!(money(&p2), (0, 0, 0, 0, 0, 0), "paid in P1: nothing carried into P2");
    let held = statement(
        s.close_p2.body["statements"].as_array().expect("statements"),
        "demo-bank",
        "health-demo",
        s.p2,
    );
    assert_eq!(money(&held), (0, 0, 0, 0, 0, 0), "a hold is not payable");
    assert_eq!(
        (held["accrued_minor"].as_i64(), held["held_minor"].as_i64()),
        (Some(5000), Some(5000))
    );
    problem::assert(&s.close_before_p1, 409, "period_out_of_order");
    // What the refusals did not write: two closed periods, nothing frozen for the others.
    let closed = w
        .d1("SELECT period FROM settlement_periods WHERE bank_id = 'demo-bank' ORDER BY period")
        .expect("D1");
    let closed: Vec<&str> = closed.iter().filter_map(|r| r["period"].as_str()).collect();
    assert_eq!(closed, [s.p1.to_string(), s.p2.to_string()]);
    // The key that closes is the bank's admin key: a report key reads only.
    problem::assert(&close(&w, DEMO_BANK_KEY, s.p2), 403, "forbidden");
    problem::assert(&close(&w, OPERATOR, s.p2), 403, "forbidden");
    let admin = bank_admin(&w, "demo-bank");
    let post = |path: &str, body: Option<&Value>| call(&w, "POST", path, Some(&admin), body);
    for bad in ["2026-13", "26-11", "2026-1"] {
        problem::assert(
            &post(&format!("/v1/statements/{bad}/close"), None),
            400,
            "invalid_field",
        );
    }
    // A close takes no options: a body with any is refused, not ignored (review: it closed).
    let close_p2 = format!("/v1/statements/{}/close", s.p2);
    problem::assert(&post(&close_p2, Some(&json!({"dry_run": true}))), 400, "invalid_field");
    problem::assert(&post(&close_p2, Some(&json!([]))), 400, "invalid_field");
    assert_eq!(post(&close_p2, Some(&json!({}))).status, 200, "closed already");
    let paid = format!("/v1/statements/{}/paid", s.p1);
    // Only invisible characters: no reference a person can read (review: paid under U+200B).
    problem::assert(
        &post(
            &paid,
            Some(&json!({"partner": "edu-demo", "reference": "\u{200b}\u{200e}"})),
        ),
        400,
        "invalid_field",
    );
    problem::assert(
        &post(&paid, Some(&json!({"partner": "edu-demo"}))),
        400,
        "invalid_field",
    );
    problem::assert(
        &post(&paid, Some(&json!({"partner": "edu-demo", "reference": ""}))),
        400,
        "invalid_field",
    );
    problem::assert(
        &post(&paid, Some(&json!({"partner": "nobody", "reference": "TX-X"}))),
        404,
        "not_found",
    );
}

#[test]
fn a_reversal_after_p1_is_paid_is_a_clawback_in_the_open_period() {
    let w = alone();
    let s = sequence(&w);
    assert_eq!(
        (s.reversal.status, s.reversal.body["status"].as_str()),
        (200, Some("reversed")),
        "{:?}",
        s.reversal
    );
    let entries = ledger(&w, DEMO_BANK_KEY, "");
    let now = s.now.to_string();
    assert_eq!(
        entries_of(&entries, &s.c1),
        [
            ("accrual".to_string(), 5000, s.p1.to_string()),
            ("release".to_string(), 5000, s.p1.to_string()),
            ("clawback".to_string(), -5000, now.clone()),
        ],
        "booked into the open month, never into paid P1"
    );
    // P1 stays as frozen: payable 5000, paid.
    let p1 = statement(
        &statements(&w, DEMO_BANK_KEY, &format!("?from={0}&to={0}", s.p1)),
        "demo-bank",
        "edu-demo",
        s.p1,
    );
    assert_eq!(money(&p1), (0, 5000, 0, 5000, 5000, 0));
    assert_eq!(
        (p1["state"].as_str(), p1["reference"].as_str()),
        (Some("paid"), Some("TX-P1-0001"))
    );
    assert_eq!(p1, s.pay.body, "the paid statement as the payment answered it");
}

#[test]
fn c2_in_the_open_period_pays_nothing_and_carries_minus_twenty() {
    let w = alone();
    let s = sequence(&w);
    assert_eq!(
        (s.c2["status"].as_str(), s.c2["payout_minor"].as_i64()),
        (Some("approved"), Some(3000)),
        "{}",
        s.c2
    );
    let c2 = s.c2["id"].as_str().expect("C2's id");
    let now = s.now.to_string();
    assert_eq!(
        entries_of(&ledger(&w, DEMO_BANK_KEY, ""), c2),
        [
            ("accrual".to_string(), 3000, now.clone()),
            ("release".to_string(), 3000, now.clone())
        ]
    );
    let query = format!("?from={0}&to={0}", s.now);
    for key in [DEMO_BANK_KEY, EDU_KEY] {
        let open = statement(&statements(&w, key, &query), "demo-bank", "edu-demo", s.now);
        assert_eq!(
            money(&open),
            (0, 3000, 5000, -2000, 0, -2000),
            "read with {key}: {open}"
        );
        assert_eq!(open["state"], "open");
    }
}

#[test]
fn the_same_reversal_again_changes_nothing() {
    let w = alone();
    let s = sequence(&w);
    assert_eq!(
        (s.reversal_again.status, &s.reversal_again.body),
        (200, &s.reversal.body),
        "answered as the first"
    );
    assert_eq!(s.after_again.0, s.before_again.0, "the ledger, byte for byte");
    assert_eq!(s.after_again.1, s.before_again.1, "the statements, byte for byte");
    let entries = ledger(&w, DEMO_BANK_KEY, "");
    assert_eq!(entries_of(&entries, &s.c1).len(), 3, "one clawback");
}

#[test]
fn a_reversal_inside_the_approval_period_voids_the_hold_and_moves_no_payable_money() {
    let w = alone();
    // Only this test pays health-demo; its campaign holds conversions for 30 days.
    w.d1("UPDATE campaigns SET approval_days = 30 WHERE id = 'cmp-health-demo'")
        .expect("campaign");
    let c = aged_click(&w, "health-demo", "telehealth", "void");
    let pending = convert(&w, &c, "account_opened", "SET-VOID-1", 0);
    assert_eq!(
        (pending["status"].as_str(), pending["payout_minor"].as_i64()),
        (Some("pending"), Some(5000)),
        "{pending}"
    );
    let id = pending["id"].as_str().expect("id");
    let cur = period_of(now());
    let before = statements(&w, DEMO_BANK_KEY, "");
    let reversed = reverse(&w, id);
    assert_eq!(
        (reversed.status, reversed.body["status"].as_str()),
        (200, Some("reversed"))
    );
    let cur_s = cur.to_string();
    assert_eq!(
        entries_of(&ledger(&w, DEMO_BANK_KEY, ""), id),
        [
            ("accrual".to_string(), 5000, cur_s.clone()),
            ("void".to_string(), -5000, cur_s.clone())
        ],
        "a void, not a clawback"
    );
    let after = statements(&w, DEMO_BANK_KEY, "");
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        let key = |s: &Value| (s["partner_id"].clone(), s["period"].clone());
        assert_eq!(key(a), key(b));
        assert_eq!(money(a), money(b), "payable and closing unchanged: {b} → {a}");
    }
    let (b, a) = (
        statement(&before, "demo-bank", "health-demo", cur),
        statement(&after, "demo-bank", "health-demo", cur),
    );
    let f = |s: &Value, k: &str| s[k].as_i64().unwrap_or_default();
    assert_eq!(f(&a, "voided_minor") - f(&b, "voided_minor"), 5000);
    assert_eq!(f(&b, "held_minor") - f(&a, "held_minor"), 5000, "the hold is gone");
    assert_eq!(f(&a, "accrued_minor"), f(&b, "accrued_minor"));
}

#[test]
fn the_cron_releases_a_hold_whose_approval_date_passed() {
    let w = alone();
    // Only this test pays game-demo; its campaign holds conversions for 7 days.
    w.d1("UPDATE campaigns SET approval_days = 7 WHERE id = 'cmp-game-demo'")
        .expect("campaign");
    let c = aged_click(&w, "game-demo", "gaming", "cron");
    let pending = convert(&w, &c, "account_opened", "SET-CRON-1", 0);
    assert_eq!(
        (pending["status"].as_str(), pending["payout_minor"].as_i64()),
        (Some("pending"), Some(5000)),
        "{pending}"
    );
    let id = pending["id"].as_str().expect("id");
    let cron = || request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None).status;
    let kinds = || -> Vec<(String, i64, String)> { entries_of(&ledger(&w, GAME_KEY, ""), id) };
    let cur = period_of(now()).to_string();
    assert_eq!(cron(), 200);
    assert_eq!(
        kinds(),
        [("accrual".to_string(), 5000, cur.clone())],
        "held until its approval date"
    );
    let open = |w: &Worker| statement(&statements(w, GAME_KEY, ""), "demo-bank", "game-demo", period_of(now()));
    let before = open(&w);

    let approve_at = now() - 120;
    w.d1(&format!(
        "UPDATE conversions SET approve_at = {approve_at} WHERE id = '{id}'"
    ))
    .expect("the approval date passes");
    let ran_from = now();
    assert_eq!(cron(), 200);
    let ran_to = now();
    assert_eq!(cron(), 200, "a second run releases nothing twice");
    let page = ledger(&w, GAME_KEY, "");
    let release = page
        .iter()
        .find(|e| e["conversion_id"] == id && e["kind"] == "release")
        .expect("release");
    let at = release["at"].as_i64().unwrap_or_default();
    assert!(
        (ran_from - 1..=ran_to + 1).contains(&at),
        "dated when the run wrote it ({ran_from}..{ran_to}), not at its approval date {approve_at}: {at}"
    );
    assert_eq!(
        entries_of(&page, id),
        [
            ("accrual".to_string(), 5000, cur.clone()),
            ("release".to_string(), 5000, period_of(at).to_string())
        ]
    );
    let after = open(&w);
    let f = |s: &Value, k: &str| s[k].as_i64().unwrap_or_default();
    assert_eq!(f(&after, "released_minor") - f(&before, "released_minor"), 5000);
    assert_eq!(f(&after, "closing_minor") - f(&before, "closing_minor"), 5000);
    assert_eq!(f(&before, "held_minor") - f(&after, "held_minor"), 5000);
}

#[test]
fn the_ledger_pages_by_cursor_for_its_owner_only_in_json_and_csv() {
    let w = alone();
    // Entries of two partners, whatever else the book holds.
    let game = convert(
        &w,
        &aged_click(&w, "game-demo", "gaming", "ledger"),
        "lead_qualified",
        "SET-LED-1",
        0,
    );
    let health = convert(
        &w,
        &aged_click(&w, "health-demo", "telehealth", "ledger"),
        "lead_qualified",
        "SET-LED-2",
        0,
    );
    let (game, health) = (game["id"].as_str().expect("id"), health["id"].as_str().expect("id"));

    let all = ledger(&w, DEMO_BANK_KEY, "");
    assert!(all.len() >= 2, "{all:?}");
    assert!(all.iter().all(|e| e["bank_id"] == "demo-bank"), "{all:?}");
    let ids: Vec<i64> = all.iter().map(|e| e["id"].as_i64().expect("id")).collect();
    assert!(ids.windows(2).all(|p| p[0] < p[1]), "id order: {ids:?}");
    assert!(!entries_of(&all, game).is_empty() && !entries_of(&all, health).is_empty());

    // Pages of two: each entry once, in order; `next` is the last id; the end says so.
    let mut paged = vec![];
    let mut after = "0".to_string();
    loop {
        let page = json_of(&w, &format!("/v1/ledger?after={after}&limit=2"), DEMO_BANK_KEY);
        let entries = page["entries"].as_array().expect("entries");
        assert!(entries.len() <= 2);
        if let Some(last) = entries.last() {
            assert_eq!(page["next"].as_str(), Some(last["id"].to_string().as_str()));
        }
        paged.extend(entries.iter().cloned());
        after = page["next"].as_str().expect("next").to_string();
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(paged, all, "the pages are the ledger, each entry once");
    let end = json_of(&w, &format!("/v1/ledger?after={after}"), DEMO_BANK_KEY);
    assert_eq!(
        end,
        json!({"entries": [], "next": after, "has_more": false}),
        "a poller asks again with the same cursor"
    );

    // CSV: by format=csv or Accept; the cursor in headers.
    let csv = raw(&w, "/v1/ledger?limit=1000&format=csv", Some(DEMO_BANK_KEY), "*/*");
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
    assert_eq!(
        (csv.next_after.as_deref(), csv.has_more.as_deref()),
        (Some(ids.last().expect("an id").to_string().as_str()), Some("false"))
    );
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], LEDGER_HEADER.join(","));
    assert_eq!(lines.len(), all.len() + 1);
    let first = &all[0];
    assert!(
        lines[1].starts_with(&format!(
            "{},{},{}",
            first["id"],
            first["period"].as_str().unwrap_or_default(),
            first["conversion_id"].as_str().unwrap_or_default()
        )),
        "{}",
        lines[1]
    );
    let by_accept = raw(&w, "/v1/ledger?limit=1000", Some(DEMO_BANK_KEY), "text/csv");
    assert_eq!((by_accept.status, &by_accept.text), (200, &csv.text));

    // A partner sees its own entries only; a bank narrows to a partner; Harbor sees none of Demo's.
    let mine = ledger(&w, GAME_KEY, "");
    assert!(mine.iter().all(|e| e["partner_id"] == "game-demo"), "{mine:?}");
    assert!(!entries_of(&mine, game).is_empty() && entries_of(&mine, health).is_empty());
    assert_eq!(mine, ledger(&w, DEMO_BANK_KEY, "&partner=game-demo"));
    let harbor = ledger(&w, HARBOR_BANK_KEY, "");
    assert!(harbor.iter().all(|e| e["bank_id"] == "harbor-bank"), "{harbor:?}");
    assert!(ledger(&w, EDU_KEY, "&bank=harbor-bank")
        .iter()
        .all(|e| e["bank_id"] == "harbor-bank"));

    // Refusals.
    for (query, code) in [
        ("after=abc", "invalid_cursor"),
        ("after=-1", "invalid_cursor"),
        ("limit=0", "invalid_limit"),
        ("limit=1001", "invalid_limit"),
        ("limit=ten", "invalid_limit"),
        ("format=xml", "invalid_field"),
    ] {
        problem::assert(&get(&w, &format!("/v1/ledger?{query}"), Some(DEMO_BANK_KEY)), 400, code);
    }
    problem::assert(
        &get(&w, "/v1/ledger?partner=edu-demo", Some(GAME_KEY)),
        400,
        "invalid_field",
    );
    problem::assert(
        &get(&w, "/v1/ledger?bank=demo-bank", Some(DEMO_BANK_KEY)),
        400,
        "invalid_field",
    );
    problem::assert(&get(&w, "/v1/ledger", Some(OPERATOR)), 403, "forbidden");
    problem::assert(&get(&w, "/v1/ledger", None), 401, "unauthorized");
    problem::assert(&get(&w, "/v1/ledger", Some("rk_guess")), 401, "unauthorized");
}

#[test]
fn statements_are_each_owners_own_and_sum_to_the_ledger() {
    let w = alone();
    let s = sequence(&w);
    // edu-demo earns with Harbor Bank too: its key sees both banks' statements.
    harbor_click(&w, "set-harbor-stmt");
    let h = HARBOR_BANK.post(
        &w,
        "/v1/conversions",
        &conversion("set-harbor-stmt", "account_opened", "SET-H-STMT", 0, now() - 60),
    );
    assert_eq!((h.status, h.body["payout_minor"].as_i64()), (201, Some(3000)), "{h:?}");

    let edu = statements(&w, EDU_KEY, "");
    assert!(edu.iter().all(|s| s["partner_id"] == "edu-demo"), "{edu:?}");
    let banks: std::collections::BTreeSet<&str> = edu.iter().filter_map(|s| s["bank_id"].as_str()).collect();
    assert_eq!(banks.into_iter().collect::<Vec<_>>(), ["demo-bank", "harbor-bank"]);
    assert_eq!(
        statement(&edu, "demo-bank", "edu-demo", s.p1)["state"],
        "paid",
        "a partner sees its paid statement"
    );
    let demo = statements(&w, DEMO_BANK_KEY, "");
    assert!(demo.iter().all(|s| s["bank_id"] == "demo-bank"), "{demo:?}");
    let harbor = statements(&w, HARBOR_BANK_KEY, "");
    assert!(harbor.iter().all(|s| s["bank_id"] == "harbor-bank"), "{harbor:?}");
    assert_eq!(
        edu.iter()
            .filter(|s| s["bank_id"] == "demo-bank")
            .cloned()
            .collect::<Vec<_>>(),
        statements(&w, DEMO_BANK_KEY, "?partner=edu-demo"),
        "the partner and its bank read the same statements"
    );
    problem::assert(
        &get(&w, "/v1/statements?partner=game-demo", Some(EDU_KEY)),
        400,
        "invalid_field",
    );
    problem::assert(
        &get(&w, "/v1/statements?from=2026-13", Some(EDU_KEY)),
        400,
        "invalid_field",
    );
    problem::assert(&get(&w, "/v1/statements", Some(OPERATOR)), 403, "forbidden");
    problem::assert(&get(&w, "/v1/statements", None), 401, "unauthorized");

    // Σ (released − clawed back) over each book's statements = Σ of its release and clawback
    // entries, to the minor unit, read by every key.
    for key in [DEMO_BANK_KEY, HARBOR_BANK_KEY, EDU_KEY, GAME_KEY, HEALTH_KEY] {
        let mut by_statements: BTreeMap<(String, String), i64> = BTreeMap::new();
        for st in statements(&w, key, "") {
            let book = (st["bank_id"].to_string(), st["partner_id"].to_string());
            *by_statements.entry(book).or_default() += st["released_minor"].as_i64().unwrap_or_default()
                - st["clawed_back_minor"].as_i64().unwrap_or_default();
        }
        let mut by_ledger: BTreeMap<(String, String), i64> = BTreeMap::new();
        for e in ledger(&w, key, "") {
            if e["kind"] == "release" || e["kind"] == "clawback" {
                let book = (e["bank_id"].to_string(), e["partner_id"].to_string());
                *by_ledger.entry(book).or_default() += e["amount_minor"].as_i64().unwrap_or_default();
            }
        }
        by_statements.retain(|_, v| *v != 0);
        by_ledger.retain(|_, v| *v != 0);
        assert_eq!(by_statements, by_ledger, "read with {key}");
        assert!(
            !by_ledger.is_empty() || key == HEALTH_KEY || key == GAME_KEY,
            "{key} has money"
        );
    }

    // CSV: the same statements, a row each.
    let csv = raw(&w, "/v1/statements?format=csv", Some(EDU_KEY), "*/*");
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], format!("{},reference", STATEMENT_HEADER.join(",")));
    assert_eq!(lines.len(), edu.len() + 1);
    let paid_row = lines
        .iter()
        .find(|l| l.starts_with(&format!("demo-bank,edu-demo,{},", s.p1)))
        .expect("P1's row");
    assert!(paid_row.ends_with(",TX-P1-0001"), "{paid_row}");
    assert!(
        paid_row.contains(",0,5000,5000,0,0,5000,5000,0,0,2,paid,"),
        "{paid_row}"
    );
    let by_accept = raw(&w, "/v1/statements", Some(EDU_KEY), "text/csv");
    assert_eq!((by_accept.status, &by_accept.text), (200, &csv.text));
}

#[test]
fn a_balance_under_the_minimum_payout_is_payable_zero_and_carried() {
    let w = alone();
    let cur = period_of(now());
    let open = || statement(&statements(&w, HARBOR_BANK_KEY, ""), "harbor-bank", "edu-demo", cur);
    let post = |id: &str| {
        harbor_click(&w, id);
        let a = HARBOR_BANK.post(
            &w,
            "/v1/conversions",
            &conversion(id, "account_opened", &format!("SET-{id}"), 0, now() - 60),
        );
        assert_eq!((a.status, a.body["payout_minor"].as_i64()), (201, Some(3000)), "{a:?}");
    };
    post("set-min-1");
    // No minimum: any positive balance is payable.
    let paid = open();
    let closing = paid["closing_minor"].as_i64().expect("closing");
    assert!(closing >= 3000, "{paid}");
    assert_eq!(
        (paid["payable_minor"].as_i64(), paid["carry_minor"].as_i64()),
        (Some(closing), Some(0))
    );
    // Harbor Bank's minimum above the balance: payable 0, all of it carried.
    let min = closing + 3000 + 1;
    w.d1(&format!(
        "UPDATE banks SET min_payout_minor = {min} WHERE id = 'harbor-bank'"
    ))
    .expect("minimum payout");
    post("set-min-2");
    let carried = open();
    assert_eq!(
        (
            carried["closing_minor"].as_i64(),
            carried["payable_minor"].as_i64(),
            carried["carry_minor"].as_i64()
        ),
        (Some(closing + 3000), Some(0), Some(closing + 3000)),
        "{carried}"
    );
    // Reaching the minimum pays it all.
    w.d1(&format!(
        "UPDATE banks SET min_payout_minor = {} WHERE id = 'harbor-bank'",
        closing + 3000
    ))
    .expect("minimum payout");
    let reached = open();
    assert_eq!(
        (reached["payable_minor"].as_i64(), reached["carry_minor"].as_i64()),
        (Some(closing + 3000), Some(0))
    );
    w.d1("UPDATE banks SET min_payout_minor = NULL WHERE id = 'harbor-bank'")
        .expect("no minimum");
}

#[test]
fn a_hold_accrued_in_a_closed_period_is_released_into_the_open_one() {
    let w = alone();
    let s = sequence(&w);
    let cur = period_of(now());
    let read = || statements(&w, HEALTH_KEY, "");
    let before = read();
    let approve_at = now() - 120;
    w.d1(&format!(
        "UPDATE conversions SET approve_at = {approve_at} WHERE id = 'set-h2'"
    ))
    .expect("H2's approval date passes");
    assert_eq!(
        request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None).status,
        200
    );
    let entries = ledger(&w, HEALTH_KEY, "");
    assert_eq!(
        entries_of(&entries, "set-h2"),
        [
            ("accrual".to_string(), 5000, s.p2.to_string()),
            ("release".to_string(), 5000, cur.to_string())
        ],
        "released in its own (open) month; closed P2 keeps its hold"
    );
    let after = read();
    assert_eq!(
        statement(&after, "demo-bank", "health-demo", s.p2),
        statement(&before, "demo-bank", "health-demo", s.p2),
        "P2 as frozen"
    );
    let (b, a) = (
        statement(&before, "demo-bank", "health-demo", cur),
        statement(&after, "demo-bank", "health-demo", cur),
    );
    let f = |s: &Value, k: &str| s[k].as_i64().unwrap_or_default();
    assert_eq!(f(&a, "released_minor") - f(&b, "released_minor"), 5000);
    assert_eq!(f(&a, "closing_minor") - f(&b, "closing_minor"), 5000);
    assert_eq!(f(&a, "payable_minor") - f(&b, "payable_minor"), 5000);
    assert_eq!(
        f(&b, "held_minor") - f(&a, "held_minor"),
        5000,
        "the hold P2 carried is released"
    );
}

#[test]
fn concurrent_closes_freeze_once_and_concurrent_payments_pay_once() {
    let w = alone();
    let cur = period_of(now());
    let p2 = cur.prev().expect("last month");
    let zone = settlement_zone(None).expect("zone");
    let at = p2.bounds(&zone).0 + 5 * 86_400;
    // Harbor Bank × edu-demo earned 30.00 last month (setup, as volume.sql writes history).
    harbor_click(&w, "set-race-click");
    w.d1(&format!(
        "INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id, \
         partner_id, product_id, scene, amount_minor, currency, occurred_at, received_at, status, \
         payout_minor, payout_currency, pays_once) VALUES ('set-race', 'harbor-bank', 'SET-RACE', \
         'account_opened', 'set-race-click', 'cmp-harbor-edu', 'edu-demo', 'harbor-td-6m', 'education', \
         0, 'CNY', {at}, {at}, 'approved', 3000, 'CNY', 1)"
    ))
    .expect("conversion");
    w.d1(&format!(
        "INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor, \
         currency, created_at, period) VALUES \
         ('set-race', 'accrual', 'harbor-bank', 'edu-demo', 'cmp-harbor-edu', 3000, 'CNY', {at}, '{p2}'), \
         ('set-race', 'release', 'harbor-bank', 'edu-demo', 'cmp-harbor-edu', 3000, 'CNY', {at}, '{p2}')"
    ))
    .expect("entries");
    let admin = bank_admin(&w, "harbor-bank");
    // Its first close is the month of its first entry: an earlier month (a typo) would bind
    // every month after it to be closed one by one, for ever (review: 1970-01 was closed).
    for early in [Period::MIN, p2.prev().expect("two months ago")] {
        let refused = close(&w, &admin, early);
        problem::assert(&refused, 409, "period_out_of_order");
        let detail = refused.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(&format!("first period to close, {p2}")), "{detail}");
    }

    let both = |f: &(dyn Fn(usize) -> Answer + Sync)| -> Vec<Answer> {
        let mut answers: Vec<Answer> = std::thread::scope(|t| {
            let hs: Vec<_> = (0..2).map(|i| t.spawn(move || f(i))).collect();
            hs.into_iter().map(|h| h.join().expect("thread")).collect()
        });
        answers.sort_by_key(|a| a.status);
        answers
    };
    let closes = both(&|_| close(&w, &admin, p2));
    assert_eq!(
        closes.iter().map(|a| a.status).collect::<Vec<_>>(),
        [200, 201],
        "one close wins, the other answers it: {closes:?}"
    );
    assert_eq!(closes[0].body, closes[1].body);
    let frozen = statement(
        closes[1].body["statements"].as_array().expect("statements"),
        "harbor-bank",
        "edu-demo",
        p2,
    );
    assert_eq!(money(&frozen), (0, 3000, 0, 3000, 3000, 0));
    let stored = w
        .d1(&format!(
            "SELECT COUNT(*) AS n FROM statements WHERE bank_id = 'harbor-bank' AND period = '{p2}'"
        ))
        .expect("D1");
    assert_eq!(stored[0]["n"], 1, "frozen once");

    let pays = both(&|i| pay(&w, &admin, p2, "edu-demo", &format!("HB-RACE-{i}")));
    assert_eq!(pays[0].status, 200, "{pays:?}");
    problem::assert(&pays[1], 409, "period_already_paid");
    let winner = pays[0].body["reference"].as_str().expect("reference");
    let read = statement(
        &statements(&w, EDU_KEY, "?bank=harbor-bank"),
        "harbor-bank",
        "edu-demo",
        p2,
    );
    assert_eq!(
        (
            read["state"].as_str(),
            read["reference"].as_str(),
            read["payable_minor"].as_i64()
        ),
        (Some("paid"), Some(winner), Some(3000))
    );
}

#[test]
fn a_hold_whose_approval_date_passed_long_ago_is_released_when_the_cron_approves_it() {
    let w = alone();
    // Demo Bank closed the months before this one: the late release lands in the open month.
    let s = sequence(&w);
    w.d1("UPDATE campaigns SET approval_days = 7 WHERE id = 'cmp-game-demo'")
        .expect("campaign");
    let c = aged_click(&w, "game-demo", "gaming", "late-cron");
    let pending = convert(&w, &c, "account_opened", "SET-LATE-1", 0);
    assert_eq!(pending["status"], "pending", "{pending}");
    let id = pending["id"].as_str().expect("id");
    // The cron did not run for 40 days (an outage, a paused trigger): the approval date is
    // older than the approval job's look-back when it finally runs.
    let approve_at = now() - 40 * 86_400;
    w.d1(&format!(
        "UPDATE conversions SET approve_at = {approve_at} WHERE id = '{id}'"
    ))
    .expect("age the approval date");
    let ran_from = now();
    assert_eq!(
        request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None).status,
        200
    );
    let entries = ledger(&w, GAME_KEY, "");
    assert_eq!(
        entries_of(&entries, id),
        [
            ("accrual".to_string(), 5000, s.now.to_string()),
            ("release".to_string(), 5000, s.now.to_string())
        ],
        "approved and released, into the open month (its own is closed)"
    );
    let release = entries
        .iter()
        .find(|e| e["conversion_id"] == id && e["kind"] == "release")
        .expect("release");
    // Dated when written, so the day of its approval date, long over, never changes (review:
    // dated at the approval date, the release rewrote that day in reports by ledger date).
    let at = release["at"].as_i64().unwrap_or_default();
    assert!(
        at >= ran_from - 1 && at > approve_at + 39 * 86_400,
        "{at} vs {approve_at}"
    );
}
