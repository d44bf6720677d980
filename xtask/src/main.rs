//! `cargo xtask <command>`: inflow's build, run, test and bench orchestration.

mod bench;
mod build;
mod dev;
mod model;
mod seed;
mod tools;

use std::process::Command;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask <dev | test | bench [reports | edge] | build | build-edge | build-widget | build-dashboard | seed-volume | setup>";

fn main() -> Result<()> {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match cmd.as_str() {
        "setup" => tools::ensure(),
        "build" => {
            tools::ensure()?;
            build::all()
        }
        // Called by wrangler's [build] command; the xtask has usually built already.
        "build-edge" if std::env::var_os("INFLOW_PREBUILT").is_some() => Ok(()),
        "build-edge" => build::edge(),
        "build-widget" => build::widget(),
        "build-dashboard" => build::dashboard(),
        "dev" => dev::run(),
        "seed-volume" => seed::volume(),
        "test" => test(),
        "bench" => {
            tools::ensure()?;
            build::all()?;
            // `cargo xtask bench reports|edge`: only those figures and their budgets.
            match std::env::args().nth(2).as_deref() {
                Some("reports") => bench::reports_only(),
                Some("edge") => bench::edge_only(),
                _ => bench::run(),
            }
        }
        _ => bail!("{USAGE}"),
    }
}

/// Every test: formatting, lints, core unit and property tests, the widget's reducer tests (native),
/// the CLI, and the end-to-end suite
/// against `wrangler dev` and headless Chromium, including the Schemathesis run against the
/// OpenAPI document (tests/tests/schemathesis.rs; `tools::ensure` installs it).
fn test() -> Result<()> {
    tools::ensure()?;
    build::all()?;
    tools::run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;
    tools::run(Command::new("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    tools::run(Command::new("cargo").args([
        "clippy",
        "-p",
        "inflow-edge",
        "-p",
        "inflow-widget",
        "-p",
        "inflow-dashboard",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    model::check()?;
    tools::run(Command::new("cargo").args(["test", "--workspace", "--exclude", "inflow-edge", "--no-fail-fast"]))
}
