//! Tenant files as written on disk: every file under `tenants/` parses (TOML, with the `toml`
//! crate as the CLI reads them) and validates; Demo Bank's file and the compiled catalogue
//! cannot drift; issue 13's Lotus Bank example validates and plans; broken files are refused
//! with every object and reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use inflow_core::conversion::commission::{self, Rule, ScopedRule};
use inflow_core::tenant::{self, Action, Kind, Plan, TenantFile, TenantState};
use inflow_core::{lead::catalogue, lead::consent, support::i18n::Lang};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tenant")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(text: &str) -> TenantFile {
    toml::from_str(text).unwrap_or_else(|e| panic!("parses: {e}"))
}

fn errors(text: &str) -> Vec<String> {
    let file = parse(text);
    match tenant::validate(&file, &BTreeSet::new()) {
        Ok(()) => Vec::new(),
        Err(all) => all.iter().map(ToString::to_string).collect(),
    }
}

fn tenant_files() -> Vec<(PathBuf, TenantFile)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("tenants"))
        .expect("tenants/ exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            let file = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, file)
        })
        .collect()
}

#[test]
fn every_tenant_file_parses_and_validates() {
    let files = tenant_files();
    let names: Vec<_> = files.iter().map(|(p, _)| p.file_name().map(|n| n.to_owned())).collect();
    assert!(files.len() >= 2, "demo-bank and harbor-bank at least: {names:?}");
    // Partners are global: a bank's file may name a partner another file declares.
    let known: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, f)| f.partners.iter().map(|p| p.id.clone()))
        .collect();
    for (path, file) in &files {
        if let Err(all) = tenant::validate(file, &known) {
            let all: Vec<String> = all.iter().map(ToString::to_string).collect();
            panic!("{}:\n{}", path.display(), all.join("\n"));
        }
        // Planned against nothing, everything is created; applied, nothing is left to do.
        let plan = tenant::plan(&TenantState::default(), file);
        assert_eq!(plan.creates(), plan.changes.len());
        let mut state = TenantState::default();
        state.apply(&plan);
        assert!(tenant::plan(&state, file).is_empty(), "{}", path.display());
    }
    let banks: BTreeSet<_> = files.iter().map(|(_, f)| f.bank.id.as_str()).collect();
    assert_eq!(banks.len(), files.len(), "one bank per file");
}

#[test]
fn demo_bank_file_is_the_compiled_catalogue_and_consent() {
    let text = std::fs::read_to_string(root().join("tenants/demo-bank.toml")).expect("readable");
    let file = parse(&text);
    let demo = catalogue::builtin();
    assert_eq!(file.bank.id, demo.bank);
    assert_eq!(file.bank.name, demo.name);
    assert_eq!(
        file.products, demo.products,
        "tenants/demo-bank.toml and core/catalogue/demo-bank.json agree"
    );
    assert_eq!(file.bank.consent.version, consent::CONSENT_VERSION);
    for lang in Lang::ALL {
        assert_eq!(
            file.bank.consent.text().get(lang),
            consent::CONSENT_TEXT.get(lang),
            "{lang:?}"
        );
    }
}

#[test]
fn harbor_bank_needs_the_demo_partner() {
    let text = std::fs::read_to_string(root().join("tenants/harbor-bank.toml")).expect("readable");
    let all = errors(&text);
    assert_eq!(
        all,
        [r#"campaigns[0] "cmp-harbor-edu": partner "edu-demo" is neither in this file nor an existing partner"#]
    );
}

#[test]
fn lotus_bank_example_validates_and_plans() {
    let text = fixture("lotus-bank.toml");
    let file = parse(&text);
    assert_eq!(errors(&text), Vec::<String>::new());
    assert_eq!(
        (file.products.len(), file.partners.len(), file.campaigns.len()),
        (5, 2, 3)
    );
    assert!(file.partners.iter().all(|p| !p.origins.is_empty()));

    let plan = tenant::plan(&TenantState::default(), &file);
    let kinds: Vec<Kind> = plan.changes.iter().map(|c| c.object.kind()).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted, "bank, partners, products, campaigns");
    let shown = plan.to_string();
    assert!(
        shown.starts_with("+ bank lotus-bank\n+ partner mathcamp\n+ partner pixelquest\n+ product lotus-bond\n"),
        "{shown}"
    );
    assert!(
        shown.ends_with("Plan: 11 to create, 0 to update, 0 unchanged."),
        "{shown}"
    );

    let mut state = TenantState::default();
    state.apply(&plan);
    let again = tenant::plan(&state, &file);
    assert!(again.is_empty());
    assert_eq!(again.to_string(), "No changes: 11 unchanged.");

    // An edit shows as an update naming the fields, before → after.
    let edited = parse(
        &text
            .replacen("window_days = 30", "window_days = 45", 1)
            .replacen("en = \"Lotus demand savings\"", "en = \"Lotus Demand\"", 1)
            .replacen("priority = 50", "priority = 55", 1),
    );
    let plan = tenant::plan(&state, &edited);
    assert_eq!(
        plan.to_string(),
        "~ product lotus-demand: name.en \"Lotus demand savings\" → \"Lotus Demand\", priority 50 → 55\n\
         ~ campaign lotus-mathcamp: window_days 30 → 45\n\
         Plan: 0 to create, 2 to update, 9 unchanged."
    );
    let Some(Action::Update(fields)) = plan
        .changes
        .iter()
        .find(|c| c.object.id() == "lotus-mathcamp")
        .map(|c| &c.action)
    else {
        panic!("an update: {plan:?}");
    };
    assert_eq!(
        (
            fields[0].field.as_str(),
            fields[0].before.as_str(),
            fields[0].after.as_str()
        ),
        ("window_days", "30", "45")
    );
    state.apply(&plan);
    assert!(tenant::plan(&state, &edited).is_empty());

    // Absent objects are not deleted: a file without campaigns plans no removal.
    let mut fewer = edited.clone();
    fewer.campaigns.clear();
    let plan: Plan = tenant::plan(&state, &fewer);
    assert!(plan.is_empty());
    assert_eq!(state.campaigns.len(), 3);
}

#[test]
fn a_broken_file_is_refused_with_every_object_and_reason() {
    assert_eq!(
        errors(&fixture("broken-bank.toml")),
        [
            r#"bank "Broken_Bank": id is 1-63 characters of a-z, 0-9 and -, starting with a letter or digit"#,
            r##"bank "Broken_Bank": brand_color is #rrggbb in lower-case hex"##,
            r#"bank "Broken_Bank": currency is an ISO 4217 code such as CNY"#,
            r#"bank "Broken_Bank": consent names the bank (its name in that language) in every language"#,
            r#"products[1] "risky-deposit": deposits are R1"#,
            r#"products[1] "risky-deposit": name is missing a language"#,
            r#"products[1] "risky-deposit": regions are the questionnaire's: north, northeast, east, south, central, west"#,
            r#"products[1] "risky-deposit": url is https://host/… (http only for localhost)"#,
            r#"partners[0] "shop": origin "https://shop.example/": an origin has no path, query or fragment (not even a trailing /)"#,
            r#"partners[0] "shop": origin "http://shop.example": http is allowed only for localhost and 127.0.0.1; use https"#,
            r#"campaigns[0] "broken-shop": partner "nobody" is neither in this file nor an existing partner"#,
            r#"campaigns[0] "broken-shop": product "no-such-product" is not one of this bank's products"#,
            r#"campaigns[0] "broken-shop": window_days is 1-365"#,
            r#"campaigns[0] "broken-shop": commission "account_opened" pays nothing: give flat_minor or percent_bps"#,
            r#"campaigns[0] "broken-shop": repeat event "funded" has no commission in this campaign"#,
        ]
    );
}

/// One fault at a time in the valid Lotus file: the error names the object and the reason.
#[test]
fn each_fault_names_its_object_and_reason() {
    let lotus = fixture("lotus-bank.toml");
    let cases: &[(&str, &str, &[&str])] = &[
        // Catalogue rules, as for the built-in catalogue.
        ("kind = \"equity\"\nrisk = 4", "kind = \"demand_deposit\"\nrisk = 4", &[r#"products[4] "lotus-equity": deposits are R1"#]),
        ("id = \"lotus-bond\"", "id = \"lotus-demand\"", &[r#"products[3] "lotus-demand": duplicate id"#]),
        ("min_amount_cny = 200000", "min_amount_cny = 100000", &[r#"products[2] "lotus-lcd-3y": a large CD's minimum is at least 200,000 CNY"#]),
        ("term_months = 12\nearly_redemption = true", "term_months = 0\nearly_redemption = true", &[r#"products[1] "lotus-td-12m": time deposits, large CDs and structured deposits have a term (term_months > 0)"#]),
        ("yield_bps = 650", "yield_bps = 65000", &[r#"products[4] "lotus-equity": yield_bps is at most 5000 (50 %): yields are in basis points"#]),
        ("priority = 40", "priority = 140", &[r#"products[4] "lotus-equity": priority is 0–100"#]),
        ("within_days = 7", "within_days = 0", &[r#"products[1] "lotus-td-12m": an incentive pays 1–1000 bps (bonus_bps) within 1–365 days (within_days)"#]),
        ("regions = [\"east\", \"south\"]", "regions = [\"east\", \"east\"]", &[r#"products[2] "lotus-lcd-3y": a region is listed twice"#]),
        ("qualified_only = false\nregions = []\npriority = 40", "qualified_only = true\nregions = []\npriority = 40", &[r#"products[4] "lotus-equity": a qualified-investors-only product's minimum is at least 300,000 / 400,000 / 1,000,000 CNY (fixed income / balanced / equity)"#]),
        // Partners.
        ("https://pixelquest.example:8443", "https://PixelQuest.example", &[r#"partners[1] "pixelquest": origin "https://PixelQuest.example": the host is lower-case, as browsers send it"#]),
        ("https://pixelquest.example:8443", "https://pixelquest.example:443", &[r#"partners[1] "pixelquest": origin "https://pixelquest.example:443": leave out the scheme's default port (browsers send none)"#]),
        ("id = \"pixelquest\"", "id = \"mathcamp\"", &[
            r#"partners[1] "mathcamp": duplicate id"#,
            // The campaigns' partner is gone with the renamed copy: said too, at each campaign.
            r#"campaigns[1] "lotus-pixelquest": partner "pixelquest" is neither in this file nor an existing partner"#,
            r#"campaigns[2] "lotus-pixelquest-edu": partner "pixelquest" is neither in this file nor an existing partner"#,
        ]),
        // Campaigns.
        ("products = [\"lotus-demand\", \"lotus-td-12m\"]", "products = [\"*\", \"lotus-td-12m\"]", &[r#"campaigns[1] "lotus-pixelquest": products is either ["*"] or a list of ids, not both"#]),
        ("percent_bps = 30, cap_minor", "percent_bps = 30000, cap_minor", &[r#"campaigns[1] "lotus-pixelquest": commission "funded": percent_bps is 0-10000 (basis points)"#]),
        ("repeat_events = [\"funded\"]", "repeat_events = [\"funded\", \"funded\"]", &[r#"campaigns[1] "lotus-pixelquest": repeat event "funded" is listed twice"#]),
        (
            "scenes = [\"education\"]\nproducts = [\"lotus-demand\"]\nwindow_days = 30\napproval_days = 0\ncommissions = [{ event = \"account_opened\", flat_minor = 4000 }]\nstatus = \"paused\"",
            "scenes = [\"gaming\"]\nproducts = [\"lotus-demand\"]\nwindow_days = 30\napproval_days = 0\ncommissions = [{ event = \"account_opened\", flat_minor = 4000 }]\nstatus = \"active\"",
            &[r#"campaigns[2] "lotus-pixelquest-edu": campaign "lotus-pixelquest" already serves partner "pixelquest" in scene gaming; pause one"#],
        ),
        ("flat_minor = 4000 }]", "flat_minor = 4500 }]", &[r#"campaigns[2] "lotus-pixelquest-edu": commission "account_opened" for partner "pixelquest" differs from campaign "lotus-pixelquest"'s; one partner is paid one way per event"#]),
        ("flat_minor = 6000 }]", "flat_minor = 6000 }, { event = \"Funded\", flat_minor = 1 }]", &[r#"campaigns[0] "lotus-mathcamp": commission event "Funded" is a snake_case name such as account_opened"#]),
        // Bank.
        ("currency = \"CNY\"", "currency = \"CNY\"\nretention_days = 0", &[r#"bank "lotus-bank": retention_days is a whole number of days from 1 to 3650"#]),
        ("currency = \"CNY\"", "currency = \"CNY\"\nretention_days = 3651", &[r#"bank "lotus-bank": retention_days is a whole number of days from 1 to 3650"#]),
        ("currency = \"CNY\"", "currency = \"CNY\"\ncontact_key = \"AAAA\"", &[r#"bank "lotus-bank": contact_key is not 32 bytes (an X25519 public key)"#]),
        ("currency = \"CNY\"", "currency = \"CNY\"\ncontact_key = \"not base64!\"", &[r#"bank "lotus-bank": contact_key is not unpadded base64url (as `inflow bank keygen` prints it)"#]),
        ("currency = \"CNY\"", "currency = \"CNY\"\ntimezone = \"Mars/Olympus\"", &[r#"bank "lotus-bank": timezone: tz 'Mars/Olympus' is not an IANA time zone name; use one such as Asia/Shanghai, America/New_York, Europe/London, Asia/Kolkata or UTC"#]),
        ("currency = \"CNY\"", "currency = \"CNY\"\ntimezone = \"Asia/Kathmandu\"", &[r#"bank "lotus-bank": timezone: tz Asia/Kathmandu is UTC+05:45 on 2020-01-01, which is not a whole number of the reports' 30-minute buckets, so its local days cannot be counted exactly; use a zone whose offset is whole half hours, such as Asia/Shanghai, America/New_York, Europe/London, Asia/Kolkata or UTC; statements are read beside reports by day"#]),
        // Stored as written and never changed: spelt as the database spells it (review).
        ("currency = \"CNY\"", "currency = \"CNY\"\ntimezone = \"asia/KOLKATA\"", &[r#"bank "lotus-bank": timezone is spelt Asia/Kolkata (as the IANA database spells it)"#]),
        ("en = \"I agree that Lotus Bank may", "en = \"I agree that the bank may", &[r#"bank "lotus-bank": consent names the bank (its name in that language) in every language"#]),
    ];
    for (from, to, want) in cases {
        assert!(lotus.contains(from), "fixture has {from:?}");
        let broken = lotus.replacen(from, to, 1);
        assert_eq!(errors(&broken), *want, "{from:?} → {to:?}");
    }
}

#[test]
fn unknown_fields_and_wrong_types_are_refused_by_the_parser() {
    let lotus = fixture("lotus-bank.toml");
    for (from, to, want) in [
        (
            "window_days = 14",
            "window_days = 14\nwindow = 3",
            "unknown field `window`",
        ),
        ("brand_color", "brand_colour", "unknown field `brand_colour`"),
        (
            "scenes = [\"gaming\"]",
            "scenes = [\"casino\"]",
            "unknown variant `casino`",
        ),
        ("flat_minor = 6000", "flat_minor = -6000", "-6000"),
        (
            "status = \"paused\"",
            "status = \"stopped\"",
            "unknown variant `stopped`",
        ),
    ] {
        let broken = lotus.replacen(from, to, 1);
        let err = toml::from_str::<TenantFile>(&broken).expect_err(from).to_string();
        assert!(err.contains(want), "{from:?}: {err}");
    }
}

/// The demo files pay what `edge/seed/demo.sql` pays today (bank defaults plus an override for
/// edu-demo there; one rule per campaign here): every partner, every event, the same rule.
#[test]
fn demo_commissions_resolve_as_the_seed_does() {
    let rule = |flat_minor, percent_bps, cap_minor| Rule {
        flat_minor,
        percent_bps,
        cap_minor,
    };
    let scoped = |event: &str, partner: Option<&str>, r| ScopedRule {
        event: event.into(),
        partner_id: partner.map(Into::into),
        rule: r,
    };
    let seed = [
        (
            "demo-bank",
            vec![
                scoped("lead_qualified", None, rule(500, 0, None)),
                scoped("account_opened", None, rule(5000, 0, None)),
                scoped("account_opened", Some("edu-demo"), rule(8000, 0, None)),
                scoped("funded", None, rule(0, 50, Some(20000))),
            ],
        ),
        ("harbor-bank", vec![scoped("account_opened", None, rule(3000, 0, None))]),
    ];
    let files = tenant_files();
    for (bank, seed_rules) in seed {
        let file = &files
            .iter()
            .find(|(_, f)| f.bank.id == bank)
            .expect("a file per seeded bank")
            .1;
        for c in &file.campaigns {
            let ours = c.scoped_rules();
            for event in ["lead_qualified", "account_opened", "funded", "card_issued"] {
                let want = commission::resolve(&seed_rules, &c.partner, event);
                // Today an event without a rule is not paid (event_not_in_campaign) either way.
                assert_eq!(
                    commission::resolve(&ours, &c.partner, event),
                    want,
                    "{bank} {} {event}",
                    c.id
                );
                assert_eq!(c.events().contains(&event), want.is_some(), "{bank} {} {event}", c.id);
            }
        }
    }
}

/// Which events may be paid more than once per click is the same in the tenant files and in
/// the seed's `campaigns.repeatable_events` (one row per campaign, the JSON list last).
#[test]
fn demo_repeatable_events_are_the_seeds() {
    let seed = std::fs::read_to_string(root().join("edge/seed/demo.sql")).expect("seed");
    for (_, file) in tenant_files() {
        for c in &file.campaigns {
            let row = seed
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("('{}',", c.id)))
                .unwrap_or_else(|| panic!("no seed row for campaign {}", c.id));
            let listed = format!("'{}')", serde_json::to_string(&c.repeat_events).expect("json"));
            assert!(
                row.trim_end().trim_end_matches([',', ';']).ends_with(&listed),
                "campaign {}: file says {listed}, seed row is {row}",
                c.id
            );
        }
    }
}

/// The admin API will take the same shape as JSON; a file survives JSON and TOML round trips.
#[test]
fn a_tenant_file_round_trips_through_json_and_toml() {
    let lotus = parse(&fixture("lotus-bank.toml"));
    let json = serde_json::to_string(&lotus).expect("to JSON");
    assert_eq!(serde_json::from_str::<TenantFile>(&json).expect("from JSON"), lotus);
    let toml_text = toml::to_string(&lotus).expect("to TOML");
    assert_eq!(parse(&toml_text), lotus);
}

#[test]
fn a_consent_version_names_one_text_of_one_bank() {
    use std::collections::BTreeMap;
    let files = tenant_files();
    let mut seen = BTreeMap::new();
    for (path, f) in &files {
        let version = f.bank.consent.version.clone();
        if let Some(other) = seen.insert(version.clone(), f.bank.id.clone()) {
            panic!("{}: consent version {version} is also {other}'s", path.display());
        }
    }
    let lotus = parse(&fixture("lotus-bank.toml"));
    assert!(
        !seen.contains_key(&lotus.bank.consent.version),
        "the e2e lotus file's own version"
    );
    let stored = lotus.bank.consent.clone();
    let why = |current, others: &BTreeMap<String, String>, file: &TenantFile| -> Vec<String> {
        tenant::consent_conflicts(file, current, others)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let none = BTreeMap::new();
    assert!(why(None, &none, &lotus).is_empty(), "a new bank");
    assert!(why(Some(&stored), &none, &lotus).is_empty(), "unchanged");

    // Any language's text changed under the same version is refused; with a new version it is
    // not.
    for lang in ["zh-Hans", "zh-Hant", "en"] {
        let mut edited = lotus.clone();
        let text = match lang {
            "zh-Hans" => &mut edited.bank.consent.zh_hans,
            "zh-Hant" => &mut edited.bank.consent.zh_hant,
            _ => &mut edited.bank.consent.en,
        };
        text.push('!');
        assert_eq!(
            why(Some(&stored), &none, &edited),
            [r#"bank "lotus-bank": the consent text changed but its version did not — change the version"#],
            "{lang}"
        );
        edited.bank.consent.version = "lotus-2027-01".into();
        assert!(why(Some(&stored), &none, &edited).is_empty(), "{lang}");
    }

    // Another bank's version is refused, whether new to this bank or not; this bank's own is not.
    let demo: BTreeMap<String, String> = [("contact-2026-11".to_string(), "demo-bank".to_string())].into();
    let mut taken = lotus.clone();
    taken.bank.consent.version = "contact-2026-11".into();
    // Which bank holds it is not said: a bank admin reads this.
    let refused =
        [r#"bank "lotus-bank": this consent version is another bank's — choose a version of this bank's own"#];
    assert_eq!(why(Some(&stored), &demo, &taken), refused);
    assert_eq!(why(None, &demo, &taken), refused);
    let own: BTreeMap<String, String> = [("lotus-2026-12".to_string(), "lotus-bank".to_string())].into();
    assert!(why(Some(&stored), &own, &lotus).is_empty());
}

#[test]
fn a_bank_declares_its_webhooks_and_they_are_checked_and_planned() {
    let base = fixture("lotus-bank.toml");
    let with = format!(
        "{base}\n[[webhooks]]\nid = \"crm\"\nurl = \"https://harbor.example/hooks\"\nevents = [\"lead.created\"]\n"
    );
    let file = parse(&with);
    assert_eq!(file.webhooks[0].disable_after, 10, "the default");
    assert_eq!(file.webhooks[0].endpoint_id("harbor-bank"), "harbor-bank.crm");
    assert_eq!(errors(&with), Vec::<String>::new());
    let plan = tenant::plan(&TenantState::default(), &file);
    assert!(plan.to_string().contains("+ webhook crm\n"), "{plan}");
    let mut state = TenantState::default();
    state.apply(&plan);
    let mut moved = file.clone();
    moved.webhooks[0].url = "https://harbor.example/v2".into();
    let again = tenant::plan(&state, &moved);
    assert!(
        again
            .to_string()
            .contains("~ webhook crm: url \"https://harbor.example/hooks\" → \"https://harbor.example/v2\""),
        "{again}"
    );
    // A file without webhooks reads back without the section.
    let plain = parse(&base);
    assert!(!serde_json::to_string(&plain).expect("json").contains("webhooks"));

    let broken = format!(
        "{base}\n[[webhooks]]\nid = \"crm\"\nurl = \"http://harbor.example/hooks\"\nevents = [\"lead.created\"]\n\
         [[webhooks]]\nid = \"crm\"\nurl = \"https://harbor.example/h\"\nevents = [\"conversion.created\"]\n"
    );
    let all = errors(&broken).join("\n");
    for needed in [
        "webhooks[0] \"crm\": url must be https",
        "webhooks[1] \"crm\": duplicate id",
        "webhooks[1] \"crm\": a bank does not receive conversion.created",
    ] {
        assert!(all.contains(needed), "{needed} not in:\n{all}");
    }
}

#[test]
fn names_and_texts_are_readable_bounded_and_origins_few() {
    let base = fixture("lotus-bank.toml");
    let mut file = parse(&base);
    file.bank.name.en = "Lotus\u{202E}knaB".into();
    file.bank.consent.en = format!("Lotus Bank {}", "x".repeat(2000));
    file.partners[0].name = "Math\0Camp".into();
    file.partners[1].origins = (0..51).map(|i| format!("https://s{i}.example")).collect();
    file.bank.currency = "ZZZ".into();
    let why: Vec<String> = match tenant::validate(&file, &BTreeSet::new()) {
        Ok(()) => Vec::new(),
        Err(all) => all.iter().map(ToString::to_string).collect(),
    };
    for expected in [
        "name (en) holds a bidirectional override or isolate",
        "currency is an ISO 4217 code",
        "consent (en) is over 2000 characters",
        "name holds a control character",
        "at most 50 origins",
    ] {
        assert!(why.iter().any(|w| w.contains(expected)), "{expected}: {why:#?}");
    }
    assert_eq!(why.len(), 5, "{why:#?}");
}

#[test]
fn a_banks_time_zone_is_fixed_once_booked_but_its_spelling_may_be_corrected() {
    let lotus = parse(&fixture("lotus-bank.toml"));
    let mut stored = lotus.bank.clone();
    assert_eq!(
        tenant::timezone_change(&lotus, Some(&stored), true),
        None,
        "absent is the default"
    );
    let mut kolkata = lotus.clone();
    kolkata.bank.timezone = Some("Asia/Kolkata".into());
    assert_eq!(
        tenant::timezone_change(&kolkata, Some(&stored), false),
        None,
        "nothing booked or closed yet: the bank still chooses"
    );
    let why = tenant::timezone_change(&kolkata, Some(&stored), true).map(|i| i.to_string());
    assert_eq!(
        why.as_deref(),
        Some(r#"bank "lotus-bank": timezone is Asia/Shanghai and cannot change (statements are months in it)"#)
    );
    // A bank stored before the spelling was checked corrects it to the database's.
    stored.timezone = Some("asia/KOLKATA".into());
    assert_eq!(tenant::timezone_change(&kolkata, Some(&stored), true), None);
}

#[test]
fn a_banks_currency_does_not_change() {
    let lotus = parse(&fixture("lotus-bank.toml"));
    let stored = lotus.bank.clone();
    assert_eq!(tenant::currency_change(&lotus, Some(&stored)), None);
    assert_eq!(tenant::currency_change(&lotus, None), None, "a new bank chooses");
    let mut dollars = lotus.clone();
    dollars.bank.currency = "USD".into();
    let why = tenant::currency_change(&dollars, Some(&stored)).map(|i| i.to_string());
    assert_eq!(
        why.as_deref(),
        Some(r#"bank "lotus-bank": currency is CNY and cannot change (amounts are kept in its minor units)"#)
    );
}
