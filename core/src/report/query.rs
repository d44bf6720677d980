//! `GET /v1/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=…&group_by=…&format=json|csv`, checked.

#[cfg(feature = "tz")]
use crate::api::{Problem, ProblemCode};
use crate::report::tags::Tag;
#[cfg(feature = "tz")]
use crate::report::zone::{self, Zone, DEFAULT_ZONE};
use crate::report::Metric;

/// A report covers at most this many days: a year, with room for a leap day.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    Scene,
    Product,
    Campaign,
    /// Bank keys only: a partner sees nobody else.
    Partner,
    /// A partner's own tracking tag (`report::tags`): its top values, `(other)` and `(none)`.
    Tag(Tag),
}

impl GroupBy {
    /// Every grouping, in the order the API documents them.
    pub const ALL: [GroupBy; 8] = [
        GroupBy::Day,
        GroupBy::Scene,
        GroupBy::Product,
        GroupBy::Campaign,
        GroupBy::Partner,
        GroupBy::Tag(Tag::SubId),
        GroupBy::Tag(Tag::UtmSource),
        GroupBy::Tag(Tag::UtmCampaign),
    ];

    pub fn parse(s: &str) -> Option<GroupBy> {
        Some(match s {
            "day" => GroupBy::Day,
            "scene" => GroupBy::Scene,
            "product" => GroupBy::Product,
            "campaign" => GroupBy::Campaign,
            "partner" => GroupBy::Partner,
            tag => GroupBy::Tag(Tag::from_key(tag)?),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Scene => "scene",
            GroupBy::Product => "product",
            GroupBy::Campaign => "campaign",
            GroupBy::Partner => "partner",
            GroupBy::Tag(tag) => tag.key(),
        }
    }
}

/// Which date a report's payouts are by (`payout_date`, issue 15): `ledger` (the default), the
/// date the money moved — ledger entries (accrued, released, voided, clawed back) on their own
/// days, so a day that is over never changes; or `conversion`, the conversion's date and its
/// current status (pending, approved, held, reversed), so a later reversal changes the
/// conversion's day. A report fills the payouts of its date and leaves the others 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayoutDate {
    #[default]
    Ledger,
    Conversion,
}

impl PayoutDate {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutDate::Ledger => "ledger",
            PayoutDate::Conversion => "conversion",
        }
    }

    pub fn parse(s: &str) -> Option<PayoutDate> {
        match s {
            "ledger" => Some(PayoutDate::Ledger),
            "conversion" => Some(PayoutDate::Conversion),
            _ => None,
        }
    }

    /// Whether a report by this date shows metric `m` (payouts by the other date are 0).
    pub fn reports(self, m: Metric) -> bool {
        match self {
            PayoutDate::Ledger => !m.is_conversion_dated(),
            PayoutDate::Conversion => !m.is_ledger_dated(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// A checked report request (needs the time zone database: feature `tz`).
#[cfg(feature = "tz")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    pub zone: Zone,
    pub group_by: GroupBy,
    pub format: Format,
    /// Which date the payouts are by.
    pub payout_date: PayoutDate,
    /// Only this partner's rows (a bank narrowing its report).
    pub partner: Option<String>,
    /// Unix seconds: the start of `from` and the end (exclusive) of `to`, in `zone` (a day is
    /// 23 or 25 hours when the clocks change in it). Both on 30-minute bucket edges: zones
    /// whose offsets are not are refused.
    pub start: i64,
    pub end: i64,
}

#[cfg(feature = "tz")]
fn invalid(detail: impl Into<String>) -> Problem {
    Problem::new(ProblemCode::InvalidField, detail)
}

#[cfg(feature = "tz")]
impl ReportQuery {
    /// From query-string pairs; `accept` is the request's Accept header (CSV when it asks for
    /// `text/csv` and no `format` says otherwise).
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        accept: &str,
    ) -> Result<ReportQuery, Problem> {
        let (mut from, mut to, mut tz, mut group, mut format, mut partner, mut payout_date) =
            (None, None, None, None, None, None, None);
        for (k, v) in pairs {
            let slot = match k {
                "from" => &mut from,
                "to" => &mut to,
                "tz" => &mut tz,
                "group_by" => &mut group,
                "format" => &mut format,
                "partner" => &mut partner,
                "payout_date" => &mut payout_date,
                _ => {
                    return Err(invalid(format!(
                        "unknown parameter '{}'",
                        k.chars().take(32).collect::<String>()
                    )))
                }
            };
            if slot.replace(v).is_some() {
                return Err(invalid(format!("'{k}' is given twice")));
            }
        }
        let from = from.ok_or_else(|| invalid("from (YYYY-MM-DD) is required"))?;
        let to = to.ok_or_else(|| invalid("to (YYYY-MM-DD) is required"))?;
        let zone = Zone::parse(tz.unwrap_or(DEFAULT_ZONE)).map_err(|e| invalid(e.to_string()))?;
        let group_by = GroupBy::parse(group.unwrap_or("day")).ok_or_else(|| {
            invalid("group_by is day, scene, product, campaign, partner, sub_id, utm_source or utm_campaign")
        })?;
        let payout_date = match payout_date {
            None => PayoutDate::default(),
            Some(p) => PayoutDate::parse(p).ok_or_else(|| invalid("payout_date is ledger or conversion"))?,
        };
        let format = match format {
            Some("csv") => Format::Csv,
            Some("json") => Format::Json,
            None if accept.contains("text/csv") => Format::Csv,
            None => Format::Json,
            Some(_) => return Err(invalid("format is json or csv")),
        };
        if zone::parse_day(from).is_none() || zone::parse_day(to).is_none() {
            return Err(invalid("from and to are calendar dates, YYYY-MM-DD"));
        }
        let start = zone.day_start(from).ok_or_else(|| invalid("bad from"))?;
        if from > to {
            return Err(invalid("from must not be after to"));
        }
        // Calendar days, so 23- and 25-hour days count as one each.
        if zone::day_count(from, to).unwrap_or(i64::MAX) > MAX_DAYS {
            return Err(invalid(format!("a report covers at most {MAX_DAYS} days")));
        }
        // The end is the start of the day after `to`, which is not 24 hours later on a day the
        // clocks change.
        let end = zone::next_day(to)
            .and_then(|after| zone.day_start(&after))
            .ok_or_else(|| invalid("to must be before 9999-12-31"))?;
        zone.check_range(start, end).map_err(|e| invalid(e.to_string()))?;
        if partner.is_some_and(|p| !crate::api::is_valid_partner_id(p)) {
            return Err(invalid("partner must be a partner id"));
        }
        let partner = partner.map(String::from);
        Ok(ReportQuery {
            from: from.into(),
            to: to.into(),
            zone,
            group_by,
            format,
            payout_date,
            partner,
            start,
            end,
        })
    }
}

#[cfg(all(test, feature = "tz"))]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)], accept: &str) -> Result<ReportQuery, ProblemCode> {
        ReportQuery::parse(pairs.iter().copied(), accept).map_err(|p| p.code)
    }

    #[test]
    fn defaults_and_day_boundaries() {
        let r = q(&[("from", "2026-11-01"), ("to", "2026-11-30")], "*/*").expect("valid");
        assert_eq!(
            (r.zone.name(), r.group_by, r.format),
            ("Asia/Shanghai", GroupBy::Day, Format::Json)
        );
        assert_eq!(r.end - r.start, 30 * 86_400);
        assert_eq!(r.zone.day_of(r.start), "2026-11-01");
        assert_eq!(r.zone.day_of(r.end - 1), "2026-11-30");
        let csv = q(
            &[("from", "2026-11-01"), ("to", "2026-11-01"), ("tz", "UTC")],
            "text/csv",
        )
        .expect("valid");
        assert_eq!(csv.format, Format::Csv);
        let by_sub = q(
            &[("from", "2026-11-01"), ("to", "2026-11-01"), ("group_by", "sub_id")],
            "*/*",
        )
        .expect("valid");
        assert_eq!(by_sub.group_by, GroupBy::Tag(Tag::SubId));
        for g in GroupBy::ALL {
            assert_eq!(GroupBy::parse(g.as_str()), Some(g), "{}", g.as_str());
        }
        assert_eq!(GroupBy::parse("utm_medium"), None, "only the three tags are groupings");
        assert_eq!(
            by_sub.payout_date,
            PayoutDate::Ledger,
            "payouts by ledger date by default"
        );
        let by_conversion = q(
            &[
                ("from", "2026-11-01"),
                ("to", "2026-11-01"),
                ("payout_date", "conversion"),
            ],
            "*/*",
        )
        .expect("valid");
        assert_eq!(by_conversion.payout_date, PayoutDate::Conversion);
        assert_eq!(
            q(
                &[("from", "2026-11-01"), ("to", "2026-11-01"), ("payout_date", "paid")],
                "*/*"
            )
            .err(),
            Some(ProblemCode::InvalidField)
        );
        assert!(
            PayoutDate::Ledger.reports(Metric::PayoutVoided) && !PayoutDate::Ledger.reports(Metric::PayoutReversed)
        );
        assert!(
            PayoutDate::Conversion.reports(Metric::PayoutApproved)
                && !PayoutDate::Conversion.reports(Metric::PayoutReleased)
        );
        assert!(PayoutDate::Ledger.reports(Metric::Clicks) && PayoutDate::Conversion.reports(Metric::Clicks));
    }

    #[test]
    fn refuses_what_it_cannot_answer_exactly() {
        let bad = |pairs: &[(&str, &str)]| q(pairs, "*/*").err();
        assert_eq!(
            bad(&[
                ("from", "2026-11-01"),
                ("to", "2026-11-30"),
                ("group_by", "day"),
                ("group_by", "partner")
            ]),
            Some(ProblemCode::InvalidField),
            "a repeated parameter is refused, not read as its last value"
        );
        assert_eq!(
            bad(&[("from", "2026-11-30"), ("to", "2026-11-01")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(
            bad(&[("from", "2024-01-01"), ("to", "2026-01-01")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(
            bad(&[("from", "2026-11-01"), ("to", "2026-11-02"), ("tz", "Mars/Olympus")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(
            bad(&[("from", "2026-11-01"), ("to", "2026-11-02"), ("tz", "Asia/Kathmandu")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(
            bad(&[("from", "2026-11-01"), ("to", "2026-11-02"), ("group_by", "hour")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(
            bad(&[("from", "2026-11-01"), ("to", "2026-11-02"), ("drop", "table")]),
            Some(ProblemCode::InvalidField)
        );
        assert_eq!(bad(&[("to", "2026-11-02")]), Some(ProblemCode::InvalidField));
        assert_eq!(
            bad(&[("from", "2025-01-01"), ("to", "2026-01-02")]),
            Some(ProblemCode::InvalidField),
            "367 days"
        );
    }

    /// A year of New York is 366 calendar days' worth of range however long its days are, and
    /// its ends are local midnights.
    #[test]
    fn any_iana_zone_with_exact_days() {
        let r = q(
            &[("from", "2024-01-01"), ("to", "2024-12-31"), ("tz", "America/New_York")],
            "*/*",
        )
        .expect("a leap year in New York");
        assert_eq!(r.zone.name(), "America/New_York");
        assert_eq!(r.end - r.start, 366 * 86_400);
        let day = q(
            &[("from", "2025-11-02"), ("to", "2025-11-02"), ("tz", "America/New_York")],
            "*/*",
        )
        .expect("the 25-hour day");
        assert_eq!(day.end - day.start, 25 * 3_600);
        let detail = |pairs: &[(&str, &str)]| {
            ReportQuery::parse(pairs.iter().copied(), "*/*")
                .map(|_| ())
                .expect_err("refused")
                .detail
        };
        let nepal = detail(&[("from", "2025-11-01"), ("to", "2025-11-02"), ("tz", "Asia/Kathmandu")]);
        assert!(nepal.contains("+05:45") && nepal.contains("30-minute"), "{nepal}");
        let unknown = detail(&[("from", "2025-11-01"), ("to", "2025-11-02"), ("tz", "Mars/Olympus")]);
        assert!(unknown.contains("Europe/London"), "{unknown}");
    }
}
