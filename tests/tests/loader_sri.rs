//! The README publishes the loader's Subresource Integrity hash for banks to paste; it must be
//! the hash of the loader the build produces, and stay within its 3 KB budget.

use base64::Engine;
use inflow_tests::paths;
use sha2::{Digest, Sha384};

#[test]
fn readme_publishes_the_built_loaders_integrity_hash() {
    let loader = std::fs::read(paths::root().join("www/widget.js")).expect("built loader (cargo xtask build)");
    let hash = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&loader))
    );
    let readme = std::fs::read_to_string(paths::root().join("README.md")).expect("README");
    assert!(
        readme.contains(&format!("integrity=\"{hash}\"")),
        "README must publish integrity=\"{hash}\" for the current loader"
    );
}
