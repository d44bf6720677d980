//! Builds the WebAssembly artefacts: the Worker (worker-build), the widget and the dashboard
//! (wasm-bindgen --target web, then wasm-opt and a minified glue), plus the widget's loader.

use std::path::Path;
use std::process::Command;

use anyhow::Result;
use inflow_tests::paths;

use crate::tools::{self, run};

/// The size-tuned profile in the workspace Cargo.toml.
const PROFILE: &str = "wasm-release";

/// Binaryen features Rust's wasm32 output uses; wasm-opt must accept them all.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn all() -> Result<()> {
    edge()?;
    widget()?;
    dashboard()
}

pub fn edge() -> Result<()> {
    run(
        tools::worker_build_env(&mut Command::new(tools::cargo_bin("worker-build")))
            .args(["--profile", PROFILE])
            .current_dir(paths::root().join("edge")),
    )
}

/// Compiles `package` for the browser into `out` as `{name}.js` (minified ES module glue) and
/// `{name}_bg.wasm`, shrunk by wasm-opt with `passes`.
fn web_module(package: &str, name: &str, out: &Path, passes: &[&str]) -> Result<()> {
    let root = paths::root();
    run(Command::new("cargo").current_dir(&root).args([
        "build",
        "-p",
        package,
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let wasm = root.join(format!("target/wasm32-unknown-unknown/{PROFILE}/{name}.wasm"));
    run(Command::new(tools::cargo_bin("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out)
        .arg(&wasm))?;
    let bg = out.join(format!("{name}_bg.wasm"));
    run(Command::new(paths::node_bin("wasm-opt"))
        .args(passes)
        .args(["--strip-debug", "--strip-producers"])
        .args(WASM_FEATURES)
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    // wasm-bindgen's glue is readable, not small; minifying it saves visitors ~2 KB gzip.
    let glue = out.join(format!("{name}.js"));
    run(Command::new(paths::node_bin("esbuild"))
        .arg(&glue)
        .args([
            "--minify",
            "--format=esm",
            "--target=es2020",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", glue.display())))
}

pub fn widget() -> Result<()> {
    let root = paths::root();
    web_module(
        "inflow-widget",
        "inflow_widget",
        &root.join("www/w"),
        // --flatten --rereloop before a second -Oz lets binaryen restructure yew's control flow.
        &["-Oz", "--flatten", "--rereloop", "-Oz", "--converge"],
    )?;
    run(Command::new(paths::node_bin("esbuild"))
        .arg(root.join("widget/loader/widget.js"))
        .args(["--minify", "--target=es2020", "--log-level=warning"])
        .arg(format!("--outfile={}", root.join("www/widget.js").display())))
}

/// The report dashboard, into `www/dashboard/pkg/` (gitignored), loaded by
/// `www/dashboard/main.js`. It has no size budget, so one -Oz pass is enough.
pub fn dashboard() -> Result<()> {
    web_module(
        "inflow-dashboard",
        "inflow_dashboard",
        &paths::root().join("www/dashboard/pkg"),
        &["-Oz"],
    )
}
