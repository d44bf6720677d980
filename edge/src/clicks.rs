//! `GET /c/{token}`: a visitor's click-out. Verified, recorded, redirected to the bank with the
//! click id the bank's postback will quote.
//!
//! A machine's click (a link preview, a crawler, a monitor, an HTTP library, a headless browser:
//! `inflow_core::click::bots`) is redirected and recorded like anyone's, but flagged `ua_bot`: reports
//! leave it out of `clicks` (edge/migrations/0009) and a conversion quoting it is held as
//! `known_bot`. `HEAD /c/{token}` (link checkers, unfurlers) is verified and redirected without
//! recording anything, and without a click id.

use inflow_core::click::fingerprint::client_hash;
use inflow_core::click::token::{self, ClickClaims};
use inflow_core::{click::bots, Problem};
use worker::{Env, Request, Response};

use crate::db::clicks::{self, Clicker};
use crate::error::Result;
use crate::{http, runtime};

pub async fn follow(req: &Request, env: &Env, raw: &str) -> Result<Response> {
    let now = runtime::now();
    let claims = token::decode(&runtime::secret(env, "CLICK_TOKEN_KEY")?, raw, now).map_err(Problem::from)?;
    if req.method() == worker::Method::Head {
        return peek(env, &claims).await;
    }
    let ua = runtime::user_agent(req);
    let hash = client_hash(&runtime::secret(env, "CLIENT_HASH_KEY")?, &runtime::client_ip(req), &ua);
    let click_id = runtime::new_id()?;
    let who = Clicker {
        client_hash: &hash,
        is_bot: bots::is_bot(&ua),
    };
    let url = clicks::record(env, &click_id, &claims, &who, now)
        .await?
        .ok_or_else(Problem::offer_gone)?;
    let sep = if url.contains('?') { '&' } else { '?' };
    Ok(http::redirect(&format!("{url}{sep}inflow_click={click_id}"))?)
}

/// HEAD: where the click would go, read only.
async fn peek(env: &Env, claims: &ClickClaims) -> Result<Response> {
    let url = clicks::target(env, claims).await?.ok_or_else(Problem::offer_gone)?;
    Ok(http::redirect(&url)?)
}
