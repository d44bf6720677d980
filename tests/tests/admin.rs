//! The admin API and `inflow admin` against `wrangler dev` (issue 13): a bank onboarded from a
//! tenant file through the CLI (dry run, apply, a second apply that changes nothing, an update,
//! a refused catalogue), every write audited in an append-only log; keys confined to their bank
//! (403), report keys refused on admin routes, revoked and expired keys refused at once; and
//! postback secrets rotated without downtime (the old one accepted until it expires, then
//! refused).

use std::time::Duration;

use inflow_tests::bank::{click, click_id, conversion, lead, now, Answer, Bank};
use inflow_tests::cli::{call, ok};
use inflow_tests::problem;
use inflow_tests::{paths, Worker};
use serde_json::{json, Value};

/// `ADMIN_KEY` in `.dev.vars.example`, which the harness passes to `wrangler dev`.
const OPERATOR: &str = "dev-admin-key-not-secret-0001";
const LOTUS: &str = "tests/tenants/lotus-bank.toml";

/// Runs `inflow admin --edge <w> ARGS` with `key` in INFLOW_ADMIN_KEY: (success, stdout, stderr).
fn cli(w: &Worker, key: &str, args: &[&str]) -> (bool, String, String) {
    let run = inflow_tests::cli::admin(w, key, args);
    (run.success, run.stdout, run.stderr)
}

fn scalar(w: &Worker, sql: &str) -> i64 {
    w.d1(sql).expect("D1")[0]
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_i64)
        .unwrap_or(-1)
}

/// The lotus tenant file with `edit` applied to its text, in a scratch file.
fn lotus_variant(name: &str, edit: impl Fn(String) -> String) -> String {
    let text = std::fs::read_to_string(paths::root().join(LOTUS)).expect("lotus file");
    let dir = paths::scratch("admin-tenants");
    std::fs::create_dir_all(&dir).expect("scratch");
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).expect("write");
    path.to_string_lossy().into_owned()
}

/// The bank as `GET /v1/admin/banks/{id}` answers it, as a tenant file to send back.
fn tenant_of(w: &Worker, key: &str, bank: &str) -> Value {
    let mut v = ok(call(w, "GET", &format!("/v1/admin/banks/{bank}"), Some(key), None), 200);
    v.as_object_mut().expect("object").remove("catalogue_version");
    v
}

/// `file` with its first product's priority set to 98.
fn changed_priority(file: &Value) -> Value {
    let mut changed = file.clone();
    changed["products"][0]["priority"] = 98.into();
    changed
}

fn apply(w: &Worker, key: &str, file: &Value) -> Answer {
    call(w, "POST", "/v1/admin/tenants", Some(key), Some(file))
}

fn audit(w: &Worker, key: &str, bank: &str) -> Vec<Value> {
    ok(
        call(w, "GET", &format!("/v1/admin/banks/{bank}/audit"), Some(key), None),
        200,
    )
    .as_array()
    .expect("rows")
    .clone()
}

fn create_key(w: &Worker, key: &str, bank: &str, kind: &str, expires_at: Option<i64>) -> (String, String) {
    let mut body = json!({"kind": kind, "name": format!("test {kind}")});
    if let Some(t) = expires_at {
        body["expires_at"] = t.into();
    }
    let k = ok(
        call(
            w,
            "POST",
            &format!("/v1/admin/banks/{bank}/keys"),
            Some(key),
            Some(&body),
        ),
        201,
    );
    (
        k["id"].as_str().expect("id").to_string(),
        k["token"].as_str().expect("token").to_string(),
    )
}

#[test]
fn a_tenant_file_applies_once_through_the_cli_and_every_write_is_audited() {
    let w = Worker::start().expect("wrangler dev starts");
    let lotus_count = "SELECT COUNT(*) AS n FROM banks WHERE id = 'lotus-bank'";

    let (success, out, err) = cli(&w, OPERATOR, &["apply", LOTUS, "--dry-run"]);
    assert!(success, "{out}{err}");
    assert!(out.contains("+ bank lotus-bank\n"), "{out}");
    assert!(out.contains("+ product lotus-equity\n"), "{out}");
    assert!(out.contains("Plan: 10 to create, 0 to update, 0 unchanged."), "{out}");
    assert!(out.contains("dry run: nothing written"), "{out}");
    assert_eq!(scalar(&w, lotus_count), 0, "a dry run writes nothing");

    let (success, out, err) = cli(&w, OPERATOR, &["apply", LOTUS]);
    assert!(success, "{out}{err}");
    assert!(out.contains("Plan: 10 to create, 0 to update, 0 unchanged."), "{out}");
    assert!(out.contains("catalogue version 1"), "{out}");
    assert_eq!(scalar(&w, lotus_count), 1);
    let count = |sql: &str| scalar(&w, sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM products WHERE bank_id = 'lotus-bank' AND spec IS NOT NULL"),
        5
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM partner_origins WHERE partner_id = 'mathcamp'"),
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM campaign_scenes WHERE bank_id = 'lotus-bank'"),
        2
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM commission_rules WHERE bank_id = 'lotus-bank'"),
        3
    );
    assert_eq!(
        count("SELECT cap_minor FROM commission_rules WHERE bank_id = 'lotus-bank' AND event = 'funded' AND partner_id = 'pixelplay'"),
        20_000
    );

    let (success, out, err) = cli(&w, OPERATOR, &["apply", LOTUS]);
    assert!(success, "{out}{err}");
    assert!(
        out.contains("No changes: 10 unchanged."),
        "a second apply changes nothing: {out}"
    );

    let rows = audit(&w, OPERATOR, "lotus-bank");
    assert_eq!(rows.len(), 10, "one row per object written: {rows:?}");
    assert!(rows
        .iter()
        .all(|r| r["key_id"] == "operator" && r["action"] == "create" && r["before"].is_null()));
    let equity = rows
        .iter()
        .find(|r| r["object_id"] == "lotus-equity")
        .expect("equity row");
    assert_eq!(
        (equity["object_kind"].as_str(), equity["after"]["risk"].as_i64()),
        (Some("product"), Some(4))
    );
    let (success, out, _) = cli(&w, OPERATOR, &["audit", "--bank", "lotus-bank"]);
    let rows = |out: &str| out.lines().filter(|l| l.starts_with('#')).count();
    assert!(success && rows(&out) == 10, "{out}");
    assert!(out.contains(" at 20"), "times are RFC 3339: {out}");
    assert!(
        out.contains("key operator bank lotus-bank: create campaign lotus-pixelplay"),
        "{out}"
    );

    // The bank reads back what its file said.
    let view = ok(call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(OPERATOR), None), 200);
    assert_eq!(view["bank"]["brand_color"], "#7a1f5c");
    assert_eq!(view["bank"]["consent"]["version"], "lotus-2026-12");
    assert_eq!(view["products"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        view["partners"][0]["origins"],
        json!(["https://mathcamp.example", "http://127.0.0.1:9"])
    );
    assert_eq!(view["catalogue_version"], 1);

    // An update: one field of one product, versioned and audited with before and after.
    let raised = lotus_variant("raised.toml", |t| t.replacen("yield_bps = 40", "yield_bps = 45", 1));
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &raised]);
    assert!(success, "{out}{err}");
    assert!(out.contains("~ product lotus-demand: yield_bps 40 → 45\n"), "{out}");
    assert!(out.contains("Plan: 0 to create, 1 to update, 9 unchanged."), "{out}");
    assert!(out.contains("catalogue version 2"), "{out}");
    let rows = audit(&w, OPERATOR, "lotus-bank");
    let last = rows.last().expect("a row");
    assert_eq!(
        (last["action"].as_str(), last["object_id"].as_str()),
        (Some("update"), Some("lotus-demand"))
    );
    assert_eq!(
        (
            last["before"]["yield_bps"].as_i64(),
            last["after"]["yield_bps"].as_i64()
        ),
        (Some(40), Some(45))
    );
    let (success, out, _) = cli(&w, OPERATOR, &["audit", "--bank", "lotus-bank"]);
    assert!(
        success && out.ends_with("update product lotus-demand\n    yield_bps: 40 → 45\n"),
        "the CLI shows what a write changed: {out}"
    );

    // A catalogue core refuses is refused whole, naming the product and the reason.
    let risky = lotus_variant("risky.toml", |t| {
        t.replacen("yield_bps = 40", "yield_bps = 50", 1).replacen(
            "risk = 1\nmin_amount_cny = 50\nterm_months = 6",
            "risk = 3\nmin_amount_cny = 50\nterm_months = 6",
            1,
        )
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &risky]);
    assert!(!success, "{out}");
    assert!(err.contains("422 invalid_tenant"), "{err}");
    assert!(err.contains(r#"products[1] "lotus-td-6m": deposits are R1"#), "{err}");
    assert_eq!(
        count("SELECT json_extract(spec, '$.yield_bps') FROM products WHERE bank_id = 'lotus-bank' AND id = 'lotus-demand'"),
        45,
        "nothing of a refused file is written"
    );
    assert_eq!(audit(&w, OPERATOR, "lotus-bank").len(), 11);

    // A stored consent names only its version: new text needs a new version, and a version
    // is one bank's (Demo Bank's seed has contact-2026-11).
    let reworded = lotus_variant("reworded.toml", |t| {
        t.replacen(
            "may contact me about these products.",
            "may contact me about anything.",
            1,
        )
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &reworded]);
    assert!(!success, "{out}");
    assert!(
        err.contains(r#"bank "lotus-bank": the consent text changed but its version did not — change the version"#),
        "{err}"
    );
    let reversioned = lotus_variant("reversioned.toml", |t| {
        t.replacen(r#"version = "lotus-2026-12""#, r#"version = "contact-2026-11""#, 1)
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &reversioned]);
    assert!(!success, "{out}");
    assert!(err.contains("422 invalid_tenant"), "{err}");
    assert!(err.contains("this consent version is another bank's"), "{err}");
    assert!(
        !err.contains("demo-bank"),
        "the holder of the version is not named: {err}"
    );
    let dollars = lotus_variant("dollars.toml", |t| {
        t.replacen(r#"currency = "CNY""#, r#"currency = "USD""#, 1)
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &dollars]);
    assert!(!success, "a live bank's currency does not change: {out}");
    assert!(err.contains("currency is CNY and cannot change"), "{err}");
    let no_such = lotus_variant("zzz.toml", |t| {
        t.replacen(r#"currency = "CNY""#, r#"currency = "ZZZ""#, 1)
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &no_such]);
    assert!(!success, "ZZZ is no currency: {out}");
    assert!(err.contains("currency is an ISO 4217 code"), "{err}");
    let renewed = lotus_variant("renewed.toml", |t| {
        t.replacen(
            "may contact me about these products.",
            "may contact me about anything.",
            1,
        )
        .replacen(r#"version = "lotus-2026-12""#, r#"version = "lotus-2027-01""#, 1)
    });
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &renewed, "--dry-run"]);
    assert!(success, "new text under a new version is fine: {out}{err}");

    // The audit log is append-only.
    assert!(w.d1("UPDATE audit_log SET key_id = 'someone'").is_err());
    assert!(w.d1("DELETE FROM audit_log").is_err());
    assert_eq!(count("SELECT COUNT(*) FROM audit_log WHERE key_id = 'operator'"), 11);

    // More rows than the edge answers at once: the CLI pages on and prints every one (it
    // printed the first page only, and the newest rows were missing).
    let mut many = tenant_of(&w, OPERATOR, "lotus-bank");
    let template = many["products"][0].clone();
    let products = many["products"].as_array_mut().expect("products");
    for i in 0..600 {
        let mut p = template.clone();
        p["id"] = format!("lotus-extra-{i:03}").into();
        products.push(p);
    }
    ok(apply(&w, OPERATOR, &many), 200);
    let (success, out, _) = cli(&w, OPERATOR, &["audit", "--bank", "lotus-bank"]);
    assert!(success, "{out}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(rows.len(), 611, "every row, over pages");
    assert!(
        rows.last()
            .is_some_and(|l| l.ends_with("create product lotus-extra-599")),
        "{out}"
    );

    // Six applies of a new bank's file at once: one writes, the others read the same state and
    // are refused on tenant_applies' key (409, nothing written) or read after it and change
    // nothing. Before, all six answered "create" and wrote every audit row six times.
    let mut orchid = tenant_of(&w, OPERATOR, "lotus-bank");
    orchid["bank"]["id"] = "orchid-bank".into();
    orchid["bank"]["consent"]["version"] = "orchid-2026-12".into();
    orchid["products"]
        .as_array_mut()
        .expect("products")
        .retain(|p| !p["id"].as_str().is_some_and(|id| id.starts_with("lotus-extra-")));
    for c in orchid["campaigns"].as_array_mut().expect("campaigns") {
        c["id"] = c["id"].as_str().expect("id").replacen("lotus-", "orchid-", 1).into();
    }
    let start = std::sync::Barrier::new(6);
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    apply(&w, OPERATOR, &orchid)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().expect("thread")).collect()
    });
    let creates = |a: &Answer| {
        a.body["changes"]
            .as_array()
            .map_or(0, |c| c.iter().filter(|c| c["action"] == "create").count())
    };
    let winners: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == 200 && a.body["applied"] == true)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one apply writes: {answers:?}");
    assert_eq!(
        creates(winners[0]),
        8,
        "bank, 5 products, 2 campaigns: {:?}",
        winners[0].body
    );
    assert_eq!(winners[0].body["catalogue_version"], 1);
    let mut conflicts = 0;
    for a in answers
        .iter()
        .filter(|a| !(a.status == 200 && a.body["applied"] == true))
    {
        if a.status == 409 {
            problem::assert(a, 409, "apply_conflict");
            conflicts += 1;
        } else {
            assert_eq!(
                (a.status, creates(a)),
                (200, 0),
                "a later read changes nothing: {:?}",
                a.body
            );
        }
    }
    let rows = audit(&w, OPERATOR, "orchid-bank");
    assert_eq!(rows.len(), 8, "each create audited once: {rows:?}");
    assert!(rows.iter().all(|r| r["action"] == "create" && r["before"].is_null()));
    assert_eq!(count("SELECT catalogue_version FROM banks WHERE id = 'orchid-bank'"), 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM tenant_applies WHERE bank_id = 'orchid-bank'"),
        1
    );
    eprintln!(
        "concurrent applies: 1 applied, {conflicts} refused apply_conflict, {} no changes",
        5 - conflicts
    );
}

/// A bank's settlement zone is its choice until money is booked in it: a second apply may add
/// or change it while the bank has no ledger entry and no closed month (review: refused as
/// "cannot change" from the first apply); after a close it is fixed. Spelt as the IANA database
/// spells it, since it is stored and shown as written.
#[test]
fn a_banks_zone_is_chosen_until_a_month_is_booked_and_spelt_as_the_database_spells_it() {
    let w = Worker::start().expect("wrangler dev starts");
    let zone = |z: &str| {
        lotus_variant(&format!("zone-{}.toml", z.replace('/', "-")), |t| {
            t.replacen(
                "currency = \"CNY\"",
                &format!("currency = \"CNY\"\ntimezone = \"{z}\""),
                1,
            )
        })
    };
    let stored =
        |w: &Worker| w.d1("SELECT timezone FROM banks WHERE id = 'lotus-bank'").expect("D1")[0]["timezone"].clone();
    let (success, out, err) = cli(&w, OPERATOR, &["apply", LOTUS]);
    assert!(success, "{out}{err}");
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &zone("Asia/Kolkata")]);
    assert!(success, "nothing booked yet: the zone may still be chosen: {out}{err}");
    assert_eq!(stored(&w), json!("Asia/Kolkata"));
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &zone("asia/KOLKATA")]);
    assert!(!success, "{out}");
    assert!(err.contains("timezone is spelt Asia/Kolkata"), "{err}");
    w.d1(
        "INSERT INTO settlement_periods (bank_id, period, next_period, closed_at, close_id) \
         VALUES ('lotus-bank', '2026-10', '2026-11', 0, 'test-close')",
    )
    .expect("a closed month");
    let (success, out, err) = cli(&w, OPERATOR, &["apply", &zone("Europe/London")]);
    assert!(!success, "a closed month fixes the zone: {out}");
    assert!(err.contains("timezone is Asia/Kolkata and cannot change"), "{err}");
    assert_eq!(stored(&w), json!("Asia/Kolkata"));
}

#[test]
fn keys_are_confined_to_their_bank_and_refused_once_revoked_or_expired() {
    let w = Worker::start().expect("wrangler dev starts");
    let (success, out, err) = cli(&w, OPERATOR, &["apply", LOTUS]);
    assert!(success, "{out}{err}");
    let (lotus_id, lotus) = create_key(&w, OPERATOR, "lotus-bank", "bank_admin", None);
    let (_, demo) = create_key(&w, OPERATOR, "demo-bank", "bank_admin", None);
    let (_, lotus_report) = create_key(&w, OPERATOR, "lotus-bank", "bank_report", None);

    // Its own bank: read, and change its catalogue, audited under its key.
    ok(call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&lotus), None), 200);
    let mut file = tenant_of(&w, &lotus, "lotus-bank");
    file["products"][0]["priority"] = 99.into();
    let applied = ok(apply(&w, &lotus, &file), 200);
    assert_eq!(
        (applied["applied"].as_bool(), applied["updates"].as_i64()),
        (Some(true), Some(1))
    );
    let last = audit(&w, &lotus, "lotus-bank").pop().expect("a row");
    assert_eq!(last["key_id"].as_str(), Some(lotus_id.as_str()));

    // …but not its bank's record, nor a partner (the operator's).
    let mut recoloured = file.clone();
    recoloured["bank"]["brand_color"] = "#000000".into();
    problem::assert(&apply(&w, &lotus, &recoloured), 403, "forbidden");
    let mut renamed = file.clone();
    renamed["partners"][0]["name"] = "Someone else".into();
    let a = apply(&w, &lotus, &renamed);
    problem::assert(&a, 403, "forbidden");
    assert!(
        a.body["detail"].as_str().is_some_and(|d| d.starts_with("partner ")),
        "{:?}",
        a.body
    );

    // …nor run a campaign with a partner the operator has not linked to its bank (Demo
    // Bank's, or one that does not exist: the same answer, so nothing is learnt of partners).
    // Before, Lotus's own key put Lotus into edu-demo's offer.
    let campaigns = "SELECT COUNT(*) AS n FROM campaigns";
    let before = scalar(&w, campaigns);
    for partner in ["edu-demo", "no-such-partner"] {
        let mut poach = file.clone();
        let mut campaign = file["campaigns"][0].clone();
        campaign["id"] = format!("lotus-poach-{partner}").into();
        campaign["partner"] = partner.into();
        poach["campaigns"].as_array_mut().expect("campaigns").push(campaign);
        for path in ["/v1/admin/tenants?dry_run=true", "/v1/admin/tenants"] {
            let a = call(&w, "POST", path, Some(&lotus), Some(&poach));
            problem::assert(&a, 403, "forbidden");
            assert_eq!(
                a.body["detail"].as_str(),
                Some("this partner is not linked to your bank; the operator links a bank to a partner"),
                "{partner}"
            );
        }
    }
    assert_eq!(scalar(&w, campaigns), before, "no campaign was written");
    // …nor declare a partner it does not work with, even unchanged: before, an exact copy of
    // Demo Bank's partner answered 200 and any other guess 403, so a bank admin could confirm
    // another bank's partner's name and origins.
    let edu = tenant_of(&w, OPERATOR, "demo-bank")["partners"]
        .as_array()
        .expect("partners")
        .iter()
        .find(|p| p["id"] == "edu-demo")
        .cloned()
        .expect("edu-demo");
    let mut guessed = edu.clone();
    guessed["name"] = "A guess".into();
    for declared in [edu, guessed] {
        let mut nosy = file.clone();
        nosy["partners"].as_array_mut().expect("partners").push(declared);
        let a = call(&w, "POST", "/v1/admin/tenants?dry_run=true", Some(&lotus), Some(&nosy));
        problem::assert(&a, 403, "forbidden");
        assert_eq!(
            a.body["detail"], "this partner has no campaign with your bank",
            "{:?}",
            a.body
        );
    }
    // A dry run asked for in any other words, or twice, is refused, not applied.
    problem::assert(
        &call(
            &w,
            "POST",
            "/v1/admin/tenants?dry_run=true&dry_run=false",
            Some(&lotus),
            Some(&changed_priority(&file)),
        ),
        400,
        "invalid_field",
    );
    problem::assert(
        &call(
            &w,
            "POST",
            "/v1/admin/tenants?dry_run=1",
            Some(&lotus),
            Some(&changed_priority(&file)),
        ),
        400,
        "invalid_field",
    );
    assert_eq!(tenant_of(&w, &lotus, "lotus-bank")["products"][0]["priority"], 99);

    // Bank B's objects: 403 for bank A's key, whatever the route.
    let mut as_demo = file.clone();
    as_demo["bank"]["id"] = "demo-bank".into();
    problem::assert(&apply(&w, &lotus, &as_demo), 403, "forbidden");
    problem::assert(&apply(&w, &demo, &file), 403, "forbidden");
    for (method, path) in [
        ("GET", "/v1/admin/banks/demo-bank"),
        ("GET", "/v1/admin/banks/demo-bank/keys"),
        ("GET", "/v1/admin/banks/demo-bank/secrets"),
        ("POST", "/v1/admin/banks/demo-bank/secrets"),
        ("GET", "/v1/admin/banks/demo-bank/audit"),
        ("GET", "/v1/admin/audit"),
        ("GET", "/v1/admin/partners/edu-demo/keys"),
    ] {
        problem::assert(&call(&w, method, path, Some(&lotus), None), 403, "forbidden");
    }
    // Unix seconds past the year 9999 (beyond what D1 binds exactly) are a 400, not a 500.
    for far in [253_402_300_800_i64, 9_007_199_254_740_993] {
        let body = json!({"kind": "bank_admin", "name": "far", "expires_at": far});
        let a = call(
            &w,
            "POST",
            "/v1/admin/banks/lotus-bank/keys",
            Some(OPERATOR),
            Some(&body),
        );
        problem::assert(&a, 400, "invalid_field");
        assert!(
            a.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("expires_at") && d.contains("253402300799")),
            "{:?}",
            a.body
        );
    }
    let a = call(
        &w,
        "GET",
        "/v1/admin/audit?after=9007199254740993",
        Some(OPERATOR),
        None,
    );
    problem::assert(&a, 400, "invalid_field");
    let body = json!({"kind": "bank_admin", "name": "sneaky"});
    problem::assert(
        &call(&w, "POST", "/v1/admin/banks/demo-bank/keys", Some(&lotus), Some(&body)),
        403,
        "forbidden",
    );
    problem::assert(
        &call(
            &w,
            "POST",
            &format!("/v1/admin/keys/{lotus_id}/revoke"),
            Some(&demo),
            None,
        ),
        404,
        "not_found",
    );
    ok(call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&lotus), None), 200);

    // A report key made here reads its bank's reports (an admin key does not), until revoked.
    let today = inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(now());
    let reports = format!("/v1/reports?from={today}&to={today}");
    ok(call(&w, "GET", &reports, Some(&lotus_report), None), 200);
    // An admin key is a valid key of the wrong kind: 403, as on the lead feed (401 was answered).
    problem::assert(&call(&w, "GET", &reports, Some(&lotus), None), 403, "forbidden");
    problem::assert(&call(&w, "GET", &reports, Some(OPERATOR), None), 403, "forbidden");

    // Report keys, new and legacy, are refused on every admin route; no key or a wrong one is 401.
    for key in [lotus_report.as_str(), "rk_bank_demo_local", "rk_edu-demo_local"] {
        problem::assert(
            &call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(key), None),
            403,
            "forbidden",
        );
        problem::assert(&apply(&w, key, &file), 403, "forbidden");
    }
    problem::assert(
        &call(&w, "GET", "/v1/admin/banks/lotus-bank", None, None),
        401,
        "unauthorized",
    );
    let forged = format!("{}x", &lotus[..lotus.len() - 1]);
    problem::assert(
        &call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&forged), None),
        401,
        "unauthorized",
    );

    // Revoked: refused at once (revoked through the CLI).
    let (doomed_id, doomed) = create_key(&w, OPERATOR, "lotus-bank", "bank_admin", None);
    ok(call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&doomed), None), 200);
    let (success, out, err) = cli(&w, &lotus, &["keys", "revoke", &doomed_id]);
    assert!(success, "{out}{err}");
    let a = call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&doomed), None);
    problem::assert(&a, 401, "unauthorized");
    assert_eq!(a.body["detail"], "this key was revoked");
    let (success, out, _) = cli(&w, OPERATOR, &["keys", "list", "--bank", "lotus-bank"]);
    assert!(
        success && out.contains(&format!("{doomed_id} bank_admin revoked")),
        "{out}"
    );
    let revoke_row = audit(&w, OPERATOR, "lotus-bank").pop().expect("a row");
    assert_eq!(
        (revoke_row["action"].as_str(), revoke_row["object_id"].as_str()),
        (Some("revoke"), Some(doomed_id.as_str()))
    );
    assert!(!revoke_row.to_string().contains(&doomed), "no token in the audit log");

    let (report_id, report) = create_key(&w, OPERATOR, "lotus-bank", "bank_report", None);
    ok(call(&w, "GET", &reports, Some(&report), None), 200);
    ok(
        call(
            &w,
            "POST",
            &format!("/v1/admin/keys/{report_id}/revoke"),
            Some(OPERATOR),
            None,
        ),
        200,
    );
    problem::assert(&call(&w, "GET", &reports, Some(&report), None), 401, "unauthorized");

    // Expired: refused from its expiry.
    let (_, brief) = create_key(&w, OPERATOR, "lotus-bank", "bank_admin", Some(now() + 3));
    ok(call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&brief), None), 200);
    std::thread::sleep(Duration::from_secs(4));
    let a = call(&w, "GET", "/v1/admin/banks/lotus-bank", Some(&brief), None);
    problem::assert(&a, 401, "unauthorized");
    assert_eq!(a.body["detail"], "this key has expired");
    let (success, out, _) = cli(&w, OPERATOR, &["keys", "list", "--bank", "lotus-bank"]);
    let brief_line = out
        .lines()
        .find(|l| l.contains("bank_admin") && l.contains("expires 20"));
    assert!(
        success && brief_line.is_some_and(|l| l.contains(" expired ")),
        "an expired key is listed as expired, not active: {out}"
    );

    // Tokens are stored only as hashes.
    let stored = w.d1("SELECT * FROM api_keys").expect("D1");
    assert_eq!(stored.len(), 6);
    assert!(!serde_json::to_string(&stored).expect("json").contains(&lotus[20..]));
}

#[test]
fn a_rotated_postback_secret_is_accepted_until_the_old_one_expires() {
    let w = Worker::start().expect("wrangler dev starts");
    let legacy = "whsec_demo_bank_local_only";
    let post = |secret: &str, external_id: &str, click: &str| {
        let body = conversion(click, "account_opened", external_id, 0, now());
        let sig = inflow_core::conversion::signature::sign(secret.as_bytes(), now(), body.as_bytes());
        Bank {
            id: "demo-bank",
            secret: "",
        }
        .post_signed(&w, "/v1/conversions", &body, &sig)
    };
    let new_click = || {
        let l = lead(&w, "edu-demo", "education");
        let url = l["recommendations"][0]["url"].as_str().expect("url").to_string();
        click_id(&click(&url, "Mozilla/5.0 (test)"))
    };

    let rotated = ok(
        call(
            &w,
            "POST",
            "/v1/admin/banks/demo-bank/secrets",
            Some(OPERATOR),
            Some(&json!({"overlap_secs": 5})),
        ),
        201,
    );
    let fresh = rotated["secret"].as_str().expect("secret").to_string();
    let old = rotated["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .find(|s| s["id"] == "legacy")
        .expect("legacy");
    let expires_at = old["expires_at"].as_i64().expect("the old secret now expires");
    assert!(expires_at <= now() + 5);

    // Both accepted during the overlap.
    ok(post(&fresh, "ROT-1", &new_click()), 201);
    ok(post(legacy, "ROT-2", &new_click()), 201);

    // After it, only the new one.
    while now() < expires_at {
        std::thread::sleep(Duration::from_millis(250));
    }
    problem::assert(&post(legacy, "ROT-3", &new_click()), 401, "invalid_signature");
    ok(post(&fresh, "ROT-4", &new_click()), 201);

    // Listed without values; the rotation audited without them.
    let listed = ok(
        call(&w, "GET", "/v1/admin/banks/demo-bank/secrets", Some(OPERATOR), None),
        200,
    );
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert!(!listed.to_string().contains("whsec_"), "{listed}");
    let row = audit(&w, OPERATOR, "demo-bank").pop().expect("a row");
    assert_eq!(
        (row["action"].as_str(), row["object_kind"].as_str()),
        (Some("rotate"), Some("postback_secret"))
    );
    assert_eq!(row["after"][0]["expires_at"].as_i64(), Some(expires_at));
    assert!(!row.to_string().contains("whsec_"), "{row}");

    // A second rotation through the CLI retires the first one's secret in turn.
    let (success, out, err) = cli(
        &w,
        OPERATOR,
        &["secrets", "rotate", "--bank", "demo-bank", "--overlap", "0"],
    );
    assert!(success, "{out}{err}");
    assert!(out.contains("new postback secret"), "{out}");
    problem::assert(&post(&fresh, "ROT-5", &new_click()), 401, "invalid_signature");
    let (success, out, err) = cli(&w, OPERATOR, &["secrets", "list", "--bank", "demo-bank"]);
    assert!(success, "{out}{err}");
    assert!(out.starts_with("bank demo-bank: 3 postback secrets\n"), "{out}");
    assert_eq!(out.matches("accepted until rotated").count(), 1, "{out}");
    assert_eq!(out.matches(" expired 20").count(), 2, "{out}");
    assert!(!out.contains("whsec_"), "{out}");

    // Six rotations at once: each is planned against the secrets it read, so only one may
    // write (the others 409 apply_conflict, nothing written). Before, all six answered 201 and
    // left six secrets that never expire.
    let start = std::sync::Barrier::new(6);
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    call(&w, "POST", "/v1/admin/banks/demo-bank/secrets", Some(OPERATOR), None)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().expect("thread")).collect()
    });
    let rotated = answers.iter().filter(|a| a.status == 201).count();
    for a in answers.iter().filter(|a| a.status != 201) {
        problem::assert(a, 409, "apply_conflict");
    }
    let secrets = ok(
        call(&w, "GET", "/v1/admin/banks/demo-bank/secrets", Some(OPERATOR), None),
        200,
    );
    let secrets = secrets.as_array().expect("secrets");
    let unbounded = secrets.iter().filter(|s| s["expires_at"].is_null()).count();
    assert!(rotated >= 1, "one rotation writes: {answers:?}");
    assert_eq!(secrets.len(), 3 + rotated, "one new secret per 201");
    assert_eq!(unbounded, 1, "exactly one secret never expires: {secrets:?}");
    println!(
        "six rotations at once: {rotated} rotated, {} refused apply_conflict",
        6 - rotated
    );
}

#[test]
fn each_campaign_pays_its_own_commission_when_a_bank_has_two_for_one_partner() {
    // A fresh reviewer's find: commission_rules holds one row per (bank, event, partner), so a
    // second campaign for edu-demo (gaming, 30.00) rewrote the first's 80.00 and a conversion
    // on the education campaign paid 30.00 while the admin API still showed 80.00.
    let w = Worker::start().expect("wrangler dev starts");
    let mut file = tenant_of(&w, OPERATOR, "demo-bank");
    file["campaigns"] = json!([{
        "id": "cmp-edu-demo-gaming", "partner": "edu-demo", "scenes": ["gaming"],
        "products": ["*"], "window_days": 30, "approval_days": 0,
        "commissions": [{"event": "account_opened", "flat_minor": 3000}]
    }]);
    ok(apply(&w, OPERATOR, &file), 200);
    let shown = tenant_of(&w, OPERATOR, "demo-bank");
    let terms = |id: &str| {
        shown["campaigns"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id))
            .map(|c| c["commissions"].clone())
            .unwrap_or_default()
    };
    assert!(terms("cmp-edu-demo").to_string().contains("8000"), "{shown}");
    assert!(terms("cmp-edu-demo-gaming").to_string().contains("3000"), "{shown}");

    let paid = |scene: &str, external_id: &str| {
        let l = lead(&w, "edu-demo", scene);
        let url = l["recommendations"][0]["url"].as_str().expect("url").to_string();
        let click = click_id(&click(&url, "Mozilla/5.0 (test)"));
        let body = conversion(&click, "account_opened", external_id, 0, now());
        let secret = "whsec_demo_bank_local_only";
        let sig = inflow_core::conversion::signature::sign(secret.as_bytes(), now(), body.as_bytes());
        let bank = Bank {
            id: "demo-bank",
            secret: "",
        };
        ok(bank.post_signed(&w, "/v1/conversions", &body, &sig), 201)["payout_minor"].as_i64()
    };
    assert_eq!(
        paid("education", "TWO-1"),
        Some(8000),
        "the education campaign's own terms"
    );
    assert_eq!(paid("gaming", "TWO-2"), Some(3000), "the gaming campaign's own terms");
}
