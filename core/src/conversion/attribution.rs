//! Whether a conversion is paid, held or not paid, and why: the rules of the brief as one pure
//! function over facts the edge has read from D1.

use serde::{Deserialize, Serialize};

use crate::conversion::commission::{self, ScopedRule};

/// A click this close to its conversion is faster than any human opening an account.
pub const MIN_CLICK_TO_CONVERSION_SECS: i64 = 15;
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Attributed and paid, but inside the campaign's approval period (a bank may still reverse).
    Pending,
    Approved,
    /// Paid amount computed and kept, but not payable until someone clears the fraud signal.
    Held,
    /// Recorded, never paid: the conversion came after the attribution window.
    OutOfWindow,
    /// Paid once, then clawed back.
    Reversed,
    /// Recorded, never paid: not an event the campaign pays for, or earlier than its click.
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Held => "held",
            Status::OutOfWindow => "out_of_window",
            Status::Reversed => "reversed",
            Status::Rejected => "rejected",
        }
    }

    /// Statuses a bank may reverse: the paid ones. A conversion that was never paid (rejected,
    /// out of window) has nothing to claw back and answers `409 not_reversible`; a reversed one
    /// is already reversed (a repeated reversal answers the same row).
    pub const REVERSIBLE: [Status; 3] = [Status::Pending, Status::Approved, Status::Held];

    /// Whether the bank may reverse a conversion in this status (see [`Status::REVERSIBLE`]).
    pub fn is_reversible(self) -> bool {
        Status::REVERSIBLE.contains(&self)
    }

    /// Whether a conversion in this status is paid (accrues a commission): the reversible ones.
    pub fn is_paid(self) -> bool {
        self.is_reversible()
    }

    /// The reversible statuses as an SQL list (`'pending', 'approved', 'held'`), for the
    /// statement that flips them, so the rule lives here only.
    pub fn reversible_sql() -> String {
        let quoted: Vec<String> = Status::REVERSIBLE.iter().map(|s| format!("'{}'", s.as_str())).collect();
        quoted.join(", ")
    }

    /// Whether a conversion counts in reports' `conversions` and `conversion_value_minor`:
    /// every recorded conversion except rejected ones (never attributable) and reversed ones
    /// (taken back by the bank; their clawed-back payout is in `payout_reversed_minor`). The
    /// rollup triggers (edge/migrations/0008) apply the same rule.
    pub fn counts_in_reports(self) -> bool {
        !matches!(self, Status::Rejected | Status::Reversed)
    }

    /// Every status, in the order of the enum.
    pub const ALL: [Status; 6] = [
        Status::Pending,
        Status::Approved,
        Status::Held,
        Status::OutOfWindow,
        Status::Reversed,
        Status::Rejected,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What the edge knows about the click and its campaign when a conversion arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub partner_id: String,
    pub clicked_at: i64,
    pub click_ua_is_bot: bool,
    /// Clicks from the same (IP, UA) hash in the hour up to and including this one.
    pub clicks_in_hour: i64,
    pub max_clicks_per_hour: i64,
    pub window_days: i64,
    pub approval_days: i64,
    /// Events the campaign pays for.
    pub events: Vec<String>,
    /// Events the campaign pays for every time (e.g. `funded` top-ups); every other event pays
    /// once per click.
    pub repeatable_events: Vec<String>,
    /// Whether this event was already paid on this click (a pending, approved, held or since
    /// reversed conversion under another external id).
    pub event_paid_on_click: bool,
    pub rules: Vec<ScopedRule>,
    pub event: String,
    pub amount_minor: i64,
    pub occurred_at: i64,
}

/// What a conversion earns: its status, why, and the payout (minor units of the campaign's
/// currency). Not to be confused with [`crate::lead::engine::LeadDecision`], the lead's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionDecision {
    pub status: Status,
    /// Why it is held, out of window or rejected; comma-separated when several holds apply.
    pub reason: Option<String>,
    pub payout_minor: i64,
}

/// Fraud signals on this conversion, in a fixed order so the stored reason is stable.
pub fn fraud_signals(f: &Facts) -> Vec<&'static str> {
    let mut out = Vec::new();
    if f.occurred_at - f.clicked_at < MIN_CLICK_TO_CONVERSION_SECS {
        out.push("fast_conversion");
    }
    if f.clicks_in_hour > f.max_clicks_per_hour {
        out.push("click_burst");
    }
    if f.click_ua_is_bot {
        out.push("known_bot");
    }
    out
}

pub fn decide(f: &Facts) -> ConversionDecision {
    let unpaid = |status, reason: &str| ConversionDecision {
        status,
        reason: Some(reason.to_string()),
        payout_minor: 0,
    };
    let rule = commission::resolve(&f.rules, &f.partner_id, &f.event);
    let Some(rule) = rule.filter(|_| f.events.contains(&f.event)) else {
        return unpaid(Status::Rejected, "event_not_in_campaign");
    };
    if f.occurred_at < f.clicked_at {
        return unpaid(Status::Rejected, "before_click");
    }
    if f.event_paid_on_click && !f.repeatable_events.contains(&f.event) {
        return unpaid(Status::Rejected, "duplicate_event_for_click");
    }
    if f.occurred_at - f.clicked_at > f.window_days.max(0) * 86_400 {
        return unpaid(Status::OutOfWindow, "out_of_window");
    }
    let payout_minor = rule.payout(f.amount_minor);
    let signals = fraud_signals(f);
    if !signals.is_empty() {
        return ConversionDecision {
            status: Status::Held,
            reason: Some(signals.join(",")),
            payout_minor,
        };
    }
    let status = if f.approval_days > 0 {
        Status::Pending
    } else {
        Status::Approved
    };
    ConversionDecision {
        status,
        reason: None,
        payout_minor,
    }
}

/// Whether a conversion decided as `d` takes its click's one payment for its event: it is paid
/// and the event is not one the campaign lets repeat. The edge stores this flag under a unique
/// index on (click, event), so two postbacks racing with different external ids cannot both be
/// paid: the loser is decided again with [`Facts::event_paid_on_click`] set.
pub fn pays_once_per_click(f: &Facts, d: &ConversionDecision) -> bool {
    d.status.is_paid() && !f.repeatable_events.contains(&f.event)
}

/// Picks the campaign that pays for `product` among a partner's campaigns for a scene: one that
/// names the product beats one that covers every product (`"*"`), then the smallest id, so the
/// choice is stable.
pub fn pick_campaign<'a>(campaigns: &'a [(String, Vec<String>)], product: &str) -> Option<&'a str> {
    let best = |wanted: &str| {
        campaigns
            .iter()
            .filter(|(_, products)| products.iter().any(|p| p == wanted))
            .map(|(id, _)| id.as_str())
            .min()
    };
    best(product).or_else(|| best("*"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversion::commission::Rule;
    use proptest::prelude::*;

    fn facts() -> Facts {
        Facts {
            partner_id: "edu-demo".into(),
            clicked_at: 1_000_000,
            click_ua_is_bot: false,
            clicks_in_hour: 1,
            max_clicks_per_hour: 20,
            window_days: 30,
            approval_days: 0,
            events: vec!["account_opened".into(), "funded".into()],
            repeatable_events: vec!["funded".into()],
            event_paid_on_click: false,
            rules: vec![
                ScopedRule {
                    event: "account_opened".into(),
                    partner_id: None,
                    rule: Rule {
                        flat_minor: 5_000,
                        percent_bps: 0,
                        cap_minor: None,
                    },
                },
                ScopedRule {
                    event: "funded".into(),
                    partner_id: None,
                    rule: Rule {
                        flat_minor: 0,
                        percent_bps: 50,
                        cap_minor: Some(20_000),
                    },
                },
            ],
            event: "account_opened".into(),
            amount_minor: 0,
            occurred_at: 1_000_000 + 3_600,
        }
    }

    #[test]
    fn clean_conversion_is_approved_with_its_payout() {
        let d = decide(&facts());
        assert_eq!((d.status, d.payout_minor, d.reason), (Status::Approved, 5_000, None));
        let pending = decide(&Facts {
            approval_days: 7,
            ..facts()
        });
        assert_eq!(pending.status, Status::Pending);
    }

    #[test]
    fn window_edges() {
        let at = |secs: i64| {
            decide(&Facts {
                occurred_at: 1_000_000 + secs,
                ..facts()
            })
            .status
        };
        assert_eq!(at(30 * 86_400), Status::Approved, "the last second is inside");
        assert_eq!(at(30 * 86_400 + 1), Status::OutOfWindow);
        assert_eq!(at(-1), Status::Rejected);
    }

    #[test]
    fn fraud_signals_hold_but_keep_the_payout() {
        let fast = decide(&Facts {
            occurred_at: 1_000_000 + 14,
            ..facts()
        });
        assert_eq!((fast.status, fast.payout_minor), (Status::Held, 5_000));
        assert_eq!(fast.reason.as_deref(), Some("fast_conversion"));
        let all = decide(&Facts {
            occurred_at: 1_000_000 + 1,
            clicks_in_hour: 21,
            click_ua_is_bot: true,
            ..facts()
        });
        assert_eq!(all.reason.as_deref(), Some("fast_conversion,click_burst,known_bot"));
        assert_eq!(
            decide(&Facts {
                clicks_in_hour: 20,
                ..facts()
            })
            .status,
            Status::Approved
        );
    }

    #[test]
    fn unconfigured_events_are_rejected() {
        let d = decide(&Facts {
            event: "lead_qualified".into(),
            ..facts()
        });
        assert_eq!((d.status, d.payout_minor), (Status::Rejected, 0));
    }

    #[test]
    fn an_event_pays_once_per_click_unless_it_may_repeat() {
        let first = facts();
        let d = decide(&first);
        assert!(pays_once_per_click(&first, &d));
        let again = Facts {
            event_paid_on_click: true,
            ..facts()
        };
        let d = decide(&again);
        assert_eq!(
            (d.status, d.payout_minor, d.reason.as_deref()),
            (Status::Rejected, 0, Some("duplicate_event_for_click"))
        );
        assert!(!pays_once_per_click(&again, &d));
        let top_up = Facts {
            event: "funded".into(),
            amount_minor: 100_000,
            event_paid_on_click: true,
            ..facts()
        };
        let d = decide(&top_up);
        assert_eq!(d.status, Status::Approved, "funded may repeat");
        assert!(!pays_once_per_click(&top_up, &d));
        let held = Facts {
            click_ua_is_bot: true,
            ..facts()
        };
        assert!(pays_once_per_click(&held, &decide(&held)), "held is paid");
        let late = Facts {
            occurred_at: 1_000_000 + 31 * 86_400,
            ..facts()
        };
        assert!(!pays_once_per_click(&late, &decide(&late)), "out of window is not paid");
    }

    #[test]
    fn only_paid_conversions_are_reversible_and_reversed_ones_leave_the_counts() {
        let reversible: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_reversible()).collect();
        assert_eq!(reversible, [Status::Pending, Status::Approved, Status::Held]);
        assert_eq!(Status::reversible_sql(), "'pending', 'approved', 'held'");
        assert!(!Status::Rejected.counts_in_reports());
        assert!(!Status::Reversed.counts_in_reports());
        assert!(Status::OutOfWindow.counts_in_reports());
        assert!(Status::Held.counts_in_reports());
    }

    #[test]
    fn campaigns_by_product() {
        let campaigns = vec![
            ("b-all".to_string(), vec!["*".to_string()]),
            ("c-td".to_string(), vec!["td-12m".to_string()]),
            ("a-all".to_string(), vec!["*".to_string()]),
        ];
        assert_eq!(pick_campaign(&campaigns, "td-12m"), Some("c-td"));
        assert_eq!(pick_campaign(&campaigns, "bond"), Some("a-all"));
        assert_eq!(pick_campaign(&campaigns[1..2], "bond"), None);
        for s in ["pending", "approved", "held", "out_of_window", "reversed", "rejected"] {
            assert_eq!(Status::parse(s).map(Status::as_str), Some(s));
        }
    }

    proptest! {
        #[test]
        fn only_paid_statuses_carry_money(
            delta in -100i64..40 * 86_400, burst in 0i64..40, bot in any::<bool>(),
            amount in 0i64..10_000_000_000, funded in any::<bool>(), approval in 0i64..3,
        ) {
            let f = Facts {
                occurred_at: 1_000_000 + delta,
                clicks_in_hour: burst,
                click_ua_is_bot: bot,
                amount_minor: amount,
                approval_days: approval,
                event: if funded { "funded".into() } else { "account_opened".into() },
                ..facts()
            };
            let d = decide(&f);
            match d.status {
                Status::Approved | Status::Pending => {
                    prop_assert!(d.payout_minor > 0 || amount == 0);
                    prop_assert!(d.reason.is_none());
                }
                Status::Held => prop_assert!(d.reason.is_some()),
                Status::OutOfWindow | Status::Rejected => prop_assert_eq!(d.payout_minor, 0),
                Status::Reversed => prop_assert!(false, "never decided on arrival"),
            }
            prop_assert!(d.payout_minor <= 20_000, "the largest rule pays 200.00");
        }
    }
}
