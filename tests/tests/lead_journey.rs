//! Issue 14's "done when", as one journey against the real Worker under `wrangler dev` and a
//! real headless Chromium: a visitor on a partner's page consents and types a phone number in
//! the widget (partly in full-width digits, as Chinese input methods type them) → Demo Bank
//! pulls the lead with its report key and `inflow bank open` with its private key shows the
//! number in its canonical form → Demo Bank's local receiver gets a `lead.created` whose
//! Standard Webhooks signature verifies → the receiver goes down while more leads are made,
//! comes back, and gets each event exactly once, every signature valid → the visitor erases
//! from the widget → the bank's next pull shows a tombstone, D1 holds neither the lead's
//! ciphertext nor its contact hash, the receiver gets a verified `lead.erased`, and the report
//! totals are what they were. The Worker retries webhooks after about a second
//! (`WEBHOOK_RETRY_BASE_SECS=1`; production: 30 s), doubling.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use inflow_core::lead::consent::Contact;
use inflow_core::webhook::signing;
use inflow_tests::bank::lead;
use inflow_tests::chat;
use inflow_tests::cli::bank_open;
use inflow_tests::feed::{entries, feed, ids, pull_all, reports};
use inflow_tests::receiver::{deliveries, lead_created, lead_erased, logged, register, Received, Receiver};
use inflow_tests::scan::tables_holding;
use inflow_tests::{free_port, hostile, paths, wait_until, Browser, Worker};
use serde_json::Value;

/// Demo Bank's report key in the seed: it pulls the bank's leads and reads its reports.
const DEMO_BANK_KEY: &str = "rk_bank_demo_local";
const PARTNER_KEY: &str = "rk_edu-demo_local";
/// `CONTACT_HASH_KEY` in `.dev.vars.example`, which the harness passes to `wrangler dev`.
const CONTACT_HASH_KEY: &str = "dev-contact-hash-key-not-secret-0001";
/// What the visitor types: the first three digits full-width, then a space and ASCII digits.
const TYPED: &str = "１３８ 1357 2468";
/// The number as the bank opens it (`tel:+86…` without the scheme).
const CANONICAL: &str = "+8613813572468";
/// How long a webhook may take to arrive, retries included, on a loaded machine.
const QUEUE: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitors_lead_reaches_the_bank_sealed_and_signed_and_is_erased_from_the_widget() {
    let w = Worker::start_with(&["--var", "WEBHOOK_RETRY_BASE_SECS:1"]).expect("wrangler dev");
    let got = Arc::new(Mutex::new(Vec::<Received>::new()));
    let rx = Receiver::start(free_port().expect("port"), got.clone());
    let (endpoint, secret) = register(&w, "banks/demo-bank", &rx.url(), &["lead.created", "lead.erased"], 100);
    let received = |id: &str| -> Vec<Received> {
        let all = got.lock().expect("lock");
        all.iter().filter(|r| r.header("webhook-id") == id).cloned().collect()
    };
    let (_, start) = feed(&w, DEMO_BANK_KEY, "0");

    // 1. The visitor consents and types the number in the widget on a partner's page.
    let site = hostile::registered_page(&w, &[]).expect("partner site");
    let b = Browser::start().await.expect("chromium");
    chat::consent_with_contact(&b, &site, TYPED)
        .await
        .expect("a lead with the typed number");
    assert_eq!(b.widget_count(".contact-error").await.expect("count"), 0);
    let session = chat::js(
        &b,
        "return JSON.parse(JSON.parse(sessionStorage.getItem('inflow:v1:edu-demo')).response).lead_id",
    )
    .await
    .expect("storage");
    let id = session.as_str().expect("the lead id in the session").to_string();

    // What D1 keeps of the contact: the keyed hash of the canonical number, and a ciphertext.
    let stored = w
        .d1(&format!(
            "SELECT l.contact_hash, c.sealed FROM leads l JOIN lead_contacts c ON c.lead_id = l.id \
             WHERE l.id = '{id}'"
        ))
        .expect("D1");
    assert_eq!(stored.len(), 1, "one sealed contact, Demo Bank's: {stored:?}");
    let hash = stored[0]["contact_hash"].as_str().expect("a contact hash").to_string();
    let sealed = stored[0]["sealed"].as_str().expect("a ciphertext").to_string();
    let ascii = Contact::parse("13813572468").expect("a phone number");
    assert_eq!(
        hash,
        ascii.keyed_hash(CONTACT_HASH_KEY.as_bytes()),
        "the hash is the canonical number's"
    );
    assert_eq!(
        tables_holding(&w, &["13813572468", "１３８", "1357 2468"]),
        [],
        "the number in D1"
    );

    // 2. The bank pulls its leads and opens the export with its private key.
    let pages = pull_all(&w, DEMO_BANK_KEY, &start);
    let page = pages
        .iter()
        .find(|p| ids(p).contains(&id))
        .expect("Demo Bank pulls the lead");
    let pulled = page["leads"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["id"] == id.as_str()))
        .expect("the lead");
    assert_eq!(
        (pulled["kind"].as_str(), pulled["contact"].as_str()),
        (Some("lead"), Some("sealed"))
    );
    assert_eq!(pulled["sealed_contact"].as_str(), Some(sealed.as_str()));
    let cursor = pages
        .last()
        .and_then(|p| p["cursor"].as_str())
        .expect("a cursor")
        .to_string();
    let dir = paths::scratch(&format!("lead-journey-{}", w.port));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let export = dir.join("leads.json");
    let text: String = pages.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
    std::fs::write(&export, text).expect("export written");
    let out = bank_open(&paths::root().join("tenants/demo-bank.contact-key"), &export);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.success, "{}{}", out.stdout, out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with(&id))
        .expect("the lead's line");
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields.get(3), Some(&CANONICAL), "{line}");

    // 3. The receiver gets a verified lead.created for it, carrying the contact sealed to the
    // bank's key (the ciphertext the pull gave, which `inflow bank open` opened), never in clear.
    wait_until("the visitor's lead.created", QUEUE, || {
        !received(&lead_created(&id)).is_empty()
    });
    let first = &received(&lead_created(&id))[0];
    assert!(first.verifies(&secret), "{first:?}");
    assert!(
        !first.verifies(&signing::new_secret([7; 32])),
        "another secret does not verify"
    );
    let body = first.json();
    assert_eq!(
        (body["type"].as_str(), body["data"]["lead_id"].as_str()),
        (Some("lead.created"), Some(id.as_str()))
    );
    assert_eq!(
        body["data"]["sealed_contact"].as_str(),
        Some(sealed.as_str()),
        "the sealed contact rides on lead.created (it never did)"
    );
    assert_eq!(body["data"]["key_id"], pulled["key_id"]);
    for needle in ["13813572468", "1357 2468", "+86"] {
        assert!(!first.body.contains(needle), "{needle} in {}", first.body);
    }

    // 4. The receiver goes down; more leads come and their deliveries fail; it comes back.
    let port = rx.port;
    rx.stop();
    let during: Vec<String> = (0..2)
        .map(|_| {
            lead(&w, "edu-demo", "education")["lead_id"]
                .as_str()
                .expect("lead id")
                .to_string()
        })
        .collect();
    wait_until("a failed attempt of each lead made during the outage", QUEUE, || {
        let rows = deliveries(&w, &endpoint);
        during.iter().all(|l| logged(&rows, &lead_created(l), "failed") >= 1)
    });
    let rows = deliveries(&w, &endpoint);
    assert!(
        rows.iter()
            .filter(|r| r["outcome"] == "failed")
            .all(|r| r["status"].is_null()),
        "no answer while down: {rows:?}"
    );
    let rx = Receiver::start(port, got.clone());
    wait_until("every lead made during the outage, delivered", QUEUE, || {
        let rows = deliveries(&w, &endpoint);
        during.iter().all(|l| logged(&rows, &lead_created(l), "delivered") >= 1)
    });
    for l in &during {
        let copies = received(&lead_created(l));
        assert!(!copies.is_empty(), "{l} arrived");
        assert!(copies.iter().all(|c| c.verifies(&secret)), "{copies:?}");
        assert_eq!(copies[0].json()["data"]["lead_id"].as_str(), Some(l.as_str()));
    }

    // 5. The visitor erases from the widget; the totals are read just before — once the
    // widget's own funnel event for the cards it showed has landed (it is sent after they
    // render, and on a loaded machine came after the first read: 0 then 1 shown).
    let shown = |key: &str| -> i64 {
        reports(&w, key)["rows"].as_array().map_or(0, |rows| {
            rows.iter().filter_map(|r| r["recommendations_shown"].as_i64()).sum()
        })
    };
    wait_until("the widget's recommendations_shown is counted", QUEUE, || {
        shown(DEMO_BANK_KEY) >= 1 && shown(PARTNER_KEY) >= 1
    });
    let (bank_report, partner_report) = (reports(&w, DEMO_BANK_KEY), reports(&w, PARTNER_KEY));
    chat::erase_from_widget(&b).await.expect("delete my details");

    // 6. The bank's next pull, from the cursor it had, shows the tombstone (and the leads made
    // meanwhile); D1 holds neither ciphertext nor hash; a verified lead.erased arrives.
    let (next, _) = feed(&w, DEMO_BANK_KEY, &cursor);
    assert_eq!(entries(&next, &id), ["erased"], "{next:?}");
    for l in &during {
        assert_eq!(entries(&next, l), ["lead"], "{next:?}");
    }
    let row = w
        .d1(&format!(
            "SELECT contact_hash, erased_at, (SELECT COUNT(*) FROM lead_contacts WHERE lead_id = l.id) AS sealed \
             FROM leads l WHERE id = '{id}'"
        ))
        .expect("D1");
    assert_eq!(
        (
            row[0]["contact_hash"].is_null(),
            row[0]["sealed"].as_i64(),
            row[0]["erased_at"].is_i64()
        ),
        (true, Some(0), true),
        "{row:?}"
    );
    assert_eq!(
        tables_holding(&w, &[&hash, &sealed]),
        [],
        "the hash or ciphertext in D1"
    );
    wait_until("the visitor's lead.erased", QUEUE, || {
        !received(&lead_erased(&id)).is_empty()
    });
    let erased = &received(&lead_erased(&id))[0];
    assert!(erased.verifies(&secret), "{erased:?}");
    assert_eq!(
        (
            erased.json()["type"].as_str(),
            erased.json()["data"]["lead_id"].as_str()
        ),
        (Some("lead.erased"), Some(id.as_str()))
    );
    assert_eq!(reports(&w, DEMO_BANK_KEY), bank_report, "the bank's report totals stay");
    assert_eq!(
        reports(&w, PARTNER_KEY),
        partner_report,
        "the partner's report totals stay"
    );

    // Each event exactly once: no webhook-id accepted twice, one lead.created per lead made,
    // every signature valid; the delivery log agrees.
    let erased_rows = || logged(&deliveries(&w, &endpoint), &lead_erased(&id), "delivered");
    wait_until("lead.erased logged delivered", QUEUE, || erased_rows() >= 1);
    rx.stop();
    let all = got.lock().expect("lock").clone();
    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for r in &all {
        assert!(r.verifies(&secret), "{r:?}");
        *per_id.entry(r.header("webhook-id").to_string()).or_default() += 1;
    }
    let twice: Vec<_> = per_id.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(twice, Vec::<(&String, &usize)>::new(), "delivered more than once");
    let rows = deliveries(&w, &endpoint);
    for l in during.iter().chain([&id]) {
        assert_eq!(per_id.get(&lead_created(l)), Some(&1), "{l}: {per_id:?}");
        assert_eq!(logged(&rows, &lead_created(l), "delivered"), 1, "{l}: {rows:?}");
    }
    assert_eq!(per_id.get(&lead_erased(&id)), Some(&1), "{per_id:?}");
    assert_eq!(logged(&rows, &lead_erased(&id), "delivered"), 1, "{rows:?}");
    assert_eq!(per_id.len(), during.len() + 2, "nothing else was sent: {per_id:?}");

    b.close().await.expect("close");
}
