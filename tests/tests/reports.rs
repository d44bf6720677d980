//! `/v1/reports` against `wrangler dev`: a known mix of leads, clicks, conversions (approved,
//! held, reversed) gives report totals equal to the ledger's to the minor unit, fresh after each
//! postback; keys see only their scope; CSV carries the same rows.

use inflow_tests::bank::{click, click_id, conversion, lead, now, DEMO_BANK};
use inflow_tests::Worker;
use serde_json::Value;

fn report(w: &Worker, key: Option<&str>, query: &str, accept: &str) -> (u16, String) {
    let mut req = ureq::get(&w.url(&format!("/v1/reports?{query}"))).set("accept", accept);
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    match req.call() {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap_or_default()),
        Err(e) => panic!("transport: {e}"),
    }
}

fn json(w: &Worker, key: &str, query: &str) -> Value {
    let (status, body) = report(w, Some(key), query, "application/json");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn total(rows: &Value, field: &str) -> i64 {
    rows["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r[field].as_i64().unwrap_or(0))
        .sum()
}

fn scalar(w: &Worker, sql: &str) -> i64 {
    w.d1(sql).expect("D1")[0]
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn day(unix: i64) -> String {
    inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(unix)
}

#[test]
fn reports_equal_the_ledger_and_respect_scope() {
    let w = Worker::start().expect("wrangler dev starts");
    let today = day(now());
    let range = format!("from={today}&to={today}");
    let partner_key = "rk_edu-demo_local";

    // Three conversions on edu-demo clicks: approved, held (too fast), then one reversed.
    let mut ids = Vec::new();
    for (i, (age, amount)) in [(3_600, 100_000), (0, 50_000), (3_600, 200_000)].iter().enumerate() {
        let l = lead(&w, "edu-demo", "education");
        let a = click(
            l["recommendations"][0]["url"].as_str().expect("url"),
            "Mozilla/5.0 (test)",
        );
        let id = click_id(&a);
        w.d1(&format!(
            "UPDATE clicks SET created_at = created_at - {age} WHERE id = '{id}'"
        ))
        .expect("age");
        let before = total(&json(&w, partner_key, &range), "conversions");
        let posted = DEMO_BANK.post(
            &w,
            "/v1/conversions",
            &conversion(&id, "funded", &format!("R-{i}"), *amount, now()),
        );
        assert_eq!(posted.status, 201, "{:?}", posted.body);
        ids.push(posted.body["id"].as_str().expect("conversion id").to_string());
        // Fresh: the report counts the conversion as soon as the postback is answered.
        assert_eq!(total(&json(&w, partner_key, &range), "conversions"), before + 1);
    }
    let reversal = DEMO_BANK.post(&w, &format!("/v1/conversions/{}/reversal", ids[2]), "");
    assert!(reversal.status < 300, "{:?}", reversal.body);

    // Funnel events for the drop-off: two chats opened, both answered age, one went on.
    let batch = r#"{"partner":"edu-demo","scene":"education","session":"s-report-1","events":[
        {"kind":"open"},{"kind":"answer","question":"age"},{"kind":"answer","question":"goal"},
        {"kind":"open"},{"kind":"answer","question":"age"}]}"#;
    let stored = ureq::post(&w.url("/v1/events"))
        .set("content-type", "text/plain")
        .send_string(batch);
    assert_eq!(stored.map(|r| r.status()).unwrap_or(0), 202);

    let r = json(&w, partner_key, &range);
    assert_eq!(r["drop_off"]["opened"], 2);
    assert_eq!(
        r["drop_off"]["questions"][0],
        serde_json::json!({"question": "age", "answered": 2})
    );
    assert_eq!(
        r["drop_off"]["questions"][1],
        serde_json::json!({"question": "goal", "answered": 1})
    );
    assert_eq!(r["rows"][0]["chats_opened"], 2);
    // The reversed conversion leaves conversions and their value (docs/integration.md).
    assert_eq!(r["rows"][0]["conversions_by_event"]["funded"], 2);
    // Clawbacks are stored as negative amounts, so the ledger's sum is what is payable.
    let ledger_net = scalar(
        &w,
        "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger WHERE partner_id = 'edu-demo'",
    );
    let clawed = scalar(
        &w,
        "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger WHERE partner_id = 'edu-demo' AND kind = 'clawback'",
    );
    let payable =
        total(&r, "payout_pending_minor") + total(&r, "payout_approved_minor") + total(&r, "payout_held_minor");
    assert_eq!(payable, ledger_net, "report payouts equal the ledger: {r}");
    assert_eq!(total(&r, "payout_reversed_minor"), clawed.abs());
    assert!(
        total(&r, "payout_held_minor") > 0,
        "the fast conversion is held, not dropped"
    );
    assert_eq!(total(&r, "conversions"), 2);
    assert_eq!(total(&r, "conversion_value_minor"), 150_000);
    assert_eq!(total(&r, "qualified_leads"), 3);
    assert_eq!(total(&r, "clicks"), 3);
    assert_eq!(r["rows"][0]["group"], today.as_str());

    // Grouped differently, the totals stay the same.
    for g in ["scene", "product", "campaign"] {
        let by = json(&w, partner_key, &format!("{range}&group_by={g}"));
        assert_eq!(
            total(&by, "payout_approved_minor"),
            total(&r, "payout_approved_minor"),
            "{g}"
        );
    }

    // CSV: the same rows with a header.
    let (status, csv) = report(&w, Some(partner_key), &range, "text/csv");
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert!(
        lines[0].starts_with("group,impressions,chats_opened,qualified_leads,"),
        "{csv}"
    );
    assert_eq!(lines.len(), 1 + r["rows"].as_array().map_or(0, Vec::len));

    // Scope: no key or a wrong key is 401; asking beyond the key's scope is 403.
    assert_eq!(report(&w, None, &range, "*/*").0, 401);
    assert_eq!(report(&w, Some("rk_guess"), &range, "*/*").0, 401);
    assert_eq!(
        report(&w, Some(partner_key), &format!("{range}&group_by=partner"), "*/*").0,
        403
    );
    assert_eq!(
        report(&w, Some(partner_key), &format!("{range}&partner=game-demo"), "*/*").0,
        403
    );
    assert_eq!(
        report(
            &w,
            Some("rk_bank_harbor_local"),
            &format!("{range}&partner=health-demo"),
            "*/*"
        )
        .0,
        403
    );
    let other_partner = json(&w, "rk_game-demo_local", &range);
    assert_eq!(
        total(&other_partner, "conversions"),
        0,
        "game-demo sees none of edu-demo's rows"
    );
    let bank = json(&w, "rk_bank_demo_local", &format!("{range}&group_by=partner"));
    assert_eq!(bank["rows"][0]["group"], "edu-demo");
    assert_eq!(
        total(&bank, "payout_approved_minor"),
        total(&r, "payout_approved_minor")
    );
    let harbor = json(&w, "rk_bank_harbor_local", &range);
    assert_eq!(
        total(&harbor, "conversions"),
        0,
        "another bank sees none of demo-bank's conversions"
    );
    assert_eq!(
        report(&w, Some(partner_key), "from=2026-13-01&to=2026-13-02", "*/*").0,
        400
    );
}
