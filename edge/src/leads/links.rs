//! The links a lead's answer carries: each recommendation a campaign pays for leads through the
//! edge's signed click-out `/c/{token}` (followed by `clicks.rs`), so every click is counted and
//! attributed to the partner and campaign that earned it; the others lead to the bank's page.
//! The campaigns are the offer's (`crate::offer`, cached per isolate): linking reads nothing.

use inflow_core::click::token::{self, ClickClaims};
use inflow_core::lead::offer::Offer;
use inflow_core::lead::recommend::Ranked;
use inflow_core::{LeadRequest, Recommendation};
use worker::{Env, Result};

use crate::runtime;

/// The answer's recommendations for the lead `lead_id`, with their links on the edge at
/// `origin`, each paid by its own bank's campaign in `offer`. Minted before the lead is stored,
/// so the lead and its answer are one write.
pub fn link(
    env: &Env,
    offer: &Offer,
    origin: &str,
    lead_id: &str,
    lead: &LeadRequest,
    ranked: Vec<Ranked>,
) -> Result<Vec<Recommendation>> {
    let key = runtime::secret(env, "CLICK_TOKEN_KEY")?;
    let expires_at = runtime::now() + token::TTL_SECS;
    Ok(ranked
        .into_iter()
        .map(|r| {
            let minted = offer.campaign_for(&r.bank_id, &r.product_id).and_then(|campaign| {
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
