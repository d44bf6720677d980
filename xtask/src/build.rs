//! Builds the two WebAssembly artefacts: the Worker (worker-build) and the widget
//! (wasm-bindgen --target web, then wasm-opt), plus the minified loader.

use std::process::Command;

use anyhow::Result;
use inflow_tests::paths;

use crate::tools::{self, run};

/// The size-tuned profile in the workspace Cargo.toml.
const PROFILE: &str = "wasm-release";

pub fn all() -> Result<()> {
    edge()?;
    widget()
}

pub fn edge() -> Result<()> {
    run(
        tools::worker_build_env(&mut Command::new(tools::cargo_bin("worker-build")))
            .args(["--profile", PROFILE])
            .current_dir(paths::root().join("edge")),
    )
}

pub fn widget() -> Result<()> {
    let root = paths::root();
    run(Command::new("cargo").current_dir(&root).args([
        "build",
        "-p",
        "inflow-widget",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let out = root.join("www/w");
    let wasm = root.join(format!("target/wasm32-unknown-unknown/{PROFILE}/inflow_widget.wasm"));
    run(Command::new(tools::cargo_bin("wasm-bindgen"))
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "inflow_widget",
            "--out-dir",
        ])
        .arg(&out)
        .arg(&wasm))?;
    let bg = out.join("inflow_widget_bg.wasm");
    run(Command::new(paths::node_bin("wasm-opt"))
        .args([
            // --flatten --rereloop before a second -Oz lets binaryen restructure yew's control flow.
            "-Oz",
            "--flatten",
            "--rereloop",
            "-Oz",
            "--converge",
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    // wasm-bindgen's glue is readable, not small; minifying it saves visitors ~2 KB gzip.
    let glue = out.join("inflow_widget.js");
    run(Command::new(paths::node_bin("esbuild"))
        .arg(&glue)
        .args([
            "--minify",
            "--format=esm",
            "--target=es2020",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", glue.display())))?;
    run(Command::new(paths::node_bin("esbuild"))
        .arg(root.join("widget/loader/widget.js"))
        .args(["--minify", "--target=es2020", "--log-level=warning"])
        .arg(format!("--outfile={}", root.join("www/widget.js").display())))
}
