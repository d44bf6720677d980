//! Checking a tenant file whole: every problem, each naming its object and the reason.

use std::collections::{BTreeMap, BTreeSet};

use super::check::{check_origin, contact_key_bytes, is_brand_color, is_currency, is_valid_id, ID_PATTERN};
use super::{Bank, Campaign, Consent, Partner, TenantFile, ALL_PRODUCTS};
use crate::conversion::postback::is_event;
use crate::lead::catalogue;
use crate::support::i18n::Lang;
use crate::support::text::{self, Lines};
use crate::webhook::OwnerKind;

/// Largest flat payout or cap, in minor units (the postback's amount bound: 10^14).
const MAX_MINOR: u64 = 100_000_000_000_000;

/// One reason a tenant file is refused: the object (`section`, its index in the file, its id)
/// and why. Displays as `products[3] "lotus-equity": deposits are R1`; the bank as
/// `bank "lotus-bank": …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// `bank`, `products`, `partners`, `campaigns` or `webhooks`.
    pub section: &'static str,
    /// Position in its section (`None` for the bank).
    pub index: Option<usize>,
    /// The object's id as written in the file.
    pub id: String,
    /// A sentence saying which rule is broken.
    pub why: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}[{i}] {:?}: {}", self.section, self.id, self.why),
            None => write!(f, "{} {:?}: {}", self.section, self.id, self.why),
        }
    }
}

/// Checks `file` whole. `known_partners` are the partner ids that already exist (a campaign may
/// name one of those or one the file declares).
///
/// # Errors
/// Every problem found, in file order (bank, products, partners, campaigns); a file with any
/// problem is refused whole. Rules: ids match [`super::ID_PATTERN`] and are unique in their
/// section; the bank's name is complete, its brand colour `#rrggbb`, its currency an ISO 4217
/// currency (`check::is_currency`), its consent versioned, complete and naming the bank in each language;
/// products obey the catalogue rules ([`catalogue::problems`]); partners have a readable name
/// of at most 200 characters and at most [`MAX_ORIGINS`] distinct valid origins ([`check_origin`]); campaigns are checked by
/// `check_campaign` below — and no two active campaigns of the bank serve the same partner
/// and scene (a click must name one campaign), and one partner is not paid two ways for one
/// event (D1's `commission_rules` are keyed by bank, event and partner).
pub fn validate(file: &TenantFile, known_partners: &BTreeSet<String>) -> Result<(), Vec<Invalid>> {
    let mut out = Vec::new();
    check_bank(file, &mut out);
    for (i, why) in catalogue::problems(&file.products) {
        out.push(invalid("products", Some(i), &file.products[i].id, why));
    }
    let mut partner_ids = BTreeSet::new();
    for (i, p) in file.partners.iter().enumerate() {
        if !partner_ids.insert(p.id.as_str()) {
            out.push(invalid("partners", Some(i), &p.id, "duplicate id"));
        }
        check_partner(i, p, &mut out);
    }
    let products: BTreeSet<&str> = file.products.iter().map(|p| p.id.as_str()).collect();
    let partner_known = |id: &str| partner_ids.contains(id) || known_partners.contains(id);
    let mut campaign_ids = BTreeSet::new();
    for (i, c) in file.campaigns.iter().enumerate() {
        if !campaign_ids.insert(c.id.as_str()) {
            out.push(invalid("campaigns", Some(i), &c.id, "duplicate id"));
        }
        let mut fail = |why: String| out.push(invalid("campaigns", Some(i), &c.id, why));
        if !partner_known(&c.partner) {
            fail(format!(
                "partner {:?} is neither in this file nor an existing partner",
                c.partner
            ));
        }
        check_campaign(c, &products, &mut fail);
    }
    check_across_campaigns(&file.campaigns, &mut out);
    let mut webhook_ids = BTreeSet::new();
    for (i, w) in file.webhooks.iter().enumerate() {
        if !is_valid_id(&w.id) {
            out.push(invalid(
                "webhooks",
                Some(i),
                &w.id,
                format!("id must match {ID_PATTERN}"),
            ));
        }
        if !webhook_ids.insert(w.id.as_str()) {
            out.push(invalid("webhooks", Some(i), &w.id, "duplicate id"));
        }
        if let Err(p) = w.registration().check(OwnerKind::Bank) {
            out.push(invalid("webhooks", Some(i), &w.id, p.detail));
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

/// The campaigns of `file` (bank `bank_id`) whose ids another bank's campaigns already have
/// (`owners`: campaign id → its bank, as stored), each an [`Invalid`] to refuse the file with.
pub fn foreign_campaigns(file: &TenantFile, bank_id: &str, owners: &BTreeMap<String, String>) -> Vec<Invalid> {
    file.campaigns
        .iter()
        .enumerate()
        .filter(|(_, c)| owners.get(&c.id).is_some_and(|owner| owner != bank_id))
        .map(|(i, c)| invalid("campaigns", Some(i), &c.id, "the id belongs to another bank's campaign"))
        .collect()
}

/// What the file's consent must respect beyond its own shape, since every stored consent names
/// only a version: the text of a version never changes, and no two banks share a version. So
/// the file is refused when it keeps `current`'s version (the bank's consent as stored; `None`
/// for a new bank or one that predates tenant files) with a different text in any language, or
/// when its version is one that `others` (consent version → the other bank that uses it, as
/// stored) gives to another bank. Each is an [`Invalid`] naming the bank.
pub fn consent_conflicts(
    file: &TenantFile,
    current: Option<&Consent>,
    others: &BTreeMap<String, String>,
) -> Vec<Invalid> {
    let b = &file.bank;
    let mut out = Vec::new();
    if current.is_some_and(|c| c.version == b.consent.version && c.text() != b.consent.text()) {
        out.push(invalid(
            "bank",
            None,
            &b.id,
            "the consent text changed but its version did not — change the version",
        ));
    }
    // Which bank holds the version is not said: a bank admin reads this answer.
    if others.get(&b.consent.version).is_some_and(|o| *o != b.id) {
        out.push(invalid(
            "bank",
            None,
            &b.id,
            "this consent version is another bank's — choose a version of this bank's own",
        ));
    }
    out
}

/// The file's currency against the bank's as stored (`current`; `None` for a new bank): a
/// bank's currency never changes, since its commissions, caps and ledger are amounts in minor
/// units of it — CNY fen read as USD cents would pay a different sum. An [`Invalid`] if it does.
pub fn currency_change(file: &TenantFile, current: Option<&Bank>) -> Option<Invalid> {
    let (was, is) = (current?.currency.as_str(), file.bank.currency.as_str());
    (was != is).then(|| {
        invalid(
            "bank",
            None,
            &file.bank.id,
            format!("currency is {was} and cannot change (amounts are kept in its minor units)"),
        )
    })
}

/// The file's settlement time zone against the bank's as stored (`None` for a new bank; an
/// absent `timezone` is the default zone): once `booked` (the bank has a ledger entry or a
/// closed month) it never changes, since a closed statement's month is a month in it and every
/// booked entry's period was computed in it; before that a bank may still choose (review: a
/// zone added on the second apply, before any conversion, was refused). An [`Invalid`] if it
/// changes when booked.
pub fn timezone_change(file: &TenantFile, current: Option<&Bank>, booked: bool) -> Option<Invalid> {
    if !booked {
        return None;
    }
    let (was, is) = (current?.zone_name(), file.bank.zone_name());
    // Zone names match case-insensitively (the IANA database's rule), so a bank stored with
    // another spelling of its zone (before validation asked for the database's) may correct it.
    (!was.eq_ignore_ascii_case(is)).then(|| {
        invalid(
            "bank",
            None,
            &file.bank.id,
            format!("timezone is {was} and cannot change (statements are months in it)"),
        )
    })
}

fn invalid(section: &'static str, index: Option<usize>, id: &str, why: impl Into<String>) -> Invalid {
    Invalid {
        section,
        index,
        id: id.to_string(),
        why: why.into(),
    }
}

/// The years a settlement zone's offsets are checked over (unix seconds: 2020-01-01 to
/// 2100-01-01 UTC): whole half hours throughout, as reports by day need.
#[cfg(feature = "tz")]
const SETTLEMENT_ZONE_FROM: i64 = 1_577_836_800;
#[cfg(feature = "tz")]
const SETTLEMENT_ZONE_UNTIL: i64 = 4_102_444_800;

/// The longest bank name in any language, in characters.
pub const MAX_BANK_NAME_CHARS: usize = 100;
/// The longest partner name, in characters.
pub const MAX_PARTNER_NAME_CHARS: usize = 200;
/// The longest consent text in any language, in characters: what a visitor reads before ticking.
pub const MAX_CONSENT_CHARS: usize = 2000;
/// The most origins one partner registers: its own sites, each checked on every cross-origin
/// lead and listed in the widget's CORS answers.
pub const MAX_ORIGINS: usize = 50;

const ID_RULE: &str = "id is 1-63 characters of a-z, 0-9 and -, starting with a letter or digit";

fn check_bank(file: &TenantFile, out: &mut Vec<Invalid>) {
    let b = &file.bank;
    let mut fail = |why: &str| out.push(invalid("bank", None, &b.id, why));
    if !is_valid_id(&b.id) {
        fail(ID_RULE);
    }
    if let Some(why) = b.name.problem("name", MAX_BANK_NAME_CHARS, Lines::One) {
        fail(&why);
    }
    if !is_brand_color(&b.brand_color) {
        fail("brand_color is #rrggbb in lower-case hex");
    }
    if !is_currency(&b.currency) {
        fail("currency is an ISO 4217 code such as CNY");
    }
    if let Some(Err(why)) = b.contact_key.as_deref().map(contact_key_bytes) {
        fail(why);
    }
    if b.retention_days
        .is_some_and(|d| !(1..=super::MAX_RETENTION_DAYS).contains(&d))
    {
        fail("retention_days is a whole number of days from 1 to 3650");
    }
    // Without the time zone database (the widget's build) the edge still checks on apply.
    #[cfg(feature = "tz")]
    if let Some(given) = b.timezone.as_deref() {
        match crate::report::zone::Zone::parse(given) {
            Err(e) => fail(&format!("timezone: {e}")),
            // The database answers case-insensitively; the file says what is stored and shown,
            // and a zone never changes once set, so it is spelt as the database spells it.
            Ok(zone) if zone.name() != given => fail(&format!(
                "timezone is spelt {} (as the IANA database spells it)",
                zone.name()
            )),
            // Statements are read beside reports by day, which are cut from 30-minute buckets:
            // a zone at +05:45 (Asia/Kathmandu) would settle months its reports cannot show
            // (review). Checked over the years a bank settles in, not the database's history.
            Ok(zone) => {
                if let Err(e) = zone.check_range(SETTLEMENT_ZONE_FROM, SETTLEMENT_ZONE_UNTIL) {
                    fail(&format!("timezone: {e}; statements are read beside reports by day"));
                }
            }
        }
    }
    if b.min_payout_minor.is_some_and(|m| m > super::MAX_MIN_PAYOUT_MINOR) {
        fail("min_payout_minor is minor units from 0 to 1000000000000");
    }
    if !is_valid_id(&b.consent.version) {
        fail("consent.version is 1-63 characters of a-z, 0-9 and -, e.g. lotus-2026-12");
    }
    let text = b.consent.text();
    if let Some(why) = text.problem("consent", MAX_CONSENT_CHARS, Lines::Many) {
        fail(&why);
    } else if !Lang::ALL.iter().all(|&l| text.get(l).contains(b.name.get(l))) {
        fail("consent names the bank (its name in that language) in every language");
    }
}

fn check_partner(i: usize, p: &Partner, out: &mut Vec<Invalid>) {
    let mut fail = |why: String| out.push(invalid("partners", Some(i), &p.id, why));
    if !is_valid_id(&p.id) {
        fail(ID_RULE.into());
    }
    if let Err(e) = text::check(&p.name, MAX_PARTNER_NAME_CHARS, Lines::One) {
        fail(format!("name {}", e.reason()));
    }
    if p.origins.len() > MAX_ORIGINS {
        fail(format!("at most {MAX_ORIGINS} origins (a partner's own sites)"));
    }
    let mut seen = BTreeSet::new();
    for o in &p.origins {
        if let Err(why) = check_origin(o) {
            fail(format!("origin {o:?}: {why}"));
        }
        if !seen.insert(o.as_str()) {
            fail(format!("origin {o:?} is listed twice"));
        }
    }
}

/// A campaign on its own: id; scenes (≥ 1, distinct); products (`["*"]` or distinct ids of
/// the file's products); window 1–365 days, approval 0–365 days; commissions (≥ 1, one per
/// event, event names as postbacks carry them, paying something, percent ≤ 10 000 bps, a cap
/// only with a percent, amounts ≤ 10^14 minor units); repeat events have commissions and are
/// distinct; max_clicks_per_hour ≥ 1.
fn check_campaign(c: &Campaign, products: &BTreeSet<&str>, fail: &mut impl FnMut(String)) {
    if !is_valid_id(&c.id) {
        fail(ID_RULE.into());
    }
    if c.scenes.is_empty() {
        fail("scenes lists at least one scene".into());
    }
    if c.scenes.iter().map(|s| s.as_str()).collect::<BTreeSet<_>>().len() != c.scenes.len() {
        fail("a scene is listed twice".into());
    }
    if c.products.is_empty() {
        fail("products is [\"*\"] or lists at least one product".into());
    } else if c.products.iter().any(|p| p == ALL_PRODUCTS) {
        if c.products.len() > 1 {
            fail("products is either [\"*\"] or a list of ids, not both".into());
        }
    } else {
        let mut seen = BTreeSet::new();
        for p in &c.products {
            if !products.contains(p.as_str()) {
                fail(format!("product {p:?} is not one of this bank's products"));
            }
            if !seen.insert(p) {
                fail(format!("product {p:?} is listed twice"));
            }
        }
    }
    if !(1..=365).contains(&c.window_days) {
        fail("window_days is 1-365".into());
    }
    if c.approval_days > 365 {
        fail("approval_days is 0-365".into());
    }
    if c.max_clicks_per_hour == 0 {
        fail("max_clicks_per_hour is at least 1".into());
    }
    if c.commissions.is_empty() {
        fail("commissions lists at least one paid event".into());
    }
    let mut events = BTreeSet::new();
    for k in &c.commissions {
        let e = &k.event;
        if !is_event(e) {
            fail(format!(
                "commission event {e:?} is a snake_case name such as account_opened"
            ));
        }
        if !events.insert(e.as_str()) {
            fail(format!("commission event {e:?} is listed twice"));
        }
        if k.flat_minor == 0 && k.percent_bps == 0 {
            fail(format!("commission {e:?} pays nothing: give flat_minor or percent_bps"));
        }
        if k.percent_bps > 10_000 {
            fail(format!("commission {e:?}: percent_bps is 0-10000 (basis points)"));
        }
        if k.cap_minor.is_some() && k.percent_bps == 0 {
            fail(format!(
                "commission {e:?}: cap_minor bounds the percent share; give percent_bps or drop the cap"
            ));
        }
        if k.flat_minor > MAX_MINOR || k.cap_minor.is_some_and(|c| c > MAX_MINOR) {
            fail(format!("commission {e:?}: amounts are at most 10^14 minor units"));
        }
    }
    let mut repeats = BTreeSet::new();
    for e in &c.repeat_events {
        if !events.contains(e.as_str()) {
            fail(format!("repeat event {e:?} has no commission in this campaign"));
        }
        if !repeats.insert(e) {
            fail(format!("repeat event {e:?} is listed twice"));
        }
    }
}

fn check_across_campaigns(campaigns: &[Campaign], out: &mut Vec<Invalid>) {
    let mut serving: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut paying: BTreeMap<(&str, &str), (&str, &super::Commission)> = BTreeMap::new();
    for (i, c) in campaigns.iter().enumerate() {
        if c.status == super::CampaignStatus::Active {
            for s in &c.scenes {
                let key = (c.partner.as_str(), s.as_str());
                match serving.get(&key) {
                    Some(other) if *other != c.id => out.push(invalid(
                        "campaigns",
                        Some(i),
                        &c.id,
                        format!(
                            "campaign {other:?} already serves partner {:?} in scene {}; pause one",
                            c.partner,
                            s.as_str()
                        ),
                    )),
                    _ => {
                        serving.insert(key, &c.id);
                    }
                }
            }
        }
        for k in &c.commissions {
            let key = (c.partner.as_str(), k.event.as_str());
            match paying.get(&key) {
                Some((other, rule)) if *other != c.id && *rule != k => out.push(invalid(
                    "campaigns",
                    Some(i),
                    &c.id,
                    format!(
                        "commission {:?} for partner {:?} differs from campaign {other:?}'s; one partner is paid one way per event",
                        k.event, c.partner
                    ),
                )),
                Some(_) => {}
                None => {
                    paying.insert(key, (&c.id, k));
                }
            }
        }
    }
}
