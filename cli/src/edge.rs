//! The admin API's client: an edge URL and the admin key from `INFLOW_ADMIN_KEY`, one kept
//! `ureq` agent, JSON in and out, and problem+json answers turned into errors that say the
//! code and the detail.

use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The edge `cargo xtask dev` serves.
pub const LOCAL_EDGE: &str = "http://127.0.0.1:8787";
/// Where the CLI reads the admin key (the operator's `ADMIN_KEY` or a bank admin key).
pub const KEY_VAR: &str = "INFLOW_ADMIN_KEY";

pub struct Edge {
    base: String,
    key: String,
    agent: ureq::Agent,
}

impl Edge {
    /// A client for `base` with the key from [`KEY_VAR`].
    ///
    /// # Errors
    /// The variable is unset or empty.
    pub fn from_env(base: &str) -> Result<Edge> {
        let key = std::env::var(KEY_VAR).unwrap_or_default();
        if key.trim().is_empty() {
            bail!("set {KEY_VAR} to an admin key (the operator's ADMIN_KEY or a bank admin key)");
        }
        Ok(Edge::new(base, key.trim()))
    }

    pub fn new(base: &str, key: &str) -> Edge {
        Edge {
            base: base.trim_end_matches('/').to_string(),
            key: key.to_string(),
            agent: ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build(),
        }
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        self.agent
            .request(method, &format!("{}{path}", self.base))
            .set("authorization", &format!("Bearer {}", self.key))
            .set("accept", "application/json")
    }

    /// `GET path`, its JSON answer.
    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        answer(path, self.request("GET", path).call())
    }

    /// `POST path` with `body` as JSON, its JSON answer.
    pub fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        answer(path, self.request("POST", path).send_json(body))
    }
}

fn answer<T: DeserializeOwned>(path: &str, r: Result<ureq::Response, ureq::Error>) -> Result<T> {
    match r {
        Ok(resp) => resp
            .into_json()
            .with_context(|| format!("{path}: the answer is not the JSON expected")),
        Err(ureq::Error::Status(status, resp)) => {
            let problem: serde_json::Value = resp.into_json().unwrap_or_default();
            let code = problem["code"].as_str().unwrap_or("?");
            let detail = problem["detail"].as_str().unwrap_or("");
            Err(anyhow!("{path}: {status} {code}: {detail}"))
        }
        Err(e) => Err(anyhow!("{path}: {e}")),
    }
}
