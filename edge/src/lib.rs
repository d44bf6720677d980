//! inflow-edge: the Worker. It routes, stores and authenticates; every decision is made by
//! `inflow-core`.

mod http;
mod leads;
mod storage;

use inflow_core::{Problem, ProblemCode};
use worker::{event, Context, Env, Method, Request, Response, Result};

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    let outcome = match (req.method(), path.as_str()) {
        (Method::Get, "/healthz") => Response::ok("ok"),
        (Method::Post, "/v1/leads") => leads::create(&mut req, &env).await,
        (_, "/healthz" | "/v1/leads") => Ok(http::problem(&Problem::new(
            ProblemCode::MethodNotAllowed,
            "method not allowed on this route",
        ))),
        _ => Ok(http::problem(&Problem::new(
            ProblemCode::NotFound,
            "no such route",
        ))),
    };
    // A failure below the routes (D1 down, a bug) is the one case that may answer 5xx; it is
    // still problem+json so clients parse every error the same way.
    Ok(outcome.unwrap_or_else(|e| {
        worker::console_error!("internal error on {path}: {e}");
        http::problem(&Problem::new(ProblemCode::Internal, "internal error"))
    }))
}
