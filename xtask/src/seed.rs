//! `cargo xtask seed-volume`: the report benchmark's volume — 1,000,000 funnel events and 50,000
//! conversions with their leads and clicks over the last 90 days, ten more Demo Bank partners —
//! in the local D1 that `cargo xtask dev` serves. `cargo xtask bench` loads the same file into
//! its own fresh D1.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use inflow_tests::worker;

pub const VOLUME_SQL: &str = "edge/seed/volume.sql";

pub fn volume() -> Result<()> {
    crate::tools::ensure()?;
    worker::prepare_d1(None)?;
    let seconds = load(None)?;
    println!("seed-volume: {VOLUME_SQL} in {seconds:.1} s (running it again adds nothing)");
    println!("seed-volume: partner report key rk_vol-01_local, bank report key rk_bank_demo_local");
    Ok(())
}

/// Loads the volume into the local D1 in `persist` (the default state when `None`), which must
/// be migrated and hold the demo seed; returns the seconds it took.
pub fn load(persist: Option<&Path>) -> Result<f64> {
    let start = Instant::now();
    worker::execute_file(persist, VOLUME_SQL)?;
    Ok(start.elapsed().as_secs_f64())
}
