//! A route for `cargo xtask bench` only, off unless the Worker runs with `--var BENCH_ROUTES:1`:
//! runs the whole decision `n` times inside workerd so the bench can time the engine there.
//! Workers freeze the clock during CPU work, so timing is done by the caller (n = N vs n = 0).

use inflow_core::engine::{self, Context};
use inflow_core::{catalogue, LeadRequest};
use worker::{Env, Request, Response, Result};

pub const PATH: &str = "/_bench/decide";

pub fn enabled(env: &Env) -> bool {
    env.var("BENCH_ROUTES").is_ok_and(|v| v.to_string() == "1")
}

const LEAD: &str = r#"{"partner":"edu-demo","scene":"education","lang":"zh-Hans","answers":{"age":"30_44","goal":"tuition","horizon":"3_5y","amount":"50k_200k","liquidity":"maybe","region":"east","assets":"500k_3m","experience":"funds_short","knowledge":"good","income":"stable","objective":"balanced","max_loss":"up_to_15","loss":"hold"}}"#;

pub fn decide(req: &Request) -> Result<Response> {
    let n: usize = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "n")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(100_000);
    let lead = LeadRequest::parse(LEAD.as_bytes()).map_err(|p| worker::Error::RustError(p.detail))?;
    let ctx = Context::default();
    let mut products = 0;
    for _ in 0..n {
        let d = engine::decide(&lead, catalogue::demo(), &ctx).map_err(|p| worker::Error::RustError(p.detail))?;
        products += d.recommendations.len();
    }
    Response::ok(products.to_string())
}
