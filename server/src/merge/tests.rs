//! The engine on known inputs, and its properties on generated ones.

use app::model::diagnostico::{Diagnostico, GeometryKind, MergeParams};
use app::model::{Attributes, Cause, Days, Frequency, Hlc, Mark, Solution, TimeOfDay};
use proptest::prelude::*;
use uuid::Uuid;

use super::synthetic::Mulberry32;
use app::model::adjustment::{Adjustment, AdjustmentAction, Cancellation};

use super::{merge, merge_adjusted, merge_all, Frame};

const T: i64 = 1_764_000_000_000;
const LON: f64 = -74.2;
const LAT: f64 = 11.24;

fn frame() -> Frame {
    Frame::new(LON, LAT)
}

/// A point mark of barrio 1, `x` metres east and `y` north of a fixed place.
fn at(n: u128, category: &str, x: f64, y: f64) -> Mark {
    let [lon, lat] = frame().to_lonlat([x, y]);
    Mark::new_point(Uuid::from_u128(n), 1, category, lon, lat, T + n as i64)
}

fn positions(pts: &[[f64; 2]]) -> Vec<Vec<f64>> {
    pts.iter().map(|p| frame().to_lonlat(*p).to_vec()).collect()
}

fn route(n: u128, category: &str, pts: &[[f64; 2]]) -> Mark {
    let g = geojson::Geometry::new(geojson::Value::LineString(positions(pts)));
    Mark::new_shape(Uuid::from_u128(n), 1, category, g, T)
}

fn square(n: u128, category: &str, x: f64, y: f64, side: f64) -> Mark {
    let ring = positions(&[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]);
    Mark::new_shape(Uuid::from_u128(n), 1, category, geojson::Geometry::new(geojson::Value::Polygon(vec![ring])), T)
}

fn diag(marks: &[Mark]) -> Diagnostico {
    merge(1, marks, &[], &[], &MergeParams::default())
}

fn counts(d: &Diagnostico) -> Vec<u32> {
    d.hotspots.iter().map(|h| h.count).collect()
}

#[test]
fn three_close_points_and_a_far_one_make_two_hotspots() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 20.0, 0.0), at(3, "rinas", 40.0, 0.0), at(4, "rinas", 500.0, 0.0)];
    let d = diag(&marks);
    assert_eq!(counts(&d), vec![3, 1]);
    let ids = |n: &[u128]| n.iter().map(|n| Uuid::from_u128(*n)).collect::<Vec<_>>();
    assert_eq!(d.hotspots[0].source_ids, ids(&[1, 2, 3]));
    assert_eq!(d.hotspots[1].source_ids, ids(&[4]));
    assert_eq!(d.hotspots[0].geometry_kind, GeometryKind::Point);
    // The centroid is the middle point, to 7 decimals.
    let [lon, lat] = frame().to_lonlat([20.0, 0.0]);
    let round = |v: f64| (v * 1e7).round() / 1e7;
    assert_eq!(d.hotspots[0].geometry.value, geojson::Value::Point(vec![round(lon), round(lat)]));
    assert_eq!((d.hotspots[0].first_reported_ms, d.hotspots[0].last_reported_ms), (T + 1, T + 3));
    assert_eq!(d.totals.marks, 4);
    assert_eq!(d.totals.hotspots, 2);
    assert_eq!(d.hotspots[0].id, app::model::hotspot_id(&d.hotspots[0].source_ids));
}

#[test]
fn the_radius_decides_between_49_and_51_metres() {
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 49.0, 0.0)])), vec![2]);
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 51.0, 0.0)])), vec![1, 1]);
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 0.0, 49.0)])), vec![2]);
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 0.0, 51.0)])), vec![1, 1]);
    let wide = MergeParams { point_radius_m: 60.0, ..MergeParams::default() };
    assert_eq!(counts(&merge(1, &[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 51.0, 0.0)], &[], &[], &wide)), vec![2]);
}

#[test]
fn a_chain_of_points_40_m_apart_is_one_hotspot_single_linkage() {
    // 100 points (past the all-pairs threshold, so the grid is used) along 3,960 m.
    let marks: Vec<Mark> = (0..100).map(|i| at(i + 1, "alumbrado_deficiente", 40.0 * i as f64, 0.0)).collect();
    assert_eq!(counts(&diag(&marks)), vec![100]);
    // Cut the chain once (a 90 m gap) and it is two.
    let cut: Vec<Mark> =
        (0..100).map(|i| at(i + 1, "alumbrado_deficiente", 40.0 * i as f64 + if i >= 50 { 50.0 } else { 0.0 }, 0.0)).collect();
    assert_eq!(counts(&diag(&cut)), vec![50, 50]);
}

#[test]
fn different_categories_never_merge_and_are_sorted_by_code() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "hurto_personas", 0.0, 0.0), at(3, "rinas", 1.0, 0.0), at(4, "amenazas", 0.0, 0.0)];
    let d = diag(&marks);
    let cats: Vec<(&str, u32)> = d.hotspots.iter().map(|h| (h.category.as_str(), h.count)).collect();
    assert_eq!(cats, vec![("amenazas", 1), ("hurto_personas", 1), ("rinas", 2)]);
    assert!(d.hotspots[0].sensitive && !d.hotspots[2].sensitive);
}

#[test]
fn within_a_category_bigger_hotspots_come_first() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 300.0, 0.0), at(3, "rinas", 310.0, 0.0), at(4, "rinas", 900.0, 0.0)];
    let d = diag(&marks);
    assert_eq!(counts(&d), vec![2, 1, 1]);
    assert!(d.hotspots[1].id < d.hotspots[2].id);
}

#[test]
fn deleted_marks_are_left_out_and_the_latest_version_counts() {
    let gone = Mark { deleted: true, version: 2, updated_at_ms: T + 10, ..at(2, "rinas", 10.0, 0.0) };
    let d = diag(&[at(1, "rinas", 0.0, 0.0), gone.clone(), at(3, "rinas", 600.0, 0.0)]);
    assert_eq!(counts(&d), vec![1, 1]);
    assert!(d.hotspots.iter().all(|h| !h.source_ids.contains(&Uuid::from_u128(2))));
    assert_eq!(d.totals.marks, 2);
    // The live first version beside its tombstone: the tombstone is current, in any order.
    let first = at(2, "rinas", 10.0, 0.0);
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), first.clone(), gone.clone()])), vec![1]);
    assert_eq!(counts(&diag(&[gone.clone(), at(1, "rinas", 0.0, 0.0), first.clone()])), vec![1]);
    // A mark moved far away in version 2 counts where it is now.
    let moved = Mark { version: 2, updated_at_ms: T + 10, ..at(2, "rinas", 800.0, 0.0) };
    assert_eq!(counts(&diag(&[at(1, "rinas", 0.0, 0.0), moved.clone(), first.clone()])), vec![1, 1]);
    assert_eq!(diag(&[moved.clone(), at(1, "rinas", 0.0, 0.0), first]), diag(&[at(1, "rinas", 0.0, 0.0), at(2, "rinas", 800.0, 0.0)]));
    // Everything deleted: an empty diagnóstico.
    let d = diag(&[gone]);
    assert!(d.hotspots.is_empty());
    assert_eq!(d.totals.marks, 0);
}

fn by(mut m: Mark, alias: &str, device: Option<&str>, workshop: Option<u128>) -> Mark {
    m.alias = alias.to_string();
    m.hlc = device.map(|d| Hlc { ms: m.created_at_ms, counter: 0, node: d.to_string() });
    m.workshop_id = workshop.map(Uuid::from_u128);
    m
}

#[test]
fn participants_and_workshops_are_counted_once_each() {
    let marks = [
        by(at(1, "rinas", 0.0, 0.0), "Rosa", Some("dev-a"), Some(100)),
        // Rosa again, on another device and in another workshop: still Rosa.
        by(at(2, "rinas", 5.0, 0.0), "Rosa", Some("dev-b"), Some(200)),
        by(at(3, "rinas", 10.0, 0.0), "Beto", Some("dev-a"), Some(100)),
        // No alias: one participant per device, however many marks.
        by(at(4, "rinas", 15.0, 0.0), "", Some("dev-c"), Some(100)),
        by(at(5, "rinas", 20.0, 0.0), "", Some("dev-c"), None),
        by(at(6, "rinas", 25.0, 0.0), "", Some("dev-d"), None),
        // Neither alias nor device: one per workshop.
        by(at(7, "rinas", 30.0, 0.0), "", None, Some(100)),
        by(at(8, "rinas", 35.0, 0.0), "", None, Some(100)),
        by(at(9, "rinas", 40.0, 0.0), "", None, None),
        // Aliases are compared exactly.
        by(at(10, "rinas", 45.0, 0.0), "rosa", Some("dev-a"), Some(300)),
    ];
    let d = diag(&marks);
    assert_eq!(counts(&d), vec![10]);
    let h = &d.hotspots[0];
    // Rosa, Beto, dev-c, dev-d, anonymous of 100, anonymous without workshop, rosa.
    assert_eq!(h.participants, 7);
    assert_eq!(h.workshops, 3);
    assert_eq!((d.totals.participants, d.totals.workshops), (7, 3));
    // Counted per hotspot, not per barrio.
    let d = diag(&[by(at(1, "rinas", 0.0, 0.0), "Rosa", None, Some(100)), by(at(2, "rinas", 900.0, 0.0), "Beto", None, Some(200))]);
    assert!(d.hotspots.iter().all(|h| h.participants == 1 && h.workshops == 1));
}

#[test]
fn profiles_count_every_answer_and_who_said_nothing() {
    let said = |n: u128, times: Vec<TimeOfDay>, frequency: Option<Frequency>| Mark {
        attributes: Attributes { times, days: vec![Days::Weekend], frequency, ..Attributes::default() },
        ..at(n, "rinas", n as f64, 0.0)
    };
    let marks = [
        said(1, vec![TimeOfDay::Night], Some(Frequency::Often)),
        said(2, vec![TimeOfDay::Night, TimeOfDay::SmallHours], Some(Frequency::Often)),
        said(3, vec![TimeOfDay::Morning, TimeOfDay::Afternoon, TimeOfDay::Night], None),
        said(4, vec![], Some(Frequency::Always)),
    ];
    let h = &diag(&marks).hotspots[0];
    assert_eq!((h.times.manana, h.times.tarde, h.times.noche, h.times.madrugada, h.times.sin_dato), (1, 1, 3, 1, 1));
    // Bands add up to the answers given, and every mark either answered or did not.
    let given: usize = marks.iter().map(|m| m.attributes.times.len()).sum();
    assert_eq!(h.times.answers() as usize, given);
    assert_eq!(h.times.sin_dato as usize, marks.iter().filter(|m| m.attributes.times.is_empty()).count());
    assert_eq!((h.frequency.frecuente, h.frequency.permanente, h.frequency.sin_dato), (2, 1, 1));
    assert_eq!(h.frequency.answers() + h.frequency.sin_dato, h.count);
    assert_eq!(h.days.fin_de_semana, 4);
    assert_eq!(h.since.sin_dato, 4);
    assert_eq!(h.affected.sin_dato, 4);
}

#[test]
fn similar_routes_merge_in_either_direction_and_the_medoid_represents_them() {
    let marks = [
        route(1, "hurto_personas", &[[0.0, 0.0], [300.0, 0.0]]),
        // The same street drawn from the other end, 20 m off.
        route(2, "hurto_personas", &[[300.0, 20.0], [150.0, 20.0], [0.0, 20.0]]),
        route(3, "hurto_personas", &[[0.0, 40.0], [300.0, 40.0]]),
        // A street 200 m away.
        route(4, "hurto_personas", &[[0.0, 240.0], [300.0, 240.0]]),
        // A point on the first street stays a point.
        at(5, "hurto_personas", 150.0, 0.0),
    ];
    let d = diag(&marks);
    let mut shape: Vec<(GeometryKind, u32)> = d.hotspots.iter().map(|h| (h.geometry_kind, h.count)).collect();
    assert_eq!(shape[0], (GeometryKind::Route, 3));
    shape.sort();
    assert_eq!(shape, vec![(GeometryKind::Point, 1), (GeometryKind::Route, 1), (GeometryKind::Route, 3)]);
    // The middle route is the medoid, rounded to 7 decimals.
    let expected: Vec<Vec<f64>> = positions(&[[300.0, 20.0], [150.0, 20.0], [0.0, 20.0]])
        .iter()
        .map(|p| vec![(p[0] * 1e7).round() / 1e7, (p[1] * 1e7).round() / 1e7])
        .collect();
    assert_eq!(d.hotspots[0].geometry.value, geojson::Value::LineString(expected));
}

#[test]
fn overlapping_zones_merge() {
    let marks = [
        square(1, "lote_baldio", 0.0, 0.0, 100.0),
        square(2, "lote_baldio", 30.0, 0.0, 100.0),
        square(3, "lote_baldio", 10.0, 10.0, 20.0),
        square(4, "lote_baldio", 500.0, 0.0, 100.0),
    ];
    let d = diag(&marks);
    let shape: Vec<(GeometryKind, u32)> = d.hotspots.iter().map(|h| (h.geometry_kind, h.count)).collect();
    assert_eq!(shape, vec![(GeometryKind::Zone, 3), (GeometryKind::Zone, 1)]);
    assert_eq!(d.hotspots[0].geometry.value, marks_rounded(&marks[0]));
}

fn marks_rounded(m: &Mark) -> geojson::Value {
    match &m.geometry.value {
        geojson::Value::Polygon(r) => geojson::Value::Polygon(
            r.iter().map(|ring| ring.iter().map(|p| vec![(p[0] * 1e7).round() / 1e7, (p[1] * 1e7).round() / 1e7]).collect()).collect(),
        ),
        _ => unreachable!(),
    }
}

#[test]
fn an_unusable_geometry_is_counted_apart() {
    let bad = Mark::new_shape(Uuid::from_u128(2), 1, "rinas", geojson::Geometry::new(geojson::Value::MultiPoint(vec![vec![LON, LAT]])), T);
    let nan = Mark::new_point(Uuid::from_u128(3), 1, "rinas", f64::NAN, LAT, T);
    let d = diag(&[at(1, "rinas", 0.0, 0.0), bad, nan]);
    assert_eq!(counts(&d), vec![1]);
    assert_eq!((d.totals.marks, d.totals.skipped_marks), (1, 2));
}

fn cause(n: u128, category: &str, problems: &[u128], alias: &str) -> Cause {
    Cause {
        id: Uuid::from_u128(n),
        barrio_id: 1,
        category: category.into(),
        text: String::new(),
        problem_ids: problems.iter().map(|p| Uuid::from_u128(*p)).collect(),
        alias: alias.into(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
        workshop_id: None,
        hlc: None,
    }
}

fn solution(n: u128, institution: &str, causes: &[u128]) -> Solution {
    Solution {
        id: Uuid::from_u128(n),
        barrio_id: 1,
        text: format!("Solución {n}"),
        institution: institution.into(),
        cause_ids: causes.iter().map(|c| Uuid::from_u128(*c)).collect(),
        alias: "Facilitadora".into(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
        workshop_id: None,
        hlc: None,
    }
}

#[test]
fn causes_and_solutions_are_ranked_by_problems_then_participants() {
    let marks = [
        at(1, "rinas", 0.0, 0.0).by("Ana"),
        at(2, "rinas", 900.0, 0.0).by("Beto"),
        at(3, "hurto_personas", 0.0, 0.0).by("Ana"),
        Mark { deleted: true, ..at(4, "hurto_personas", 0.0, 0.0).by("Ana") },
        at(5, "parque", 0.0, 0.0).by("Carla"),
        at(6, "rinas", 0.0, 400.0).by("Ana"),
    ];
    let causes = [
        cause(10, "falta_iluminacion", &[1, 2], "Ana"),
        cause(11, "falta_iluminacion", &[3], "Ana"),
        cause(12, "consumo_alcohol", &[1, 2, 3], "Ana"),
        // All its problems are deleted, or not problems at all: out.
        cause(13, "desempleo_juvenil", &[4, 5], "Dora"),
        // Deleted: out.
        Cause { deleted: true, ..cause(14, "consumo_spa", &[1, 2, 3, 6], "Eva") },
        cause(15, "basuras_desorden", &[6], "Eva"),
    ];
    let solutions = [
        solution(20, "essmar", &[10]),
        solution(21, "policia", &[12, 13]),
        solution(22, "policia", &[15]),
        // Tied only to causes that are out.
        solution(23, "icbf", &[13, 14]),
        Solution { deleted: true, ..solution(24, "essmar", &[10]) },
    ];
    let d = merge(1, &marks, &causes, &solutions, &MergeParams::default());
    let ranked: Vec<(&str, u32, u32)> = d.causes.iter().map(|c| (c.category.as_str(), c.problems, c.participants)).collect();
    // falta_iluminacion and consumo_alcohol tie on problems and people: by code.
    assert_eq!(ranked, vec![("consumo_alcohol", 3, 2), ("falta_iluminacion", 3, 2), ("basuras_desorden", 1, 2)]);
    assert_eq!(d.causes[1].cause_ids, vec![Uuid::from_u128(10), Uuid::from_u128(11)]);
    assert_eq!(d.causes[1].problem_ids, (1..=3).map(Uuid::from_u128).collect::<Vec<_>>());
    let groups: Vec<(&str, u32, Vec<Uuid>)> = d
        .solutions_by_institution
        .iter()
        .map(|g| (g.institution.as_str(), g.problems, g.solutions.iter().map(|s| s.id).collect()))
        .collect();
    assert_eq!(groups, vec![("policia", 4, vec![Uuid::from_u128(21), Uuid::from_u128(22)]), ("essmar", 2, vec![Uuid::from_u128(20)])]);
    assert_eq!(d.solutions_by_institution[0].solutions[0].cause_ids, vec![Uuid::from_u128(12)]);
    // Facilitadora, Ana, Beto.
    assert_eq!(d.solutions_by_institution[0].solutions[0].participants, 3);
    assert_eq!((d.totals.causes, d.totals.solutions), (4, 3));
    // Ana, Beto, Carla (marks), Eva (a cause), Facilitadora (solutions); not Dora, whose
    // cause is out.
    assert_eq!(d.totals.participants, 5);
}

#[test]
fn merge_ignores_other_barrios_and_merge_all_agrees_with_it() {
    let mut marks = vec![at(1, "rinas", 0.0, 0.0), at(2, "rinas", 10.0, 0.0)];
    marks.push(Mark { barrio_id: 2, ..at(3, "rinas", 5.0, 0.0) });
    marks.push(Mark { barrio_id: 9, deleted: true, ..at(4, "rinas", 5.0, 0.0) });
    let all = merge_all(&marks, &[], &[], &MergeParams::default());
    assert_eq!(all.iter().map(|d| d.barrio_id).collect::<Vec<_>>(), vec![1, 2, 9]);
    for d in &all {
        assert_eq!(d, &merge(d.barrio_id, &marks, &[], &[], &MergeParams::default()));
    }
    assert_eq!(counts(&all[0]), vec![2]);
    assert!(all[2].hotspots.is_empty());
    assert!(merge(5, &marks, &[], &[], &MergeParams::default()).hotspots.is_empty());
}

#[test]
fn the_parameters_used_are_recorded_sanitized() {
    let d = merge(1, &[at(1, "rinas", 0.0, 0.0)], &[], &[], &MergeParams { point_radius_m: f64::NAN, ..MergeParams::default() });
    assert_eq!(d.params, MergeParams::default());
    assert_eq!(d.engine_version, app::model::diagnostico::ENGINE_VERSION);
}

#[test]
fn the_synthetic_city_merges_every_live_mark_once() {
    let data = super::synthetic::city(20_000, super::synthetic::DEFAULT_SEED);
    let all = merge_all(&data.marks, &data.causes, &data.solutions, &MergeParams::default());
    check_partition(&data.marks, &all);
    let hotspots: usize = all.iter().map(|d| d.hotspots.len()).sum();
    let live = data.marks.iter().filter(|m| !m.deleted).count();
    // About 33 marks per barrio over 35 categories: many alone, some together.
    assert!(hotspots < live * 3 / 4 && hotspots > 600, "{hotspots} hotspots for {live} marks");
    assert!(all.iter().any(|d| !d.causes.is_empty() && !d.solutions_by_institution.is_empty()));
}

/// Every live mark is in exactly one hotspot of its own barrio, kind and category, and every
/// hotspot's count is its number of sources.
fn check_partition(marks: &[Mark], all: &[Diagnostico]) {
    let mut current: std::collections::BTreeMap<Uuid, &Mark> = std::collections::BTreeMap::new();
    for m in marks {
        let keep = match current.get(&m.id) {
            Some(old) => {
                let c = |m: &Mark| m.hlc.clone().unwrap_or_else(|| Hlc::legacy(m.created_at_ms, m.updated_at_ms, m.version));
                c(m) > c(old)
            }
            None => true,
        };
        if keep {
            current.insert(m.id, m);
        }
    }
    let mut seen = std::collections::BTreeMap::new();
    for d in all {
        for h in &d.hotspots {
            assert_eq!(h.count as usize, h.source_ids.len());
            assert!(h.source_ids.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
            for id in &h.source_ids {
                assert!(seen.insert(*id, h.id).is_none(), "{id} is in two hotspots");
                let m = current[id];
                assert_eq!((m.barrio_id, m.category.as_str()), (d.barrio_id, h.category.as_str()));
                assert!(!m.deleted);
            }
        }
        assert_eq!(d.totals.marks as usize, d.hotspots.iter().map(|h| h.source_ids.len()).sum::<usize>());
    }
    let live: Vec<Uuid> = current.values().filter(|m| !m.deleted).map(|m| m.id).collect();
    assert_eq!(live, seen.keys().copied().collect::<Vec<_>>());
}

/// A mark from generated numbers: barrio 1–3, one of four categories, a point (or now and
/// then a route or a zone) somewhere in 600 m, a few aliases, devices and workshops.
#[allow(clippy::type_complexity)]
fn arb_marks() -> impl Strategy<Value = Vec<Mark>> {
    let one = (1i64..=3, 0usize..4, 0.0..600.0f64, 0.0..600.0f64, 0u8..20, 0usize..4, 0usize..3, 0u8..16, 0u8..10, 0u8..10);
    proptest::collection::vec(one, 0..150).prop_map(|v| {
        let cats = ["rinas", "hurto_personas", "amenazas", "lote_baldio"];
        let mut marks = Vec::new();
        for (i, (barrio, cat, x, y, shape, alias, workshop, times, deleted, again)) in v.into_iter().enumerate() {
            let n = i as u128 + 1;
            let mut m = match shape {
                0 => route(n, cats[cat], &[[x, y], [x + 120.0, y + 30.0], [x + 250.0, y]]),
                1 => square(n, cats[cat], x, y, 60.0 + x / 10.0),
                _ => at(n, cats[cat], x, y),
            };
            m.barrio_id = barrio;
            m.alias = ["", "Ana", "Beto", "Carla"][alias].to_string();
            m.workshop_id = (workshop > 0).then(|| Uuid::from_u128(1000 + workshop as u128));
            m.hlc = (alias == 0 && workshop != 1).then(|| Hlc { ms: m.created_at_ms, counter: 0, node: format!("dev-{}", i % 3) });
            m.attributes.times = TimeOfDay::ALL.iter().enumerate().filter(|(k, _)| times & (1 << k) != 0).map(|(_, t)| *t).collect();
            m.deleted = deleted == 0;
            // Now and then a second version of the same mark: moved, or deleted.
            if again == 0 {
                let later = Hlc { ms: m.created_at_ms + 1, counter: 0, node: "dev-x".into() };
                let [lon, lat] = frame().to_lonlat([y, x]);
                let mut v2 = Mark { version: 2, updated_at_ms: m.created_at_ms + 1, hlc: Some(later), ..m.clone() };
                if m.point().is_some() {
                    v2.geometry = geojson::Geometry::new(geojson::Value::Point(vec![lon, lat]));
                }
                v2.deleted = x > 500.0;
                marks.push(v2);
            }
            marks.push(m);
        }
        marks
    })
}

fn shuffled<T: Clone>(v: &[T], seed: u32) -> Vec<T> {
    let mut out = v.to_vec();
    let mut rng = Mulberry32::new(seed);
    for i in (1..out.len()).rev() {
        out.swap(i, rng.pick(i + 1));
    }
    out
}

fn correction(seq: i64, action: AdjustmentAction, ids: &[u128]) -> Adjustment {
    let mut mark_ids: Vec<Uuid> = ids.iter().map(|n| Uuid::from_u128(*n)).collect();
    mark_ids.sort_unstable();
    mark_ids.dedup();
    Adjustment { seq, barrio_id: 1, action, mark_ids, reason: String::new(), reviewer: "Ana".into(), at_ms: T, cancelled: None }
}

fn corrected(marks: &[Mark], adjustments: &[Adjustment]) -> Diagnostico {
    merge_adjusted(1, marks, &[], &[], &MergeParams::default(), adjustments)
}

#[test]
fn staff_join_two_hotspots_the_rules_kept_apart() {
    let marks = [at(1, "rinas", 0.0, 0.0).by("Ana"), at(2, "rinas", 300.0, 0.0).by("Beto"), at(3, "rinas", 900.0, 0.0)];
    assert_eq!(counts(&diag(&marks)), vec![1, 1, 1]);
    let d = corrected(&marks, &[correction(7, AdjustmentAction::Join, &[1, 2])]);
    assert_eq!(counts(&d), vec![2, 1]);
    let joined = &d.hotspots[0];
    assert_eq!(joined.source_ids, vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
    assert_eq!((joined.participants, joined.adjustments.clone()), (2, vec![7]));
    assert!(d.hotspots[1].adjustments.is_empty(), "the untouched hotspot says so");
    // The centroid of the joined marks.
    let [lon, lat] = frame().to_lonlat([150.0, 0.0]);
    let round = |v: f64| (v * 1e7).round() / 1e7;
    assert_eq!(joined.geometry.value, geojson::Value::Point(vec![round(lon), round(lat)]));
    assert_eq!((d.adjustments.clone(), d.totals.hotspots), (vec![7], 2));
}

#[test]
fn a_hand_join_reads_as_joined_in_the_comparison_not_as_gone() {
    use app::model::comparison::{compare, Change};
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 20.0, 0.0), at(3, "rinas", 300.0, 0.0), at(4, "hurto_personas", 900.0, 0.0)];
    let before = diag(&marks);
    let after = corrected(&marks, &[correction(7, AdjustmentAction::Join, &[1, 2, 3])]);
    let c = compare(&before, &after);
    let lines: Vec<(Change, &str, u32, u32)> = c.changes.iter().map(|l| (l.change, l.category.as_str(), l.before_count, l.after_count)).collect();
    assert_eq!(
        lines,
        vec![(Change::Grew, "rinas", 2, 3), (Change::Same, "hurto_personas", 1, 1), (Change::Joined, "rinas", 1, 3)],
        "the lone theft joined the pair; nothing disappeared"
    );
    assert_eq!(c.changes[2].after_id, Some(after.hotspots.iter().find(|h| h.adjustments == vec![7]).map(|h| h.id).unwrap_or_default()));
}

#[test]
fn staff_separate_marks_the_rules_put_together() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 20.0, 0.0), at(3, "rinas", 40.0, 0.0)];
    let d = corrected(&marks, &[correction(2, AdjustmentAction::Separate, &[3])]);
    assert_eq!(counts(&d), vec![2, 1]);
    assert_eq!(d.hotspots[1].source_ids, vec![Uuid::from_u128(3)]);
    assert!(d.hotspots.iter().all(|h| h.adjustments == vec![2]), "both parts of the split say who split them");
}

#[test]
fn corrections_never_cross_categories_or_kinds_and_cancelled_ones_are_skipped() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "hurto_personas", 5.0, 0.0), square(3, "rinas", 0.0, 0.0, 40.0)];
    let before = diag(&marks);
    let across = corrected(&marks, &[correction(1, AdjustmentAction::Join, &[1, 2, 3])]);
    assert_eq!(across.hotspots, before.hotspots, "a join across categories or kinds changes nothing");
    let mut undone = correction(1, AdjustmentAction::Separate, &[1]);
    let two = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 10.0, 0.0)];
    undone.cancelled = Some(Cancellation { reviewer: "Ana".into(), reason: String::new(), at_ms: T });
    assert_eq!(corrected(&two, &[undone]), diag(&two), "a cancelled correction is as if never made");
    let other_barrio = Adjustment { barrio_id: 2, ..correction(1, AdjustmentAction::Separate, &[1]) };
    assert_eq!(corrected(&two, &[other_barrio]), diag(&two));
}

#[test]
fn a_correction_naming_a_deleted_mark_still_does_what_it_can() {
    let marks = [at(1, "rinas", 0.0, 0.0), at(2, "rinas", 300.0, 0.0), Mark { deleted: true, ..at(3, "rinas", 600.0, 0.0) }];
    let d = corrected(&marks, &[correction(1, AdjustmentAction::Join, &[1, 2, 3])]);
    assert_eq!(counts(&d), vec![2]);
}

/// Corrections drawn from generated numbers over the ids 1..=150 that `arb_marks` uses.
fn arb_corrections() -> impl Strategy<Value = Vec<Adjustment>> {
    let one = (any::<bool>(), proptest::collection::vec(1u128..=150, 1..12), any::<bool>());
    proptest::collection::vec(one, 0..8).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (join, ids, cancelled))| {
                let action = if join { AdjustmentAction::Join } else { AdjustmentAction::Separate };
                let mut a = correction(i as i64 + 1, action, &ids);
                if cancelled && i % 3 == 0 {
                    a.cancelled = Some(Cancellation { reviewer: "Beto".into(), reason: String::new(), at_ms: T });
                }
                a
            })
            .collect()
    })
}

fn tree_for(marks: &[Mark]) -> (Vec<Cause>, Vec<Solution>) {
    let causes: Vec<Cause> = marks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 == 0)
        .map(|(i, m)| {
            let others: Vec<u128> =
                marks.iter().skip(i).step_by(5).take(3).filter(|o| o.barrio_id == m.barrio_id).map(|o| o.id.as_u128()).collect();
            let mut problems = others;
            problems.sort_unstable();
            problems.dedup();
            Cause {
                barrio_id: m.barrio_id,
                deleted: i % 3 == 0,
                ..cause(50_000 + i as u128, ["falta_iluminacion", "consumo_alcohol"][i % 2], &problems, ["Ana", ""][i % 2])
            }
        })
        .collect();
    let solutions = causes
        .iter()
        .enumerate()
        .map(|(k, c)| Solution { barrio_id: c.barrio_id, ..solution(90_000 + k as u128, ["policia", "essmar"][k % 2], &[c.id.as_u128()]) })
        .collect();
    (causes, solutions)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_live_mark_is_in_exactly_one_hotspot(marks in arb_marks(), radius in 5.0..150.0f64) {
        let params = MergeParams { point_radius_m: radius, ..MergeParams::default() };
        let (causes, solutions) = tree_for(&marks);
        let all = merge_all(&marks, &causes, &solutions, &params);
        check_partition(&marks, &all);
        for d in &all {
            prop_assert!(d.hotspots.len() <= marks.iter().filter(|m| m.barrio_id == d.barrio_id).count());
            prop_assert!(d.hotspots.windows(2).all(|w| (&w[0].category, std::cmp::Reverse(w[0].count), w[0].id) < (&w[1].category, std::cmp::Reverse(w[1].count), w[1].id)));
            for h in &d.hotspots {
                prop_assert_eq!(h.count as usize, h.source_ids.len());
                prop_assert!(h.times.sin_dato <= h.count);
                prop_assert_eq!(h.frequency.answers() + h.frequency.sin_dato, h.count);
                prop_assert_eq!(h.since.answers() + h.since.sin_dato, h.count);
                prop_assert!(h.participants >= 1 && h.participants <= h.count);
                prop_assert!(h.first_reported_ms <= h.last_reported_ms);
            }
            prop_assert_eq!(d, &merge(d.barrio_id, &marks, &causes, &solutions, &params));
        }
    }

    #[test]
    fn the_output_is_byte_identical_in_any_input_order(marks in arb_marks(), seed in any::<u32>()) {
        let (causes, solutions) = tree_for(&marks);
        let params = MergeParams::default();
        let json = serde_json::to_string(&merge_all(&marks, &causes, &solutions, &params)).unwrap();
        let again = serde_json::to_string(&merge_all(&marks, &causes, &solutions, &params)).unwrap();
        prop_assert_eq!(&json, &again);
        let reordered = serde_json::to_string(&merge_all(
            &shuffled(&marks, seed),
            &shuffled(&causes, seed ^ 1),
            &shuffled(&solutions, seed ^ 2),
            &params,
        ))
        .unwrap();
        prop_assert_eq!(&json, &reordered);
        for b in 1..=3 {
            let one = serde_json::to_string(&merge(b, &marks, &causes, &solutions, &params)).unwrap();
            let other = serde_json::to_string(&merge(b, &shuffled(&marks, seed ^ 3), &shuffled(&causes, seed), &solutions, &params)).unwrap();
            prop_assert_eq!(one, other);
        }
    }

    #[test]
    fn corrections_keep_every_live_mark_in_exactly_one_hotspot(marks in arb_marks(), corrections in arb_corrections(), seed in any::<u32>()) {
        let marks: Vec<Mark> = marks.into_iter().map(|m| Mark { barrio_id: 1, ..m }).collect();
        let d = corrected(&marks, &corrections);
        check_partition(&marks, std::slice::from_ref(&d));
        for h in &d.hotspots {
            prop_assert_eq!(h.id, app::model::hotspot_id(&h.source_ids));
            prop_assert!(h.adjustments.windows(2).all(|w| w[0] < w[1]));
        }
        let in_force: Vec<i64> = corrections.iter().filter(|a| a.in_force()).map(|a| a.seq).collect();
        prop_assert_eq!(&d.adjustments, &in_force);
        // Stable under re-running, and the same bytes whatever the order of marks and corrections.
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&corrected(&marks, &corrections)).unwrap());
        let reordered = corrected(&shuffled(&marks, seed), &shuffled(&corrections, seed ^ 5));
        prop_assert_eq!(&json, &serde_json::to_string(&reordered).unwrap());
        if in_force.is_empty() {
            prop_assert_eq!(&d, &diag(&marks));
        }
    }

    #[test]
    fn the_staff_filters_count_like_the_engine(marks in arb_marks()) {
        // Recounting a hotspot over all its marks (what a filter that lets everything
        // through does) gives back exactly what the engine made: one rule for participants,
        // workshops, dates and profiles on both sides.
        let d = merge(1, &marks, &[], &[], &MergeParams::default());
        let mut current: std::collections::HashMap<Uuid, &Mark> = std::collections::HashMap::new();
        for m in &marks {
            let c = |m: &Mark| m.hlc.clone().unwrap_or_else(|| Hlc::legacy(m.created_at_ms, m.updated_at_ms, m.version));
            if current.get(&m.id).is_none_or(|old| c(m) > c(old)) {
                current.insert(m.id, m);
            }
        }
        for h in &d.hotspots {
            let sources: Vec<&Mark> = h.source_ids.iter().map(|id| current[id]).collect();
            prop_assert_eq!(&app::model::hotspot_filter::recount(h, &sources), h);
        }
    }
}

#[test]
fn a_confirmation_counts_as_one_more_mark_and_one_more_person_of_each_kind_of_shape() {
    // "Yo también lo he visto" on a point, a route and a zone: each +1 joins its original's
    // hotspot, a second participant with it.
    let originals = [
        at(1, "rinas", 0.0, 0.0).by("Ana"),
        route(2, "consumo_sustancias", &[[0.0, 300.0], [200.0, 300.0]]).by("Ana"),
        square(3, "alumbrado_deficiente", 600.0, 0.0, 80.0).by("Ana"),
    ];
    let mut marks = originals.to_vec();
    for (n, original) in originals.iter().enumerate() {
        marks.push(Mark::confirming(original, Uuid::from_u128(10 + n as u128), T + 60_000).by("Beto"));
    }
    let d = diag(&marks);
    assert_eq!(d.hotspots.len(), 3, "{:?}", d.hotspots.iter().map(|h| (&h.category, h.count)).collect::<Vec<_>>());
    for h in &d.hotspots {
        assert_eq!((h.count, h.participants), (2, 2), "{}", h.category);
    }
    assert_eq!(d.totals.participants, 2);
}

#[test]
fn a_re_mapping_counts_only_the_marks_made_since_it_began() {
    // Three thefts at one corner: two from an earlier mapping, one since.
    let marks = [at(1, "hurto_personas", 0.0, 0.0), at(2, "hurto_personas", 5.0, 0.0), at(30, "hurto_personas", 2.0, 0.0)];
    let all = merge(1, &marks, &[], &[], &MergeParams::default());
    assert_eq!((all.hotspots.len(), all.hotspots[0].count), (1, 3));
    let since = MergeParams { desde_ms: Some(T + 10), ..MergeParams::default() };
    let again = merge(1, &marks, &[], &[], &since);
    assert_eq!((again.hotspots.len(), again.hotspots[0].count), (1, 1));
    assert_eq!(again.params.desde_ms, Some(T + 10), "the diagnóstico says how it was made");
}
