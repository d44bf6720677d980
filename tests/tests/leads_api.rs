//! `/v1/leads` against the real Worker under `wrangler dev`: a good lead is stored once, and
//! every kind of bad input gets a 4xx problem+json with a stable code and stores nothing.
//!
//! The tests share one Worker (`worker::shared`); each uses Idempotency-Keys of its own, and a
//! test that checks nothing was stored counts the leads table with the Worker to itself
//! (`worker::alone`).

use inflow_tests::bank::{agent, request, Answer};
use inflow_tests::problem;
use inflow_tests::worker::{alone, shared};
use inflow_tests::Worker;
use serde_json::{json, Value};

fn send(w: &Worker, method: &str, path: &str, content_type: &str, body: &str) -> Answer {
    send_with(w, method, path, content_type, body, &[])
}

fn send_with(w: &Worker, method: &str, path: &str, content_type: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent().request(method, &w.url(path)).set("content-type", content_type);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    request(req, Some(body))
}

fn lead(partner: &str, age: &str) -> Value {
    json!({
        "partner": partner,
        "scene": "gaming",
        "lang": "zh-Hant",
        "answers": {
            "age": age, "goal": "idle_cash", "horizon": "3_12m", "amount": "10k_50k", "liquidity": "anytime",
            "region": "south", "assets": "lt_500k", "experience": "stocks", "knowledge": "expert",
            "income": "growing", "objective": "aggressive", "max_loss": "over_30", "loss": "buy_more"
        },
        "attribution": {"utm_source": "newsletter", "sub_id": "s-42"}
    })
}

fn lead_count(w: &Worker) -> u64 {
    let rows = w.d1("SELECT COUNT(*) AS n FROM leads").expect("query D1");
    rows[0]["n"].as_u64().expect("count")
}

fn lead_with(w: &Worker, body: &str, key: &str) -> Answer {
    send_with(
        w,
        "POST",
        "/v1/leads",
        "application/json",
        body,
        &[("idempotency-key", key)],
    )
}

fn head(w: &Worker, path: &str) -> (u16, String, String) {
    let resp = match ureq::request("HEAD", &w.url(path)).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("HEAD {path}: transport error {e}"),
    };
    let status = resp.status();
    let content_type = resp.header("content-type").unwrap_or_default().to_string();
    (status, content_type, resp.into_string().unwrap_or_default())
}

const JSON: &str = "application/json";

#[test]
fn healthz_answers_ok() {
    let w = shared();
    let health = ureq::get(&w.url("/healthz")).call().expect("healthz");
    assert_eq!(health.into_string().unwrap_or_default(), "ok");
}

#[test]
fn a_good_lead_gets_its_profile_and_suitable_recommendations_with_reasons() {
    let w = shared();
    let ok = send(&w, "POST", "/v1/leads", JSON, &lead("game-demo", "18_29").to_string());
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    // A short horizon caps tolerance at C2 whatever the stated appetite for loss.
    assert_eq!(ok.body["risk_tolerance"], "C2");
    let recs = ok.body["recommendations"].as_array().expect("recommendations");
    assert!(!recs.is_empty());
    for r in recs {
        assert!(r["risk"] == "R1" || r["risk"] == "R2", "{r}");
        assert!(!r["reasons"].as_array().expect("reasons").is_empty());
    }
}

#[test]
fn a_good_lead_is_stored_once_with_its_profile_attribution_and_tags() {
    let w = alone();
    let before = lead_count(&w);
    let ok = send(&w, "POST", "/v1/leads", JSON, &lead("game-demo", "18_29").to_string());
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    let id = ok.body["lead_id"].as_str().expect("lead id").to_string();
    let rows = w
        .d1(&format!("SELECT partner_id, scene, lang, risk_tolerance, attribution, tier, propensity, tags FROM leads WHERE id = '{id}'"))
        .expect("query D1");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["partner_id"], "game-demo");
    assert_eq!(rows[0]["scene"], "gaming");
    assert_eq!(rows[0]["lang"], "zh-Hant");
    assert_eq!(rows[0]["risk_tolerance"], "C2");
    let attribution: Value = serde_json::from_str(rows[0]["attribution"].as_str().unwrap_or("{}")).expect("json");
    assert_eq!(attribution["sub_id"], "s-42");
    assert!(["A", "B", "C"].contains(&rows[0]["tier"].as_str().unwrap_or_default()));
    let p = rows[0]["propensity"].as_f64().unwrap_or(-1.0);
    assert!(p > 0.0 && p < 1.0, "propensity {p}");
    let tags: Value = serde_json::from_str(rows[0]["tags"].as_str().unwrap_or("{}")).expect("json");
    assert_eq!(tags["region"], "south");
    assert_eq!(tags["asset_band"], "lt_500k");
    assert_eq!(lead_count(&w), before + 1);
}

#[test]
fn bad_lead_input_gets_its_stable_code_and_stores_nothing() {
    let w = alone();
    let before = lead_count(&w);
    let malformed = send(&w, "POST", "/v1/leads", JSON, "{\"partner\": \"game-demo\",");
    problem::assert(&malformed, 400, "malformed_json");
    let wrong_type = send(
        &w,
        "POST",
        "/v1/leads",
        JSON,
        r#"{"partner": 42, "scene": "gaming", "answers": {}}"#,
    );
    problem::assert(&wrong_type, 400, "invalid_field");
    let mut bad_scene = lead("game-demo", "18_29");
    bad_scene["scene"] = json!("casino");
    problem::assert(
        &send(&w, "POST", "/v1/leads", JSON, &bad_scene.to_string()),
        400,
        "invalid_field",
    );
    let mut huge = lead("game-demo", "18_29");
    huge["attribution"]["utm_content"] = json!("x".repeat(64 * 1024));
    problem::assert(
        &send(&w, "POST", "/v1/leads", JSON, &huge.to_string()),
        413,
        "body_too_large",
    );
    let unknown = send(
        &w,
        "POST",
        "/v1/leads",
        JSON,
        &lead("no-such-partner", "18_29").to_string(),
    );
    problem::assert(&unknown, 422, "unknown_partner");
    let hostile = send(
        &w,
        "POST",
        "/v1/leads",
        JSON,
        &lead("<script>alert(1)</script>", "18_29").to_string(),
    );
    problem::assert(&hostile, 400, "invalid_field");
    let minor = send(
        &w,
        "POST",
        "/v1/leads",
        JSON,
        &lead("game-demo", "under_18").to_string(),
    );
    problem::assert(&minor, 422, "not_eligible");
    let mut bad_answer = lead("game-demo", "18_29");
    bad_answer["answers"]["goal"] = json!("lottery");
    problem::assert(
        &send(&w, "POST", "/v1/leads", JSON, &bad_answer.to_string()),
        422,
        "invalid_answer",
    );
    let form = send(
        &w,
        "POST",
        "/v1/leads",
        "text/plain",
        &lead("game-demo", "18_29").to_string(),
    );
    problem::assert(&form, 415, "unsupported_media_type");
    problem::assert(&send(&w, "GET", "/v1/leads", JSON, ""), 405, "method_not_allowed");
    problem::assert(&send(&w, "GET", "/v1/nothing-here", JSON, ""), 404, "not_found");
    // None of the refused requests stored anything.
    assert_eq!(lead_count(&w), before);
}

#[test]
fn a_funnel_event_batch_is_stored_when_good_and_refused_with_a_code_when_not() {
    let w = alone();
    let events = || {
        w.d1("SELECT COUNT(*) AS n FROM funnel_events").expect("D1")[0]["n"]
            .as_u64()
            .expect("count")
    };
    let before = events();
    let batch = r#"{"partner":"game-demo","scene":"gaming","session":"s-12345678","events":[{"kind":"impression"},{"kind":"answer","question":"age"}]}"#;
    let stored = send(&w, "POST", "/v1/events", "text/plain;charset=UTF-8", batch);
    assert_eq!((stored.status, stored.body["accepted"].as_u64()), (202, Some(2)));
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/plain", "{\"partner\""),
        400,
        "malformed_json",
    );
    problem::assert(
        &send(
            &w,
            "POST",
            "/v1/events",
            "text/plain",
            &batch.replace("impression", "purchase"),
        ),
        400,
        "invalid_field",
    );
    problem::assert(
        &send(
            &w,
            "POST",
            "/v1/events",
            "text/plain",
            &batch.replace("game-demo", "nobody"),
        ),
        422,
        "unknown_partner",
    );
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/html", batch),
        415,
        "unsupported_media_type",
    );
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/plain", &"x".repeat(20_000)),
        413,
        "body_too_large",
    );
    assert_eq!(events(), before + 2, "only the good batch was stored");
}

#[test]
fn a_retry_under_an_idempotency_key_gets_the_first_answer_and_stores_nothing_new() {
    let w = alone();
    let body = lead("game-demo", "30_44").to_string();
    let before = lead_count(&w);
    let first = send_with(&w, "POST", "/v1/leads", JSON, &body, &[("idempotency-key", "key-1")]);
    assert_eq!(first.status, 201);
    // …also when the retries race.
    let retries: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| send_with(&w, "POST", "/v1/leads", JSON, &body, &[("idempotency-key", "key-1")])))
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    for r in &retries {
        assert_eq!(r.status, 201);
        assert_eq!(r.body, first.body, "the same answer comes back");
    }
    assert_eq!(lead_count(&w), before + 1);
    // Another key is another lead.
    let other = send_with(&w, "POST", "/v1/leads", JSON, &body, &[("idempotency-key", "key-2")]);
    assert_ne!(other.body["lead_id"], first.body["lead_id"]);
    assert_eq!(lead_count(&w), before + 2);
}

#[test]
fn a_malformed_or_empty_idempotency_key_is_refused() {
    let w = shared();
    let body = lead("game-demo", "30_44").to_string();
    let bad_key = send_with(&w, "POST", "/v1/leads", JSON, &body, &[("idempotency-key", "<script>")]);
    problem::assert(&bad_key, 400, "invalid_field");
    // A key that is sent empty is a malformed key, not "no key".
    let empty_key = send_with(&w, "POST", "/v1/leads", JSON, &body, &[("idempotency-key", "")]);
    problem::assert(&empty_key, 400, "invalid_field");
}

fn consenting() -> Value {
    let mut consenting = lead("game-demo", "30_44");
    consenting["consent"] =
        json!({"version": "contact-2026-11", "accepted_at": "2026-11-25T01:02:03Z", "contact": "138 0013 8000"});
    consenting
}

#[test]
fn consent_is_kept_with_the_lead_and_the_contact_only_as_a_keyed_hash() {
    let w = shared();
    let ok = send(&w, "POST", "/v1/leads", JSON, &consenting().to_string());
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    let id = ok.body["lead_id"].as_str().expect("id");
    let rows = w
        .d1(&format!("SELECT consent_version, consent_at, consent_recorded_at, contact_hash, answers, attribution FROM leads WHERE id = '{id}'"))
        .expect("query D1");
    assert_eq!(rows[0]["consent_version"], "contact-2026-11");
    assert_eq!(rows[0]["consent_at"], "2026-11-25T01:02:03Z");
    assert!(rows[0]["consent_recorded_at"]
        .as_str()
        .is_some_and(|t| t.starts_with("20")));
    let hash = rows[0]["contact_hash"].as_str().expect("hash");
    assert_eq!(hash.len(), 64);
    assert!(
        !rows[0].to_string().contains("13800138000"),
        "the contact is never stored in clear"
    );
}

#[test]
fn a_consent_with_a_bad_version_contact_or_time_is_refused() {
    let w = shared();
    // A version that is not the offer's: the bank's text has changed since (or never was).
    let mut outdated = consenting();
    outdated["consent"]["version"] = json!("v0");
    problem::assert(
        &send(&w, "POST", "/v1/leads", JSON, &outdated.to_string()),
        409,
        "consent_outdated",
    );
    for (field, value) in [
        ("version", json!("")),
        ("contact", json!("call me")),
        ("accepted_at", json!("now")),
    ] {
        let mut bad = consenting();
        bad["consent"][field] = value;
        problem::assert(
            &send(&w, "POST", "/v1/leads", JSON, &bad.to_string()),
            400,
            "invalid_field",
        );
    }
}

/// Two visitors' leads: `b` answers a loss by selling, which lowers their tolerance.
fn two_requests() -> (String, String) {
    let a = lead("game-demo", "30_44");
    let mut b = a.clone();
    b["answers"]["loss"] = json!("sell_all");
    b["answers"]["max_loss"] = json!("none");
    (a.to_string(), b.to_string())
}

#[test]
fn a_key_reused_with_another_request_is_refused_and_leaks_nothing_of_the_first() {
    let w = alone();
    let (a, b) = two_requests();
    let first = lead_with(&w, &a, "bound-1");
    assert_eq!(first.status, 201, "{:?}", first.body);
    let before = lead_count(&w);
    // The same key with other answers: refused, nothing stored, nothing of the first leaks.
    let reused = lead_with(&w, &b, "bound-1");
    problem::assert(&reused, 422, "idempotency_key_reused");
    assert!(reused.body.get("lead_id").is_none(), "{:?}", reused.body);
    // …and with another attribution, lang or partner's scene it is another request too.
    let mut other_attribution: Value = serde_json::from_str(&a).expect("json");
    other_attribution["attribution"]["sub_id"] = json!("s-43");
    problem::assert(
        &lead_with(&w, &other_attribution.to_string(), "bound-1"),
        422,
        "idempotency_key_reused",
    );
    let mut other_lang: Value = serde_json::from_str(&a).expect("json");
    other_lang["lang"] = json!("en");
    problem::assert(
        &lead_with(&w, &other_lang.to_string(), "bound-1"),
        422,
        "idempotency_key_reused",
    );
    assert_eq!(lead_count(&w), before);
}

#[test]
fn the_same_request_with_its_fields_in_another_order_is_the_same_request() {
    let w = shared();
    let (a, _) = two_requests();
    let first = lead_with(&w, &a, "reordered-1");
    assert_eq!(first.status, 201, "{:?}", first.body);
    let reordered: Value = serde_json::from_str(&a).expect("json");
    let mut fields: Vec<(String, Value)> = reordered.as_object().expect("object").clone().into_iter().collect();
    fields.reverse();
    let reordered = format!(
        "{{{}}}",
        fields
            .iter()
            .map(|(k, v)| format!("{}: {v}", json!(k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let replay = lead_with(&w, &reordered, "reordered-1");
    assert_eq!((replay.status, &replay.body), (201, &first.body));
}

#[test]
fn while_a_keys_first_request_is_in_flight_another_body_is_refused_and_the_same_told_to_retry() {
    let w = alone();
    let (a, b) = two_requests();
    // Stored, no response yet.
    let fingerprint = inflow_core::LeadRequest::parse(a.as_bytes())
        .expect("lead")
        .fingerprint();
    w.d1(&format!(
        "INSERT INTO leads (id, partner_id, scene, lang, answers, risk_tolerance, recommended, attribution, \
         created_at, idempotency_key, request_fingerprint) VALUES ('in-flight-1', 'game-demo', 'gaming', \
         'zh-Hant', '{{}}', 'C3', '[]', '{{}}', '2026-11-30T00:00:00Z', 'in-flight', '{fingerprint}')"
    ))
    .expect("a lead in flight");
    let before = lead_count(&w);
    problem::assert(&lead_with(&w, &b, "in-flight"), 422, "idempotency_key_reused");
    problem::assert(&lead_with(&w, &a, "in-flight"), 409, "idempotency_in_progress");
    assert_eq!(lead_count(&w), before);
}

#[test]
fn racing_requests_under_one_new_key_store_one_lead_and_refuse_the_others() {
    let w = alone();
    let (a, b) = two_requests();
    let before = lead_count(&w);
    // Half with each body: every 201 carries the stored lead's answer.
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let (w, body) = (&*w, if i % 2 == 0 { &a } else { &b });
                s.spawn(move || lead_with(w, body, "race-1"))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    assert_eq!(lead_count(&w), before + 1);
    let created: Vec<&Answer> = answers.iter().filter(|r| r.status == 201).collect();
    assert!(
        !created.is_empty(),
        "{:?}",
        answers.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert!(created.iter().all(|r| r.body == created[0].body));
    let tolerance = &created[0].body["risk_tolerance"];
    for r in answers.iter().filter(|r| r.status != 201) {
        let code = r.body["code"].as_str().unwrap_or_default();
        assert!(
            code == "idempotency_key_reused" || code == "idempotency_in_progress",
            "{:?}",
            r.body
        );
    }
    let stored = w
        .d1("SELECT risk_tolerance FROM leads WHERE idempotency_key = 'race-1'")
        .expect("D1");
    assert_eq!(&stored[0]["risk_tolerance"], tolerance);
}

#[test]
fn json_that_is_not_an_object_is_not_a_lead_a_batch_or_an_event() {
    let w = alone();
    let before = lead_count(&w);
    let good = lead("game-demo", "30_44");
    // A JSON array in field order is not a lead, nor is any other non-object.
    let as_array = json!([
        good["partner"],
        good["scene"],
        good["lang"],
        good["answers"],
        good["attribution"]
    ]);
    for body in [as_array.to_string(), "\"lead\"".into(), "null".into(), "[]".into()] {
        let a = send(&w, "POST", "/v1/leads", JSON, &body);
        problem::assert(&a, 400, "invalid_field");
    }
    let mut array_consent = good.clone();
    array_consent["consent"] = json!(["contact-2026-11", "2026-11-25T01:02:03Z"]);
    problem::assert(
        &send(&w, "POST", "/v1/leads", JSON, &array_consent.to_string()),
        400,
        "invalid_field",
    );
    let batch_array = r#"["game-demo","gaming","s-12345678",[{"kind":"open"}]]"#;
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/plain", batch_array),
        400,
        "invalid_field",
    );
    let event_array = r#"{"partner":"game-demo","scene":"gaming","session":"s-12345678","events":[["open"]]}"#;
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/plain", event_array),
        400,
        "invalid_field",
    );
    assert_eq!(lead_count(&w), before);
}

#[test]
fn media_types_follow_rfc_9110_case_insensitive_with_parameters_and_exact() {
    let w = alone();
    let before = lead_count(&w);
    let good = lead("game-demo", "30_44");
    for ct in [
        "Application/JSON; charset=utf-8",
        "application/json;charset=\"UTF-8\"",
        "APPLICATION/JSON",
    ] {
        let a = send(&w, "POST", "/v1/leads", ct, &good.to_string());
        assert_eq!(a.status, 201, "{ct}: {:?}", a.body);
    }
    for ct in [
        "application/jsonp",
        "application/json-seq",
        "application/json5",
        "text/json",
        "application/json; charset",
    ] {
        problem::assert(
            &send(&w, "POST", "/v1/leads", ct, &good.to_string()),
            415,
            "unsupported_media_type",
        );
    }
    let batch = r#"{"partner":"game-demo","scene":"gaming","session":"s-12345678","events":[{"kind":"open"}]}"#;
    assert_eq!(
        send(&w, "POST", "/v1/events", "Text/Plain; Charset=UTF-8", batch).status,
        202
    );
    problem::assert(
        &send(&w, "POST", "/v1/events", "text/plainx", batch),
        415,
        "unsupported_media_type",
    );
    assert_eq!(lead_count(&w), before + 3);
}

#[test]
fn a_405_says_what_the_route_answers() {
    let w = shared();
    for (method, path, allow) in [
        ("GET", "/v1/leads", "POST, OPTIONS"),
        ("PUT", "/v1/events", "POST, OPTIONS"),
        ("GET", "/v1/conversions", "POST"),
        ("DELETE", "/healthz", "GET, HEAD"),
        ("QUERY", "/healthz", "GET, HEAD"),
        ("QUERY", "/c/not-a-token", "GET, HEAD"),
        ("POST", "/v1/reports", "GET, HEAD"),
        ("POST", "/openapi.json", "GET, HEAD"),
    ] {
        let resp = match ureq::request(method, &w.url(path)).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(resp.status(), 405, "{method} {path}");
        assert_eq!(resp.header("allow"), Some(allow), "{method} {path}");
    }
}

#[test]
fn every_get_route_answers_head_with_the_gets_status_and_headers_and_no_body() {
    let w = shared();
    for (path, status) in [
        ("/healthz", 200),
        ("/openapi.json", 200),
        ("/v1/reports", 401),
        ("/c/not-a-token", 400),
    ] {
        let get = send(&w, "GET", path, JSON, "");
        assert_eq!(get.status, status, "GET {path}");
        assert!(!get.content_type.is_empty());
        let (got, ct, body) = head(&w, path);
        assert_eq!(
            (got, ct, body),
            (status, get.content_type, String::new()),
            "HEAD {path}"
        );
    }
}
