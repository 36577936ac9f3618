//! Base layers (streets, blocks, landmarks) given for a whole city, cut into one set per
//! barrio: each barrio keeps what lies within its boundary grown by a margin, so the streets
//! that border it still show their names.

use std::collections::BTreeMap;

use app::model::{BaseLayers, LandmarkKind};
use geo::{
    BooleanOps, BoundingRect, Buffer, Contains, Coord, Euclidean, Geometry, InteriorPoint, Length, LineString, MapCoords, MultiLineString,
    MultiPolygon, Rect,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use super::features::{read_collection, FeatureNote, ImportError, SourceFeature, MAX_LAYER_FEATURE_VERTICES};
use super::names;

#[derive(Debug, Clone)]
pub struct LayerOptions {
    /// How far beyond the boundary a barrio's layers reach, in metres.
    pub margin_m: f64,
    pub street_name_property: String,
    /// Property saying what a landmark is; its value is read generously (`school`, `Colegio`…).
    pub landmark_kind_property: String,
    pub landmark_name_property: String,
    /// Attribution kept with the layers and shown beside the map.
    pub source: String,
    /// Most vertices of one feature (a street, a block, a landmark's area).
    pub max_vertices: usize,
}

impl Default for LayerOptions {
    fn default() -> Self {
        LayerOptions {
            margin_m: 30.0,
            street_name_property: "name".into(),
            landmark_kind_property: "kind".into(),
            landmark_name_property: "name".into(),
            source: String::new(),
            max_vertices: MAX_LAYER_FEATURE_VERTICES,
        }
    }
}

/// The city-wide files, each a FeatureCollection; any may be missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayerFiles<'a> {
    pub streets: Option<&'a [u8]>,
    pub blocks: Option<&'a [u8]>,
    pub landmarks: Option<&'a [u8]>,
}

impl LayerFiles<'_> {
    pub fn is_empty(&self) -> bool {
        self.streets.is_none() && self.blocks.is_none() && self.landmarks.is_none()
    }
}

/// What happened to one layer file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LayerReport {
    pub layer: String,
    pub features_read: usize,
    /// Features that ended up in at least one barrio.
    pub used: usize,
    /// Features that lie outside every barrio (with its margin).
    pub outside: usize,
    pub repaired: Vec<FeatureNote>,
    pub skipped: Vec<FeatureNote>,
    pub notes: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Streets,
    Blocks,
    Landmarks,
}

impl Layer {
    fn name(self) -> &'static str {
        match self {
            Layer::Streets => "streets",
            Layer::Blocks => "blocks",
            Layer::Landmarks => "landmarks",
        }
    }
}

/// One usable feature of a layer, reduced to what the map draws.
struct Item {
    geometry: Geometry<f64>,
    properties: Map<String, Json>,
}

/// Cuts the layer files into one [`BaseLayers`] per barrio (by code). Barrios no feature
/// reaches get empty layers. Errors only for a file that is unusable as a whole.
pub fn clip_layers(
    barrios: &[(String, MultiPolygon<f64>)],
    files: LayerFiles<'_>,
    options: &LayerOptions,
) -> Result<(BTreeMap<String, BaseLayers>, Vec<LayerReport>), ImportError> {
    let mut out: BTreeMap<String, BaseLayers> =
        barrios.iter().map(|(code, _)| (code.clone(), BaseLayers { source: options.source.clone(), ..BaseLayers::empty() })).collect();
    // Each barrio's reach, computed once for all layers.
    let regions: Vec<(String, MultiPolygon<f64>, Rect<f64>)> = barrios
        .iter()
        .filter_map(|(code, boundary)| {
            let region = grow(boundary, options.margin_m);
            let rect = region.bounding_rect()?;
            Some((code.clone(), region, rect))
        })
        .collect();
    let mut reports = Vec::new();
    for (layer, bytes) in [(Layer::Streets, files.streets), (Layer::Blocks, files.blocks), (Layer::Landmarks, files.landmarks)] {
        let Some(bytes) = bytes else { continue };
        let name_property = match layer {
            Layer::Streets => &options.street_name_property,
            Layer::Blocks => "name",
            Layer::Landmarks => &options.landmark_name_property,
        };
        let read = read_collection(bytes, name_property, options.max_vertices).map_err(|e| match e {
            ImportError::Invalid(m) | ImportError::NotGeoJson(m) => ImportError::Invalid(format!("{} file: {m}", layer.name())),
            other => other,
        })?;
        let mut report = LayerReport {
            layer: layer.name().into(),
            features_read: read.total,
            repaired: read.repaired,
            skipped: read.skipped,
            notes: read.notes,
            ..Default::default()
        };
        let items: Vec<(usize, Item)> = read
            .features
            .into_iter()
            .filter_map(|f| {
                let index = f.index;
                match prepare(layer, f, options) {
                    Ok((item, repair)) => {
                        if let Some(reason) = repair {
                            report.repaired.push(FeatureNote { feature: index, name: name_of(&item), reason });
                        }
                        Some((index, item))
                    }
                    Err(note) => {
                        report.skipped.push(note);
                        None
                    }
                }
            })
            .collect();
        let index: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, (_, item))| {
                    let r = item.geometry.bounding_rect()?;
                    Some(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
                })
                .collect(),
        );
        let mut used = vec![false; items.len()];
        for (code, region, rect) in &regions {
            let envelope = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
            let mut hits: Vec<usize> = index.locate_in_envelope_intersecting(&envelope).map(|g| g.data).collect();
            // Keep the file's order, so the output does not depend on the tree's layout.
            hits.sort_unstable();
            let Some(target) = out.get_mut(code) else {
                continue;
            };
            for i in hits {
                let item = &items[i].1;
                if let Some(clipped) = clip(layer, region, &item.geometry) {
                    used[i] = true;
                    let feature = to_feature(clipped, item.properties.clone());
                    match layer {
                        Layer::Streets => target.streets.features.push(feature),
                        Layer::Blocks => target.blocks.features.push(feature),
                        Layer::Landmarks => target.landmarks.features.push(feature),
                    }
                }
            }
        }
        report.used = used.iter().filter(|u| **u).count();
        report.outside = items.len() - report.used;
        reports.push(report);
    }
    Ok((out, reports))
}

/// Metres to degrees near the equator, erring on the large side so the margin is never short.
fn metres_to_degrees(m: f64) -> f64 {
    m / 108_000.0
}

fn grow(boundary: &MultiPolygon<f64>, margin_m: f64) -> MultiPolygon<f64> {
    if margin_m <= 0.0 {
        return boundary.clone();
    }
    boundary.buffer(metres_to_degrees(margin_m))
}

fn name_of(item: &Item) -> String {
    item.properties.get("name").and_then(Json::as_str).unwrap_or_default().to_string()
}

/// Checks a feature fits its layer and keeps only the properties the map uses.
fn prepare(layer: Layer, f: SourceFeature, options: &LayerOptions) -> Result<(Item, Option<String>), FeatureNote> {
    let mut properties = Map::new();
    let display = |p: &str| f.text(p);
    let note = |reason: String| FeatureNote {
        feature: f.index,
        name: names::for_report(&display(&options.street_name_property).unwrap_or_default()),
        reason,
    };
    // Names go into every pack that shows the feature: no novels, no control characters.
    let name_property = match layer {
        Layer::Streets => Some(options.street_name_property.as_str()),
        Layer::Landmarks => Some(options.landmark_name_property.as_str()),
        Layer::Blocks => None,
    };
    if let Some(reason) = name_property.and_then(|p| display(p)).and_then(|n| names::refusal("name", &n)) {
        return Err(note(reason));
    }
    let mut repair = None;
    let geometry = match layer {
        Layer::Streets => {
            properties.insert("name".into(), display(&options.street_name_property).map(Json::String).unwrap_or(Json::Null));
            match &f.geometry {
                Geometry::LineString(_) | Geometry::MultiLineString(_) => f.geometry.clone(),
                other => return Err(note(format!("a street must be a LineString or MultiLineString, not {}", kind(other)))),
            }
        }
        Layer::Blocks => {
            let multi = match &f.geometry {
                Geometry::Polygon(p) => MultiPolygon::new(vec![p.clone()]),
                Geometry::MultiPolygon(m) => m.clone(),
                other => return Err(note(format!("a block must be a Polygon or MultiPolygon, not {}", kind(other)))),
            };
            if let Some(problem) = super::rings::crossing(&multi) {
                repair = Some(format!("{problem}; repaired by the union"));
                Geometry::MultiPolygon(geo::unary_union(multi.0.iter()))
            } else {
                Geometry::MultiPolygon(multi)
            }
        }
        Layer::Landmarks => {
            let kind_word = f
                .text(&options.landmark_kind_property)
                .or_else(|| ["amenity", "leisure", "building", "tipo", "TIPO"].iter().find_map(|p| f.text(p)))
                .unwrap_or_default();
            let kind = LandmarkKind::guess(&kind_word);
            let name = display(&options.landmark_name_property).unwrap_or_else(|| kind.label_es().to_string());
            properties.insert("kind".into(), Json::String(kind.code().into()));
            properties.insert("name".into(), Json::String(name));
            match &f.geometry {
                Geometry::Point(_) => f.geometry.clone(),
                Geometry::Polygon(_) | Geometry::MultiPolygon(_) => match f.geometry.interior_point() {
                    Some(p) => {
                        repair = Some("an area: placed at a point inside it".into());
                        Geometry::Point(p)
                    }
                    None => return Err(note("empty geometry".into())),
                },
                other => return Err(note(format!("a landmark must be a Point or an area, not {}", kind_name(other)))),
            }
        }
    };
    Ok((Item { geometry, properties }, repair))
}

fn kind(g: &Geometry<f64>) -> &'static str {
    kind_name(g)
}

fn kind_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::LineString(_) | Geometry::Line(_) => "LineString",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "Polygon",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
    }
}

/// The part of `geometry` within `region`, or `None` when nothing (worth drawing) is left.
fn clip(layer: Layer, region: &MultiPolygon<f64>, geometry: &Geometry<f64>) -> Option<Geometry<f64>> {
    match (layer, geometry) {
        (Layer::Landmarks, Geometry::Point(p)) => region.contains(p).then(|| geometry.clone()),
        (Layer::Streets, g) => {
            let lines = match g {
                Geometry::LineString(l) => MultiLineString::new(vec![l.clone()]),
                Geometry::MultiLineString(m) => m.clone(),
                _ => return None,
            };
            let kept: Vec<LineString<f64>> =
                region.clip(&lines, false).0.into_iter().filter(|l| Euclidean.length(l) > metres_to_degrees(2.0)).collect();
            match kept.len() {
                0 => None,
                1 => kept.into_iter().next().map(Geometry::LineString),
                _ => Some(Geometry::MultiLineString(MultiLineString::new(kept))),
            }
        }
        (Layer::Blocks, Geometry::MultiPolygon(m)) => {
            use geo::Area;
            let inside = region.intersection(m);
            let min_area = metres_to_degrees(3.0).powi(2);
            let parts: Vec<_> = inside.0.into_iter().filter(|p| p.unsigned_area() > min_area).collect();
            (!parts.is_empty()).then(|| Geometry::MultiPolygon(MultiPolygon::new(parts)))
        }
        _ => None,
    }
}

/// A GeoJSON feature with coordinates rounded to 7 decimals (about 1 cm): enough for a map,
/// and a third smaller than full precision.
fn to_feature(geometry: Geometry<f64>, properties: Map<String, Json>) -> geojson::Feature {
    let round = |c: Coord<f64>| Coord { x: (c.x * 1e7).round() / 1e7, y: (c.y * 1e7).round() / 1e7 };
    let geometry = geometry.map_coords(round);
    let geometry = match geometry {
        Geometry::MultiPolygon(m) if m.0.len() == 1 => {
            m.0.into_iter().next().map(Geometry::Polygon).unwrap_or(Geometry::MultiPolygon(MultiPolygon::new(vec![])))
        }
        g => g,
    };
    feature(geometry, properties)
}

/// A GeoJSON feature of a base layer, from a `geo` geometry.
pub(crate) fn feature(geometry: Geometry<f64>, properties: Map<String, Json>) -> geojson::Feature {
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::from(&geometry))),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// `json!` for tests and for callers building small layer files.
pub fn feature_json(properties: Json, geometry: Json) -> Json {
    json!({"type": "Feature", "properties": properties, "geometry": geometry})
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;
    use geo::Validation;

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![(x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)]])
    }

    fn file(features: Vec<Json>) -> Vec<u8> {
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features})).unwrap()
    }

    fn two_barrios() -> Vec<(String, MultiPolygon<f64>)> {
        // Two barrios of ~110 m side, 330 m apart.
        vec![("a".into(), square(-74.2, 11.2, 0.001)), ("b".into(), square(-74.197, 11.2, 0.001))]
    }

    #[test]
    fn a_city_street_is_cut_into_each_barrio_it_crosses_keeping_its_name() {
        let streets = file(vec![
            feature_json(
                json!({"nombre": "Calle 22"}),
                json!({"type": "LineString", "coordinates": [[-74.21, 11.2005], [-74.19, 11.2005]]}),
            ),
            feature_json(json!({"nombre": "Lejos"}), json!({"type": "LineString", "coordinates": [[-74.0, 11.0], [-74.01, 11.0]]})),
        ]);
        let options = LayerOptions { street_name_property: "nombre".into(), ..Default::default() };
        let (layers, reports) =
            clip_layers(&two_barrios(), LayerFiles { streets: Some(&streets), ..Default::default() }, &options).unwrap();
        for code in ["a", "b"] {
            let s = &layers[code].streets.features;
            assert_eq!(s.len(), 1, "{code}");
            assert_eq!(s[0].properties.as_ref().unwrap()["name"], "Calle 22");
            let g: Geometry<f64> = s[0].geometry.clone().unwrap().value.try_into().unwrap();
            let r = g.bounding_rect().unwrap();
            // 110 m of barrio plus 30 m of margin on each side, not the 2 km of the street.
            let width_m = (r.max().x - r.min().x) * 109_000.0;
            assert!((150.0..200.0).contains(&width_m), "{width_m}");
        }
        assert_eq!(reports[0].used, 1);
        assert_eq!(reports[0].outside, 1);
    }

    #[test]
    fn blocks_are_clipped_and_landmarks_kept_only_inside() {
        let blocks = file(vec![feature_json(
            json!({}),
            json!({"type": "Polygon", "coordinates": [[[-74.2005, 11.2002], [-74.1995, 11.2002], [-74.1995, 11.2008], [-74.2005, 11.2008], [-74.2005, 11.2002]]]}),
        )]);
        let landmarks = file(vec![
            feature_json(
                json!({"amenity": "school", "name": "IED Simón Bolívar"}),
                json!({"type": "Point", "coordinates": [-74.1995, 11.2005]}),
            ),
            feature_json(json!({"kind": "parque"}), json!({"type": "Point", "coordinates": [-74.1, 11.1]})),
            feature_json(json!({"kind": "iglesia"}), json!({"type": "LineString", "coordinates": [[-74.2, 11.2], [-74.1, 11.1]]})),
        ]);
        let (layers, reports) = clip_layers(
            &two_barrios(),
            LayerFiles { blocks: Some(&blocks), landmarks: Some(&landmarks), ..Default::default() },
            &LayerOptions::default(),
        )
        .unwrap();
        let a = &layers["a"];
        assert_eq!(a.blocks.features.len(), 1);
        assert_eq!(a.landmarks.features.len(), 1);
        let props = a.landmarks.features[0].properties.as_ref().unwrap();
        assert_eq!(props["kind"], "colegio");
        assert_eq!(props["name"], "IED Simón Bolívar");
        assert!(layers["b"].landmarks.features.is_empty());
        let landmark_report = &reports[1];
        assert_eq!(landmark_report.skipped.len(), 1);
        assert!(landmark_report.skipped[0].reason.contains("must be a Point"));
    }

    #[test]
    fn a_self_intersecting_block_is_repaired_and_reported() {
        let bow_tie = file(vec![feature_json(
            json!({}),
            json!({"type": "Polygon", "coordinates": [[[-74.2, 11.2], [-74.1995, 11.2005], [-74.1995, 11.2], [-74.2, 11.2005], [-74.2, 11.2]]]}),
        )]);
        let (layers, reports) =
            clip_layers(&two_barrios(), LayerFiles { blocks: Some(&bow_tie), ..Default::default() }, &LayerOptions::default()).unwrap();
        assert_eq!(reports[0].repaired.len(), 1, "{:?}", reports[0]);
        let g: Geometry<f64> = layers["a"].blocks.features[0].geometry.clone().unwrap().value.try_into().unwrap();
        assert!(g.is_valid());
    }

    #[test]
    fn a_layer_in_a_projected_crs_is_refused_as_a_whole() {
        let bad = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3116"}},"features":[]}"#;
        let result = clip_layers(&two_barrios(), LayerFiles { streets: Some(bad), ..Default::default() }, &LayerOptions::default());
        assert!(matches!(result, Err(ImportError::UnsupportedCrs(_))));
    }
}
