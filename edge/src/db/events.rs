//! `funnel_events`: what widgets report as visitors move through a chat.

use inflow_core::lead::funnel::EventBatch;
use inflow_core::report::tags::Tag;
use worker::{Env, Result};

use super::{open, query};

/// Stores a batch, each event with the batch's tracking tags, in one D1 batch (all or nothing),
/// received at `now` (RFC 3339); `Ok(false)`
/// when the partner is unknown. Each insert checks the partner itself, so a batch costs one
/// round trip.
pub async fn insert(env: &Env, batch: &EventBatch, now: &str) -> Result<bool> {
    let db = open(env)?;
    let statements = batch
        .events
        .iter()
        .map(|e| {
            query(
                &db,
                "INSERT INTO funnel_events (partner_id, scene, session, kind, question, received_at, \
                 sub_id, utm_source, utm_campaign) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE EXISTS (SELECT 1 FROM partners WHERE id = ?1)",
                &[
                    batch.partner.as_str().into(),
                    batch.scene.as_str().into(),
                    batch.session.as_str().into(),
                    e.kind.as_str().into(),
                    e.question.as_deref().into(),
                    now.into(),
                    // No tag is '' (migration 0024).
                    batch.tag(Tag::SubId).unwrap_or_default().into(),
                    batch.tag(Tag::UtmSource).unwrap_or_default().into(),
                    batch.tag(Tag::UtmCampaign).unwrap_or_default().into(),
                ],
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let results = db.batch(statements).await?;
    let first = results.first().map(|r| r.meta()).transpose()?.flatten();
    Ok(first.and_then(|m| m.changes).unwrap_or(0) > 0)
}
