//! `wrangler dev` on a free port with its own D1 state, migrated and seeded: one per test
//! ([`Worker::start`]) or one per test binary, shared by its tests ([`shared`], [`alone`]);
//! or migrated with no seed at all ([`Worker::start_empty`]), for a test that onboards every
//! tenant itself.

use std::io::Read;
use std::ops::Deref;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::{free_port, paths};

pub struct Worker {
    pub base: String,
    pub port: u16,
    persist: PathBuf,
    child: Child,
    /// Ends `child`'s process group and removes `persist` when this process ends without
    /// dropping the Worker (a shared one lives in a static, which is never dropped; a test
    /// binary killed by a timeout drops nothing).
    watchdog: Child,
    /// `wrangler d1 execute` runs one at a time per Worker: the tests sharing it would
    /// otherwise open its SQLite file from several processes at once and meet `SQLITE_BUSY`.
    d1_turn: std::sync::Mutex<()>,
}

/// What the watchdog runs: it waits for its stdin (a pipe only this process writes) to close,
/// which the kernel does when this process ends however it ends, then ends wrangler's group
/// (`$1`, workerd included) and removes its D1 state (`$2`).
/// (`sh` is dash on Debian, whose `kill` takes a negative pid after the signal but not `--`.)
const WATCHDOG: &str =
    r#"read line; kill -TERM "-$1" 2>/dev/null; sleep 5; kill -KILL "-$1" 2>/dev/null; [ -n "$2" ] && rm -rf "$2""#;

/// Starts a watchdog that ends `group`'s process group (a child spawned with
/// `process_group(0)`: wrangler, workerd included) and removes `remove` (a path; may be empty)
/// when this process ends, however it ends — SIGTERM and SIGKILL included. Keep the returned
/// child (its stdin is the pipe) for as long as `group` should live.
pub fn watchdog(group: &Child, remove: &Path) -> std::io::Result<Child> {
    Command::new("sh")
        .args(["-c", WATCHDOG, "inflow-watchdog"])
        .arg(group.id().to_string())
        .arg(remove)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own group, so a Ctrl-C to this process does not end it before it ends the group.
        .process_group(0)
        .spawn()
}

/// One Worker per test binary, started by the first test that asks.
static SHARED: OnceLock<std::result::Result<Worker, String>> = OnceLock::new();

/// Tests on the shared Worker take turns through this lock: most share it (read), a test that
/// compares totals across the whole database takes it alone (write).
static TURNS: RwLock<()> = RwLock::new(());

/// Held, not read: dropping it ends the test's turn.
enum Turn {
    Together { _guard: RwLockReadGuard<'static, ()> },
    Alone { _guard: RwLockWriteGuard<'static, ()> },
}

/// The test binary's shared Worker for as long as a test holds this; derefs to [`Worker`].
pub struct Shared {
    worker: &'static Worker,
    _turn: Turn,
}

impl Deref for Shared {
    type Target = Worker;
    fn deref(&self) -> &Worker {
        self.worker
    }
}

fn shared_worker() -> &'static Worker {
    let started = SHARED.get_or_init(|| Worker::start().map_err(|e| format!("{e:#}")));
    match started {
        Ok(w) => w,
        // Every test of the binary fails with the first start's reason instead of retrying.
        Err(e) => panic!("the shared wrangler dev did not start: {e}"),
    }
}

/// The test binary's shared Worker, used alongside the binary's other tests: a test on it uses
/// its own partner, click, external and idempotency ids, and counts only its own rows.
pub fn shared() -> Shared {
    let turn = Turn::Together {
        _guard: TURNS.read().unwrap_or_else(PoisonError::into_inner),
    };
    Shared {
        worker: shared_worker(),
        _turn: turn,
    }
}

/// The test binary's shared Worker with no other test running on it until the guard is
/// dropped, for a test that counts rows across a whole table (that nothing was stored, say).
pub fn alone() -> Shared {
    // A test that failed while alone poisons the lock; the next one still gets its turn.
    let turn = Turn::Alone {
        _guard: TURNS.write().unwrap_or_else(PoisonError::into_inner),
    };
    Shared {
        worker: shared_worker(),
        _turn: turn,
    }
}

/// Runs `setup` once per test binary, the first time a test asks, and answers its result to
/// every test; when it panics, every test asking fails with its message instead of running it
/// again on the half-written state. For a scenario several named tests check.
pub fn once<T: Send + Sync>(
    cell: &'static OnceLock<std::result::Result<T, String>>,
    setup: impl FnOnce() -> T,
) -> &'static T {
    let done = cell.get_or_init(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(setup)).map_err(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".into())
        })
    });
    match done {
        Ok(v) => v,
        Err(e) => panic!("the shared setup failed: {e}"),
    }
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
    migrate_d1(persist)?;
    execute_file(persist, "edge/seed/demo.sql")?;
    if persist.is_none() {
        ensure_dev_vars()?;
    }
    Ok(())
}

/// Applies the migrations in `edge/migrations`, and nothing else, to the local D1 kept in
/// `persist` (wrangler's default state directory when `None`).
pub fn migrate_d1(persist: Option<&Path>) -> Result<()> {
    run(local_d1(persist, &["migrations", "apply"], &[])).context("applying D1 migrations")?;
    Ok(())
}

/// Runs a SQL file (a path from the workspace root, e.g. `edge/seed/volume.sql`) against the
/// local D1 kept in `persist` (wrangler's default state directory when `None`).
pub fn execute_file(persist: Option<&Path>, file: &str) -> Result<()> {
    run(local_d1(persist, &["execute"], &["--file", file])).with_context(|| format!("running {file}"))?;
    Ok(())
}

/// The local default (`cargo xtask dev`) reads secrets from `.dev.vars`, which is gitignored:
/// a fresh clone gets the documented local values from `.dev.vars.example`, and an older
/// `.dev.vars` gets the names added to the example since (appended with their local values;
/// the values it has are kept), so a new Worker secret does not break an existing checkout.
pub fn ensure_dev_vars() -> Result<()> {
    let vars = paths::root().join(".dev.vars");
    let example = paths::root().join(".dev.vars.example");
    if !vars.exists() {
        std::fs::copy(&example, &vars).context("creating .dev.vars from .dev.vars.example")?;
        return Ok(());
    }
    let have = std::fs::read_to_string(&vars).context("reading .dev.vars")?;
    let name = |line: &str| -> Option<String> {
        let line = line.trim();
        (!line.starts_with('#'))
            .then(|| line.split_once('=').map(|(n, _)| n.trim().to_string()))
            .flatten()
    };
    let known: Vec<String> = have.lines().filter_map(name).collect();
    let wanted = std::fs::read_to_string(&example).context("reading .dev.vars.example")?;
    let missing: Vec<&str> = wanted
        .lines()
        .filter(|l| name(l).is_some_and(|n| !known.contains(&n)))
        .map(str::trim)
        .collect();
    if !missing.is_empty() {
        let mut text = have;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        for line in missing {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(&vars, text).context("adding new names to .dev.vars")?;
    }
    Ok(())
}

/// SQLite's "the database is locked" (`SQLITE_BUSY`), after which the statement did nothing.
fn is_busy(e: &anyhow::Error) -> bool {
    let text = format!("{e:#}");
    text.contains("SQLITE_BUSY") || text.contains("database is locked")
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
    copy_of(&template(Some("edge/seed/demo.sql"))?)
}

/// A new local D1 state directory, migrated, with no row in any table.
pub fn empty_d1() -> Result<PathBuf> {
    copy_of(&template(None)?)
}

/// A local D1 state directory migrated (and seeded with `seed`, a SQL file from the workspace
/// root), made once per content of `edge/migrations` and the seed and copied for each Worker.
/// Migrating and seeding through wrangler took ~18 s of each Worker's ~22 s start, some 60
/// times a suite; a copy of the SQLite files is the same state (wrangler names them by the
/// binding, not the directory). Made under a temporary name and renamed, so a test binary
/// running beside another never copies a half-made one.
fn template(seed: Option<&str>) -> Result<PathBuf> {
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut hash = Sha256::new();
    let mut migrations: Vec<PathBuf> = std::fs::read_dir(paths::root().join("edge/migrations"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    migrations.sort();
    for file in migrations.iter().map(PathBuf::as_path).chain(seed.map(Path::new)) {
        hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.update(std::fs::read(paths::root().join(file))?);
    }
    let name = format!("d1-template-{:x}", hash.finalize());
    let made = paths::root().join("target").join("inflow-scratch").join(&name[..28]);
    if made.exists() {
        return Ok(made);
    }
    let making = paths::scratch(&format!("{}-making", &name[..28]));
    let _ = std::fs::remove_dir_all(&making);
    std::fs::create_dir_all(&making)?;
    migrate_d1(Some(&making))?;
    if let Some(seed) = seed {
        execute_file(Some(&making), seed)?;
    }
    if std::fs::rename(&making, &made).is_err() {
        // Another test binary made it first: the same content.
        std::fs::remove_dir_all(&making)?;
    }
    Ok(made)
}

/// A new state directory holding a copy of `template`'s files.
fn copy_of(template: &Path) -> Result<PathBuf> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let persist = paths::scratch(&format!("d1-{n}"));
    let _ = std::fs::remove_dir_all(&persist);
    copy_dir(template, &persist).with_context(|| format!("copying {}", template.display()))?;
    Ok(persist)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Whether wrangler's start-up reload is behind it. With a `[build]` command, wrangler builds
/// once, then builds and reloads the Worker again when its file watcher on `watch_dir` reports
/// ready (wrangler 4's `BundlerController`), which on a loaded machine comes after the first
/// "Ready on". That reload restarts workerd, and a POST in flight then gets wrangler's own 503
/// ("Your worker restarted mid-request"), which CI met as a failed postback. So a Worker is
/// ready once the log shows that rebuild and a server ready after it. (`cargo xtask dev` waits
/// for the same before it applies the tenant files.)
pub fn settled(log: &str) -> bool {
    log.find("changed, restarting build").is_some_and(|at| {
        let after = &log[at..];
        after.contains("Ready on") || after.contains("Local server updated and ready")
    })
}

/// Whether wrangler failed because a port it listens on was taken. Besides the ports it is
/// given, workerd listens on ports the system picks at its first start and binds them again
/// when wrangler's start-up reload (see [`settled`]) restarts it; in between, the system may
/// hand the same port to another process's outgoing connection (the ephemeral range is
/// shared), and workerd then dies with "Address already in use" (CI met it in
/// `schemathesis`). Nothing in the Worker is wrong, so the start is tried again.
pub fn lost_a_port(log: &str) -> bool {
    log.contains("Address already in use")
}

/// Spawns `wrangler dev` on new ports over the D1 state in `persist`, with its watchdog;
/// returns them and the port it serves on.
fn spawn(persist: &Path, extra: &[&str]) -> Result<(Child, Child, u16)> {
    let port = free_port()?;
    let inspector = free_port()?;
    let log = std::fs::File::create(persist.join("wrangler.log"))?;
    let mut cmd = wrangler();
    cmd.args(["dev", "--ip", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .arg("--inspector-port")
        .arg(inspector.to_string())
        .arg("--persist-to")
        .arg(persist)
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
    cmd.process_group(0);
    let mut child = cmd.spawn().context("starting wrangler dev")?;
    match watchdog(&child, persist) {
        Ok(dog) => Ok((child, dog, port)),
        Err(e) => {
            crate::stop_group(&mut child);
            Err(e).context("starting the wrangler watchdog")
        }
    }
}

/// Waits until the Worker at `base` answers `/healthz` and wrangler's start-up reload is over
/// ([`settled`]), reading what wrangler (`child`) has printed with `log`; fails at once when
/// wrangler exits or lost a port ([`lost_a_port`]), else after `limit`. The tests' Workers and
/// `cargo xtask dev` wait with it.
pub fn wait_ready(base: &str, child: &mut Child, limit: Duration, log: impl Fn() -> Result<String>) -> Result<()> {
    let start = Instant::now();
    let url = format!("{base}/healthz");
    while start.elapsed() < limit {
        let printed = log()?;
        if settled(&printed) && ureq::get(&url).timeout(Duration::from_secs(2)).call().is_ok() {
            return Ok(());
        }
        if lost_a_port(&printed) {
            bail!("wrangler dev lost a port:\n{printed}")
        }
        if let Some(status) = child.try_wait()? {
            bail!("wrangler dev exited ({status}) before it was ready:\n{}", log()?)
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!(
        "wrangler dev did not become healthy and settled in {limit:?}:\n{}",
        log()?
    )
}

/// What the wrangler started on `persist` has printed so far.
fn read_log(persist: &Path) -> Result<String> {
    let mut log = String::new();
    std::fs::File::open(persist.join("wrangler.log"))?.read_to_string(&mut log)?;
    Ok(log)
}

impl Worker {
    /// Starts a fresh Worker with an empty, migrated and seeded D1. The Worker must already be
    /// built (`cargo xtask build`).
    pub fn start() -> Result<Worker> {
        Worker::start_with(&[])
    }

    /// Starts a fresh Worker on a migrated D1 with no seed: no bank, partner, key or secret
    /// until a test onboards them (through the admin API, as an operator would).
    pub fn start_empty() -> Result<Worker> {
        Worker::start_on(empty_d1()?, &[])
    }

    /// As [`Worker::start`], with extra `wrangler dev` arguments (e.g. `--var NAME:VALUE`).
    pub fn start_with(extra: &[&str]) -> Result<Worker> {
        Worker::start_on(fresh_d1()?, extra)
    }

    /// Starts on the D1 state in `persist`, made by [`fresh_d1`] and perhaps loaded further
    /// (e.g. with [`execute_file`]); the Worker removes it when dropped.
    ///
    /// A start that loses a port (see [`lost_a_port`]) is tried again on new ports, up to three
    /// times in all; any other failure is returned at once.
    pub fn start_on(persist: PathBuf, extra: &[&str]) -> Result<Worker> {
        let mut tries = 0;
        loop {
            tries += 1;
            let (mut child, mut watchdog, port) = match spawn(&persist, extra) {
                Ok(started) => started,
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&persist);
                    return Err(e);
                }
            };
            let base = format!("http://127.0.0.1:{port}");
            let healthy = wait_ready(&base, &mut child, Duration::from_secs(120), || read_log(&persist));
            let log = read_log(&persist).unwrap_or_default();
            if healthy.is_err() && lost_a_port(&log) && tries < 3 {
                crate::stop_group(&mut child);
                // Killed, the watchdog leaves the D1 state for the next try.
                let _ = watchdog.kill();
                let _ = watchdog.wait();
                eprintln!("wrangler dev lost a port to another process; starting it again");
                continue;
            }
            // Built before the check, so a failed start still ends its group and removes its
            // state (Drop).
            let worker = Worker {
                base,
                port,
                persist,
                child,
                watchdog,
                d1_turn: std::sync::Mutex::new(()),
            };
            healthy?;
            return Ok(worker);
        }
    }

    /// What wrangler has printed so far.
    pub fn log(&self) -> Result<String> {
        read_log(&self.persist)
    }

    /// Runs SQL against this Worker's local D1 through wrangler (not through the Worker), and
    /// returns the rows.
    pub fn d1(&self, sql: &str) -> Result<Vec<serde_json::Value>> {
        let _turn = self.d1_turn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tries = 0;
        let out = loop {
            match run(local_d1(
                Some(&self.persist),
                &["execute"],
                &["--json", "--command", sql],
            )) {
                Ok(out) => break out,
                // The Worker itself was using the database: nothing was done, so trying again is
                // safe. Up to ~30 s: after a burst (5,000 postbacks) the queue consumer still
                // works through one event per invocation, each touching D1, and 5 tries in 3 s
                // were not enough (ledger_load failed with SQLITE_BUSY_SNAPSHOT).
                Err(e) if tries < 20 && is_busy(&e) => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis((250 * tries).min(2_000)));
                }
                Err(e) => return Err(e),
            }
        };
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
        // Done here already: the watchdog goes without doing it again.
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
        let _ = std::fs::remove_dir_all(&self.persist);
    }
}

#[cfg(test)]
mod tests {
    use super::{lost_a_port, settled, watchdog};
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::path::Path;
    use std::process::Command;

    #[test]
    fn the_watchdog_ends_the_group_when_its_owner_lets_go() {
        // What a SIGTERM or SIGKILL to the owner does to the pipe: the kernel closes it.
        let mut group = Command::new("sh")
            .args(["-c", "sleep 60 & wait"])
            .process_group(0)
            .spawn()
            .expect("sh");
        let mut dog = watchdog(&group, Path::new("")).expect("watchdog");
        drop(dog.stdin.take());
        let status = group.wait().expect("wait");
        assert_eq!(status.signal(), Some(15), "ended by SIGTERM: {status:?}");
        // It would go on to SIGKILL the (ended) group after 5 s; nothing left to wait for.
        let _ = dog.kill();
        let _ = dog.wait();
    }

    // wrangler 4.86's lines, in the two orders a start can print them.
    const BUILD: &str = "[custom build] Running: cargo xtask build-edge\n";
    const RESTART: &str = "The file edge/src,core/src changed, restarting build...\n";
    const READY: &str = "[wrangler:info] Ready on http://127.0.0.1:42201\n";
    const UPDATED: &str = "⎔ Reloading local server...\n⎔ Local server updated and ready\n";

    #[test]
    fn a_worker_is_settled_only_once_a_server_is_ready_after_the_watchers_rebuild() {
        assert!(!settled(""));
        assert!(!settled(&format!("{BUILD}{READY}")), "the reload is still to come");
        assert!(!settled(&format!("{BUILD}{READY}{RESTART}{BUILD}")), "reloading");
        assert!(settled(&format!("{BUILD}{READY}{RESTART}{BUILD}{UPDATED}")));
        assert!(
            settled(&format!("{BUILD}{RESTART}{BUILD}{READY}")),
            "the rebuild came first"
        );
    }

    #[test]
    fn a_start_whose_workerd_lost_a_port_to_another_process_is_told_apart() {
        // What CI printed when workerd's restart found its port taken (stop 19, schemathesis).
        let lost = "*** Fatal uncaught kj::Exception: kj/async-io-unix.c++:945: failed: \
                    ::bind(sockfd, &addr.generic, addrlen): Address already in use; \
                    toString() = 127.0.0.1:46433\n";
        assert!(lost_a_port(&format!("{BUILD}{READY}{RESTART}{BUILD}{lost}")));
        assert!(!lost_a_port(&format!("{BUILD}{READY}{RESTART}{BUILD}{UPDATED}")));
    }
}
