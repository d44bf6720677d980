//! A bank and a visitor as the attribution tests need them: leads, click-outs that are not
//! followed, and signed postbacks, all over plain HTTP against the Worker.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use inflow_core::conversion::signature;
use serde_json::{json, Value};

use crate::Worker;

/// The demo seed's banks and their local-only postback secrets (docs/integration.md).
pub const DEMO_BANK: Bank = Bank {
    id: "demo-bank",
    secret: "whsec_demo_bank_local_only",
};
pub const HARBOR_BANK: Bank = Bank {
    id: "harbor-bank",
    secret: "whsec_harbor_bank_local_only",
};
/// The click-token key in `.dev.vars.example`, for minting expired or foreign tokens.
pub const DEV_CLICK_TOKEN_KEY: &str = "dev-click-token-key-not-secret-0001";

#[derive(Clone, Copy)]
pub struct Bank {
    pub id: &'static str,
    pub secret: &'static str,
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub body: Value,
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

thread_local! {
    /// One keep-alive connection pool per thread, as a bank's HTTP client would have.
    static AGENT: ureq::Agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(30))
        .build();
}

/// An agent that does not follow redirects, so a click's 302 can be inspected.
pub fn agent() -> ureq::Agent {
    AGENT.with(Clone::clone)
}

fn answer(result: Result<ureq::Response, ureq::Error>) -> Answer {
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error {e}"),
    };
    let status = resp.status();
    let content_type = resp.header("content-type").unwrap_or_default().to_string();
    let location = resp.header("location").map(str::to_string);
    let text = resp.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        content_type,
        location,
        body,
    }
}

/// What wrangler's dev proxy (not the Worker) answers a POST that was in flight when workerd
/// restarted under it (wrangler 4.86 `ProxyWorker`); GETs it retries itself.
pub const WRANGLER_RESTARTED: &str = "Your worker restarted mid-request";

/// Sends `req` (with `body`, else none) and reads the answer, whatever its status. Sent again,
/// up to twice, when wrangler's dev proxy answers [`WRANGLER_RESTARTED`], as its message asks
/// and as a bank retries a postback: workerd restarted under a request once in ~40 minutes of
/// the suite (onboarding's rotated-secret test, CI machine loaded), nothing the Worker did.
/// Postbacks, reversals, closes and payments are idempotent; a route that is not (a lead) may
/// then store twice, which a test counting rows sees as a failure, never as a pass.
pub fn request(req: ureq::Request, body: Option<&str>) -> Answer {
    let mut tries = 0;
    loop {
        tries += 1;
        let a = answer(match body {
            Some(b) => req.clone().send_string(b),
            None => req.clone().call(),
        });
        let restarted = a.status == 503 && a.body.as_str().is_some_and(|t| t.contains(WRANGLER_RESTARTED));
        if !restarted || tries == 3 {
            return a;
        }
        eprintln!("wrangler restarted the Worker mid-request; sending it again");
    }
}

/// A qualified lead for `partner` in `scene`; its recommendations carry click-out URLs.
pub fn lead(w: &Worker, partner: &str, scene: &str) -> Value {
    lead_with(w, partner, scene, None)
}

/// As [`lead`], with `consent` (the lead's `consent` object: version, time, contact) when given.
pub fn lead_with(w: &Worker, partner: &str, scene: &str, consent: Option<Value>) -> Value {
    let mut body = json!({
        "partner": partner, "scene": scene, "lang": "en",
        "answers": {
            "age": "30_44", "goal": "idle_cash", "horizon": "3_12m", "amount": "10k_50k",
            "liquidity": "anytime", "region": "south", "assets": "lt_500k", "experience": "stocks",
            "knowledge": "expert", "income": "growing", "objective": "aggressive",
            "max_loss": "over_30", "loss": "buy_more"
        }
    });
    if let Some(c) = consent {
        body["consent"] = c;
    }
    let a = request(
        agent()
            .post(&w.url("/v1/leads"))
            .set("content-type", "application/json"),
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 201, "lead: {:?}", a.body);
    a.body
}

/// Follows a click-out URL once, as a browser with `user_agent` would, without the redirect.
pub fn click(url: &str, user_agent: &str) -> Answer {
    request(agent().get(url).set("user-agent", user_agent), None)
}

/// The click id the bank receives, from a click's redirect.
pub fn click_id(a: &Answer) -> String {
    let location = a.location.as_deref().unwrap_or_else(|| panic!("no redirect: {a:?}"));
    location
        .split("inflow_click=")
        .nth(1)
        .unwrap_or_else(|| panic!("no click id in {location}"))
        .to_string()
}

impl Bank {
    pub fn sign(&self, t: i64, body: &str) -> String {
        signature::sign(self.secret.as_bytes(), t, body.as_bytes())
    }

    /// POSTs `body` to `path` signed now.
    pub fn post(&self, w: &Worker, path: &str, body: &str) -> Answer {
        self.post_signed(w, path, body, &self.sign(now(), body))
    }

    pub fn post_signed(&self, w: &Worker, path: &str, body: &str, signature: &str) -> Answer {
        request(
            agent()
                .post(&w.url(path))
                .set("content-type", "application/json")
                .set("inflow-bank", self.id)
                .set("inflow-signature", signature),
            Some(body),
        )
    }
}

pub fn conversion(click_id: &str, event: &str, external_id: &str, amount: i64, at: i64) -> String {
    json!({
        "click_id": click_id, "event": event, "external_id": external_id,
        "amount_minor": amount, "currency": "CNY",
        "occurred_at": inflow_core::support::time::format_rfc3339(at),
    })
    .to_string()
}
