//! Machines' clicks against `wrangler dev`: a click-out fetched by a link-preview crawler, a
//! monitor, an HTTP library or a headless browser still gets its 302, but is recorded as not
//! billable (`clicks.ua_bot`), is not a report click, and a conversion quoting it is `held`
//! `known_bot`; people in in-app browsers (WeChat, Weibo, Douyin, Alipay) count. `HEAD /c/{token}`
//! redirects and records nothing.
//!
//! The tests share one Worker; each counts the clicks of its own lead, and a test that reads
//! report totals has the Worker to itself (`worker::alone`).

use inflow_tests::bank::{agent, click, click_id, conversion, lead, now, request, DEMO_BANK};
use inflow_tests::worker::{alone, shared};
use inflow_tests::Worker;
use serde_json::Value;

/// (who, user agent, a machine?)
const AGENTS: [(&str, &str, bool); 16] = [
    ("facebook preview", "facebookexternalhit/1.1", true),
    ("whatsapp preview", "WhatsApp/2.23.20.0", true),
    ("slack preview", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", true),
    ("x preview", "Twitterbot/1.0", true),
    ("linkedin preview", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", true),
    ("telegram preview", "TelegramBot (like TwitterBot)", true),
    ("monitor", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", true),
    ("curl", "curl/8.5.0", true),
    ("python", "python-requests/2.31.0", true),
    ("go", "Go-http-client/1.1", true),
    ("headless chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36", true),
    ("wechat", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN", false),
    ("weibo", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone14,2__weibo__13.7.1__iphone__os16.5)", false),
    ("douyin", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 aweme_27.0.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/zh-Hans Region/CN AppTheme/light BytedanceWebview/d8a21c6 WKWebView/1", false),
    ("alipay", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN NebulaX/1.0.0", false),
    ("chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", false),
];

fn scalar(w: &Worker, sql: &str) -> i64 {
    w.d1(sql).expect("D1")[0]
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn report_clicks(w: &Worker, key: &str) -> i64 {
    let today = inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(now());
    let answer = request(
        agent()
            .get(&w.url(&format!("/v1/reports?from={today}&to={today}&group_by=scene")))
            .set("authorization", &format!("Bearer {key}")),
        None,
    );
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["clicks"].as_i64().unwrap_or(0))
        .sum()
}

/// Follows a new edu-demo lead's first click-out once as each of `AGENTS`; answers the lead id
/// and (who, click id, a machine?) for each.
fn click_as_everyone(w: &Worker) -> (String, Vec<(&'static str, String, bool)>) {
    let l = lead(w, "edu-demo", "education");
    let url = l["recommendations"][0]["url"].as_str().expect("a click-out url");
    let ids = AGENTS
        .iter()
        .map(|&(who, ua, machine)| {
            let a = click(url, ua);
            assert_eq!(a.status, 302, "{who} still gets its redirect: {a:?}");
            (who, click_id(&a), machine)
        })
        .collect();
    (l["lead_id"].as_str().expect("lead id").to_string(), ids)
}

fn people() -> i64 {
    AGENTS.iter().filter(|a| !a.2).count() as i64
}

#[test]
fn every_click_gets_its_redirect_and_is_recorded_with_machines_flagged() {
    let w = shared();
    let (lead_id, ids) = click_as_everyone(&w);
    for (who, id, machine) in &ids {
        let flagged = scalar(&w, &format!("SELECT ua_bot FROM clicks WHERE id = '{id}'"));
        let ua = AGENTS.iter().find(|a| a.0 == *who).map_or("", |a| a.1);
        assert_eq!(flagged, i64::from(*machine), "{who}: {ua}");
    }
    assert_eq!(
        scalar(&w, &format!("SELECT COUNT(*) FROM clicks WHERE lead_id = '{lead_id}'")),
        AGENTS.len() as i64,
        "every click is recorded"
    );
}

#[test]
fn only_peoples_clicks_are_report_clicks_for_the_partner_and_the_bank() {
    let w = alone();
    let (partner, bank) = (
        report_clicks(&w, "rk_edu-demo_local"),
        report_clicks(&w, "rk_bank_demo_local"),
    );
    click_as_everyone(&w);
    assert_eq!(
        report_clicks(&w, "rk_edu-demo_local"),
        partner + people(),
        "only people's clicks are report clicks"
    );
    assert_eq!(
        report_clicks(&w, "rk_bank_demo_local"),
        bank + people(),
        "in the bank's report too"
    );
}

#[test]
fn a_conversion_quoting_a_machines_click_is_held_and_one_quoting_a_person_in_wechat_is_paid() {
    let w = alone();
    let (_, ids) = click_as_everyone(&w);
    let pick = |who: &str| {
        ids.iter()
            .find(|(w, _, _)| *w == who)
            .map(|(_, id, _)| id.clone())
            .expect(who)
    };
    let (bot, wechat) = (pick("whatsapp preview"), pick("wechat"));
    // Both clicks are dated an hour back so neither is "too fast".
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id IN ('{bot}', '{wechat}')"
    ))
    .expect("age");
    let clicks = report_clicks(&w, "rk_edu-demo_local");
    let held = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&bot, "funded", "BOT-1", 100_000, now()),
    );
    assert_eq!(held.status, 201, "{:?}", held.body);
    assert_eq!(
        (held.body["status"].as_str(), held.body["reason"].as_str()),
        (Some("held"), Some("known_bot"))
    );
    let paid = DEMO_BANK.post(
        &w,
        "/v1/conversions",
        &conversion(&wechat, "funded", "BOT-2", 100_000, now()),
    );
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    assert_eq!(paid.body["status"], "approved", "{:?}", paid.body);
    assert_eq!(
        report_clicks(&w, "rk_edu-demo_local"),
        clicks,
        "clicks unchanged by conversions"
    );
}

/// HEAD verifies the token and redirects to the bank's page, without a click id, and records
/// nothing; a bad token is refused as on GET.
#[test]
fn head_redirects_and_records_nothing() {
    // Alone: it counts every click, so that a forged token's would count too.
    let w = alone();
    let l = lead(&w, "edu-demo", "education");
    let before = scalar(&w, "SELECT COUNT(*) FROM clicks");
    let clicks = || scalar(&w, "SELECT COUNT(*) FROM clicks") - before;
    let url = l["recommendations"][0]["url"].as_str().expect("a click-out url");
    let head = request(
        agent()
            .head(url)
            .set("user-agent", "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"),
        None,
    );
    assert_eq!(head.status, 302, "{head:?}");
    let location = head.location.expect("a location");
    assert!(
        location.starts_with("http") && !location.contains("inflow_click"),
        "{location}"
    );
    assert_eq!(clicks(), 0, "HEAD records no click");
    // The same link followed with GET goes to the same page, with a click id, and is recorded.
    let got = click(url, "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0");
    assert!(
        got.location.as_deref().is_some_and(|l| l.starts_with(&location)),
        "{got:?}"
    );
    assert_eq!(clicks(), 1);
    let forged = format!("{}x", url);
    let bad = request(agent().head(&forged), None);
    assert_eq!(bad.status, 400, "{bad:?}");
    assert_eq!(clicks(), 1);
}
