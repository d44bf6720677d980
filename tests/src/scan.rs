//! Looking for text in every column of every table of a Worker's local D1: where a phone
//! number, a contact hash or a ciphertext must not be.

use crate::Worker;

/// The tables with a row that holds any of `needles` in any column (as text), each with
/// how many such rows: every table and column of the database in one statement.
pub fn tables_holding(w: &Worker, needles: &[&str]) -> Vec<(String, u64)> {
    let cols = w
        .d1(
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' ESCAPE '\\' \
             ORDER BY m.name",
        )
        .expect("D1 lists its columns");
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for r in &cols {
        let (t, c) = (r["t"].as_str().expect("table"), r["c"].as_str().expect("column"));
        match tables.last_mut() {
            Some((last, cs)) if last == t => cs.push(c.to_string()),
            _ => tables.push((t.to_string(), vec![c.to_string()])),
        }
    }
    assert!(
        tables.iter().any(|(t, _)| t == "lead_contacts") && tables.len() > 20,
        "{tables:?}"
    );
    // One text per row (D1 caps expression depth at 100, so no long OR chains).
    let counts: Vec<String> = tables
        .iter()
        .map(|(t, cs)| {
            let cols: Vec<String> = cs.iter().map(|c| format!("\"{c}\"")).collect();
            let row = format!("concat_ws(char(31), {})", cols.join(", "));
            let any: Vec<String> = needles.iter().map(|n| format!("instr({row}, '{n}') > 0")).collect();
            format!("(SELECT COUNT(*) FROM \"{t}\" WHERE {}) AS \"{t}\"", any.join(" OR "))
        })
        .collect();
    let row = w.d1(&format!("SELECT {}", counts.join(", "))).expect("D1 is scanned");
    tables
        .iter()
        .map(|(t, _)| (t.clone(), row[0][t].as_u64().expect("a count")))
        .filter(|(_, n)| *n > 0)
        .collect()
}
