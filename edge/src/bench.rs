//! A route for `cargo xtask bench` only, off unless the Worker runs with `--var BENCH_ROUTES:1`:
//! runs the whole decision `n` times inside workerd so the bench can time the engine there.
//! Workers freeze the clock during CPU work, so timing is done by the caller (n = N vs n = 0).

use inflow_core::lead::engine::{self, Context};
use inflow_core::{lead::catalogue, lead::questionnaire, Lang, LeadRequest, Scene};
use worker::{Env, Request, Response};

use crate::error::Result;

pub const PATH: &str = "/_bench/decide";

pub fn enabled(env: &Env) -> bool {
    env.var("BENCH_ROUTES").is_ok_and(|v| v.to_string() == "1")
}

pub fn decide(req: &Request) -> Result<Response> {
    let n: usize = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "n")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(100_000);
    let lead = LeadRequest {
        partner: "edu-demo".into(),
        scene: Scene::Education,
        lang: Lang::ZhHans,
        answers: questionnaire::example_answers(),
        attribution: Default::default(),
        consent: None,
    };
    let ctx = Context::default();
    let shelf = catalogue::builtin().shelf();
    let mut products = 0;
    for _ in 0..n {
        let d = engine::decide(&lead, &shelf, &ctx)?;
        products += d.recommendations.len();
    }
    Ok(Response::ok(products.to_string())?)
}
