//! Free text that tenants name things with — bank, product and partner names, consent texts,
//! key labels — and that visitors, bank staff and operators then read in the widget, the
//! dashboard, the CLI and audit rows. It must be something a person can read as written:
//! no control characters (a NUL or an escape sequence in a terminal, a newline in a name), no
//! bidirectional overrides or isolates (Unicode TR #9 §2.4–2.6: U+202A–U+202E and
//! U+2066–U+2069 reorder what follows them, so U+202E before `moc.knab` shows it as `bank.com` — the
//! "Trojan Source" class, CVE-2021-42574), and a bounded length.

/// Whether line breaks are part of the text (a consent paragraph) or not (a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why a text is refused; [`TextError::reason`] words it after the field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Empty,
    /// Longer than the field's limit, in characters (Unicode scalar values).
    TooLong(usize),
    Control,
    Bidi,
}

impl TextError {
    /// The reason, to follow the field's name: "name is empty".
    pub fn reason(self) -> String {
        match self {
            TextError::Empty => "is empty or shows no visible character".into(),
            TextError::TooLong(max) => format!("is over {max} characters"),
            TextError::Control => "holds a control character".into(),
            TextError::Bidi => "holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)".into(),
        }
    }
}

/// Whether `c` shows nothing by itself: a default-ignorable code point (Unicode's
/// `Default_Ignorable_Code_Point`, DerivedCoreProperties.txt, Unicode 16: zero-width spaces and
/// joiners, bidi marks, soft hyphen, word joiner, variation selectors, Hangul fillers, BOM,
/// tag characters) or a private-use character (no agreed glyph). A text made only of these and
/// whitespace looks empty (review: a payment reference of U+200B was accepted, and a statement
/// is paid once). Listed by hand because core ships in the widget's wasm and a Unicode
/// property crate would weigh more than this list.
fn is_invisible(c: char) -> bool {
    INVISIBLE.iter().any(|&(first, last)| (first..=last).contains(&c))
}

/// [`is_invisible`]'s ranges, first and last included. A table, not a `match`: it compiles to
/// fewer bytes in the widget's wasm.
const INVISIBLE: [(char, char); 19] = [
    ('\u{AD}', '\u{AD}'),
    ('\u{34F}', '\u{34F}'),
    ('\u{61C}', '\u{61C}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFF8}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
    ('\u{E000}', '\u{F8FF}'),
    ('\u{F0000}', '\u{10FFFF}'),
];

/// Checks `s`: not blank (whitespace and [`is_invisible`] characters only), at most
/// `max_chars` characters, no control character but `\n` (and `\r\n`) when `lines` is
/// [`Lines::Many`], no bidirectional override or isolate.
///
/// # Errors
/// The first [`TextError`] found.
pub fn check(s: &str, max_chars: usize, lines: Lines) -> Result<(), TextError> {
    if s.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TextError::Empty);
    }
    if s.chars().count() > max_chars {
        return Err(TextError::TooLong(max_chars));
    }
    let line_break = |c: char| lines == Lines::Many && (c == '\n' || c == '\r');
    if s.chars().any(|c| c.is_control() && !line_break(c)) {
        return Err(TextError::Control);
    }
    if s.chars()
        .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(TextError::Bidi);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_people_can_read_as_written() {
        for ok in ["莲花银行", "Lotus Bank", "蓮花銀行 (香港)", "Café № 1"] {
            assert_eq!(check(ok, 100, Lines::One), Ok(()), "{ok}");
        }
        assert_eq!(check("  ", 100, Lines::One), Err(TextError::Empty));
        // Invisible alone, as a payment reference was accepted (review); visible beside them.
        for blank in [
            "\u{200B}",
            "\u{200E}",
            "\u{200F}",
            "\u{61C}",
            "\u{FEFF}",
            "\u{2060}",
            "\u{AD}",
            "\u{E000}",
            " \u{200B} \u{3164}",
        ] {
            assert_eq!(check(blank, 100, Lines::One), Err(TextError::Empty), "{blank:?}");
        }
        for ok in ["TX\u{200B}1", "\u{1F469}\u{200D}\u{1F4BB}", "می\u{200C}خواهم"] {
            assert_eq!(check(ok, 100, Lines::One), Ok(()), "{ok:?}");
        }
        assert_eq!(check(&"x".repeat(101), 100, Lines::One), Err(TextError::TooLong(100)));
        assert_eq!(
            check(&"银".repeat(100), 100, Lines::One),
            Ok(()),
            "characters, not bytes"
        );
        for bad in ["a\0b", "a\nb", "a\u{1b}[31mb", "a\u{7f}"] {
            assert_eq!(check(bad, 100, Lines::One), Err(TextError::Control), "{bad:?}");
        }
        assert_eq!(check("line one\nline two\r\n", 100, Lines::Many), Ok(()));
        assert_eq!(check("a\0b", 100, Lines::Many), Err(TextError::Control));
        for bad in ["\u{202E}moc.knab", "a\u{2066}b", "a\u{202A}b"] {
            assert_eq!(check(bad, 100, Lines::Many), Err(TextError::Bidi), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn accepted_text_has_no_controls_and_fits(s in "\\PC{0,120}") {
            if check(&s, 100, Lines::One).is_ok() {
                proptest::prop_assert!(s.chars().count() <= 100);
                proptest::prop_assert!(!s.chars().any(char::is_control));
                proptest::prop_assert!(!s.trim().is_empty());
            }
        }
    }
}
