//! The report rollups (edge/migrations/0006) against `wrangler dev`: after a mix of writes —
//! leads, funnel events answering every question, clicks, conversions approved, held, pending
//! and rejected, an approval by the cron trigger, a reversal through the route, corrections and
//! deletes made straight in D1, a campaign that brings a partner to another bank and goes again,
//! machines' clicks (left out of report clicks, migration 0009) and a click reclassified —
//! every report, for partner and bank keys, in every grouping, narrowed to a partner or not, in
//! zones half an hour apart and one with daylight saving, with payouts by conversion date and
//! by ledger date (migration 0026: each entry on the day it was written, in the same rollups),
//! equals a recount over the raw tables. Some rows are moved days back and into tomorrow, so
//! reports span whole UTC days (report_daily_rollup, migration 0007) and,
//! in zones east of UTC, partial UTC days at both edges (report_rollup's buckets).
//!
//! The mix is written once per test binary ([`scenario`]) on a shared Worker, and each key's
//! reports are a test of their own; the test that starts and ends a campaign has the Worker
//! to itself (`worker::alone`), since the others' recounts read the campaigns.

use std::collections::BTreeMap;

use inflow_core::lead::questionnaire;
use inflow_core::report::{DropOff, QuestionReached, ReportResponse, ReportRow, Zone};
use inflow_core::Scene;
use inflow_tests::bank::{agent, click, click_id, conversion, lead, now, request, DEMO_BANK};
use inflow_tests::worker::{alone, once, shared, Shared};
use inflow_tests::Worker;
use serde_json::Value;
use std::sync::OnceLock;

const BROWSER: &str = "Mozilla/5.0 (test)";

#[derive(Clone, Copy, Debug)]
enum Who {
    Partner(&'static str),
    Bank(&'static str),
}

/// The raw tables, as the rollups should have counted them.
struct Raw {
    funnel: Vec<Value>,
    leads: Vec<Value>,
    clicks: Vec<Value>,
    conversions: Vec<Value>,
    /// Ledger entries (0023) with their conversion's dimensions, dated when written.
    ledger: Vec<Value>,
    campaigns: Vec<Value>,
}

fn snapshot(w: &Worker) -> Raw {
    let q = |sql: &str| w.d1(sql).expect("D1");
    Raw {
        funnel: q("SELECT partner_id, scene, kind, question, \
                   CAST(strftime('%s', received_at) AS INTEGER) AS t FROM funnel_events"),
        leads: q("SELECT partner_id, scene, CAST(strftime('%s', created_at) AS INTEGER) AS t FROM leads"),
        // Machines' clicks (ua_bot = 1) are not report clicks.
        clicks: q(
            "SELECT bank_id, partner_id, scene, product_id, campaign_id, created_at AS t FROM clicks \
                   WHERE ua_bot = 0",
        ),
        conversions: q(
            "SELECT bank_id, partner_id, scene, product_id, campaign_id, event, status, \
                        amount_minor, payout_minor, occurred_at AS t FROM conversions",
        ),
        ledger: q("SELECT l.bank_id, l.partner_id, ifnull(c.scene, '') AS scene, \
                    ifnull(c.product_id, '') AS product_id, l.campaign_id, l.kind, l.amount_minor, \
                    l.created_at AS t \
             FROM ledger l LEFT JOIN conversions c ON c.id = l.conversion_id"),
        campaigns: q("SELECT bank_id, partner_id FROM campaigns"),
    }
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_string()
}

fn int(v: &Value, field: &str) -> i64 {
    v[field].as_i64().unwrap_or_else(|| panic!("{field} in {v}"))
}

fn row(rows: &mut BTreeMap<String, ReportRow>, group: String) -> &mut ReportRow {
    rows.entry(group.clone()).or_insert_with(|| ReportRow {
        group,
        ..Default::default()
    })
}

/// A report computed from the raw rows by the rules reports have always had: the funnel is the
/// partner's own, or that of the bank's campaign partners; clicks and conversions the partner's
/// own, or the bank's own; a group is there when anything happened in it.
fn recount(
    raw: &Raw,
    who: Who,
    partner: Option<&str>,
    group_by: &str,
    zone: &Zone,
    range: (i64, i64),
    payout_date: &str,
) -> ReportResponse {
    let by_ledger = payout_date == "ledger";
    let narrowed = |p: &str| partner.is_none_or(|f| f == p);
    let funnel_seen = |p: &str| {
        narrowed(p)
            && match who {
                Who::Partner(me) => p == me,
                Who::Bank(b) => raw
                    .campaigns
                    .iter()
                    .any(|c| text(c, "bank_id") == b && text(c, "partner_id") == p),
            }
    };
    let ledger_seen = |v: &Value| {
        narrowed(&text(v, "partner_id"))
            && match who {
                Who::Partner(me) => text(v, "partner_id") == me,
                Who::Bank(b) => text(v, "bank_id") == b,
            }
    };
    let in_range = |v: &Value| (range.0..range.1).contains(&int(v, "t"));
    let group = |v: &Value, funnel: bool| match group_by {
        "day" => zone.day_of(int(v, "t")),
        "scene" => text(v, "scene"),
        "partner" => text(v, "partner_id"),
        _ if funnel => String::new(),
        "product" => text(v, "product_id"),
        _ => text(v, "campaign_id"),
    };

    let mut rows = BTreeMap::new();
    let mut opened = 0;
    let mut answered: BTreeMap<String, u64> = BTreeMap::new();
    for e in raw
        .funnel
        .iter()
        .filter(|e| funnel_seen(&text(e, "partner_id")) && in_range(e))
    {
        match text(e, "kind").as_str() {
            "impression" => row(&mut rows, group(e, true)).impressions += 1,
            "open" => {
                row(&mut rows, group(e, true)).chats_opened += 1;
                opened += 1;
            }
            "recommendation" => row(&mut rows, group(e, true)).recommendations_shown += 1,
            "answer" => *answered.entry(text(e, "question")).or_default() += 1,
            _ => {}
        }
    }
    for l in raw
        .leads
        .iter()
        .filter(|l| funnel_seen(&text(l, "partner_id")) && in_range(l))
    {
        row(&mut rows, group(l, true)).qualified_leads += 1;
    }
    for k in raw.clicks.iter().filter(|k| ledger_seen(k) && in_range(k)) {
        row(&mut rows, group(k, false)).clicks += 1;
    }
    for c in raw.conversions.iter().filter(|c| ledger_seen(c) && in_range(c)) {
        let r = row(&mut rows, group(c, false));
        let status = text(c, "status");
        // Rejected and reversed conversions leave conversions and their value.
        if status != "rejected" && status != "reversed" {
            r.conversions += 1;
            r.conversion_value_minor += int(c, "amount_minor");
            *r.conversions_by_event.entry(text(c, "event")).or_default() += 1;
        }
        let payout = if by_ledger { 0 } else { int(c, "payout_minor") };
        match status.as_str() {
            "pending" => r.payout_pending_minor += payout,
            "approved" => r.payout_approved_minor += payout,
            "held" => r.payout_held_minor += payout,
            "reversed" => r.payout_reversed_minor += payout,
            _ => {}
        }
    }
    // By ledger date: each entry on the day it was written, its amount under its kind.
    for l in raw.ledger.iter().filter(|l| by_ledger && ledger_seen(l) && in_range(l)) {
        let r = row(&mut rows, group(l, false));
        let amount = int(l, "amount_minor").abs();
        match text(l, "kind").as_str() {
            "accrual" => r.payout_accrued_minor += amount,
            "release" => r.payout_released_minor += amount,
            "void" => r.payout_voided_minor += amount,
            "clawback" => r.payout_clawed_back_minor += amount,
            kind => panic!("an entry of kind {kind}"),
        }
    }
    let questions = questionnaire::script(Scene::Education)
        .iter()
        .map(|q| QuestionReached {
            question: q.id.into(),
            answered: answered.get(q.id).copied().unwrap_or(0),
        })
        .collect();
    ReportResponse {
        rows: rows.into_values().collect(),
        drop_off: DropOff { opened, questions },
        ..Default::default()
    }
}

const DAY: i64 = 86_400;

/// Today's UTC midnight.
fn today() -> i64 {
    now().div_euclid(DAY) * DAY
}

/// 22:00 UTC four days back: a report's first day, in every zone here. In Asia/Shanghai and
/// Asia/Kolkata that day starts at 16:00 and 18:30 UTC the day before, so the time is in a
/// partial UTC day at the range's start.
fn early() -> i64 {
    today() - 3 * DAY - 2 * 3600
}

/// 02:00 UTC tomorrow: a report's last day, which in Asia/Shanghai and Asia/Kolkata ends at 16:00
/// and 18:30 UTC tomorrow, so the time is in a partial UTC day at the range's end.
fn late() -> i64 {
    today() + DAY + 2 * 3600
}

/// A report's range in `zone`: from the local day of [`early`] to that of [`late`], ending
/// where the day after `to` starts.
fn range(zone: &Zone) -> (String, String, (i64, i64)) {
    let (from, to) = (zone.day_of(early()), zone.day_of(late()));
    let start = zone.day_start(&from).expect("from");
    let after = inflow_core::report::zone::next_day(&to).expect("a day after to");
    let end = zone.day_start(&after).expect("the day after to");
    (from, to, (start, end))
}

/// Every report a key may ask for, over [`range`], against the recount.
fn check_all(w: &Worker, raw: &Raw, key: &str, who: Who) -> usize {
    let mut checked = 0;
    let partners: &[Option<&str>] = match who {
        Who::Partner(_) => &[None],
        Who::Bank(_) => &[None, Some("edu-demo"), Some("game-demo")],
    };
    let groupings: &[&str] = match who {
        Who::Partner(_) => &["day", "scene", "product", "campaign"],
        Who::Bank(_) => &["day", "scene", "product", "campaign", "partner"],
    };
    for tz in ["Asia/Shanghai", "Asia/Kolkata", "UTC", "America/New_York"] {
        let zone = Zone::parse(tz).expect("zone");
        let (from, to, range) = range(&zone);
        for &partner in partners {
            if let (Who::Bank(bank), Some(p)) = (who, partner) {
                let member = raw
                    .campaigns
                    .iter()
                    .any(|c| text(c, "bank_id") == bank && text(c, "partner_id") == p);
                if !member {
                    continue;
                }
            }
            for (&g, pay) in groupings.iter().flat_map(|g| [(g, "conversion"), (g, "ledger")]) {
                let narrowed = partner.map(|p| format!("&partner={p}")).unwrap_or_default();
                let query = format!("from={from}&to={to}&tz={tz}&group_by={g}{narrowed}&payout_date={pay}");
                let answer = request(
                    agent()
                        .get(&w.url(&format!("/v1/reports?{query}")))
                        .set("authorization", &format!("Bearer {key}")),
                    None,
                );
                assert_eq!(answer.status, 200, "{key} {query}: {:?}", answer.body);
                let got: ReportResponse = serde_json::from_value(answer.body).expect("a report");
                let want = recount(raw, who, partner, g, &zone, range, pay);
                assert_eq!(got.rows, want.rows, "{key} {query}");
                assert_eq!(got.drop_off, want.drop_off, "{key} {query}");
                checked += 1;
            }
        }
    }
    checked
}

const KEYS: [(&str, Who); 4] = [
    ("rk_edu-demo_local", Who::Partner("edu-demo")),
    ("rk_game-demo_local", Who::Partner("game-demo")),
    ("rk_bank_demo_local", Who::Bank("demo-bank")),
    ("rk_bank_harbor_local", Who::Bank("harbor-bank")),
];

fn events(w: &Worker, partner: &str, scene: &str, session: &str, events: &[(&str, Option<&str>)]) {
    let events: Vec<Value> = events
        .iter()
        .map(|(kind, question)| match question {
            Some(q) => serde_json::json!({ "kind": kind, "question": q }),
            None => serde_json::json!({ "kind": kind }),
        })
        .collect();
    let batch = serde_json::json!({ "partner": partner, "scene": scene, "session": session, "events": events });
    let stored = request(
        agent().post(&w.url("/v1/events")).set("content-type", "text/plain"),
        Some(&batch.to_string()),
    );
    assert_eq!(stored.status, 202, "{:?}", stored.body);
}

/// Clicks the lead's first `n` recommendations and dates the clicks an hour back, so a
/// conversion now is not "too fast"; returns the click ids.
fn clicks(w: &Worker, lead: &Value, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n)
        .map(|i| {
            let url = lead["recommendations"][i]["url"].as_str().expect("a click-out url");
            click_id(&click(url, BROWSER))
        })
        .collect();
    let list = ids.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(", ");
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id IN ({list})"
    ))
    .expect("age clicks");
    ids
}

/// The click-out URLs of a new edu-demo lead.
fn edu_lead_urls(w: &Worker) -> Vec<String> {
    lead(w, "edu-demo", "education")["recommendations"]
        .as_array()
        .expect("recommendations")
        .iter()
        .map(|r| r["url"].as_str().expect("a click-out url").to_string())
        .collect()
}

fn convert(w: &Worker, click: &str, event: &str, external_id: &str, amount: i64) -> Value {
    let posted = DEMO_BANK.post(
        w,
        "/v1/conversions",
        &conversion(click, event, external_id, amount, now()),
    );
    assert_eq!(posted.status, 201, "{:?}", posted.body);
    posted.body
}

/// Writes the mix once per test binary and answers the raw tables after it.
fn scenario(w: &Worker) -> &'static Raw {
    static RAW: OnceLock<Result<Raw, String>> = OnceLock::new();
    once(&RAW, || write_mix(w))
}

/// The mix of writes the module comment lists, then the raw tables.
fn write_mix(w: &Worker) -> Raw {
    // The funnel: one chat answering every question, one stopping after two, one never opened.
    let mut full: Vec<(&str, Option<&str>)> = vec![("impression", None), ("open", None)];
    full.extend(questionnaire::ALL.iter().map(|q| ("answer", Some(q.id))));
    full.extend([("recommendation", None), ("lead", None), ("click", None)]);
    events(w, "edu-demo", "education", "s-rollup-edu-1", &full);
    let short = [
        ("impression", None),
        ("open", None),
        ("answer", Some("age")),
        ("answer", Some("amount")),
    ];
    events(w, "game-demo", "gaming", "s-rollup-game-1", &short);
    events(
        w,
        "health-demo",
        "telehealth",
        "s-rollup-health-1",
        &[("impression", None)],
    );

    // Leads and clicks; Game's campaign gets an approval period, so its conversions wait.
    w.d1("UPDATE campaigns SET approval_days = 7 WHERE id = 'cmp-game-demo'")
        .expect("approval period");
    let edu = clicks(w, &lead(w, "edu-demo", "education"), 2);
    let edu_more = clicks(w, &lead(w, "edu-demo", "education"), 1);
    let game = clicks(w, &lead(w, "game-demo", "gaming"), 1);
    // Machines' clicks: a link preview and an HTTP library are recorded (ua_bot) but not
    // counted; a person's click later found to be a machine's leaves the counts, and one
    // wrongly flagged comes back.
    let urls = edu_lead_urls(w);
    let bots: Vec<String> = ["facebookexternalhit/1.1", "curl/8.5.0", "WhatsApp/2.23.20.0"]
        .iter()
        .enumerate()
        .map(|(i, ua)| click_id(&click(&urls[i % urls.len()], ua)))
        .collect();
    w.d1(&format!("UPDATE clicks SET ua_bot = 1 WHERE id = '{}'", edu_more[0]))
        .expect("reclassify a click as a machine's");
    w.d1(&format!("UPDATE clicks SET ua_bot = 0 WHERE id = '{}'", bots[2]))
        .expect("reclassify a click as a person's");
    let flagged = w
        .d1(&format!(
            "SELECT COUNT(*) AS n FROM clicks WHERE ua_bot = 1 AND id IN ('{}', '{}')",
            bots[0], bots[1]
        ))
        .expect("D1");
    assert_eq!(flagged[0]["n"], 2, "the edge flags machines' clicks");
    let health_lead = lead(w, "health-demo", "telehealth");
    let fast = click_id(&click(
        health_lead["recommendations"][0]["url"].as_str().expect("url"),
        BROWSER,
    ));

    // Conversions: approved, approved then reversed, pending then approved by the cron trigger,
    // held (too fast after its click), rejected (an event the campaign does not pay).
    let funded = convert(w, &edu[0], "funded", "RR-1", 250_000);
    assert_eq!(funded["status"], "approved");
    let opened = convert(w, &edu[1], "account_opened", "RR-2", 0);
    let pending = convert(w, &game[0], "account_opened", "RR-3", 0);
    assert_eq!(pending["status"], "pending");
    let held = convert(w, &fast, "lead_qualified", "RR-4", 0);
    assert_eq!(held["status"], "held");
    let rejected = convert(w, &edu_more[0], "newsletter_signup", "RR-5", 0);
    assert_eq!(rejected["status"], "rejected");
    convert(w, &edu_more[0], "lead_qualified", "RR-6", 0);
    let id = |c: &Value| c["id"].as_str().expect("conversion id").to_string();
    let reversal = DEMO_BANK.post(w, &format!("/v1/conversions/{}/reversal", id(&opened)), "");
    assert!(reversal.status < 300, "{:?}", reversal.body);
    w.d1(&format!(
        "UPDATE conversions SET approve_at = approve_at - 8 * 86400 WHERE id = '{}'",
        id(&pending)
    ))
    .expect("due");
    let cron = request(agent().get(&w.url("/__scheduled?cron=*/15+*+*+*+*")), None);
    assert_eq!(cron.status, 200);

    // Straight in D1: a correction that moves a conversion to yesterday with a new amount, a
    // deleted conversion, a lead and a funnel event moved to yesterday, a deleted event; clicks,
    // conversions, a lead and funnel events moved to the edges of the reports' range and two
    // days back.
    let iso = |t: i64| format!("strftime('%Y-%m-%dT%H:%M:%fZ', {t}, 'unixepoch')");
    let (early, late, older) = (early(), late(), today() - 2 * DAY + 12 * 3600);
    let (opened_id, held_id, pending_id) = (id(&opened), id(&held), id(&pending));
    for sql in [
        format!(
            "UPDATE conversions SET occurred_at = occurred_at - 86400, amount_minor = 260000 WHERE id = '{}'",
            id(&funded)
        ),
        format!("DELETE FROM conversions WHERE id = '{}'", id(&rejected)),
        "UPDATE leads SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '-1 day') \
         WHERE id = (SELECT MIN(id) FROM leads)"
            .into(),
        "UPDATE funnel_events SET received_at = strftime('%Y-%m-%dT%H:%M:%fZ', received_at, '-1 day') \
         WHERE kind = 'open' AND partner_id = 'game-demo'"
            .into(),
        "DELETE FROM funnel_events WHERE kind = 'impression' AND partner_id = 'health-demo'".into(),
        format!("UPDATE clicks SET created_at = {early} WHERE id = '{}'", edu[1]),
        format!("UPDATE clicks SET created_at = {late} WHERE id = '{}'", game[0]),
        format!("UPDATE clicks SET created_at = {older} WHERE id = '{}'", edu_more[0]),
        format!("UPDATE conversions SET occurred_at = {early} WHERE id = '{opened_id}'"),
        format!("UPDATE conversions SET occurred_at = {late} WHERE id = '{held_id}'"),
        format!("UPDATE conversions SET occurred_at = {older} WHERE id = '{pending_id}'"),
        format!(
            "UPDATE leads SET created_at = {} WHERE id = (SELECT MAX(id) FROM leads)",
            iso(early)
        ),
        format!(
            "UPDATE funnel_events SET received_at = {} \
             WHERE partner_id = 'edu-demo' AND kind = 'answer' AND question IN ('goal', 'region')",
            iso(early)
        ),
        format!(
            "UPDATE funnel_events SET received_at = {} \
             WHERE partner_id = 'edu-demo' AND kind IN ('recommendation', 'open')",
            iso(late)
        ),
        format!(
            "UPDATE funnel_events SET received_at = {} \
             WHERE partner_id = 'game-demo' AND kind = 'impression'",
            iso(older)
        ),
    ] {
        w.d1(&sql).expect("direct write");
    }

    snapshot(w)
}

/// The key's reports against the recount; answers how many were checked.
fn check_key(w: &Shared, (key, who): (&str, Who)) {
    let raw = scenario(w);
    let checked = check_all(w, raw, key, who);
    // 4 zones × 4 groupings for a partner; × 5 groupings × each partner narrowed to for a bank.
    assert!(checked >= 16, "{checked} reports checked for {key}");
}

#[test]
fn the_mix_has_every_status_and_rows_in_whole_and_partial_utc_days() {
    let w = shared();
    let raw = scenario(&w);
    let statuses: Vec<String> = raw.conversions.iter().map(|c| text(c, "status")).collect();
    for s in ["approved", "held", "reversed"] {
        assert!(statuses.iter().any(|x| x == s), "a {s} conversion in {statuses:?}");
    }
    assert!(
        !statuses.iter().any(|s| s == "pending"),
        "the cron approved it: {statuses:?}"
    );
    // In Asia/Shanghai, reports by scene, product, campaign or partner read rows of whole UTC
    // days and of partial ones at both edges.
    let (_, _, (start, end)) = range(&Zone::parse("Asia/Shanghai").expect("zone"));
    let (d0, d1) = ((start + DAY - 1).div_euclid(DAY) * DAY, end.div_euclid(DAY) * DAY);
    let times: Vec<i64> = [&raw.funnel, &raw.leads, &raw.clicks, &raw.conversions]
        .into_iter()
        .flatten()
        .map(|v| int(v, "t"))
        .collect();
    for (a, b) in [(start, d0), (d0, d1), (d1, end)] {
        assert!(a < b && times.iter().any(|t| (a..b).contains(t)), "rows in [{a}, {b})");
    }
    let every_question = recount(
        raw,
        Who::Partner("edu-demo"),
        None,
        "day",
        &Zone::parse("UTC").expect("zone"),
        (0, i64::MAX),
        "conversion",
    );
    assert!(
        every_question.drop_off.questions.iter().all(|q| q.answered > 0),
        "the test answers every question: {:?}",
        every_question.drop_off
    );
}

#[test]
fn the_education_partners_reports_equal_the_recount() {
    check_key(&shared(), KEYS[0]);
}

#[test]
fn the_gaming_partners_reports_equal_the_recount() {
    check_key(&shared(), KEYS[1]);
}

#[test]
fn demo_banks_reports_equal_the_recount() {
    check_key(&shared(), KEYS[2]);
}

#[test]
fn harbor_banks_reports_equal_the_recount() {
    check_key(&shared(), KEYS[3]);
}

/// Harbor Bank starts a campaign with the gaming partner: its funnel, past included, is in
/// Harbor's reports at once; when the campaign goes, it leaves.
#[test]
fn a_new_campaign_brings_its_partners_funnel_to_the_bank_at_once_and_takes_it_when_it_goes() {
    // Alone: the other tests' recounts read the campaigns this one changes.
    let w = alone();
    scenario(&w);
    let harbor = KEYS[3];
    w.d1("INSERT INTO campaigns (id, bank_id, partner_id, scenes, products) \
         VALUES ('cmp-harbor-game', 'harbor-bank', 'game-demo', '[\"gaming\"]', '[\"harbor-td-6m\"]')")
        .expect("campaign");
    let raw = snapshot(&w);
    let mut checked = check_all(&w, &raw, harbor.0, harbor.1);
    let with_game = recount(
        &raw,
        harbor.1,
        Some("game-demo"),
        "day",
        &Zone::parse("UTC").expect("zone"),
        (0, i64::MAX),
        "conversion",
    );
    assert!(with_game.drop_off.opened > 0, "Harbor sees the gaming partner's chats");
    w.d1("DELETE FROM campaigns WHERE id = 'cmp-harbor-game'")
        .expect("campaign ends");
    let raw = snapshot(&w);
    checked += check_all(&w, &raw, harbor.0, harbor.1);
    assert!(checked > 16, "{checked} reports checked");
}
