//! A closed-loop load generator for routes wrk cannot drive, such as postbacks that must each
//! be freshly HMAC-signed. The empty route is measured with the same loop, so the ratio of
//! the two compares like with like.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{ensure, Result};

use crate::bank::{self, DEMO_BANK};
use crate::Worker;

/// Requests per second over `secs` with `threads` connections, each thread calling `one`
/// (which answers whether the request succeeded) in a loop. Any failure fails the run.
pub fn closed_loop<F>(threads: usize, secs: u64, one: F) -> Result<f64>
where
    F: Fn(usize, u64) -> bool + Sync,
{
    let stop = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (stop, done, failed, one) = (&stop, &done, &failed, &one);
            s.spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    if one(t, n) {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
            });
        }
        std::thread::sleep(Duration::from_secs(secs));
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed().as_secs_f64();
    let failed = failed.load(Ordering::Relaxed);
    ensure!(failed == 0, "{failed} requests failed under load");
    Ok(done.load(Ordering::Relaxed) as f64 / elapsed)
}

/// `GET /healthz` requests per second.
pub fn empty_rps(w: &Worker, threads: usize, secs: u64) -> Result<f64> {
    let url = w.url("/healthz");
    closed_loop(threads, secs, |_, _| {
        bank::request(bank::agent().get(&url), None).status == 200
    })
}

/// Signed, distinct `funded` postbacks (a repeatable event: top-ups) per second, each a new paid
/// ledger entry.
pub fn postbacks_rps(w: &Worker, threads: usize, secs: u64) -> Result<f64> {
    let lead = bank::lead(w, "edu-demo", "education");
    let url = lead["recommendations"][0]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let click = bank::click_id(&bank::click(&url, "Mozilla/5.0 bench"));
    // Conversions a minute after the click would be held as too fast; that is fine for load,
    // but the bench should measure the common path, so occurred_at is the click's time + 60 s
    // shifted into the past together with the click.
    w.d1(&format!(
        "UPDATE clicks SET created_at = created_at - 3600 WHERE id = '{click}'"
    ))?;
    let at = bank::now() - 3000;
    closed_loop(threads, secs, |t, n| {
        let body = bank::conversion(&click, "funded", &format!("BENCH-{t}-{n}"), 100_000, at);
        DEMO_BANK.post(w, "/v1/conversions", &body).status == 201
    })
}
