//! Where things are, from the workspace root.

use std::path::PathBuf;

pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// A JS tool installed by `npm ci` (wrangler, wasm-opt, esbuild).
pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

/// A scratch directory under `target/`, unique to this process and purpose.
pub fn scratch(purpose: &str) -> PathBuf {
    root()
        .join("target")
        .join("inflow-scratch")
        .join(format!("{purpose}-{}", std::process::id()))
}
