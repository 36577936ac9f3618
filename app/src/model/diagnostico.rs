//! The *diagnóstico temprano* of a barrio: what the merge engine (`server::merge`) makes of all
//! the marks, causes and solutions drawn for it, across workshops, participants and devices.
//! These are the output types, shared by the server (which computes and stores them) and the
//! staff pages (which show them). Pure data: no I/O, and nothing here depends on the order in
//! which the engine met its input.
//!
//! # What counts as what
//! - A **hotspot** gathers the marks of one category and one geometry kind (point, route or
//!   zone) that the engine found to be about the same place; every live mark of the barrio is
//!   in exactly one hotspot (a lonely mark is a hotspot of one).
//! - A **participant** is known only by the alias chosen on the device. A non-empty alias is
//!   one participant across the whole barrio, in every workshop and on every device ("Rosa" in
//!   two workshops counts once; aliases are compared exactly, as validation keeps them
//!   trimmed). Records with an empty alias count as one anonymous participant per device (the
//!   device named by the record's clock, `hlc.node`); records with neither alias nor device
//!   (made before devices kept a clock) count as one anonymous participant per workshop
//!   (and one more for those made outside any workshop). So an unnamed phone passed round a
//!   group counts once and never inflates the count; two people who chose the same alias
//!   count as one.
//! - A **workshop** is a distinct `workshop_id`; records made outside a workshop add none.
//! - **Reported** dates are the marks' `created_at_ms` (device clock).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::attributes::{Affected, Days, Frequency, Since, TimeOfDay};
use super::clock::Hlc;

/// The version of the merge rules. It changes whenever the same input would give a different
/// diagnóstico (clustering rules, the hotspot id, rounding), so stored snapshots say which
/// rules made them.
pub const ENGINE_VERSION: u32 = 1;

/// Decimals kept in output coordinates: 1e-7 degrees is about 1 cm.
pub const COORDINATE_DECIMALS: i32 = 7;

/// The thresholds of the merge. Every member has a default, so `{}` is a valid value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergeParams {
    /// Two points of the same category at most this far apart (metres) are linked; a hotspot
    /// is a chain of linked points (single linkage), so it may be longer than this.
    pub point_radius_m: f64,
    /// Two routes of the same category are linked when their discrete Fréchet distance, after
    /// both are resampled every `route_step_m` and in the better of the two directions, is at
    /// most this (metres): like two people walking the routes, each at their own pace, never
    /// further apart than this.
    pub route_distance_m: f64,
    /// The resampling step of routes (metres). A route is resampled to at most
    /// [`MAX_ROUTE_POINTS`] points, so longer routes get a longer step.
    pub route_step_m: f64,
    /// Two zones of the same category are linked when their intersection over union is at
    /// least this...
    pub zone_iou: f64,
    /// ...or when their intersection covers at least this share of the smaller zone (a small
    /// zone drawn inside a large one). Zones that do not overlap at all are never linked.
    pub zone_cover: f64,
    /// A re-mapping: only the marks made at or after this instant (a Colombian midnight) count.
    /// Left out of the JSON when every mark counts, so older snapshots read the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desde_ms: Option<i64>,
}

/// The most points a resampled route keeps (see [`MergeParams::route_step_m`]).
pub const MAX_ROUTE_POINTS: usize = 64;

impl Default for MergeParams {
    fn default() -> Self {
        MergeParams { point_radius_m: 50.0, route_distance_m: 60.0, route_step_m: 10.0, zone_iou: 0.3, zone_cover: 0.5, desde_ms: None }
    }
}

impl MergeParams {
    /// The parameters the engine really uses, each forced into a sane range: radius 1 cm to
    /// 100 km, route distance 0 to 100 km, step 0.5 m to 1 km, shares 0 to 1. A value that is
    /// not a number takes its default. The diagnóstico records these, not the raw ones.
    pub fn sanitized(&self) -> MergeParams {
        let d = MergeParams::default();
        let clamp = |v: f64, lo: f64, hi: f64, default: f64| if v.is_nan() { default } else { v.clamp(lo, hi) };
        MergeParams {
            point_radius_m: clamp(self.point_radius_m, 0.01, 100_000.0, d.point_radius_m),
            route_distance_m: clamp(self.route_distance_m, 0.0, 100_000.0, d.route_distance_m),
            route_step_m: clamp(self.route_step_m, 0.5, 1_000.0, d.route_step_m),
            zone_iou: clamp(self.zone_iou, 0.0, 1.0, d.zone_iou),
            zone_cover: clamp(self.zone_cover, 0.0, 1.0, d.zone_cover),
            desde_ms: self.desde_ms,
        }
    }
}

/// What a hotspot's marks are drawn as. Marks of different kinds never merge, even of the
/// same category: a point inside a zone stays apart from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// Points (GeoJSON `Point`): the representative is their centroid.
    Point,
    /// Routes (`LineString`): the representative is the medoid route, the member with the
    /// smallest sum of Fréchet distances to the others (the lowest id on a tie).
    Route,
    /// Zones (`Polygon`): the representative is the medoid zone, the member with the largest
    /// sum of intersection-over-union with the others (the lowest id on a tie). A zone
    /// somebody drew, rather than a union that nobody drew and that grows with every mark.
    Zone,
}

/// Declares a count per choice of one attribute, with a field per choice named by its wire
/// code, plus `sin_dato` for marks that gave no answer.
macro_rules! tally {
    ($(#[$meta:meta])* $name:ident of $choice:ident { $($variant:ident => $field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(pub $field: u32,)+
            /// Marks that did not say.
            pub sin_dato: u32,
        }

        impl $name {
            /// Counts one mark that chose `choice`.
            pub fn add(&mut self, choice: $choice) {
                match choice { $($choice::$variant => self.$field += 1,)+ }
            }
            /// How many marks chose `choice`.
            pub fn get(&self, choice: $choice) -> u32 {
                match choice { $($choice::$variant => self.$field,)+ }
            }
            /// The sum over every choice (not counting `sin_dato`).
            pub fn answers(&self) -> u32 {
                0 $(+ self.$field)+
            }
        }
    };
}

tally! {
    /// Marks per time band. A mark may name several bands, so the bands add up to more than
    /// the marks that answered.
    TimeProfile of TimeOfDay { Morning => manana, Afternoon => tarde, Night => noche, SmallHours => madrugada }
}

tally! {
    /// Marks per kind of day (a mark may name both).
    DaysProfile of Days { Weekdays => entre_semana, Weekend => fin_de_semana }
}

tally! {
    /// Marks per frequency (one answer per mark).
    FrequencyProfile of Frequency { Sometimes => a_veces, Often => frecuente, Always => permanente }
}

tally! {
    /// Marks per "since when" band (one answer per mark).
    SinceProfile of Since { Weeks => semanas, Months => meses, Year => un_ano, Years => anos }
}

tally! {
    /// Marks per affected group (a mark may name several).
    AffectedProfile of Affected {
        Children => ninos,
        Youth => jovenes,
        Women => mujeres,
        Elderly => adultos_mayores,
        Shopkeepers => comerciantes,
        Students => estudiantes,
        Drivers => conductores,
        Everyone => toda_la_comunidad,
    }
}

/// Marks of one category found to be about the same place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// [`hotspot_id`] of `source_ids`: the same marks always make the same id, whatever the
    /// order they came in; a mark joining or leaving makes a new one.
    pub id: Uuid,
    pub barrio_id: i64,
    pub category: String,
    /// The category's `sensitive` flag (an unknown category counts as sensitive): public
    /// views must blur or hide such hotspots.
    pub sensitive: bool,
    pub geometry_kind: GeometryKind,
    /// The representative geometry (see [`GeometryKind`]), WGS84 lon/lat rounded to
    /// [`COORDINATE_DECIMALS`] decimals, without altitude.
    pub geometry: geojson::Geometry,
    /// How many marks: `source_ids.len()`.
    pub count: u32,
    /// Distinct participants among the marks (see the module's notes).
    pub participants: u32,
    /// Distinct workshops among the marks.
    pub workshops: u32,
    /// The earliest and latest `created_at_ms` of the marks.
    pub first_reported_ms: i64,
    pub last_reported_ms: i64,
    pub times: TimeProfile,
    pub days: DaysProfile,
    pub frequency: FrequencyProfile,
    pub since: SinceProfile,
    pub affected: AffectedProfile,
    /// Every source mark, sorted.
    pub source_ids: Vec<Uuid>,
    /// The staff corrections ([`crate::model::adjustment::Adjustment::seq`]) that changed how
    /// this hotspot's marks are grouped, in the order they were made; empty for a hotspot as
    /// the engine found it (and then left out of the JSON, so older snapshots read the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<i64>,
}

/// Hotspots without the ids of their marks: for what needs the places, not who marked them
/// (a miniauditoría's walk, a re-mapping's map), and keeps or sends less.
pub fn without_marks(mut hotspots: Vec<Hotspot>) -> Vec<Hotspot> {
    for h in &mut hotspots {
        h.source_ids = Vec::new();
    }
    hotspots
}

/// All the causes of one category, with what they are tied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCause {
    /// The cause category's code (`falta_iluminacion`, ...).
    pub category: String,
    /// The live causes of this category, sorted.
    pub cause_ids: Vec<Uuid>,
    /// The live problems these causes are tied to, sorted and without repeats.
    pub problem_ids: Vec<Uuid>,
    /// `problem_ids.len()`.
    pub problems: u32,
    /// Distinct participants behind it: those who reported the problems and those who wrote
    /// the causes.
    pub participants: u32,
}

/// One solution with what it reaches through its causes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedSolution {
    pub id: Uuid,
    pub text: String,
    /// Its links to causes that are in the diagnóstico (live, with a live problem), sorted.
    pub cause_ids: Vec<Uuid>,
    /// Distinct live problems reached through those causes.
    pub problems: u32,
    /// Distinct participants behind it: its author, the causes' authors and the problems'
    /// reporters.
    pub participants: u32,
}

/// The solutions that one institution is asked to carry out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionGroup {
    /// The institution's code (`policia`, `essmar`, ...).
    pub institution: String,
    /// Distinct live problems reached by all its solutions.
    pub problems: u32,
    /// Distinct participants behind all its solutions.
    pub participants: u32,
    /// Ranked by problems, then participants (both descending), then id.
    pub solutions: Vec<RankedSolution>,
}

/// Counts over the whole barrio.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Live marks in the diagnóstico (the sum of the hotspots' counts).
    pub marks: u32,
    /// Distinct participants over the live marks, causes and solutions in the diagnóstico.
    pub participants: u32,
    /// Distinct workshops over the same records.
    pub workshops: u32,
    pub hotspots: u32,
    /// Live causes and solutions in the diagnóstico.
    pub causes: u32,
    pub solutions: u32,
    /// Live marks left out because their geometry could not be used (a type other than Point,
    /// LineString or Polygon, or coordinates that are not numbers). Validation on arrival
    /// keeps this at zero.
    pub skipped_marks: u32,
}

/// The consolidated diagnóstico temprano of one barrio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostico {
    pub barrio_id: i64,
    /// [`ENGINE_VERSION`] of the rules that made it.
    pub engine_version: u32,
    /// The parameters used (already [`MergeParams::sanitized`]).
    pub params: MergeParams,
    /// Sorted by category code, then count (descending), then id.
    pub hotspots: Vec<Hotspot>,
    /// Ranked by problems, then participants (both descending), then category code.
    pub causes: Vec<RankedCause>,
    /// Ranked like causes, by the problems and participants of each institution's solutions,
    /// then institution code.
    pub solutions_by_institution: Vec<InstitutionGroup>,
    pub totals: Totals,
    /// The staff corrections in force that the merge was given (their `seq`, in order), as
    /// much a part of how it was made as `params`. Left out of the JSON when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<i64>,
}

/// The id of a hotspot made of `sorted_source_ids` (sorted ascending; the caller sorts): a
/// version 8 UUID from a 128-bit hash of the ids. Stable forever: pure integer arithmetic
/// (two wyhash-style multiply-fold lanes with fixed constants), not the standard library's
/// hasher, whose output may change between Rust releases. Not cryptographic; two different
/// sets colliding is as likely as two random UUIDs colliding.
pub fn hotspot_id(sorted_source_ids: &[Uuid]) -> Uuid {
    const K: [u64; 6] = [
        0xa076_1d64_78bd_642f,
        0xe703_7ed1_a0b4_28db,
        0x8ebc_6af0_9c88_c6e3,
        0x5899_65cc_7537_4cc3,
        0x1d8e_4e27_c47d_124f,
        0x9e37_79b9_7f4a_7c15,
    ];
    fn fold(a: u64, b: u64) -> u64 {
        let r = u128::from(a).wrapping_mul(u128::from(b));
        (r as u64) ^ ((r >> 64) as u64)
    }
    // "cartobarrio hotspot" as the starting state, so these ids differ from other hashes.
    let mut a = 0x6361_7274_6f62_6172_u64;
    let mut b = 0x686f_7473_706f_7431_u64;
    for id in sorted_source_ids {
        let v = id.as_u128();
        let (hi, lo) = ((v >> 64) as u64, v as u64);
        a = fold(hi ^ K[0], lo ^ a ^ K[1]);
        b = fold(lo ^ K[2], hi ^ b ^ K[3]);
    }
    let n = sorted_source_ids.len() as u64;
    let x = fold(a ^ K[4], b ^ n ^ K[5]);
    let y = fold(b ^ K[1], a ^ n.rotate_left(32) ^ K[4]);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fold(x ^ K[2], y ^ K[3]).to_be_bytes());
    bytes[8..].copy_from_slice(&fold(y ^ K[0], x ^ K[5]).to_be_bytes());
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Who a record counts as among a barrio's participants (the module's notes): its alias; with
/// none, the device named by its clock; with neither, one anonymous participant per workshop
/// (`None`: made outside any workshop). Equal keys are the same participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Participant<'a> {
    Alias(&'a str),
    Device(&'a str),
    Anonymous(Option<Uuid>),
}

/// The participant behind a record with this alias, clock and workshop.
pub fn participant<'a>(alias: &'a str, hlc: Option<&'a Hlc>, workshop_id: Option<Uuid>) -> Participant<'a> {
    if !alias.is_empty() {
        Participant::Alias(alias)
    } else if let Some(node) = hlc.map(|h| h.node.as_str()).filter(|n| !n.is_empty()) {
        Participant::Device(node)
    } else {
        Participant::Anonymous(workshop_id)
    }
}

/// `v` rounded to [`COORDINATE_DECIMALS`] decimals, as output coordinates are.
pub fn round_coordinate(v: f64) -> f64 {
    let r = (v * 1e7).round() / 1e7;
    // No "-0" in the output: it would print differently from 0.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn defaults_are_the_documented_thresholds_and_an_empty_object_parses() {
        let p: MergeParams = serde_json::from_str("{}").unwrap();
        assert_eq!(p, MergeParams::default());
        assert_eq!(p.point_radius_m, 50.0);
        assert_eq!(p.route_distance_m, 60.0);
        assert_eq!(p.zone_iou, 0.3);
        assert_eq!(p.zone_cover, 0.5);
        let p: MergeParams = serde_json::from_str(r#"{"point_radius_m":25}"#).unwrap();
        assert_eq!(p.point_radius_m, 25.0);
        assert_eq!(p.route_step_m, 10.0);
    }

    #[test]
    fn sanitizing_clamps_and_replaces_what_is_not_a_number() {
        let p =
            MergeParams { point_radius_m: -3.0, route_distance_m: f64::NAN, route_step_m: 0.0, zone_iou: 7.0, zone_cover: f64::INFINITY, desde_ms: None };
        let s = p.sanitized();
        assert_eq!(s.point_radius_m, 0.01);
        assert_eq!(s.route_distance_m, 60.0);
        assert_eq!(s.route_step_m, 0.5);
        assert_eq!(s.zone_iou, 1.0);
        assert_eq!(s.zone_cover, 1.0);
        assert_eq!(MergeParams::default().sanitized(), MergeParams::default());
    }

    #[test]
    fn tallies_are_named_by_the_wire_codes_of_their_choices() {
        fn fields<T: Serialize>(t: &T) -> Vec<String> {
            match serde_json::to_value(t).unwrap() {
                serde_json::Value::Object(m) => m.keys().cloned().collect(),
                _ => unreachable!(),
            }
        }
        fn codes(all: impl IntoIterator<Item = &'static str>) -> Vec<String> {
            let mut v: Vec<String> = all.into_iter().map(String::from).chain(["sin_dato".to_string()]).collect();
            v.sort();
            v
        }
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(sorted(fields(&TimeProfile::default())), codes(TimeOfDay::ALL.iter().map(|c| c.code())));
        assert_eq!(sorted(fields(&DaysProfile::default())), codes(Days::ALL.iter().map(|c| c.code())));
        assert_eq!(sorted(fields(&FrequencyProfile::default())), codes(Frequency::ALL.iter().map(|c| c.code())));
        assert_eq!(sorted(fields(&SinceProfile::default())), codes(Since::ALL.iter().map(|c| c.code())));
        assert_eq!(sorted(fields(&AffectedProfile::default())), codes(Affected::ALL.iter().map(|c| c.code())));
    }

    #[test]
    fn a_tally_counts_each_choice_apart() {
        let mut t = TimeProfile::default();
        t.add(TimeOfDay::Night);
        t.add(TimeOfDay::Night);
        t.add(TimeOfDay::SmallHours);
        t.sin_dato += 1;
        assert_eq!(t.get(TimeOfDay::Night), 2);
        assert_eq!(t.get(TimeOfDay::Morning), 0);
        assert_eq!(t.answers(), 3);
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"manana":0,"tarde":0,"noche":2,"madrugada":1,"sin_dato":1}"#);
    }

    #[test]
    fn a_participant_is_an_alias_else_a_device_else_a_workshop() {
        let clock = |node: &str| Hlc { ms: 1, counter: 0, node: node.into() };
        let (phone, w) = (clock("tel-1"), Some(Uuid::from_u128(7)));
        assert_eq!(participant("Rosa", Some(&phone), w), Participant::Alias("Rosa"));
        assert_eq!(participant("", Some(&phone), w), Participant::Device("tel-1"));
        assert_eq!(participant("", Some(&clock("")), w), Participant::Anonymous(w), "a legacy clock names no device");
        assert_eq!(participant("", None, None), Participant::Anonymous(None));
    }

    #[test]
    fn the_hotspot_id_is_pinned() {
        // Changing the hash changes every stored hotspot id: bump ENGINE_VERSION if you must.
        let ids: Vec<Uuid> = (1..=3).map(Uuid::from_u128).collect();
        assert_eq!(hotspot_id(&ids).to_string(), hotspot_id(&ids).to_string());
        assert_eq!(hotspot_id(&ids).get_version_num(), 8);
        assert_eq!(hotspot_id(&ids).to_string(), PINNED_ID);
        assert_ne!(hotspot_id(&ids), hotspot_id(&ids[..2]));
        assert_ne!(hotspot_id(&[]), hotspot_id(&ids[..1]));
        // The same id alone and twice are different sets of sources.
        assert_ne!(hotspot_id(&ids[..1]), hotspot_id(&[ids[0], ids[0]]));
    }
    const PINNED_ID: &str = "5ef60c9a-21b6-809e-a221-e8055d6b9e0b";

    #[test]
    fn coordinates_round_to_seven_decimals_without_negative_zero() {
        assert_eq!(round_coordinate(-74.123_456_789), -74.123_456_8);
        assert_eq!(round_coordinate(11.000_000_04), 11.0);
        assert_eq!(round_coordinate(-0.000_000_01).to_string(), "0");
    }

    #[test]
    fn a_diagnostico_round_trips_through_json() {
        let d = Diagnostico {
            barrio_id: 4,
            engine_version: ENGINE_VERSION,
            params: MergeParams::default(),
            hotspots: vec![Hotspot {
                id: hotspot_id(&[Uuid::from_u128(1)]),
                barrio_id: 4,
                category: "rinas".into(),
                sensitive: false,
                geometry_kind: GeometryKind::Point,
                geometry: geojson::Geometry::new(geojson::Value::Point(vec![-74.2, 11.24])),
                count: 1,
                participants: 1,
                workshops: 0,
                first_reported_ms: 1_764_000_000_000,
                last_reported_ms: 1_764_000_000_000,
                times: TimeProfile { noche: 1, ..Default::default() },
                days: DaysProfile { sin_dato: 1, ..Default::default() },
                frequency: FrequencyProfile { sin_dato: 1, ..Default::default() },
                since: SinceProfile { sin_dato: 1, ..Default::default() },
                affected: AffectedProfile { sin_dato: 1, ..Default::default() },
                source_ids: vec![Uuid::from_u128(1)],
                adjustments: vec![],
            }],
            causes: vec![],
            solutions_by_institution: vec![],
            totals: Totals { marks: 1, participants: 1, hotspots: 1, ..Default::default() },
            adjustments: vec![],
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Diagnostico>(&json).unwrap(), d);
        assert!(json.contains(r#""geometry_kind":"point""#));
    }

    proptest! {
        #[test]
        fn the_hotspot_id_depends_on_every_source(ids in proptest::collection::btree_set(any::<u128>(), 1..20), pick in any::<prop::sample::Index>()) {
            let ids: Vec<Uuid> = ids.into_iter().map(Uuid::from_u128).collect();
            let mut fewer = ids.clone();
            fewer.remove(pick.index(ids.len()));
            prop_assert_ne!(hotspot_id(&ids), hotspot_id(&fewer));
            let mut changed = ids.clone();
            let i = pick.index(ids.len());
            changed[i] = Uuid::from_u128(changed[i].as_u128() ^ 1);
            prop_assert_ne!(hotspot_id(&ids), hotspot_id(&changed));
        }
    }
}

/// Hotspots and diagnósticos for the model's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A point hotspot of `category` over the marks numbered `ids` (its count), one participant.
    pub fn hotspot(category: &str, ids: &[u128]) -> Hotspot {
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

    /// A diagnóstico of `hotspots`, its marks counted from theirs.
    pub fn diagnostico(hotspots: Vec<Hotspot>) -> Diagnostico {
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
}
