//! The `inflow` binary as an operator or a bank runs it: `inflow admin --edge <worker> …` with
//! the key in `INFLOW_ADMIN_KEY`, or `inflow bank open` as a bank runs it ([`bank_open`]); and
//! the admin API called directly ([`call`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::bank::{agent, request, Answer};
use crate::{paths, Worker};

/// The operator's key: `ADMIN_KEY` in `.dev.vars.example`, which the harness passes to
/// `wrangler dev`.
pub const OPERATOR: &str = "dev-admin-key-not-secret-0001";

/// The `inflow` binary, built once per test process.
pub fn inflow() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .current_dir(paths::root())
                .args(["build", "-q", "-p", "inflow-cli"])
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building inflow-cli");
            paths::root().join("target/debug/inflow")
        })
        .clone()
}

/// What one run of the CLI did.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `inflow admin --edge <w> ARGS` from the workspace root with `key` in
/// `INFLOW_ADMIN_KEY`.
impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub fn admin(w: &Worker, key: &str, args: &[&str]) -> Run {
    let out = Command::new(inflow())
        .current_dir(paths::root())
        .env("INFLOW_ADMIN_KEY", key)
        .args(["admin", "--edge", &w.base])
        .args(args)
        .output()
        .expect("inflow runs");
    Run::from(out)
}

/// Runs `inflow bank open --key KEY EXPORT` from the workspace root, as a bank opens the sealed
/// contacts of a saved `GET /v1/bank/leads` answer with its private key (`KEY`, a path).
pub fn bank_open(key: &Path, export: &Path) -> Run {
    let out = Command::new(inflow())
        .current_dir(paths::root())
        .args(["bank", "open", "--key"])
        .arg(key)
        .arg(export)
        .output()
        .expect("inflow runs");
    Run::from(out)
}

/// As [`admin`], for a run that must succeed: its stdout.
pub fn admin_ok(w: &Worker, key: &str, args: &[&str]) -> String {
    let run = admin(w, key, args);
    assert!(
        run.success,
        "inflow admin {args:?} failed:\n{}{}",
        run.stdout, run.stderr
    );
    run.stdout
}

/// The value after `label` on its line of `out` (a token or secret the CLI prints once).
pub fn printed<'a>(out: &'a str, label: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim()))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{out}"))
}

/// An admin API call with `key` as the bearer (none: unauthenticated) and `body` as JSON.
pub fn call(w: &Worker, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> Answer {
    let mut req = agent().request(method, &w.url(path));
    if let Some(k) = key {
        req = req.set("authorization", &format!("Bearer {k}"));
    }
    match body {
        Some(b) => request(req.set("content-type", "application/json"), Some(&b.to_string())),
        None => request(req, None),
    }
}

/// The body of an answer that must have `status`.
pub fn ok(a: Answer, status: u16) -> Value {
    assert_eq!(a.status, status, "{:?}", a.body);
    a.body
}
