//! D1 for a bank's lead feed: `bank_leads` (one entry per lead and bank shown, in `seq`
//! order), the lead's row and the contact sealed for the bank, `lead_contacts` (0015). The
//! entries are written with their lead (`db::leads::insert`).

use inflow_core::lead::feed::{FeedQuery, FeedRow};
use worker::{D1Database, Result};

use super::query;

/// The bank's entries after `q.after`, in feed order: `q.limit + 1` at most, the extra one
/// telling that there is more.
pub async fn page(db: &D1Database, bank_id: &str, q: &FeedQuery) -> Result<Vec<FeedRow>> {
    query(
        db,
        include_str!("bank_leads/page.sql"),
        &[bank_id.into(), q.after.into(), (i64::from(q.limit) + 1).into()],
    )?
    .all()
    .await?
    .results()
}
