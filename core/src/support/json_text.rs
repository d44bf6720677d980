//! JSON text written without any JSON library or host object: the widget serialises what it
//! sends and stores with this, so a host page's `JSON.stringify`, `Array.prototype.toJSON` or
//! `Object.prototype` additions (Prototype.js 1.6 and friends) cannot change a byte of it.
//!
//! Hand-written because the widget only ever writes objects of strings, and a JSON library
//! (serde_json) would cost visitors kilobytes of wasm for it.

/// A JSON value the widget writes: a string, or an object of named values in the given order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json<'a> {
    Str(&'a str),
    Obj(Vec<(&'a str, Json<'a>)>),
}

impl Json<'_> {
    /// The value as JSON text (RFC 8259): `"`, `\` and control characters escaped, everything
    /// else (any Unicode) written as it is.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(s) => quote(out, s),
            Json::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// An object of string fields, e.g. a map of answers.
pub fn strings<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> Json<'a> {
    Json::Obj(pairs.map(|(k, v)| (k.as_str(), Json::Str(v))).collect())
}

fn quote(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_objects_in_order() {
        let v = Json::Obj(vec![
            ("a", Json::Str("x")),
            ("b", Json::Obj(vec![("c", Json::Str("y\"\\\n\u{1}中"))])),
            ("e", Json::Obj(vec![])),
        ]);
        assert_eq!(v.text(), r#"{"a":"x","b":{"c":"y\"\\\u000a\u0001中"},"e":{}}"#);
    }

    proptest::proptest! {
        #[test]
        fn serde_json_reads_back_what_was_written(k in ".*", v in ".*", w in ".*") {
            let text = Json::Obj(vec![(k.as_str(), Json::Str(&v)), ("z", Json::Obj(vec![("w", Json::Str(&w))]))]).text();
            let back: serde_json::Value = serde_json::from_str(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let want = if k == "z" { serde_json::json!({ "z": { "w": w } }) } else { serde_json::json!({ k.clone(): v, "z": { "w": w } }) };
            proptest::prop_assert_eq!(back, want);
        }
    }
}
