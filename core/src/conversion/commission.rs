//! What a partner earns for one conversion. Integer minor units only: money is never a float.

use serde::{Deserialize, Serialize};

/// A bank's payout for one event: a flat amount plus a share of the conversion's amount, the
/// share optionally capped. Either part may be zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub flat_minor: i64,
    /// Share of `amount_minor` in basis points (1/100 of a percent).
    pub percent_bps: u32,
    /// Upper bound of the share (not of the flat part); `None` is uncapped.
    pub cap_minor: Option<i64>,
}

/// A rule as stored: `partner_id` is `None` for the bank's default, `Some` for an override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopedRule {
    pub event: String,
    pub partner_id: Option<String>,
    pub rule: Rule,
}

impl Rule {
    /// The payout, rounded down to the minor unit; negative amounts and rules count as zero, so
    /// a bad row can never make the ledger pay the bank.
    pub fn payout(&self, amount_minor: i64) -> i64 {
        let amount = i128::from(amount_minor.max(0));
        let mut share = amount * i128::from(self.percent_bps) / 10_000;
        if let Some(cap) = self.cap_minor {
            share = share.min(i128::from(cap.max(0)));
        }
        let total = i128::from(self.flat_minor.max(0)) + share;
        i64::try_from(total).unwrap_or(i64::MAX)
    }
}

/// The rule for `event` as seen by `partner`: its override if it has one, else the default.
pub fn resolve<'a>(rules: &'a [ScopedRule], partner: &str, event: &str) -> Option<&'a Rule> {
    let for_event = || rules.iter().filter(move |r| r.event == event);
    for_event()
        .find(|r| r.partner_id.as_deref() == Some(partner))
        .or_else(|| for_event().find(|r| r.partner_id.is_none()))
        .map(|r| &r.rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scoped(event: &str, partner: Option<&str>, flat: i64) -> ScopedRule {
        ScopedRule {
            event: event.into(),
            partner_id: partner.map(Into::into),
            rule: Rule {
                flat_minor: flat,
                percent_bps: 0,
                cap_minor: None,
            },
        }
    }

    #[test]
    fn flat_percent_and_cap() {
        let flat = Rule {
            flat_minor: 5_000,
            percent_bps: 0,
            cap_minor: None,
        };
        assert_eq!(flat.payout(123_456), 5_000);
        let pct = Rule {
            flat_minor: 0,
            percent_bps: 50,
            cap_minor: Some(20_000),
        };
        assert_eq!(pct.payout(1_000_000), 5_000, "0.5 % of 10,000.00");
        assert_eq!(pct.payout(999), 4, "rounded down");
        assert_eq!(pct.payout(100_000_000), 20_000, "capped");
        assert_eq!(pct.payout(-5), 0);
        let both = Rule {
            flat_minor: 100,
            percent_bps: 100,
            cap_minor: Some(50),
        };
        assert_eq!(both.payout(1_000_000), 150, "the cap bounds the share only");
    }

    #[test]
    fn partner_override_beats_default() {
        let rules = [
            scoped("funded", None, 100),
            scoped("funded", Some("edu-demo"), 300),
            scoped("account_opened", None, 50),
        ];
        assert_eq!(resolve(&rules, "edu-demo", "funded").map(|r| r.flat_minor), Some(300));
        assert_eq!(resolve(&rules, "game-demo", "funded").map(|r| r.flat_minor), Some(100));
        assert_eq!(
            resolve(&rules, "edu-demo", "account_opened").map(|r| r.flat_minor),
            Some(50)
        );
        assert_eq!(resolve(&rules, "edu-demo", "lead_qualified"), None);
    }

    proptest! {
        #[test]
        fn payout_is_bounded_and_monotonic(
            flat in 0i64..1_000_000, bps in 0u32..=10_000, cap in proptest::option::of(0i64..1_000_000),
            a in 0i64..1_000_000_000_000, b in 0i64..1_000_000_000_000,
        ) {
            let r = Rule { flat_minor: flat, percent_bps: bps, cap_minor: cap };
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(r.payout(lo) <= r.payout(hi));
            prop_assert!(r.payout(lo) >= flat);
            prop_assert!(r.payout(hi) <= flat + hi);
            if let Some(c) = cap {
                prop_assert!(r.payout(hi) <= flat + c);
            }
        }

        #[test]
        fn extreme_values_never_overflow(flat in any::<i64>(), bps in any::<u32>(), amount in any::<i64>()) {
            let r = Rule { flat_minor: flat, percent_bps: bps, cap_minor: None };
            prop_assert!(r.payout(amount) >= 0);
        }
    }
}
