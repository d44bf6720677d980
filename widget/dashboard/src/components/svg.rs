//! Small helpers for drawing charts with SVG attributes (no inline styles: the page's CSP has
//! no 'unsafe-inline').

/// Charts are sized for half of a wide page, where one unit is about one CSS pixel.
pub const WIDTH: f64 = 520.0;

/// The `viewBox` of a chart `height` units tall.
pub fn view_box(height: f64) -> String {
    format!("0 0 {WIDTH} {height}")
}

/// A coordinate as an attribute value, to a tenth of a unit.
pub fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// `value` of `max` as a length of at most `full`; nothing when `max` is zero.
pub fn scale(value: i64, max: i64, full: f64) -> f64 {
    if max <= 0 {
        0.0
    } else {
        value.max(0) as f64 * full / max as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_into_the_available_length() {
        assert_eq!(scale(5, 10, 300.0), 150.0);
        assert_eq!(scale(10, 10, 300.0), 300.0);
        assert_eq!(scale(3, 0, 300.0), 0.0);
        assert_eq!(scale(-3, 10, 300.0), 0.0);
        assert_eq!(n(12.345), "12.3");
        assert_eq!(view_box(216.0), "0 0 520 216");
    }
}
