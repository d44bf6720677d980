//! A bank's or partner's webhook receiver as the webhook tests need it: a small HTTP server on
//! std's `TcpListener` that answers 204 and keeps every POST it got, the Standard Webhooks check
//! a receiver runs on each (`inflow_core::webhook::signing::verify`), and the admin API calls
//! around it: registering an endpoint and reading its delivery log.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use inflow_core::webhook::signing;
use serde_json::{json, Value};

use crate::bank::now;
use crate::cli::{call, ok, OPERATOR};
use crate::Worker;

/// One POST the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Received {
    /// The header's value, or "" when it is missing.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    /// Whether it verifies with `secret` (`whsec_…`) now: the check a receiver runs, any one of
    /// the `webhook-signature` header's signatures, the timestamp within the tolerance.
    pub fn verifies(&self, secret: &str) -> bool {
        let (id, t, sig) = (
            self.header("webhook-id"),
            self.header("webhook-timestamp"),
            self.header("webhook-signature"),
        );
        signing::verify(secret, id, t, sig, self.body.as_bytes(), now()).is_ok()
    }

    /// The body as JSON; panics when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on 127.0.0.1:`port` that answers 204 and keeps what it got in the list
/// it is given (which outlives a stop and a restart on the same port).
pub struct Receiver {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Listens on `port` (panics when it cannot bind) until [`Receiver::stop`].
    pub fn start(port: u16, got: Arc<Mutex<Vec<Received>>>) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the receiver");
        let stop = Arc::new(AtomicBool::new(false));
        let (stopping, kept) = (stop.clone(), got);
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = stream {
                    if let Some(r) = read_request(s) {
                        kept.lock().expect("lock").push(r);
                    }
                }
            }
        });
        Receiver {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// Stops listening and closes the socket: connections are refused from now on, so every
    /// delivery fails with no answer.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            t.join().expect("receiver thread");
        }
    }

    /// The endpoint URL to register.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks", self.port)
    }
}

/// Reads one HTTP/1.1 request (headers, then `content-length` bytes of body) and answers 204.
fn read_request(stream: TcpStream) -> Option<Received> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
    }
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let mut out = stream;
    out.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
        .ok()?;
    Some(Received {
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// Registers an endpoint at `url` under `owner` (`banks/demo-bank`, `partners/edu-demo`) for
/// `events`, disabled after `disable_after` consecutive failures, as the operator; returns its
/// (id, secret), the secret answered once.
pub fn register(w: &Worker, owner: &str, url: &str, events: &[&str], disable_after: u32) -> (String, String) {
    let body = json!({"url": url, "events": events, "disable_after": disable_after});
    let r = ok(
        call(
            w,
            "POST",
            &format!("/v1/admin/{owner}/webhooks"),
            Some(OPERATOR),
            Some(&body),
        ),
        201,
    );
    let secret = r["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (r["endpoint"]["id"].as_str().expect("id").to_string(), secret)
}

/// The endpoint's delivery log (`GET /v1/admin/webhooks/{id}/deliveries`): one row per attempt.
pub fn deliveries(w: &Worker, endpoint: &str) -> Vec<Value> {
    let page = ok(
        call(
            w,
            "GET",
            &format!("/v1/admin/webhooks/{endpoint}/deliveries"),
            Some(OPERATOR),
            None,
        ),
        200,
    );
    page["deliveries"].as_array().expect("rows").clone()
}

/// How many of the log's `rows` are for `message` with `outcome` (`delivered`, `failed`,
/// `skipped`, `dead`).
pub fn logged(rows: &[Value], message: &str, outcome: &str) -> usize {
    rows.iter()
        .filter(|r| r["message_id"] == message && r["outcome"] == outcome)
        .count()
}

/// The `webhook-id` (and the log's message id) of a lead's `lead.created`.
pub fn lead_created(lead_id: &str) -> String {
    format!("msg_lead_created_{lead_id}")
}

/// The `webhook-id` of a lead's `lead.erased`.
pub fn lead_erased(lead_id: &str) -> String {
    format!("msg_lead_erased_{lead_id}")
}
