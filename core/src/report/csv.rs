//! Report CSV that opens right in a spreadsheet: RFC 4180 (CRLF line ends, fields quoted when
//! they hold a comma, quote, CR or LF) written by the `csv` crate, a UTF-8 byte order mark so
//! Excel reads the text as UTF-8, and text cells that would start a formula neutralised.
//!
//! Formula injection (CWE-1236): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
//! (and, in some, TAB or CR before one) as a formula. Partner, campaign, product and event ids
//! come from partners and banks, so a text cell starting with one of those gets a leading `'`
//! (OWASP's advice), which spreadsheets show as text. Numbers are written as numbers, so a
//! negative amount stays `-500`.

use std::borrow::Cow;

/// The UTF-8 byte order mark the document starts with.
pub const BOM: &str = "\u{feff}";

/// What a text cell must not start with.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell: text from outside (neutralised) or a number (written as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Uint(u64),
}

/// `s` as a spreadsheet shows it as text: prefixed with `'` when it starts like a formula.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

impl Cell {
    fn render(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Uint(n) => Cow::Owned(n.to_string()),
        }
    }
}

/// The whole document: BOM, `header`, then one line per record.
pub fn document<'a>(header: &[&str], records: impl IntoIterator<Item = &'a [Cell]>) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    // Writing to a Vec cannot fail, and every record has the header's width (ReportRow's).
    let _ = w.write_record(header.iter().map(|h| neutralise(h).into_owned()));
    for record in records {
        let _ = w.write_record(record.iter().map(|c| c.render().into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Reads the document back with the `csv` crate, after its BOM; every record must end
    /// with CRLF, as RFC 4180 writes them.
    fn read(text: &str) -> Vec<Vec<String>> {
        let body = text.strip_prefix(BOM).expect("a BOM first");
        assert!(
            body.is_empty() || body.ends_with("\r\n"),
            "records end with CRLF: {body:?}"
        );
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("a CSV record").iter().map(str::to_string).collect())
            .collect()
    }

    fn texts(row: &[String]) -> Vec<Cell> {
        row.iter().cloned().map(Cell::Text).collect()
    }

    proptest! {
        #[test]
        fn any_fields_round_trip_neutralised(rows in proptest::collection::vec(proptest::collection::vec(".*", 2..6), 1..6)) {
            let header = ["a", "b"];
            let records: Vec<Vec<Cell>> = rows.iter().map(|r| texts(&r[..2])).collect();
            let text = document(&header, records.iter().map(Vec::as_slice));
            let back = read(&text);
            prop_assert_eq!(&back[0], &["a", "b"]);
            for (got, want) in back[1..].iter().zip(&rows) {
                for (g, w) in got.iter().zip(want) {
                    prop_assert_eq!(g, &neutralise(w).into_owned());
                    prop_assert!(!g.starts_with(FORMULA_STARTS), "{:?}", g);
                }
            }
        }
    }

    #[test]
    fn quotes_only_when_needed_and_starts_with_a_bom() {
        let rows = [texts(&["a".into(), "b c".into(), "x,y".into(), "say \"hi\"".into()])];
        let text = document(&["h1", "h2", "h3", "h4"], rows.iter().map(Vec::as_slice));
        assert_eq!(text, "\u{feff}h1,h2,h3,h4\r\na,b c,\"x,y\",\"say \"\"hi\"\"\"\r\n");
        assert!(text.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
    }

    /// Every formula start in a text cell is neutralised; numbers, negative ones too, stay
    /// numbers; text that merely contains a formula character is left alone.
    #[test]
    fn formula_cells_are_neutralised_and_numbers_stay_numbers() {
        let cases = [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+SUM(1,2)", "'+SUM(1,2)"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("cmp-a=1", "cmp-a=1"),
            ("2025-03-09", "2025-03-09"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise(input), want, "{input:?}");
        }
        let record = [Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Int(-500), Cell::Uint(7)];
        let text = document(&["group", "value", "n"], [&record[..]]);
        assert_eq!(text, "\u{feff}group,value,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-500,7\r\n");
    }
}
