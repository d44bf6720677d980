//! Pay-per-conversion attribution against the real Worker under `wrangler dev`: signed
//! click-outs, signed postbacks, commissions, windows, fraud holds, reversals, tenancy, rate
//! limits and the OpenAPI contract.

use inflow_core::routes::ROUTES;
use inflow_core::token::{self, ClickClaims};
use inflow_tests::bank::{
    self, agent, click, click_id, conversion, lead, now, request, Answer, DEMO_BANK, DEV_CLICK_TOKEN_KEY, HARBOR_BANK,
};
use inflow_tests::Worker;
use serde_json::Value;

const BROWSER: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";

fn assert_problem(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "expected {status} {code}, got {a:?}");
    assert_eq!(a.content_type, "application/problem+json", "{a:?}");
    assert_eq!(a.body["code"], code, "{a:?}");
    assert!(a.location.is_none(), "an error never redirects: {a:?}");
}

fn scalar(w: &Worker, sql: &str) -> i64 {
    let rows = w.d1(sql).expect("query D1");
    rows.first()
        .and_then(|r| r.as_object())
        .and_then(|o| o.values().next())
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// Makes a click look `secs` older, as if the visitor had clicked back then.
fn age_click(w: &Worker, id: &str, secs: i64) {
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - {secs} WHERE id = '{id}'"
    ))
    .expect("age click");
}

/// A fresh click on the first recommendation of a new edu-demo lead.
fn fresh_click(w: &Worker, ua: &str) -> (String, String) {
    let l = lead(w, "edu-demo", "education");
    let rec = &l["recommendations"][0];
    let url = rec["url"].as_str().expect("url");
    let a = click(url, ua);
    assert_eq!(a.status, 302, "{a:?}");
    (click_id(&a), rec["product_id"].as_str().unwrap_or_default().to_string())
}

#[test]
fn click_outs_and_postbacks_follow_the_rules() {
    let w = Worker::start().expect("wrangler dev starts");

    // Click-out: every recommendation links to the edge with a signed token; a click is
    // recorded and redirected to the bank's product page with the click id.
    let l = lead(&w, "edu-demo", "education");
    let recs = l["recommendations"].as_array().expect("recommendations");
    assert!(!recs.is_empty());
    for r in recs {
        let url = r["url"].as_str().expect("url");
        assert!(url.starts_with(&w.url("/c/")), "{url}");
    }
    let url = recs[0]["url"].as_str().expect("url").to_string();
    let product = recs[0]["product_id"].as_str().expect("product").to_string();
    let followed = click(&url, BROWSER);
    assert_eq!(followed.status, 302, "{followed:?}");
    let location = followed.location.clone().unwrap_or_default();
    assert!(
        location.starts_with(&format!("https://bank.example.com/products/{product}?inflow_click=")),
        "{location}"
    );
    let first_click = click_id(&followed);
    let row = w
        .d1(&format!("SELECT partner_id, bank_id, campaign_id, product_id, scene, client_hash FROM clicks WHERE id = '{first_click}'"))
        .expect("click row");
    assert_eq!(row.len(), 1);
    assert_eq!(row[0]["partner_id"], "edu-demo");
    assert_eq!(row[0]["bank_id"], "demo-bank");
    assert_eq!(row[0]["campaign_id"], "cmp-edu-demo");
    assert_eq!(row[0]["scene"], "education");
    assert_eq!(
        row[0]["client_hash"].as_str().map(str::len),
        Some(32),
        "hashed, not raw"
    );

    // Forged, altered and expired tokens: a 4xx and no redirect, nothing recorded.
    let clicks_before = scalar(&w, "SELECT COUNT(*) FROM clicks");
    let token = url.rsplit('/').next().unwrap_or_default().to_string();
    let mut altered = token.clone().into_bytes();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap_or_default();
    assert_problem(&click(&w.url(&format!("/c/{altered}")), BROWSER), 400, "invalid_token");
    assert_problem(&click(&w.url("/c/not-a-token"), BROWSER), 400, "invalid_token");
    let claims = |expires_at, partner: &str| ClickClaims {
        lead_id: l["lead_id"].as_str().unwrap_or_default().into(),
        product_id: product.clone(),
        partner_id: partner.into(),
        campaign_id: "cmp-game-demo".into(),
        expires_at,
    };
    let foreign = token::encode(b"an attacker's key, not ours", &claims(now() + 600, "game-demo")).expect("mint");
    assert_problem(&click(&w.url(&format!("/c/{foreign}")), BROWSER), 400, "invalid_token");
    let expired = token::encode(DEV_CLICK_TOKEN_KEY.as_bytes(), &claims(now() - 1, "edu-demo")).expect("mint");
    assert_problem(&click(&w.url(&format!("/c/{expired}")), BROWSER), 410, "token_expired");
    let page = request(
        agent().get(&w.url(&format!("/c/{altered}"))).set("accept", "text/html"),
        None,
    );
    assert_eq!(page.status, 400);
    assert!(page.content_type.starts_with("text/html"), "{page:?}");
    assert!(page.location.is_none());
    assert_eq!(scalar(&w, "SELECT COUNT(*) FROM clicks"), clicks_before);

    // Signatures: missing, malformed, wrong, stale and future ones are refused, nothing stored.
    age_click(&w, &first_click, 3600);
    let body = conversion(&first_click, "account_opened", "ACC-1", 0, now() - 60);
    let unsigned = request(
        agent()
            .post(&w.url("/v1/conversions"))
            .set("content-type", "application/json")
            .set("inflow-bank", "demo-bank"),
        Some(&body),
    );
    assert_problem(&unsigned, 401, "invalid_signature");
    let post = |sig: &str| DEMO_BANK.post_signed(&w, "/v1/conversions", &body, sig);
    assert_problem(&post("t=123"), 401, "invalid_signature");
    assert_problem(&post("v1=abc,t=x"), 401, "invalid_signature");
    assert_problem(&post(&HARBOR_BANK.sign(now(), &body)), 401, "invalid_signature");
    assert_problem(&post(&DEMO_BANK.sign(now() - 301, &body)), 401, "stale_signature");
    assert_problem(&post(&DEMO_BANK.sign(now() + 301, &body)), 401, "stale_signature");
    let impostor = bank::Bank {
        id: "no-such-bank",
        secret: "whatever",
    };
    assert_problem(&impostor.post(&w, "/v1/conversions", &body), 401, "invalid_signature");
    assert_eq!(scalar(&w, "SELECT COUNT(*) FROM conversions"), 0);

    // A good postback: the partner override (80.00) applies, approved, one accrual.
    let captured = DEMO_BANK.sign(now() - 5, &body);
    let first = post(&captured);
    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(first.body["status"], "approved");
    assert_eq!(first.body["payout_minor"], 8000);
    let account_id = first.body["id"].as_str().expect("id").to_string();
    // Replaying the captured request changes nothing and answers the first result; replaying
    // its signature over another body, or re-dating it, is refused.
    let replay = post(&captured);
    assert_eq!((replay.status, &replay.body), (200, &first.body));
    let tampered = body.replace("\"amount_minor\":0", "\"amount_minor\":1");
    assert_problem(
        &DEMO_BANK.post_signed(&w, "/v1/conversions", &tampered, &captured),
        401,
        "invalid_signature",
    );
    let redated = captured.replacen(&format!("t={}", now() - 5), &format!("t={}", now()), 1);
    if redated != captured {
        assert_problem(&post(&redated), 401, "invalid_signature");
    }
    assert_problem(&post(&DEMO_BANK.sign(now() - 400, &body)), 401, "stale_signature");
    assert_eq!(scalar(&w, "SELECT COUNT(*) FROM conversions"), 1);
    assert_eq!(scalar(&w, "SELECT SUM(amount_minor) FROM ledger"), 8000);

    // Percentage with a cap, and a flat lead fee, on the same click.
    let funded = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&first_click, "funded", "ACC-1", 5_000_000, now() - 30),
    );
    assert_eq!(funded.status, 201, "{funded:?}");
    assert_eq!(
        (funded.body["status"].as_str(), funded.body["payout_minor"].as_i64()),
        (Some("approved"), Some(20_000))
    );
    let small = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&first_click, "funded", "ACC-2", 1_000_000, now() - 30),
    );
    assert_eq!(small.body["payout_minor"], 5_000, "0.5 % of 10,000.00");
    let qualified = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&first_click, "lead_qualified", "ACC-1", 0, now() - 30),
    );
    assert_eq!(qualified.body["payout_minor"], 500);
    let unpaid_event = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&first_click, "card_issued", "ACC-1", 0, now() - 30),
    );
    assert_eq!(
        (unpaid_event.status, unpaid_event.body["status"].as_str()),
        (201, Some("rejected"))
    );
    assert_eq!(unpaid_event.body["payout_minor"], 0);

    // Fraud signals hold the commission, with the reason, and keep its amount.
    let (fast, _) = fresh_click(&w, BROWSER);
    let held = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&fast, "account_opened", "FAST-1", 0, now()),
    );
    assert_eq!(held.body["status"], "held", "{held:?}");
    assert_eq!(held.body["reason"], "fast_conversion");
    assert_eq!(held.body["payout_minor"], 8000);
    let (bot, _) = fresh_click(
        &w,
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    );
    age_click(&w, &bot, 3600);
    let bot_conv = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&bot, "account_opened", "BOT-1", 0, now()),
    );
    assert_eq!(
        (bot_conv.body["status"].as_str(), bot_conv.body["reason"].as_str()),
        (Some("held"), Some("known_bot"))
    );
    let burst_ua = "Mozilla/5.0 burst-test";
    let mut last = String::new();
    for _ in 0..21 {
        last = fresh_click(&w, burst_ua).0;
    }
    age_click(&w, &last, 3600);
    let burst = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&last, "account_opened", "BURST-1", 0, now()),
    );
    assert_eq!(
        (burst.body["status"].as_str(), burst.body["reason"].as_str()),
        (Some("held"), Some("click_burst"))
    );

    // Outside the 30-day window: recorded, not paid.
    let (old, _) = fresh_click(&w, BROWSER);
    age_click(&w, &old, 31 * 86_400);
    let late = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&old, "account_opened", "OLD-1", 0, now()),
    );
    assert_eq!(
        (
            late.status,
            late.body["status"].as_str(),
            late.body["payout_minor"].as_i64()
        ),
        (201, Some("out_of_window"), Some(0))
    );

    // Tenancy: a bank cannot post for another bank's clicks, known or not.
    let foreign_click = HARBOR_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&first_click, "account_opened", "H-1", 0, now()),
    );
    assert_problem(&foreign_click, 422, "unknown_click");
    w.d1(&format!(
        "INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, scene, client_hash, ua_bot, clicks_in_hour, created_at) \
         VALUES ('harbor-click-1', 'x', 'harbor-bank', 'edu-demo', 'cmp-harbor-edu', 'harbor-td-6m', 'education', 'h', 0, 1, {})",
        now() - 7200
    ))
    .expect("harbor click");
    let stolen = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion("harbor-click-1", "account_opened", "H-1", 0, now()),
    );
    assert_problem(&stolen, 422, "unknown_click");
    let own = HARBOR_BANK.post(
        &w,
        "/v1/conversions",
        &conversion("harbor-click-1", "account_opened", "H-1", 0, now()),
    );
    assert_eq!(
        (own.status, own.body["payout_minor"].as_i64()),
        (201, Some(3000)),
        "{own:?}"
    );
    assert_problem(
        &DEMO_BANK.post(
            &w,
            "/v1/conversions",
            &conversion("no-such-click", "funded", "X", 1, now()),
        ),
        422,
        "unknown_click",
    );

    // Reversal: claws back once, however often it is sent; only the owning bank may send it.
    let path = format!("/v1/conversions/{account_id}/reversal");
    assert_problem(&HARBOR_BANK.post(&w, &path, ""), 404, "not_found");
    assert_problem(
        &DEMO_BANK.post_signed(&w, &path, "", "t=1,v1=00"),
        401,
        "invalid_signature",
    );
    let reversed = DEMO_BANK.post(&w, &path, r#"{"reason":"refund"}"#);
    assert_eq!(
        (reversed.status, reversed.body["status"].as_str()),
        (200, Some("reversed")),
        "{reversed:?}"
    );
    let again = DEMO_BANK.post(&w, &path, "");
    assert_eq!((again.status, &again.body), (200, &reversed.body));
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT COUNT(*) FROM ledger WHERE conversion_id = '{account_id}' AND kind = 'clawback'")
        ),
        1
    );
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT SUM(amount_minor) FROM ledger WHERE conversion_id = '{account_id}'")
        ),
        0
    );
    assert_problem(
        &DEMO_BANK.post(&w, "/v1/conversions/nope/reversal", ""),
        404,
        "not_found",
    );
    let retry_after_reversal = post(&captured);
    assert_eq!(
        retry_after_reversal.body["status"], "reversed",
        "a retry never resurrects"
    );

    // The ledger: accruals for paid statuses, one clawback, exactly.
    // approved: 20,000 + 5,000 + 500 + 3,000 (harbor); held: 3 × 8,000; reversed: 8,000 − 8,000.
    assert_eq!(scalar(&w, "SELECT SUM(amount_minor) FROM ledger"), 28_500 + 24_000);
    assert_eq!(
        scalar(&w, "SELECT SUM(payout_minor) FROM conversions WHERE status = 'held'"),
        24_000
    );

    // An approval period: pending (paid, not yet approved) until the cron trigger promotes it.
    w.d1("UPDATE campaigns SET approval_days = 7 WHERE id = 'cmp-game-demo'")
        .expect("campaign");
    let game = lead(&w, "game-demo", "gaming");
    let game_click = click_id(&click(
        game["recommendations"][0]["url"].as_str().unwrap_or_default(),
        BROWSER,
    ));
    age_click(&w, &game_click, 3600);
    let pending = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&game_click, "account_opened", "PEND-1", 0, now()),
    );
    assert_eq!(
        (pending.body["status"].as_str(), pending.body["payout_minor"].as_i64()),
        (Some("pending"), Some(5000))
    );
    let pending_id = pending.body["id"].as_str().unwrap_or_default().to_string();
    let status = |id: &str| {
        let rows = w
            .d1(&format!("SELECT status FROM conversions WHERE id = '{id}'"))
            .expect("status");
        rows[0]["status"].as_str().unwrap_or_default().to_string()
    };
    let cron = || request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None).status;
    assert_eq!(cron(), 200);
    assert_eq!(status(&pending_id), "pending", "not before its approval date");
    w.d1(&format!(
        "UPDATE conversions SET approve_at = approve_at - 8 * 86400 WHERE id = '{pending_id}'"
    ))
    .expect("age");
    assert_eq!(cron(), 200);
    assert_eq!(status(&pending_id), "approved");

    // Bad input is a 4xx with a stable code, never a 500.
    let c = &first_click;
    let bad = |b: &str| DEMO_BANK.post(&w, "/v1/conversions", b);
    assert_problem(&bad("{\"click_id\":"), 400, "malformed_json");
    assert_problem(
        &bad(&conversion(c, "funded", "B-1", 1, now()).replace("\"amount_minor\":1", "\"amount_minor\":\"1\"")),
        400,
        "invalid_field",
    );
    assert_problem(
        &bad(&conversion(c, "funded", "B-1", 1, now()).replace("CNY", "USD")),
        400,
        "invalid_field",
    );
    assert_problem(
        &bad(&conversion(c, "funded", "B-1", 1, now() + 3600)),
        400,
        "invalid_field",
    );
    assert_problem(&bad(&"x".repeat(5000)), 413, "body_too_large");
    let text = request(
        agent()
            .post(&w.url("/v1/conversions"))
            .set("content-type", "text/plain")
            .set("inflow-bank", "demo-bank"),
        Some("{}"),
    );
    assert_problem(&text, 415, "unsupported_media_type");
    assert_problem(
        &request(agent().get(&w.url("/v1/conversions")), None),
        405,
        "method_not_allowed",
    );
}

#[test]
fn public_routes_are_rate_limited_per_client() {
    let w = Worker::start().expect("wrangler dev starts");
    // An abusive client hammering click-outs from one address is throttled…
    let hammer = |ip: &str| request(agent().get(&w.url("/c/garbage")).set("cf-connecting-ip", ip), None);
    let answers: Vec<Answer> = (0..70).map(|_| hammer("203.0.113.7")).collect();
    let limited = answers.iter().filter(|a| a.status == 429).count();
    assert!(limited >= 5, "{limited} of 70 were limited");
    let first_limited = answers.iter().position(|a| a.status == 429).unwrap_or(0);
    assert!(
        first_limited >= 55,
        "the first ~60 per minute pass, got {first_limited}"
    );
    assert_problem(answers.last().expect("answers"), 429, "rate_limited");
    // …while another client is not.
    assert_problem(&hammer("203.0.113.8"), 400, "invalid_token");
}

#[test]
fn openapi_documents_every_route() {
    let w = Worker::start().expect("wrangler dev starts");
    let a = request(agent().get(&w.url("/openapi.json")), None);
    assert_eq!(a.status, 200);
    let doc = &a.body;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "{doc}");
    let paths = doc["paths"].as_object().expect("paths");
    for (method, template) in ROUTES {
        let op = &paths
            .get(template)
            .unwrap_or_else(|| panic!("{template} is not documented"))[method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not documented");
        assert!(op["responses"].is_object(), "{method} {template} has no responses");
        // …and the Worker really serves it.
        let path = template.replace("{token}", "x").replace("{id}", "x");
        let served = request(agent().request(method, &w.url(&path)), None);
        let code = served.body["code"].as_str().unwrap_or_default();
        assert!(
            served.status != 404 || code != "not_found" || template.contains("{id}"),
            "{method} {path}: {served:?}"
        );
        assert_ne!(served.status, 405, "{method} {path}");
    }
    let documented: usize = paths
        .values()
        .map(|p| {
            p.as_object()
                .map_or(0, |o| o.keys().filter(|k| *k != "parameters").count())
        })
        .sum();
    assert_eq!(documented, ROUTES.len(), "every documented operation is served");
}

#[test]
fn ledger_rules_hold() {
    let w = Worker::start().expect("wrangler dev starts");
    let status_of = |id: &str| {
        let rows = w
            .d1(&format!("SELECT status FROM conversions WHERE id = '{id}'"))
            .expect("status");
        rows[0]["status"].as_str().unwrap_or_default().to_string()
    };
    let reverse = |id: &str| DEMO_BANK.post(&w, &format!("/v1/conversions/{id}/reversal"), "");

    // An event pays once per click: a second account_opened under another external id is
    // recorded, rejected, unpaid.
    let (c, _) = fresh_click(&w, BROWSER);
    age_click(&w, &c, 3600);
    let opened = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&c, "account_opened", "ONCE-1", 0, now()),
    );
    assert_eq!(
        (opened.status, opened.body["status"].as_str()),
        (201, Some("approved")),
        "{opened:?}"
    );
    let again = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&c, "account_opened", "ONCE-2", 0, now()),
    );
    assert_eq!(again.status, 201, "{again:?}");
    assert_eq!(
        (
            again.body["status"].as_str(),
            again.body["reason"].as_str(),
            again.body["payout_minor"].as_i64()
        ),
        (Some("rejected"), Some("duplicate_event_for_click"), Some(0))
    );
    // …while the campaign's repeatable event (funded top-ups) pays each time.
    for (ext, amount) in [("TOPUP-1", 1_000_000), ("TOPUP-2", 2_000_000)] {
        let f = DEMO_BANK.post(&w, "/v1/conversions", &conversion(&c, "funded", ext, amount, now()));
        assert_eq!(
            (f.body["status"].as_str(), f.body["payout_minor"].as_i64()),
            (Some("approved"), Some(amount / 200))
        );
    }
    // external_id is case-sensitive: ORD-a and ord-A are two top-ups.
    let lower = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&c, "funded", "topup-1", 1_000_000, now()),
    );
    assert_eq!(lower.status, 201, "{lower:?}");
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT COUNT(*) FROM conversions WHERE click_id = '{c}' AND event = 'funded'")
        ),
        3
    );
    // Once reversed, the event is not paid again on that click.
    assert_eq!(reverse(opened.body["id"].as_str().unwrap_or_default()).status, 200);
    let after = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&c, "account_opened", "ONCE-3", 0, now()),
    );
    assert_eq!(after.body["reason"], "duplicate_event_for_click", "{after:?}");

    // Racing postbacks with different external ids on one click: exactly one is paid.
    let (race, _) = fresh_click(&w, BROWSER);
    age_click(&w, &race, 3600);
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (w, race) = (&w, &race);
                s.spawn(move || {
                    DEMO_BANK.post(
                        w,
                        "/v1/conversions",
                        &conversion(race, "account_opened", &format!("RACE-{i}"), 0, now()),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    assert!(answers.iter().all(|a| a.status == 201), "{answers:?}");
    let paid = answers.iter().filter(|a| a.body["status"] == "approved").count();
    assert_eq!(paid, 1, "{answers:?}");
    assert!(answers
        .iter()
        .filter(|a| a.body["status"] != "approved")
        .all(|a| a.body["reason"] == "duplicate_event_for_click"));
    assert_eq!(
        scalar(&w, &format!("SELECT COUNT(*) FROM ledger l JOIN conversions c ON c.id = l.conversion_id WHERE c.click_id = '{race}'")),
        1
    );

    // Only paid conversions are reversible: rejected and out-of-window ones answer 409 and stay.
    let rejected = again.body["id"].as_str().unwrap_or_default().to_string();
    assert_problem(&reverse(&rejected), 409, "not_reversible");
    assert_eq!(status_of(&rejected), "rejected");
    let unpaid_event = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&c, "card_issued", "CARD-1", 5_000, now()),
    );
    assert_eq!(unpaid_event.body["status"], "rejected");
    let card = unpaid_event.body["id"].as_str().unwrap_or_default().to_string();
    assert_problem(&reverse(&card), 409, "not_reversible");
    let (old, _) = fresh_click(&w, BROWSER);
    age_click(&w, &old, 31 * 86_400);
    let late = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&old, "account_opened", "LATE-1", 0, now()),
    );
    assert_eq!(late.body["status"], "out_of_window");
    let late = late.body["id"].as_str().unwrap_or_default().to_string();
    assert_problem(&reverse(&late), 409, "not_reversible");
    assert_eq!(status_of(&late), "out_of_window");
    assert_eq!(
        scalar(
            &w,
            &format!("SELECT COUNT(*) FROM ledger WHERE conversion_id IN ('{rejected}', '{card}', '{late}')")
        ),
        0
    );
    // Held and pending ones are paid, so reversible.
    let (fast, _) = fresh_click(&w, BROWSER);
    let held = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&fast, "account_opened", "HELD-1", 0, now()),
    );
    assert_eq!(held.body["status"], "held");
    let held_id = held.body["id"].as_str().unwrap_or_default().to_string();
    let undone = reverse(&held_id);
    assert_eq!(
        (undone.status, undone.body["status"].as_str()),
        (200, Some("reversed")),
        "{undone:?}"
    );
    assert_eq!(
        reverse(&held_id).body,
        undone.body,
        "a repeated reversal answers the same row"
    );

    // Bodies are JSON objects, media types are RFC 9110's.
    let body = conversion(&c, "funded", "OBJ-1", 1_000, now());
    let as_array = serde_json::json!([
        c,
        "funded",
        "OBJ-1",
        1_000,
        "CNY",
        inflow_core::time::format_rfc3339(now())
    ]);
    assert_problem(
        &DEMO_BANK.post(&w, "/v1/conversions", &as_array.to_string()),
        400,
        "invalid_field",
    );
    assert_problem(
        &DEMO_BANK.post(&w, &format!("/v1/conversions/{held_id}/reversal"), r#"["refund"]"#),
        400,
        "invalid_field",
    );
    let typed = |ct: &str| {
        request(
            agent()
                .post(&w.url("/v1/conversions"))
                .set("content-type", ct)
                .set("inflow-bank", DEMO_BANK.id)
                .set("inflow-signature", &DEMO_BANK.sign(now(), &body)),
            Some(&body),
        )
    };
    assert_problem(&typed("application/jsonp"), 415, "unsupported_media_type");
    assert_problem(&typed("application/json-seq"), 415, "unsupported_media_type");
    assert_eq!(typed("Application/JSON; charset=utf-8").status, 201);
    // JSON Schema's integer (the OpenAPI's amount_minor) includes 1000.0.
    let float =
        conversion(&c, "funded", "OBJ-2", 1_000, now()).replace("\"amount_minor\":1000", "\"amount_minor\":1000.0");
    let whole = DEMO_BANK.post(&w, "/v1/conversions", &float);
    assert_eq!(
        (whole.status, whole.body["amount_minor"].as_i64()),
        (201, Some(1_000)),
        "{whole:?}"
    );

    // HEAD on a click-out answers the redirect without a body.
    let l = lead(&w, "edu-demo", "education");
    let url = l["recommendations"][0]["url"].as_str().expect("url");
    let headed = request(agent().head(url).set("user-agent", BROWSER), None);
    assert_eq!(headed.status, 302, "{headed:?}");
    assert!(headed.location.is_some(), "{headed:?}");
    assert_eq!(headed.body, Value::String(String::new()));
}
