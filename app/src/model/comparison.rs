//! Two versions of a barrio's diagnóstico side by side: which hotspots appeared, grew, shrank
//! or disappeared between them. Hotspot ids change whenever a mark joins or leaves, so
//! hotspots are matched by the marks they share, not by id.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::diagnostico::{Diagnostico, Hotspot};

/// What became of one hotspot between the two versions.
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
    /// The hotspot in the newer version (none when it disappeared).
    pub after_id: Option<Uuid>,
    pub before_count: u32,
    pub after_count: u32,
    pub before_participants: u32,
    pub after_participants: u32,
}

/// The comparison of two versions of one barrio's diagnóstico.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub barrio_id: i64,
    pub before_marks: u32,
    pub after_marks: u32,
    /// Sorted by change (appeared, grew, shrank, same, disappeared), then category, then the
    /// larger count first, then ids: the same pair of versions always reads the same.
    pub changes: Vec<HotspotChange>,
}

impl Comparison {
    pub fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }
}

/// Compares `before` with `after`. Each newer hotspot is matched with the older hotspot it
/// shares most marks with (ties: the smaller id): both parts of a split hotspot point back to
/// it, and a merged one to its largest source. Older hotspots matched by none disappeared.
pub fn compare(before: &Diagnostico, after: &Diagnostico) -> Comparison {
    let mut owner: BTreeMap<Uuid, usize> = BTreeMap::new();
    for (i, h) in before.hotspots.iter().enumerate() {
        for id in &h.source_ids {
            owner.insert(*id, i);
        }
    }
    let mut matched = BTreeSet::new();
    let mut changes = Vec::new();
    for h in &after.hotspots {
        let mut shared: BTreeMap<usize, u32> = BTreeMap::new();
        for id in &h.source_ids {
            if let Some(&i) = owner.get(id) {
                *shared.entry(i).or_default() += 1;
            }
        }
        let best = shared.iter().max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| before.hotspots[**b].id.cmp(&before.hotspots[**a].id)));
        match best {
            None => changes.push(line(Change::Appeared, None, Some(h))),
            Some((&i, _)) => {
                let old = &before.hotspots[i];
                matched.insert(i);
                let change = match h.count.cmp(&old.count) {
                    std::cmp::Ordering::Greater => Change::Grew,
                    std::cmp::Ordering::Less => Change::Shrank,
                    std::cmp::Ordering::Equal => Change::Same,
                };
                changes.push(line(change, Some(old), Some(h)));
            }
        }
    }
    for (i, old) in before.hotspots.iter().enumerate() {
        if !matched.contains(&i) {
            changes.push(line(Change::Disappeared, Some(old), None));
        }
    }
    changes.sort_by(|a, b| {
        (a.change, &a.category, std::cmp::Reverse(a.after_count.max(a.before_count)), a.after_id, a.before_id).cmp(&(
            b.change,
            &b.category,
            std::cmp::Reverse(b.after_count.max(b.before_count)),
            b.after_id,
            b.before_id,
        ))
    });
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::{hotspot_id, GeometryKind, MergeParams, Totals, ENGINE_VERSION};

    fn hotspot(category: &str, ids: &[u128]) -> Hotspot {
        let source_ids: Vec<Uuid> = ids.iter().map(|n| Uuid::from_u128(*n)).collect();
        Hotspot {
            id: hotspot_id(&source_ids),
            barrio_id: 1,
            category: category.into(),
            sensitive: false,
            geometry_kind: GeometryKind::Point,
            geometry: geojson::Geometry::new(geojson::Value::Point(vec![-74.2, 11.24])),
            count: source_ids.len() as u32,
            participants: 1,
            workshops: 1,
            first_reported_ms: 0,
            last_reported_ms: 0,
            times: Default::default(),
            days: Default::default(),
            frequency: Default::default(),
            since: Default::default(),
            affected: Default::default(),
            source_ids,
            adjustments: vec![],
        }
    }

    fn diagnostico(hotspots: Vec<Hotspot>) -> Diagnostico {
        let marks = hotspots.iter().map(|h| h.count).sum();
        Diagnostico {
            barrio_id: 1,
            engine_version: ENGINE_VERSION,
            params: MergeParams::default(),
            hotspots,
            causes: vec![],
            solutions_by_institution: vec![],
            totals: Totals { marks, ..Default::default() },
            adjustments: vec![],
        }
    }

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
}
