//! Training data as the learner wants it: every feature reduced to a small bin index, plus the
//! seeded shuffles that cross-validation and early stopping need.

use std::fmt;

use super::features::{Features, Value, FEATURE_NAMES, N_FEATURES};
use super::tree::MAX_CATEGORIES;

/// Bins per numeric feature. UCI's numeric columns have at most a few hundred distinct values,
/// so this mostly keeps every value in its own bin.
const MAX_BINS: usize = 255;

pub struct Dataset {
    /// Per feature, the bin of every row.
    pub(crate) cols: Vec<Vec<u8>>,
    /// Numeric features: the largest value in each bin, so "bin ≤ b" means "value ≤ edges[b]".
    pub(crate) edges: Vec<Vec<f32>>,
    /// Categorical features: the categories seen, sorted; a row's bin is its index here.
    pub(crate) categories: Vec<Vec<String>>,
    pub(crate) labels: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TrainError {
    Empty,
    LengthMismatch {
        rows: usize,
        labels: usize,
    },
    /// The learner needs complete rows; "unknown" is a category, not a gap.
    MissingValue {
        row: usize,
        feature: &'static str,
    },
    TooManyCategories {
        feature: &'static str,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Empty => write!(f, "no training rows"),
            TrainError::LengthMismatch { rows, labels } => {
                write!(f, "{rows} rows but {labels} labels")
            }
            TrainError::MissingValue { row, feature } => {
                write!(f, "row {row}: {feature} is missing")
            }
            TrainError::TooManyCategories { feature } => {
                write!(f, "{feature} has more than {MAX_CATEGORIES} categories")
            }
        }
    }
}

impl std::error::Error for TrainError {}

impl Dataset {
    pub fn new(rows: &[Features], labels: &[bool]) -> Result<Dataset, TrainError> {
        if rows.len() != labels.len() {
            return Err(TrainError::LengthMismatch {
                rows: rows.len(),
                labels: labels.len(),
            });
        }
        if rows.is_empty() {
            return Err(TrainError::Empty);
        }
        let mut cols = Vec::with_capacity(N_FEATURES);
        let mut edges = Vec::with_capacity(N_FEATURES);
        let mut categories = Vec::with_capacity(N_FEATURES);
        for (i, feature) in FEATURE_NAMES.iter().copied().enumerate() {
            let missing = |row| TrainError::MissingValue { row, feature };
            let values: Vec<Value<'_>> = rows.iter().map(|r| r.value(i)).collect();
            if let Value::Num(_) = values[0] {
                let nums = values
                    .iter()
                    .enumerate()
                    .map(|(row, v)| match v {
                        Value::Num(x) if !x.is_nan() => Ok(*x),
                        _ => Err(missing(row)),
                    })
                    .collect::<Result<Vec<f32>, _>>()?;
                let e = numeric_edges(&nums);
                cols.push(nums.iter().map(|&x| bin_of(&e, x)).collect());
                edges.push(e);
                categories.push(Vec::new());
            } else {
                let cats = values
                    .iter()
                    .enumerate()
                    .map(|(row, v)| match v {
                        Value::Cat(Some(c)) => Ok(*c),
                        _ => Err(missing(row)),
                    })
                    .collect::<Result<Vec<&str>, _>>()?;
                let mut vocab: Vec<&str> = cats.clone();
                vocab.sort_unstable();
                vocab.dedup();
                if vocab.len() > MAX_CATEGORIES {
                    return Err(TrainError::TooManyCategories { feature });
                }
                let code = |c: &str| vocab.binary_search(&c).map_or(0, |k| k as u8);
                cols.push(cats.iter().map(|c| code(c)).collect());
                edges.push(Vec::new());
                categories.push(vocab.iter().map(|c| c.to_string()).collect());
            }
        }
        Ok(Dataset {
            cols,
            edges,
            categories,
            labels: labels.to_vec(),
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn labels(&self) -> &[bool] {
        &self.labels
    }

    pub(crate) fn n_bins(&self, f: usize) -> usize {
        self.edges[f].len().max(self.categories[f].len())
    }
}

/// Bin upper edges: each distinct value if there are few enough, else roughly equal-count bins.
fn numeric_edges(values: &[f32]) -> Vec<f32> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f32::total_cmp);
    let mut distinct: Vec<(f32, usize)> = Vec::new();
    for &v in &sorted {
        match distinct.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => distinct.push((v, 1)),
        }
    }
    if distinct.len() <= MAX_BINS {
        return distinct.into_iter().map(|(v, _)| v).collect();
    }
    let per_bin = sorted.len().div_ceil(MAX_BINS);
    let mut edges = Vec::with_capacity(MAX_BINS);
    let mut filled = 0;
    for (v, n) in distinct {
        filled += n;
        if filled >= per_bin && edges.len() < MAX_BINS - 1 {
            edges.push(v);
            filled = 0;
        }
    }
    // The top bin takes whatever the equal-count bins left over.
    if let Some(&last) = sorted.last() {
        if edges.last() != Some(&last) {
            edges.push(last);
        }
    }
    edges
}

fn bin_of(edges: &[f32], x: f32) -> u8 {
    edges.partition_point(|&e| e < x).min(edges.len().saturating_sub(1)) as u8
}

/// SplitMix64: tiny, seedable and the same on every platform, which is all reproducible
/// shuffles and row sampling need.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Each row's fold in 0..k, with both classes spread evenly over the folds.
pub fn stratified_folds(labels: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut fold = vec![0; labels.len()];
    let mut rng = Rng::new(seed);
    for class in [false, true] {
        let mut rows: Vec<usize> = (0..labels.len()).filter(|&r| labels[r] == class).collect();
        rng.shuffle(&mut rows);
        for (i, r) in rows.into_iter().enumerate() {
            fold[r] = i % k.max(1);
        }
    }
    fold
}

/// Splits `rows` into (kept, held out), holding out `fraction` of each class.
pub fn stratified_holdout(rows: &[u32], labels: &[bool], fraction: f64, seed: u64) -> (Vec<u32>, Vec<u32>) {
    let mut rng = Rng::new(seed);
    let (mut kept, mut held) = (Vec::new(), Vec::new());
    for class in [false, true] {
        let mut class_rows: Vec<u32> = rows.iter().copied().filter(|&r| labels[r as usize] == class).collect();
        rng.shuffle(&mut class_rows);
        let n_held = (class_rows.len() as f64 * fraction).round() as usize;
        held.extend_from_slice(&class_rows[..n_held]);
        kept.extend_from_slice(&class_rows[n_held..]);
    }
    kept.sort_unstable();
    held.sort_unstable();
    (kept, held)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_values_get_a_bin_each_and_many_are_capped() {
        assert_eq!(numeric_edges(&[3.0, 1.0, 2.0, 1.0]), [1.0, 2.0, 3.0]);
        let many: Vec<f32> = (0..10_000).map(|i| i as f32).collect();
        let e = numeric_edges(&many);
        assert!(e.len() <= MAX_BINS);
        assert_eq!(e.last(), Some(&9999.0));
        assert!(e.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(bin_of(&e, 0.0), 0);
        assert_eq!(bin_of(&e, 9999.0) as usize, e.len() - 1);
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        let labels: Vec<bool> = (0..1000).map(|i| i % 10 == 0).collect();
        let folds = stratified_folds(&labels, 5, 7);
        for k in 0..5 {
            let pos = (0..1000).filter(|&r| folds[r] == k && labels[r]).count();
            assert_eq!(pos, 20);
        }
        assert_eq!(folds, stratified_folds(&labels, 5, 7));
        assert_ne!(folds, stratified_folds(&labels, 5, 8));
    }

    #[test]
    fn holdout_partitions_the_rows() {
        let labels: Vec<bool> = (0..100).map(|i| i % 4 == 0).collect();
        let rows: Vec<u32> = (0..100).collect();
        let (kept, held) = stratified_holdout(&rows, &labels, 0.2, 1);
        assert_eq!(held.len(), 20);
        let mut all = [kept, held].concat();
        all.sort_unstable();
        assert_eq!(all, rows);
    }
}
