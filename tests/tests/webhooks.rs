//! Signed webhooks through Cloudflare Queues (issue 14 item 3), against `wrangler dev`, which
//! runs the queue and its dead-letter queue locally. A receiver (`inflow_tests::receiver`, a
//! small HTTP server on std's TcpListener) is registered for Demo Bank's `lead.created`: a lead
//! arrives once with valid Standard Webhooks signatures (two while the secret rotates); the
//! receiver goes down, leads keep coming, the delivery log shows the failed attempts; it comes
//! back and has every event, each id delivered once. A partner's endpoint that keeps failing is
//! disabled with the reason, and enabled again. The Worker runs with
//! `WEBHOOK_RETRY_BASE_SECS=1`, so retries come within seconds (production: 30 s, doubled).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::Duration;

use inflow_core::webhook::signing;
use inflow_tests::bank::{click, click_id, conversion, lead, now, DEMO_BANK};
use inflow_tests::cli::{call, ok, OPERATOR};
use inflow_tests::receiver::{deliveries, lead_created, lead_erased, logged, register, Received, Receiver};
use inflow_tests::{free_port, problem, wait_until, Worker};
use serde_json::{json, Value};

/// Demo Bank's report key in the seed.
const DEMO_REPORT_KEY: &str = "rk_bank_demo_local";
const BROWSER: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 inflow-test/webhooks";

/// This file's Worker: retries after about a second, doubling.
fn worker() -> &'static Worker {
    static W: OnceLock<Worker> = OnceLock::new();
    W.get_or_init(|| Worker::start_with(&["--var", "WEBHOOK_RETRY_BASE_SECS:1"]).expect("wrangler dev"))
}

fn new_lead(w: &Worker) -> String {
    lead(w, "edu-demo", "education")["lead_id"]
        .as_str()
        .expect("lead id")
        .to_string()
}

#[test]
fn a_bank_gets_every_lead_once_with_valid_signatures_through_an_outage() {
    let w = worker();
    let got = Arc::new(Mutex::new(Vec::new()));
    let rx = Receiver::start(free_port().expect("port"), got.clone());
    let (endpoint, old_secret) = register(w, "banks/demo-bank", &rx.url(), &["lead.created"], 100);
    let received = |id: &str| -> Vec<Received> {
        let all = got.lock().expect("lock");
        all.iter().filter(|r| r.header("webhook-id") == id).cloned().collect()
    };

    // A lead: one signed lead.created, with the lead's facts and no contact.
    let first = new_lead(w);
    wait_until("the first lead.created", Duration::from_secs(60), || {
        !received(&lead_created(&first)).is_empty()
    });
    let r = &received(&lead_created(&first))[0];
    assert!(r.verifies(&old_secret), "{r:?}");
    assert!(
        !r.verifies(&signing::new_secret([0; 32])),
        "another secret does not verify"
    );
    let body = r.json();
    assert_eq!(
        (body["type"].as_str(), body["data"]["lead_id"].as_str()),
        (Some("lead.created"), Some(first.as_str()))
    );
    assert_eq!(body["data"]["partner_id"], "edu-demo");
    assert!(!body["data"]["products"].as_array().expect("products").is_empty());
    assert!(body["data"].get("contact").is_none());

    // Rotating: both secrets sign every delivery until the old one expires.
    let rotated = ok(
        call(
            w,
            "POST",
            &format!("/v1/admin/webhooks/{endpoint}/secrets"),
            Some(OPERATOR),
            Some(&json!({"overlap_secs": 3600})),
        ),
        201,
    );
    let new_secret = rotated["secret"].as_str().expect("secret").to_string();
    assert_eq!(rotated["endpoint"]["secrets"].as_array().map(Vec::len), Some(2));

    // The receiver goes down; leads keep coming and their deliveries fail.
    let port = rx.port;
    rx.stop();
    let during: Vec<String> = (0..3).map(|_| new_lead(w)).collect();
    wait_until("a failed attempt of each lead", Duration::from_secs(60), || {
        let rows = deliveries(w, &endpoint);
        during.iter().all(|l| logged(&rows, &lead_created(l), "failed") >= 1)
    });

    // It comes back and gets each of them, through the queue's retries.
    let rx = Receiver::start(port, got.clone());
    wait_until("every lead after the outage", Duration::from_secs(90), || {
        during.iter().all(|l| !received(&lead_created(l)).is_empty())
    });
    thread::sleep(Duration::from_secs(3));
    rx.stop();

    let mut ids = BTreeSet::new();
    for l in &during {
        let copies = received(&lead_created(l));
        for c in &copies {
            assert!(c.verifies(&old_secret) && c.verifies(&new_secret), "{c:?}");
            assert_eq!(
                c.header("webhook-signature").split(' ').count(),
                2,
                "two signatures while rotating"
            );
            assert_eq!(c.json()["data"]["lead_id"].as_str(), Some(l.as_str()));
        }
        ids.insert(copies[0].header("webhook-id").to_string());
    }
    assert_eq!(ids.len(), during.len(), "one distinct webhook-id per lead: {ids:?}");
    let rows = deliveries(w, &endpoint);
    for l in during.iter().chain([&first]) {
        assert_eq!(logged(&rows, &lead_created(l), "delivered"), 1, "{l}: {rows:?}");
        assert_eq!(received(&lead_created(l)).len(), 1, "{l} arrived once");
    }
    assert!(rows
        .iter()
        .any(|r| r["outcome"] == "failed" && r["status"].is_null() && r["attempt"] == 1));
    let endpoint_now = ok(
        call(w, "GET", "/v1/admin/banks/demo-bank/webhooks", Some(OPERATOR), None),
        200,
    );
    let mine = endpoint_now
        .as_array()
        .and_then(|all| all.iter().find(|e| e["id"] == endpoint.as_str()).cloned())
        .expect("listed");
    assert_eq!(
        (mine["consecutive_failures"].as_i64(), mine["disabled_at"].is_null()),
        (Some(0), true)
    );
    assert!(
        mine.get("secret").is_none() && !mine.to_string().contains(&new_secret),
        "never lists a secret"
    );
}

#[test]
fn a_partner_endpoint_that_keeps_failing_is_disabled_with_the_reason() {
    let w = worker();
    // Nothing listens there: every attempt fails with no answer.
    let dead = format!("http://127.0.0.1:{}/hooks", free_port().expect("port"));
    let (endpoint, _) = register(w, "partners/edu-demo", &dead, &["conversion.created"], 2);

    let l = lead(w, "edu-demo", "education");
    let rec = &l["recommendations"][0];
    assert_eq!(rec["bank_id"], DEMO_BANK.id);
    let c = click(rec["url"].as_str().expect("url"), BROWSER);
    assert_eq!(c.status, 302, "{c:?}");
    let click = click_id(&c);
    let body = conversion(&click, "account_opened", &format!("WH-{click}"), 0, now());
    let posted = DEMO_BANK.post(w, "/v1/conversions", &body);
    assert_eq!(posted.status, 201, "{posted:?}");
    let message = format!("msg_conversion_created_{}", posted.body["id"].as_str().expect("id"));

    let listed = |w: &Worker| -> Value {
        let all = ok(
            call(w, "GET", "/v1/admin/partners/edu-demo/webhooks", Some(OPERATOR), None),
            200,
        );
        all.as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == endpoint.as_str()).cloned())
            .expect("listed")
    };
    wait_until("the endpoint disabled", Duration::from_secs(60), || {
        !listed(w)["disabled_at"].is_null()
    });
    let e = listed(w);
    let reason = e["disabled_reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("2 consecutive failed deliveries; last: no answer"),
        "{reason}"
    );
    let rows = deliveries(w, &endpoint);
    assert_eq!(logged(&rows, &message, "failed"), 2, "{rows:?}");
    let attempts: Vec<i64> = rows.iter().filter_map(|r| r["attempt"].as_i64()).collect();
    assert_eq!(attempts, [1, 2], "{rows:?}");

    let enabled = ok(
        call(
            w,
            "POST",
            &format!("/v1/admin/webhooks/{endpoint}/enable"),
            Some(OPERATOR),
            None,
        ),
        200,
    );
    assert_eq!(
        (
            enabled["disabled_at"].is_null(),
            enabled["consecutive_failures"].as_i64()
        ),
        (true, Some(0))
    );
    assert!(listed(w)["disabled_at"].is_null());
}

#[test]
fn endpoints_are_checked_and_kept_to_their_owner() {
    let w = worker();
    let bad = [
        (
            json!({"url": "http://bank.example/h", "events": ["lead.created"]}),
            "banks/demo-bank",
        ),
        (
            json!({"url": "https://bank.example/h", "events": ["conversion.created"]}),
            "banks/demo-bank",
        ),
        (
            json!({"url": "https://p.example/h", "events": ["lead.created"]}),
            "partners/edu-demo",
        ),
        (
            json!({"url": "https://bank.example/h", "events": []}),
            "banks/demo-bank",
        ),
        // Not a public server: a cloud's metadata address, a special-use name (both answered
        // 201 before, and the second made workerd fail whole consumer batches).
        (
            json!({"url": "https://169.254.169.254/latest/meta-data", "events": ["lead.created"]}),
            "banks/demo-bank",
        ),
        (
            json!({"url": "https://no-such-host.invalid/h", "events": ["lead.created"]}),
            "banks/demo-bank",
        ),
    ];
    for (body, owner) in bad {
        let a = call(
            w,
            "POST",
            &format!("/v1/admin/{owner}/webhooks"),
            Some(OPERATOR),
            Some(&body),
        );
        problem::assert(&a, 422, "invalid_webhook");
    }
    let (endpoint, _) = register(w, "banks/demo-bank", "https://bank.example/hooks", &["lead.created"], 5);
    // A report key reads reports only; another bank's admin key sees no such endpoint.
    problem::assert(
        &call(
            w,
            "GET",
            "/v1/admin/banks/demo-bank/webhooks",
            Some(DEMO_REPORT_KEY),
            None,
        ),
        403,
        "forbidden",
    );
    let harbor = ok(
        call(
            w,
            "POST",
            "/v1/admin/banks/harbor-bank/keys",
            Some(OPERATOR),
            Some(&json!({"kind": "bank_admin", "name": "webhooks test"})),
        ),
        201,
    );
    let harbor = harbor["token"].as_str().expect("token");
    problem::assert(
        &call(w, "GET", "/v1/admin/banks/demo-bank/webhooks", Some(harbor), None),
        403,
        "forbidden",
    );
    problem::assert(
        &call(w, "GET", "/v1/admin/partners/edu-demo/webhooks", Some(harbor), None),
        403,
        "forbidden",
    );
    let path = format!("/v1/admin/webhooks/{endpoint}/deliveries");
    problem::assert(&call(w, "GET", &path, Some(harbor), None), 404, "not_found");
    problem::assert(
        &call(w, "GET", &format!("{path}?after=x"), Some(OPERATOR), None),
        400,
        "invalid_field",
    );
    assert_eq!(call(w, "GET", &path, Some(OPERATOR), None).status, 200);
    let audited = w
        .d1(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE object_kind = 'webhook_endpoint' AND object_id = '{endpoint}'"
        ))
        .expect("D1");
    assert_eq!(audited[0]["n"], 1, "registering is audited");
}

#[test]
fn a_tenant_file_declares_a_webhook_and_its_secret_is_answered_once() {
    let w = worker();
    let got = Arc::new(Mutex::new(Vec::new()));
    let rx = Receiver::start(free_port().expect("port"), got.clone());
    let mut file = ok(call(w, "GET", "/v1/admin/banks/demo-bank", Some(OPERATOR), None), 200);
    let file_obj = file.as_object_mut().expect("object");
    file_obj.remove("catalogue_version");
    file_obj.insert(
        "webhooks".into(),
        json!([{"id": "crm", "url": rx.url(), "events": ["lead.created"]}]),
    );
    let applied = ok(call(w, "POST", "/v1/admin/tenants", Some(OPERATOR), Some(&file)), 200);
    assert!(
        applied["text"].as_str().unwrap_or_default().contains("+ webhook crm"),
        "{applied}"
    );
    let secrets = applied["secrets"].as_array().expect("secrets");
    assert_eq!(secrets.len(), 1, "{applied}");
    assert_eq!(secrets[0]["endpoint_id"], "demo-bank.crm");
    let secret = secrets[0]["secret"].as_str().expect("secret").to_string();

    // Applying the same file again changes nothing and shows no secret.
    let again = ok(call(w, "POST", "/v1/admin/tenants", Some(OPERATOR), Some(&file)), 200);
    assert_eq!(
        (again["applied"].as_bool(), again.get("secrets")),
        (Some(false), None),
        "{again}"
    );
    let read_back = ok(call(w, "GET", "/v1/admin/banks/demo-bank", Some(OPERATOR), None), 200);
    assert_eq!(read_back["webhooks"][0]["id"], "crm");
    assert_eq!(read_back["webhooks"][0]["disable_after"], 10);

    // The endpoint delivers like one registered through the API.
    let lead_id = new_lead(w);
    let mine = |all: &[Received]| {
        all.iter()
            .find(|r| r.header("webhook-id") == lead_created(&lead_id))
            .cloned()
    };
    wait_until("lead.created at the file's endpoint", Duration::from_secs(60), || {
        mine(&got.lock().expect("lock")).is_some()
    });
    rx.stop();
    let r = mine(&got.lock().expect("lock")).expect("received");
    assert!(r.verifies(&secret), "{r:?}");
    let rows = deliveries(w, "demo-bank.crm");
    assert_eq!(logged(&rows, &lead_created(&lead_id), "delivered"), 1, "{rows:?}");
}

#[test]
fn an_erased_lead_is_not_delivered_and_its_erasure_is() {
    let w = worker();
    let got = Arc::new(Mutex::new(Vec::new()));
    let port = free_port().expect("port");
    let rx = Receiver::start(port, got.clone());
    let (endpoint, secret) = register(w, "banks/demo-bank", &rx.url(), &["lead.created", "lead.erased"], 100);
    // The receiver is down when the lead comes: its lead.created waits in the queue.
    rx.stop();
    let answer = lead(w, "edu-demo", "education");
    let id = answer["lead_id"].as_str().expect("lead id").to_string();
    let token = answer["erasure_token"].as_str().expect("an erasure token");
    wait_until("a failed lead.created", Duration::from_secs(60), || {
        logged(&deliveries(w, &endpoint), &lead_created(&id), "failed") >= 1
    });
    let erased = inflow_tests::bank::request(
        inflow_tests::bank::agent()
            .post(&w.url(&format!("/v1/leads/{id}/erasure")))
            .set("content-type", "application/json"),
        Some(&json!({ "token": token }).to_string()),
    );
    assert_eq!(erased.status, 204, "{erased:?}");

    // Back up: the erasure arrives, signed; the queued lead.created is skipped, never sent.
    let rx = Receiver::start(port, got.clone());
    let erased_message = lead_erased(&id);
    wait_until("lead.erased, and lead.created skipped", Duration::from_secs(90), || {
        let rows = deliveries(w, &endpoint);
        logged(&rows, &erased_message, "delivered") == 1 && logged(&rows, &lead_created(&id), "skipped") == 1
    });
    thread::sleep(Duration::from_secs(3));
    rx.stop();
    let all = got.lock().expect("lock");
    let mine: Vec<&Received> = all
        .iter()
        .filter(|r| r.json()["data"]["lead_id"].as_str() == Some(id.as_str()))
        .collect();
    assert_eq!(mine.len(), 1, "only the erasure reached the bank: {mine:?}");
    assert_eq!(mine[0].header("webhook-id"), erased_message);
    assert!(mine[0].verifies(&secret), "{:?}", mine[0]);
    assert_eq!(mine[0].json()["type"], "lead.erased");
    let rows = deliveries(w, &endpoint);
    let skipped = rows
        .iter()
        .find(|r| r["message_id"] == lead_created(&id).as_str() && r["outcome"] == "skipped")
        .expect("the skip is logged");
    assert_eq!(skipped["error"], "lead erased", "{skipped}");
    assert_eq!(logged(&rows, &lead_created(&id), "delivered"), 0);
}

/// One endpoint that cannot be reached must not touch another's deliveries: each queue message
/// is handled in an invocation of its own (`max_batch_size = 1`), so a delivery that fails the
/// whole invocation cannot void the acks of other endpoints' messages and send them twice.
#[test]
fn a_failing_endpoint_does_not_make_another_receive_twice() {
    let w = worker();
    let got = Arc::new(Mutex::new(Vec::new()));
    let rx = Receiver::start(free_port().expect("port"), got.clone());
    let (healthy, _) = register(w, "banks/demo-bank", &rx.url(), &["lead.created"], 100);
    let (failing, _) = register(
        w,
        "banks/demo-bank",
        "https://unreachable.example/h",
        &["lead.created"],
        100,
    );
    let leads: Vec<String> = (0..3).map(|_| new_lead(w)).collect();
    wait_until(
        "two failed attempts of each lead at the failing endpoint",
        Duration::from_secs(90),
        || {
            let rows = deliveries(w, &failing);
            leads.iter().all(|l| logged(&rows, &lead_created(l), "failed") >= 2)
        },
    );
    rx.stop();
    let rows = deliveries(w, &healthy);
    let all = got.lock().expect("lock");
    for l in &leads {
        let copies = all.iter().filter(|r| r.header("webhook-id") == lead_created(l)).count();
        assert_eq!(copies, 1, "{l} reached the healthy endpoint once: {rows:?}");
        assert_eq!(logged(&rows, &lead_created(l), "delivered"), 1, "{l}: {rows:?}");
    }
}
