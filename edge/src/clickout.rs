//! Turns each recommendation's bank URL into the edge's signed click-out URL, `/c/{token}`,
//! so every click is counted and attributed to the partner and campaign that earned it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use inflow_core::attribution::pick_campaign;
use inflow_core::token::{self, ClickClaims};
use inflow_core::{LeadRequest, Recommendation};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Env, Result};

use crate::runtime;

/// Campaigns change rarely and leads arrive often: each isolate keeps a partner's campaigns for
/// a minute, and remembers which product rows it already wrote, so a warm lead costs no extra
/// D1 round trip for its links.
const CACHE_SECS: i64 = 60;
const MAX_SYNCED: usize = 10_000;

/// (partner, scene) → (when fetched, its active campaigns).
type CampaignCache = HashMap<(String, String), (i64, Vec<CampaignRow>)>;

thread_local! {
    static CAMPAIGNS: RefCell<CampaignCache> = RefCell::new(HashMap::new());
    static SYNCED: RefCell<HashSet<(String, String, String, String)>> = RefCell::new(HashSet::new());
}

#[derive(Clone, Deserialize)]
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
    let now = runtime::now();
    let rows = campaigns(env, &lead.partner, lead.scene.as_str(), now).await?;
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
    let expires_at = now + token::TTL_SECS;
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
        if newly_seen(bank, rec) {
            upserts.push(product_upsert(&db, bank, rec)?);
        }
        rec.url = format!("{origin}/c/{t}");
    }
    if !upserts.is_empty() {
        if let Err(e) = db.batch(upserts).await {
            // Forget what this isolate thinks it wrote, so the next lead writes it again.
            SYNCED.with(|s| s.borrow_mut().clear());
            return Err(e);
        }
    }
    Ok(recs)
}

fn newly_seen(bank: &str, rec: &Recommendation) -> bool {
    let row = (
        bank.to_string(),
        rec.product_id.clone(),
        rec.name.clone(),
        rec.url.clone(),
    );
    SYNCED.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() > MAX_SYNCED {
            s.clear();
        }
        s.insert(row)
    })
}

fn product_upsert(db: &D1Database, bank: &str, rec: &Recommendation) -> Result<D1PreparedStatement> {
    db.prepare(
        "INSERT INTO products (bank_id, id, name, url) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (bank_id, id) DO UPDATE SET url = excluded.url, name = excluded.name \
         WHERE products.url != excluded.url OR products.name != excluded.name",
    )
    .bind(&[
        bank.into(),
        rec.product_id.as_str().into(),
        rec.name.as_str().into(),
        rec.url.as_str().into(),
    ])
}

async fn campaigns(env: &Env, partner: &str, scene: &str, now: i64) -> Result<Vec<CampaignRow>> {
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
    let rows: Vec<CampaignRow> = env
        .d1("DB")?
        .prepare(
            "SELECT id, bank_id, products FROM campaigns WHERE partner_id = ?1 AND active = 1 \
             AND EXISTS (SELECT 1 FROM json_each(campaigns.scenes) WHERE value = ?2)",
        )
        .bind(&[partner.into(), scene.into()])?
        .all()
        .await?
        .results()?;
    CAMPAIGNS.with(|c| c.borrow_mut().insert(key, (now, rows.clone())));
    Ok(rows)
}
