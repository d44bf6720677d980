//! Webhook endpoints: what a bank or partner registers (a URL and the events it wants), how it
//! is checked, and how it is shown. An endpoint's secrets rotate like postback secrets
//! ([`crate::admin::secrets::rotate`]): the new one and every older live one sign each
//! delivery until the older ones expire.

use serde::{Deserialize, Serialize};

use super::event::{EventType, OwnerKind};
use crate::admin::api::SecretView;
use crate::api::{Problem, ProblemCode};

/// Consecutive failed deliveries after which an endpoint is disabled, unless it names its own.
pub const DEFAULT_DISABLE_AFTER: u32 = 10;
/// The range an endpoint's `disable_after` may take.
pub const DISABLE_AFTER: std::ops::RangeInclusive<u32> = 1..=100;
/// Longest endpoint URL.
const MAX_URL: usize = 2_000;

/// `POST /v1/admin/{banks,partners}/{id}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEndpoint {
    /// `https://…`; `http://` only to `localhost` or `127.0.0.1` (local development).
    pub url: String,
    /// Event types (`lead.created`, …), each one the owner may receive.
    pub events: Vec<String>,
    /// Consecutive failures after which the endpoint is disabled (1–100; default 10).
    #[serde(default)]
    pub disable_after: Option<u32>,
}

/// A registration that passed [`RegisterEndpoint::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEndpoint {
    pub url: String,
    pub events: Vec<EventType>,
    pub disable_after: u32,
}

impl Problem {
    /// 422 `invalid_webhook`: a registration the rules refuse, saying why.
    pub fn invalid_webhook(detail: impl Into<String>) -> Self {
        Problem::new(ProblemCode::InvalidWebhook, detail)
    }

    /// 404: an endpoint that does not exist or that the caller may not see (the same answer).
    pub fn no_such_webhook() -> Self {
        Problem::not_found("no such webhook endpoint")
    }

    /// 400 `malformed_json`: registering with an empty body.
    pub fn no_webhook_request() -> Self {
        Problem::new(ProblemCode::MalformedJson, "send {\"url\", \"events\"} as JSON")
    }
}

impl RegisterEndpoint {
    /// The registration, checked for an owner of kind `owner`.
    ///
    /// # Errors
    /// 422 `invalid_webhook`: a URL that is not https (or http to the local machine), has
    /// credentials or a fragment, or is too long; no events, an unknown or repeated one, or
    /// one of the other kind of owner (`conversion.*` for a bank); `disable_after` out of range.
    pub fn check(&self, owner: OwnerKind) -> Result<CheckedEndpoint, Problem> {
        check_url(&self.url)?;
        if self.events.is_empty() {
            return Err(Problem::invalid_webhook("events names at least one event type"));
        }
        let mut events = Vec::new();
        for e in &self.events {
            let t = EventType::parse(e).ok_or_else(|| Problem::invalid_webhook(format!("unknown event type {e:?}")))?;
            if t.owner() != owner {
                return Err(Problem::invalid_webhook(format!(
                    "a {} does not receive {e}",
                    owner.as_str()
                )));
            }
            if events.contains(&t) {
                return Err(Problem::invalid_webhook(format!("{e} is named twice")));
            }
            events.push(t);
        }
        let disable_after = self.disable_after.unwrap_or(DEFAULT_DISABLE_AFTER);
        if !DISABLE_AFTER.contains(&disable_after) {
            return Err(Problem::invalid_webhook("disable_after is 1-100"));
        }
        Ok(CheckedEndpoint {
            url: self.url.clone(),
            events,
            disable_after,
        })
    }
}

fn check_url(url: &str) -> Result<(), Problem> {
    let bad = |why: &str| Err(Problem::invalid_webhook(format!("url {why}")));
    if url.len() > MAX_URL || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("is at most 2000 characters, without spaces");
    }
    let (local, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (false, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (true, rest)
    } else {
        return bad("must start with https://");
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || url.contains('#') {
        return bad("needs a host, and no credentials or fragment");
    }
    if authority.starts_with('[') {
        return bad("names its host, not an IPv6 address");
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if local && !matches!(host, "localhost" | "127.0.0.1") {
        return bad("must be https (http only to localhost or 127.0.0.1)");
    }
    if !local && !is_public_host(host) {
        return bad("must reach a public host: not a private, loopback or link-local address, nor a special-use name");
    }
    Ok(())
}

/// Whether an https endpoint's host can be a bank's or partner's public server. The Worker
/// POSTs to it on the owner's behalf, so an address inside a network (RFC 1918 private,
/// loopback, link-local — 169.254.169.254 is a cloud's metadata service —, unspecified,
/// shared or reserved: RFC 6890) would let a tenant aim inflow's requests where it cannot go
/// itself, and a special-use name (RFC 6761 `.invalid`, `.localhost`; RFC 6762 `.local`; the
/// private-use `.internal`) never resolves publicly.
fn is_public_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = ip.octets();
        let shared = a == 100 && (64..128).contains(&b); // RFC 6598 carrier-grade NAT
        let reserved = a >= 240 || a == 0; // RFC 1112 class E, RFC 1122 "this network"
        return !(ip.is_private()
            || ip.is_loopback()
            || ip.is_link_local()
            || ip.is_broadcast()
            || ip.is_documentation()
            || shared
            || reserved);
    }
    let last = host.rsplit('.').next().unwrap_or_default();
    !host.is_empty() && !matches!(last, "invalid" | "localhost" | "local" | "internal")
}

/// An endpoint as the API lists it: never its secrets' values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: String,
    pub owner_kind: OwnerKind,
    pub owner_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub disable_after: u32,
    /// Failed deliveries since the last success.
    pub consecutive_failures: u32,
    /// When it was disabled (unix seconds), and why; `None` while it is enabled.
    pub disabled_at: Option<i64>,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
    pub secrets: Vec<SecretView>,
}

/// The answer to registering, or rotating a secret: the endpoint and the new secret's value,
/// shown this once (`whsec_…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointWithSecret {
    pub endpoint: EndpointView,
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(url: &str, events: &[&str]) -> RegisterEndpoint {
        RegisterEndpoint {
            url: url.into(),
            events: events.iter().map(|e| (*e).to_string()).collect(),
            disable_after: None,
        }
    }

    #[test]
    fn owners_register_their_own_events_on_https() {
        let ok = register("https://bank.example/hooks?x=1", &["lead.created", "lead.erased"])
            .check(OwnerKind::Bank)
            .expect("a test value");
        assert_eq!(ok.events, [EventType::LeadCreated, EventType::LeadErased]);
        assert_eq!(ok.disable_after, DEFAULT_DISABLE_AFTER);
        assert!(register("http://127.0.0.1:9000/h", &["conversion.approved"])
            .check(OwnerKind::Partner)
            .is_ok());
        assert!(register("http://localhost/h", &["lead.created"])
            .check(OwnerKind::Bank)
            .is_ok());
        assert!(register("https://8.8.8.8/h", &["lead.created"])
            .check(OwnerKind::Bank)
            .is_ok());
        for (r, owner) in [
            (
                register("https://b.example/h", &["conversion.created"]),
                OwnerKind::Bank,
            ),
            (register("https://p.example/h", &["lead.created"]), OwnerKind::Partner),
            (register("https://b.example/h", &[]), OwnerKind::Bank),
            (register("https://b.example/h", &["lead.made"]), OwnerKind::Bank),
            (
                register("https://b.example/h", &["lead.created", "lead.created"]),
                OwnerKind::Bank,
            ),
            (register("http://bank.example/h", &["lead.created"]), OwnerKind::Bank),
            (
                register("https://169.254.169.254/latest", &["lead.created"]),
                OwnerKind::Bank,
            ),
            (register("https://10.0.0.7/h", &["lead.created"]), OwnerKind::Bank),
            (
                register("https://192.168.1.1:8443/h", &["lead.created"]),
                OwnerKind::Bank,
            ),
            (register("https://127.0.0.1/h", &["lead.created"]), OwnerKind::Bank),
            (register("https://0.0.0.0/h", &["lead.created"]), OwnerKind::Bank),
            (register("https://[::1]/h", &["lead.created"]), OwnerKind::Bank),
            (
                register("https://no-such-host.invalid/h", &["lead.created"]),
                OwnerKind::Bank,
            ),
            (register("https://printer.local/h", &["lead.created"]), OwnerKind::Bank),
            (register("https://crm.internal./h", &["lead.created"]), OwnerKind::Bank),
            (
                register("http://127.0.0.1.evil.example/h", &["lead.created"]),
                OwnerKind::Bank,
            ),
            (register("https://u:p@b.example/h", &["lead.created"]), OwnerKind::Bank),
            (register("https://b.example/h#x", &["lead.created"]), OwnerKind::Bank),
            (register("https:///h", &["lead.created"]), OwnerKind::Bank),
            (register("ftp://b.example/h", &["lead.created"]), OwnerKind::Bank),
            (register("https://b.example/a b", &["lead.created"]), OwnerKind::Bank),
        ] {
            let e = r.check(owner).expect_err("refused");
            assert_eq!(e.code, ProblemCode::InvalidWebhook, "{r:?}");
        }
        let mut r = register("https://b.example/h", &["lead.created"]);
        for (n, ok) in [(0, false), (1, true), (100, true), (101, false)] {
            r.disable_after = Some(n);
            assert_eq!(r.check(OwnerKind::Bank).is_ok(), ok, "{n}");
        }
    }
}
