//! Reading UCI-format files from disk; the parsing itself lives in inflow-core.

use std::path::Path;

use anyhow::{bail, Context, Result};
use inflow_core::lead::propensity::{self, uci, Features, Model};

/// Every row of `path`, in file order, with its label if the file has a `y` column.
pub fn read(path: &Path) -> Result<Vec<uci::Row>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (_, rows) = uci::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(rows)
}

/// Rows and labels of a file that must be labelled.
pub fn read_labelled(path: &Path) -> Result<(Vec<Features>, Vec<bool>)> {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (f, y) in read(path)? {
        let Some(y) = y else {
            bail!("{} has no \"y\" column: a labelled file is needed", path.display());
        };
        features.push(f);
        labels.push(y);
    }
    Ok((features, labels))
}

/// Scores and labels for a labelled file.
pub fn scored_labelled(model: &Model, path: &Path) -> Result<(Vec<f32>, Vec<bool>)> {
    let (features, labels) = read_labelled(path)?;
    let scores = features.iter().map(|f| propensity::score(model, f)).collect();
    Ok((scores, labels))
}
