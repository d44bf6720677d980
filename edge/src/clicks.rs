//! `GET /c/{token}`: a visitor's click-out. Verified, recorded, redirected to the bank with the
//! click id the bank's postback will quote.
//!
//! A machine's click (a link preview, a crawler, a monitor, an HTTP library, a headless browser:
//! `inflow_core::bots`) is redirected and recorded like anyone's, but flagged `ua_bot`: reports
//! leave it out of `clicks` (edge/migrations/0009) and a conversion quoting it is held as
//! `known_bot`. `HEAD /c/{token}` (link checkers, unfurlers) is verified and redirected without
//! recording anything, and without a click id.

use inflow_core::bots;
use inflow_core::fingerprint::client_hash;
use inflow_core::token::{self, TokenError};
use inflow_core::{Problem, ProblemCode};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Env, Request, Response, Result};

use crate::ledger::int;
use crate::{http, runtime, storage};

#[derive(Deserialize)]
struct Target {
    url: String,
}

pub async fn follow(req: &Request, env: &Env, raw: &str) -> Result<Response> {
    let now = runtime::now();
    let key = runtime::secret(env, "CLICK_TOKEN_KEY")?;
    let claims = match token::decode(&key, raw, now) {
        Ok(c) => c,
        Err(TokenError::Invalid) => {
            let p = Problem::new(ProblemCode::InvalidToken, "this link is not valid");
            return Ok(http::problem_for(req, &p, "This link is not valid."));
        }
        Err(TokenError::Expired) => {
            let p = Problem::new(ProblemCode::TokenExpired, "this link has expired");
            return Ok(http::problem_for(
                req,
                &p,
                "This link has expired. Ask the assistant again for a fresh one.",
            ));
        }
    };
    if req.method() == worker::Method::Head {
        return peek(req, env, &claims).await;
    }
    let ua = runtime::user_agent(req);
    let hash = client_hash(&runtime::secret(env, "CLIENT_HASH_KEY")?, &runtime::client_ip(req), &ua);
    let click_id = storage::new_id()?;
    let db = env.d1("DB")?;
    // The lead, campaign and product must still exist and belong to the token's partner; the burst count
    // is taken in the same statement as the insert.
    let insert = db
        .prepare(
            "INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, \
             scene, client_hash, ua_bot, clicks_in_hour, created_at) \
             SELECT ?1, l.id, m.bank_id, m.partner_id, m.id, ?4, l.scene, ?5, ?6, \
             1 + (SELECT COUNT(*) FROM clicks WHERE client_hash = ?5 AND created_at > ?7 - 3600), \
             ?7 FROM leads l JOIN campaigns m ON m.id = ?3 \
             JOIN products p ON p.bank_id = m.bank_id AND p.id = ?4 \
             WHERE l.id = ?2 AND l.partner_id = ?8 AND m.partner_id = ?8",
        )
        .bind(&[
            click_id.as_str().into(),
            claims.lead_id.as_str().into(),
            claims.campaign_id.as_str().into(),
            claims.product_id.as_str().into(),
            hash.into(),
            JsValue::from_f64(if bots::is_bot(&ua) { 1.0 } else { 0.0 }),
            int(now),
            claims.partner_id.as_str().into(),
        ])?;
    let target = db
        .prepare(
            "SELECT p.url FROM products p JOIN clicks k ON k.bank_id = p.bank_id \
             AND k.product_id = p.id WHERE k.id = ?1",
        )
        .bind(&[click_id.as_str().into()])?;
    let results = db.batch(vec![insert, target]).await?;
    let url = match results.get(1) {
        Some(r) => r.results::<Target>()?.into_iter().next().map(|t| t.url),
        None => None,
    };
    let Some(url) = url else {
        return Ok(gone(req));
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    http::redirect(&format!("{url}{sep}inflow_click={click_id}"))
}

fn gone(req: &Request) -> Response {
    let p = Problem::new(ProblemCode::NotFound, "this offer is no longer available");
    http::problem_for(req, &p, "This offer is no longer available.")
}

/// HEAD: where the click would go, under the same conditions as the insert above, read only.
async fn peek(req: &Request, env: &Env, claims: &token::ClickClaims) -> Result<Response> {
    let target: Option<Target> = env
        .d1("DB")?
        .prepare(
            "SELECT p.url FROM leads l JOIN campaigns m ON m.id = ?2 \
             JOIN products p ON p.bank_id = m.bank_id AND p.id = ?3 \
             WHERE l.id = ?1 AND l.partner_id = ?4 AND m.partner_id = ?4",
        )
        .bind(&[
            claims.lead_id.as_str().into(),
            claims.campaign_id.as_str().into(),
            claims.product_id.as_str().into(),
            claims.partner_id.as_str().into(),
        ])?
        .first(None)
        .await?;
    match target {
        Some(t) => http::redirect(&t.url),
        None => Ok(gone(req)),
    }
}
