//! Funnel events the widget sends in batches (`navigator.sendBeacon`), so partners can see
//! impressions, opens, per-question drop-off, leads, recommendations and clicks.

use serde::Deserialize;

use crate::api::{is_valid_partner_id, parse_object, Problem, ProblemCode};
use crate::lead::questionnaire;
use crate::lead::scene::Scene;
use crate::report::tags::{self, Tag};

pub const MAX_BATCH_BYTES: usize = 16 * 1024;
pub const MAX_BATCH_EVENTS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Impression,
    Open,
    Answer,
    Lead,
    Recommendation,
    Click,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Impression => "impression",
            EventKind::Open => "open",
            EventKind::Answer => "answer",
            EventKind::Lead => "lead",
            EventKind::Recommendation => "recommendation",
            EventKind::Click => "click",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelEvent {
    pub kind: EventKind,
    /// The question answered, for `answer` events.
    #[serde(default)]
    pub question: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    pub partner: String,
    pub scene: Scene,
    /// A random id per page view, so events of one visit can be told apart; not a tracker.
    pub session: String,
    /// Each event is a JSON object (an array in field order is refused).
    #[serde(deserialize_with = "crate::api::object_items")]
    pub events: Vec<FunnelEvent>,
    /// The partner's tracking tags for the page view (`report::tags`), from the script tag or
    /// the page URL; each checked by `report::tags::check`.
    #[serde(default)]
    pub sub_id: Option<String>,
    #[serde(default)]
    pub utm_source: Option<String>,
    #[serde(default)]
    pub utm_campaign: Option<String>,
}

fn invalid(detail: &str) -> Problem {
    Problem::new(ProblemCode::InvalidField, detail)
}

impl EventBatch {
    /// The batch's value of `tag`, if it has one.
    pub fn tag(&self, tag: Tag) -> Option<&str> {
        match tag {
            Tag::SubId => self.sub_id.as_deref(),
            Tag::UtmSource => self.utm_source.as_deref(),
            Tag::UtmCampaign => self.utm_campaign.as_deref(),
        }
    }

    pub fn parse(body: &[u8]) -> Result<EventBatch, Problem> {
        if body.len() > MAX_BATCH_BYTES {
            return Err(Problem::new(
                ProblemCode::BodyTooLarge,
                format!("a batch is at most {MAX_BATCH_BYTES} bytes"),
            ));
        }
        let batch: EventBatch = parse_object(body)?;
        if !is_valid_partner_id(&batch.partner) {
            return Err(invalid("partner must be a slug of a-z, 0-9 and '-'"));
        }
        let session_ok = (8..=64).contains(&batch.session.len())
            && batch.session.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !session_ok {
            return Err(invalid("session is 8–64 of A-Z a-z 0-9 -"));
        }
        if batch.events.is_empty() || batch.events.len() > MAX_BATCH_EVENTS {
            return Err(invalid("a batch holds 1–50 events"));
        }
        for tag in Tag::ALL {
            if let Some(value) = batch.tag(tag) {
                tags::check(value).map_err(|why| invalid(&format!("{} {why}", tag.key())))?;
            }
        }
        for e in &batch.events {
            let question_ok = match (e.kind, e.question.as_deref()) {
                (EventKind::Answer, Some(q)) => questionnaire::question(q).is_some(),
                (EventKind::Answer, None) => false,
                (_, q) => q.is_none(),
            };
            if !question_ok {
                return Err(invalid("answer events name a known question; other events none"));
            }
        }
        Ok(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &str) -> Result<usize, ProblemCode> {
        EventBatch::parse(body.as_bytes())
            .map(|b| b.events.len())
            .map_err(|p| p.code)
    }

    #[test]
    fn accepts_good_batches_and_names_what_is_wrong() {
        let good = r#"{"partner":"edu-demo","scene":"education","session":"0f8e2c1a-77","events":[{"kind":"impression"},{"kind":"answer","question":"age"}]}"#;
        assert_eq!(code(good), Ok(2));
        assert_eq!(code("{"), Err(ProblemCode::MalformedJson));
        assert_eq!(
            code(&good.replace("impression", "purchase")),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(
            code(&good.replace("\"age\"", "\"shoe\"")),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(code(&good.replace("0f8e2c1a-77", "x")), Err(ProblemCode::InvalidField));
        assert_eq!(code(&good.replace("edu-demo", "<b>")), Err(ProblemCode::InvalidField));
        let tagged = good.replace(
            r#""events""#,
            r#""sub_id":"aff-7","utm_source":"wechat","utm_campaign":"spring","events""#,
        );
        assert_eq!(code(&tagged), Ok(2));
        let batch = EventBatch::parse(tagged.as_bytes()).expect("valid");
        assert_eq!(batch.tag(Tag::SubId), Some("aff-7"));
        assert_eq!(batch.tag(Tag::UtmCampaign), Some("spring"));
        assert_eq!(
            code(&tagged.replace("aff-7", "aff\\u202e7")),
            Err(ProblemCode::InvalidField),
            "a bidi override in a tag"
        );
        assert_eq!(
            code(&tagged.replace("wechat", &"w".repeat(65))),
            Err(ProblemCode::InvalidField)
        );
        let many = format!(
            r#"{{"partner":"edu-demo","scene":"education","session":"0f8e2c1a-77","events":[{}]}}"#,
            vec![r#"{"kind":"open"}"#; 51].join(",")
        );
        assert_eq!(code(&many), Err(ProblemCode::InvalidField));
        assert_eq!(code(&"x".repeat(MAX_BATCH_BYTES + 1)), Err(ProblemCode::BodyTooLarge));
    }

    #[test]
    fn batches_and_their_events_are_objects() {
        let good = r#"{"partner":"edu-demo","scene":"education","session":"0f8e2c1a-77","events":[{"kind":"open"}]}"#;
        assert_eq!(code(good), Ok(1));
        assert_eq!(
            code(r#"["edu-demo","education","0f8e2c1a-77",[{"kind":"open"}]]"#),
            Err(ProblemCode::InvalidField)
        );
        assert_eq!(
            code(&good.replace(r#"{"kind":"open"}"#, r#"["open"]"#)),
            Err(ProblemCode::InvalidField)
        );
    }
}
