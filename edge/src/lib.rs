//! inflow-edge: the Worker. It routes, stores and authenticates; every decision is made by
//! `inflow-core`.

mod admin;
mod auth;
mod bench;
mod clickout;
mod clicks;
mod conversions;
mod cors;
mod db;
mod events;
mod http;
mod leads;
mod ledger;
mod openapi;
mod ratelimit;
mod reports;
mod reversals;
mod runtime;
mod storage;

use inflow_core::routes::Route;
use inflow_core::{Problem, ProblemCode};
use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    let outcome = route(&mut req, &env, &path).await;
    // A failure below the routes (D1 down, a bug) is the one case that may answer 5xx; it is
    // still problem+json so clients parse every error the same way.
    Ok(outcome.unwrap_or_else(|e| {
        worker::console_error!("internal error on {path}: {e}");
        http::problem(&Problem::new(ProblemCode::Internal, "internal error"))
    }))
}

async fn route(req: &mut Request, env: &Env, path: &str) -> Result<Response> {
    if path == bench::PATH && bench::enabled(env) {
        return bench::decide(req);
    }
    let Some(route) = Route::parse(path) else {
        return Ok(http::problem(&Problem::new(ProblemCode::NotFound, "no such route")));
    };
    // The method as sent: worker::Method reads a method it does not know (e.g. QUERY) as GET.
    let method = req.inner().method();
    if method == "OPTIONS" && matches!(route, Route::Leads | Route::Events) {
        return cors::preflight(req);
    }
    if !route.answers(&method) {
        return Ok(http::method_not_allowed(&route));
    }
    // HEAD runs the GET handler (which sees the HEAD method, so a click-out can skip recording)
    // and answers its headers only.
    if method == "HEAD" {
        let get = dispatch(req, env, route).await?;
        return http::head_of(get);
    }
    dispatch(req, env, route).await
}

async fn dispatch(req: &mut Request, env: &Env, route: Route) -> Result<Response> {
    if matches!(route, Route::Leads | Route::Click(_)) {
        if let Some(limited) = ratelimit::per_client(req, env).await? {
            return Ok(http::problem(&limited));
        }
    }
    match route {
        Route::Health => Response::ok("ok"),
        Route::OpenApi => openapi::serve(),
        Route::Leads => leads::create(req, env).await,
        Route::Events => events::create(req, env).await,
        Route::Reports => reports::serve(req, env).await,
        Route::Click(token) => clicks::follow(req, env, &token).await,
        Route::Conversions => conversions::create(req, env).await,
        Route::Reversal(id) => reversals::create(req, env, &id).await,
        Route::Admin(a) => {
            let method = req.inner().method();
            admin::serve(req, env, &a, &method).await
        }
    }
}

/// Promotes conversions whose approval period has passed without a reversal.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(e) = ledger::approve_due(&env, runtime::now()).await {
        worker::console_error!("approving due conversions failed: {e}");
    }
}
