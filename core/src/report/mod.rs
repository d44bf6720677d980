//! Attribution reports: what a partner or bank asks for (range, timezone, grouping), who may
//! read what (scope), the metrics (listed once), folding the rollups the edge reads into rows
//! and the drop-off, and their CSV form. The edge runs the queries; the rules live here.

#[cfg(feature = "csv")]
pub mod csv;
pub mod fold;
pub mod metric;
pub mod query;
pub mod response;
pub mod row;
pub mod scope;
#[cfg(feature = "tz")]
pub mod zone;

pub use metric::Metric;
#[cfg(feature = "tz")]
pub use query::ReportQuery;
pub use query::{Format, GroupBy};
pub use response::{DropOff, QuestionReached, ReportResponse};
pub use row::ReportRow;
pub use scope::{utc_days, Scope};
#[cfg(feature = "tz")]
pub use zone::Zone;

/// How report keys are stored: SHA-256, hex. A key is a long random secret, so an unsalted
/// hash is enough to make a leaked table useless.
pub fn key_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::support::encoding::hex(&Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn seeded_demo_key_hash_matches() {
        // edge/seed/demo.sql stores this hash for the partner key rk_edu-demo_local.
        assert_eq!(
            super::key_hash("rk_edu-demo_local"),
            "30a5fa17c64fa955765c9e9aabec212c76f0dd69317b8c68a8e99832183732c8"
        );
    }
}
