//! `GET /v1/widget/{partner}/{scene}`: the widget's configuration for a partner's scene — its
//! brand, banks and consent (`inflow_core::lead::offer::WidgetConfig`), public and cacheable.

use inflow_core::api::is_valid_partner_id;
use inflow_core::{Problem, ProblemCode, Scene};
use worker::{Env, Headers, Response};

use crate::error::Result;
use crate::offer;

/// 200 with the configuration (`Cache-Control: public, max-age=30`, [`offer::CACHE_SECS`]; `lib.rs` lets any page
/// read it); 400 `invalid_field` for a scene that is not one, 404 `no_campaign` when nothing
/// is offered there, the partner unknown included.
pub async fn serve(env: &Env, partner: &str, scene: &str) -> Result<Response> {
    let scene = Scene::parse(scene)
        .ok_or_else(|| Problem::new(ProblemCode::InvalidField, "scene is education, gaming or telehealth"))?;
    // Not a partner id: no partner has it, and D1 need not say so.
    if !is_valid_partner_id(partner) {
        return Err(Problem::no_campaign().into());
    }
    let served = offer::of(env, partner, scene).await?;
    let json = served.config_json.as_deref().ok_or_else(Problem::no_campaign)?;
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", &format!("public, max-age={}", offer::CACHE_SECS))?;
    Ok(Response::ok(json)?.with_headers(headers))
}
