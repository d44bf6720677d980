//! Ledger-dated payouts in reports (issue 15 item 1) against `wrangler dev`: a conversion on day
//! D, two days ago (its row and its accrual written as that day's postback wrote them: the
//! Worker's clock cannot be moved, so the harness dates them, as the report tests age clicks),
//! reversed through the API today → by ledger date (the default) the void shows on today's row
//! and D's row is what it was; by conversion date (`payout_date=conversion`) the reversal
//! rewrites D, as reports always did. For partner and bank keys, by day, scene and sub-id.

use inflow_tests::bank::{agent, click, click_id, lead, now, request, DEMO_BANK};
use inflow_tests::worker::shared;
use inflow_tests::Worker;
use serde_json::Value;

const PARTNER_KEY: &str = "rk_edu-demo_local";
const BANK_KEY: &str = "rk_bank_demo_local";
const PAYOUT: i64 = 5_000;

fn day(unix: i64) -> String {
    inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(unix)
}

fn report(w: &Worker, key: &str, query: &str) -> Value {
    let a = request(
        agent()
            .get(&w.url(&format!("/v1/reports?{query}")))
            .set("authorization", &format!("Bearer {key}")),
        None,
    );
    assert_eq!(a.status, 200, "{query}: {:?}", a.body);
    a.body
}

fn row(r: &Value, group: &str) -> Value {
    r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|x| x["group"] == group)
        .cloned()
        .unwrap_or(Value::Null)
}

/// A row's payouts, both kinds. (Its conversion count is by the conversion's current status,
/// on its own day, as it always was: a reversed conversion leaves `conversions`.)
fn payouts(row: &Value) -> Vec<i64> {
    inflow_core::report::Metric::ALL
        .into_iter()
        .filter(|m| m.is_ledger_dated() || m.is_conversion_dated())
        .map(|m| {
            row[m.name()]
                .as_i64()
                .unwrap_or_else(|| panic!("{} in {row}", m.name()))
        })
        .collect()
}

fn total(r: &Value, field: &str) -> i64 {
    r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|x| x[field].as_i64().unwrap_or(0))
        .sum()
}

/// A pending conversion of `PAYOUT` on a real click, occurred and received at `at`, with the
/// accrual its postback writes (migration 0023's ledger) dated then; returns its id.
fn conversion_on(w: &Worker, at: i64) -> String {
    let l = lead(w, "edu-demo", "education");
    let id = click_id(&click(
        l["recommendations"][0]["url"].as_str().expect("url"),
        "Mozilla/5.0 (ledger dates)",
    ));
    let conv = format!("ledger-dates-{id}");
    w.d1(&format!(
        "UPDATE clicks SET created_at = {clicked} WHERE id = '{id}';
         INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id, partner_id,
             product_id, scene, amount_minor, currency, occurred_at, received_at, status,
             payout_minor, payout_currency, approve_at, pays_once)
         SELECT '{conv}', bank_id, 'LD-1', 'funded', id, campaign_id, partner_id, product_id, scene,
             100000, 'CNY', {at}, {at}, 'pending', {PAYOUT}, 'CNY', {approve}, 1
         FROM clicks WHERE id = '{id}';
         INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor,
             currency, created_at, period)
         SELECT id, 'accrual', bank_id, partner_id, campaign_id, {PAYOUT}, 'CNY', {at},
             strftime('%Y-%m', {at} + 28800, 'unixepoch')
         FROM conversions WHERE id = '{conv}'",
        clicked = at - 3_600,
        approve = at + 30 * 86_400,
    ))
    .expect("the conversion of day D");
    conv
}

#[test]
fn a_reversal_is_reported_on_its_own_day_and_the_conversions_day_stays() {
    let w = shared();
    // Two Shanghai days ago (UTC+8 all year: 48 hours back is two local days back), and today,
    // away from midnight so "today" is one day from start to end.
    let seconds_of_day = |t: i64| (t + 8 * 3600).rem_euclid(86_400);
    while !(180..86_400 - 180).contains(&seconds_of_day(now())) {
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
    let d_at = now() - 2 * 86_400;
    let (d, today) = (day(d_at), day(now()));
    let range = format!("from={d}&to={today}");
    let conv = conversion_on(&w, d_at);

    let ledger_before = report(&w, PARTNER_KEY, &range);
    assert_eq!(ledger_before["payout_date"], "ledger");
    let d_before = row(&ledger_before, &d);
    assert_eq!(d_before["payout_accrued_minor"], PAYOUT, "{ledger_before}");
    let bank_before = report(&w, BANK_KEY, &range);
    let bank_d_before = row(&bank_before, &d);
    assert_eq!(bank_d_before["payout_accrued_minor"], PAYOUT, "{bank_before}");
    let conversion_before = report(&w, PARTNER_KEY, &format!("{range}&payout_date=conversion"));
    assert_eq!(row(&conversion_before, &d)["payout_pending_minor"], PAYOUT);

    let reversed = DEMO_BANK.post(&w, &format!("/v1/conversions/{conv}/reversal"), "");
    assert!(reversed.status < 300, "{:?}", reversed.body);

    // By ledger date: D is what it was; today has the void (a pending conversion's hold).
    let ledger_after = report(&w, PARTNER_KEY, &range);
    assert_eq!(
        payouts(&row(&ledger_after, &d)),
        payouts(&d_before),
        "day D's payouts never change by ledger date"
    );
    let t = row(&ledger_after, &today);
    assert_eq!(
        (
            &t["payout_voided_minor"],
            &t["payout_clawed_back_minor"],
            &t["payout_accrued_minor"]
        ),
        (&Value::from(PAYOUT), &Value::from(0), &Value::from(0)),
        "{ledger_after}"
    );
    assert_eq!(t["payout_reversed_minor"], 0, "payouts by status are not filled");
    // The bank's own by-day rollup and the by-scene and by-sub-id sources agree.
    let bank_after = report(&w, BANK_KEY, &range);
    assert_eq!(payouts(&row(&bank_after, &d)), payouts(&bank_d_before));
    assert_eq!(row(&bank_after, &today)["payout_voided_minor"], PAYOUT);
    for g in ["scene", "sub_id", "product"] {
        let by = report(&w, PARTNER_KEY, &format!("{range}&group_by={g}"));
        assert_eq!(
            (total(&by, "payout_accrued_minor"), total(&by, "payout_voided_minor")),
            (PAYOUT, PAYOUT),
            "by {g}: {by}"
        );
    }

    // By conversion date: the reversal rewrites D, as reports always did.
    let conversion_after = report(&w, PARTNER_KEY, &format!("{range}&payout_date=conversion"));
    let d_conv = row(&conversion_after, &d);
    assert_eq!(
        (
            &d_conv["payout_pending_minor"],
            &d_conv["payout_reversed_minor"],
            &d_conv["payout_voided_minor"]
        ),
        (&Value::from(0), &Value::from(PAYOUT), &Value::from(0)),
        "{conversion_after}"
    );
    assert_eq!(conversion_after["payout_date"], "conversion");
}
