//! The learner's hyper-parameters, apart from the learner so the tree grower and the boosting
//! loop both depend on them and not on each other.

#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub learning_rate: f32,
    pub max_depth: usize,
    pub max_trees: usize,
    /// Fewest rows a leaf may hold.
    pub min_leaf: u32,
    /// L2 penalty on leaf values (λ).
    pub l2: f64,
    pub min_gain: f64,
    /// Fraction of rows each tree sees.
    pub subsample: f64,
    /// Pulls rare categories' G/H ratio towards zero when ordering them.
    pub cat_smooth: f64,
    /// Categories with fewer rows in a node never go left: too few to trust.
    pub min_cat_rows: u32,
    /// Stop after this many trees without a better validation loss.
    pub patience: usize,
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            learning_rate: 0.05,
            max_depth: 5,
            max_trees: 600,
            min_leaf: 40,
            l2: 1.0,
            min_gain: 0.0,
            subsample: 0.8,
            cat_smooth: 50.0,
            min_cat_rows: 30,
            patience: 50,
            seed: 42,
        }
    }
}

impl Params {
    /// For the artifact's provenance; the seed is recorded on its own.
    pub fn describe(&self) -> String {
        format!(
            "gbdt logloss lr={} depth={} trees<={} min_leaf={} l2={} min_gain={} subsample={} cat_smooth={} min_cat_rows={} patience={}",
            self.learning_rate,
            self.max_depth,
            self.max_trees,
            self.min_leaf,
            self.l2,
            self.min_gain,
            self.subsample,
            self.cat_smooth,
            self.min_cat_rows,
            self.patience
        )
    }
}
