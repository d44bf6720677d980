//! The events inflow pushes, who may subscribe to each, and the queue message that carries one
//! event to one owner's endpoints. The request path builds an [`Envelope`] and enqueues it (no
//! D1 read); the Worker's queue consumer fans it out to the owner's endpoints and delivers the
//! Standard Webhooks body ([`Envelope::body`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lead::recommend::Ranked;
use crate::support::time::format_rfc3339;

/// Who registers endpoints for an event: a bank (its leads) or a partner (its conversions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Bank,
    Partner,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Bank => "bank",
            OwnerKind::Partner => "partner",
        }
    }
}

macro_rules! event_types {
    ($($variant:ident = $wire:literal, $owner:ident;)+) => {
        /// An event type, `lead.created` etc. on the wire (the body's `type`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum EventType {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$variant => $wire,)+ }
            }

            pub fn parse(wire: &str) -> Option<EventType> {
                match wire { $($wire => Some(EventType::$variant),)+ _ => None }
            }

            /// The kind of tenant whose endpoints receive it.
            pub fn owner(self) -> OwnerKind {
                match self { $(EventType::$variant => OwnerKind::$owner,)+ }
            }
        }
    };
}

event_types! {
    LeadCreated = "lead.created", Bank;
    LeadErased = "lead.erased", Bank;
    ConversionCreated = "conversion.created", Partner;
    ConversionApproved = "conversion.approved", Partner;
    ConversionReversed = "conversion.reversed", Partner;
}

/// One event for one owner, as a queue message. `endpoint` is `None` when the request path
/// enqueues it (the consumer then sends one copy per subscribed endpoint) and names the
/// endpoint on each copy, which the queue retries on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The `webhook-id`: derived from the event's type and subject, so the same event gets the
    /// same id however often it is enqueued or retried, and a receiver de-duplicates by it.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The bank's or partner's id (as `kind.owner()` says).
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// When the event happened, unix seconds.
    pub at: i64,
    pub data: Value,
}

impl Envelope {
    fn new(kind: EventType, subject: &str, owner: &str, at: i64, data: Value) -> Envelope {
        Envelope {
            id: format!("msg_{}_{subject}", kind.as_str().replace('.', "_")),
            kind,
            owner: owner.into(),
            endpoint: None,
            at,
            data,
        }
    }

    /// This event for one endpoint.
    pub fn to_endpoint(&self, endpoint: &str) -> Envelope {
        Envelope {
            endpoint: Some(endpoint.into()),
            ..self.clone()
        }
    }

    /// The lead a `lead.created` is about: it is not delivered once that lead is erased (the
    /// consumer checks before each attempt), since it would hand the bank what was erased.
    /// `None` for every other event.
    pub fn erasable_lead(&self) -> Option<&str> {
        match self.kind {
            EventType::LeadCreated => self.data.get("lead_id").and_then(Value::as_str),
            _ => None,
        }
    }

    /// The body POSTed to the endpoint, in the Standard Webhooks shape:
    /// `{"type": "lead.created", "timestamp": "<RFC 3339>", "data": {…}}`.
    pub fn body(&self) -> String {
        serde_json::json!({
            "type": self.kind.as_str(),
            "timestamp": format_rfc3339(self.at),
            "data": self.data,
        })
        .to_string()
    }
}

/// A product of the bank's shown to the visitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownProduct {
    pub product_id: String,
    pub name: String,
}

/// `lead.created`'s data, for one bank: never the visitor's contact in plaintext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadCreated {
    pub lead_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub partner_id: String,
    pub scene: String,
    /// The bank's products among the lead's recommendations, best first.
    pub products: Vec<ShownProduct>,
    /// The contact sealed to the bank's public key, when the lead has one and the bank
    /// registered a key (issue 14 item 1), as the feed gives it; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_contact: Option<String>,
    /// `lead::seal`'s id of the key `sealed_contact` was sealed to; with it only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// A bank's sealed copy of a lead's contact, for its `lead.created`: (key id, base64url
/// ciphertext), as `lead::seal` makes them and the feed serves them.
pub type SealedFor<'a> = BTreeMap<&'a str, (&'a str, &'a str)>;

/// `lead.created` for each bank whose products were recommended, with that bank's products
/// only (a bank never learns what another bank was shown), and the contact sealed to that
/// bank's key when `sealed` has one for it.
pub fn lead_created(
    lead_id: &str,
    at: i64,
    partner_id: &str,
    scene: &str,
    shown: &[Ranked],
    sealed: &SealedFor<'_>,
) -> Vec<Envelope> {
    let mut banks: Vec<&str> = Vec::new();
    for r in shown {
        if !banks.contains(&r.bank_id.as_str()) {
            banks.push(&r.bank_id);
        }
    }
    banks
        .into_iter()
        .map(|bank| {
            let data = LeadCreated {
                lead_id: lead_id.into(),
                created_at: format_rfc3339(at),
                partner_id: partner_id.into(),
                scene: scene.into(),
                products: shown
                    .iter()
                    .filter(|r| r.bank_id == bank)
                    .map(|r| ShownProduct {
                        product_id: r.product_id.clone(),
                        name: r.name.clone(),
                    })
                    .collect(),
                sealed_contact: sealed.get(bank).map(|(_, c)| (*c).to_string()),
                key_id: sealed.get(bank).map(|(k, _)| (*k).to_string()),
            };
            let data = serde_json::to_value(data).unwrap_or(Value::Null);
            Envelope::new(EventType::LeadCreated, lead_id, bank, at, data)
        })
        .collect()
}

/// `lead.erased`'s data: which lead, and when it was erased (RFC 3339, UTC). The bank deletes
/// what it holds of the lead; nothing of the visitor's is in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadErased {
    pub lead_id: String,
    pub erased_at: String,
}

/// `lead.erased` for each bank the lead was shown (`banks`, from its feed entries).
pub fn lead_erased(lead_id: &str, at: i64, banks: &[String]) -> Vec<Envelope> {
    let data = LeadErased {
        lead_id: lead_id.into(),
        erased_at: format_rfc3339(at),
    };
    let data = serde_json::to_value(data).unwrap_or(Value::Null);
    banks
        .iter()
        .map(|bank| Envelope::new(EventType::LeadErased, lead_id, bank, at, data.clone()))
        .collect()
}

/// The data of the `conversion.*` events, for the partner the conversion was attributed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionEvent {
    pub conversion_id: String,
    pub bank_id: String,
    pub click_id: String,
    /// The bank's event (`funded`, …).
    pub event: String,
    /// `pending`, `approved`, `held`, `rejected` or `reversed`.
    pub status: String,
    /// The partner's commission, minor units of `payout_currency`.
    pub payout_minor: i64,
    pub payout_currency: String,
    /// RFC 3339, UTC.
    pub occurred_at: String,
}

/// `conversion.created`, `.approved` or `.reversed` (`kind`) for `partner_id`.
pub fn conversion(kind: EventType, partner_id: &str, at: i64, c: &ConversionEvent) -> Envelope {
    let data = serde_json::to_value(c).unwrap_or(Value::Null);
    Envelope::new(kind, &c.conversion_id, partner_id, at, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(bank: &str, product: &str) -> Ranked {
        Ranked {
            product_id: product.into(),
            name: product.to_uppercase(),
            kind: crate::ProductKind::TimeDeposit,
            risk: "R1".into(),
            yield_bps: 100,
            term_months: 12,
            min_amount_cny: 0,
            reasons: vec![],
            incentive: None,
            bank_url: "https://b.example".into(),
            bank_id: bank.into(),
            bank_name: bank.into(),
            expected_value: 0.5,
        }
    }

    #[test]
    fn types_round_trip_and_name_their_owner() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
            let owner = if t.as_str().starts_with("lead.") {
                OwnerKind::Bank
            } else {
                OwnerKind::Partner
            };
            assert_eq!(t.owner(), owner, "{t:?}");
        }
        assert_eq!(EventType::parse("lead.*"), None);
    }

    #[test]
    fn each_bank_gets_its_own_products_under_one_id_per_event() {
        let shown = [ranked("a", "a1"), ranked("b", "b1"), ranked("a", "a2")];
        let sealed: SealedFor = [("b", ("k1", "c2VhbGVk"))].into();
        let events = lead_created("L1", 0, "p", "education", &shown, &sealed);
        assert_eq!(events.len(), 2);
        assert_eq!((events[0].owner.as_str(), events[1].owner.as_str()), ("a", "b"));
        let a: LeadCreated = serde_json::from_value(events[0].data.clone()).expect("a test value");
        let ids: Vec<&str> = a.products.iter().map(|p| p.product_id.as_str()).collect();
        assert_eq!(ids, ["a1", "a2"]);
        assert_eq!(events[0].id, "msg_lead_created_L1");
        assert_eq!(
            events[0].id,
            lead_created("L1", 5, "p", "education", &shown, &sealed)[0].id
        );
        let body: Value = serde_json::from_str(&events[0].body()).expect("a test value");
        assert_eq!(body["type"], "lead.created");
        assert_eq!(body["timestamp"], "1970-01-01T00:00:00Z");
        assert_eq!(body["data"]["lead_id"], "L1");
        assert!(
            body["data"].get("sealed_contact").is_none(),
            "bank a has no sealed copy"
        );
        let b: Value = serde_json::from_str(&events[1].body()).expect("a test value");
        assert_eq!(
            (b["data"]["sealed_contact"].as_str(), b["data"]["key_id"].as_str()),
            (Some("c2VhbGVk"), Some("k1")),
            "each bank its own sealed copy"
        );
        let copy = events[0].to_endpoint("e1");
        assert_eq!(
            (copy.endpoint.as_deref(), copy.id.as_str()),
            (Some("e1"), events[0].id.as_str())
        );
        let wire = serde_json::to_string(&copy).expect("a test value");
        assert_eq!(serde_json::from_str::<Envelope>(&wire).expect("a test value"), copy);
    }

    #[test]
    fn an_erasure_tells_each_bank_shown_the_lead_and_when() {
        let events = lead_erased("L1", 60, &["a".into(), "b".into()]);
        let owners: Vec<&str> = events.iter().map(|e| e.owner.as_str()).collect();
        assert_eq!(owners, ["a", "b"]);
        assert_eq!(events[0].id, "msg_lead_erased_L1");
        assert_eq!(events[0].kind, EventType::LeadErased);
        let body: Value = serde_json::from_str(&events[1].body()).expect("a test value");
        assert_eq!(body["type"], "lead.erased");
        assert_eq!(body["data"]["lead_id"], "L1");
        assert_eq!(body["data"]["erased_at"], "1970-01-01T00:01:00Z");
        assert_eq!(events[0].erasable_lead(), None, "an erasure is always delivered");
        let created = lead_created("L1", 0, "p", "education", &[ranked("a", "a1")], &SealedFor::new());
        assert_eq!(created[0].erasable_lead(), Some("L1"));
    }
}
