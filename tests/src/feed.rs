//! What a bank reads over HTTP with its report key: its lead feed (`GET /v1/bank/leads`, page
//! by page from a cursor, erasure tombstones included) and its report totals (`GET /v1/reports`).

use serde_json::{json, Value};

use crate::bank::{agent, now, request, Answer};
use crate::Worker;

/// One `GET /v1/bank/leads{query}` with `key` as the bearer (none: unauthenticated).
pub fn pull(w: &Worker, key: Option<&str>, query: &str) -> Answer {
    let mut req = agent().get(&w.url(&format!("/v1/bank/leads{query}")));
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    request(req, None)
}

/// Every page from `after` to the end of the bank's feed, limit 500; each must be a 200.
pub fn pull_all(w: &Worker, key: &str, after: &str) -> Vec<Value> {
    let (mut pages, mut cursor) = (Vec::new(), after.to_string());
    loop {
        let a = pull(w, Some(key), &format!("?after={cursor}&limit=500"));
        assert_eq!(a.status, 200, "{:?}", a.body);
        cursor = a.body["cursor"].as_str().expect("a cursor").to_string();
        let more = a.body["more"] == true;
        pages.push(a.body);
        if !more {
            return pages;
        }
    }
}

/// The lead ids of one page, in its order.
pub fn ids(page: &Value) -> Vec<String> {
    page["leads"]
        .as_array()
        .expect("leads")
        .iter()
        .map(|l| l["id"].as_str().expect("an id").to_string())
        .collect()
}

/// The (kind, id) of every entry of the bank's feed after `after` (kind `lead` or `erased`),
/// and the cursor to pull from next. Checks that a tombstone carries nothing of the lead: no
/// contact, no consent, no tags, no products.
pub fn feed(w: &Worker, key: &str, after: &str) -> (Vec<(String, String)>, String) {
    let (mut out, mut cursor) = (Vec::new(), after.to_string());
    for page in pull_all(w, key, after) {
        for l in page["leads"].as_array().expect("leads") {
            let (kind, id) = (l["kind"].as_str(), l["id"].as_str());
            out.push((kind.expect("a kind").into(), id.expect("an id").into()));
            if l["kind"] == "erased" {
                assert_eq!(l["contact"], "erased", "{l}");
                assert_eq!(
                    (&l["consent"], &l["tags"], &l["products"]),
                    (&json!(null), &json!(null), &json!([])),
                    "{l}"
                );
            }
        }
        cursor = page["cursor"].as_str().expect("a cursor").to_string();
    }
    (out, cursor)
}

/// The kinds of `id`'s entries in a [`feed`], in feed order.
pub fn entries(feed: &[(String, String)], id: &str) -> Vec<String> {
    feed.iter().filter(|(_, i)| i == id).map(|(k, _)| k.clone()).collect()
}

/// Today's report (in Asia/Shanghai) by scene, as `key`'s holder reads it.
pub fn reports(w: &Worker, key: &str) -> Value {
    let today = inflow_core::report::Zone::parse("Asia/Shanghai")
        .expect("zone")
        .day_of(now());
    let a = request(
        agent()
            .get(&w.url(&format!("/v1/reports?from={today}&to={today}&group_by=scene")))
            .set("authorization", &format!("Bearer {key}")),
        None,
    );
    assert_eq!(a.status, 200, "{:?}", a.body);
    a.body
}
