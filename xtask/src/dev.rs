//! `cargo xtask dev`: the local edge on one origin, with the demo tenants onboarded as any bank
//! is — `inflow admin apply tenants/*.toml` against the running Worker, with the local
//! operator key — once it answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use inflow_tests::paths;

use crate::{build, tools};

/// Installs, builds, migrates and seeds the local D1, serves everything on one origin and
/// applies every tenant file under `tenants/`.
pub fn run() -> Result<()> {
    tools::ensure()?;
    build::all()?;
    // The seed still runs first: it holds what no tenant file carries — the documented
    // local report keys and postback secrets (`.dev.vars.example`) the dashboard and
    // docs/integration.md use. The files' apply then changes nothing it already says.
    inflow_tests::worker::prepare_d1(None)?;
    tools::run(Command::new("cargo").args(["build", "-q", "-p", "inflow-cli"]))?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8787".into());
    let edge = format!("http://127.0.0.1:{port}");
    let mut wrangler = Command::new(paths::node_bin("wrangler"))
        .args(["dev", "--ip", "127.0.0.1", "--port", &port])
        // The cron (approvals, releases, retention) runs only when asked locally:
        // `curl "$EDGE/__scheduled?cron=*/15+*+*+*+*"` (README, docs/integration.md §13).
        .arg("--test-scheduled")
        .env("INFLOW_PREBUILT", "1")
        .env("WRANGLER_SEND_METRICS", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group, ended by the watchdog below when this process ends however it ends:
        // a SIGTERM to `cargo xtask dev` used to leave wrangler and workerd serving.
        .process_group(0)
        .spawn()
        .context("starting wrangler dev")?;
    let _watchdog = match inflow_tests::worker::watchdog(&wrangler, Path::new("")) {
        Ok(w) => w,
        Err(e) => {
            stop(&mut wrangler);
            return Err(e).context("starting the wrangler watchdog");
        }
    };
    let log = Arc::new(Mutex::new(String::new()));
    if let Some(out) = wrangler.stdout.take() {
        echo(out, std::io::stdout(), log.clone());
    }
    if let Some(err) = wrangler.stderr.take() {
        echo(err, std::io::stderr(), log.clone());
    }
    if let Err(e) = wait_healthy(&edge, &mut wrangler, &log).and_then(|()| apply_tenants(&edge)) {
        stop(&mut wrangler);
        return Err(e);
    }
    println!("inflow: serving {edge}");
    let status = wrangler.wait()?;
    if !status.success() {
        bail!("wrangler dev ended with {status}");
    }
    Ok(())
}

/// Passes wrangler's output through to `to` line by line, keeping a copy in `log`.
fn echo(from: impl Read + Send + 'static, mut to: impl Write + Send + 'static, log: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(std::io::Result::ok) {
            let _ = writeln!(to, "{line}");
            let mut log = log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            log.push_str(&line);
            log.push('\n');
        }
    });
}

/// Waits until the Worker answers and wrangler's start-up reload is over
/// ([`inflow_tests::worker::wait_ready`]): an apply sent during that reload would get wrangler's
/// "restarted mid-request" 503.
fn wait_healthy(edge: &str, wrangler: &mut Child, log: &Mutex<String>) -> Result<()> {
    let printed = || Ok(log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone());
    inflow_tests::worker::wait_ready(edge, wrangler, Duration::from_secs(180), printed).map_err(|e| {
        if printed().is_ok_and(|p| inflow_tests::worker::lost_a_port(&p)) {
            e.context(format!(
                "wrangler dev could not listen on a port (\"Address already in use\" above): if it \
                 names {edge}, stop what serves there or set PORT; else another process took \
                 workerd's port as it reloaded, and running cargo xtask dev again will do"
            ))
        } else {
            e
        }
    })
}

/// `inflow admin --edge EDGE apply tenants/*.toml` (in name order, so a file's partners are
/// known to the files after it) with the `ADMIN_KEY` the local Worker reads from `.dev.vars`.
fn apply_tenants(edge: &str) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(paths::root().join("tenants"))
        .context("reading tenants/")?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    files.sort();
    if files.is_empty() {
        return Ok(());
    }
    tools::run(
        Command::new(paths::root().join("target/debug/inflow"))
            .env("INFLOW_ADMIN_KEY", admin_key()?)
            .args(["admin", "--edge", edge, "apply"])
            .args(&files),
    )
    .context("applying tenants/*.toml (fix the file it names, then run cargo xtask dev again)")
}

/// `ADMIN_KEY` from `.dev.vars` (made from `.dev.vars.example` when absent).
fn admin_key() -> Result<String> {
    let vars = std::fs::read_to_string(paths::root().join(".dev.vars")).context("reading .dev.vars")?;
    vars.lines()
        .find_map(|l| l.trim().strip_prefix("ADMIN_KEY="))
        .map(|k| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty())
        .context(".dev.vars has no ADMIN_KEY (see .dev.vars.example)")
}

/// Ends wrangler (it ends its workerd on SIGTERM) and reaps it.
fn stop(wrangler: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &wrangler.id().to_string()])
        .status();
    let _ = wrangler.wait();
}
