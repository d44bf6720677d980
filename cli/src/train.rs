//! `inflow train`: 5-fold cross-validation to measure the learner and pick the number of trees,
//! then one fit on all rows, written as the artifact inflow-core embeds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use inflow_core::lead::propensity::{stratified_folds, Dataset, FoldResult, Params, Provenance};

use crate::data;

const FOLDS: usize = 5;

/// The shared data sits beside the repository (`../shared`), locally and in CI.
pub fn default_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/bank-marketing/train.csv")
}

pub fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/model/propensity.json")
}

pub fn run(data_path: &Path, out: &Path, seed: u64) -> Result<()> {
    let start = Instant::now();
    let (rows, labels) = data::read_labelled(data_path)?;
    let data = Dataset::new(&rows, &labels).context("preparing training data")?;
    let params = Params {
        seed,
        ..Params::default()
    };
    let positives = labels.iter().filter(|&&y| y).count();
    println!(
        "data: {} rows, {positives} positive ({:.2} %)",
        rows.len(),
        100.0 * positives as f64 / rows.len() as f64
    );
    println!("learner: {}", params.describe());

    let folds = stratified_folds(&labels, FOLDS, seed);
    let results = cross_validate(&data, &rows, &folds, &params);
    for (k, r) in results.iter().enumerate() {
        println!("fold {}: auc {:.4} with {} trees", k + 1, r.auc, r.trees);
    }
    let aucs: Vec<f64> = results.iter().map(|r| r.auc).collect();
    let mean = aucs.iter().sum::<f64>() / aucs.len() as f64;
    let sd = (aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (aucs.len() - 1) as f64).sqrt();
    println!("cv auc ({FOLDS}-fold, stratified, seed {seed}): {mean:.4} ± {sd:.4}");

    // Early stopping chose a tree count per fold; the final fit, on all rows, uses their mean.
    let trees = (results.iter().map(|r| r.trees).sum::<usize>() as f64 / results.len() as f64).round() as usize;
    let all: Vec<u32> = (0..rows.len() as u32).collect();
    let fit = data.fit(
        &all,
        &[],
        &Params {
            max_trees: trees.max(1),
            ..params.clone()
        },
    );
    let model = fit.model.with_provenance(Provenance {
        rows: rows.len(),
        seed,
        cv_auc: Some((mean * 10_000.0).round() / 10_000.0),
        params: format!("{} trees={}", params.describe(), fit.trees),
    });
    let json = model.to_json()?;
    std::fs::write(out, &json).with_context(|| format!("writing {}", out.display()))?;
    let shown = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    println!(
        "model: {} trees, {} bytes -> {}",
        model.n_trees(),
        json.len(),
        shown.display()
    );
    println!("train time: {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Folds run on as many threads as there are cores; results come back in fold order, so the
/// output does not depend on scheduling.
fn cross_validate(
    data: &Dataset,
    rows: &[inflow_core::lead::propensity::Features],
    folds: &[usize],
    params: &Params,
) -> Vec<FoldResult> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(FOLDS);
    let mut results: Vec<Option<FoldResult>> = vec![None; FOLDS];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    (t..FOLDS)
                        .step_by(threads)
                        .map(|k| (k, data.evaluate_fold(rows, folds, k, params)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A panicking fold is a bug in the learner; surface it rather than hide a fold.
            for (k, r) in h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                results[k] = Some(r);
            }
        }
    });
    results.into_iter().flatten().collect()
}
