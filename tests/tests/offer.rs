//! Decisions from data (issue 13, items 4–5) against `wrangler dev`: the widget's configuration
//! for a partner's scene (`GET /v1/widget/{partner}/{scene}`), leads decided against the
//! products of every bank with an active campaign there — banks onboarded through the admin
//! API, each card naming its bank — a catalogue or campaign change served within the offer
//! cache's minute without a redeploy, and a lead where nothing is offered refused with nothing
//! stored.

use std::time::{Duration, Instant};

use inflow_core::lead::consent::{CONSENT_TEXT, CONSENT_VERSION};
use inflow_core::Lang;
use inflow_tests::bank::{agent, click, request, Answer};
use inflow_tests::problem;
use inflow_tests::worker::shared;
use inflow_tests::Worker;
use serde_json::{json, Value};

/// `ADMIN_KEY` in `.dev.vars.example`, which the harness passes to `wrangler dev`.
const OPERATOR: &str = "dev-admin-key-not-secret-0001";

/// The edge's offer cache (edge/src/offer.rs): a change is served within this many seconds.
const CACHE_SECS: u64 = 30;

/// A GET with its status, the headers a browser's cache and CORS read, and its JSON body.
struct Got {
    status: u16,
    cache_control: String,
    allow_origin: String,
    body: Value,
}

fn get(w: &Worker, path: &str) -> Got {
    let resp = match agent()
        .get(&w.url(path))
        .set("origin", "https://any-partner.example")
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error {e}"),
    };
    let header = |name: &str| resp.header(name).unwrap_or_default().to_string();
    Got {
        status: resp.status(),
        cache_control: header("cache-control"),
        allow_origin: header("access-control-allow-origin"),
        body: serde_json::from_str(&resp.into_string().unwrap_or_default()).unwrap_or(Value::Null),
    }
}

fn post_lead(w: &Worker, body: &Value) -> Answer {
    request(
        agent()
            .post(&w.url("/v1/leads"))
            .set("content-type", "application/json"),
        Some(&body.to_string()),
    )
}

/// A lead whose visitor wants cash at hand: liquid deposits suit and rank first.
fn lead_body(partner: &str, scene: &str, lang: &str, consent: Option<&str>) -> Value {
    let mut body = json!({
        "partner": partner, "scene": scene, "lang": lang,
        "answers": {
            "age": "30_44", "goal": "emergency", "horizon": "3_12m", "amount": "10k_50k",
            "liquidity": "anytime", "region": "south", "assets": "lt_500k", "experience": "stocks",
            "knowledge": "expert", "income": "growing", "objective": "aggressive",
            "max_loss": "over_30", "loss": "buy_more"
        }
    });
    if let Some(version) = consent {
        body["consent"] = json!({"version": version, "accepted_at": "2026-11-30T01:02:03Z"});
    }
    body
}

fn leads_of(w: &Worker, partner: &str, scene: &str) -> i64 {
    w.d1(&format!(
        "SELECT COUNT(*) AS n FROM leads WHERE partner_id = '{partner}' AND scene = '{scene}'"
    ))
    .expect("D1")[0]["n"]
        .as_i64()
        .expect("count")
}

/// A demand deposit of `bank` named `id` (the same id at two banks is two products).
fn demand(bank: &str, id: &str, yield_bps: u32, priority: u8) -> Value {
    json!({
        "id": id,
        "name": {"zh-Hans": format!("{bank}活期"), "zh-Hant": format!("{bank}活期"), "en": format!("{bank} demand")},
        "kind": "demand_deposit", "risk": 1, "min_amount_cny": 0, "term_months": 0,
        "early_redemption": true, "yield_bps": yield_bps, "qualified_only": false, "regions": [],
        "priority": priority, "url": format!("https://{bank}.example/{id}")
    })
}

/// A tenant file (the admin API's JSON) for bank `id`, named in each language after it.
fn tenant(id: &str, products: Vec<Value>, partners: Vec<Value>, campaigns: Vec<Value>) -> Value {
    let (zh_hans, zh_hant, en) = (format!("{id}银行"), format!("{id}銀行"), format!("{id} Bank"));
    json!({
        "bank": {
            "id": id,
            "name": {"zh-Hans": zh_hans, "zh-Hant": zh_hant, "en": en},
            "brand_color": "#123456",
            "currency": "CNY",
            "consent": {
                "version": format!("{id}-v1"),
                "zh-Hans": format!("我同意{zh_hans}联系我。"),
                "zh-Hant": format!("我同意{zh_hant}聯繫我。"),
                "en": format!("I agree that {en} may contact me."),
            }
        },
        "products": products,
        "partners": partners,
        "campaigns": campaigns,
    })
}

fn campaign(id: &str, partner: &str, status: &str) -> Value {
    json!({
        "id": id, "partner": partner, "scenes": ["education"], "products": ["*"],
        "window_days": 30, "approval_days": 0, "status": status,
        "commissions": [{"event": "account_opened", "flat_minor": 1000}]
    })
}

fn apply(w: &Worker, file: &Value) {
    let a = request(
        agent()
            .post(&w.url("/v1/admin/tenants"))
            .set("authorization", &format!("Bearer {OPERATOR}"))
            .set("content-type", "application/json"),
        Some(&file.to_string()),
    );
    assert!(a.status == 200 || a.status == 201, "apply: {} {:?}", a.status, a.body);
}

#[test]
fn the_widget_config_is_the_offers_banks_colour_and_consent_public_and_cacheable() {
    let w = shared();
    let got = get(&w, "/v1/widget/edu-demo/education");
    assert_eq!(got.status, 200, "{:?}", got.body);
    assert_eq!(got.cache_control, "public, max-age=30");
    assert_eq!(got.allow_origin, "*");
    let c = &got.body;
    assert_eq!(
        (c["partner"].as_str(), c["scene"].as_str()),
        (Some("edu-demo"), Some("education"))
    );
    assert_eq!(c["brand_color"], "#0b6e4f");
    // Harbor Bank's campaign there offers nothing (its bank predates tenants as data).
    let banks: Vec<&str> = c["banks"]
        .as_array()
        .expect("banks")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert_eq!(banks, ["demo-bank"]);
    assert_eq!(c["banks"][0]["name"]["zh-Hant"], "示範銀行");
    assert_eq!(c["consent"]["version"], CONSENT_VERSION);
    for lang in Lang::ALL {
        assert_eq!(c["consent"]["text"][lang.tag()], CONSENT_TEXT.get(lang), "{lang:?}");
    }
    // Each demo page's partner and scene is configured.
    for (partner, scene) in [("game-demo", "gaming"), ("health-demo", "telehealth")] {
        assert_eq!(
            get(&w, &format!("/v1/widget/{partner}/{scene}")).status,
            200,
            "{partner}"
        );
    }
    // Nothing offered: a scene without a campaign, an unknown partner, a non-id. Readable by
    // the loader on any page, and not cached by the browser.
    for path in [
        "/v1/widget/edu-demo/gaming",
        "/v1/widget/no-such-partner/education",
        "/v1/widget/NOT%20AN%20ID/education",
    ] {
        let got = get(&w, path);
        assert_eq!(
            (got.status, got.body["code"].as_str()),
            (404, Some("no_campaign")),
            "{path}"
        );
        assert_eq!(got.allow_origin, "*", "{path}");
        assert_eq!(got.cache_control, "no-store", "{path}");
    }
    let bad = get(&w, "/v1/widget/edu-demo/casino");
    assert_eq!((bad.status, bad.body["code"].as_str()), (400, Some("invalid_field")));
    let post = request(agent().post(&w.url("/v1/widget/edu-demo/education")), Some("{}"));
    problem::assert(&post, 405, "method_not_allowed");
}

#[test]
fn a_lead_is_decided_against_every_banks_products_and_each_card_names_its_bank() {
    let w = shared();
    let partner = "offer-two-banks";
    // Two banks onboarded through the admin API, both paying the partner in education; each
    // sells a demand deposit under the same id.
    apply(
        &w,
        &tenant(
            "offer-amber",
            vec![demand("offer-amber", "demand", 150, 100)],
            vec![json!({"id": partner, "name": "Two banks school", "origins": []})],
            vec![campaign("offer-amber-cmp", partner, "active")],
        ),
    );
    apply(
        &w,
        &tenant(
            "offer-birch",
            vec![demand("offer-birch", "demand", 120, 90)],
            vec![],
            vec![campaign("offer-birch-cmp", partner, "active")],
        ),
    );
    let config = get(&w, &format!("/v1/widget/{partner}/education")).body;
    let banks: Vec<&str> = config["banks"]
        .as_array()
        .expect("banks")
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert_eq!(banks, ["offer-amber", "offer-birch"]);
    assert_eq!(config["brand_color"], "#123456");
    let version = config["consent"]["version"].as_str().expect("version");
    assert_eq!(version, "offer-amber-v1+offer-birch-v1");
    let en = config["consent"]["text"]["en"].as_str().expect("text");
    assert!(
        en.contains("offer-amber Bank") && en.contains("offer-birch Bank"),
        "{en}"
    );

    let before = leads_of(&w, partner, "education");
    // One bank's consent is not the offer's: the text agreed to is not the one on file now
    // (its own code, so the widget stops resending it).
    let partial = post_lead(&w, &lead_body(partner, "education", "en", Some("offer-amber-v1")));
    problem::assert(&partial, 409, "consent_outdated");
    assert_eq!(
        leads_of(&w, partner, "education"),
        before,
        "a refused lead stores nothing"
    );

    let a = post_lead(&w, &lead_body(partner, "education", "zh-Hant", Some(version)));
    assert_eq!(a.status, 201, "{:?}", a.body);
    let cards = a.body["recommendations"].as_array().expect("cards");
    let named: Vec<(&str, &str, &str)> = cards
        .iter()
        .map(|c| {
            (
                c["bank_id"].as_str().unwrap_or_default(),
                c["bank_name"].as_str().unwrap_or_default(),
                c["product_id"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // Ranked across banks (Amber's deposit pays more and is pushed harder), named in the
    // lead's language.
    assert_eq!(
        named,
        [
            ("offer-amber", "offer-amber銀行", "demand"),
            ("offer-birch", "offer-birch銀行", "demand")
        ]
    );
    // Each card's click-out is paid by its own bank's campaign and lands on its bank's page.
    for (card, bank) in cards.iter().zip(["offer-amber", "offer-birch"]) {
        let landed = click(card["url"].as_str().expect("url"), "Mozilla/5.0 (offer test)");
        let location = landed.location.unwrap_or_default();
        assert!(
            location.starts_with(&format!("https://{bank}.example/demand")),
            "{location}"
        );
    }
    assert_eq!(leads_of(&w, partner, "education"), before + 1);
}

#[test]
fn a_catalogue_or_campaign_change_is_served_within_the_cache_minute() {
    let w = shared();
    let (kept, paused) = ("offer-change-kept", "offer-change-paused");
    let file = |yield_bps: u32, status: &str| {
        tenant(
            "offer-cedar",
            vec![demand("offer-cedar", "cedar-demand", yield_bps, 80)],
            vec![
                json!({"id": kept, "name": "Kept school", "origins": []}),
                json!({"id": paused, "name": "Paused school", "origins": []}),
            ],
            vec![
                campaign("offer-cedar-kept", kept, "active"),
                campaign("offer-cedar-paused", paused, status),
            ],
        )
    };
    apply(&w, &file(100, "active"));
    let yield_of = |a: &Answer| a.body["recommendations"][0]["yield_bps"].as_u64();
    // Served, and now cached by the isolate.
    assert_eq!(
        yield_of(&post_lead(&w, &lead_body(kept, "education", "en", None))),
        Some(100)
    );
    assert_eq!(post_lead(&w, &lead_body(paused, "education", "en", None)).status, 201);

    let changed_at = Instant::now();
    apply(&w, &file(250, "paused"));
    // A warm lead reads no catalogue: right after the change it is still the cached one.
    assert_eq!(
        yield_of(&post_lead(&w, &lead_body(kept, "education", "en", None))),
        Some(100)
    );
    let (mut new_yield, mut no_campaign) = (None, None);
    while changed_at.elapsed() < Duration::from_secs(CACHE_SECS + 15) && (new_yield.is_none() || no_campaign.is_none())
    {
        std::thread::sleep(Duration::from_secs(2));
        if new_yield.is_none() && yield_of(&post_lead(&w, &lead_body(kept, "education", "en", None))) == Some(250) {
            new_yield = Some(changed_at.elapsed());
        }
        if no_campaign.is_none() {
            let a = post_lead(&w, &lead_body(paused, "education", "en", None));
            if a.status == 404 {
                problem::assert(&a, 404, "no_campaign");
                assert_eq!(get(&w, &format!("/v1/widget/{paused}/education")).status, 404);
                no_campaign = Some(changed_at.elapsed());
            } else {
                assert_eq!(a.status, 201, "{:?}", a.body);
            }
        }
    }
    // Within the minute, plus the time a lead takes under a loaded machine.
    let limit = Duration::from_secs(CACHE_SECS + 5);
    assert!(
        new_yield.is_some_and(|t| t <= limit),
        "new yield served after {new_yield:?}"
    );
    assert!(
        no_campaign.is_some_and(|t| t <= limit),
        "paused campaign refused after {no_campaign:?}"
    );
    // Once refused, a lead there stores nothing.
    let stored = leads_of(&w, paused, "education");
    let refused = post_lead(&w, &lead_body(paused, "education", "en", None));
    problem::assert(&refused, 404, "no_campaign");
    assert_eq!(leads_of(&w, paused, "education"), stored);
}

#[test]
fn a_lead_where_nothing_is_offered_is_no_campaign_and_stores_nothing() {
    let w = shared();
    let before = leads_of(&w, "edu-demo", "gaming");
    let a = post_lead(&w, &lead_body("edu-demo", "gaming", "en", None));
    problem::assert(&a, 404, "no_campaign");
    assert!(
        a.content_type.starts_with("application/problem+json"),
        "{}",
        a.content_type
    );
    assert_eq!(leads_of(&w, "edu-demo", "gaming"), before);
    // The demo partners' own scenes are offered, with Demo Bank's consent.
    for (partner, scene) in [
        ("edu-demo", "education"),
        ("game-demo", "gaming"),
        ("health-demo", "telehealth"),
    ] {
        let a = post_lead(&w, &lead_body(partner, scene, "en", Some(CONSENT_VERSION)));
        assert_eq!(a.status, 201, "{partner}: {:?}", a.body);
        assert!(a.body["recommendations"].as_array().is_some_and(|r| !r.is_empty()
            && r.iter()
                .all(|c| c["bank_id"] == "demo-bank" && c["bank_name"] == "Demo Bank")));
    }
}
