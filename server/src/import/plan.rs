//! Turns the files of one import (barrios and/or city-wide layers) into a plan the store can
//! apply in one transaction, with the full report. Pure: what is already stored comes in as
//! an argument.

use std::collections::{BTreeMap, BTreeSet};

use app::model::{BaseLayers, SANTA_MARTA_MUNICIPIO};
use geo::{Area, BooleanOps, BoundingRect, Centroid, ChamberlainDuquetteArea, Distance, Haversine, Intersects, MultiPolygon};
use serde::Serialize;

use super::demo_layers::demo_layers;
use super::dissolve::{dissolve_barrios, DissolveOptions, ImportReport};
use super::features::ImportError;
use super::layers::{clip_layers, LayerFiles, LayerOptions, LayerReport};

/// A barrio ready to be stored; the boundary is a GeoJSON Polygon or MultiPolygon. Defined
/// here, in the pure import, so the store that writes it is above, not beside, the import.
#[derive(Debug, Clone)]
pub struct NewBarrio {
    /// The city's DIVIPOLA code (5 digits): the code is unique only within it.
    pub municipio: String,
    pub code: String,
    pub name: String,
    pub comuna: Option<String>,
    pub boundary: geojson::Geometry,
    /// `[min_lon, min_lat, max_lon, max_lat]`
    pub bbox: [f64; 4],
    pub area_ha: f64,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The city the barrios (and layers) are for, as its DIVIPOLA code: only barrios of this
    /// municipio are matched, updated or given layers.
    pub municipio: String,
    pub barrios: DissolveOptions,
    pub layers: LayerOptions,
    /// Attribution of the barrio boundaries.
    pub barrio_source: String,
    /// Give generated demo layers (labelled as such) to barrios no real layer reaches.
    pub demo_for_missing: bool,
    /// A stored boundary whose centroid would move farther than this, in metres, is not
    /// replaced unless `replace` says so.
    pub max_move_m: f64,
    /// Replace boundaries that moved far, no longer overlap, or have marks (each is listed).
    pub replace: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            municipio: SANTA_MARTA_MUNICIPIO.into(),
            barrios: DissolveOptions::default(),
            layers: LayerOptions::default(),
            barrio_source: String::new(),
            demo_for_missing: false,
            max_move_m: DEFAULT_MAX_MOVE_M,
            replace: false,
        }
    }
}

/// How far a boundary's centroid may move before an import asks for `replace`: a corrected
/// survey moves a boundary metres; a kilometre means another place (another city's barrio
/// of the same name, or a wrong file).
pub const DEFAULT_MAX_MOVE_M: f64 = 1000.0;

/// Boundaries that differ by less than this area, in square metres, are the same boundary.
const SAME_BOUNDARY_M2: f64 = 1.0;

pub use app::model::barrio::is_municipio;

/// A barrio as already stored (in the import's municipio), for imports that bring only
/// layers or update barrios.
#[derive(Debug, Clone)]
pub struct StoredBarrio {
    pub code: String,
    pub name: String,
    pub boundary: MultiPolygon<f64>,
    pub has_layers: bool,
    /// Marks drawn in the barrio (they stay with it when its boundary changes).
    pub marks: usize,
}

/// A stored boundary an import would replace by one that moved far, no longer overlaps it,
/// or leaves the barrio's marks drawn on the old one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BoundaryChange {
    pub code: String,
    pub name: String,
    /// How far the centroid moved, in metres.
    pub moved_m: f64,
    /// Whether the old and new boundaries share any area.
    pub overlaps: bool,
    pub marks: usize,
    /// Why it needs `replace`, in words.
    pub reason: String,
}

/// Why an import was refused as a whole after it was read.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// Boundaries that would move without `replace` (listed in `refused`).
    Boundaries { barrios: usize },
    /// A layer file in which no feature could be used (listed in its report's `skipped`).
    EmptyLayer { layer: String },
    /// A layer file none of whose features lies within a barrio of the municipio.
    LayerOutside { layer: String, municipio: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Boundaries { barrios } => write!(
                f,
                "{barrios} stored boundaries would move far, stop overlapping or leave marks behind; nothing was imported \
                 (replace them on purpose with `replace`)"
            ),
            Refusal::EmptyLayer { layer } => {
                write!(f, "the {layer} file has no usable feature; nothing was imported and no pack changed")
            }
            Refusal::LayerOutside { layer, municipio } => write!(
                f,
                "no feature of the {layer} file lies within a barrio of municipio {municipio}; nothing was imported and no pack changed"
            ),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    /// The city imported into (DIVIPOLA code).
    pub municipio: String,
    /// The barrio file's report, when one was given.
    pub barrios: Option<ImportReport>,
    pub layers: Vec<LayerReport>,
    pub barrios_added: usize,
    pub barrios_updated: usize,
    /// Boundaries not replaced: the import was refused because of them.
    pub refused: Vec<BoundaryChange>,
    /// Boundaries replaced on purpose (`replace`), with how far they moved and their marks.
    pub replaced: Vec<BoundaryChange>,
    /// Packs written with a new version (in a trial run, packs that may change); a pack whose
    /// content stays the same keeps its version.
    pub packs: usize,
    /// Barrios given generated demo layers because no real layer reached them.
    pub demo_layers: usize,
    /// True when nothing was written (a trial run).
    pub dry_run: bool,
}

/// What to write: barrios to insert or update (by code, in `municipio`) and layers to set
/// (by code).
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub municipio: String,
    pub barrios: Vec<NewBarrio>,
    pub layers: BTreeMap<String, BaseLayers>,
    pub summary: ImportSummary,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportFiles<'a> {
    pub barrios: Option<&'a [u8]>,
    pub layers: LayerFiles<'a>,
}

/// Plans an import into `options.municipio`; `stored` are that municipio's barrios.
pub fn plan_import(files: ImportFiles<'_>, options: &ImportOptions, stored: &[StoredBarrio]) -> Result<ImportPlan, ImportError> {
    if files.barrios.is_none() && files.layers.is_empty() {
        return Err(ImportError::Invalid("nothing to import: give a barrio file, a layer file, or both".into()));
    }
    if !is_municipio(&options.municipio) {
        return Err(ImportError::Invalid(format!("the municipio must be a DIVIPOLA code of 5 digits, not {:?}", options.municipio)));
    }
    let mut plan = ImportPlan { municipio: options.municipio.clone(), ..Default::default() };
    plan.summary.municipio = options.municipio.clone();
    let stored_codes: BTreeMap<&str, &StoredBarrio> = stored.iter().map(|s| (s.code.as_str(), s)).collect();

    // The barrios layers are cut for: the imported ones, or else every stored barrio.
    let mut targets: Vec<(String, MultiPolygon<f64>)> = Vec::new();
    if let Some(bytes) = files.barrios {
        let (dissolved, report) = dissolve_barrios(bytes, &options.barrios)?;
        for b in dissolved {
            let Some(rect) = b.boundary.bounding_rect() else {
                continue;
            };
            if let Some(old) = stored_codes.get(b.code.as_str()) {
                if let Some(change) = boundary_change(old, &b.boundary, options.max_move_m) {
                    if !options.replace {
                        plan.summary.refused.push(change);
                        continue;
                    }
                    plan.summary.replaced.push(change);
                }
                plan.summary.barrios_updated += 1;
            } else {
                plan.summary.barrios_added += 1;
            }
            targets.push((b.code.clone(), b.boundary.clone()));
            plan.barrios.push(NewBarrio {
                municipio: options.municipio.clone(),
                code: b.code,
                name: b.name,
                comuna: b.comuna,
                boundary: geojson::Geometry::new(geojson::Value::from(&b.boundary)),
                bbox: [rect.min().x, rect.min().y, rect.max().x, rect.max().y],
                area_ha: (b.area_ha * 100.0).round() / 100.0,
                source: options.barrio_source.clone(),
            });
        }
        plan.summary.barrios = Some(report);
        if !plan.summary.refused.is_empty() {
            let barrios = plan.summary.refused.len();
            return Err(ImportError::Refused(Refusal::Boundaries { barrios }, Box::new(plan.summary)));
        }
    } else {
        targets = stored.iter().map(|s| (s.code.clone(), s.boundary.clone())).collect();
    }

    if !files.layers.is_empty() {
        let (layers, reports) = clip_layers(&targets, files.layers, &options.layers)?;
        plan.summary.layers = reports;
        // A layer file that gives no barrio anything is a wrong file (or the wrong city):
        // applying it would empty every pack's layer and make every device download again.
        let refusal = plan.summary.layers.iter().find(|r| r.used == 0).map(|r| {
            if r.outside == 0 {
                Refusal::EmptyLayer { layer: r.layer.clone() }
            } else {
                Refusal::LayerOutside { layer: r.layer.clone(), municipio: options.municipio.clone() }
            }
        });
        if let Some(refusal) = refusal {
            return Err(ImportError::Refused(refusal, Box::new(plan.summary)));
        }
        plan.layers = layers;
    }

    if options.demo_for_missing {
        for (code, boundary) in &targets {
            let has_real = plan.layers.get(code).is_some_and(|l| l.feature_count() > 0);
            let keeps_stored = files.layers.is_empty() && stored_codes.get(code.as_str()).is_some_and(|s| s.has_layers);
            if !has_real && !keeps_stored {
                plan.layers.insert(code.clone(), demo_layers(code, boundary));
                plan.summary.demo_layers += 1;
            }
        }
    }
    let touched: BTreeSet<&str> = plan.barrios.iter().map(|b| b.code.as_str()).chain(plan.layers.keys().map(String::as_str)).collect();
    plan.summary.packs = touched.len();
    Ok(plan)
}

/// How a stored boundary would change, when the change needs `replace`: its centroid moves
/// more than `max_move_m`, the two boundaries share no area, or the barrio has marks (drawn
/// on the old boundary). `None` when the boundary stays the same or the change is small.
pub fn boundary_change(old: &StoredBarrio, new: &MultiPolygon<f64>, max_move_m: f64) -> Option<BoundaryChange> {
    // The same boundary, or one redrawn within rounding (a few square metres moved, as when a
    // seed and a later dissolve of the same file differ in the 8th decimal), is no change.
    if &old.boundary == new || old.boundary.xor(new).chamberlain_duquette_unsigned_area() < SAME_BOUNDARY_M2 {
        return None;
    }
    let moved_m = match (old.boundary.centroid(), new.centroid()) {
        (Some(a), Some(b)) => Haversine.distance(a, b),
        _ => f64::INFINITY,
    };
    // The bounding boxes first: boundaries far apart need no overlay.
    let boxes_meet = match (old.boundary.bounding_rect(), new.bounding_rect()) {
        (Some(a), Some(b)) => a.intersects(&b),
        _ => false,
    };
    let overlaps = boxes_meet && old.boundary.intersection(new).unsigned_area() > 0.0;
    let mut reasons = Vec::new();
    if moved_m > max_move_m {
        reasons.push(format!("its centroid would move {:.0} m (more than {max_move_m:.0} m)", moved_m));
    }
    if !overlaps {
        reasons.push("the new boundary does not overlap the old one".to_string());
    }
    if old.marks > 0 {
        reasons.push(format!("it has {} marks drawn on the old boundary", old.marks));
    }
    (!reasons.is_empty()).then(|| BoundaryChange {
        code: old.code.clone(),
        name: old.name.clone(),
        moved_m: moved_m.round(),
        overlaps,
        marks: old.marks,
        reason: reasons.join("; "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::layers::feature_json;
    use serde_json::json;

    fn square_feature(props: serde_json::Value, x0: f64, y0: f64, size: f64) -> serde_json::Value {
        let (x1, y1) = (x0 + size, y0 + size);
        feature_json(props, json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}))
    }

    fn collection(features: Vec<serde_json::Value>) -> Vec<u8> {
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features})).unwrap()
    }

    /// A city of another country's conventions: other property names, numeric codes.
    fn city() -> (Vec<u8>, Vec<u8>) {
        let barrios = collection(vec![
            square_feature(json!({"NOMBRE": "San Martín", "COD": 101, "COMUNA": "1"}), -74.2, 11.2, 0.002),
            square_feature(json!({"NOMBRE": "El Prado", "COD": 102, "COMUNA": "1"}), -74.197, 11.2, 0.002),
            // The same code for another barrio: reported, not merged into San Martín.
            square_feature(json!({"NOMBRE": "Otro", "COD": 101}), -74.19, 11.2, 0.002),
        ]);
        let streets = collection(vec![feature_json(
            json!({"NOMBRE_VIA": "Avenida del Río"}),
            json!({"type": "LineString", "coordinates": [[-74.21, 11.201], [-74.18, 11.201]]}),
        )]);
        (barrios, streets)
    }

    fn options() -> ImportOptions {
        ImportOptions {
            municipio: "05001".into(),
            barrios: DissolveOptions {
                name_property: "NOMBRE".into(),
                code_property: Some("COD".into()),
                comuna_property: Some("COMUNA".into()),
                ..Default::default()
            },
            layers: LayerOptions { street_name_property: "NOMBRE_VIA".into(), source: "Vías: prueba".into(), ..Default::default() },
            barrio_source: "Barrios: prueba".into(),
            demo_for_missing: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_city_file_with_streets_gives_one_pack_per_barrio() {
        let (barrios, streets) = city();
        let files = ImportFiles { barrios: Some(&barrios), layers: LayerFiles { streets: Some(&streets), ..Default::default() } };
        let plan = plan_import(files, &options(), &[]).unwrap();
        let codes: Vec<&str> = plan.barrios.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(codes, vec!["101", "102"]);
        assert_eq!(plan.barrios[0].name, "San Martín");
        assert_eq!(plan.barrios[0].comuna.as_deref(), Some("1"));
        let report = plan.summary.barrios.as_ref().unwrap();
        assert_eq!(report.skipped.len(), 1);
        assert!(report.skipped[0].reason.contains("duplicated barrio code 101"), "{:?}", report.skipped);
        for code in ["101", "102"] {
            let layers = &plan.layers[code];
            assert!(!layers.demo);
            assert_eq!(layers.streets.features[0].properties.as_ref().unwrap()["name"], "Avenida del Río");
        }
        assert_eq!(plan.summary.barrios_added, 2);
        assert_eq!(plan.summary.packs, 2);
        assert_eq!(plan.summary.demo_layers, 0);
    }

    #[test]
    fn barrios_without_any_real_layer_get_labelled_demo_layers() {
        let (barrios, _) = city();
        let plan = plan_import(ImportFiles { barrios: Some(&barrios), ..Default::default() }, &options(), &[]).unwrap();
        assert_eq!(plan.summary.demo_layers, 2);
        assert!(plan.layers.values().all(|l| l.demo));
    }

    #[test]
    fn layers_alone_are_cut_for_the_stored_barrios() {
        let (_, streets) = city();
        let stored = vec![StoredBarrio {
            code: "centro".into(),
            name: "Centro".into(),
            boundary: geo::MultiPolygon::new(vec![geo::Rect::new((-74.2, 11.2), (-74.198, 11.202)).to_polygon()]),
            has_layers: true,
            marks: 0,
        }];
        let files = ImportFiles { barrios: None, layers: LayerFiles { streets: Some(&streets), ..Default::default() } };
        let plan = plan_import(files, &options(), &stored).unwrap();
        assert!(plan.barrios.is_empty());
        assert_eq!(plan.layers["centro"].streets.features.len(), 1);
        assert_eq!(plan.summary.barrios_updated, 0);
    }

    fn stored(code: &str, name: &str, x0: f64, marks: usize) -> StoredBarrio {
        let boundary = geo::MultiPolygon::new(vec![geo::Rect::new((x0, 11.2), (x0 + 0.002, 11.202)).to_polygon()]);
        StoredBarrio { code: code.into(), name: name.into(), boundary, has_layers: true, marks }
    }

    fn squares(x0s: &[(&str, f64)]) -> Vec<u8> {
        collection(x0s.iter().map(|(name, x0)| square_feature(json!({"name": name}), *x0, 11.2, 0.002)).collect())
    }

    #[test]
    fn a_boundary_that_moves_far_or_has_marks_is_refused_with_a_report_and_replaced_only_on_purpose() {
        // Stored as an earlier import of the same pipeline left them.
        let before = squares(&[("LA PAZ", -74.2), ("BOSTON", -74.19), ("CENTRO", -74.18), ("BAVARIA", -74.17)]);
        let (dissolved, _) = dissolve_barrios(&before, &DissolveOptions::default()).unwrap();
        let marks = |code: &str| match code {
            "boston" => 3,
            "bavaria" => 5,
            _ => 0,
        };
        let stored: Vec<StoredBarrio> = dissolved
            .into_iter()
            .map(|b| StoredBarrio { marks: marks(&b.code), code: b.code, name: b.name, boundary: b.boundary, has_layers: true })
            .collect();
        // La Paz 70 km away; Boston 20 m over, with marks; Centro 20 m over, without; Bavaria as stored.
        let file = squares(&[("LA PAZ", -74.84), ("BOSTON", -74.1898), ("CENTRO", -74.1798), ("BAVARIA", -74.17)]);
        let options = ImportOptions { demo_for_missing: false, ..Default::default() };
        let files = ImportFiles { barrios: Some(&file), ..Default::default() };
        let Err(ImportError::Refused(Refusal::Boundaries { barrios: 2 }, summary)) = plan_import(files, &options, &stored) else {
            panic!("not refused")
        };
        // In the order of the codes: dissolving sorts them.
        let refused: Vec<(&str, bool, usize)> = summary.refused.iter().map(|c| (c.code.as_str(), c.overlaps, c.marks)).collect();
        assert_eq!(refused, vec![("boston", true, 3), ("la-paz", false, 0)]);
        assert!(summary.refused[1].moved_m > 60_000.0, "{:?}", summary.refused[1]);
        assert!(summary.refused[1].reason.contains("does not overlap"), "{}", summary.refused[1].reason);
        assert!(summary.refused[0].reason.contains("3 marks"), "{}", summary.refused[0].reason);
        assert_eq!(summary.refused[0].name, "Boston");

        let plan = plan_import(files, &ImportOptions { replace: true, ..options }, &stored).unwrap();
        assert_eq!(plan.barrios.len(), 4);
        assert_eq!(plan.summary.replaced.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), vec!["boston", "la-paz"]);
        assert_eq!(plan.summary.barrios_updated, 4);
        assert!(plan.barrios.iter().all(|b| b.municipio == "47001"));
    }

    #[test]
    fn the_move_allowed_is_an_option() {
        let old = stored("centro", "Centro", -74.18, 0);
        let moved = geo::MultiPolygon::new(vec![geo::Rect::new((-74.1795, 11.2), (-74.1775, 11.202)).to_polygon()]);
        assert!(boundary_change(&old, &moved, 1000.0).is_none(), "55 m, still overlapping, no marks");
        let change = boundary_change(&old, &moved, 10.0).expect("more than 10 m");
        assert!(change.overlaps && (50.0..60.0).contains(&change.moved_m), "{change:?}");
        assert!(boundary_change(&old, &old.boundary.clone(), 0.0).is_none(), "the same boundary is no change");
        // A vertex moved by 1e-8° (about a millimetre) in a barrio with marks: no change either.
        let with_marks = StoredBarrio { marks: 4, ..old.clone() };
        let nudged = geo::MultiPolygon::new(vec![geo::Rect::new((-74.18, 11.2), (-74.17799999, 11.202)).to_polygon()]);
        assert!(boundary_change(&with_marks, &nudged, 0.0).is_none());
        let moved_a_metre = geo::MultiPolygon::new(vec![geo::Rect::new((-74.18, 11.2), (-74.17799, 11.202)).to_polygon()]);
        assert!(boundary_change(&with_marks, &moved_a_metre, 1000.0).is_some_and(|c| c.reason.contains("4 marks")));
    }

    #[test]
    fn a_layer_file_with_nothing_usable_or_nothing_within_a_barrio_is_refused() {
        let stored = vec![stored("centro", "Centro", -74.2, 0)];
        let point = collection(vec![feature_json(json!({"name": "Calle"}), json!({"type": "Point", "coordinates": [-74.199, 11.201]}))]);
        let files = ImportFiles { barrios: None, layers: LayerFiles { streets: Some(&point), ..Default::default() } };
        let Err(ImportError::Refused(Refusal::EmptyLayer { layer }, summary)) = plan_import(files, &ImportOptions::default(), &stored)
        else {
            panic!("not refused")
        };
        assert_eq!(layer, "streets");
        assert!(summary.layers[0].skipped[0].reason.contains("must be a LineString"));

        let far = collection(vec![feature_json(
            json!({"name": "Vía 40"}),
            json!({"type": "LineString", "coordinates": [[-74.8, 11.0], [-74.79, 11.0]]}),
        )]);
        let files = ImportFiles { barrios: None, layers: LayerFiles { streets: Some(&far), ..Default::default() } };
        let result = plan_import(files, &ImportOptions::default(), &stored);
        assert!(matches!(result, Err(ImportError::Refused(Refusal::LayerOutside { .. }, _))), "{result:?}");
        // Layers for a municipio with no barrio stored reach none either.
        let (_, streets) = city();
        let files = ImportFiles { barrios: None, layers: LayerFiles { streets: Some(&streets), ..Default::default() } };
        assert!(matches!(plan_import(files, &ImportOptions::default(), &[]), Err(ImportError::Refused(Refusal::LayerOutside { .. }, _))));
    }

    #[test]
    fn the_municipio_must_be_a_divipola_code() {
        let (barrios, _) = city();
        for bad in ["4700", "470011", "47OO1", ""] {
            let options = ImportOptions { municipio: bad.into(), ..options() };
            assert!(matches!(
                plan_import(ImportFiles { barrios: Some(&barrios), ..Default::default() }, &options, &[]),
                Err(ImportError::Invalid(_))
            ));
        }
    }

    #[test]
    fn an_empty_request_is_refused() {
        assert!(plan_import(ImportFiles::default(), &options(), &[]).is_err());
    }
}
