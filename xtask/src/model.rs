//! The propensity model: retrain it from the shared data, check it against the target and the
//! committed artifact, and report its figures.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use inflow_tests::paths;

use crate::tools::run;

/// scikit-learn's HistGradientBoostingClassifier reaches 0.799–0.801 on the same folds.
pub const AUC_TARGET: f64 = 0.800;

pub struct TrainReport {
    pub cv_auc: f64,
    pub seconds: f64,
    pub artifact_bytes: u64,
    pub reproducible: bool,
}

/// Retrains with the default seed into a scratch file and compares it with the embedded one.
pub fn train() -> Result<TrainReport> {
    let root = paths::root();
    run(Command::new("cargo")
        .current_dir(&root)
        .args(["build", "--release", "-q", "-p", "inflow-cli"]))?;
    let out = paths::scratch("model").join("propensity.json");
    std::fs::create_dir_all(out.parent().context("scratch dir")?)?;
    let start = Instant::now();
    let result = Command::new(root.join("target/release/inflow"))
        .current_dir(&root)
        .args(["train", "--out"])
        .arg(&out)
        .output()?;
    let seconds = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&result.stdout).into_owned() + &String::from_utf8_lossy(&result.stderr);
    if !result.status.success() {
        bail!("inflow train failed:\n{text}");
    }
    // "cv auc (5-fold, stratified, seed 42): 0.8008 ± 0.0088"
    let cv_auc = text
        .lines()
        .find(|l| l.starts_with("cv auc"))
        .and_then(|l| l.split(": ").nth(1))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("no cv auc in:\n{text}"))?;
    let trained = std::fs::read(&out)?;
    let committed = std::fs::read(root.join("core/model/propensity.json"))?;
    let _ = std::fs::remove_dir_all(out.parent().context("scratch dir")?);
    Ok(TrainReport {
        cv_auc,
        seconds,
        artifact_bytes: committed.len() as u64,
        reproducible: trained == committed,
    })
}

/// Fails unless the model meets the AUC target and retraining reproduces the committed artifact.
pub fn check() -> Result<()> {
    let r = train()?;
    println!(
        "model: cv auc {:.4} (target {AUC_TARGET}), {} bytes, trained in {:.1} s, reproducible: {}",
        r.cv_auc, r.artifact_bytes, r.seconds, r.reproducible
    );
    if r.cv_auc < AUC_TARGET {
        bail!("cv auc {:.4} is below the target {AUC_TARGET}", r.cv_auc);
    }
    if !r.reproducible {
        bail!("retraining with the default seed does not reproduce core/model/propensity.json");
    }
    Ok(())
}

/// Mean time per lead of the criterion bench `decide_lead`, in microseconds.
pub fn native_us_per_lead() -> Result<f64> {
    let root = paths::root();
    run(Command::new("cargo").current_dir(&root).args([
        "bench",
        "-q",
        "-p",
        "inflow-core",
        "--bench",
        "engine",
        "--",
        "--noplot",
    ]))?;
    let estimates = std::fs::read_to_string(root.join("target/criterion/decide_lead/new/estimates.json"))?;
    let v: serde_json::Value = serde_json::from_str(&estimates)?;
    let ns = v["mean"]["point_estimate"].as_f64().context("criterion mean")?;
    Ok(ns / 1000.0)
}

/// Microseconds per lead for the whole decision inside workerd: the bench route runs it `n`
/// times; the best of five round trips at n = 2,000 minus the best at n = 0, over n.
pub fn worker_us_per_lead(worker: &inflow_tests::Worker) -> Result<f64> {
    let best = |n: u32| -> Result<f64> {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            let body = ureq::get(&worker.url(&format!("/_bench/decide?n={n}")))
                .call()?
                .into_string()?;
            best = best.min(start.elapsed().as_secs_f64());
            if n > 0 && body.trim() == "0" {
                bail!("the bench route recommended nothing");
            }
        }
        Ok(best)
    };
    let n = 2_000;
    let _ = best(n)?; // warm the isolate: the catalogue and model are parsed on first use
    Ok((best(n)? - best(0)?) * 1e6 / f64::from(n))
}
