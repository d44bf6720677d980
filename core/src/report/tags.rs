//! Partners' own tracking tags — `sub_id`, `utm_source`, `utm_campaign` — put on the script
//! tag (`data-sub-id`, …) or the page URL, sent with funnel events and leads, copied onto the
//! lead's clicks (and so reaching the conversions that descend from them), and reported as
//! groupings (`GET /v1/reports?group_by=sub_id`).
//!
//! What a valid value is, and how a report bounds how many values it reads and shows:
//!
//! - **The rollups** (edge/migrations/0024) keep, per partner, tag and UTC day, the first
//!   [`VALUES_PER_DAY`] distinct values a partner sent; any further value of that day is
//!   counted under [`OTHER`]. A per-day registry (not a running top-K) because a row's label
//!   must be the same when a later change takes it back (a conversion approved or reversed
//!   days after it arrived): the registry only grows, so a value is either registered for its
//!   day, and stays so, or was refused when the day was full, and stays so. A report therefore
//!   reads at most (days × ([`VALUES_PER_DAY`] + 2) × events) rows per partner, whatever a
//!   partner (or a hostile page) sends.
//! - **The report** shows the [`TOP`] values by conversions (then clicks, leads, impressions)
//!   and adds the rest into [`OTHER`] ([`finish`]), so a 90-day report over a partner with
//!   many values stays a page, not thousands of rows.
//! - **Missing values** (a lead or click without the tag, everything from before the tags
//!   existed) are a group of their own, [`NONE`]: the groups of a report add up to its totals.

use crate::report::ReportRow;
use crate::support::text::{self, Lines};

/// A partner's tracking tag: which grouping a report is by, which column holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    SubId,
    UtmSource,
    UtmCampaign,
}

impl Tag {
    /// Every tag, in the order reports and documents list them.
    pub const ALL: [Tag; 3] = [Tag::SubId, Tag::UtmSource, Tag::UtmCampaign];

    /// Its name on the wire, in attribution maps and event batches, and in the rollups.
    pub fn key(self) -> &'static str {
        match self {
            Tag::SubId => "sub_id",
            Tag::UtmSource => "utm_source",
            Tag::UtmCampaign => "utm_campaign",
        }
    }

    /// The tag named `key`, if it is one.
    pub fn from_key(key: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// The longest value, in characters (Unicode scalar values).
pub const MAX_CHARS: usize = 64;

/// A report's group for rows without the tag (stored as `''`).
pub const NONE: &str = "(none)";

/// A report's group for values past a day's [`VALUES_PER_DAY`] or past the report's [`TOP`].
pub const OTHER: &str = "(other)";

/// Distinct values kept per partner, tag and UTC day in the rollups; edge/migrations/0024
/// writes the same number (a test below reads it from there).
pub const VALUES_PER_DAY: usize = 20;

/// Values a report shows before adding the rest into [`OTHER`].
pub const TOP: usize = 20;

/// Checks a tag's value: what [`text::check`] allows in a one-line name (not blank, no control
/// character, no bidirectional override or isolate), at most [`MAX_CHARS`] characters, and
/// neither [`NONE`] nor [`OTHER`], which a report would show as something else. The widget's
/// loader (widget/loader/widget.js `tag`) leaves out what this refuses; the edge refuses it
/// (400 `invalid_field`, the reason after the tag's key).
///
/// # Errors
/// Why the value is refused, to follow the tag's name.
pub fn check(value: &str) -> Result<(), String> {
    text::check(value, MAX_CHARS, Lines::One).map_err(|e| e.reason())?;
    if value == NONE || value == OTHER {
        return Err(format!("is {value}, which reports use for their own groups"));
    }
    Ok(())
}

/// A report's rows grouped by a tag, made ready to show: the group of untagged rows is
/// [`NONE`]; the [`TOP`] tagged values with the most conversions (then clicks, qualified
/// leads, impressions; ties by value) stay, in that order, and the rest are added into
/// [`OTHER`] (with the rollups' own `(other)`), which comes after them, then [`NONE`].
pub fn finish(rows: Vec<ReportRow>) -> Vec<ReportRow> {
    let mut none: Option<ReportRow> = None;
    let mut other: Option<ReportRow> = None;
    let mut tagged = Vec::new();
    for row in rows {
        match row.group.as_str() {
            "" => none = Some(row),
            OTHER => add_into(&mut other, &row),
            _ => tagged.push(row),
        }
    }
    tagged.sort_by(|a, b| {
        let key = |r: &ReportRow| (r.conversions, r.clicks, r.qualified_leads, r.impressions);
        key(b).cmp(&key(a)).then_with(|| a.group.cmp(&b.group))
    });
    for row in tagged.split_off(TOP.min(tagged.len())) {
        add_into(&mut other, &row);
    }
    tagged.extend(other);
    tagged.extend(none.map(|r| ReportRow {
        group: NONE.into(),
        ..r
    }));
    tagged
}

fn add_into(slot: &mut Option<ReportRow>, row: &ReportRow) {
    slot.get_or_insert_with(|| ReportRow {
        group: OTHER.into(),
        ..Default::default()
    })
    .add(row);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::report::Metric;

    #[test]
    fn values_partners_can_read_as_written() {
        for ok in ["aff-123", "spring sale", "微信", "newsletter_2026-11", &"x".repeat(64)] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "   ",
            &"x".repeat(65),
            "a\nb",
            "a\u{0}b",
            "a\u{85}b",
            "\u{202e}evil",
            "a\u{2066}b",
            NONE,
            OTHER,
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check(&"银".repeat(64)), Ok(()), "characters, not bytes");
        assert_eq!(Tag::ALL.map(Tag::key), ["sub_id", "utm_source", "utm_campaign"]);
        assert_eq!(Tag::from_key("utm_campaign"), Some(Tag::UtmCampaign));
        assert_eq!(Tag::from_key("utm_medium"), None);
    }

    /// The migration folds past the same number of values a day as core says.
    #[test]
    fn the_rollups_keep_as_many_values_a_day_as_core_says() {
        let sql = include_str!("../../../edge/migrations/0024_report_tags.sql");
        let kept = format!("< {VALUES_PER_DAY}");
        assert!(
            sql.contains(&kept),
            "0024 must keep {VALUES_PER_DAY} values a day: `{kept}`"
        );
        assert!(sql.contains(&format!("'{OTHER}'")), "0024 folds into {OTHER}");
    }

    fn row(group: &str, conversions: u64, clicks: u64) -> ReportRow {
        ReportRow {
            group: group.into(),
            conversions,
            clicks,
            payout_approved_minor: conversions as i64 * 100,
            ..Default::default()
        }
    }

    #[test]
    fn untagged_is_none_and_the_tail_is_other() {
        let mut rows: Vec<ReportRow> = (0..TOP as u64 + 3).map(|i| row(&format!("v{i:02}"), i, 1)).collect();
        rows.push(row("", 7, 9));
        rows.push(row(OTHER, 1, 1));
        let shown = finish(rows);
        let groups: Vec<&str> = shown.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups.len(), TOP + 2);
        assert_eq!(groups[0], format!("v{:02}", TOP + 2), "most conversions first");
        assert_eq!(&groups[TOP..], [OTHER, NONE]);
        // v00, v01, v02 (0 + 1 + 2 conversions) and the rollups' own (other) (1).
        assert_eq!(shown[TOP].conversions, 4);
        assert_eq!(shown[TOP].clicks, 4);
        assert_eq!((shown[TOP + 1].conversions, shown[TOP + 1].clicks), (7, 9));
    }

    #[test]
    fn few_values_are_shown_as_they_are() {
        let shown = finish(vec![row("b", 1, 1), row("a", 1, 1), row("c", 2, 0)]);
        let groups: Vec<&str> = shown.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups, ["c", "a", "b"], "conversions, then clicks, then the value");
    }

    proptest! {
        /// Folding moves metrics between groups and never changes a total; at most TOP values
        /// and the two report groups are shown.
        #[test]
        fn folding_keeps_every_total(
            values in proptest::collection::btree_map("[a-z]{1,3}", (0u64..50, 0u64..50), 0..60),
            untagged in proptest::option::of((0u64..50, 0u64..50)),
        ) {
            let mut rows: Vec<ReportRow> = values.iter().map(|(v, (c, k))| row(v, *c, *k)).collect();
            if let Some((c, k)) = untagged {
                rows.push(row("", c, k));
            }
            let before: Vec<i64> = Metric::stored().map(|m| rows.iter().map(|r| m.value(r)).sum()).collect();
            let shown = finish(rows.clone());
            let after: Vec<i64> = Metric::stored().map(|m| shown.iter().map(|r| m.value(r)).sum()).collect();
            prop_assert_eq!(before, after);
            prop_assert!(shown.len() <= TOP + 2);
            prop_assert_eq!(shown.iter().any(|r| r.group == NONE), untagged.is_some());
            prop_assert_eq!(shown.iter().any(|r| r.group == OTHER), values.len() > TOP);
        }
    }
}
