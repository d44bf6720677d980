//! Report time zones: any IANA zone, from the time zone database that jiff bundles (so the
//! Worker and the dashboard agree on every rule without reading the host's files). A report's
//! days are the reader's local calendar days, 23 or 25 hours long when the clocks change.
//!
//! Reports read rollups kept in 30-minute buckets of unix time (edge/migrations/0006), so a
//! zone can be reported on exactly over a range only if every local midnight in it falls on a
//! bucket edge and no bucket straddles a change of offset: every offset in force in the range,
//! and every transition between them, must be whole half hours. That holds for nearly every
//! zone; the few that are off by a quarter hour (Asia/Kathmandu +05:45, Australia/Eucla +08:45,
//! Pacific/Chatham +12:45/+13:45) are refused with a message that says why
//! ([`Zone::check_range`]).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

pub use super::DEFAULT_ZONE;

/// Rollup bucket width, seconds (edge/migrations/0006: `bucket = t / 1800 * 1800`).
pub const BUCKET_SECS: i64 = 1_800;

/// Zones offered first in pickers and named in error messages: where inflow's partners are,
/// and a few with daylight saving. Any other IANA name works too.
pub const SUGGESTED: [&str; 14] = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

/// A few zones that work, for error messages.
const EXAMPLES: &str = "Asia/Shanghai, America/New_York, Europe/London, Asia/Kolkata or UTC";

/// An IANA time zone a report can be read in.
#[derive(Debug, Clone)]
pub struct Zone {
    /// The database's own spelling (`America/New_York` for `america/new_york`).
    name: String,
    tz: TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

/// Why a zone cannot be used for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneError {
    /// Not a name in the IANA database (the name as given, cut to 64 characters).
    Unknown(String),
    /// Its offset, or a change of it, in the range is not whole half hours: local days would
    /// not be whole rollup buckets.
    NotWholeBuckets {
        zone: String,
        /// The offset in force, east of UTC, seconds.
        offset_secs: i32,
        /// The local day it is in force on (or changes on), `YYYY-MM-DD`.
        day: String,
    },
}

impl std::fmt::Display for ZoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZoneError::Unknown(name) => write!(
                f,
                "tz '{name}' is not an IANA time zone name; use one such as {EXAMPLES}"
            ),
            ZoneError::NotWholeBuckets { zone, offset_secs, day } => write!(
                f,
                "tz {zone} is UTC{} on {day}, which is not a whole number of the reports' \
                 30-minute buckets, so its local days cannot be counted exactly; use a zone \
                 whose offset is whole half hours, such as {EXAMPLES}",
                format_offset(*offset_secs)
            ),
        }
    }
}

/// `+05:45`, `-04:00`.
pub fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

impl Zone {
    /// The zone named `name` (case-insensitive, as the IANA database is).
    pub fn parse(name: &str) -> Result<Zone, ZoneError> {
        let unknown = || ZoneError::Unknown(name.chars().take(64).collect());
        // The database also answers for POSIX-style strings and its own "Etc/Unknown"; only
        // real identifiers are accepted.
        if name.is_empty() || name.len() > 64 || name.eq_ignore_ascii_case("Etc/Unknown") {
            return Err(unknown());
        }
        let tz = TimeZone::get(name).map_err(|_| unknown())?;
        let name = tz.iana_name().map(str::to_string).ok_or_else(unknown)?;
        Ok(Zone { name, tz })
    }

    /// The zone's IANA name, as the database spells it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset from UTC in force at unix time `unix`, seconds east.
    pub fn offset_at(&self, unix: i64) -> i32 {
        Timestamp::from_second(unix).map_or(0, |t| self.tz.to_offset(t).seconds())
    }

    /// The local calendar day (`YYYY-MM-DD`) of a unix time.
    pub fn day_of(&self, unix: i64) -> String {
        match Timestamp::from_second(unix) {
            Ok(t) => self.tz.to_datetime(t).date().to_string(),
            Err(_) => String::new(),
        }
    }

    /// The unix time at which local day `YYYY-MM-DD` starts: its first instant, midnight or,
    /// where the clocks skip midnight, the first time after the gap.
    pub fn day_start(&self, day: &str) -> Option<i64> {
        let (y, m, d) = parse_day(day)?;
        let date = Date::new(y as i16, m as i8, d as i8).ok()?;
        let zoned = date.to_zoned_datetime(self.tz.clone()).ok()?;
        Some(zoned.start_of_day().ok()?.timestamp().as_second())
    }

    /// The offsets in force over `[start, end)`: `(until, offset_secs)` pairs in order, the
    /// last one's `until` being `end`. A fixed zone has one.
    pub fn offsets(&self, start: i64, end: i64) -> Vec<(i64, i32)> {
        let mut out = Vec::new();
        let mut offset = self.offset_at(start);
        if let Ok(from) = Timestamp::from_second(start) {
            for t in self.tz.following(from) {
                let at = t.timestamp().as_second();
                if at >= end {
                    break;
                }
                let next = t.offset().seconds();
                if at > start && next != offset {
                    out.push((at, offset));
                    offset = next;
                }
            }
        }
        out.push((end, offset));
        out
    }

    /// Whether reports over `[start, end)` can be read exactly from 30-minute rollup buckets:
    /// every offset in force and every change of offset on a bucket edge.
    pub fn check_range(&self, start: i64, end: i64) -> Result<(), ZoneError> {
        let mut from = start;
        for (until, offset) in self.offsets(start, end) {
            if i64::from(offset) % BUCKET_SECS != 0 || from % BUCKET_SECS != 0 {
                return Err(ZoneError::NotWholeBuckets {
                    zone: self.name.clone(),
                    offset_secs: offset,
                    day: self.day_of(from),
                });
            }
            from = until;
        }
        Ok(())
    }
}

/// Every zone name for a picker: [`SUGGESTED`] first, then the rest of the database's names
/// (region/city identifiers), alphabetically.
pub fn names() -> Vec<String> {
    let mut rest: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/") && !SUGGESTED.contains(&n.as_str()))
        .collect();
    rest.sort();
    SUGGESTED.iter().map(|s| s.to_string()).chain(rest).collect()
}

/// `YYYY-MM-DD` with a real calendar date in 1970–9999.
pub fn parse_day(s: &str) -> Option<(i64, i64, i64)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let valid = (1970..=9999).contains(&y) && Date::new(y as i16, m as i8, d as i8).is_ok();
    valid.then_some((y, m, d))
}

/// How many calendar days `from` to `to` spans, both included (0 when `from` is after `to`);
/// `None` when either is not a date. Cheap for any range, unlike counting [`days`].
pub fn day_count(from: &str, to: &str) -> Option<i64> {
    let serial = |s: &str| parse_day(s).map(|(y, m, d)| crate::support::time::days_from_civil(y, m, d));
    Some((serial(to)? - serial(from)? + 1).max(0))
}

/// The calendar day after `day` (`YYYY-MM-DD`), or `None` when `day` is not a date or is the
/// last one.
pub fn next_day(day: &str) -> Option<String> {
    let (y, m, d) = parse_day(day)?;
    let next = Date::new(y as i16, m as i8, d as i8).ok()?.tomorrow().ok()?;
    (next.year() <= 9999).then(|| next.to_string())
}

/// Every calendar day from `from` to `to`, both included (`YYYY-MM-DD`); empty when either is
/// not a date or `from` is after `to`. Calendar days are the same in every zone.
pub fn days(from: &str, to: &str) -> Vec<String> {
    let date = |s: &str| parse_day(s).and_then(|(y, m, d)| Date::new(y as i16, m as i8, d as i8).ok());
    let (Some(mut day), Some(last)) = (date(from), date(to)) else {
        return vec![];
    };
    let mut out = Vec::new();
    while day <= last {
        out.push(day.to_string());
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const HOUR: i64 = 3_600;

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn day_len(z: &Zone, day: &str) -> i64 {
        let next = next_day(day).expect("a next day");
        z.day_start(&next).expect("next") - z.day_start(day).expect("day")
    }

    #[test]
    fn shanghai_days_start_at_16_utc_the_day_before() {
        let z = zone(DEFAULT_ZONE);
        // 2026-11-24T16:00:00Z is midnight on the 25th in Shanghai.
        assert_eq!(z.day_start("2026-11-25"), Some(1_795_536_000));
        assert_eq!(z.day_of(1_795_536_000), "2026-11-25");
        assert_eq!(z.day_of(1_795_535_999), "2026-11-24");
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("2026-1-05"), None);
        assert_eq!(parse_day("1969-12-31"), None);
    }

    /// The days: in New York and London, the day the clocks go forward has 23 hours
    /// and the day they go back 25; each starts at local midnight.
    #[test]
    fn dst_days_are_23_and_25_hours() {
        let cases = [
            ("America/New_York", "2025-03-09", 23, "2025-03-09T05:00:00Z"),
            ("America/New_York", "2025-11-02", 25, "2025-11-02T04:00:00Z"),
            ("Europe/London", "2025-03-30", 23, "2025-03-30T00:00:00Z"),
            ("Europe/London", "2025-10-26", 25, "2025-10-25T23:00:00Z"),
            ("America/New_York", "2025-03-10", 24, "2025-03-10T04:00:00Z"),
            ("Asia/Jakarta", "2025-03-09", 24, "2025-03-08T17:00:00Z"),
        ];
        for (name, day, hours, starts) in cases {
            let z = zone(name);
            assert_eq!(day_len(&z, day), hours * HOUR, "{name} {day}");
            let start = z.day_start(day).expect("start");
            assert_eq!(crate::support::time::format_rfc3339(start), starts, "{name} {day}");
            assert_eq!(z.day_of(start), day);
            assert_eq!(
                z.day_of(start - 1),
                days("2025-01-01", day).iter().rev().nth(1).cloned().unwrap_or_default()
            );
            assert_eq!(z.day_of(start + hours * HOUR - 1), day, "{name}: the day's last second");
        }
    }

    /// A conversion an hour before and after each change lands on the local day it happened.
    #[test]
    fn instants_around_the_changes_fall_on_their_local_day() {
        let at = |s: &str| crate::support::time::parse_rfc3339(s).expect("instant");
        let ny = zone("America/New_York");
        // 01:30 EST and 03:30 EDT on the 23-hour day; 00:30 EDT, 01:30 twice, 23:30 EST on the 25-hour one.
        assert_eq!(ny.day_of(at("2025-03-09T06:30:00Z")), "2025-03-09");
        assert_eq!(ny.day_of(at("2025-03-09T07:30:00Z")), "2025-03-09");
        assert_eq!(ny.day_of(at("2025-03-10T03:59:59Z")), "2025-03-09");
        assert_eq!(ny.day_of(at("2025-03-10T04:00:00Z")), "2025-03-10");
        assert_eq!(ny.day_of(at("2025-11-02T05:30:00Z")), "2025-11-02");
        assert_eq!(ny.day_of(at("2025-11-02T06:30:00Z")), "2025-11-02");
        assert_eq!(ny.day_of(at("2025-11-03T04:59:59Z")), "2025-11-02");
        assert_eq!(ny.day_of(at("2025-11-03T05:00:00Z")), "2025-11-03");
        let london = zone("Europe/London");
        assert_eq!(london.day_of(at("2025-03-30T23:30:00Z")), "2025-03-31");
        assert_eq!(london.day_of(at("2025-03-30T22:59:59Z")), "2025-03-30");
        assert_eq!(london.day_of(at("2025-10-25T23:00:00Z")), "2025-10-26");
        assert_eq!(london.day_of(at("2025-10-26T23:59:59Z")), "2025-10-26");
        assert_eq!(london.day_of(at("2025-10-25T22:59:59Z")), "2025-10-25");
    }

    #[test]
    fn offsets_list_each_change_in_the_range() {
        let ny = zone("America/New_York");
        let (start, end) = (
            ny.day_start("2025-03-01").expect("start"),
            ny.day_start("2025-12-01").expect("end"),
        );
        let spans = ny.offsets(start, end);
        let change = |s: &str| crate::support::time::parse_rfc3339(s).expect("instant");
        assert_eq!(
            spans,
            vec![
                (change("2025-03-09T07:00:00Z"), -5 * 3600),
                (change("2025-11-02T06:00:00Z"), -4 * 3600),
                (end, -5 * 3600)
            ]
        );
        assert_eq!(ny.check_range(start, end), Ok(()));
        let shanghai = zone("Asia/Shanghai");
        assert_eq!(shanghai.offsets(0, 86_400), vec![(86_400, 8 * 3600)]);
    }

    #[test]
    fn any_iana_name_case_insensitively_and_errors_name_zones_that_work() {
        for name in SUGGESTED
            .iter()
            .chain(&["Asia/Macau", "Australia/Lord_Howe", "Etc/UTC", "Pacific/Honolulu"])
        {
            assert!(Zone::parse(name).is_ok(), "{name}");
        }
        assert_eq!(zone("america/new_york").name(), "America/New_York");
        for bad in [
            "Mars/Olympus",
            "",
            "Asia/Shanghai ",
            "EST5EDT,M3.2.0,M11.1.0",
            "Etc/Unknown",
        ] {
            let e = Zone::parse(bad).expect_err(bad).to_string();
            assert!(e.contains("America/New_York") && e.contains("Asia/Shanghai"), "{e}");
        }
    }

    /// Kathmandu, Eucla and Chatham are a quarter hour off the buckets: refused, saying why.
    #[test]
    fn quarter_hour_zones_are_refused_with_the_reason() {
        for (name, offset) in [
            ("Asia/Kathmandu", "+05:45"),
            ("Australia/Eucla", "+08:45"),
            ("Pacific/Chatham", "+13:45"),
        ] {
            let z = zone(name);
            let start = z.day_start("2025-01-01").expect("start");
            let end = z.day_start("2025-01-31").expect("end");
            let e = z.check_range(start, end).expect_err(name);
            let text = e.to_string();
            assert!(text.contains(offset) && text.contains("30-minute"), "{text}");
            assert!(text.contains("Asia/Kolkata"), "names zones that work: {text}");
        }
        // Half-hour zones, with or without daylight saving, are whole buckets.
        for name in [
            "Asia/Kolkata",
            "Australia/Adelaide",
            "Australia/Lord_Howe",
            "America/St_Johns",
        ] {
            let z = zone(name);
            let start = z.day_start("2025-01-01").expect("start");
            let end = z.day_start("2026-01-01").expect("end");
            assert_eq!(z.check_range(start, end), Ok(()), "{name}");
        }
        assert_eq!(format_offset(-12_600), "-03:30");
    }

    #[test]
    fn picker_names_parse() {
        let all = names();
        assert_eq!(all[..SUGGESTED.len()], SUGGESTED.map(String::from));
        assert!(all.len() > 300, "{}", all.len());
        assert!(all.iter().any(|n| n == "America/Sao_Paulo"));
        for n in all.iter().step_by(7) {
            assert!(Zone::parse(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn calendar_days() {
        assert_eq!(
            days("2024-02-28", "2024-03-01"),
            ["2024-02-28", "2024-02-29", "2024-03-01"]
        );
        assert!(days("2024-03-02", "2024-03-01").is_empty());
        assert!(days("nope", "2024-03-01").is_empty());
        assert_eq!(next_day("2024-12-31").as_deref(), Some("2025-01-01"));
        assert_eq!(next_day("9999-12-31"), None);
        assert_eq!(day_count("2024-01-01", "2024-12-31"), Some(366));
        assert_eq!(day_count("2024-03-02", "2024-03-01"), Some(0));
        assert_eq!(day_count("1970-01-01", "9999-12-31"), Some(2_932_897));
    }

    proptest! {
        #[test]
        fn every_instant_falls_in_the_day_that_contains_it(
            t in 0i64..4_000_000_000,
            zi in 0usize..SUGGESTED.len() + 3,
        ) {
            let extra = ["Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu"];
            let z = zone(SUGGESTED.get(zi).copied().unwrap_or_else(|| extra[zi - SUGGESTED.len()]));
            let day = z.day_of(t);
            let start = z.day_start(&day).expect("a day it printed parses");
            let next = next_day(&day).expect("a next day");
            let end = z.day_start(&next).expect("the next day starts");
            prop_assert!(start <= t && t < end, "{} {} {}", z.name(), day, t);
            prop_assert!((end - start) >= 22 * HOUR && (end - start) <= 26 * HOUR);
        }
    }
}
