//! `POST /v1/leads`: validate, recompute, store, answer.

use inflow_core::api::MAX_LEAD_BYTES;
use inflow_core::engine::{self, Context};
use inflow_core::{catalogue, propensity::EconomicContext};
use inflow_core::{LeadRequest, LeadResponse, Problem, ProblemCode};
use worker::{Env, Request, Response, Result};

use crate::{clickout, http, storage};

pub async fn create(req: &mut Request, env: &Env) -> Result<Response> {
    match accept(req, env).await? {
        Ok(resp) => http::json(201, &resp),
        Err(p) => Ok(http::problem(&p)),
    }
}

async fn accept(req: &mut Request, env: &Env) -> Result<std::result::Result<LeadResponse, Problem>> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Ok(Err(Problem::new(
            ProblemCode::UnsupportedMediaType,
            "send the lead as application/json",
        )));
    }
    // Refuse early on the declared length so a huge body is never buffered.
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_LEAD_BYTES) {
        return Ok(Err(Problem::new(
            ProblemCode::BodyTooLarge,
            format!("a lead is at most {MAX_LEAD_BYTES} bytes"),
        )));
    }
    let body = req.bytes().await?;
    let lead = match LeadRequest::parse(&body) {
        Ok(lead) => lead,
        Err(p) => return Ok(Err(p)),
    };
    let decision = match engine::decide(&lead, catalogue::demo(), &context(env)) {
        Ok(d) => d,
        Err(p) => return Ok(Err(p)),
    };
    let lead_id = storage::new_id()?;
    let stored = storage::insert_lead(env, &lead_id, &lead, &decision).await?;
    if !stored {
        return Ok(Err(Problem::new(
            ProblemCode::UnknownPartner,
            "no partner with this id",
        )));
    }
    let origin = req.url()?.origin().ascii_serialization();
    let recommendations = clickout::attach(env, &origin, &lead_id, &lead, decision.recommendations).await?;
    Ok(Ok(LeadResponse {
        lead_id,
        risk_tolerance: decision.profile.tolerance.label(),
        recommendations,
    }))
}

/// The economic context the model scores in: the operator's `ECONOMY` variable
/// (`"emp_var_rate,cons_price_idx,cons_conf_idx,euribor3m,nr_employed"`), else the default.
fn context(env: &Env) -> Context {
    let configured = env.var("ECONOMY").ok().map(|v| v.to_string());
    let numbers: Vec<f32> = configured
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    match numbers[..] {
        [emp_var_rate, cons_price_idx, cons_conf_idx, euribor3m, nr_employed] => Context {
            economy: EconomicContext {
                emp_var_rate,
                cons_price_idx,
                cons_conf_idx,
                euribor3m,
                nr_employed,
            },
        },
        _ => Context::default(),
    }
}
