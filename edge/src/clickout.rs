//! Turns each recommendation's bank URL into the edge's signed click-out URL, `/c/{token}`,
//! so every click is counted and attributed to the partner and campaign that earned it.

use inflow_core::attribution::pick_campaign;
use inflow_core::token::{self, ClickClaims};
use inflow_core::{LeadRequest, Recommendation};
use serde::Deserialize;
use worker::{Env, Result};

use crate::runtime;

#[derive(Deserialize)]
struct CampaignRow {
    id: String,
    bank_id: String,
    products: String,
}

/// Recommendations no campaign pays for keep the bank's own URL: the visitor still gets there,
/// the partner is simply not paid for it.
pub async fn attach(
    env: &Env,
    origin: &str,
    lead_id: &str,
    lead: &LeadRequest,
    mut recs: Vec<Recommendation>,
) -> Result<Vec<Recommendation>> {
    let db = env.d1("DB")?;
    let rows: Vec<CampaignRow> = db
        .prepare(
            "SELECT id, bank_id, products FROM campaigns WHERE partner_id = ?1 AND active = 1 \
             AND EXISTS (SELECT 1 FROM json_each(campaigns.scenes) WHERE value = ?2)",
        )
        .bind(&[lead.partner.as_str().into(), lead.scene.as_str().into()])?
        .all()
        .await?
        .results()?;
    if rows.is_empty() {
        return Ok(recs);
    }
    let campaigns: Vec<(String, Vec<String>)> = rows
        .iter()
        .map(|r| {
            let products = serde_json::from_str(&r.products).unwrap_or_default();
            (r.id.clone(), products)
        })
        .collect();
    let key = runtime::secret(env, "CLICK_TOKEN_KEY")?;
    let expires_at = runtime::now() + token::TTL_SECS;
    let mut upserts = Vec::new();
    for rec in &mut recs {
        let Some(campaign) = pick_campaign(&campaigns, &rec.product_id) else {
            continue;
        };
        let Some(bank) = rows.iter().find(|r| r.id == campaign).map(|r| &r.bank_id) else {
            continue;
        };
        let claims = ClickClaims {
            lead_id: lead_id.to_string(),
            product_id: rec.product_id.clone(),
            partner_id: lead.partner.clone(),
            campaign_id: campaign.to_string(),
            expires_at,
        };
        let Some(t) = token::encode(&key, &claims) else {
            continue;
        };
        // The click route redirects to the products table, so it follows the served catalogue.
        upserts.push(
            db.prepare(
                "INSERT INTO products (bank_id, id, name, url) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (bank_id, id) DO UPDATE SET url = excluded.url, \
                 name = excluded.name \
                 WHERE products.url != excluded.url OR products.name != excluded.name",
            )
            .bind(&[
                bank.as_str().into(),
                rec.product_id.as_str().into(),
                rec.name.as_str().into(),
                rec.url.as_str().into(),
            ])?,
        );
        rec.url = format!("{origin}/c/{t}");
    }
    if !upserts.is_empty() {
        db.batch(upserts).await?;
    }
    Ok(recs)
}
