//! Installs what the build and tests need, from the registries only. Each tool is checked first
//! so a warm machine does nothing here.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};
use inflow_tests::paths;

pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn on_path(bin: &str) -> bool {
    output("sh", &["-c", &format!("command -v {bin}")]).is_some()
}

/// The version Cargo.lock pins for `package`.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(paths::root().join("Cargo.lock"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let len = lock[start..].find('"').unwrap_or(0);
    Ok(lock[start..start + len].to_string())
}

pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}

fn cargo_install(krate: &str, bin: &str, version: &str) -> Result<()> {
    let have = output(cargo_bin(bin).to_str().unwrap_or(bin), &["--version"]).unwrap_or_default();
    // `wasm-bindgen 0.2.130` and worker-build's bare `0.8.7` both end with the version.
    if have.split_whitespace().last() == Some(version) {
        return Ok(());
    }
    println!("xtask: installing {krate} {version}");
    // wasm-bindgen-cli does not build with --locked (a locked dependency was yanked).
    run(Command::new("cargo").args(["install", krate, "--version", version]))
}

fn apt_install(packages: &[&str]) -> Result<()> {
    println!("xtask: installing {}", packages.join(" "));
    let root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let prefix: &[&str] = if root { &[] } else { &["sudo", "-n"] };
    let sh = |args: &[&str]| {
        let mut all: Vec<&str> = prefix.to_vec();
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    sh(&["apt-get", "update", "-qq"])?;
    let mut install = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    sh(&install)
}

pub fn ensure() -> Result<()> {
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    cargo_install("wasm-bindgen-cli", "wasm-bindgen", &locked_version("wasm-bindgen")?)?;
    cargo_install("worker-build", "worker-build", &locked_version("worker")?)?;
    let lock = paths::root().join("package-lock.json");
    let installed = paths::root().join("node_modules/.package-lock.json");
    let stale = match (lock.metadata(), installed.metadata()) {
        (Ok(l), Ok(i)) => l.modified()? > i.modified()?,
        _ => true,
    };
    if stale {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(paths::root()))?;
    }
    let missing: Vec<&str> = [
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
        ("wrk", "wrk"),
    ]
    .into_iter()
    .filter(|(bin, _)| !on_path(bin))
    .map(|(_, pkg)| pkg)
    .collect();
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    ensure_schemathesis()
}

/// Schemathesis, the API fuzzer the e2e suite runs (tests/tests/schemathesis.rs), at the version
/// pinned in tests/schemathesis/requirements.txt, in a virtualenv at target/schemathesis made
/// with the machine's `python3` (3.11 or later) and pip from PyPI.
fn ensure_schemathesis() -> Result<()> {
    let requirements = paths::root().join("tests/schemathesis/requirements.txt");
    let pinned = std::fs::read_to_string(&requirements)?
        .lines()
        .find_map(|l| l.trim().strip_prefix("schemathesis==").map(str::to_string))
        .context("tests/schemathesis/requirements.txt pins no schemathesis version")?;
    let venv = paths::root().join("target/schemathesis");
    let bin = venv.join("bin/schemathesis");
    let have = output(bin.to_str().unwrap_or("schemathesis"), &["--version"]).unwrap_or_default();
    if have.split_whitespace().last() == Some(pinned.as_str()) {
        return Ok(());
    }
    println!("xtask: installing schemathesis {pinned}");
    if !venv.join("bin/pip").exists() {
        let mut cmd = Command::new("python3");
        cmd.arg("-m").arg("venv").arg(&venv);
        if run(&mut cmd).is_err() {
            // Debian's python3 needs python3-venv for `-m venv`.
            apt_install(&["python3-venv"])?;
            run(Command::new("python3").arg("-m").arg("venv").arg("--clear").arg(&venv))?;
        }
    }
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))
}

/// Environment that makes worker-build use local tools instead of downloading its own.
pub fn worker_build_env(cmd: &mut Command) -> &mut Command {
    cmd.env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", paths::node_bin("wasm-opt"))
        .env("ESBUILD_BIN", paths::node_bin("esbuild"))
}
