//! Schemathesis (pinned in tests/schemathesis/requirements.txt, installed by `cargo xtask setup`
//! into target/schemathesis) against the real Worker under `wrangler dev`: every operation of
//! `/openapi.json` with examples, coverage, fuzzing and stateful phases and every check, postbacks
//! signed and reports authorised by tests/schemathesis/hooks.py. Any finding fails the suite.

use std::process::Command;
use std::time::Instant;

use inflow_tests::{paths, Worker};

/// Examples per operation and phase: bounded so the run stays within its share of CI. Measured on
/// the 2-core dev machine: about 95–120 s of Schemathesis, 125–145 s for the whole test with
/// `wrangler dev`'s start (its duration is printed).
const MAX_EXAMPLES: &str = "100";

#[test]
fn schemathesis_finds_nothing() {
    let bin = paths::root().join("target/schemathesis/bin/schemathesis");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo xtask setup` (it installs tests/schemathesis/requirements.txt)",
        bin.display()
    );
    let w = Worker::start().expect("wrangler dev starts");
    let dir = paths::root().join("tests/schemathesis");
    let started = Instant::now();
    let out = Command::new(&bin)
        .current_dir(paths::root())
        .env("SCHEMATHESIS_HOOKS", dir.join("hooks.py"))
        .env("NO_COLOR", "1")
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .arg("--config-file")
        .arg(dir.join("schemathesis.toml"))
        .args(["run", &w.url("/openapi.json"), "--url", &w.base])
        .args(["--checks", "all", "--phases", "examples,coverage,fuzzing,stateful"])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", "20261130"])
        .output()
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{report}");
    println!("schemathesis took {:.1} s", started.elapsed().as_secs_f64());
    assert!(out.status.success(), "schemathesis found problems:\n{report}");
}
