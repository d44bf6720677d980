//! Reading rows in the UCI Bank Marketing file format: `;`-separated, strings in double quotes,
//! a header row. Pure text in, [`Features`] out; the caller does the file I/O.

use std::fmt;

use super::features::{Features, FEATURE_NAMES, N_FEATURES};

/// Where each model input (and the label, if any) sits in a file's columns. Columns the model
/// does not use, `duration` above all, are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UciHeader {
    columns: [usize; N_FEATURES],
    label: Option<usize>,
    width: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UciError {
    /// Not even a header row.
    Empty,
    MissingColumn(&'static str),
    /// 1-based line, as an editor shows it.
    WrongFieldCount {
        line: usize,
        expected: usize,
        found: usize,
    },
    BadNumber {
        line: usize,
        column: &'static str,
        text: String,
    },
    BadLabel {
        line: usize,
        text: String,
    },
}

impl fmt::Display for UciError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UciError::Empty => write!(f, "no header row"),
            UciError::MissingColumn(c) => write!(f, "header has no column {c:?}"),
            UciError::WrongFieldCount { line, expected, found } => {
                write!(f, "line {line}: {found} fields, header has {expected}")
            }
            UciError::BadNumber { line, column, text } => {
                write!(f, "line {line}: column {column}: {text:?} is not a number")
            }
            UciError::BadLabel { line, text } => {
                write!(f, "line {line}: label {text:?} is neither \"yes\" nor \"no\"")
            }
        }
    }
}

impl std::error::Error for UciError {}

/// A parsed data row: its features and, if the file has a `y` column, its label.
pub type Row = (Features, Option<bool>);

/// Splits one line on `;` outside double quotes and unquotes fields (`""` is a literal quote).
pub fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches(['\r', '\n']).chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ';' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

impl UciHeader {
    pub fn parse(line: &str) -> Result<UciHeader, UciError> {
        let names = split_line(line);
        let find = |name: &str| names.iter().position(|n| n.trim() == name);
        let mut columns = [0; N_FEATURES];
        for (column, name) in columns.iter_mut().zip(FEATURE_NAMES) {
            *column = find(name).ok_or(UciError::MissingColumn(name))?;
        }
        Ok(UciHeader {
            columns,
            label: find("y"),
            width: names.len(),
        })
    }

    pub fn has_label(&self) -> bool {
        self.label.is_some()
    }

    /// One data row; `line_no` (1-based) only labels errors. The label is `None` when the file
    /// has no `y` column.
    pub fn row(&self, line: &str, line_no: usize) -> Result<Row, UciError> {
        let fields = split_line(line);
        if fields.len() != self.width {
            return Err(UciError::WrongFieldCount {
                line: line_no,
                expected: self.width,
                found: fields.len(),
            });
        }
        let mut features = Features::missing();
        for (i, &column) in self.columns.iter().enumerate() {
            let text = &fields[column];
            features.set(i, text).map_err(|_| UciError::BadNumber {
                line: line_no,
                column: FEATURE_NAMES[i],
                text: text.clone(),
            })?;
        }
        let label = match self.label.map(|c| fields[c].trim()) {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(other) => {
                return Err(UciError::BadLabel {
                    line: line_no,
                    text: other.to_string(),
                });
            }
        };
        Ok((features, label))
    }
}

/// A whole file's text: header, then rows in order. Blank lines are skipped.
pub fn parse(text: &str) -> Result<(UciHeader, Vec<Row>), UciError> {
    // Spreadsheet exports often start with a byte-order mark.
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let header = match lines.next() {
        Some((_, l)) => UciHeader::parse(l)?,
        None => return Err(UciError::Empty),
    };
    let rows = lines
        .map(|(i, l)| header.row(l, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#""age";"job";"marital";"education";"default";"housing";"loan";"contact";"month";"day_of_week";"duration";"campaign";"pdays";"previous";"poutcome";"emp.var.rate";"cons.price.idx";"cons.conf.idx";"euribor3m";"nr.employed";"y""#;
    const ROW: &str = r#"57;"services";"married";"high.school";"unknown";"no";"no";"telephone";"may";"mon";149;1;999;0;"nonexistent";1.1;93.994;-36.4;4.857;5191;"no""#;

    #[test]
    fn splits_quoted_fields() {
        assert_eq!(split_line(r#"1;"a;b";"say ""hi""""#), ["1", "a;b", r#"say "hi""#]);
        assert_eq!(split_line("x;\r\n"), ["x", ""]);
    }

    #[test]
    fn reads_a_uci_row_and_ignores_duration() {
        let (header, rows) = parse(&format!("{HEADER}\n{ROW}\n")).expect("parses");
        assert!(header.has_label());
        let (f, y) = &rows[0];
        assert_eq!(*y, Some(false));
        assert_eq!(f.age, 57.0);
        assert_eq!(f.job.as_deref(), Some("services"));
        assert_eq!(f.default.as_deref(), Some("unknown"));
        assert_eq!(f.campaign, 1.0);
        assert_eq!(f.nr_employed, 5191.0);
    }

    #[test]
    fn label_and_duration_are_optional_and_order_is_free() {
        let header = r#""y";"age";"job";"marital";"education";"default";"housing";"loan";"contact";"month";"day_of_week";"campaign";"pdays";"previous";"poutcome";"emp.var.rate";"cons.price.idx";"cons.conf.idx";"euribor3m";"nr.employed""#;
        let row = r#""yes";30;"admin.";"single";"university.degree";"no";"yes";"no";"cellular";"aug";"thu";2;999;0;"nonexistent";1.4;93.444;-36.1;4.963;5228.1"#;
        let (h, rows) = parse(&format!("{header}\n{row}")).expect("parses");
        assert!(h.has_label());
        assert_eq!(rows[0].1, Some(true));
        assert_eq!(rows[0].0.age, 30.0);
        let unlabelled = header.trim_start_matches(r#""y";"#);
        let row = row.trim_start_matches(r#""yes";"#);
        let (h, rows) = parse(&format!("{unlabelled}\n{row}")).expect("parses");
        assert!(!h.has_label());
        assert_eq!(rows[0].1, None);
        let bom = format!("\u{feff}{unlabelled}\r\n{row}\r\n");
        assert_eq!(parse(&bom).expect("parses").1.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse(" \n"), Err(UciError::Empty));
        assert_eq!(parse("\"age\";\"job\""), Err(UciError::MissingColumn("marital")));
        let bad = ROW.replacen("57", "old", 1);
        assert!(matches!(
            parse(&format!("{HEADER}\n{bad}")),
            Err(UciError::BadNumber {
                line: 2,
                column: "age",
                ..
            })
        ));
        assert!(matches!(
            parse(&format!("{HEADER}\n57;\"x\"")),
            Err(UciError::WrongFieldCount { line: 2, .. })
        ));
    }
}
