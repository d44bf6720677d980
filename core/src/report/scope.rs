//! Whose report it is and what it may read: a partner key sees its own rows; a bank key its own
//! clicks and conversions and the funnel of every partner it has a campaign with, optionally
//! narrowed to one of them. Also which rollups a report reads for its range.

use crate::api::Problem;
use crate::report::tags::Tag;
use crate::report::GroupBy;

/// The holder of a report key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Partner(String),
    Bank(String),
}

/// Whether a scope may read a report, as far as can be told without D1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access<'a> {
    Granted,
    /// Granted if the bank has a campaign with this partner (a D1 read); else
    /// [`not_bank_partner`].
    IfBankHasPartner(&'a str),
}

/// Which rows of the rollups a report reads. The edge binds the scope's id as `?1` and, for
/// [`Rows::BankPartner`], the partner as `?4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The partner's own rows.
    Partner,
    /// The bank's clicks and conversions, and its campaign partners' funnel.
    Bank,
    /// [`Rows::Bank`], of one partner.
    BankPartner,
}

/// Where a report's rows come from: the rollups of edge/migrations/0006 and 0007.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 30-minute buckets over the whole range (by day: each bucket lies in one local day).
    Buckets,
    /// The bank's own 30-minute rollup (a bank's report by day, not narrowed).
    BankBuckets,
    /// Whole UTC days `[d0, d1)` from the daily rollup, and buckets for the partial days at the
    /// two edges (groupings other than by day).
    DaysAndEdgeBuckets,
    /// The same days and edges from the tag rollup (edge/migrations/0024), of one tag.
    Tags(Tag),
}

/// The refusal when a bank narrows its report to a partner it has no campaign with.
pub fn not_bank_partner() -> Problem {
    Problem::forbidden("not one of this bank's partners")
}

impl Scope {
    /// The partner's or bank's id.
    pub fn id(&self) -> &str {
        match self {
            Scope::Partner(id) | Scope::Bank(id) => id,
        }
    }

    /// Whether this scope may read a report grouped by `group_by`, narrowed to `partner`: a
    /// partner key neither groups by partner nor names another partner (403 forbidden).
    pub fn access<'a>(&self, group_by: GroupBy, partner: Option<&'a str>) -> Result<Access<'a>, Problem> {
        match (self, group_by, partner) {
            (Scope::Partner(_), GroupBy::Partner, _) => Err(Problem::forbidden("a partner key sees its own rows only")),
            (Scope::Partner(me), _, Some(other)) if other != me => {
                Err(Problem::forbidden("a partner key sees its own rows only"))
            }
            (Scope::Bank(_), _, Some(p)) => Ok(Access::IfBankHasPartner(p)),
            _ => Ok(Access::Granted),
        }
    }

    /// The partner a bank narrows its report to (a partner's own name of itself narrows
    /// nothing).
    pub fn narrowed_to<'a>(&self, partner: Option<&'a str>) -> Option<&'a str> {
        match self {
            Scope::Bank(_) => partner,
            Scope::Partner(_) => None,
        }
    }

    /// The rollup rows a report reads.
    pub fn rows(&self, partner: Option<&str>) -> Rows {
        match (self, self.narrowed_to(partner)) {
            (Scope::Partner(_), _) => Rows::Partner,
            (Scope::Bank(_), Some(_)) => Rows::BankPartner,
            (Scope::Bank(_), None) => Rows::Bank,
        }
    }

    /// Where a report grouped by `group_by` reads its rows from: by day, the buckets (the
    /// bank's own rollup unless narrowed); otherwise whole UTC days and the edges' buckets.
    pub fn source(&self, group_by: GroupBy, partner: Option<&str>) -> Source {
        match (group_by, self.rows(partner)) {
            (GroupBy::Day, Rows::Bank) => Source::BankBuckets,
            (GroupBy::Day, _) => Source::Buckets,
            (GroupBy::Tag(tag), _) => Source::Tags(tag),
            _ => Source::DaysAndEdgeBuckets,
        }
    }
}

/// The whole UTC days in `[start, end)` (unix seconds): from the first UTC midnight at or after
/// `start` to the last at or before `end`; both `end` when there is none, so the edges' buckets
/// `[start, d0)` and `[d1, end)` cover the range.
pub fn utc_days(start: i64, end: i64) -> (i64, i64) {
    const DAY: i64 = 86_400;
    let d0 = (start + DAY - 1).div_euclid(DAY) * DAY;
    let d1 = end.div_euclid(DAY) * DAY;
    if d0 < d1 {
        (d0, d1)
    } else {
        (end, end)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::api::ProblemCode;

    const DAY: i64 = 86_400;

    fn code(r: Result<Access<'_>, Problem>) -> Result<Access<'_>, ProblemCode> {
        r.map_err(|p| p.code)
    }

    #[test]
    fn a_partner_sees_its_own_rows_only() {
        let me = Scope::Partner("edu-demo".into());
        assert_eq!(code(me.access(GroupBy::Day, None)), Ok(Access::Granted));
        assert_eq!(code(me.access(GroupBy::Scene, Some("edu-demo"))), Ok(Access::Granted));
        assert_eq!(
            code(me.access(GroupBy::Day, Some("game-demo"))),
            Err(ProblemCode::Forbidden)
        );
        assert_eq!(code(me.access(GroupBy::Partner, None)), Err(ProblemCode::Forbidden));
        assert_eq!(me.rows(Some("edu-demo")), Rows::Partner);
        assert_eq!(me.source(GroupBy::Day, Some("edu-demo")), Source::Buckets);
    }

    #[test]
    fn a_bank_narrows_to_its_partners_after_a_check() {
        let bank = Scope::Bank("demo-bank".into());
        assert_eq!(bank.access(GroupBy::Partner, None).ok(), Some(Access::Granted));
        assert_eq!(
            bank.access(GroupBy::Day, Some("edu-demo")).ok(),
            Some(Access::IfBankHasPartner("edu-demo"))
        );
        assert_eq!(not_bank_partner().code, ProblemCode::Forbidden);
        assert_eq!(bank.rows(None), Rows::Bank);
        assert_eq!(bank.rows(Some("edu-demo")), Rows::BankPartner);
        assert_eq!(bank.source(GroupBy::Day, None), Source::BankBuckets);
        assert_eq!(bank.source(GroupBy::Day, Some("edu-demo")), Source::Buckets);
        assert_eq!(bank.source(GroupBy::Partner, None), Source::DaysAndEdgeBuckets);
        assert_eq!(bank.source(GroupBy::Tag(Tag::SubId), None), Source::Tags(Tag::SubId));
        assert_eq!(
            Scope::Partner("edu-demo".into())
                .access(GroupBy::Tag(Tag::UtmSource), None)
                .ok(),
            Some(Access::Granted),
            "a partner groups its own rows by its own tags"
        );
        assert_eq!(bank.id(), "demo-bank");
    }

    #[test]
    fn utc_days_inside_a_range() {
        // Three days in Asia/Shanghai (UTC+8): 16:00 UTC to 16:00 UTC.
        let midnight = 20_758 * DAY;
        let start = midnight - 8 * 3_600;
        let (d0, d1) = utc_days(start, start + 3 * DAY);
        assert_eq!((d0, d1), (midnight, midnight + 2 * DAY));
        // UTC days exactly: no edges.
        assert_eq!(utc_days(0, 2 * DAY), (0, 2 * DAY));
        // A range inside one UTC day has no whole day: all edge buckets.
        assert_eq!(utc_days(3_600, 7_200), (7_200, 7_200));
    }

    proptest! {
        /// The edges and the days cover the range exactly, in order, the days whole.
        #[test]
        fn edges_and_days_tile_the_range(start in -1_000_000i64..4_000_000_000, len in 0i64..40 * DAY) {
            let end = start + len;
            let (d0, d1) = utc_days(start, end);
            prop_assert!(start <= d0 && d0 <= d1 && d1 <= end);
            prop_assert_eq!(d0.rem_euclid(DAY) == 0 || d0 == end, true);
            prop_assert_eq!((d1 - d0).rem_euclid(DAY), 0);
            prop_assert!(d0 == d1 || (d0 - start < DAY && end - d1 < DAY));
        }
    }
}
