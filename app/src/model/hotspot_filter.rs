//! What the staff's filters (category, workshop, time of day, dates) leave of a diagnóstico's
//! hotspots: each hotspot keeps only its source marks that pass, with its counts and profiles
//! taken again over them, so "de noche" shows how many marks speak of the night.

use std::collections::{BTreeSet, HashMap};

use uuid::Uuid;

use super::attributes::TimeOfDay;
use super::diagnostico::{participant, AffectedProfile, DaysProfile, FrequencyProfile, Hotspot, SinceProfile, TimeProfile};
use super::mark::Mark;
use super::workshop::colombia_date_time;

/// The filters; `Default` lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HotspotFilter {
    /// A category code.
    pub category: Option<String>,
    /// Marks drawn in this workshop.
    pub workshop: Option<Uuid>,
    /// Marks that name this time of day.
    pub time: Option<TimeOfDay>,
    /// Marks made on or after this day, `YYYY-MM-DD` in Colombian time.
    pub from_day: Option<String>,
    /// Marks made on or before this day.
    pub to_day: Option<String>,
}

impl HotspotFilter {
    pub fn is_empty(&self) -> bool {
        *self == HotspotFilter::default()
    }

    /// Whether a mark passes the filters that look at marks (all but the category).
    pub fn accepts(&self, mark: &Mark) -> bool {
        if self.workshop.is_some_and(|w| mark.workshop_id != Some(w)) {
            return false;
        }
        if self.time.is_some_and(|t| !mark.attributes.times.contains(&t)) {
            return false;
        }
        if self.from_day.is_some() || self.to_day.is_some() {
            let (day, _) = colombia_date_time(mark.created_at_ms);
            if self.from_day.as_ref().is_some_and(|from| day < *from) || self.to_day.as_ref().is_some_and(|to| day > *to) {
                return false;
            }
        }
        true
    }

    /// The hotspots with at least one mark that passes, each reduced to those marks (its id
    /// stays, so it can still be opened, noted and corrected). `marks` are the barrio's marks
    /// by id; a source mark missing from them does not pass a filter. Without filters, the
    /// hotspots as they are.
    pub fn apply(&self, hotspots: &[Hotspot], marks: &HashMap<Uuid, Mark>) -> Vec<Hotspot> {
        let in_category = |h: &&Hotspot| self.category.as_ref().is_none_or(|c| *c == h.category);
        if self.workshop.is_none() && self.time.is_none() && self.from_day.is_none() && self.to_day.is_none() {
            return hotspots.iter().filter(in_category).cloned().collect();
        }
        hotspots
            .iter()
            .filter(in_category)
            .filter_map(|h| {
                let kept: Vec<&Mark> = h.source_ids.iter().filter_map(|id| marks.get(id)).filter(|m| self.accepts(m)).collect();
                (!kept.is_empty()).then(|| recount(h, &kept))
            })
            .collect()
    }
}

/// `hotspot` with its counts, dates and profiles taken over `marks` (sorted by id) alone.
pub fn recount(hotspot: &Hotspot, marks: &[&Mark]) -> Hotspot {
    let mut times = TimeProfile::default();
    let mut days = DaysProfile::default();
    let mut frequency = FrequencyProfile::default();
    let mut since = SinceProfile::default();
    let mut affected = AffectedProfile::default();
    let mut people = BTreeSet::new();
    let mut workshops = BTreeSet::new();
    for m in marks {
        let a = &m.attributes;
        people.insert(participant(&m.alias, m.hlc.as_ref(), m.workshop_id));
        workshops.extend(m.workshop_id);
        if a.times.is_empty() {
            times.sin_dato += 1;
        }
        a.times.iter().for_each(|t| times.add(*t));
        if a.days.is_empty() {
            days.sin_dato += 1;
        }
        a.days.iter().for_each(|d| days.add(*d));
        match a.frequency {
            Some(f) => frequency.add(f),
            None => frequency.sin_dato += 1,
        }
        match a.since {
            Some(s) => since.add(s),
            None => since.sin_dato += 1,
        }
        if a.affected.is_empty() {
            affected.sin_dato += 1;
        }
        a.affected.iter().for_each(|x| affected.add(*x));
    }
    Hotspot {
        count: marks.len() as u32,
        participants: people.len() as u32,
        workshops: workshops.len() as u32,
        first_reported_ms: marks.iter().map(|m| m.created_at_ms).min().unwrap_or(hotspot.first_reported_ms),
        last_reported_ms: marks.iter().map(|m| m.created_at_ms).max().unwrap_or(hotspot.last_reported_ms),
        times,
        days,
        frequency,
        since,
        affected,
        source_ids: marks.iter().map(|m| m.id).collect(),
        ..hotspot.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostico::{hotspot_id, GeometryKind};

    const DAY: i64 = 86_400_000;
    /// 2026-11-21 12:00 in Colombia.
    const T: i64 = 1_795_280_400_000;

    fn mark(n: u128, alias: &str, workshop: Option<u128>, times: Vec<TimeOfDay>, at: i64) -> Mark {
        let mut m = Mark::new_point(Uuid::from_u128(n), 1, "hurto_personas", -74.2, 11.24, at);
        m.alias = alias.into();
        m.workshop_id = workshop.map(Uuid::from_u128);
        m.attributes.times = times;
        m
    }

    fn hotspot(marks: &[&Mark]) -> Hotspot {
        let ids: Vec<Uuid> = marks.iter().map(|m| m.id).collect();
        Hotspot {
            id: hotspot_id(&ids),
            barrio_id: 1,
            category: "hurto_personas".into(),
            sensitive: false,
            geometry_kind: GeometryKind::Point,
            geometry: geojson::Geometry::new(geojson::Value::Point(vec![-74.2, 11.24])),
            adjustments: vec![],
            ..recount(&placeholder(), marks)
        }
    }

    fn placeholder() -> Hotspot {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::nil(), "barrio_id": 1, "category": "x", "sensitive": false, "geometry_kind": "point",
            "geometry": {"type": "Point", "coordinates": [0.0, 0.0]}, "count": 0, "participants": 0, "workshops": 0,
            "first_reported_ms": 0, "last_reported_ms": 0, "times": {}, "days": {}, "frequency": {}, "since": {}, "affected": {},
            "source_ids": []
        }))
        .expect("a hotspot")
    }

    fn setup() -> (Vec<Hotspot>, HashMap<Uuid, Mark>) {
        let marks = [
            mark(1, "Rosa", Some(100), vec![TimeOfDay::Night], T),
            mark(2, "Pedro", Some(100), vec![TimeOfDay::Morning], T + DAY),
            mark(3, "Rosa", Some(200), vec![TimeOfDay::Night, TimeOfDay::SmallHours], T + 7 * DAY),
        ];
        let h = hotspot(&marks.iter().collect::<Vec<_>>());
        (vec![h], marks.into_iter().map(|m| (m.id, m)).collect())
    }

    #[test]
    fn no_filter_keeps_every_hotspot_as_it_is() {
        let (hotspots, marks) = setup();
        assert_eq!(HotspotFilter::default().apply(&hotspots, &marks), hotspots);
        assert_eq!((hotspots[0].count, hotspots[0].participants, hotspots[0].workshops), (3, 2, 2));
    }

    #[test]
    fn a_workshop_filter_counts_only_that_workshops_marks() {
        let (hotspots, marks) = setup();
        let f = HotspotFilter { workshop: Some(Uuid::from_u128(100)), ..Default::default() };
        let out = f.apply(&hotspots, &marks);
        assert_eq!((out[0].count, out[0].participants, out[0].workshops), (2, 2, 1));
        assert_eq!(out[0].id, hotspots[0].id, "still the same hotspot");
        assert_eq!(out[0].source_ids, vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
    }

    #[test]
    fn time_of_day_and_dates_filter_marks() {
        let (hotspots, marks) = setup();
        let night = HotspotFilter { time: Some(TimeOfDay::Night), ..Default::default() }.apply(&hotspots, &marks);
        assert_eq!((night[0].count, night[0].participants, night[0].times.noche), (2, 1, 2));
        let first_days = HotspotFilter { from_day: Some("2026-11-21".into()), to_day: Some("2026-11-22".into()), ..Default::default() };
        let out = first_days.apply(&hotspots, &marks);
        assert_eq!((out[0].count, out[0].first_reported_ms, out[0].last_reported_ms), (2, T, T + DAY));
        let none = HotspotFilter { from_day: Some("2027-01-01".into()), ..Default::default() };
        assert!(none.apply(&hotspots, &marks).is_empty(), "a hotspot with no mark left is not shown");
        let other = HotspotFilter { category: Some("rinas".into()), ..Default::default() };
        assert!(other.apply(&hotspots, &marks).is_empty());
    }
}
