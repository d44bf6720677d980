//! Test harness shared by the end-to-end tests and `cargo xtask bench`: a real `wrangler dev`
//! (workerd + SQLite-backed D1) and a real headless Chromium over WebDriver.

pub mod bank;
pub mod browser;
pub mod chat;
pub mod cli;
pub mod feed;
pub mod fixture;
pub mod hostile;
pub mod load;
pub mod paths;
pub mod problem;
pub mod receiver;
pub mod scan;
pub mod worker;

pub use browser::Browser;
pub use worker::Worker;

/// Ends a child started with `process_group(0)` together with everything it started (wrangler's
/// workerd, chromedriver's Chromium), and reaps it.
pub(crate) fn stop_group(child: &mut std::process::Child) {
    let pgid = format!("-{}", child.id());
    let _ = std::process::Command::new("kill").args(["-TERM", "--", &pgid]).status();
    let _ = child.wait();
}

/// A port nobody is listening on right now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Polls `done` every 250 ms until it holds; panics naming `what` after `limit`. For what comes
/// when it comes (a queue's retry, a consumer's delivery): give it a generous limit, as a loaded
/// CI machine can be slow, and never a fixed sleep.
pub fn wait_until(what: &str, limit: std::time::Duration, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}
