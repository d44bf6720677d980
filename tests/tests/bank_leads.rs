//! Leads reach the bank that pays for them (issue 14, items 1 and 2), against the real Worker
//! under `wrangler dev`: a consenting visitor's phone number is sealed to Demo Bank's key and
//! found nowhere in clear (not in any D1 column, not in the Worker's log); Demo Bank pulls it
//! with `GET /v1/bank/leads` and `inflow bank open` with the demo private key
//! (`tenants/demo-bank.contact-key`) shows the number; the pull gives each lead once in feed
//! order, pages, and sees nothing new from its last cursor; partner keys and other banks see
//! none of it.

use std::collections::BTreeSet;

use inflow_tests::bank::lead_with;
use inflow_tests::cli::bank_open;
use inflow_tests::feed::{ids, pull, pull_all};
use inflow_tests::scan::tables_holding;
use inflow_tests::worker::{alone, shared};
use inflow_tests::{paths, Worker};
use serde_json::json;

const DEMO_BANK_KEY: &str = "rk_bank_demo_local";
const HARBOR_BANK_KEY: &str = "rk_bank_harbor_local";
const PARTNER_KEY: &str = "rk_edu-demo_local";

/// An education lead for Demo Bank's campaign, consenting with `contact` when given.
fn post_lead(w: &Worker, contact: Option<&str>) -> String {
    let consent =
        contact.map(|c| json!({"version": "contact-2026-11", "accepted_at": "2026-11-30T08:00:00Z", "contact": c}));
    lead_with(w, "edu-demo", "education", consent)["lead_id"]
        .as_str()
        .expect("a lead id")
        .to_string()
}

#[test]
fn a_phone_number_is_sealed_to_the_bank_stored_and_logged_nowhere_and_opens_with_its_key() {
    let w = shared();
    let lead = post_lead(&w, Some("139 2468 1357"));
    let needles = ["13924681357", "139 2468 1357", "2468 1357", "24681357"];
    assert_eq!(tables_holding(&w, &needles), [], "the number in D1");
    // The scan finds what is there: the lead's id is in its tables.
    let found: Vec<String> = tables_holding(&w, &[&lead]).into_iter().map(|(t, _)| t).collect();
    for t in ["leads", "lead_contacts", "bank_leads"] {
        assert!(found.iter().any(|f| f == t), "{t} in {found:?}");
    }
    let log = w.log().expect("the log");
    for n in needles {
        assert!(!log.contains(n), "{n:?} in the Worker's log");
    }
    let sealed = w
        .d1(&format!(
            "SELECT bank_id, key_id, sealed FROM lead_contacts WHERE lead_id = '{lead}'"
        ))
        .expect("D1");
    assert_eq!(sealed.len(), 1, "sealed for Demo Bank alone: {sealed:?}");
    assert_eq!(sealed[0]["bank_id"], "demo-bank");
    assert!(sealed[0]["sealed"].as_str().is_some_and(|s| s.len() > 100));

    let page = pull_all(&w, DEMO_BANK_KEY, "0")
        .into_iter()
        .find(|p| ids(p).contains(&lead))
        .expect("Demo Bank pulls the lead");
    let pulled = page["leads"]
        .as_array()
        .expect("leads")
        .iter()
        .find(|l| l["id"] == lead.as_str())
        .expect("the lead");
    assert_eq!(pulled["contact"], "sealed");
    assert_eq!(pulled["sealed_contact"], sealed[0]["sealed"]);
    assert_eq!(pulled["consent"]["version"], "contact-2026-11");
    assert_eq!(pulled["partner"], "edu-demo");
    assert!(pulled["products"].as_array().is_some_and(|p| !p.is_empty()));

    let dir = paths::scratch("bank-leads-export");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let export = dir.join("leads.json");
    std::fs::write(&export, page.to_string()).expect("export written");
    let key = paths::root().join("tenants/demo-bank.contact-key");
    let out = bank_open(&key, &export);
    assert!(out.success, "{}{}", out.stdout, out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with(&lead))
        .expect("the lead's line");
    assert!(line.contains("+8613924681357"), "{line}");

    // Moved under another lead's id, the ciphertext does not open: an error line, exit 1.
    let mut moved_lead = pulled.clone();
    moved_lead["id"] = json!("not-this-lead");
    let mut moved = page.clone();
    moved["leads"] = json!([moved_lead]);
    std::fs::write(&export, moved.to_string()).expect("export written");
    let out = bank_open(&key, &export);
    assert!(!out.success);
    assert!(
        out.stdout.starts_with("not-this-lead\terror: it does not open"),
        "{}",
        out.stdout
    );
}

#[test]
fn each_lead_arrives_once_in_order_page_by_page_and_the_last_cursor_sees_nothing_new() {
    let w = alone();
    let start = pull_all(&w, DEMO_BANK_KEY, "0")
        .last()
        .and_then(|p| p["cursor"].as_str().map(String::from))
        .expect("a cursor");
    // Two leads at once: most often in the same second; the feed does not go by the clock.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| post_lead(&w, Some("13800138000")));
        let b = s.spawn(|| post_lead(&w, None));
        (a.join().expect("lead a"), b.join().expect("lead b"))
    });
    let (mut seen, mut cursor) = (Vec::new(), start.clone());
    for _ in 0..10 {
        let page = pull(&w, Some(DEMO_BANK_KEY), &format!("?after={cursor}&limit=1"));
        assert_eq!(page.status, 200, "{:?}", page.body);
        let got = ids(&page.body);
        assert!(got.len() <= 1, "limit=1: {got:?}");
        cursor = page.body["cursor"].as_str().expect("a cursor").to_string();
        if got.is_empty() {
            assert_eq!(page.body["more"], false);
            break;
        }
        seen.extend(got);
    }
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, both, "each lead exactly once, page by page");
    let again = pull(&w, Some(DEMO_BANK_KEY), &format!("?after={cursor}"));
    assert_eq!(again.body["leads"], json!([]), "nothing new from the last cursor");
    assert_eq!(
        again.body["cursor"].as_str(),
        Some(cursor.as_str()),
        "an empty page keeps the cursor"
    );

    // The same two in one page from the start cursor, in the order paging gave them.
    let whole = pull(&w, Some(DEMO_BANK_KEY), &format!("?after={start}"));
    assert_eq!(ids(&whole.body), seen);
    let contacts: BTreeSet<&str> = whole.body["leads"]
        .as_array()
        .expect("leads")
        .iter()
        .map(|l| l["contact"].as_str().expect("a status"))
        .collect();
    assert_eq!(contacts, BTreeSet::from(["none", "sealed"]));
    // The profile's tags, as the lead was decided: the feed read `[]` for every lead before.
    for l in whole.body["leads"].as_array().expect("leads") {
        for tag in ["asset_band", "region", "yield_preference"] {
            assert!(l["tags"][tag].as_str().is_some_and(|v| !v.is_empty()), "{tag}: {l}");
        }
    }
}

#[test]
fn partner_keys_and_other_banks_see_none_of_a_banks_leads() {
    let w = shared();
    let lead = post_lead(&w, Some("13700137000"));
    assert!(pull_all(&w, DEMO_BANK_KEY, "0").iter().any(|p| ids(p).contains(&lead)));
    let harbor = pull_all(&w, HARBOR_BANK_KEY, "0");
    assert_eq!(harbor.len(), 1);
    assert_eq!(harbor[0]["bank"], "harbor-bank");
    assert_eq!(harbor[0]["leads"], json!([]), "Harbor Bank was shown nothing");
    let partner = pull(&w, Some(PARTNER_KEY), "");
    assert_eq!(
        (partner.status, partner.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let none = pull(&w, None, "");
    assert_eq!((none.status, none.body["code"].as_str()), (401, Some("unauthorized")));
    let guessed = pull(&w, Some("rk_guess"), "");
    assert_eq!(guessed.status, 401);
    for (query, code) in [
        ("?after=-1", "invalid_cursor"),
        ("?after=abc", "invalid_cursor"),
        ("?limit=0", "invalid_limit"),
        ("?limit=501", "invalid_limit"),
        ("?since=1", "invalid_field"),
    ] {
        let a = pull(&w, Some(DEMO_BANK_KEY), query);
        assert_eq!((a.status, a.body["code"].as_str()), (400, Some(code)), "{query}");
        assert_eq!(a.content_type, "application/problem+json");
    }
}
