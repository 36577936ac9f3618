//! Two versions of a barrio's diagnóstico side by side: which hotspots appeared, grew, shrank,
//! joined another or disappeared between them. Hotspot ids change whenever a mark joins or
//! leaves, so hotspots are matched by the marks they share, not by id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::diagnostico::{Diagnostico, Hotspot};

/// What became of one hotspot between the two versions. The order of the variants is the
/// order in which the comparison lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In the newer version only: no mark of it was in the older one's hotspots.
    Appeared,
    /// Shares marks with an older hotspot and has more marks.
    Grew,
    /// Shares marks with an older hotspot and has fewer marks (some were rejected or deleted).
    Shrank,
    /// The same marks, or as many as before.
    Same,
    /// In the older version only as a hotspot of its own: its marks are now in a newer hotspot
    /// that carries on another older one — joined by hand, or by a new mark between them.
    Joined,
    /// In the older version only: none of its marks is in a hotspot of the newer one.
    Disappeared,
}

/// One line of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotspotChange {
    pub change: Change,
    pub category: String,
    /// The hotspot in the older version (none when it appeared).
    pub before_id: Option<Uuid>,
    /// The hotspot in the newer version (none when it disappeared). For a hotspot that
    /// [`Change::Joined`] another, the newer hotspot holding most of its marks.
    pub after_id: Option<Uuid>,
    pub before_count: u32,
    pub after_count: u32,
    pub before_participants: u32,
    pub after_participants: u32,
    /// For a line of the newer version: how many other older hotspots joined it.
    #[serde(default)]
    pub joined_others: u32,
}

/// The comparison of two versions of one barrio's diagnóstico.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub barrio_id: i64,
    pub before_marks: u32,
    pub after_marks: u32,
    /// Sorted by change (appeared, grew, shrank, same, joined, disappeared), then category,
    /// then the larger count first, then the newer hotspot's id, then the older one's (an id
    /// always breaks the tie: no two lines share both): the same pair of versions always reads
    /// the same, whatever the order of the hotspots in either.
    pub changes: Vec<HotspotChange>,
}

impl Comparison {
    pub fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }
}

/// The hotspot of `hotspots` sharing most marks with `marks`, found through `owner` (mark →
/// index); ties go to the smaller hotspot id, so the answer never depends on the order.
fn most_shared(marks: &[Uuid], owner: &BTreeMap<Uuid, usize>, hotspots: &[Hotspot]) -> Option<usize> {
    let mut shared: BTreeMap<usize, u32> = BTreeMap::new();
    for id in marks {
        if let Some(&i) = owner.get(id) {
            *shared.entry(i).or_default() += 1;
        }
    }
    shared.into_iter().max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| hotspots[*b].id.cmp(&hotspots[*a].id))).map(|(i, _)| i)
}

fn owners(hotspots: &[Hotspot]) -> BTreeMap<Uuid, usize> {
    hotspots.iter().enumerate().flat_map(|(i, h)| h.source_ids.iter().map(move |id| (*id, i))).collect()
}

/// Compares `before` with `after`. Each newer hotspot carries on the older hotspot it shares
/// most marks with (ties: the smaller id): both parts of a split hotspot point back to it,
/// and a joined one to its largest source. An older hotspot carried on by none *joined* the
/// newer hotspot holding most of its marks (ties: the smaller id) if any of its marks is still
/// in one, and *disappeared* otherwise — a join is not a loss.
pub fn compare(before: &Diagnostico, after: &Diagnostico) -> Comparison {
    let old_owner = owners(&before.hotspots);
    let mut carried = vec![false; before.hotspots.len()];
    // One line per newer hotspot, in `after.hotspots`' order until sorted.
    let mut changes: Vec<HotspotChange> = after
        .hotspots
        .iter()
        .map(|h| match most_shared(&h.source_ids, &old_owner, &before.hotspots) {
            None => line(Change::Appeared, None, Some(h)),
            Some(i) => {
                let old = &before.hotspots[i];
                carried[i] = true;
                let change = match h.count.cmp(&old.count) {
                    std::cmp::Ordering::Greater => Change::Grew,
                    std::cmp::Ordering::Less => Change::Shrank,
                    std::cmp::Ordering::Equal => Change::Same,
                };
                line(change, Some(old), Some(h))
            }
        })
        .collect();
    let new_owner = owners(&after.hotspots);
    for old in before.hotspots.iter().zip(&carried).filter(|(_, c)| !**c).map(|(h, _)| h) {
        match most_shared(&old.source_ids, &new_owner, &after.hotspots) {
            Some(j) => {
                changes[j].joined_others += 1;
                changes.push(line(Change::Joined, Some(old), Some(&after.hotspots[j])));
            }
            None => changes.push(line(Change::Disappeared, Some(old), None)),
        }
    }
    changes.sort_by_cached_key(|c| (c.change, c.category.clone(), std::cmp::Reverse(c.after_count.max(c.before_count)), c.after_id, c.before_id));
    Comparison { barrio_id: after.barrio_id, before_marks: before.totals.marks, after_marks: after.totals.marks, changes }
}

fn line(change: Change, before: Option<&Hotspot>, after: Option<&Hotspot>) -> HotspotChange {
    let category = after.or(before).map(|h| h.category.clone()).unwrap_or_default();
    HotspotChange {
        change,
        category,
        before_id: before.map(|h| h.id),
        after_id: after.map(|h| h.id),
        before_count: before.map_or(0, |h| h.count),
        after_count: after.map_or(0, |h| h.count),
        before_participants: before.map_or(0, |h| h.participants),
        after_participants: after.map_or(0, |h| h.participants),
        joined_others: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::fixtures::{diagnostico, hotspot};

    fn summary(c: &Comparison) -> Vec<(Change, &str, u32, u32)> {
        c.changes.iter().map(|l| (l.change, l.category.as_str(), l.before_count, l.after_count)).collect()
    }

    #[test]
    fn hotspots_are_followed_by_their_marks_not_their_ids() {
        let before = diagnostico(vec![hotspot("hurto_personas", &[1, 2, 3]), hotspot("rinas", &[10]), hotspot("punto_basura", &[20, 21])]);
        let after = diagnostico(vec![
            hotspot("hurto_personas", &[1, 2, 3, 4]),
            hotspot("punto_basura", &[20]),
            hotspot("extorsion", &[30]),
            hotspot("alumbrado_deficiente", &[40, 41]),
        ]);
        let c = compare(&before, &after);
        assert_eq!(
            summary(&c),
            vec![
                (Change::Appeared, "alumbrado_deficiente", 0, 2),
                (Change::Appeared, "extorsion", 0, 1),
                (Change::Grew, "hurto_personas", 3, 4),
                (Change::Shrank, "punto_basura", 2, 1),
                (Change::Disappeared, "rinas", 1, 0),
            ]
        );
        assert_eq!((c.before_marks, c.after_marks, c.count(Change::Appeared)), (6, 8, 2));
        let grew = &c.changes[2];
        assert_ne!(grew.before_id, grew.after_id, "a mark joining makes a new hotspot id");
    }

    #[test]
    fn both_parts_of_a_split_hotspot_point_back_to_it() {
        let before = diagnostico(vec![hotspot("rinas", &[1, 2, 3, 4, 5])]);
        let after = diagnostico(vec![hotspot("rinas", &[1, 2, 3]), hotspot("rinas", &[4, 5])]);
        let c = compare(&before, &after);
        let changes: Vec<Change> = c.changes.iter().map(|l| l.change).collect();
        assert_eq!(changes, vec![Change::Shrank, Change::Shrank]);
        assert_eq!(c.count(Change::Disappeared), 0);
        assert_eq!(compare(&before, &before).count(Change::Same), 1, "a version compared with itself changes nothing");
        assert_eq!(compare(&after, &after), compare(&after, &after), "deterministic");
    }

    /// The hotspot a hand join (correction `seq`) makes of `parts`, as the engine builds it
    /// (`server/src/merge/regroup.rs`): every mark of every part, in id order, under the id of
    /// that list, with the correction's number.
    fn joined_by_hand(seq: i64, parts: &[&Hotspot]) -> Hotspot {
        let mut ids: Vec<u128> = parts.iter().flat_map(|h| h.source_ids.iter().map(|id| id.as_u128())).collect();
        ids.sort_unstable();
        Hotspot { adjustments: vec![seq], ..hotspot(&parts[0].category, &ids) }
    }

    #[test]
    fn a_hand_join_reads_as_joined_not_as_gone() {
        let (a, b, c) = (hotspot("hurto_personas", &[1, 2]), hotspot("hurto_personas", &[3]), hotspot("rinas", &[10]));
        let before = diagnostico(vec![a.clone(), b.clone(), c.clone()]);
        let joined = joined_by_hand(7, &[&a, &b]);
        let after = diagnostico(vec![joined.clone(), c]);
        let comparison = compare(&before, &after);
        assert_eq!(comparison.count(Change::Disappeared), 0, "no mark was lost: {:?}", summary(&comparison));
        assert_eq!(
            summary(&comparison),
            vec![(Change::Grew, "hurto_personas", 2, 3), (Change::Same, "rinas", 1, 1), (Change::Joined, "hurto_personas", 1, 3)]
        );
        let (grew, went) = (&comparison.changes[0], &comparison.changes[2]);
        assert_eq!((grew.before_id, grew.after_id, grew.joined_others), (Some(a.id), Some(joined.id), 1));
        assert_eq!((went.before_id, went.after_id, went.joined_others), (Some(b.id), Some(joined.id), 0), "names the one it joined");
    }

    #[test]
    fn joining_equals_keeps_one_and_the_others_read_as_joined() {
        let parts = [hotspot("rinas", &[1, 2]), hotspot("rinas", &[3, 4]), hotspot("rinas", &[5, 6])];
        let joined = joined_by_hand(2, &[&parts[0], &parts[1], &parts[2]]);
        let comparison = compare(&diagnostico(parts.to_vec()), &diagnostico(vec![joined.clone()]));
        assert_eq!(summary(&comparison), vec![(Change::Grew, "rinas", 2, 6), (Change::Joined, "rinas", 2, 6), (Change::Joined, "rinas", 2, 6)]);
        // The one carried on is the smallest id; the other two follow in id order.
        let mut ids: Vec<Uuid> = parts.iter().map(|h| h.id).collect();
        ids.sort();
        let before_ids: Vec<Uuid> = comparison.changes.iter().filter_map(|l| l.before_id).collect();
        assert_eq!(before_ids, ids);
        assert!(comparison.changes.iter().all(|l| l.after_id == Some(joined.id)));
        assert_eq!(comparison.changes[0].joined_others, 2);
    }

    #[test]
    fn only_a_hotspot_with_no_mark_in_any_newer_one_is_gone() {
        // 4 was rejected after the join: its hotspot still joined; 20 and 21 were all deleted.
        let before = diagnostico(vec![hotspot("hurto_personas", &[1, 2]), hotspot("hurto_personas", &[3, 4]), hotspot("punto_basura", &[20, 21])]);
        let after = diagnostico(vec![Hotspot { adjustments: vec![1], ..hotspot("hurto_personas", &[1, 2, 3]) }]);
        let comparison = compare(&before, &after);
        assert_eq!(
            summary(&comparison),
            vec![(Change::Grew, "hurto_personas", 2, 3), (Change::Joined, "hurto_personas", 2, 3), (Change::Disappeared, "punto_basura", 2, 0)]
        );
    }

    #[test]
    fn the_comparison_does_not_depend_on_the_order_of_the_hotspots() {
        let parts = [hotspot("rinas", &[1]), hotspot("rinas", &[2]), hotspot("hurto_personas", &[3, 4]), hotspot("extorsion", &[9])];
        let joined = joined_by_hand(1, &[&parts[0], &parts[1]]);
        let after = vec![joined, hotspot("hurto_personas", &[3]), hotspot("hurto_personas", &[4, 5]), hotspot("alumbrado_deficiente", &[30])];
        let reference = compare(&diagnostico(parts.to_vec()), &diagnostico(after.clone()));
        let (mut parts_rev, mut after_rev) = (parts.to_vec(), after);
        parts_rev.reverse();
        after_rev.reverse();
        assert_eq!(compare(&diagnostico(parts_rev), &diagnostico(after_rev)), reference);
        let kinds: Vec<Change> = reference.changes.iter().map(|l| l.change).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted, "listed in the order of the changes");
        assert_eq!((reference.count(Change::Joined), reference.count(Change::Disappeared)), (1, 1));
    }
}
