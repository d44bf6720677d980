//! The model artifact and its evaluation: a sum of small regression trees on the log-odds scale.
//!
//! This is the only part of the propensity code the Worker and widget need, so it is kept to
//! plain structs, one serde round trip and a recursive walk.
//!
//! # File format (`inflow-gbdt/1`, JSON)
//!
//! ```text
//! { "format": "inflow-gbdt/1",
//!   "base": <log-odds before any tree>,
//!   "features": [ {"name": "age"}, {"name": "job", "categories": ["admin.", …]}, … ],
//!   "trees": [ [ [node, …], [leaf value, …] ], … ],
//!   "provenance": { … how it was trained … } }
//! ```
//!
//! A node is `[feature, split, left, right, left_share]`. For a numeric feature a value goes left
//! when `value <= split`; for a categorical one `split` is a bit mask over the feature's category
//! indices and set bits go left. A child `>= 0` is a node index (always greater than its
//! parent's, so every walk ends), `c < 0` is leaf `-1 - c`. `left_share` is the fraction of
//! training rows that went left: a missing value follows both branches in that proportion. A
//! tree with no nodes is its single leaf.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::features::{is_categorical, Features, Value, FEATURE_NAMES, N_FEATURES};

pub const FORMAT: &str = "inflow-gbdt/1";

/// Category masks are written as JSON numbers read into `f32`, exact up to 2^24.
pub const MAX_CATEGORIES: usize = 24;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelFile", into = "ModelFile")]
pub struct Model {
    base: f32,
    /// Per feature; empty for numeric features.
    categories: Vec<Vec<String>>,
    trees: Vec<Tree>,
    provenance: Option<Provenance>,
}

/// How an artifact was made, so a number quoted about it can be traced back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub rows: usize,
    pub seed: u64,
    /// Mean AUC over the cross-validation folds, if they were run.
    pub cv_auc: Option<f64>,
    /// The learner's settings, human-readable.
    pub params: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    pub(crate) leaves: Vec<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Node {
    pub(crate) feature: u8,
    pub(crate) split: Split,
    pub(crate) left: i32,
    pub(crate) right: i32,
    pub(crate) left_share: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Split {
    AtMost(f32),
    OneOf(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid propensity model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

impl Model {
    /// Only the learner builds models from parts; everyone else loads an artifact.
    #[cfg(any(test, feature = "learn"))]
    pub(crate) fn new(
        base: f32,
        categories: Vec<Vec<String>>,
        trees: Vec<Tree>,
        provenance: Option<Provenance>,
    ) -> Model {
        Model {
            base,
            categories,
            trees,
            provenance,
        }
    }

    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        serde_json::from_str(text).map_err(|e| ModelError(e.to_string()))
    }

    pub fn to_json(&self) -> Result<String, ModelError> {
        serde_json::to_string(self).map_err(|e| ModelError(e.to_string()))
    }

    /// Records how this model was made; it is written into the artifact.
    pub fn with_provenance(mut self, p: Provenance) -> Model {
        self.provenance = Some(p);
        self
    }

    pub fn n_trees(&self) -> usize {
        self.trees.len()
    }

    pub fn provenance(&self) -> Option<&Provenance> {
        self.provenance.as_ref()
    }

    /// Probability of conversion, in (0, 1).
    pub fn predict(&self, f: &Features) -> f32 {
        let x = self.encode(f);
        let margin = self.base + self.trees.iter().map(|t| t.eval(&x)).sum::<f32>();
        1.0 / (1.0 + (-margin).exp())
    }

    /// Numeric values as they are, categories as their index; NaN for anything missing or unseen.
    fn encode(&self, f: &Features) -> [f32; N_FEATURES] {
        std::array::from_fn(|i| match f.value(i) {
            Value::Num(v) => v,
            Value::Cat(c) => c
                .and_then(|c| self.categories[i].iter().position(|k| k == c))
                .map_or(f32::NAN, |k| k as f32),
        })
    }
}

impl Tree {
    fn eval(&self, x: &[f32; N_FEATURES]) -> f32 {
        if self.nodes.is_empty() {
            self.leaves[0]
        } else {
            self.at(0, x)
        }
    }

    fn child(&self, c: i32, x: &[f32; N_FEATURES]) -> f32 {
        match usize::try_from(c) {
            Ok(i) => self.at(i, x),
            Err(_) => self.leaves[leaf_index(c)],
        }
    }

    fn at(&self, i: usize, x: &[f32; N_FEATURES]) -> f32 {
        let n = &self.nodes[i];
        let v = x[usize::from(n.feature)];
        if v.is_nan() {
            n.left_share * self.child(n.left, x) + (1.0 - n.left_share) * self.child(n.right, x)
        } else if n.split.goes_left(v) {
            self.child(n.left, x)
        } else {
            self.child(n.right, x)
        }
    }
}

impl Split {
    fn goes_left(self, v: f32) -> bool {
        match self {
            Split::AtMost(t) => v <= t,
            // v is a category index the model itself assigned, so it is a small whole number.
            Split::OneOf(mask) => (v as u32) < 32 && (mask >> (v as u32)) & 1 == 1,
        }
    }
}

fn leaf_index(c: i32) -> usize {
    (-1 - i64::from(c)) as usize
}

/// The JSON shape; [`Model`] converts to and from it, validating on the way in so that
/// evaluation can index without checks.
#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    base: f32,
    features: Vec<FeatureFile>,
    trees: Vec<(Vec<NodeFile>, Vec<f32>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance>,
}

#[derive(Serialize, Deserialize)]
struct FeatureFile {
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct NodeFile(u8, f32, i32, i32, f32);

impl From<Model> for ModelFile {
    fn from(m: Model) -> ModelFile {
        let features = FEATURE_NAMES
            .iter()
            .zip(m.categories)
            .map(|(name, categories)| FeatureFile {
                name: name.to_string(),
                categories,
            })
            .collect();
        let trees = m
            .trees
            .into_iter()
            .map(|t| {
                let nodes = t.nodes.iter().map(|n| {
                    let split = match n.split {
                        Split::AtMost(t) => t,
                        Split::OneOf(mask) => mask as f32,
                    };
                    NodeFile(n.feature, split, n.left, n.right, n.left_share)
                });
                (nodes.collect(), t.leaves)
            })
            .collect();
        ModelFile {
            format: FORMAT.to_string(),
            base: m.base,
            features,
            trees,
            provenance: m.provenance,
        }
    }
}

impl TryFrom<ModelFile> for Model {
    type Error = ModelError;

    fn try_from(file: ModelFile) -> Result<Model, ModelError> {
        let err = |s: String| Err(ModelError(s));
        if file.format != FORMAT {
            return err(format!("format {:?}, expected {FORMAT:?}", file.format));
        }
        let names: Vec<&str> = file.features.iter().map(|f| f.name.as_str()).collect();
        if names != FEATURE_NAMES {
            return err(format!("features {names:?}, expected {FEATURE_NAMES:?}"));
        }
        for (i, f) in file.features.iter().enumerate() {
            if f.categories.len() > MAX_CATEGORIES || (!is_categorical(i) && !f.categories.is_empty()) {
                return err(format!("feature {}: bad category list", f.name));
            }
        }
        let trees = file
            .trees
            .into_iter()
            .enumerate()
            .map(|(k, (nodes, leaves))| tree_from_file(nodes, leaves).map_err(|e| ModelError(format!("tree {k}: {e}"))))
            .collect::<Result<_, _>>()?;
        Ok(Model {
            base: file.base,
            categories: file.features.into_iter().map(|f| f.categories).collect(),
            trees,
            provenance: file.provenance,
        })
    }
}

fn tree_from_file(nodes: Vec<NodeFile>, leaves: Vec<f32>) -> Result<Tree, String> {
    if leaves.is_empty() {
        return Err("no leaves".into());
    }
    let child_ok = |parent: usize, c: i32| match usize::try_from(c) {
        Ok(i) => i > parent && i < nodes.len(),
        Err(_) => leaf_index(c) < leaves.len(),
    };
    let nodes = nodes
        .iter()
        .enumerate()
        .map(|(i, &NodeFile(feature, split, left, right, left_share))| {
            let f = usize::from(feature);
            if f >= N_FEATURES || !child_ok(i, left) || !child_ok(i, right) || !(0.0..=1.0).contains(&left_share) {
                return Err(format!("node {i} is malformed"));
            }
            let split = if is_categorical(f) {
                if !(split >= 0.0 && split < (1u32 << MAX_CATEGORIES) as f32 && split.fract() == 0.0) {
                    return Err(format!("node {i}: bad category mask"));
                }
                Split::OneOf(split as u32)
            } else {
                Split::AtMost(split)
            };
            Ok(Node {
                feature,
                split,
                left,
                right,
                left_share,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Tree { nodes, leaves })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stump() -> Model {
        let mut categories = vec![Vec::new(); N_FEATURES];
        categories[1] = vec!["admin.".into(), "student".into(), "unknown".into()];
        let trees = vec![
            Tree {
                nodes: vec![Node {
                    feature: 0,
                    split: Split::AtMost(30.0),
                    left: -1,
                    right: -2,
                    left_share: 0.25,
                }],
                leaves: vec![1.0, -1.0],
            },
            Tree {
                nodes: vec![Node {
                    feature: 1,
                    split: Split::OneOf(0b010),
                    left: -1,
                    right: -2,
                    left_share: 0.5,
                }],
                leaves: vec![2.0, 0.0],
            },
        ];
        Model::new(0.0, categories, trees, None)
    }

    fn margin(p: f32) -> f32 {
        (p / (1.0 - p)).ln()
    }

    #[test]
    fn walks_numeric_and_categorical_splits() {
        let m = stump();
        let mut f = Features::missing();
        f.age = 25.0;
        f.job = Some("student".into());
        assert!((margin(m.predict(&f)) - 3.0).abs() < 1e-4);
        f.age = 31.0;
        f.job = Some("admin.".into());
        assert!((margin(m.predict(&f)) + 1.0).abs() < 1e-4);
    }

    #[test]
    fn missing_and_unseen_values_follow_both_branches() {
        let m = stump();
        let mut f = Features::missing();
        f.job = Some("astronaut".into());
        // 0.25·1 + 0.75·(−1) from the age tree, 0.5·2 + 0.5·0 from the job tree.
        assert!((margin(m.predict(&f)) - 0.5).abs() < 1e-4);
    }

    #[test]
    fn json_round_trips_and_rejects_bad_trees() {
        let m = stump();
        let text = m.to_json().expect("serialises");
        assert_eq!(Model::from_json(&text), Ok(m));
        let cycle = text.replacen("[0,30.0,-1,-2,0.25]", "[0,30.0,0,-2,0.25]", 1);
        assert_ne!(cycle, text);
        assert!(Model::from_json(&cycle).is_err());
        let bad_leaf = text.replacen("[0,30.0,-1,-2,0.25]", "[0,30.0,-9,-2,0.25]", 1);
        assert!(Model::from_json(&bad_leaf).is_err());
        assert!(Model::from_json(&text.replace(FORMAT, "other/1")).is_err());
    }
}
