//! Settlement periods: calendar months in the bank's time zone. A period is `YYYY-MM`; its
//! bounds are the unix seconds of local midnight on its first day and on the next month's first
//! day, so a month is 743 or 745 hours long where the clocks change in it (any IANA zone, from
//! jiff's bundled database through [`Zone`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::report::zone::Zone;

/// A calendar month, `1970-01` to `9999-11`: the last month jiff can represent, `9999-12`, has no
/// next month to carry into, so periods stop one short of it (times after are booked into
/// `9999-11`). Ordered by time. On the wire and in CSV it is the text `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: u16,
    month: u8,
}

impl Period {
    /// The first period: January 1970.
    pub const MIN: Period = Period { year: 1970, month: 1 };
    /// The last period: November 9999 (see [`Period`]).
    pub const MAX: Period = Period { year: 9999, month: 11 };

    /// The period `year`-`month`, if it is between [`Period::MIN`] and [`Period::MAX`].
    pub fn new(year: u16, month: u8) -> Option<Period> {
        let p = Period { year, month };
        ((1..=12).contains(&month) && (Period::MIN..=Period::MAX).contains(&p)).then_some(p)
    }

    /// `YYYY-MM` (exactly 7 characters, zero-padded), within [`Period::MIN`]..=[`Period::MAX`].
    pub fn parse(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !s.bytes().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return None;
        }
        Period::new(s[..4].parse().ok()?, s[5..].parse().ok()?)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    /// 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The month after, `None` after [`Period::MAX`].
    pub fn next(self) -> Option<Period> {
        match self.month {
            12 => Period::new(self.year + 1, 1),
            m => Period::new(self.year, m + 1),
        }
    }

    /// The month before, `None` before [`Period::MIN`].
    pub fn prev(self) -> Option<Period> {
        match self.month {
            1 => Period::new(self.year.checked_sub(1)?, 12),
            m => Period::new(self.year, m - 1),
        }
    }

    /// The period the unix time `unix` falls in, in `zone`. Never fails: times before
    /// 1970-01 local are in [`Period::MIN`], times after 9999-11 in [`Period::MAX`].
    pub fn of(zone: &Zone, unix: i64) -> Period {
        let day = zone.day_of(unix);
        match day.get(..7).and_then(Period::parse) {
            Some(p) => p,
            None if unix < 0 || day.starts_with("1969") => Period::MIN,
            None => Period::MAX,
        }
    }

    /// `[start, end)` in unix seconds: the first instant of the month's first local day in
    /// `zone` (midnight, or the end of a gap that skips it) and the first instant of the next
    /// month's.
    pub fn bounds(self, zone: &Zone) -> (i64, i64) {
        let (next_year, next_month) = match self.month {
            12 => (self.year + 1, 1),
            m => (self.year, m + 1),
        };
        (
            first_instant(zone, self.year, self.month),
            first_instant(zone, next_year, next_month),
        )
    }
}

/// Local midnight (or the first instant after a gap) of `year-month-01` in `zone`. Every month
/// from 1970-01 to 9999-12 has its first day in jiff's range, so the fallback is never taken; it
/// sorts after every real time rather than panic.
fn first_instant(zone: &Zone, year: u16, month: u8) -> i64 {
    zone.day_start(&format!("{year:04}-{month:02}-01")).unwrap_or(i64::MAX)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Period {
    type Error = String;

    fn try_from(s: String) -> Result<Period, String> {
        Period::parse(&s).ok_or_else(|| format!("period '{s}' is a month YYYY-MM from 1970-01 to 9999-11"))
    }
}

/// A bank's settlement zone from its stored `timezone` (`None`: the default zone,
/// Asia/Shanghai).
///
/// # Errors
/// The zone's [`crate::report::zone::ZoneError`] for a name jiff does not know (tenant files
/// are checked when applied, so a stored name parses).
pub fn settlement_zone(name: Option<&str>) -> Result<Zone, crate::report::zone::ZoneError> {
    Zone::parse(name.unwrap_or(crate::report::zone::DEFAULT_ZONE))
}

/// The period an entry dated `at` (unix seconds) is booked into, given the periods already
/// closed (paid ones included): its own month in `zone`, unless that month is closed or earlier
/// than a closed one, in which case the first open month after every closed one. So a late
/// entry never rewrites a closed statement and never fails — it moves forward (the brief's rule;
/// Impact's "locked" actions work the same way: changes after the lock date land in the next
/// payout). Closing [`Period::MAX`] is refused by [`super::Book::close`], so the answer is open.
pub fn booking_period(zone: &Zone, closed: impl IntoIterator<Item = Period>, at: i64) -> Period {
    let own = Period::of(zone, at);
    match closed.into_iter().max() {
        Some(last) => own.max(last.next().unwrap_or(Period::MAX)),
        None => own,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::support::time::{format_rfc3339, parse_rfc3339};

    const HOUR: i64 = 3_600;

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    fn utc(s: &str) -> i64 {
        parse_rfc3339(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn parse_and_print() {
        assert_eq!(p("2026-11").to_string(), "2026-11");
        assert_eq!((p("2026-11").year(), p("2026-11").month()), (2026, 11));
        for bad in [
            "2026-13", "2026-00", "2026-1", "26-11", "1969-12", "9999-12", "2026/11", "+026-11", "",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(p("2026-12").next(), Some(p("2027-01")));
        assert_eq!(p("2027-01").prev(), Some(p("2026-12")));
        assert_eq!(Period::MAX.next(), None);
        assert_eq!(Period::MIN.prev(), None);
        assert!(p("2026-02") < p("2026-10") && p("2026-12") < p("2027-01"));
        let json = serde_json::to_string(&p("2026-03")).expect("json");
        assert_eq!(json, "\"2026-03\"");
        assert_eq!(serde_json::from_str::<Period>(&json).expect("back"), p("2026-03"));
        assert!(serde_json::from_str::<Period>("\"2026-3\"").is_err());
    }

    /// The brief's example: 2026-11 in Shanghai (UTC+8, no DST) starts at 16:00 UTC on 31 October.
    #[test]
    fn shanghai_november() {
        let (start, end) = p("2026-11").bounds(&zone("Asia/Shanghai"));
        assert_eq!(format_rfc3339(start), "2026-10-31T16:00:00Z");
        assert_eq!(format_rfc3339(end), "2026-11-30T16:00:00Z");
        assert_eq!(end - start, 30 * 24 * HOUR);
    }

    /// Months with a change of clocks are an hour short or long, and start at local midnight.
    #[test]
    fn dst_months_are_an_hour_short_or_long() {
        let cases = [
            ("America/New_York", "2025-03", "2025-03-01T05:00:00Z", 31 * 24 - 1),
            ("America/New_York", "2025-11", "2025-11-01T04:00:00Z", 30 * 24 + 1),
            ("Europe/London", "2025-03", "2025-03-01T00:00:00Z", 31 * 24 - 1),
            ("Europe/London", "2025-10", "2025-09-30T23:00:00Z", 31 * 24 + 1),
            ("Asia/Kolkata", "2025-02", "2025-01-31T18:30:00Z", 28 * 24),
        ];
        for (name, period, starts, hours) in cases {
            let z = zone(name);
            let (start, end) = p(period).bounds(&z);
            assert_eq!(format_rfc3339(start), starts, "{name} {period}");
            assert_eq!(Period::of(&z, start), p(period), "{name} {period}: first second");
            assert_eq!(Period::of(&z, start - 1), p(period).prev().expect("prev"), "{name}");
            assert_eq!(Period::of(&z, end - 1), p(period), "{name} {period}: last second");
            assert_eq!(end - start, hours * HOUR, "{name} {period}");
        }
        // Lord Howe moves its clocks by half an hour (first Sunday of April 2025).
        let (start, end) = p("2025-04").bounds(&zone("Australia/Lord_Howe"));
        assert_eq!(format_rfc3339(start), "2025-03-31T13:00:00Z");
        assert_eq!(end - start, 30 * 24 * HOUR + HOUR / 2);
    }

    #[test]
    fn of_never_fails() {
        let ny = zone("America/New_York");
        assert_eq!(
            Period::of(&ny, 0),
            Period::MIN,
            "1969-12-31 local is before the first period"
        );
        assert_eq!(Period::of(&ny, i64::MIN), Period::MIN);
        assert_eq!(Period::of(&ny, i64::MAX), Period::MAX);
        assert_eq!(Period::of(&ny, utc("9999-12-15T00:00:00Z")), Period::MAX);
        assert_eq!(
            Period::MAX.bounds(&ny).1,
            ny.day_start("9999-12-01").expect("last month")
        );
    }

    #[test]
    fn late_entries_move_to_the_first_open_period() {
        let z = zone("Asia/Shanghai");
        let in_oct = utc("2026-10-20T00:00:00Z");
        assert_eq!(booking_period(&z, [], in_oct), p("2026-10"));
        assert_eq!(booking_period(&z, [p("2026-09")], in_oct), p("2026-10"));
        assert_eq!(booking_period(&z, [p("2026-09"), p("2026-10")], in_oct), p("2026-11"));
        assert_eq!(booking_period(&z, [p("2026-10"), p("2026-09")], in_oct), p("2026-11"));
        // Dated before a closed month that is not its own: still after every closed one.
        assert_eq!(booking_period(&z, [p("2026-12")], in_oct), p("2027-01"));
        // 2026-10-31T17:00Z is already November in Shanghai.
        assert_eq!(
            booking_period(&z, [p("2026-10")], utc("2026-10-31T17:00:00Z")),
            p("2026-11")
        );
    }

    proptest! {
        #[test]
        fn every_instant_is_inside_its_period(t in 0i64..4_000_000_000, zi in 0usize..5) {
            let names = ["Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Kolkata", "America/Santiago"];
            let z = zone(names[zi]);
            let period = Period::of(&z, t);
            let (start, end) = period.bounds(&z);
            if period != Period::MIN {
                prop_assert!(start <= t && t < end, "{} {} {}", names[zi], period, t);
                prop_assert_eq!(period.prev().map(|q| q.bounds(&z).1), Some(start));
            }
            prop_assert_eq!(period.next().map(|q| q.bounds(&z).0), Some(end));
            prop_assert!(end - start >= 28 * 24 * HOUR - HOUR && end - start <= 31 * 24 * HOUR + HOUR);
        }
    }
}
