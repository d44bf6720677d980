//! The links a lead's answer carries: each recommendation a campaign pays for leads through the
//! edge's signed click-out `/c/{token}` (followed by `clicks.rs`), so every click is counted and
//! attributed to the partner and campaign that earned it; the others lead to the bank's page.

use std::cell::RefCell;
use std::collections::HashMap;

use inflow_core::click::token::{self, ClickClaims};
use inflow_core::conversion::attribution::pick_campaign;
use inflow_core::lead::recommend::Ranked;
use inflow_core::{LeadRequest, Recommendation};
use worker::{Env, Result};

use crate::db::campaigns;
use crate::runtime;

/// Campaigns change rarely and leads arrive often: each isolate keeps a partner's campaigns for
/// a minute, so a warm lead reads nothing for its links.
const CACHE_SECS: i64 = 60;

/// (partner, scene) → (when fetched, its active campaigns).
type CampaignCache = HashMap<(String, String), (i64, Campaigns)>;

/// Each campaign's id and the product ids it pays for.
type Campaigns = Vec<(String, Vec<String>)>;

thread_local! {
    static CAMPAIGNS: RefCell<CampaignCache> = RefCell::new(HashMap::new());
}

/// The answer's recommendations for the lead `lead_id`, with their links on the edge at
/// `origin`. Minted before the lead is stored, so the lead and its answer are one write.
pub async fn link(
    env: &Env,
    origin: &str,
    lead_id: &str,
    lead: &LeadRequest,
    ranked: Vec<Ranked>,
) -> Result<Vec<Recommendation>> {
    let now = runtime::now();
    let campaigns = active_campaigns(env, &lead.partner, lead.scene.as_str(), now).await?;
    let key = runtime::secret(env, "CLICK_TOKEN_KEY")?;
    let expires_at = now + token::TTL_SECS;
    Ok(ranked
        .into_iter()
        .map(|r| {
            let minted = pick_campaign(&campaigns, &r.product_id).and_then(|campaign| {
                let claims = ClickClaims {
                    lead_id: lead_id.to_string(),
                    product_id: r.product_id.clone(),
                    partner_id: lead.partner.clone(),
                    campaign_id: campaign.to_string(),
                    expires_at,
                };
                token::encode(&key, &claims)
            });
            // No campaign pays for it: the visitor still gets there, the partner is not paid.
            let url = match minted {
                Some(t) => format!("{origin}/c/{t}"),
                None => r.bank_url.clone(),
            };
            r.answer(url)
        })
        .collect())
}

async fn active_campaigns(env: &Env, partner: &str, scene: &str, now: i64) -> Result<Campaigns> {
    let key = (partner.to_string(), scene.to_string());
    let cached = CAMPAIGNS.with(|c| {
        c.borrow()
            .get(&key)
            .filter(|(at, _)| now - at < CACHE_SECS)
            .map(|(_, rows)| rows.clone())
    });
    if let Some(rows) = cached {
        return Ok(rows);
    }
    let rows = campaigns::active(env, partner, scene).await?;
    CAMPAIGNS.with(|c| c.borrow_mut().insert(key, (now, rows.clone())));
    Ok(rows)
}
