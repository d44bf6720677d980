//! The queue handler: an event without an endpoint fans out to the owner's subscribed
//! endpoints (one message each, so each retries on its own); an event for an endpoint is
//! signed (every live secret) and POSTed. 2xx acks it; anything else is logged, counts toward
//! disabling the endpoint, and is retried after `retry_delay` (exponential, jittered; the
//! base from `WEBHOOK_RETRY_BASE_SECS`). Messages the queue gives up on arrive from the
//! dead-letter queue and are logged `dead`. A `lead.created` whose lead was erased before the
//! attempt is not sent: it is logged `skipped` ("lead erased").

use inflow_core::webhook::delivery::{disable_reason, retry_delay, Attempt, DEFAULT_RETRY_BASE_SECS};
use inflow_core::webhook::signing::{self, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use inflow_core::webhook::Envelope;
use worker::wasm_bindgen::JsValue;
use worker::{
    js_sys, D1Database, Env, Fetch, Headers, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder, Request,
    RequestInit, RequestRedirect, Result,
};

use crate::db::webhooks::{self as store, Logged};
use crate::{db, runtime};

/// The dead-letter queue's name (`dead_letter_queue` in wrangler.toml).
const DEAD_LETTERS: &str = "inflow-webhooks-dlq";

/// Handles one batch; each message is acked or retried on its own.
pub async fn consume(batch: MessageBatch<String>, env: &Env) -> Result<()> {
    let dead = batch.queue() == DEAD_LETTERS;
    let db = db::open(env)?;
    for message in batch.iter() {
        let message = message?;
        let envelope: Envelope = match serde_json::from_str(message.body()) {
            Ok(e) => e,
            Err(e) => {
                worker::console_error!("dropping a webhook message that does not parse: {e}");
                message.ack();
                continue;
            }
        };
        let handled = if dead {
            bury(&db, &envelope).await
        } else {
            match &envelope.endpoint {
                None => fan_out(env, &db, &envelope).await,
                Some(endpoint) => deliver(env, &db, &envelope, endpoint).await,
            }
        };
        match handled {
            Ok(Handled::Done) => message.ack(),
            Ok(Handled::Retry(delay)) => {
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build());
            }
            Err(e) => {
                worker::console_error!("webhook {} failed in the consumer: {e}", envelope.id);
                message.retry();
            }
        }
    }
    Ok(())
}

enum Handled {
    Done,
    /// Retry after this many seconds.
    Retry(u32),
}

async fn fan_out(env: &Env, db: &D1Database, e: &Envelope) -> Result<Handled> {
    let endpoints = store::subscribed(db, e.kind.owner(), &e.owner, e.kind).await?;
    if !endpoints.is_empty() {
        let copies: Vec<Envelope> = endpoints.iter().map(|id| e.to_endpoint(id)).collect();
        // Unlike the request path, a failure here is raised: the queue retries the fan-out.
        super::send(env, &copies).await?;
    }
    Ok(Handled::Done)
}

async fn deliver(env: &Env, db: &D1Database, e: &Envelope, endpoint_id: &str) -> Result<Handled> {
    let now = runtime::now();
    let Some(endpoint) = store::by_id(db, endpoint_id).await? else {
        return Ok(Handled::Done); // removed since: nothing to deliver to
    };
    let logged = |outcome, status, error| Logged {
        endpoint_id,
        message_id: &e.id,
        event: e.kind,
        outcome,
        status,
        error,
    };
    if let Some(reason) = &endpoint.view.disabled_reason {
        let why = format!("endpoint disabled: {reason}");
        store::log(db, &logged("skipped", None, Some(&why)), now).await?;
        return Ok(Handled::Done);
    }
    if let Some(lead) = e.erasable_lead() {
        if db::erasure::is_erased(db, lead).await? {
            store::log(db, &logged("skipped", None, Some("lead erased")), now).await?;
            return Ok(Handled::Done);
        }
    }
    let keys: Vec<Vec<u8>> = endpoint
        .secrets
        .iter()
        .filter(|s| s.live(now))
        .filter_map(|s| signing::secret_key(&s.secret))
        .collect();
    let body = e.body();
    let sent = post(&endpoint.view.url, e, &keys, &body, now).await;
    let attempt = Attempt::from_status(sent.as_ref().copied().map_err(|why| why.as_str()));
    match attempt {
        Attempt::Delivered(status) => {
            store::log(db, &logged("delivered", Some(status), None), now).await?;
            store::succeeded(db, endpoint_id).await?;
            Ok(Handled::Done)
        }
        Attempt::Failed { status, why } => {
            let failed = store::log(db, &logged("failed", status, Some(&why)), now).await?;
            let Some((failures, disable_after)) = store::failed(db, endpoint_id).await? else {
                return Ok(Handled::Done);
            };
            if let Some(reason) = disable_reason(failures, disable_after, &why) {
                store::disable(db, endpoint_id, &reason, now).await?;
                return Ok(Handled::Done);
            }
            Ok(Handled::Retry(retry_delay(failed, retry_base(env), jitter())))
        }
    }
}

/// POSTs the signed body; the endpoint's status, or why there was none.
async fn post(url: &str, e: &Envelope, keys: &[Vec<u8>], body: &str, now: i64) -> std::result::Result<u16, String> {
    let attempt = async {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("user-agent", "inflow-webhooks/1")?;
        headers.set(ID_HEADER, &e.id)?;
        headers.set(TIMESTAMP_HEADER, &now.to_string())?;
        headers.set(
            SIGNATURE_HEADER,
            &signing::signature_header(keys, &e.id, now, body.as_bytes()),
        )?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            // A redirect is a failure: the registered URL is the one that is trusted.
            .with_redirect(RequestRedirect::Manual)
            .with_body(Some(JsValue::from_str(body)));
        let resp = Fetch::Request(Request::new_with_init(url, &init)?).send().await?;
        Ok::<u16, worker::Error>(resp.status_code())
    };
    attempt.await.map_err(|e| e.to_string())
}

/// A message the queue gave up on: logged `dead` against its endpoint.
async fn bury(db: &D1Database, e: &Envelope) -> Result<Handled> {
    match &e.endpoint {
        Some(endpoint_id) => {
            let logged = Logged {
                endpoint_id,
                message_id: &e.id,
                event: e.kind,
                outcome: "dead",
                status: None,
                error: Some("retries exhausted; kept in the dead-letter queue"),
            };
            store::log(db, &logged, runtime::now()).await?;
        }
        None => worker::console_error!("webhook {} could not be fanned out; dead-lettered", e.id),
    }
    Ok(Handled::Done)
}

/// `WEBHOOK_RETRY_BASE_SECS` (seconds before the second attempt), else the default.
fn retry_base(env: &Env) -> u32 {
    env.var("WEBHOOK_RETRY_BASE_SECS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .unwrap_or(DEFAULT_RETRY_BASE_SECS)
}

/// Jitter needs spread, not secrecy.
fn jitter() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
}
