//! RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, quotes
//! doubled inside.

pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields.iter().map(|f| field(f.as_ref())).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A strict RFC 4180 reader, to check the writer against.
    fn read(text: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut f = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    f.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => f.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut f)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut f));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => f.push(c),
            }
        }
        rows
    }

    proptest! {
        #[test]
        fn any_fields_round_trip(rows in proptest::collection::vec(proptest::collection::vec(".*", 1..6), 1..6)) {
            let text: String = rows.iter().map(|r| line(r)).collect();
            prop_assert_eq!(read(&text), rows);
        }
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(
            line(&["a", "b c", "x,y", "say \"hi\""]),
            "a,b c,\"x,y\",\"say \"\"hi\"\"\"\r\n"
        );
    }
}
