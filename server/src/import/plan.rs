//! Turns the files of one import (barrios and/or city-wide layers) into a plan the store can
//! apply in one transaction, with the full report. Pure: what is already stored comes in as
//! an argument.

use std::collections::{BTreeMap, BTreeSet};

use app::model::BaseLayers;
use geo::{BoundingRect, MultiPolygon};
use serde::Serialize;

use super::demo_layers::demo_layers;
use super::dissolve::{dissolve_barrios, DissolveOptions, ImportReport};
use super::features::ImportError;
use super::layers::{clip_layers, LayerFiles, LayerOptions, LayerReport};
use crate::store::NewBarrio;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub barrios: DissolveOptions,
    pub layers: LayerOptions,
    /// Attribution of the barrio boundaries.
    pub barrio_source: String,
    /// Give generated demo layers (labelled as such) to barrios no real layer reaches.
    pub demo_for_missing: bool,
}

/// A barrio as already stored, for imports that bring only layers or update barrios.
#[derive(Debug, Clone)]
pub struct StoredBarrio {
    pub code: String,
    pub boundary: MultiPolygon<f64>,
    pub has_layers: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    /// The barrio file's report, when one was given.
    pub barrios: Option<ImportReport>,
    pub layers: Vec<LayerReport>,
    pub barrios_added: usize,
    pub barrios_updated: usize,
    /// Barrios whose pack (boundary or layers) changes.
    pub packs: usize,
    /// Barrios given generated demo layers because no real layer reached them.
    pub demo_layers: usize,
    /// True when nothing was written (a trial run).
    pub dry_run: bool,
}

/// What to write: barrios to insert or update (by code) and layers to set (by code).
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub barrios: Vec<NewBarrio>,
    pub layers: BTreeMap<String, BaseLayers>,
    pub summary: ImportSummary,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportFiles<'a> {
    pub barrios: Option<&'a [u8]>,
    pub layers: LayerFiles<'a>,
}

pub fn plan_import(files: ImportFiles<'_>, options: &ImportOptions, stored: &[StoredBarrio]) -> Result<ImportPlan, ImportError> {
    if files.barrios.is_none() && files.layers.is_empty() {
        return Err(ImportError::Invalid("nothing to import: give a barrio file, a layer file, or both".into()));
    }
    let mut plan = ImportPlan::default();
    let stored_codes: BTreeMap<&str, &StoredBarrio> = stored.iter().map(|s| (s.code.as_str(), s)).collect();

    // The barrios layers are cut for: the imported ones, or else every stored barrio.
    let mut targets: Vec<(String, MultiPolygon<f64>)> = Vec::new();
    if let Some(bytes) = files.barrios {
        let (dissolved, report) = dissolve_barrios(bytes, &options.barrios)?;
        for b in dissolved {
            let Some(rect) = b.boundary.bounding_rect() else {
                continue;
            };
            if stored_codes.contains_key(b.code.as_str()) {
                plan.summary.barrios_updated += 1;
            } else {
                plan.summary.barrios_added += 1;
            }
            targets.push((b.code.clone(), b.boundary.clone()));
            plan.barrios.push(NewBarrio {
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
    } else {
        targets = stored.iter().map(|s| (s.code.clone(), s.boundary.clone())).collect();
    }

    if !files.layers.is_empty() {
        let (layers, reports) = clip_layers(&targets, files.layers, &options.layers)?;
        plan.layers = layers;
        plan.summary.layers = reports;
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
            barrios: DissolveOptions {
                name_property: "NOMBRE".into(),
                code_property: Some("COD".into()),
                comuna_property: Some("COMUNA".into()),
                ..Default::default()
            },
            layers: LayerOptions { street_name_property: "NOMBRE_VIA".into(), source: "Vías: prueba".into(), ..Default::default() },
            barrio_source: "Barrios: prueba".into(),
            demo_for_missing: true,
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
            boundary: geo::MultiPolygon::new(vec![geo::Rect::new((-74.2, 11.2), (-74.198, 11.202)).to_polygon()]),
            has_layers: true,
        }];
        let files = ImportFiles { barrios: None, layers: LayerFiles { streets: Some(&streets), ..Default::default() } };
        let plan = plan_import(files, &options(), &stored).unwrap();
        assert!(plan.barrios.is_empty());
        assert_eq!(plan.layers["centro"].streets.features.len(), 1);
        assert_eq!(plan.summary.barrios_updated, 0);
    }

    #[test]
    fn an_empty_request_is_refused() {
        assert!(plan_import(ImportFiles::default(), &options(), &[]).is_err());
    }
}
