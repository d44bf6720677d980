//! Growing one regression tree on gradient histograms. Every row is reduced to bins, so a
//! node's split search costs one pass over its rows per feature, and the larger child's
//! histogram comes free as parent minus smaller child.

use super::dataset::Dataset;
use super::features::{is_categorical, N_FEATURES};
use super::params::Params;
use super::tree::{Node, Split, Tree};

#[derive(Clone, Copy, Default)]
struct Bin {
    g: f64,
    h: f64,
    n: u32,
}

impl Bin {
    fn add(&mut self, o: Bin) {
        self.g += o.g;
        self.h += o.h;
        self.n += o.n;
    }

    fn minus(self, o: Bin) -> Bin {
        Bin {
            g: self.g - o.g,
            h: self.h - o.h,
            n: self.n - o.n,
        }
    }
}

/// A split as the learner finds it, on bins rather than values.
#[derive(Clone, Copy)]
pub(crate) enum BinSplit {
    AtMost(u8),
    OneOf(u32),
}

impl BinSplit {
    fn goes_left(self, bin: u8) -> bool {
        match self {
            BinSplit::AtMost(b) => bin <= b,
            BinSplit::OneOf(mask) => (mask >> bin) & 1 == 1,
        }
    }
}

struct BinNode {
    feature: usize,
    split: BinSplit,
    left: i32,
    right: i32,
    left_share: f32,
}

pub(crate) struct BinTree {
    nodes: Vec<BinNode>,
    leaves: Vec<f32>,
}

impl BinTree {
    pub(crate) fn eval(&self, data: &Dataset, row: usize) -> f32 {
        let mut c = if self.nodes.is_empty() { -1 } else { 0 };
        while let Ok(i) = usize::try_from(c) {
            let n = &self.nodes[i];
            c = if n.split.goes_left(data.cols[n.feature][row]) {
                n.left
            } else {
                n.right
            };
        }
        self.leaves[(-1 - c) as usize]
    }

    /// From bins back to values: a numeric split's bin becomes the largest value in it.
    pub(crate) fn into_tree(self, data: &Dataset) -> Tree {
        let nodes = self
            .nodes
            .into_iter()
            .map(|n| Node {
                feature: n.feature as u8,
                split: match n.split {
                    BinSplit::AtMost(b) => Split::AtMost(data.edges[n.feature][usize::from(b)]),
                    BinSplit::OneOf(mask) => Split::OneOf(mask),
                },
                left: n.left,
                right: n.right,
                left_share: n.left_share,
            })
            .collect();
        Tree {
            nodes,
            leaves: self.leaves,
        }
    }
}

pub(crate) struct Grower<'a> {
    data: &'a Dataset,
    g: &'a [f32],
    h: &'a [f32],
    params: &'a Params,
    /// Where each feature's bins start in a flat histogram.
    offsets: [usize; N_FEATURES + 1],
    nodes: Vec<BinNode>,
    leaves: Vec<f32>,
}

struct Best {
    gain: f64,
    feature: usize,
    split: BinSplit,
}

impl<'a> Grower<'a> {
    pub(crate) fn new(data: &'a Dataset, g: &'a [f32], h: &'a [f32], params: &'a Params) -> Grower<'a> {
        let mut offsets = [0; N_FEATURES + 1];
        for f in 0..N_FEATURES {
            offsets[f + 1] = offsets[f] + data.n_bins(f);
        }
        Grower {
            data,
            g,
            h,
            params,
            offsets,
            nodes: Vec::new(),
            leaves: Vec::new(),
        }
    }

    pub(crate) fn grow_tree(mut self, rows: &mut [u32]) -> BinTree {
        let hist = self.histogram(rows);
        self.grow(rows, hist, 0);
        BinTree {
            nodes: self.nodes,
            leaves: self.leaves,
        }
    }

    fn histogram(&self, rows: &[u32]) -> Vec<Bin> {
        let mut hist = vec![Bin::default(); self.offsets[N_FEATURES]];
        for f in 0..N_FEATURES {
            let (col, bins) = (&self.data.cols[f], &mut hist[self.offsets[f]..self.offsets[f + 1]]);
            for &r in rows {
                let r = r as usize;
                bins[usize::from(col[r])].add(Bin {
                    g: f64::from(self.g[r]),
                    h: f64::from(self.h[r]),
                    n: 1,
                });
            }
        }
        hist
    }

    /// Grows the subtree for `rows` and returns its child reference.
    fn grow(&mut self, rows: &mut [u32], hist: Vec<Bin>, depth: usize) -> i32 {
        let mut total = Bin::default();
        hist[..self.offsets[1]].iter().for_each(|b| total.add(*b));
        let best = (depth < self.params.max_depth && total.n >= 2 * self.params.min_leaf)
            .then(|| self.best_split(&hist, total))
            .flatten();
        let Some(best) = best else {
            let value = -total.g / (total.h + self.params.l2) * f64::from(self.params.learning_rate);
            self.leaves.push(round_sig(value));
            return -(self.leaves.len() as i32);
        };
        let col = &self.data.cols[best.feature];
        let mut n_left = 0;
        for i in 0..rows.len() {
            if best.split.goes_left(col[rows[i] as usize]) {
                rows.swap(i, n_left);
                n_left += 1;
            }
        }
        let (left, right) = rows.split_at_mut(n_left);
        // Histogram the smaller side and get the larger by subtraction: half the work.
        let small_is_left = left.len() <= right.len();
        let small_hist = self.histogram(if small_is_left { left } else { right });
        let large_hist: Vec<Bin> = hist.iter().zip(&small_hist).map(|(p, s)| p.minus(*s)).collect();
        let (left_hist, right_hist) = if small_is_left {
            (small_hist, large_hist)
        } else {
            (large_hist, small_hist)
        };
        let index = self.nodes.len();
        self.nodes.push(BinNode {
            feature: best.feature,
            split: best.split,
            left: 0,
            right: 0,
            left_share: (n_left as f64 / total.n as f64 * 100.0).round() as f32 / 100.0,
        });
        let l = self.grow(left, left_hist, depth + 1);
        let r = self.grow(right, right_hist, depth + 1);
        (self.nodes[index].left, self.nodes[index].right) = (l, r);
        index as i32
    }

    fn best_split(&self, hist: &[Bin], total: Bin) -> Option<Best> {
        let score = |b: Bin| b.g * b.g / (b.h + self.params.l2);
        let parent = score(total);
        let min_leaf = self.params.min_leaf;
        let mut best: Option<Best> = None;
        let mut consider = |left: Bin, feature: usize, split: BinSplit| {
            let right = total.minus(left);
            if left.n < min_leaf || right.n < min_leaf {
                return;
            }
            let gain = score(left) + score(right) - parent;
            if gain > self.params.min_gain && best.as_ref().is_none_or(|b| gain > b.gain) {
                best = Some(Best { gain, feature, split });
            }
        };
        for f in 0..N_FEATURES {
            let bins = &hist[self.offsets[f]..self.offsets[f + 1]];
            if is_categorical(f) {
                let mut cats: Vec<usize> = (0..bins.len())
                    .filter(|&c| bins[c].n >= self.params.min_cat_rows)
                    .collect();
                let ratio = |c: usize| bins[c].g / (bins[c].h + self.params.cat_smooth);
                cats.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)));
                // Scan from both ends: rare categories always fall right, so the two
                // directions give different sets.
                for order in [cats.clone(), cats.into_iter().rev().collect()] {
                    let (mut left, mut mask) = (Bin::default(), 0u32);
                    for &c in order.iter().take(order.len().saturating_sub(1)) {
                        left.add(bins[c]);
                        mask |= 1 << c;
                        consider(left, f, BinSplit::OneOf(mask));
                    }
                }
            } else {
                let mut left = Bin::default();
                for (b, bin) in bins.iter().enumerate().take(bins.len().saturating_sub(1)) {
                    left.add(*bin);
                    consider(left, f, BinSplit::AtMost(b as u8));
                }
            }
        }
        best
    }
}

/// Four significant digits: far below the model's own noise, and half the bytes.
fn round_sig(v: f64) -> f32 {
    if v == 0.0 || !v.is_finite() {
        return 0.0;
    }
    let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
    ((v * scale).round() / scale) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_four_digits() {
        assert_eq!(round_sig(0.0123456), 0.01235);
        assert_eq!(round_sig(-1.98765), -1.988);
        assert_eq!(round_sig(0.0), 0.0);
    }
}
