//! Tenants as data: one bank's declarative file — the bank, its product catalogue, the partners
//! it works with and its campaigns — checked whole by [`validate`] and compared with what exists
//! by [`plan()`].
//!
//! Core never reads a file: the CLI (`inflow admin validate|plan`) and the tests parse TOML with
//! the `toml` crate into [`TenantFile`]; the admin API will take the same shape as JSON. The
//! file looks like this (issue 13):
//!
//! ```toml
//! [bank]
//! id = "lotus-bank"
//! name = { zh-Hans = "莲花银行", zh-Hant = "蓮花銀行", en = "Lotus Bank" }
//! brand_color = "#7a1f5c"
//! currency = "CNY"
//! consent = { version = "lotus-2026-12", zh-Hans = "…莲花银行…", zh-Hant = "…蓮花銀行…", en = "…Lotus Bank…" }
//! contact_key = "…"   # optional: `inflow bank keygen`'s public key
//! retention_days = 365   # optional: days a lead's answers and sealed contact are kept
//! timezone = "Asia/Shanghai"   # optional: the settlement time zone (statements are its months)
//! min_payout_minor = 10000     # optional: smaller balances carry to the next statement
//!
//! [[products]]   # exactly core's catalogue `Product`
//! id = "lotus-demand"
//! name = { zh-Hans = "莲花活期", zh-Hant = "蓮花活期", en = "Lotus demand savings" }
//! kind = "demand_deposit"
//! risk = 1
//! min_amount_cny = 0
//! term_months = 0
//! early_redemption = true
//! yield_bps = 40
//! qualified_only = false
//! regions = []
//! priority = 50
//! url = "https://lotus.example/demand"
//!
//! [[partners]]
//! id = "mathcamp"
//! name = "MathCamp online tutoring"
//! origins = ["https://mathcamp.example"]
//!
//! [[campaigns]]
//! id = "lotus-mathcamp"
//! partner = "mathcamp"
//! scenes = ["education"]
//! products = ["*"]
//! window_days = 30
//! approval_days = 0
//! commissions = [{ event = "account_opened", flat_minor = 6000 }]
//!
//! [[webhooks]]   # signed deliveries of the bank's events (docs/integration.md §10)
//! id = "crm"
//! url = "https://lotus.example/inflow/hooks"
//! events = ["lead.created"]
//! ```
//!
//! **Ids.** Every id in a tenant file — bank, product, partner, campaign, consent version — has
//! one shape, [`ID_PATTERN`]: 1–63 characters of `a-z`, `0-9` and `-`, starting with a letter or
//! digit. Partner and campaign ids are global (one namespace across banks); product ids are
//! per bank.
//!
//! **Removal.** A plan never deletes: an object that exists but is absent from the file is left
//! as it is (and not listed). Stopping a campaign is `status = "paused"`; withdrawing a product
//! will be an explicit flag when the admin API lands. This keeps a partial or mistaken file from
//! erasing a bank's history (clicks and conversions name campaigns and products).

mod check;
mod plan;
mod validate;

use serde::{Deserialize, Serialize};

use crate::conversion::commission::{Rule, ScopedRule};
use crate::lead::catalogue::Product;
use crate::lead::scene::Scene;
use crate::support::i18n::Localized;

pub use check::{check_origin, check_url, contact_key_bytes, is_brand_color, is_valid_id, ID_PATTERN};
pub use plan::{field_changes, plan, Action, Change, FieldChange, Kind, Object, Plan, TenantState};
pub use validate::{consent_conflicts, currency_change, foreign_campaigns, timezone_change, validate, Invalid};

/// One bank's declarative tenant file (TOML on disk, JSON over the admin API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantFile {
    /// The bank the file is about (one bank per file).
    pub bank: Bank,
    /// The bank's catalogue, validated exactly as the built-in one (`catalogue::problems`).
    #[serde(default)]
    pub products: Vec<Product>,
    /// Partners this file declares (an operator's file); a campaign may also name a partner
    /// that already exists (see [`validate`]'s `known_partners`).
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// The bank's campaigns.
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// The bank's webhook endpoints (left out when there are none, so a file without them
    /// reads back as written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<Webhook>,
}

/// A webhook endpoint of the bank, as its file declares it. Its secret is never in the file:
/// applying a file that creates the endpoint answers the secret once
/// (`admin::api::ApplyResponse::secrets`); rotate it with the admin API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// [`ID_PATTERN`], per bank; the endpoint's id in the admin API is
    /// [`Webhook::endpoint_id`].
    pub id: String,
    /// As `webhook::endpoint::RegisterEndpoint::url`.
    pub url: String,
    /// The bank's event types (`lead.created`, `lead.erased`).
    pub events: Vec<String>,
    /// Consecutive failures after which the endpoint is disabled; 1–100, default 10.
    #[serde(default = "default_disable_after")]
    pub disable_after: u32,
}

fn default_disable_after() -> u32 {
    crate::webhook::endpoint::DEFAULT_DISABLE_AFTER
}

impl Webhook {
    /// The endpoint's id under `/v1/admin/webhooks/{id}`: `<bank>.<id>` (`.` is in no
    /// [`ID_PATTERN`], so banks' file ids never collide, nor with the API's random hex ids).
    pub fn endpoint_id(&self, bank_id: &str) -> String {
        format!("{bank_id}.{}", self.id)
    }

    /// The registration it stands for, for `RegisterEndpoint::check`.
    pub fn registration(&self) -> crate::webhook::endpoint::RegisterEndpoint {
        crate::webhook::endpoint::RegisterEndpoint {
            url: self.url.clone(),
            events: self.events.clone(),
            disable_after: Some(self.disable_after),
        }
    }
}

/// The bank: who the visitor is asked to trust, in the widget's colour and words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// [`ID_PATTERN`].
    pub id: String,
    /// The bank's name in every language; the consent text must contain it.
    pub name: Localized,
    /// The widget's brand colour, `#rrggbb` in lower-case hex.
    pub brand_color: String,
    /// ISO 4217 code, three upper-case letters (e.g. `CNY`): the currency of the bank's
    /// commissions and postbacks.
    pub currency: String,
    /// What the visitor agrees to before giving a contact.
    pub consent: Consent,
    /// The bank's X25519 public key, unpadded base64url of 32 bytes ([`contact_key_bytes`]):
    /// a consenting visitor's contact is sealed to it (`lead::seal`) and the bank pulls it
    /// with its leads. `None`: nothing is sealed for the bank, its leads come without contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_key: Option<String>,
    /// Days a lead shown the bank keeps its answers, attribution and contact (sealed and
    /// hashed) before the scheduled job erases them as an erasure would, 1–[`MAX_RETENTION_DAYS`];
    /// `None`: [`DEFAULT_RETENTION_DAYS`]. A lead shown several banks goes at the shortest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// The IANA time zone the bank settles in: a statement is a calendar month there
    /// (`settlement::Period`). `None`: [`crate::report::DEFAULT_ZONE`] (Asia/Shanghai).
    /// Fixed from the bank's first ledger entry or close ([`timezone_change`]): booked and
    /// closed months keep their bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The smallest balance a statement pays, minor units of the bank's currency, 0 to
    /// [`MAX_MIN_PAYOUT_MINOR`]; a smaller positive balance carries to the next period.
    /// `None`: 0 (any positive balance is paid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_payout_minor: Option<u64>,
}

impl Bank {
    /// The settlement zone's name: the file's `timezone` or the default.
    pub fn zone_name(&self) -> &str {
        self.timezone.as_deref().unwrap_or(crate::report::DEFAULT_ZONE)
    }
}

/// The largest `min_payout_minor`: 10^12 minor units (ten billion yuan in fen).
pub const MAX_MIN_PAYOUT_MINOR: u64 = 1_000_000_000_000;

/// A bank's `retention_days` when its file gives none: one year.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// The longest `retention_days`: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// A versioned consent text in every language. Change the text, change the version: every
/// stored consent names the version the visitor agreed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// [`ID_PATTERN`], e.g. `lotus-2026-12`.
    pub version: String,
    /// Simplified Chinese text (`zh-Hans` in the file).
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
    /// Traditional Chinese text (`zh-Hant` in the file).
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
    /// English text.
    pub en: String,
}

impl Consent {
    /// The text alone, as core's [`Localized`].
    pub fn text(&self) -> Localized {
        Localized {
            zh_hans: self.zh_hans.clone(),
            zh_hant: self.zh_hant.clone(),
            en: self.en.clone(),
        }
    }
}

/// A site that embeds the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// [`ID_PATTERN`]; global across banks.
    pub id: String,
    /// Display name, 1–200 characters.
    pub name: String,
    /// Web origins allowed to embed the widget and call the API cross-origin, each exactly as a
    /// browser sends it in `Origin` ([`check_origin`]): `https://host[:port]`, lower-case, no
    /// path. Empty: same-origin use only.
    #[serde(default)]
    pub origins: Vec<String>,
}

/// What a campaign offers: `["*"]` (every product of the bank, now and later) or named ids.
pub const ALL_PRODUCTS: &str = "*";

/// A bank paying one partner for leads in some scenes on some products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// [`ID_PATTERN`]; global across banks.
    pub id: String,
    /// A partner of this file or an existing one.
    pub partner: String,
    /// At least one, no repeats.
    pub scenes: Vec<Scene>,
    /// `["*"]` or ids of this bank's products (at least one, no repeats).
    pub products: Vec<String>,
    /// Attribution window: a conversion counts if it happens within this many days of its
    /// click; 1–365.
    pub window_days: u16,
    /// Days a paid conversion stays `pending` before it is approved; 0–365.
    pub approval_days: u16,
    /// What the bank pays, one rule per event; the events listed are the events the campaign
    /// pays for.
    pub commissions: Vec<Commission>,
    /// Events that may be paid more than once per click (e.g. `funded` top-ups); each must
    /// have a commission. Others pay once per click.
    #[serde(default)]
    pub repeat_events: Vec<String>,
    /// Clicks per hour from one client above which its conversions are held for review;
    /// default 20 (the D1 default today).
    #[serde(default = "default_max_clicks_per_hour")]
    pub max_clicks_per_hour: u32,
    #[serde(default)]
    pub status: CampaignStatus,
}

fn default_max_clicks_per_hour() -> u32 {
    20
}

/// Whether a campaign is served. Paused campaigns keep their history and attribute nothing
/// new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Served and attributed (the default).
    #[default]
    Active,
    /// Not served; clicks and conversions already recorded keep their campaign.
    Paused,
}

/// The payout for one event of a campaign: a flat amount plus a share of the conversion's
/// amount, the share optionally capped (core's [`Rule`]). The partner is the campaign's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    /// A snake_case event name as banks post it (e.g. `account_opened`), 1–32 characters.
    pub event: String,
    /// Flat payout in minor units of the bank's currency (fen for CNY).
    #[serde(default)]
    pub flat_minor: u64,
    /// Share of the conversion's amount in basis points (1/100 %), 0–10 000.
    #[serde(default)]
    pub percent_bps: u32,
    /// Upper bound of the share, in minor units; only with `percent_bps`; absent: uncapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_minor: Option<u64>,
}

impl Commission {
    /// Core's commission [`Rule`] (amounts beyond `i64` saturate; validation bounds them far
    /// below).
    pub fn rule(&self) -> Rule {
        let int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Rule {
            flat_minor: int(self.flat_minor),
            percent_bps: self.percent_bps,
            cap_minor: self.cap_minor.map(int),
        }
    }
}

impl Campaign {
    /// Whether the campaign offers product `id` (its bank's).
    pub fn offers(&self, id: &str) -> bool {
        self.products.iter().any(|p| p == ALL_PRODUCTS || p == id)
    }

    /// The events the campaign pays for, in commission order (D1's `campaigns.events`).
    pub fn events(&self) -> Vec<&str> {
        self.commissions.iter().map(|k| k.event.as_str()).collect()
    }

    /// The commissions as core's scoped rules for the campaign's partner (the rows of D1's
    /// `commission_rules`, keyed by bank, event and partner). The ledger pays a click by its own
    /// campaign's commissions (`campaigns.commissions`); those rows pay only campaigns written
    /// before tenant files, which have none.
    pub fn scoped_rules(&self) -> Vec<ScopedRule> {
        self.commissions
            .iter()
            .map(|k| ScopedRule {
                event: k.event.clone(),
                partner_id: Some(self.partner.clone()),
                rule: k.rule(),
            })
            .collect()
    }
}
