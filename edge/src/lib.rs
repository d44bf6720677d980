//! inflow-edge: the Worker. It routes, stores and authenticates; every decision is made by
//! `inflow-core`.

mod admin;
mod auth;
mod bank_leads;
mod bench;
mod clicks;
mod conversions;
mod cors;
mod db;
mod erasure;
mod error;
mod events;
mod http;
mod leads;
mod offer;
mod openapi;
mod ratelimit;
mod reports;
mod reversals;
mod runtime;
mod settlement;
mod webhooks;
mod widget;

use inflow_core::routes::Route;
use inflow_core::Problem;
use worker::{event, Context, Env, MessageBatch, Request, Response, ScheduleContext, ScheduledEvent};

use crate::error::{EdgeError, Result};

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let path = req.path();
    let route = Route::parse(&path);
    // The method as sent: worker::Method reads a method it does not know (e.g. QUERY) as GET.
    let method = req.inner().method();
    // Every answer on the public POST routes is readable by the calling page, refusals too:
    // an unregistered origin must be told apart from a network failure (see cors.rs).
    let foreign = match route {
        Some(Route::Leads | Route::Events | Route::LeadErasure(_)) => cors::foreign_origin(&req)?,
        _ => None,
    };
    // A visitor following a click-out link in a browser reads a refusal as a page.
    let page = matches!(route, Some(Route::Click(_))) && http::wants_html(&req);
    let route_is_widget = matches!(route, Some(Route::Widget { .. }));
    let resp = match answer(&mut req, &env, route, &method).await {
        Ok(resp) => resp,
        Err(e) => e.into_response(&path, page)?,
    };
    let resp = match foreign {
        Some(origin) => cors::grant(resp, &origin),
        // Public data, read by the loader on any partner's page: its refusals too, so the
        // loader tells "nothing offered here" from a network failure.
        None if route_is_widget => cors::grant_any(resp),
        None => resp,
    };
    // HEAD runs the GET handler (which sees the HEAD method, so a click-out can skip recording)
    // and answers its headers only.
    if method == "HEAD" {
        return http::head_of(resp);
    }
    Ok(resp)
}

async fn answer(req: &mut Request, env: &Env, route: Option<Route>, method: &str) -> Result<Response> {
    if req.path() == bench::PATH && bench::enabled(env) {
        return bench::decide(req);
    }
    let route = route.ok_or_else(Problem::no_such_route)?;
    if method == "OPTIONS" && matches!(route, Route::Leads | Route::Events | Route::LeadErasure(_)) {
        return Ok(cors::preflight(req)?);
    }
    if !route.answers(method) {
        return Err(EdgeError::method_not_allowed(route.allow()));
    }
    if matches!(route, Route::Leads | Route::Click(_) | Route::LeadErasure(_)) {
        ratelimit::per_client(req, env).await?;
    }
    match route {
        Route::Health => Ok(Response::ok("ok")?),
        Route::OpenApi => Ok(openapi::serve()?),
        Route::Leads => leads::create(req, env).await,
        Route::Events => events::create(req, env).await,
        Route::Reports => reports::serve(req, env).await,
        Route::Click(token) => clicks::follow(req, env, &token).await,
        Route::Conversions => conversions::create(req, env).await,
        Route::Reversal(id) => reversals::create(req, env, &id).await,
        Route::Widget { partner, scene } => widget::serve(env, &partner, &scene).await,
        Route::Admin(a) => admin::serve(req, env, &a, method).await,
        Route::BankLeads => bank_leads::serve(req, env).await,
        Route::LeadErasure(id) => erasure::by_visitor(req, env, &id).await,
        Route::BankLead(id) => erasure::by_bank(req, env, &id).await,
        Route::Ledger => settlement::ledger(req, env).await,
        Route::Statements => settlement::statements(req, env).await,
        Route::CloseStatements(period) => settlement::close(req, env, &period).await,
        Route::PayStatement(period) => settlement::pay(req, env, &period).await,
    }
}

/// Promotes conversions whose approval period has passed without a reversal, and tells their
/// partners (`conversion.approved`); erases the leads past their banks' retention.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    match conversions::approve_due(&env, runtime::now()).await {
        Ok(()) => {}
        Err(e) => worker::console_error!("approving due conversions failed: {e}"),
    }
    if let Err(e) = erasure::purge_due(&env, runtime::now()).await {
        worker::console_error!("purging leads past their retention failed: {e}");
    }
}

/// Delivers webhooks (the `inflow-webhooks` queue) and records what its dead-letter queue
/// receives (`webhooks::consumer`).
#[event(queue)]
async fn queue(batch: MessageBatch<String>, env: Env, _ctx: Context) -> worker::Result<()> {
    webhooks::consumer::consume(batch, &env).await
}
