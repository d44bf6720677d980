//! `wrangler dev` on a free port with its own D1 state, migrated and seeded.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{free_port, paths};

pub struct Worker {
    pub base: String,
    pub port: u16,
    persist: PathBuf,
    child: Child,
}

fn wrangler() -> Command {
    let mut cmd = Command::new(paths::node_bin("wrangler"));
    cmd.current_dir(paths::root())
        .env("CI", "true")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("INFLOW_PREBUILT", "1")
        .env("NO_COLOR", "1");
    cmd
}

/// `wrangler d1 <verb…> DB --local <args…>` on the local D1 kept in `persist` (wrangler's
/// default state directory when `None`).
fn local_d1(persist: Option<&Path>, verb: &[&str], args: &[&str]) -> Command {
    let mut cmd = wrangler();
    cmd.arg("d1").args(verb).args(["DB", "--local"]).args(args);
    if let Some(p) = persist {
        cmd.arg("--persist-to").arg(p);
    }
    cmd
}

/// Applies the migrations in `edge/migrations` and the demo seed to the local D1 kept in
/// `persist` (wrangler's default state directory when `None`).
pub fn prepare_d1(persist: Option<&Path>) -> Result<()> {
    run(local_d1(persist, &["migrations", "apply"], &[])).context("applying D1 migrations")?;
    execute_file(persist, "edge/seed/demo.sql")?;
    if persist.is_none() {
        ensure_dev_vars()?;
    }
    Ok(())
}

/// Runs a SQL file (a path from the workspace root, e.g. `edge/seed/volume.sql`) against the
/// local D1 kept in `persist` (wrangler's default state directory when `None`).
pub fn execute_file(persist: Option<&Path>, file: &str) -> Result<()> {
    run(local_d1(persist, &["execute"], &["--file", file])).with_context(|| format!("running {file}"))?;
    Ok(())
}

/// The local default (`cargo xtask dev`) reads secrets from `.dev.vars`, which is gitignored:
/// a fresh clone gets the documented local values from `.dev.vars.example`.
pub fn ensure_dev_vars() -> Result<()> {
    let vars = paths::root().join(".dev.vars");
    if !vars.exists() {
        std::fs::copy(paths::root().join(".dev.vars.example"), &vars)
            .context("creating .dev.vars from .dev.vars.example")?;
    }
    Ok(())
}

fn run(mut cmd: Command) -> Result<String> {
    let out = cmd.stdin(Stdio::null()).output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!("{:?} failed: {}\n{}", cmd, stdout, String::from_utf8_lossy(&out.stderr));
    }
    Ok(stdout)
}

/// A new local D1 state directory, migrated and seeded with the demo data.
pub fn fresh_d1() -> Result<PathBuf> {
    let persist = paths::scratch(&format!("d1-{}", free_port()?));
    std::fs::create_dir_all(&persist)?;
    prepare_d1(Some(&persist))?;
    Ok(persist)
}

impl Worker {
    /// Starts a fresh Worker with an empty, migrated and seeded D1. The Worker must already be
    /// built (`cargo xtask build`).
    pub fn start() -> Result<Worker> {
        Worker::start_with(&[])
    }

    /// As [`Worker::start`], with extra `wrangler dev` arguments (e.g. `--var NAME:VALUE`).
    pub fn start_with(extra: &[&str]) -> Result<Worker> {
        Worker::start_on(fresh_d1()?, extra)
    }

    /// Starts on the D1 state in `persist`, made by [`fresh_d1`] and perhaps loaded further
    /// (e.g. with [`execute_file`]); the Worker removes it when dropped.
    pub fn start_on(persist: PathBuf, extra: &[&str]) -> Result<Worker> {
        let port = free_port()?;
        let inspector = free_port()?;
        let log = std::fs::File::create(persist.join("wrangler.log"))?;
        let mut cmd = wrangler();
        cmd.args(["dev", "--ip", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("--inspector-port")
            .arg(inspector.to_string())
            .arg("--persist-to")
            .arg(&persist)
            .arg("--show-interactive-dev-session=false")
            // Lets tests fire the cron trigger at /__scheduled.
            .arg("--test-scheduled")
            // The documented local secrets, whatever a developer keeps in .dev.vars.
            .arg("--env-file")
            .arg(paths::root().join(".dev.vars.example"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
        let child = cmd.spawn().context("starting wrangler dev")?;
        let worker = Worker {
            base: format!("http://127.0.0.1:{port}"),
            port,
            persist,
            child,
        };
        worker.wait_healthy(Duration::from_secs(120))?;
        Ok(worker)
    }

    fn wait_healthy(&self, limit: Duration) -> Result<()> {
        let start = Instant::now();
        let url = format!("{}/healthz", self.base);
        while start.elapsed() < limit {
            if ureq::get(&url).timeout(Duration::from_secs(2)).call().is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let mut log = String::new();
        std::fs::File::open(self.persist.join("wrangler.log"))?.read_to_string(&mut log)?;
        bail!("wrangler dev did not become healthy in {limit:?}:\n{log}")
    }

    /// Runs SQL against this Worker's local D1 through wrangler (not through the Worker), and
    /// returns the rows.
    pub fn d1(&self, sql: &str) -> Result<Vec<serde_json::Value>> {
        let out = run(local_d1(
            Some(&self.persist),
            &["execute"],
            &["--json", "--command", sql],
        ))?;
        let parsed: serde_json::Value =
            serde_json::from_str(&out).with_context(|| format!("wrangler output: {out}"))?;
        Ok(parsed[0]["results"].as_array().cloned().unwrap_or_default())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // wrangler spawns workerd: end the whole process group, not just the node parent.
        crate::stop_group(&mut self.child);
        let _ = std::fs::remove_dir_all(&self.persist);
    }
}
