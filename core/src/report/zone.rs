//! Report timezones. Day boundaries follow the reader's zone (default Asia/Shanghai).
//!
//! The Worker ships no timezone database (chrono-tz would add hundreds of KB), so the zones
//! offered are the IANA zones without daylight saving where inflow's partners are — a fixed
//! offset is then exact. A zone with DST is refused with a clear error until a database is
//! added.

use crate::time::{civil_from_days, days_from_civil};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub name: &'static str,
    /// Offset from UTC in minutes, east positive.
    pub offset_minutes: i32,
}

/// Every zone a report can be asked in (for pickers; `Zone::parse` reads them).
pub const ZONES: [Zone; 12] = [
    Zone {
        name: "Asia/Shanghai",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Hong_Kong",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Macau",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Taipei",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Singapore",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Kuala_Lumpur",
        offset_minutes: 480,
    },
    Zone {
        name: "Asia/Tokyo",
        offset_minutes: 540,
    },
    Zone {
        name: "Asia/Seoul",
        offset_minutes: 540,
    },
    Zone {
        name: "Asia/Kolkata",
        offset_minutes: 330,
    },
    Zone {
        name: "Asia/Dubai",
        offset_minutes: 240,
    },
    Zone {
        name: "UTC",
        offset_minutes: 0,
    },
    Zone {
        name: "Etc/UTC",
        offset_minutes: 0,
    },
];

pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

impl Zone {
    pub fn parse(name: &str) -> Option<Zone> {
        ZONES.into_iter().find(|z| z.name == name)
    }

    /// The local calendar day (`YYYY-MM-DD`) of a unix time.
    pub fn day_of(self, unix: i64) -> String {
        let local = unix + i64::from(self.offset_minutes) * 60;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The unix time at which local day `YYYY-MM-DD` starts.
    pub fn day_start(self, day: &str) -> Option<i64> {
        let (y, m, d) = parse_day(day)?;
        Some(days_from_civil(y, m, d) * 86_400 - i64::from(self.offset_minutes) * 60)
    }
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
    let valid = (1970..=9999).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && civil_from_days(days_from_civil(y, m, d)) == (y, m, d);
    valid.then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn shanghai_days_start_at_16_utc_the_day_before() {
        let z = Zone::parse(DEFAULT_ZONE).expect("known zone");
        // 2026-11-24T16:00:00Z is midnight on the 25th in Shanghai.
        assert_eq!(z.day_start("2026-11-25"), Some(1_795_536_000));
        assert_eq!(z.day_of(1_795_536_000), "2026-11-25");
        assert_eq!(z.day_of(1_795_535_999), "2026-11-24");
        assert_eq!(Zone::parse("Europe/London"), None, "zones with DST are refused");
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("2026-1-05"), None);
    }

    #[test]
    fn every_offset_is_whole_half_hours() {
        // Reports read rollups bucketed by 30 minutes of unix time (edge/migrations/0006): a
        // local day is whole buckets only if its zone's offset is. A zone at, say, +05:45 needs
        // smaller buckets first.
        for z in ZONES {
            assert_eq!(z.offset_minutes % 30, 0, "{} is not whole half hours from UTC", z.name);
        }
    }

    proptest! {
        #[test]
        fn every_instant_falls_in_the_day_that_contains_it(t in 0i64..8_000_000_000, zi in 0usize..ZONES.len()) {
            let z = ZONES[zi];
            let day = z.day_of(t);
            let start = z.day_start(&day).expect("a day it printed parses");
            prop_assert!(start <= t && t < start + 86_400);
        }
    }
}
