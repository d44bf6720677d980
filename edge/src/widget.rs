//! `GET /v1/widget/{partner}/{scene}`: the widget's configuration for a partner's scene.

use inflow_core::{Problem, ProblemCode, Scene};
use worker::{Env, Response};

use crate::error::Result;

/// 200 with the [`inflow_core::lead::offer::WidgetConfig`]; 400 `invalid_field` for a scene that
/// is not one, 404 `no_campaign` when nothing is offered there.
pub async fn serve(_env: &Env, _partner: &str, scene: &str) -> Result<Response> {
    Scene::parse(scene)
        .ok_or_else(|| Problem::new(ProblemCode::InvalidField, "scene is education, gaming or telehealth"))?;
    // The offer is read from D1 in the next commit.
    Err(Problem::no_campaign().into())
}
