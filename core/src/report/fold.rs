//! Folding what the edge reads from the rollups into a report: parts (a group and conversion
//! event, each rollup column summed) into rows, and answers per question into the drop-off.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::lead::questionnaire;
use crate::report::metric::{Metric, LEFT_OUT_COLUMN};
use crate::report::{DropOff, QuestionReached, ReportRow};
use crate::Scene;

/// One group and conversion event (`''` for the funnel and clicks) of a report, as D1 returns
/// it: `grp`, `event`, and each of [`Metric::rollup_columns`] summed (D1 numbers are f64).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Part {
    pub grp: String,
    pub event: String,
    #[serde(flatten)]
    pub sums: BTreeMap<String, f64>,
}

impl Part {
    fn sum(&self, column: &str) -> i64 {
        self.sums.get(column).copied().unwrap_or(0.0) as i64
    }

    /// This part's metrics as a row; its conversions count under its event.
    fn row(&self) -> ReportRow {
        let mut row = ReportRow::default();
        for m in Metric::stored() {
            m.add(&mut row, m.column().map_or(0, |c| self.sum(c)));
        }
        if row.conversions > 0 {
            row.conversions_by_event.insert(self.event.clone(), row.conversions);
        }
        row
    }

    /// Whether anything happened in this part: a count of events, a conversion left out
    /// (rejected or reversed), or a ledger entry (money moved: a reversal's void shows on its
    /// own day). Money by conversion date alone does not show a group.
    fn seen(&self) -> bool {
        let ledger = Metric::stored()
            .filter(|m| m.is_ledger_dated())
            .filter_map(Metric::column)
            .any(|c| self.sum(c) != 0);
        ledger
            || Metric::stored()
                .filter(|m| m.is_event_count())
                .filter_map(Metric::column)
                .chain([LEFT_OUT_COLUMN])
                .any(|c| self.sum(c) > 0)
    }
}

/// A report's rows: each group's parts added up, in the groups' order, leaving out groups in
/// which nothing happened; and how many chats were opened in all.
pub fn rows(parts: impl IntoIterator<Item = Part>) -> (Vec<ReportRow>, u64) {
    let mut groups: BTreeMap<String, (ReportRow, bool)> = BTreeMap::new();
    let mut opened = 0;
    for p in parts {
        let part = p.row();
        opened += part.chats_opened;
        let (row, seen) = groups.entry(p.grp.clone()).or_insert_with(|| {
            let row = ReportRow {
                group: p.grp.clone(),
                ..Default::default()
            };
            (row, false)
        });
        row.add(&part);
        *seen |= p.seen();
    }
    let rows = groups
        .into_values()
        .filter(|(_, seen)| *seen)
        .map(|(row, _)| row)
        .collect();
    (rows, opened)
}

/// How many answered a question, as D1 returns it (summed over the report's range).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AnswerCount {
    pub question: String,
    pub answered: f64,
}

/// The drop-off: `opened` chats, then how many answered each question, in the order questions
/// are asked — age first, the rest in the education scene's order as a stable reference.
/// Questions nobody answered are listed with 0.
pub fn drop_off(opened: u64, answered: impl IntoIterator<Item = AnswerCount>) -> DropOff {
    let mut by_question: BTreeMap<String, u64> = BTreeMap::new();
    for a in answered {
        *by_question.entry(a.question).or_default() += a.answered.max(0.0) as u64;
    }
    let questions = questionnaire::script(Scene::Education)
        .iter()
        .map(|q| QuestionReached {
            question: q.id.into(),
            answered: by_question.get(q.id).copied().unwrap_or(0),
        })
        .collect();
    DropOff { opened, questions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(grp: &str, event: &str, sums: &[(&str, f64)]) -> Part {
        Part {
            grp: grp.into(),
            event: event.into(),
            sums: sums.iter().map(|(c, n)| (c.to_string(), *n)).collect(),
        }
    }

    #[test]
    fn parts_add_up_by_group_and_events_by_name() {
        let parts = [
            part(
                "2026-11-02",
                "",
                &[("impressions", 3.0), ("opens", 2.0), ("clicks", 1.0)],
            ),
            part(
                "2026-11-01",
                "funded",
                &[
                    ("conversions", 1.0),
                    ("value_minor", 500.0),
                    ("payout_approved_minor", 50.0),
                ],
            ),
            part(
                "2026-11-01",
                "account_opened",
                &[("conversions", 2.0), ("payout_pending_minor", 7.0)],
            ),
            part(
                "2026-11-02",
                "",
                &[("opens", 1.0), ("leads", 1.0), ("recommendations", 4.0)],
            ),
        ];
        let (rows, opened) = rows(parts);
        assert_eq!(opened, 3);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].group, "2026-11-01");
        assert_eq!(rows[0].conversions, 3);
        assert_eq!(rows[0].conversions_by_event.get("funded"), Some(&1));
        assert_eq!(rows[0].conversions_by_event.get("account_opened"), Some(&2));
        assert_eq!(
            (
                rows[0].conversion_value_minor,
                rows[0].payout_approved_minor,
                rows[0].payout_pending_minor
            ),
            (500, 50, 7)
        );
        let day2 = &rows[1];
        assert_eq!(
            (
                day2.impressions,
                day2.chats_opened,
                day2.qualified_leads,
                day2.recommendations_shown,
                day2.clicks
            ),
            (3, 3, 1, 4, 1)
        );
        assert!(day2.conversions_by_event.is_empty());
    }

    /// A group with only a rejected or reversed conversion is shown (with its money); one whose
    /// counts all went back to zero (a correction) is not.
    #[test]
    fn groups_show_when_something_happened() {
        let (rows, _) = rows([
            part(
                "reversed",
                "funded",
                &[("rejected", 1.0), ("payout_reversed_minor", 90.0)],
            ),
            part("corrected", "", &[("clicks", 0.0), ("impressions", 0.0)]),
            part("money-only", "funded", &[("payout_held_minor", 5.0)]),
            part("voided-today", "funded", &[("voided_minor", 90.0)]),
        ]);
        let groups: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups, ["reversed", "voided-today"]);
        assert_eq!(rows[0].payout_reversed_minor, 90);
        assert_eq!(rows[0].conversions, 0);
    }

    #[test]
    fn drop_off_lists_every_question_in_asking_order() {
        let d = drop_off(
            5,
            [
                AnswerCount {
                    question: "goal".into(),
                    answered: 2.0,
                },
                AnswerCount {
                    question: "age".into(),
                    answered: 4.0,
                },
                AnswerCount {
                    question: "age".into(),
                    answered: 1.0,
                },
            ],
        );
        assert_eq!(d.opened, 5);
        assert_eq!(
            d.questions[0],
            QuestionReached {
                question: "age".into(),
                answered: 5
            }
        );
        assert_eq!(d.questions.len(), questionnaire::script(Scene::Education).len());
        let goal = d.questions.iter().find(|q| q.question == "goal").expect("goal");
        assert_eq!(goal.answered, 2);
        assert!(d
            .questions
            .iter()
            .filter(|q| q.question != "age" && q.question != "goal")
            .all(|q| q.answered == 0));
    }

    /// D1 rows deserialise into parts: `grp`, `event`, and the sums by column name.
    #[test]
    fn reads_d1_rows() {
        let p: Part = serde_json::from_str(r#"{"grp":"edu","event":"","impressions":2,"rejected":0}"#).expect("a part");
        assert_eq!(p.sum("impressions"), 2);
        assert_eq!(p.sum("clicks"), 0);
    }
}
