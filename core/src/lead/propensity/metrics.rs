//! Ranking quality: AUC and ALIFT. Both only depend on the order of scores, and both treat tied
//! scores as if ties were broken at random (in expectation), so a constant scorer is exactly
//! "no better than chance".

/// Rows grouped by equal score, best score first: (rows, positives) per group.
fn tie_groups(scores: &[f32], labels: &[bool]) -> Vec<(u64, u64)> {
    let mut order: Vec<usize> = (0..scores.len().min(labels.len())).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut groups: Vec<(u64, u64)> = Vec::new();
    let mut last = None;
    for i in order {
        let s = scores[i];
        match groups.last_mut() {
            Some(g) if last == Some(s.to_bits()) => {
                g.0 += 1;
                g.1 += u64::from(labels[i]);
            }
            _ => groups.push((1, u64::from(labels[i]))),
        }
        last = Some(s.to_bits());
    }
    groups
}

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, ties counting one half. `None` unless both classes occur.
pub fn auc(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let groups = tie_groups(scores, labels);
    let (n, pos) = groups.iter().fold((0, 0), |(n, p), g| (n + g.0, p + g.1));
    let neg = n - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut pos_above = 0u64;
    let mut wins = 0.0f64;
    for &(rows, p) in &groups {
        let q = rows - p;
        wins += q as f64 * (pos_above as f64 + 0.5 * p as f64);
        pos_above += p;
    }
    Some(wins / (pos as f64 * neg as f64))
}

/// ALIFT: area under the cumulative gains (lift) curve. Sort the population by score, best first;
/// x = fraction of the population contacted, y = fraction of all positives reached so far; tied
/// scores are one straight segment. The area is in [0, 1]: 0.5 for a random ranking and
/// 1 − π/2 for a perfect one, where π is the share of positives. It is a rescaled AUC,
/// ALIFT = π/2 + (1 − π)·AUC, but reads directly as "how early the campaign finds its buyers".
/// `None` when there is no positive.
pub fn alift(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let groups = tie_groups(scores, labels);
    let (n, pos) = groups.iter().fold((0, 0), |(n, p), g| (n + g.0, p + g.1));
    if pos == 0 {
        return None;
    }
    let mut pos_above = 0u64;
    let mut area = 0.0f64;
    for &(rows, p) in &groups {
        area += rows as f64 / n as f64 * (pos_above as f64 + 0.5 * p as f64) / pos as f64;
        pos_above += p;
    }
    Some(area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both_classes() -> impl Strategy<Value = (Vec<f32>, Vec<bool>)> {
        prop::collection::vec((0u8..20, any::<bool>()), 2..200)
            .prop_map(|v| {
                let scores = v.iter().map(|&(s, _)| f32::from(s) / 4.0).collect();
                let labels = v.iter().map(|&(_, y)| y).collect();
                (scores, labels)
            })
            .prop_filter("needs both classes", |(_, y): &(Vec<f32>, Vec<bool>)| {
                y.iter().any(|&b| b) && y.iter().any(|&b| !b)
            })
    }

    /// The definition, pair by pair, to check the sorted computation against.
    fn auc_by_pairs(s: &[f32], y: &[bool]) -> f64 {
        let (mut wins, mut pairs) = (0.0, 0.0);
        for i in (0..s.len()).filter(|&i| y[i]) {
            for j in (0..s.len()).filter(|&j| !y[j]) {
                pairs += 1.0;
                wins += if s[i] > s[j] {
                    1.0
                } else if s[i] == s[j] {
                    0.5
                } else {
                    0.0
                };
            }
        }
        wins / pairs
    }

    proptest! {
        #[test]
        fn perfect_ranking_is_one_and_reversed_is_zero((_, y) in both_classes()) {
            let perfect: Vec<f32> = y.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect();
            let reversed: Vec<f32> = perfect.iter().map(|s| -s).collect();
            prop_assert_eq!(auc(&perfect, &y), Some(1.0));
            prop_assert_eq!(auc(&reversed, &y), Some(0.0));
            let pi = y.iter().filter(|&&b| b).count() as f64 / y.len() as f64;
            prop_assert!((alift(&perfect, &y).unwrap_or(f64::NAN) - (1.0 - pi / 2.0)).abs() < 1e-9);
        }

        #[test]
        fn constant_scores_are_chance((_, y) in both_classes(), c in -5.0f32..5.0) {
            let s = vec![c; y.len()];
            prop_assert_eq!(auc(&s, &y), Some(0.5));
            prop_assert!((alift(&s, &y).unwrap_or(f64::NAN) - 0.5).abs() < 1e-9);
        }

        #[test]
        fn auc_matches_pairwise_definition((s, y) in both_classes()) {
            let fast = auc(&s, &y).unwrap_or(f64::NAN);
            prop_assert!((fast - auc_by_pairs(&s, &y)).abs() < 1e-9);
        }

        #[test]
        fn alift_is_rescaled_auc_and_in_unit_interval((s, y) in both_classes()) {
            let pi = y.iter().filter(|&&b| b).count() as f64 / y.len() as f64;
            let a = auc(&s, &y).unwrap_or(f64::NAN);
            let l = alift(&s, &y).unwrap_or(f64::NAN);
            prop_assert!((0.0..=1.0).contains(&l));
            prop_assert!((l - (pi / 2.0 + (1.0 - pi) * a)).abs() < 1e-9);
        }

        #[test]
        fn only_order_matters((s, y) in both_classes()) {
            let shifted: Vec<f32> = s.iter().map(|v| v * 3.0 + 1.0).collect();
            prop_assert_eq!(auc(&s, &y), auc(&shifted, &y));
        }
    }

    #[test]
    fn one_class_is_undefined() {
        assert_eq!(auc(&[0.1, 0.2], &[true, true]), None);
        assert_eq!(alift(&[0.1, 0.2], &[false, false]), None);
        assert_eq!(auc(&[], &[]), None);
    }

    #[test]
    fn small_worked_example() {
        // Order: +, −, +, −. Positives beat 3 of the 4 (pos, neg) pairs.
        let s = [0.9, 0.8, 0.7, 0.1];
        let y = [true, false, true, false];
        assert_eq!(auc(&s, &y), Some(0.75));
        // Gains curve through (0,0) (.25,.5) (.5,.5) (.75,1) (1,1).
        assert_eq!(alift(&s, &y), Some(0.0625 + 0.125 + 0.1875 + 0.25));
    }
}
