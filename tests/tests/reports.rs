//! `/v1/reports` against `wrangler dev`: a known mix of leads, clicks, conversions (approved,
//! held, reversed) gives report totals equal to the ledger's to the minor unit, fresh after each
//! postback; keys see only their scope; CSV carries the same rows. Any IANA zone: conversions
//! around New York's and London's clock changes land on their local days (23- and 25-hour days
//! exact); zones a quarter hour off the rollup buckets and unknown zones are refused, saying why.
//! CSV opens right in a spreadsheet: a UTF-8 BOM, an attachment name, formula cells neutralised.
//!
//! The known mix is written once on the binary's shared Worker ([`mix`]) and each test checks
//! one behaviour of the reports over it. The zone and CSV tests start Workers of their own:
//! they add conversions for the same partner on the same days, which would change the
//! totals the mix's tests check to the unit.

use inflow_tests::bank::{agent, click, click_id, conversion, lead, now, DEMO_BANK};
use inflow_tests::worker::{once, shared, Shared};
use inflow_tests::Worker;
use serde_json::Value;
use std::sync::OnceLock;

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

const PARTNER_KEY: &str = "rk_edu-demo_local";

/// The mix as reported: today (Asia/Shanghai), its range query and the partner's report.
struct Mix {
    today: String,
    range: String,
    report: Value,
}

/// The shared Worker, with the mix written on it once per test binary.
fn mix() -> (Shared, &'static Mix) {
    static MIX: OnceLock<Result<Mix, String>> = OnceLock::new();
    let w = shared();
    let mix = once(&MIX, || write_mix(&w));
    (w, mix)
}

/// Three conversions on edu-demo clicks, approved, held (too fast), then one reversed, each
/// counted by the report as soon as its postback is answered; and funnel events for the
/// drop-off: two chats opened, both answered age, one went on.
fn write_mix(w: &Worker) -> Mix {
    // The whole mix is counted on one Shanghai day: it ages clicks two minutes (ages of an hour
    // put them on yesterday between 16:00 and 17:00 UTC, which failed a run at 16:44 UTC), and
    // it does not start in the three minutes either side of Shanghai's midnight.
    let seconds_of_day = |t: i64| (t + 8 * 3600).rem_euclid(86_400);
    while !(180..86_400 - 180).contains(&seconds_of_day(now())) {
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
    let today = day(now());
    // Payouts by conversion date and status, as these tests were written for; by ledger date
    // (the default) in `report_payouts_equal_the_ledger_to_the_minor_unit` and
    // tests/tests/report_ledger_dates.rs.
    let range = format!("from={today}&to={today}&payout_date=conversion");
    let mut ids = Vec::new();
    for (i, (age, amount)) in [(120, 100_000), (0, 50_000), (120, 200_000)].iter().enumerate() {
        let l = lead(w, "edu-demo", "education");
        let a = click(
            l["recommendations"][0]["url"].as_str().expect("url"),
            "Mozilla/5.0 (test)",
        );
        let id = click_id(&a);
        // The conversion happens `age` seconds after the click (5 s for the fast one) by the
        // click's own stored time, so a slow machine cannot turn the fast one into a slow one.
        let clicked = w
            .d1(&format!(
                "UPDATE clicks SET created_at = created_at - {age} WHERE id = '{id}' RETURNING created_at"
            ))
            .expect("age")[0]["created_at"]
            .as_i64()
            .expect("created_at");
        let occurred = clicked + (*age).max(5);
        let before = total(&json(w, PARTNER_KEY, &range), "conversions");
        let posted = DEMO_BANK.post(
            w,
            "/v1/conversions",
            &conversion(&id, "funded", &format!("R-{i}"), *amount, occurred),
        );
        assert_eq!(posted.status, 201, "{:?}", posted.body);
        ids.push(posted.body["id"].as_str().expect("conversion id").to_string());
        // Fresh: the report counts the conversion as soon as the postback is answered.
        assert_eq!(
            total(&json(w, PARTNER_KEY, &range), "conversions"),
            before + 1,
            "the report is fresh after each postback"
        );
    }
    let reversal = DEMO_BANK.post(w, &format!("/v1/conversions/{}/reversal", ids[2]), "");
    assert!(reversal.status < 300, "{:?}", reversal.body);

    let batch = r#"{"partner":"edu-demo","scene":"education","session":"s-report-1","events":[
        {"kind":"open"},{"kind":"answer","question":"age"},{"kind":"answer","question":"goal"},
        {"kind":"open"},{"kind":"answer","question":"age"}]}"#;
    let stored = ureq::post(&w.url("/v1/events"))
        .set("content-type", "text/plain")
        .send_string(batch);
    assert_eq!(stored.map(|r| r.status()).unwrap_or(0), 202);
    let report = json(w, PARTNER_KEY, &range);
    Mix { today, range, report }
}

#[test]
fn the_drop_off_counts_chats_opened_and_each_question_answered() {
    let (_w, m) = mix();
    let r = &m.report;
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
}

#[test]
fn a_reversed_conversion_leaves_conversions_and_their_value() {
    let (_w, m) = mix();
    let r = &m.report;
    // docs/integration.md
    assert_eq!(r["rows"][0]["conversions_by_event"]["funded"], 2);
    assert_eq!(total(r, "conversions"), 2);
    assert_eq!(total(r, "conversion_value_minor"), 150_000);
}

#[test]
fn report_payouts_equal_the_ledger_to_the_minor_unit() {
    let (w, m) = mix();
    let r = &m.report;
    // Voids and clawbacks are stored as negative amounts, so the sum of every entry but the
    // releases (which move held money to payable) is what the partner earned net.
    let ledger_net = scalar(
        &w,
        "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger WHERE partner_id = 'edu-demo' AND kind <> 'release'",
    );
    let clawed = scalar(
        &w,
        "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger WHERE partner_id = 'edu-demo' \
         AND kind IN ('void', 'clawback')",
    );
    let payable = total(r, "payout_pending_minor") + total(r, "payout_approved_minor") + total(r, "payout_held_minor");
    assert_eq!(payable, ledger_net, "report payouts equal the ledger: {r}");
    assert_eq!(total(r, "payout_reversed_minor"), clawed.abs());
    // By ledger date (the default), the entries themselves: accrued less voided and clawed back
    // is the same net, voided and clawed back the same reversals.
    let by_ledger = json(&w, PARTNER_KEY, &format!("from={0}&to={0}", m.today));
    assert_eq!(by_ledger["payout_date"], "ledger");
    assert_eq!(
        total(&by_ledger, "payout_accrued_minor")
            - total(&by_ledger, "payout_voided_minor")
            - total(&by_ledger, "payout_clawed_back_minor"),
        ledger_net,
        "{by_ledger}"
    );
    assert_eq!(
        total(&by_ledger, "payout_voided_minor") + total(&by_ledger, "payout_clawed_back_minor"),
        clawed.abs()
    );
    assert_eq!(
        total(&by_ledger, "payout_released_minor"),
        scalar(
            &w,
            "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger WHERE partner_id = 'edu-demo' AND kind = 'release'"
        )
    );
    for status in [
        "payout_pending_minor",
        "payout_approved_minor",
        "payout_held_minor",
        "payout_reversed_minor",
    ] {
        assert_eq!(total(&by_ledger, status), 0, "by ledger date, {status} is not filled");
    }
    assert!(
        total(r, "payout_held_minor") > 0,
        "the fast conversion is held, not dropped"
    );
}

#[test]
fn leads_and_clicks_are_counted_on_their_day() {
    let (_w, m) = mix();
    let r = &m.report;
    assert_eq!(total(r, "qualified_leads"), 3);
    assert_eq!(total(r, "clicks"), 3);
    assert_eq!(r["rows"][0]["group"], m.today.as_str());
}

#[test]
fn grouped_differently_the_totals_stay_the_same() {
    let (w, m) = mix();
    // By a tracking tag too: the mix's rows have none, and all count under "(none)".
    for g in ["scene", "product", "campaign", "sub_id", "utm_source", "utm_campaign"] {
        let by = json(&w, PARTNER_KEY, &format!("{}&group_by={g}", m.range));
        assert_eq!(
            total(&by, "payout_approved_minor"),
            total(&m.report, "payout_approved_minor"),
            "{g}"
        );
    }
}

#[test]
fn csv_carries_the_same_rows_under_a_header() {
    let (w, m) = mix();
    let (status, csv) = report(&w, Some(PARTNER_KEY), &m.range, "text/csv");
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert!(
        lines[0].starts_with("\u{feff}group,impressions,chats_opened,qualified_leads,"),
        "{csv}"
    );
    assert_eq!(lines.len(), 1 + m.report["rows"].as_array().map_or(0, Vec::len));
}

#[test]
fn no_key_or_a_wrong_key_is_401() {
    let (w, m) = mix();
    assert_eq!(report(&w, None, &m.range, "*/*").0, 401);
    assert_eq!(report(&w, Some("rk_guess"), &m.range, "*/*").0, 401);
}

#[test]
fn asking_beyond_a_keys_scope_is_403() {
    let (w, m) = mix();
    let range = &m.range;
    assert_eq!(
        report(&w, Some(PARTNER_KEY), &format!("{range}&group_by=partner"), "*/*").0,
        403
    );
    assert_eq!(
        report(&w, Some(PARTNER_KEY), &format!("{range}&partner=game-demo"), "*/*").0,
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
}

#[test]
fn another_partner_sees_none_of_the_partners_rows() {
    let (w, m) = mix();
    let other_partner = json(&w, "rk_game-demo_local", &m.range);
    assert_eq!(
        total(&other_partner, "conversions"),
        0,
        "game-demo sees none of edu-demo's rows"
    );
}

#[test]
fn a_bank_sees_its_partners_rows_and_another_bank_none() {
    let (w, m) = mix();
    let bank = json(&w, "rk_bank_demo_local", &format!("{}&group_by=partner", m.range));
    assert_eq!(bank["rows"][0]["group"], "edu-demo");
    assert_eq!(
        total(&bank, "payout_approved_minor"),
        total(&m.report, "payout_approved_minor")
    );
    let harbor = json(&w, "rk_bank_harbor_local", &m.range);
    assert_eq!(
        total(&harbor, "conversions"),
        0,
        "another bank sees none of demo-bank's conversions"
    );
}

#[test]
fn a_date_that_does_not_exist_is_400() {
    let (w, _) = mix();
    assert_eq!(
        report(&w, Some(PARTNER_KEY), "from=2026-13-01&to=2026-13-02", "*/*").0,
        400
    );
}

/// `GET /v1/reports` with `key`, answered as (status, Content-Disposition, raw body bytes).
fn raw_report(w: &Worker, key: &str, query: &str) -> (u16, Option<String>, Vec<u8>) {
    let resp = match agent()
        .get(&w.url(&format!("/v1/reports?{query}")))
        .set("authorization", &format!("Bearer {key}"))
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport: {e}"),
    };
    let status = resp.status();
    let disposition = resp.header("content-disposition").map(String::from);
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut body).expect("body");
    (status, disposition, body)
}

/// Makes one lead and click for edu-demo and a funded conversion on it, then moves the click
/// and the conversion to `at` (straight in D1: the rollup triggers follow).
fn conversion_at(w: &Worker, n: usize, at: i64) {
    let l = lead(w, "edu-demo", "education");
    let id = click_id(&click(
        l["recommendations"][0]["url"].as_str().expect("url"),
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0",
    ));
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{id}'"
    ))
    .expect("age");
    let posted = DEMO_BANK.post(
        w,
        "/v1/conversions",
        &conversion(&id, "funded", &format!("TZ-{n}"), 10_000, now()),
    );
    assert_eq!(posted.status, 201, "{:?}", posted.body);
    let conv = posted.body["id"].as_str().expect("id").to_string();
    w.d1(&format!(
        "UPDATE clicks SET created_at = {at} WHERE id = '{id}'; \
         UPDATE conversions SET occurred_at = {at} WHERE id = '{conv}'"
    ))
    .expect("move");
}

fn utc(s: &str) -> i64 {
    inflow_core::support::time::parse_rfc3339(s).unwrap_or_else(|| panic!("{s}"))
}

/// Conversions either side of each clock change in 2025, reported by day in their zone: each is
/// on the local day it happened, which a fixed offset (the zone's winter or summer one) would
/// get wrong for all but two of them; the 23- and 25-hour days hold their whole hours, grouped
/// by day or by scene (partial UTC days at both edges).
#[test]
fn any_iana_zone_with_exact_dst_days() {
    let w = Worker::start().expect("wrangler dev starts; its own, see the module comment");
    // (instant, zone, local day it belongs to)
    let cases = [
        ("2025-03-09T04:30:00Z", "America/New_York", "2025-03-08"), // 23:30 EST
        ("2025-03-09T06:30:00Z", "America/New_York", "2025-03-09"), // 01:30 EST, before the gap
        ("2025-03-10T03:30:00Z", "America/New_York", "2025-03-09"), // 23:30 EDT, the day's last hour
        ("2025-03-10T04:30:00Z", "America/New_York", "2025-03-10"), // 00:30 EDT
        ("2025-11-02T04:30:00Z", "America/New_York", "2025-11-02"), // 00:30 EDT
        ("2025-11-02T06:30:00Z", "America/New_York", "2025-11-02"), // the second 01:30, EST
        ("2025-11-03T04:30:00Z", "America/New_York", "2025-11-02"), // 23:30 EST, the 25th hour
        ("2025-03-30T00:30:00Z", "Europe/London", "2025-03-30"),    // 00:30 GMT
        ("2025-03-30T23:30:00Z", "Europe/London", "2025-03-31"),    // 00:30 BST
        ("2025-10-25T23:30:00Z", "Europe/London", "2025-10-26"),    // 00:30 BST
        ("2025-10-26T23:30:00Z", "Europe/London", "2025-10-26"),    // 23:30 GMT, the 25th hour
    ];
    for (n, (at, _, _)) in cases.iter().enumerate() {
        conversion_at(&w, n, utc(at));
    }
    let key = "rk_edu-demo_local";
    for (tz, from, to) in [
        ("America/New_York", "2025-03-08", "2025-03-10"),
        ("America/New_York", "2025-11-01", "2025-11-03"),
        ("Europe/London", "2025-03-29", "2025-03-31"),
        ("Europe/London", "2025-10-25", "2025-10-27"),
    ] {
        let r = json(&w, key, &format!("from={from}&to={to}&tz={tz}&group_by=day"));
        assert_eq!(r["tz"], tz);
        let mut want = std::collections::BTreeMap::new();
        for (_, zone, day) in cases {
            if zone == tz && (from..=to).contains(&day) {
                *want.entry(day.to_string()).or_insert(0) += 1;
            }
        }
        let got: std::collections::BTreeMap<String, i64> = r["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|row| {
                let group = row["group"].as_str().expect("group").to_string();
                (group, row["conversions"].as_i64().unwrap_or(0))
            })
            .collect();
        assert_eq!(got, want, "{tz} {from}..{to}: {r}");
        assert_eq!(total(&r, "clicks"), want.values().sum::<i64>(), "clicks too: {r}");
    }
    // The 23- and 25-hour days alone, by day and by scene.
    for (tz, day, n) in [
        ("America/New_York", "2025-03-09", 2),
        ("America/New_York", "2025-11-02", 3),
        ("Europe/London", "2025-03-30", 1),
        ("Europe/London", "2025-10-26", 2),
    ] {
        for g in ["day", "scene", "campaign"] {
            let r = json(&w, key, &format!("from={day}&to={day}&tz={tz}&group_by={g}"));
            assert_eq!(total(&r, "conversions"), n, "{tz} {day} by {g}: {r}");
        }
    }
    // DST-free zones east of UTC work too.
    let jakarta = json(&w, key, "from=2025-03-09&to=2025-03-10&tz=Asia/Jakarta");
    assert_eq!(jakarta["tz"], "Asia/Jakarta");
    // Its 2025-03-09 and 2025-03-10 run from 17:00 UTC on the 8th to 17:00 UTC on the 10th.
    assert_eq!(total(&jakarta, "conversions"), 4, "{jakarta}");

    // Refusals say why and name zones that work.
    for (tz, says) in [
        ("Asia/Kathmandu", "+05:45"),
        ("Australia/Eucla", "+08:45"),
        ("Pacific/Chatham", "+13:45"),
        ("Mars/Olympus", "America/New_York"),
    ] {
        let (status, body) = report(&w, Some(key), &format!("from=2025-01-01&to=2025-01-31&tz={tz}"), "*/*");
        assert_eq!(status, 400, "{tz}: {body}");
        let p: Value = serde_json::from_str(&body).expect("problem");
        assert_eq!(p["code"], "invalid_field");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(says) && detail.contains("Asia/Shanghai"),
            "{tz}: {detail}"
        );
    }
}

/// CSV for spreadsheets: UTF-8 BOM, `Content-Disposition: attachment` with an RFC 5987 name,
/// and every text cell a partner or bank supplied (campaign, product, partner ids) that starts
/// like a formula neutralised with a leading `'`, while counts and amounts stay numbers.
#[test]
fn csv_opens_right_in_a_spreadsheet() {
    let w = Worker::start().expect("wrangler dev starts; its own, see the module comment");
    // Hostile ids, as a careless or malicious partner or bank could name things: one
    // conversion under a hostile campaign and product, another under a hostile partner.
    let (campaign, product, partner) = ("=cmd|' /C calc'!A0", "+SUM(1,2)", "@evil");
    let sql = |s: &str| s.replace('\'', "''");
    for (n, set) in [
        format!("campaign_id = '{}', product_id = '{}'", sql(campaign), sql(product)),
        format!("partner_id = '{}'", sql(partner)),
    ]
    .iter()
    .enumerate()
    {
        let l = lead(&w, "edu-demo", "education");
        let id = click_id(&click(
            l["recommendations"][0]["url"].as_str().expect("url"),
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0",
        ));
        w.d1(&format!(
            "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{id}'"
        ))
        .expect("age");
        let posted = DEMO_BANK.post(
            &w,
            "/v1/conversions",
            &conversion(&id, "funded", &format!("CSV-{n}"), 123_456, now()),
        );
        assert_eq!(posted.status, 201, "{:?}", posted.body);
        let conv = posted.body["id"].as_str().expect("id").to_string();
        w.d1(&format!(
            "UPDATE clicks SET {set} WHERE id = '{id}'; UPDATE conversions SET {set} WHERE id = '{conv}'"
        ))
        .expect("hostile ids");
    }
    let today = day(now());
    let range = format!("from={today}&to={today}");
    let cells = |body: &[u8]| -> Vec<Vec<String>> {
        let text = std::str::from_utf8(body).expect("utf-8");
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or_else(|| panic!("no BOM: {text:?}"));
        text.split_terminator("\r\n").map(split_csv).collect()
    };
    for (key, group, hostile) in [
        ("rk_edu-demo_local", "campaign", campaign),
        ("rk_edu-demo_local", "product", product),
        ("rk_bank_demo_local", "partner", partner),
    ] {
        let (status, disposition, body) = raw_report(&w, key, &format!("{range}&group_by={group}&format=csv"));
        assert_eq!(status, 200);
        assert!(body.starts_with(&[0xEF, 0xBB, 0xBF]), "a UTF-8 BOM first");
        let name = format!("inflow-report-{today}-{today}-{group}.csv");
        assert_eq!(
            disposition.as_deref(),
            Some(format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}").as_str())
        );
        let rows = cells(&body);
        assert_eq!(rows[0][0], "group");
        let row = rows
            .iter()
            .find(|r| r[0] == format!("'{hostile}"))
            .unwrap_or_else(|| panic!("{group}: no neutralised '{hostile}' row in {rows:?}"));
        for r in &rows[1..] {
            assert!(!r[0].starts_with(['=', '+', '-', '@', '\t', '\r']), "{r:?}");
        }
        // Numbers stay numbers: the conversion's value, unquoted digits.
        let value = ReportRowColumn::index("conversion_value_minor");
        assert_eq!(row[value], "123456", "{row:?}");
    }
}

/// The column index of a CSV header name (core's header).
struct ReportRowColumn;

impl ReportRowColumn {
    fn index(name: &str) -> usize {
        inflow_core::report::ReportRow::CSV_HEADER
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}

/// One CSV line's fields, read by the `csv` crate (RFC 4180 quoting).
fn split_csv(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader
        .records()
        .next()
        .map_or_else(csv::StringRecord::new, |r| r.expect("a CSV record"));
    record.iter().map(str::to_string).collect()
}
