//! Staff corrections applied to the engine's clusters: joins and separations
//! ([`app::model::adjustment`]) relabel the marks of one (category, kind) group, in the order
//! they were made, after the automatic clustering and before hotspots are built.

use app::model::adjustment::{Adjustment, AdjustmentAction};
use uuid::Uuid;

/// Applies `adjustments` (in force, in `seq` order) to `labels`, the cluster of each mark of
/// one group, whose ids `id(i)` are in increasing order. Returns the new number of clusters,
/// labels renumbered 0.. in the order of their lowest mark, and for each new cluster the
/// `seq` of every correction that changed it (`touched`).
///
/// - A **join** puts together every cluster holding one of its marks (marks of other groups
///   are not here, so a join never crosses categories or kinds).
/// - A **separation** takes its marks out of each cluster they are in into a new one (one new
///   cluster per cluster they leave); marks that already make a whole cluster stay as they are.
///
/// Marks named by a correction but absent (deleted, rejected, of another group) are ignored,
/// so a correction keeps doing what it can as the marks change. Without corrections the
/// labels are left exactly as they were.
pub fn regroup(labels: &mut [u32], n: u32, id: impl Fn(usize) -> Uuid, adjustments: &[Adjustment], touched: &mut Vec<Vec<i64>>) -> u32 {
    touched.clear();
    if adjustments.is_empty() || labels.is_empty() {
        touched.resize(n as usize, Vec::new());
        return n;
    }
    let len = labels.len();
    let position = |mark: &Uuid| {
        let at = partition_point(len, |i| id(i) < *mark);
        (at < len && id(at) == *mark).then_some(at)
    };
    let mut changed: Vec<Vec<i64>> = vec![Vec::new(); n as usize];
    let mut next = n;
    let mut present: Vec<usize> = Vec::new();
    for adjustment in adjustments {
        present.clear();
        present.extend(adjustment.mark_ids.iter().filter_map(position));
        if present.is_empty() {
            continue;
        }
        match adjustment.action {
            AdjustmentAction::Join => {
                let mut clusters: Vec<u32> = present.iter().map(|i| labels[*i]).collect();
                clusters.sort_unstable();
                clusters.dedup();
                if clusters.len() < 2 {
                    continue;
                }
                let target = clusters[0];
                for l in labels.iter_mut() {
                    if clusters.binary_search(l).is_ok() {
                        *l = target;
                    }
                }
                let mut history: Vec<i64> = clusters.iter().flat_map(|c| changed[*c as usize].iter().copied()).collect();
                history.push(adjustment.seq);
                for c in &clusters[1..] {
                    changed[*c as usize].clear();
                }
                changed[target as usize] = history;
            }
            AdjustmentAction::Separate => {
                // The clusters the marks are in, each with how many of its marks are named.
                let mut leaving: Vec<(u32, usize)> = Vec::new();
                for i in &present {
                    match leaving.iter_mut().find(|(c, _)| *c == labels[*i]) {
                        Some((_, k)) => *k += 1,
                        None => leaving.push((labels[*i], 1)),
                    }
                }
                for (cluster, named) in leaving {
                    let size = labels.iter().filter(|l| **l == cluster).count();
                    if named == size {
                        continue;
                    }
                    let new = next;
                    next += 1;
                    for i in &present {
                        if labels[*i] == cluster {
                            labels[*i] = new;
                        }
                    }
                    let mut history = changed[cluster as usize].clone();
                    history.push(adjustment.seq);
                    changed[cluster as usize].push(adjustment.seq);
                    changed.push(history);
                }
            }
        }
    }
    // Renumber by lowest mark, as the clustering does, dropping clusters emptied by joins.
    let mut renumber: Vec<u32> = vec![u32::MAX; next as usize];
    let mut count = 0;
    for l in labels.iter_mut() {
        if renumber[*l as usize] == u32::MAX {
            renumber[*l as usize] = count;
            count += 1;
        }
        *l = renumber[*l as usize];
    }
    touched.resize(count as usize, Vec::new());
    for (old, new) in renumber.iter().enumerate() {
        if *new != u32::MAX {
            let mut seqs = std::mem::take(&mut changed[old]);
            seqs.sort_unstable();
            seqs.dedup();
            touched[*new as usize] = seqs;
        }
    }
    count
}

/// The first index in `0..len` for which `before` is false (`before` is true then false).
fn partition_point(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjustment(seq: i64, action: AdjustmentAction, ids: &[u128]) -> Adjustment {
        Adjustment {
            seq,
            barrio_id: 1,
            action,
            mark_ids: ids.iter().map(|i| Uuid::from_u128(*i)).collect(),
            reason: String::new(),
            reviewer: "Ana".into(),
            at_ms: 0,
            cancelled: None,
        }
    }

    /// Marks 10, 20, 30, … with the given labels.
    fn run(labels: &[u32], adjustments: &[Adjustment]) -> (Vec<u32>, Vec<Vec<i64>>) {
        let mut labels = labels.to_vec();
        let n = labels.iter().max().map_or(0, |m| m + 1);
        let mut touched = Vec::new();
        let count = regroup(&mut labels, n, |i| Uuid::from_u128(10 * (i as u128 + 1)), adjustments, &mut touched);
        assert_eq!(touched.len(), count as usize);
        (labels, touched)
    }

    #[test]
    fn no_corrections_leave_the_clusters_as_they_are() {
        assert_eq!(run(&[0, 1, 0, 2], &[]), (vec![0, 1, 0, 2], vec![vec![]; 3]));
    }

    #[test]
    fn a_join_puts_together_the_clusters_of_its_marks() {
        let (labels, touched) = run(&[0, 1, 0, 2], &[adjustment(5, AdjustmentAction::Join, &[20, 40])]);
        assert_eq!(labels, vec![0, 1, 0, 1]);
        assert_eq!(touched, vec![vec![], vec![5]]);
    }

    #[test]
    fn a_separation_takes_its_marks_into_a_cluster_of_their_own() {
        let (labels, touched) = run(&[0, 0, 0, 1], &[adjustment(3, AdjustmentAction::Separate, &[20, 30])]);
        assert_eq!(labels, vec![0, 1, 1, 2]);
        assert_eq!(touched, vec![vec![3], vec![3], vec![]]);
        let (whole, untouched) = run(&[0, 0, 1], &[adjustment(3, AdjustmentAction::Separate, &[30])]);
        assert_eq!((whole, untouched), (vec![0, 0, 1], vec![vec![], vec![]]), "a lone mark is already apart");
    }

    #[test]
    fn corrections_apply_in_order_and_absent_marks_are_ignored() {
        // Separate 20 from {10, 20}, then join 20 with 30: {10}, {20, 30}.
        let list = [adjustment(1, AdjustmentAction::Separate, &[20, 999]), adjustment(2, AdjustmentAction::Join, &[20, 30])];
        let (labels, touched) = run(&[0, 0, 1], &list);
        assert_eq!(labels, vec![0, 1, 1]);
        assert_eq!(touched, vec![vec![1], vec![1, 2]]);
        // A join whose other marks are gone does nothing.
        assert_eq!(run(&[0, 1], &[adjustment(4, AdjustmentAction::Join, &[10, 777])]).0, vec![0, 1]);
    }
}
