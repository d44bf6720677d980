//! `cargo xtask bench`: one `name: value` line per figure.

use anyhow::Result;

pub fn run() -> Result<()> {
    Ok(())
}
