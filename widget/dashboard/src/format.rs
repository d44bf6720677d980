//! Numbers as people read them. Money stays in integer minor units until it is printed, so
//! the dashboard shows exactly what the ledger holds.

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Minor units to two decimals: `-123456` → `-1,234.56`.
pub fn money(minor: i64) -> String {
    money_in(minor, 2)
}

/// Minor units of a currency whose minor unit has `decimals` digits (ISO 4217's exponent):
/// `money_in(-123456, 2)` → `-1,234.56`, `money_in(1234, 0)` → `1,234`, `money_in(1234, 3)` →
/// `1.234`.
pub fn money_in(minor: i64, decimals: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let Some(unit) = 10u64.checked_pow(decimals).filter(|_| decimals > 0) else {
        return format!("{sign}{}", count(abs));
    };
    let width = decimals as usize;
    format!("{sign}{}.{:0width$}", count(abs / unit), abs % unit)
}

/// Basis points as a percentage with two decimals: `3333` → `33.33%`.
pub fn percent_bps(bps: u64) -> String {
    format!("{}.{:02}%", count(bps / 100), bps % 100)
}

/// `part` of `whole` in basis points, rounded down; `None` when there is no whole.
pub fn share_bps(part: u64, whole: u64) -> Option<u64> {
    (part * 10_000).checked_div(whole)
}

/// `share_bps` printed, or a dash when it is undefined.
pub fn share(part: u64, whole: u64) -> String {
    share_bps(part, whole).map_or_else(|| "—".into(), percent_bps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn money_has_two_decimals_and_a_sign() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(123_456), "1,234.56");
        assert_eq!(money(-123_456), "-1,234.56");
        assert_eq!(money(i64::MIN), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn money_follows_the_currency_decimals() {
        assert_eq!(money_in(1_234, 0), "1,234");
        assert_eq!(money_in(-1_234, 3), "-1.234");
        assert_eq!(money_in(5, 3), "0.005");
        assert_eq!(money_in(-123_456, 2), money(-123_456));
        assert_eq!(money_in(i64::MIN, 0), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn shares_are_floored_and_safe_at_zero() {
        assert_eq!(percent_bps(3_333), "33.33%");
        assert_eq!(percent_bps(10_000), "100.00%");
        assert_eq!(share_bps(1, 3), Some(3_333));
        assert_eq!(share(2, 0), "—");
        assert_eq!(share(1, 8), "12.50%");
    }
}
