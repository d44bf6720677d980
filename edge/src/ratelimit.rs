//! Rate limits through the Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml),
//! which `wrangler dev` simulates in memory with the same limits, so the behaviour tested
//! locally is the deployed one.
//!
//! Visitors are limited per client IP on the public routes. Loopback clients are not limited:
//! in production the IP is always the real client's (Cloudflare sets CF-Connecting-IP), so
//! loopback only ever means a local developer, the test suite or `cargo xtask bench`, which
//! would otherwise all share one bucket. Banks are limited per bank id, generously, so a bank
//! replaying a backlog is slowed rather than a partner's traffic.

use inflow_core::Problem;
use worker::{Env, Request};

use crate::error::Result;
use crate::runtime;

const PER_CLIENT: &str = "RL_PUBLIC";
const PER_BANK: &str = "RL_BANK";

async fn allowed(env: &Env, binding: &str, key: String) -> worker::Result<bool> {
    match env.rate_limiter(binding) {
        Ok(limiter) => Ok(limiter.limit(key).await?.success),
        Err(e) => {
            // Deployed without the binding: serve rather than refuse everyone, and say so.
            worker::console_warn!("rate limiter {binding} unavailable, not limiting: {e}");
            Ok(true)
        }
    }
}

fn is_loopback(ip: &str) -> bool {
    ip == "::1" || ip.starts_with("127.")
}

/// Refuses (429) a visitor's address over its limit.
pub async fn per_client(req: &Request, env: &Env) -> Result<()> {
    let ip = runtime::client_ip(req);
    if is_loopback(&ip) || allowed(env, PER_CLIENT, format!("ip:{ip}")).await? {
        return Ok(());
    }
    Err(Problem::rate_limited_client().into())
}

/// Refuses (429) a bank over its limit.
pub async fn per_bank(env: &Env, bank_id: &str) -> Result<()> {
    if allowed(env, PER_BANK, format!("bank:{bank_id}")).await? {
        return Ok(());
    }
    Err(Problem::rate_limited_bank().into())
}
