//! Issue 13's "Done when", end to end: from an empty D1 with no seed, the operator onboards Demo
//! Bank and a new bank, Lotus Bank, with nothing but `inflow admin apply` and their tenant
//! files (`tenants/demo-bank.toml`, `tests/tenants/lotus-bank.toml`: five products, two partners
//! with origins, two campaigns), and makes each bank its keys with `inflow admin keys create`.
//! Then, one scenario checked by named tests: Lotus's admin key works; a visitor on a registered
//! second origin under a strict CSP sees only Lotus's products, in Lotus's colour, with Lotus's
//! consent; a lead clicks out and a conversion signed with Lotus's postback secret is paid; a
//! rotated secret is accepted until it expires, then refused; Lotus's report key reads its
//! report and its audit log shows the apply; and neither bank's keys see or change the other's.

use std::sync::OnceLock;
use std::time::Duration;

use inflow_core::conversion::signature;
use inflow_tests::bank::{click, click_id, conversion, lead, now, Answer, Bank};
use inflow_tests::chat::{self, WAIT};
use inflow_tests::cli::{admin, admin_ok, ok, printed};
use inflow_tests::fixture::{self, File};
use inflow_tests::worker::once;
use inflow_tests::{paths, Browser, Worker};
use serde_json::{json, Value};

/// `ADMIN_KEY` in `.dev.vars.example`, which the harness passes to `wrangler dev`.
const OPERATOR: &str = "dev-admin-key-not-secret-0001";
const LOTUS_FILE: &str = "tests/tenants/lotus-bank.toml";
const DEMO_FILE: &str = "tenants/demo-bank.toml";
/// Lotus's `brand_color` (#7a1f5c) as the browser computes it.
const LOTUS_RGB: &str = "rgb(122, 31, 92)";
const LOTUS_CONSENT_EN: &str = "I agree that Lotus Bank may contact me about these products.";

/// What the operator and the banks did once, from an empty D1.
struct Onboarded {
    w: Worker,
    /// The partner page's origin, registered for `mathcamp` by a second apply.
    page: String,
    /// Lotus's tenant file with the page's origin: what the second apply sent.
    page_file: String,
    /// `inflow admin apply` output: Demo Bank's file, Lotus's file, Lotus's file again with the
    /// page's origin.
    applied: [String; 3],
    lotus_admin: String,
    lotus_admin_id: String,
    lotus_report: String,
    demo_admin: String,
    demo_report: String,
    /// Lotus's first postback secret, from `inflow admin secrets rotate` with Lotus's key.
    lotus_secret: String,
    demo_secret: String,
}

fn onboarded() -> &'static Onboarded {
    static CELL: OnceLock<Result<Onboarded, String>> = OnceLock::new();
    once(&CELL, onboard)
}

/// A conversion for each bank, written once after onboarding.
struct Paid {
    /// A mathcamp lead's click-out, an opened account posted and signed with Lotus's secret.
    lotus: Answer,
    /// Where the Lotus click-out redirected.
    landed: String,
    /// Demo Bank's conversion on an edu-demo click, so isolation has something to hide.
    demo: Answer,
}

fn paid() -> (&'static Onboarded, &'static Paid) {
    static CELL: OnceLock<Result<Paid, String>> = OnceLock::new();
    let o = onboarded();
    (o, once(&CELL, || pay(o)))
}

fn pay(o: &Onboarded) -> Paid {
    let w = &o.w;
    let l = lead(w, "mathcamp", "education");
    let a = click(first_url(&l), "Mozilla/5.0 (onboarding)");
    let landed = a.location.clone().unwrap_or_default();
    let lotus = post_aged(w, "lotus-bank", &o.lotus_secret, &click_id(&a), "LOTUS-1");
    let l = lead(w, "edu-demo", "education");
    let a = click(first_url(&l), "Mozilla/5.0 (onboarding)");
    let demo = post_aged(w, "demo-bank", &o.demo_secret, &click_id(&a), "DEMO-1");
    Paid { lotus, landed, demo }
}

fn onboard() -> Onboarded {
    let w = Worker::start_empty().expect("wrangler dev starts");
    assert_eq!(
        w.d1("SELECT (SELECT COUNT(*) FROM banks) + (SELECT COUNT(*) FROM partners) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM api_keys) + (SELECT COUNT(*) FROM postback_secrets) AS n")
            .expect("D1")[0]["n"],
        0,
        "no seed: the D1 starts empty"
    );
    let page = partner_site(&w.base, "mathcamp", "education");

    let demo_applied = admin_ok(&w, OPERATOR, &["apply", DEMO_FILE]);
    let lotus_applied = admin_ok(&w, OPERATOR, &["apply", LOTUS_FILE]);
    // The partner registers its page's origin: the same file, one origin more.
    let text = std::fs::read_to_string(paths::root().join(LOTUS_FILE)).expect("lotus file");
    let with_page = text.replacen(
        "origins = [\"https://mathcamp.example\",",
        &format!("origins = [\"https://mathcamp.example\", \"{page}\","),
        1,
    );
    assert_ne!(
        with_page, text,
        "the mathcamp origins line is where the test expects it"
    );
    let dir = paths::scratch("onboarding");
    std::fs::create_dir_all(&dir).expect("scratch");
    let page_file = dir.join("lotus-bank.toml");
    std::fs::write(&page_file, with_page).expect("write");
    let page_file = page_file.to_string_lossy().into_owned();
    let origin_applied = admin_ok(&w, OPERATOR, &["apply", &page_file]);

    let key = |bank: &str, kind: &str| {
        let out = admin_ok(
            &w,
            OPERATOR,
            &[
                "keys",
                "create",
                "--bank",
                bank,
                "--kind",
                kind,
                "--name",
                &format!("{bank} {kind}"),
                "--expires-at",
                "30d",
            ],
        );
        let id = printed(&out, &format!("created {kind} key "))
            .split_whitespace()
            .next()
            .expect("key id")
            .to_string();
        (id, printed(&out, "token (shown once; store it now):").to_string())
    };
    let (lotus_admin_id, lotus_admin) = key("lotus-bank", "bank_admin");
    let (_, lotus_report) = key("lotus-bank", "bank_report");
    let (_, demo_admin) = key("demo-bank", "bank_admin");
    let (_, demo_report) = key("demo-bank", "bank_report");

    // Each bank makes its own first postback secret with its own key.
    let secret = |key: &str, bank: &str| {
        let out = admin_ok(&w, key, &["secrets", "rotate", "--bank", bank]);
        printed(&out, "(shown once; store it now):").to_string()
    };
    let lotus_secret = secret(&lotus_admin, "lotus-bank");
    let demo_secret = secret(&demo_admin, "demo-bank");

    Onboarded {
        w,
        page,
        page_file,
        applied: [demo_applied, lotus_applied, origin_applied],
        lotus_admin,
        lotus_admin_id,
        lotus_report,
        demo_admin,
        demo_report,
        lotus_secret,
        demo_secret,
    }
}

fn first_url(lead: &Value) -> &str {
    lead["recommendations"][0]["url"]
        .as_str()
        .expect("a recommendation with a click-out url")
}

/// Posts `account_opened` for `click`, signed with `secret` now.
fn post(w: &Worker, bank: &'static str, secret: &str, click: &str, external_id: &str, at: i64) -> Answer {
    let body = conversion(click, "account_opened", external_id, 0, at);
    let sig = signature::sign(secret.as_bytes(), now(), body.as_bytes());
    Bank { id: bank, secret: "" }.post_signed(w, "/v1/conversions", &body, &sig)
}

/// As [`post`], an hour after the click (by its stored time), so the fraud rules do not hold it
/// as too fast.
fn post_aged(w: &Worker, bank: &'static str, secret: &str, click: &str, external_id: &str) -> Answer {
    let clicked = w
        .d1(&format!(
            "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{click}' RETURNING created_at"
        ))
        .expect("age the click")[0]["created_at"]
        .as_i64()
        .expect("created_at");
    post(w, bank, secret, click, external_id, clicked + 3600)
}

fn call(w: &Worker, method: &str, path: &str, key: &str, body: Option<&Value>) -> Answer {
    inflow_tests::cli::call(w, method, path, Some(key), body)
}

fn forbidden(a: &Answer, what: &str) {
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (403, Some("forbidden")),
        "{what}: {:?}",
        a.body
    );
}

/// Today's report for `key`, grouped by partner: `group → row`.
fn report(w: &Worker, key: &str) -> Vec<Value> {
    let today = inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(now());
    let r = ok(
        call(
            w,
            "GET",
            &format!("/v1/reports?from={today}&to={today}&group_by=partner&payout_date=conversion"),
            key,
            None,
        ),
        200,
    );
    r["rows"].as_array().expect("rows").clone()
}

fn row<'a>(rows: &'a [Value], group: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["group"] == group)
        .unwrap_or_else(|| panic!("no {group} row in {rows:?}"))
}

/// A partner's page on its own origin, embedding the widget under the strict CSP the README gives.
fn partner_site(edge: &str, partner: &str, scene: &str) -> String {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{partner}</title></head>\
         <body><main><p>A partner's page.</p></main>\
         <script async src=\"{edge}/widget.js\" data-partner=\"{partner}\" data-scene=\"{scene}\" data-lang=\"en\"></script>\
         </body></html>"
    );
    let csp = fixture::strict_csp(edge);
    fixture::serve(
        vec![File {
            path: "/",
            content_type: "text/html; charset=utf-8",
            body: page,
        }],
        vec![csp],
    )
    .expect("partner site")
}

#[test]
fn the_operator_onboards_both_banks_from_an_empty_d1_with_apply_alone() {
    let o = onboarded();
    let [demo, lotus, origin] = &o.applied;
    assert!(
        demo.contains("+ bank demo-bank\n") && demo.contains("+ partner edu-demo\n"),
        "{demo}"
    );
    assert!(lotus.contains("+ bank lotus-bank\n"), "{lotus}");
    assert!(
        lotus.contains("Plan: 10 to create, 0 to update, 0 unchanged."),
        "bank, 5 products, 2 partners, 2 campaigns: {lotus}"
    );
    assert!(origin.contains("~ partner mathcamp: origins"), "{origin}");
    assert!(
        origin.contains("Plan: 0 to create, 1 to update, 9 unchanged."),
        "{origin}"
    );

    let count = |sql: &str| o.w.d1(sql).expect("D1")[0]["n"].as_i64().unwrap_or(-1);
    assert_eq!(count("SELECT COUNT(*) AS n FROM banks"), 2);
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM products WHERE bank_id = 'lotus-bank' AND spec IS NOT NULL"),
        5
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) AS n FROM partner_origins WHERE partner_id = 'mathcamp' AND origin = '{}'",
            o.page
        )),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM campaigns WHERE bank_id = 'lotus-bank'"),
        2
    );

    // Applied again (with the bank's own key now), nothing changes; the repository's file,
    // without the page's origin, would change a partner, which only the operator may.
    let again = admin_ok(&o.w, &o.lotus_admin, &["apply", &o.page_file]);
    assert!(again.contains("No changes: 10 unchanged."), "{again}");
    let run = admin(&o.w, &o.lotus_admin, &["apply", LOTUS_FILE, "--dry-run"]);
    assert!(
        !run.success && run.stderr.contains("403 forbidden: partner mathcamp"),
        "{run:?}"
    );
    let run = admin(&o.w, OPERATOR, &["apply", DEMO_FILE]);
    assert!(run.success && run.stdout.contains("No changes"), "{run:?}");
}

#[test]
fn the_bank_admin_key_manages_its_own_bank() {
    let o = onboarded();
    let view = ok(
        call(&o.w, "GET", "/v1/admin/banks/lotus-bank", &o.lotus_admin, None),
        200,
    );
    assert_eq!(view["bank"]["brand_color"], "#7a1f5c");
    assert_eq!(view["products"].as_array().map(Vec::len), Some(5));
    let keys = admin_ok(&o.w, &o.lotus_admin, &["keys", "list", "--bank", "lotus-bank"]);
    assert!(
        keys.contains(&format!("{} bank_admin active", o.lotus_admin_id)),
        "{keys}"
    );
    // `--expires-at 30d`: the key expires in 30 days.
    let expires =
        o.w.d1(&format!(
            "SELECT expires_at - created_at AS d FROM api_keys WHERE id = '{}'",
            o.lotus_admin_id
        ))
        .expect("D1")[0]["d"]
            .as_i64()
            .expect("an expiry");
    assert!((30 * 86_400 - 60..=30 * 86_400 + 60).contains(&expires), "{expires}");
    // A key of its own, made with its own key.
    let out = admin_ok(
        &o.w,
        &o.lotus_admin,
        &[
            "keys",
            "create",
            "--bank",
            "lotus-bank",
            "--kind",
            "bank_report",
            "--name",
            "finance",
            "--expires-at",
            "2099-01-01T00:00:00Z",
        ],
    );
    assert!(out.contains("expires at 4070908800"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_on_the_registered_origin_sees_only_lotus_in_its_colour_and_consent() {
    let o = onboarded();
    let b = Browser::start().await.expect("chromium");
    b.client.goto(&format!("{}/", o.page)).await.expect("partner page");
    b.widget_element(".bubble", WAIT).await.expect("bubble drawn");
    let colour = chat::js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         return getComputedStyle(r.querySelector('.bubble')).backgroundColor;",
    )
    .await
    .expect("script");
    assert_eq!(colour, json!(LOTUS_RGB), "the bubble is in Lotus's colour");

    b.click_widget(".bubble").await.expect("bubble");
    chat::answer(&b, chat::PICKS.len()).await.expect("answers");
    let consent = b
        .widget_element(".consent-text", WAIT)
        .await
        .expect("consent asked")
        .text()
        .await
        .expect("text");
    assert_eq!(consent, LOTUS_CONSENT_EN, "Lotus's consent text, naming Lotus");

    b.click_widget(".consent .agree").await.expect("agree");
    let input = b.widget_element(".contact-input", WAIT).await.expect("contact form");
    input.send_keys("lotus.visitor@example.com").await.expect("type");
    b.click_widget(".contact .send").await.expect("send");
    b.widget_element(".card", WAIT)
        .await
        .expect("recommendations cross-origin");
    let cards = chat::js(
        &b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         return [...r.querySelectorAll('.card')].map(c => [c.querySelector('.bank').textContent, c.textContent]);",
    )
    .await
    .expect("script");
    let cards = cards.as_array().expect("cards");
    assert!(!cards.is_empty());
    let lotus_products = [
        "Lotus demand savings",
        "Lotus 6-month deposit",
        "Lotus 2-year deposit",
        "Lotus bond fund",
        "Lotus growth equity",
    ];
    for card in cards {
        let text = card[1].as_str().unwrap_or_default();
        assert!(
            card[0] == "Lotus Bank" && lotus_products.iter().any(|p| text.contains(p)),
            "only Lotus's products: {cards:?}"
        );
    }
    b.close().await.expect("close");

    let lead =
        o.w.d1("SELECT consent_version FROM leads WHERE partner_id = 'mathcamp' AND consent_version IS NOT NULL")
            .expect("D1");
    assert_eq!(
        lead,
        vec![json!({"consent_version": "lotus-2026-12"})],
        "the page's lead, stored with Lotus's consent version"
    );
}

#[test]
fn a_lead_clicks_out_to_lotus_and_its_signed_conversion_is_paid() {
    let (o, paid) = paid();
    assert!(paid.landed.starts_with("https://lotus.example/"), "{}", paid.landed);
    assert_eq!(paid.lotus.status, 201, "{:?}", paid.lotus.body);
    assert_eq!(
        (
            paid.lotus.body["status"].as_str(),
            paid.lotus.body["payout_minor"].as_i64()
        ),
        (Some("approved"), Some(6000)),
        "lotus-mathcamp pays 60.00 per opened account, approved at once"
    );
    // Lotus's secret is Lotus's: it signs nothing for Demo Bank.
    let l = lead(&o.w, "edu-demo", "education");
    let a = click(first_url(&l), "Mozilla/5.0 (onboarding)");
    let wrong = post(&o.w, "demo-bank", &o.lotus_secret, &click_id(&a), "CROSS-1", now());
    assert_eq!(
        (wrong.status, wrong.body["code"].as_str()),
        (401, Some("invalid_signature"))
    );
}

#[test]
fn a_rotated_secret_is_accepted_until_the_old_one_expires_then_only_the_new_one() {
    // Lotus's first secret has paid its conversion before it is rotated.
    let (o, _) = paid();
    let w = &o.w;
    // The clicks first, so the overlap covers only the postbacks on a slow machine.
    let clicks: Vec<String> = (0..4)
        .map(|_| {
            let l = lead(w, "pixelplay", "gaming");
            click_id(&click(first_url(&l), "Mozilla/5.0 (onboarding)"))
        })
        .collect();
    let out = admin_ok(
        w,
        &o.lotus_admin,
        &["secrets", "rotate", "--bank", "lotus-bank", "--overlap", "20s"],
    );
    let new = printed(&out, "(shown once; store it now):").to_string();
    assert_ne!(new, o.lotus_secret);
    // "  secret <id> created <time> accepted until <RFC 3339>": the old one's expiry.
    let expires_at = printed(&out, " accepted until ")
        .parse::<jiff::Timestamp>()
        .expect("the old secret now expires")
        .as_second();
    assert!((now() + 10..=now() + 20).contains(&expires_at), "{out}");

    let posted = |secret: &str, click: &str, external_id: &str| {
        let a = post(w, "lotus-bank", secret, click, external_id, now());
        (a.status, a.body)
    };
    let (status, body) = posted(&o.lotus_secret, &clicks[0], "ROT-OLD-1");
    assert_eq!(status, 201, "the old secret, during the overlap: {body}");
    let (status, body) = posted(&new, &clicks[1], "ROT-NEW-1");
    assert_eq!(status, 201, "the new secret at once: {body}");
    while now() <= expires_at {
        std::thread::sleep(Duration::from_millis(250));
    }
    let (status, body) = posted(&o.lotus_secret, &clicks[2], "ROT-OLD-2");
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_signature")),
        "{body}"
    );
    let (status, body) = posted(&new, &clicks[3], "ROT-NEW-2");
    assert_eq!(status, 201, "{body}");
}

#[test]
fn the_lotus_report_key_reads_its_report_and_none_of_demo_banks() {
    let (o, paid) = paid();
    let rows = report(&o.w, &o.lotus_report);
    let mathcamp = row(&rows, "mathcamp");
    assert_eq!(
        (
            mathcamp["conversions"].as_i64(),
            mathcamp["payout_approved_minor"].as_i64()
        ),
        (Some(1), Some(6000)),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .all(|r| r["group"] == "mathcamp" || r["group"] == "pixelplay"),
        "Lotus's partners only: {rows:?}"
    );

    assert_eq!(paid.demo.status, 201, "{:?}", paid.demo.body);
    let demo = report(&o.w, &o.demo_report);
    assert_eq!(row(&demo, "edu-demo")["conversions"].as_i64(), Some(1), "{demo:?}");
    assert!(
        demo.iter()
            .all(|r| r["group"] != "mathcamp" && r["group"] != "pixelplay"),
        "none of Lotus's partners: {demo:?}"
    );
}

#[test]
fn lotus_audit_log_shows_the_apply() {
    let o = onboarded();
    let out = admin_ok(&o.w, &o.lotus_admin, &["audit", "--bank", "lotus-bank"]);
    assert!(
        out.contains("key operator bank lotus-bank: create bank lotus-bank"),
        "{out}"
    );
    assert!(
        out.contains("key operator bank lotus-bank: create product lotus-equity"),
        "{out}"
    );
    assert!(
        out.contains("key operator bank lotus-bank: update partner mathcamp"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "key {} bank lotus-bank: rotate postback_secret",
            o.lotus_admin_id
        )),
        "{out}"
    );
    assert!(!out.contains("demo-bank"), "{out}");
}

#[test]
fn neither_banks_keys_see_or_change_the_others_objects() {
    let o = onboarded();
    let w = &o.w;
    for (key, own, other) in [
        (&o.demo_admin, "demo-bank", "lotus-bank"),
        (&o.lotus_admin, "lotus-bank", "demo-bank"),
    ] {
        for (method, path, body) in [
            ("GET", format!("/v1/admin/banks/{other}"), None),
            ("GET", format!("/v1/admin/banks/{other}/keys"), None),
            (
                "POST",
                format!("/v1/admin/banks/{other}/keys"),
                Some(json!({"kind": "bank_admin", "name": "sneaky"})),
            ),
            ("GET", format!("/v1/admin/banks/{other}/secrets"), None),
            ("POST", format!("/v1/admin/banks/{other}/secrets"), Some(json!({}))),
            ("GET", format!("/v1/admin/banks/{other}/audit"), None),
            ("GET", "/v1/admin/audit".to_string(), None),
        ] {
            forbidden(
                &call(w, method, &path, key, body.as_ref()),
                &format!("{own} {method} {path}"),
            );
        }
        // The other bank's tenant file, through the CLI: refused whole.
        let file = if other == "lotus-bank" { LOTUS_FILE } else { DEMO_FILE };
        let run = admin(w, key, &["apply", file]);
        assert!(
            !run.success && run.stderr.contains("403 forbidden"),
            "{own} applies {file}: {run:?}"
        );
        // Its own bank still answers.
        ok(call(w, "GET", &format!("/v1/admin/banks/{own}"), key, None), 200);
    }
    // Demo Bank's key cannot revoke Lotus's: to it, the key does not exist.
    let a = call(
        w,
        "POST",
        &format!("/v1/admin/keys/{}/revoke", o.lotus_admin_id),
        &o.demo_admin,
        None,
    );
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (404, Some("not_found")),
        "{:?}",
        a.body
    );
    ok(call(w, "GET", "/v1/admin/banks/lotus-bank", &o.lotus_admin, None), 200);

    // Report keys are no admin keys, and see only their bank's rows.
    for key in [&o.lotus_report, &o.demo_report] {
        forbidden(&call(w, "GET", "/v1/admin/banks/lotus-bank", key, None), "report key");
    }
    // Nothing of either bank was written under the other's key.
    let crossed = w
        .d1(
            "SELECT COUNT(*) AS n FROM audit_log a JOIN api_keys k ON k.id = a.key_id \
             WHERE a.bank_id IS NOT NULL AND a.bank_id <> k.bank_id",
        )
        .expect("D1")[0]["n"]
        .as_i64();
    assert_eq!(crossed, Some(0));
}

/// `tenants/demo-bank.toml` and `edge/seed/demo.sql` describe the same Demo Bank (its names,
/// colour, consent, products, partners, campaigns and commissions): planned against the seeded
/// D1 by the edge, the file changes nothing. Then `cargo xtask dev`'s step — every tenant file
/// applied over the seed — succeeds, and a second run changes nothing.
#[test]
fn the_demo_seed_is_demo_banks_tenant_file_and_dev_applies_the_files_over_it() {
    let w = Worker::start().expect("wrangler dev starts");
    let plan = admin_ok(&w, OPERATOR, &["apply", DEMO_FILE, "--dry-run"]);
    assert!(
        plan.contains("No changes"),
        "edge/seed/demo.sql and tenants/demo-bank.toml differ (change both together):\n{plan}"
    );

    let mut files: Vec<String> = std::fs::read_dir(paths::root().join("tenants"))
        .expect("tenants/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut args = vec!["apply"];
    args.extend(files.iter().map(String::as_str));
    admin_ok(&w, OPERATOR, &args);
    let again = admin_ok(&w, OPERATOR, &args);
    assert_eq!(again.matches("No changes").count(), files.len(), "{again}");
}
