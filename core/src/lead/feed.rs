//! A bank's lead feed (issue 14, item 2): `GET /v1/bank/leads?after=<cursor>&limit=<n>` with
//! the bank's report key returns the leads that were shown the bank's products, oldest first,
//! from a cursor, so a bank that pulls every minute gets each lead exactly once.
//!
//! The cursor is the position in the bank's feed (`bank_leads.seq`, a sequence D1 assigns when
//! the lead is written, never the clock): opaque to the bank, which sends back the `cursor` of
//! its last answer. An erased lead (item 4) comes again as a tombstone, kind [`ERASED`], a
//! later entry of the same feed.

use serde::{Deserialize, Serialize};

use crate::api::{Problem, ProblemCode};
use crate::lead::profile::ProfileTags;
use crate::lead::recommend::Ranked;

/// The kind of a lead's own feed entry.
pub const LEAD: &str = "lead";
/// The kind of an erasure tombstone: the lead was erased; the bank deletes what it holds.
pub const ERASED: &str = "erased";

/// `limit` when none is given.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `limit`.
pub const MAX_LIMIT: u32 = 500;
/// The largest cursor: D1 holds integers exactly up to 2^53 − 1.
const MAX_CURSOR: i64 = (1 << 53) - 1;

/// A checked pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedQuery {
    /// Entries after this position (0: from the start).
    pub after: i64,
    /// At most this many entries, 1–[`MAX_LIMIT`].
    pub limit: u32,
}

impl FeedQuery {
    /// Reads `after` (a cursor this route gave, or absent for the start) and `limit`
    /// (1–[`MAX_LIMIT`], default [`DEFAULT_LIMIT`]).
    ///
    /// # Errors
    /// 400 `invalid_cursor` for a cursor this route cannot have given, 400 `invalid_limit` for
    /// a limit out of range or not a number, 400 `invalid_field` for another parameter or one
    /// given twice.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<FeedQuery, Problem> {
        let (mut after, mut limit) = (None, None);
        for (k, v) in pairs {
            let slot = match k {
                "after" => &mut after,
                "limit" => &mut limit,
                _ => {
                    let k: String = k.chars().take(32).collect();
                    return Err(Problem::invalid_field(format!("unknown parameter '{k}'")));
                }
            };
            if slot.replace(v).is_some() {
                return Err(Problem::invalid_field(format!("'{k}' is given twice")));
            }
        }
        let after = match after {
            None => 0,
            Some(c) => parse_cursor(c).ok_or_else(|| {
                Problem::new(
                    ProblemCode::InvalidCursor,
                    "after is a cursor as a previous pull returned it",
                )
            })?,
        };
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(l) => digits(l)
                .filter(|n| (1..=i64::from(MAX_LIMIT)).contains(n))
                .map(|n| n as u32)
                .ok_or_else(|| {
                    Problem::new(
                        ProblemCode::InvalidLimit,
                        format!("limit is a whole number from 1 to {MAX_LIMIT}"),
                    )
                })?,
        };
        Ok(FeedQuery { after, limit })
    }
}

/// The text of a cursor at feed position `seq`.
pub fn cursor(seq: i64) -> String {
    seq.to_string()
}

fn parse_cursor(text: &str) -> Option<i64> {
    digits(text).filter(|n| (0..=MAX_CURSOR).contains(n))
}

/// ASCII digits only, no sign, no leading zero (one spelling per number), at most 16 digits.
fn digits(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let canonical =
        !b.is_empty() && b.len() <= 16 && b.iter().all(u8::is_ascii_digit) && (b[0] != b'0' || b.len() == 1);
    canonical.then(|| text.parse().ok()).flatten()
}

/// The banks whose products a lead was shown — the feeds it enters — in the order of each
/// bank's best card, each with its own product ids, best first.
pub fn banks_shown(recommendations: &[Ranked]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in recommendations {
        match out.iter_mut().find(|(bank, _)| *bank == r.bank_id) {
            Some((_, products)) => products.push(r.product_id.clone()),
            None => out.push((r.bank_id.clone(), vec![r.product_id.clone()])),
        }
    }
    out
}

/// One feed entry as D1 reads it (`edge/src/db/bank_leads.rs`): `tags` and `products` are JSON
/// array text; the lead's consent columns are NULL without consent; `sealed` and `key_id` are
/// NULL when nothing was sealed for the bank.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedRow {
    pub seq: i64,
    pub kind: String,
    pub lead_id: String,
    pub created_at: String,
    pub partner_id: String,
    pub scene: String,
    pub risk_tolerance: String,
    pub tags: Option<String>,
    pub products: String,
    pub consent_version: Option<String>,
    pub consent_at: Option<String>,
    /// Whether the lead kept a contact (its keyed hash).
    pub has_contact: i64,
    /// 1 when the lead is erased (`leads.erased_at` set), else 0.
    pub erased: i64,
    pub key_id: Option<String>,
    pub sealed: Option<String>,
}

/// Whether the lead's contact reaches the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Sealed to the bank's key: `sealed_contact` opens with its private key
    /// (`inflow bank open`).
    Sealed,
    /// The visitor gave no contact (or no consent).
    None,
    /// The visitor gave a contact, but the bank had no contact key when the lead came: nothing
    /// was sealed for it and it never will be (inflow keeps no plaintext to seal later).
    NoKey,
    /// The lead was erased (by the visitor, a bank, or retention): whatever contact it had is
    /// gone — on its tombstone and on its earlier entry, read again (it read `none`, "no
    /// contact given").
    Erased,
}

/// The visitor's consent as the bank receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedConsent {
    pub version: String,
    /// When the visitor agreed, by their clock (RFC 3339).
    pub accepted_at: String,
}

/// One lead of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLead {
    /// The feed entry's kind: [`LEAD`], or [`ERASED`] for a tombstone (no tags, consent,
    /// products or contact).
    pub kind: String,
    /// The lead's id (the one conversions and the widget's answer carry).
    pub id: String,
    /// When the edge received it, RFC 3339 UTC.
    pub created_at: String,
    pub partner: String,
    pub scene: String,
    /// The visitor's risk tolerance as the edge computed it (`conservative` … `aggressive`).
    pub risk_tolerance: String,
    /// The profile's tags as the edge stored them with the lead (`asset_band`, `region`,
    /// `yield_preference`, the questionnaire's wire ids); `None` for a tombstone.
    pub tags: Option<ProfileTags>,
    /// This bank's recommended product ids, best first (another bank's are not shown).
    pub products: Vec<String>,
    pub consent: Option<FeedConsent>,
    pub contact: ContactStatus,
    /// [`crate::lead::seal`]'s key id of the key `sealed_contact` was sealed to.
    pub key_id: Option<String>,
    /// base64url HPKE ciphertext of the contact record (see `lead::seal`); only with
    /// `contact: sealed`.
    pub sealed_contact: Option<String>,
}

/// `GET /v1/bank/leads`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLeads {
    /// The bank whose feed this is (the HPKE info of each sealed contact names it).
    pub bank: String,
    pub leads: Vec<BankLead>,
    /// Send it back as `after` for the next entries: past the last entry returned, or the
    /// request's own cursor when none was (an empty page never moves the cursor back).
    pub cursor: String,
    /// Whether more entries were there than `limit` allowed: pull again at once.
    pub more: bool,
}

impl BankLeads {
    /// The answer for `bank` from the rows D1 read: at most `q.limit + 1` of them, in feed
    /// order (the extra row only says that there is more).
    pub fn from_rows(bank: &str, q: &FeedQuery, mut rows: Vec<FeedRow>) -> BankLeads {
        let more = rows.len() > q.limit as usize;
        rows.truncate(q.limit as usize);
        let last = rows.last().map_or(q.after, |r| r.seq);
        BankLeads {
            bank: bank.to_string(),
            leads: rows.into_iter().map(BankLead::from).collect(),
            cursor: cursor(last),
            more,
        }
    }
}

impl From<FeedRow> for BankLead {
    fn from(r: FeedRow) -> BankLead {
        let list =
            |text: Option<&str>| -> Vec<String> { text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default() };
        let tombstone = r.kind == ERASED;
        let contact = match (&r.sealed, r.has_contact != 0) {
            _ if tombstone || r.erased != 0 => ContactStatus::Erased,
            (Some(_), _) => ContactStatus::Sealed,
            (None, true) => ContactStatus::NoKey,
            (None, false) => ContactStatus::None,
        };
        BankLead {
            kind: r.kind,
            id: r.lead_id,
            created_at: r.created_at,
            partner: r.partner_id,
            scene: r.scene,
            risk_tolerance: r.risk_tolerance,
            // Typed: a stored shape this reader does not know fails the test that builds the
            // row the way the edge stores it, instead of reading as "no tags" (it did: `[]`).
            tags: r
                .tags
                .as_deref()
                .filter(|_| !tombstone)
                .and_then(|t| serde_json::from_str(t).ok()),
            products: list(Some(&r.products)),
            consent: match (r.consent_version, r.consent_at) {
                (Some(version), Some(accepted_at)) if !tombstone => Some(FeedConsent { version, accepted_at }),
                _ => None,
            },
            contact,
            key_id: r.key_id.filter(|_| r.sealed.is_some()),
            sealed_contact: r.sealed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &[(&str, &str)]) -> Result<FeedQuery, ProblemCode> {
        FeedQuery::parse(q.iter().copied()).map_err(|p| p.code)
    }

    #[test]
    fn cursor_and_limit_are_checked() {
        assert_eq!(parse(&[]), Ok(FeedQuery { after: 0, limit: 100 }));
        assert_eq!(
            parse(&[("after", "42"), ("limit", "500")]),
            Ok(FeedQuery { after: 42, limit: 500 })
        );
        assert_eq!(parse(&[("after", &cursor(7))]).map(|q| q.after), Ok(7));
        for bad in [
            "",
            "-1",
            "01",
            "1.5",
            "x",
            "+3",
            "9007199254740992",
            "99999999999999999",
        ] {
            assert_eq!(parse(&[("after", bad)]), Err(ProblemCode::InvalidCursor), "{bad:?}");
        }
        for bad in ["", "0", "501", "-1", "ten", "010"] {
            assert_eq!(parse(&[("limit", bad)]), Err(ProblemCode::InvalidLimit), "{bad:?}");
        }
        assert_eq!(parse(&[("since", "1")]), Err(ProblemCode::InvalidField));
        assert_eq!(parse(&[("limit", "1"), ("limit", "2")]), Err(ProblemCode::InvalidField));
    }

    fn example_tags() -> ProfileTags {
        crate::lead::profile::assess(&crate::lead::questionnaire::example_answers())
            .expect("the example answers profile")
            .tags
    }

    fn row(seq: i64, sealed: Option<&str>, has_contact: bool) -> FeedRow {
        FeedRow {
            seq,
            kind: "lead".into(),
            lead_id: format!("lead-{seq}"),
            created_at: "2026-11-30T10:00:00.000Z".into(),
            partner_id: "edu-demo".into(),
            scene: "education".into(),
            risk_tolerance: "balanced".into(),
            // As `edge/src/db/leads.rs` stores them: the profile's tags as JSON.
            tags: Some(serde_json::to_string(&example_tags()).expect("tags serialise")),
            products: r#"["td-12m","td-3m"]"#.into(),
            consent_version: has_contact.then(|| "contact-2026-11".into()),
            consent_at: has_contact.then(|| "2026-11-30T09:59:00Z".into()),
            has_contact: i64::from(has_contact),
            erased: 0,
            key_id: sealed.map(|_| "00112233aabbccdd".into()),
            sealed: sealed.map(String::from),
        }
    }

    #[test]
    fn a_page_says_where_to_go_on_and_whether_there_is_more() {
        let q = FeedQuery { after: 3, limit: 2 };
        let page = BankLeads::from_rows(
            "demo-bank",
            &q,
            vec![row(5, Some("c2VhbGVk"), true), row(9, None, true), row(12, None, false)],
        );
        assert!(page.more);
        assert_eq!(page.cursor, "9");
        assert_eq!(page.leads.len(), 2);
        assert_eq!(page.leads[0].contact, ContactStatus::Sealed);
        assert_eq!(page.leads[0].sealed_contact.as_deref(), Some("c2VhbGVk"));
        assert_eq!(page.leads[0].products, ["td-12m", "td-3m"]);
        assert_eq!(page.leads[0].tags, Some(example_tags()));
        assert_eq!(page.leads[1].contact, ContactStatus::NoKey);
        assert_eq!(page.leads[1].key_id, None);
        let empty = BankLeads::from_rows("demo-bank", &q, vec![]);
        assert_eq!((empty.cursor.as_str(), empty.more), ("3", false));
        let last = BankLeads::from_rows("demo-bank", &q, vec![row(12, None, false)]);
        assert_eq!(last.leads[0].contact, ContactStatus::None);
        assert_eq!(last.leads[0].consent, None);
        assert!(!last.more);
        let tombstone = FeedRow {
            kind: ERASED.into(),
            products: "[]".into(),
            erased: 1,
            ..row(14, None, true)
        };
        let erased_lead = FeedRow {
            erased: 1,
            ..row(13, None, false)
        };
        let page = BankLeads::from_rows("demo-bank", &q, vec![erased_lead]);
        assert_eq!(
            page.leads[0].contact,
            ContactStatus::Erased,
            "the earlier entry of an erased lead"
        );
        let page = BankLeads::from_rows("demo-bank", &q, vec![tombstone]);
        let t = &page.leads[0];
        assert_eq!((t.kind.as_str(), t.id.as_str()), (ERASED, "lead-14"));
        assert!(t.tags.is_none() && t.products.is_empty() && t.consent.is_none());
        assert_eq!(t.contact, ContactStatus::Erased);
    }
}
