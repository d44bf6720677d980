//! Erasure (issue 14, item 4) against the real Worker under `wrangler dev`: a visitor erases
//! their lead with the erasure token its answer carried, or a bank erases a lead it was shown;
//! D1 then holds no sealed contact, no contact hash, no answers and no attribution for it, the
//! reports and the ledger are unchanged, and each bank shown pulls one tombstone. Both routes
//! are idempotent; a wrong token, an unknown lead and another bank's key are refused.

use inflow_tests::bank::{agent, click, click_id, conversion, now, request, Answer, DEMO_BANK};
use inflow_tests::feed::{entries, feed, reports};
use inflow_tests::worker::{alone, shared};
use inflow_tests::Worker;
use serde_json::{json, Value};

const DEMO_BANK_KEY: &str = "rk_bank_demo_local";
const HARBOR_BANK_KEY: &str = "rk_bank_harbor_local";
const PARTNER_KEY: &str = "rk_edu-demo_local";

/// An education lead for Demo Bank's campaign, consenting with a phone number and attribution;
/// the answer's body.
fn post_lead(w: &Worker, phone: &str) -> Value {
    let a = send_lead(w, phone, None);
    assert_eq!(a.status, 201, "lead: {:?}", a.body);
    a.body
}

/// The same lead's POST, with an `Idempotency-Key` when given; the whole answer.
fn send_lead(w: &Worker, phone: &str, key: Option<&str>) -> Answer {
    let body = json!({
        "partner": "edu-demo", "scene": "education", "lang": "en",
        "answers": {
            "age": "30_44", "goal": "idle_cash", "horizon": "3_12m", "amount": "10k_50k",
            "liquidity": "anytime", "region": "south", "assets": "lt_500k", "experience": "stocks",
            "knowledge": "expert", "income": "growing", "objective": "aggressive",
            "max_loss": "over_30", "loss": "buy_more"
        },
        "attribution": {"utm_source": "erasure-test", "sub_id": "visitor-42"},
        "consent": {"version": "contact-2026-11", "accepted_at": "2026-11-30T08:00:00Z", "contact": phone}
    });
    let mut post = agent()
        .post(&w.url("/v1/leads"))
        .set("content-type", "application/json");
    if let Some(key) = key {
        post = post.set("idempotency-key", key);
    }
    request(post, Some(&body.to_string()))
}

fn id_of(lead: &Value) -> String {
    lead["lead_id"].as_str().expect("a lead id").to_string()
}

fn erase(w: &Worker, id: &str, token: &str) -> Answer {
    request(
        agent()
            .post(&w.url(&format!("/v1/leads/{id}/erasure")))
            .set("content-type", "application/json"),
        Some(&json!({ "token": token }).to_string()),
    )
}

fn bank_delete(w: &Worker, id: &str, key: Option<&str>) -> Answer {
    let mut req = agent().delete(&w.url(&format!("/v1/bank/leads/{id}")));
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    request(req, None)
}

/// What D1 keeps of the lead's personal data: its row's columns and its sealed contacts.
fn kept(w: &Worker, id: &str) -> Value {
    let row = w
        .d1(&format!(
            "SELECT answers, attribution, contact_hash, erased_at, \
                    (SELECT COUNT(*) FROM lead_contacts WHERE lead_id = l.id) AS sealed, \
                    (SELECT COUNT(*) FROM bank_leads WHERE lead_id = l.id AND kind = 'erased') AS tombstones \
             FROM leads l WHERE id = '{id}'"
        ))
        .expect("D1");
    assert_eq!(row.len(), 1, "the lead's row stays: {row:?}");
    row[0].clone()
}

fn ledger(w: &Worker) -> Value {
    w.d1("SELECT COUNT(*) AS n, SUM(amount_minor) AS total FROM ledger")
        .expect("D1")[0]
        .clone()
}

#[test]
fn a_visitor_erases_with_the_token_and_the_bank_pulls_one_tombstone_while_totals_stay() {
    let w = alone();
    let (_, start) = feed(&w, DEMO_BANK_KEY, "0");
    let key = format!("erasure-{}", now());
    let lead = send_lead(&w, "13912345678", Some(&key)).body;
    let id = id_of(&lead);
    let token = lead["erasure_token"].as_str().expect("an erasure token").to_string();
    assert_eq!(token.len(), 43, "{token}");
    // A paid conversion on the lead's click, so the ledger has something to keep.
    let url = lead["recommendations"][0]["url"].as_str().expect("a url");
    let c = click(url, "Mozilla/5.0 (X11; Linux x86_64) erasure-test");
    assert_eq!(c.status, 302, "{c:?}");
    let body = conversion(&click_id(&c), "funded", &format!("erase-{id}"), 500_000, now());
    let posted = DEMO_BANK.post(&w, "/v1/conversions", &body);
    assert!(posted.status == 201 || posted.status == 200, "{posted:?}");

    // The tracking tags the lead and its click kept beside the attribution go with it.
    let tagged = |table: &str, key: &str| {
        w.d1(&format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE {key} = '{id}' \
             AND 'visitor-42' IN (sub_id, utm_source, utm_campaign)"
        ))
        .expect("D1")[0]["n"]
            .as_i64()
    };
    assert_eq!((tagged("leads", "id"), tagged("clicks", "lead_id")), (Some(1), Some(1)));
    let before = kept(&w, &id);
    assert_eq!(before["sealed"], 1);
    let hash = before["contact_hash"].as_str().expect("a contact hash").to_string();
    assert!(before["attribution"].as_str().is_some_and(|a| a.contains("visitor-42")));
    let sealed = w
        .d1(&format!("SELECT sealed FROM lead_contacts WHERE lead_id = '{id}'"))
        .expect("D1")[0]["sealed"]
        .as_str()
        .expect("ciphertext")
        .to_string();
    let (bank_report, partner_report, money) = (reports(&w, DEMO_BANK_KEY), reports(&w, PARTNER_KEY), ledger(&w));

    let a = erase(&w, &id, &token);
    assert_eq!(a.status, 204, "{a:?}");

    let after = kept(&w, &id);
    assert_eq!(after["sealed"], 0, "no ciphertext: {after}");
    assert_eq!(after["contact_hash"], Value::Null, "no hash: {after}");
    assert_eq!(
        (after["answers"].as_str(), after["attribution"].as_str()),
        (Some("{}"), Some("{}"))
    );
    assert_eq!((tagged("leads", "id"), tagged("clicks", "lead_id")), (Some(0), Some(0)));
    assert!(
        after["erased_at"].as_i64().is_some_and(|t| (t - now()).abs() < 600),
        "{after}"
    );
    assert_eq!(after["tombstones"], 1);
    // Nor what was derived from them: the stored answer held the erasure token and the request's
    // fingerprint is a plain hash of the answers (both were kept before).
    let derived = w
        .d1(&format!(
            "SELECT request_fingerprint, response FROM leads WHERE id = '{id}'"
        ))
        .expect("D1");
    assert_eq!(derived, [json!({"request_fingerprint": null, "response": null})]);
    let replay = send_lead(&w, "13912345678", Some(&key));
    assert_eq!(
        (replay.status, replay.body["code"].as_str()),
        (422, Some("idempotency_key_reused")),
        "an erased lead's answer is not replayed: {:?}",
        replay.body
    );
    assert!(!replay.body.to_string().contains(&token));
    for needle in [&hash, &sealed, &"visitor-42".to_string(), &token] {
        let n = w
            .d1(&format!(
                "SELECT (SELECT COUNT(*) FROM leads WHERE instr(concat_ws(' ', answers, attribution, contact_hash, response), '{needle}') > 0) \
                      + (SELECT COUNT(*) FROM lead_contacts WHERE instr(sealed, '{needle}') > 0) AS n"
            ))
            .expect("D1")[0]["n"]
            .clone();
        assert_eq!(n, 0, "{needle} still in D1");
    }
    assert_eq!(reports(&w, DEMO_BANK_KEY), bank_report, "the bank's report totals stay");
    assert_eq!(
        reports(&w, PARTNER_KEY),
        partner_report,
        "the partner's report totals stay"
    );
    assert_eq!(ledger(&w), money, "ledger amounts stay");

    let (pulled, cursor) = feed(&w, DEMO_BANK_KEY, &start);
    assert_eq!(entries(&pulled, &id), ["lead", "erased"], "{pulled:?}");

    // Again: the same answer, nothing changes, no second tombstone.
    let again = erase(&w, &id, &token);
    assert_eq!(again.status, 204, "{again:?}");
    assert_eq!(kept(&w, &id), after);
    let (more, _) = feed(&w, DEMO_BANK_KEY, &cursor);
    assert_eq!(more, [], "nothing new after a second erasure");
    let gone = bank_delete(&w, &id, Some(DEMO_BANK_KEY));
    assert_eq!(gone.status, 204, "the bank's erasure of an erased lead: {gone:?}");
    assert_eq!(kept(&w, &id), after);
}

#[test]
fn a_bank_erases_a_lead_it_was_shown_and_no_one_else_can() {
    let w = shared();
    let id = id_of(&post_lead(&w, "13812345678"));
    for (key, status, code) in [
        (Some(HARBOR_BANK_KEY), 404, "not_found"),
        (Some(PARTNER_KEY), 403, "forbidden"),
        (Some("rk_guess"), 401, "unauthorized"),
        (None, 401, "unauthorized"),
    ] {
        let a = bank_delete(&w, &id, key);
        assert_eq!((a.status, a.body["code"].as_str()), (status, Some(code)), "{key:?}");
        assert_eq!(a.content_type, "application/problem+json");
    }
    assert_eq!(kept(&w, &id)["sealed"], 1, "refusals erase nothing");
    let a = bank_delete(&w, &id, Some(DEMO_BANK_KEY));
    assert_eq!(a.status, 204, "{a:?}");
    let after = kept(&w, &id);
    assert_eq!(
        (after["sealed"].as_i64(), after["contact_hash"].is_null()),
        (Some(0), true)
    );
    assert_eq!(
        (after["answers"].as_str(), after["attribution"].as_str()),
        (Some("{}"), Some("{}"))
    );
    assert_eq!(after["tombstones"], 1);
    let again = bank_delete(&w, &id, Some(DEMO_BANK_KEY));
    assert_eq!(again.status, 204, "{again:?}");
    assert_eq!(kept(&w, &id), after, "a second erasure changes nothing");
    let (pulled, _) = feed(&w, DEMO_BANK_KEY, "0");
    assert_eq!(entries(&pulled, &id), ["lead", "erased"]);
    let unknown = bank_delete(&w, "no-such-lead", Some(DEMO_BANK_KEY));
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (404, Some("not_found"))
    );
}

#[test]
fn a_wrong_token_an_unknown_lead_or_a_bad_body_erases_nothing() {
    let w = shared();
    let lead = post_lead(&w, "13712345678");
    let id = id_of(&lead);
    let other = post_lead(&w, "13612345678");
    let cases = [
        (erase(&w, &id, "AAAA"), 403, "invalid_erasure_token"),
        (erase(&w, &id, ""), 403, "invalid_erasure_token"),
        (
            erase(&w, &id, other["erasure_token"].as_str().expect("a token")),
            403,
            "invalid_erasure_token",
        ),
        (
            erase(&w, "no-such-lead", lead["erasure_token"].as_str().expect("a token")),
            404,
            "not_found",
        ),
        (
            request(
                agent()
                    .post(&w.url(&format!("/v1/leads/{id}/erasure")))
                    .set("content-type", "application/json"),
                Some(r#"{"tok":"x"}"#),
            ),
            400,
            "malformed_json",
        ),
    ];
    for (a, status, code) in cases {
        assert_eq!((a.status, a.body["code"].as_str()), (status, Some(code)), "{a:?}");
        assert_eq!(a.content_type, "application/problem+json");
    }
    let kept_now = kept(&w, &id);
    assert_eq!(
        (kept_now["sealed"].as_i64(), kept_now["erased_at"].is_null()),
        (Some(1), true)
    );
    let wrong = request(agent().get(&w.url(&format!("/v1/leads/{id}/erasure"))), None);
    assert_eq!(wrong.status, 405);
}

/// The widget's "delete my details": after the lead is answered, on a partner's page (another
/// origin), the visitor deletes their details; the token was kept in sessionStorage only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_deletes_their_details_from_the_widget() {
    use inflow_tests::chat;
    use inflow_tests::{hostile, Browser};

    let w = shared();
    let site = hostile::registered_page(&w, &[]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    chat::consent_with_contact(&b, &site, "13512345678")
        .await
        .expect("a lead with a phone number");

    let session = chat::js(
        &b,
        "const s = JSON.parse(sessionStorage.getItem('inflow:v1:edu-demo')).response;\
         return [JSON.parse(s).lead_id, JSON.parse(s).erasure_token, JSON.stringify(localStorage)]",
    )
    .await
    .expect("storage");
    let id = session[0].as_str().expect("the lead id in the session").to_string();
    let token = session[1].as_str().expect("the token in the session");
    assert_eq!(token.len(), 43, "{session}");
    assert!(
        !session[2].as_str().unwrap_or_default().contains(token),
        "not in localStorage"
    );
    assert_eq!(kept(&w, &id)["sealed"], 1);

    chat::erase_from_widget(&b).await.expect("delete my details");
    let after = kept(&w, &id);
    assert_eq!(
        (after["sealed"].as_i64(), after["contact_hash"].is_null()),
        (Some(0), true),
        "{after}"
    );
    assert!(after["erased_at"].is_i64(), "{after}");
    b.close().await.expect("close");
}

/// Retention: Demo Bank keeps leads 30 days (`[bank] retention_days`, here set in D1 as an
/// apply writes it); the cron erases a lead 31 days old as an erasure does, leaves one 29 days
/// old, and does not erase the same lead twice.
#[test]
fn the_cron_erases_leads_past_their_banks_retention() {
    let w = alone();
    let (_, start) = feed(&w, DEMO_BANK_KEY, "0");
    let old = id_of(&post_lead(&w, "13412345678"));
    let young = id_of(&post_lead(&w, "13312345678"));
    let days_ago = |d: i64| inflow_core::support::time::format_rfc3339(now() - d * 86_400);
    for sql in [
        format!("UPDATE leads SET created_at = '{}' WHERE id = '{old}'", days_ago(31)),
        format!("UPDATE leads SET created_at = '{}' WHERE id = '{young}'", days_ago(29)),
        "UPDATE banks SET retention_days = 30 WHERE id = 'demo-bank'".to_string(),
    ] {
        w.d1(&sql).expect("aged");
    }
    let (bank_report, money) = (reports(&w, DEMO_BANK_KEY), ledger(&w));
    let cron = || request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None).status;
    assert_eq!(cron(), 200);
    let gone = kept(&w, &old);
    let stays = kept(&w, &young);
    w.d1("UPDATE banks SET retention_days = NULL WHERE id = 'demo-bank'")
        .expect("reset");
    assert_eq!(
        (gone["sealed"].as_i64(), gone["contact_hash"].is_null()),
        (Some(0), true),
        "{gone}"
    );
    assert_eq!(
        (gone["answers"].as_str(), gone["attribution"].as_str()),
        (Some("{}"), Some("{}"))
    );
    assert!(gone["erased_at"].is_i64() && gone["tombstones"] == 1, "{gone}");
    assert_eq!(
        (stays["sealed"].as_i64(), stays["erased_at"].is_null()),
        (Some(1), true),
        "{stays}"
    );
    assert_eq!(reports(&w, DEMO_BANK_KEY), bank_report, "counts stay");
    assert_eq!(ledger(&w), money);
    let (pulled, _) = feed(&w, DEMO_BANK_KEY, &start);
    assert_eq!(entries(&pulled, &old), ["lead", "erased"]);
    assert_eq!(entries(&pulled, &young), ["lead"]);
    assert_eq!(cron(), 200);
    assert_eq!(kept(&w, &old), gone, "a second run changes nothing");
}
