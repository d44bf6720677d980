//! Webhooks through Cloudflare Queues (issue 14 item 3). The request paths only [`enqueue`]:
//! one `sendBatch` to the `WEBHOOKS` producer binding, no D1 round trip. The Worker's queue
//! handler ([`consumer::consume`]) fans each event out to the owner's endpoints and delivers,
//! retrying with back-off through the queue; what the queue gives up on lands in the
//! dead-letter queue, which the same handler records in the delivery log. Rules and the wire
//! format are core's (`inflow_core::webhook`).

pub mod consumer;

use inflow_core::webhook::Envelope;
use worker::Env;

/// The producer binding (`[[queues.producers]]` in wrangler.toml).
const BINDING: &str = "WEBHOOKS";

/// Enqueues `events` in one call. A failure is logged and not raised: the request's own write
/// is done and answering it an error would only make the caller retry what succeeded.
pub async fn enqueue(env: &Env, events: Vec<Envelope>) {
    if events.is_empty() {
        return;
    }
    if let Err(e) = send(env, &events).await {
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        worker::console_error!("enqueueing webhooks {ids:?} failed: {e}");
    }
}

/// One `sendBatch` of `events` (raised: the consumer's fan-out lets the queue retry it).
async fn send(env: &Env, events: &[Envelope]) -> worker::Result<()> {
    let queue = env.queue(BINDING)?;
    let bodies = events
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<String>, _>>()?;
    queue.send_batch(bodies).await
}
