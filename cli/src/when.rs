//! Times and durations as an operator types them on the command line, parsed with jiff:
//! `--expires-at 2027-01-01T00:00:00Z` (RFC 3339) or `--expires-at 30d` (from now), and
//! `--overlap 12h` (or plain seconds, `--overlap 3600`). Days are 24 hours; months and years,
//! whose length varies, are refused (say `90d`).

use std::str::FromStr;

use jiff::{Span, SpanTotal, Timestamp, Unit};

/// An instant given on the command line: absolute, or a duration from when the command runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Unix seconds.
    At(i64),
    /// Seconds after now.
    In(i64),
}

impl When {
    /// The instant in unix seconds, `now` being the current time in unix seconds.
    pub fn resolve(self, now: i64) -> i64 {
        match self {
            When::At(t) => t,
            When::In(secs) => now.saturating_add(secs),
        }
    }
}

/// Unix seconds as an operator reads them: RFC 3339 in UTC (`2026-12-01T08:00:00Z`); the
/// number itself if it is outside jiff's range.
pub fn rfc3339(t: i64) -> String {
    Timestamp::from_second(t).map_or_else(|_| t.to_string(), |ts| ts.to_string())
}

/// The current time in unix seconds.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

/// Parses `--expires-at`: an RFC 3339 timestamp with its offset, or a duration from now.
///
/// # Errors
/// Neither form, or a duration that is not positive, as the message clap shows.
pub fn parse_when(s: &str) -> Result<When, String> {
    if let Ok(t) = Timestamp::from_str(s) {
        return Ok(When::At(t.as_second()));
    }
    match duration_secs(s) {
        Ok(secs) if secs > 0 => Ok(When::In(secs)),
        Ok(_) => Err("a duration from now is positive, e.g. 30d or 12h".into()),
        Err(_) => {
            Err("an RFC 3339 time with its offset (2027-01-01T00:00:00Z) or a duration from now (30d, 12h, 90m)".into())
        }
    }
}

/// Parses a duration: `12h`, `30d`, `1h 30m`, ISO 8601 `PT5S`, or plain seconds (`3600`).
///
/// # Errors
/// Not a duration, a negative one, or one in months or years.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    match duration_secs(s) {
        Ok(secs) if secs >= 0 => Ok(secs),
        Ok(_) => Err("a duration is not negative".into()),
        Err(e) => Err(format!("a duration such as 30d, 12h, 90m or 3600 (seconds): {e}")),
    }
}

fn duration_secs(s: &str) -> Result<i64, String> {
    if let Ok(secs) = s.trim().parse::<i64>() {
        return Ok(secs);
    }
    let span = Span::from_str(s.trim()).map_err(|e| e.to_string())?;
    let secs = span
        .total(SpanTotal::from(Unit::Second).days_are_24_hours())
        .map_err(|e| e.to_string())?;
    Ok(secs.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_durations() {
        assert_eq!(parse_when("2099-01-01T00:00:00Z"), Ok(When::At(4_070_908_800)));
        assert_eq!(parse_when("2099-01-01T08:00:00+08:00"), Ok(When::At(4_070_908_800)));
        assert_eq!(parse_when("30d"), Ok(When::In(30 * 86_400)));
        assert_eq!(parse_when("12h"), Ok(When::In(12 * 3_600)));
        assert_eq!(parse_when("1h 30m"), Ok(When::In(5_400)));
        assert_eq!(When::In(60).resolve(1_000), 1_060);
        assert_eq!(When::At(5).resolve(1_000), 5);
        assert_eq!(parse_duration("5s"), Ok(5));
        assert_eq!(parse_duration("3600"), Ok(3_600));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("2d"), Ok(172_800));
    }

    #[test]
    fn refuses_what_is_neither() {
        for bad in [
            "",
            "tomorrow",
            "2099-01-01",
            "2099-01-01T00:00:00",
            "0s",
            "-5d",
            "3mo",
            "1y",
        ] {
            assert!(parse_when(bad).is_err(), "{bad:?}");
        }
        for bad in ["-1", "soon", "1mo"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
