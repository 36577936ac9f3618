//! Reads a GeoJSON FeatureCollection feature by feature, so one broken feature is reported
//! (with its index and the reason) instead of rejecting the whole file, and checks what every
//! import needs: WGS84, closed rings with enough positions, no empty geometries.

use geojson::{Feature, JsonObject, Value};
use serde::Serialize;
use serde_json::Value as Json;
use thiserror::Error;

/// One feature of the source that needed attention. `feature` is the 0-based index in the file;
/// `name` is what the feature calls itself, when it says.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeatureNote {
    pub feature: usize,
    pub name: String,
    pub reason: String,
}

/// Most vertices one barrio boundary may have (the pieces of a barrio together, too). Checking
/// and dissolving a boundary costs more than linear time in its vertices (about 6 s at 20,000
/// in a debug build); Santa Marta's largest barrio has 2,631. Counted while reading, before
/// any geometry work, so a hostile file costs time in proportion to its size.
pub const MAX_BARRIO_VERTICES: usize = 20_000;
/// Most vertices one feature of a layer (a street, a block, a landmark's area) may have.
pub const MAX_LAYER_FEATURE_VERTICES: usize = 10_000;

/// Problems with the file as a whole; nothing of it is imported.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("the file is not GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the file is GeoJSON but not a FeatureCollection")]
    NotAFeatureCollection,
    #[error("the file declares the coordinate system {0}; only WGS84 longitude/latitude (EPSG:4326, CRS84) is accepted")]
    UnsupportedCrs(String),
    #[error("{0}")]
    Invalid(String),
    /// More than half the named pieces share a code with another barrio: the property does
    /// not identify barrios (all 0, say), and importing the few left would mislead.
    #[error(
        "the code property `{property}` does not identify barrios: {collisions} of {named} named features use a code another barrio uses"
    )]
    CodesNotUnique { property: String, collisions: usize, named: usize },
    /// The import was read but refused as a whole; the summary says barrio by barrio and
    /// feature by feature why, and nothing was written.
    #[error("{0}")]
    Refused(super::plan::Refusal, Box<super::plan::ImportSummary>),
}

/// A feature that passed the checks, with its index in the file.
#[derive(Debug, Clone)]
pub struct SourceFeature {
    pub index: usize,
    pub properties: JsonObject,
    pub geometry: geo::Geometry<f64>,
}

impl SourceFeature {
    /// A property as text: strings as they are, numbers written out (codes are often numbers).
    pub fn text(&self, property: &str) -> Option<String> {
        match self.properties.get(property)? {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// The features that can be used, and notes on those that were repaired or skipped.
#[derive(Debug, Default)]
pub struct ReadFeatures {
    pub features: Vec<SourceFeature>,
    pub total: usize,
    pub repaired: Vec<FeatureNote>,
    pub skipped: Vec<FeatureNote>,
    pub notes: Vec<String>,
}

/// Reads `bytes` as a FeatureCollection. `name_property` is only used to name features in notes.
/// A feature with more than `max_vertices` positions is skipped before it is even parsed.
pub fn read_collection(bytes: &[u8], name_property: &str, max_vertices: usize) -> Result<ReadFeatures, ImportError> {
    let json: Json = serde_json::from_slice(bytes).map_err(|e| ImportError::NotGeoJson(e.to_string()))?;
    let Json::Object(mut root) = json else {
        return Err(ImportError::NotAFeatureCollection);
    };
    if root.get("type").and_then(Json::as_str) != Some("FeatureCollection") {
        return Err(ImportError::NotAFeatureCollection);
    }
    let mut out = ReadFeatures::default();
    if let Some(crs) = root.get("crs") {
        let declared = crs.pointer("/properties/name").and_then(Json::as_str).unwrap_or("(sin nombre)").to_string();
        if !is_wgs84(&declared) {
            return Err(ImportError::UnsupportedCrs(declared));
        }
        out.notes.push(format!("member `crs` ({declared}) ignored: RFC 7946 files are always WGS84"));
    }
    let Some(Json::Array(features)) = root.remove("features") else {
        return Err(ImportError::Invalid("the FeatureCollection has no `features` array".into()));
    };
    out.total = features.len();
    for (index, raw) in features.into_iter().enumerate() {
        let name = raw.pointer(&format!("/properties/{}", escape_pointer(name_property))).map(name_of).unwrap_or_default();
        let note = |reason: String| FeatureNote { feature: index, name: name.clone(), reason };
        let vertices = raw.pointer("/geometry").map(count_positions).unwrap_or(0);
        if vertices > max_vertices {
            out.skipped.push(note(format!("{vertices} vertices: more than the {max_vertices} one feature may have")));
            continue;
        }
        let feature = match Feature::from_json_value(raw) {
            Ok(f) => f,
            Err(e) => {
                out.skipped.push(note(format!("not a valid GeoJSON feature: {e}")));
                continue;
            }
        };
        let Some(geometry) = feature.geometry else {
            out.skipped.push(note("no geometry".into()));
            continue;
        };
        let mut value = geometry.value;
        match check_rings(&mut value) {
            Err(reason) => {
                out.skipped.push(note(reason));
                continue;
            }
            Ok(Some(repair)) => out.repaired.push(note(repair)),
            Ok(None) => {}
        }
        if let Some(reason) = out_of_wgs84(&value) {
            out.skipped.push(note(reason));
            continue;
        }
        let geometry = match geo::Geometry::<f64>::try_from(value) {
            Ok(g) => g,
            Err(e) => {
                out.skipped.push(note(format!("geometry could not be read: {e}")));
                continue;
            }
        };
        if is_empty(&geometry) {
            out.skipped.push(note("empty geometry".into()));
            continue;
        }
        out.features.push(SourceFeature { index, properties: feature.properties.unwrap_or_default(), geometry });
    }
    Ok(out)
}

/// The positions of a GeoJSON geometry (of a collection's members too), counted on the raw
/// JSON: a cheap walk, bounded in depth by the JSON parser's own limit.
fn count_positions(geometry: &Json) -> usize {
    fn walk(v: &Json) -> usize {
        match v {
            Json::Array(a) if a.first().is_some_and(Json::is_number) => 1,
            Json::Array(a) => a.iter().map(walk).sum(),
            _ => 0,
        }
    }
    let own = geometry.get("coordinates").map(walk).unwrap_or(0);
    let members: usize = geometry.get("geometries").and_then(Json::as_array).map(|gs| gs.iter().map(count_positions).sum()).unwrap_or(0);
    own + members
}

fn name_of(v: &Json) -> String {
    match v {
        Json::String(s) => super::names::for_report(s.trim()),
        Json::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

pub fn is_wgs84(declared: &str) -> bool {
    let d = declared.to_ascii_uppercase();
    d.ends_with("EPSG:4326") || d.ends_with("EPSG::4326") || d.ends_with("CRS84")
}

/// Closes rings left open (a common export slip) and refuses rings too short to be an area.
/// Returns what was repaired, if anything.
fn check_rings(value: &mut Value) -> Result<Option<String>, String> {
    let polygons: Vec<&mut Vec<Vec<Vec<f64>>>> = match value {
        Value::Polygon(p) => vec![p],
        Value::MultiPolygon(m) => m.iter_mut().collect(),
        _ => return Ok(None),
    };
    let mut closed = 0;
    for polygon in polygons {
        if polygon.is_empty() {
            return Err("empty geometry: a polygon with no rings".into());
        }
        for (i, ring) in polygon.iter_mut().enumerate() {
            if ring.iter().any(|p| p.len() < 2) {
                return Err("broken ring: a position with fewer than two numbers".into());
            }
            if ring.first() != ring.last() {
                if let Some(first) = ring.first().cloned() {
                    ring.push(first);
                    closed += 1;
                }
            }
            if ring.len() < 4 {
                let what = if i == 0 { "outer ring" } else { "hole" };
                return Err(format!("broken ring: the {what} has {} positions, an area needs at least 4", ring.len()));
            }
        }
    }
    Ok((closed > 0).then(|| format!("{closed} ring(s) not closed; closed by repeating the first position")))
}

fn out_of_wgs84(value: &Value) -> Option<String> {
    fn walk(v: &Value, f: &mut dyn FnMut(&[f64]) -> bool) -> bool {
        match v {
            Value::Point(p) => f(p),
            Value::MultiPoint(ps) | Value::LineString(ps) => ps.iter().any(|p| f(p)),
            Value::MultiLineString(ls) | Value::Polygon(ls) => ls.iter().flatten().any(|p| f(p)),
            Value::MultiPolygon(ps) => ps.iter().flatten().flatten().any(|p| f(p)),
            Value::GeometryCollection(gs) => gs.iter().any(|g| walk(&g.value, f)),
        }
    }
    let mut bad = None;
    walk(value, &mut |p: &[f64]| {
        let (x, y) = (p[0], p.get(1).copied().unwrap_or(f64::NAN));
        let wrong = !x.is_finite() || !y.is_finite() || x.abs() > 180.0 || y.abs() > 90.0;
        if wrong {
            bad = Some(format!("coordinate ({x}, {y}) is not longitude/latitude: is the file in another CRS?"));
        }
        wrong
    });
    bad
}

fn is_empty(g: &geo::Geometry<f64>) -> bool {
    use geo::CoordsIter;
    g.coords_count() == 0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn collection(features: &[String]) -> Vec<u8> {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")).into_bytes()
    }

    pub fn feature(props: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
    }

    #[test]
    fn each_kind_of_broken_feature_is_reported_with_its_index() {
        let file = collection(&[
            feature(r#"{"name":"ok"}"#, r#"{"type":"Point","coordinates":[-74.2,11.2]}"#),
            feature(r#"{"name":"open"}"#, r#"{"type":"Polygon","coordinates":[[[-74.2,11.2],[-74.19,11.2],[-74.19,11.21]]]}"#),
            feature(r#"{"name":"short"}"#, r#"{"type":"Polygon","coordinates":[[[-74.2,11.2],[-74.19,11.2],[-74.2,11.2]]]}"#),
            feature(r#"{"name":"empty"}"#, r#"{"type":"MultiPolygon","coordinates":[]}"#),
            feature(r#"{"name":"nogeom"}"#, "null"),
            feature(r#"{"name":"projected"}"#, r#"{"type":"Point","coordinates":[985000,1730000]}"#),
            feature(r#"{"name":"garbage"}"#, r#"{"type":"Point","coordinates":"here"}"#),
        ]);
        let read = read_collection(&file, "name", 100).unwrap();
        assert_eq!(read.total, 7);
        let kept: Vec<usize> = read.features.iter().map(|f| f.index).collect();
        assert_eq!(kept, vec![0, 1]);
        assert_eq!(read.repaired.len(), 1);
        assert!(read.repaired[0].reason.contains("not closed"), "{:?}", read.repaired);
        let reasons: Vec<(usize, &str)> = read.skipped.iter().map(|n| (n.feature, n.reason.as_str())).collect();
        assert!(reasons[0].0 == 2 && reasons[0].1.contains("broken ring"), "{reasons:?}");
        assert!(reasons[1].0 == 3 && reasons[1].1.contains("empty"), "{reasons:?}");
        assert!(reasons[2].0 == 4 && reasons[2].1.contains("no geometry"), "{reasons:?}");
        assert!(reasons[3].0 == 5 && reasons[3].1.contains("another CRS"), "{reasons:?}");
        assert!(reasons[4].0 == 6 && reasons[4].1.contains("not a valid GeoJSON feature"), "{reasons:?}");
        assert_eq!(read.skipped[4].name, "garbage");
    }

    #[test]
    fn a_feature_with_too_many_vertices_is_skipped_before_it_is_parsed() {
        let ring = |n: usize| {
            let mut points: Vec<String> =
                (0..n).map(|i| format!("[{},{}]", -74.2 + (i as f64 * 0.3).cos() * 0.01, 11.2 + (i as f64 * 0.3).sin() * 0.01)).collect();
            points.push(points[0].clone());
            format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, points.join(","))
        };
        let collection_of = format!(r#"{{"type":"GeometryCollection","geometries":[{},{}]}}"#, ring(10), ring(10));
        let file = collection(&[
            feature(r#"{"name":"small"}"#, &ring(9)),
            feature(r#"{"name":"big"}"#, &ring(10)),
            feature(r#"{"name":"nested"}"#, &collection_of),
        ]);
        let read = read_collection(&file, "name", 10).unwrap();
        assert_eq!(read.features.len(), 1);
        let skipped: Vec<(usize, &str)> = read.skipped.iter().map(|n| (n.feature, n.reason.as_str())).collect();
        assert_eq!(
            skipped,
            vec![(1, "11 vertices: more than the 10 one feature may have"), (2, "22 vertices: more than the 10 one feature may have")]
        );
    }

    #[test]
    fn whole_file_problems_are_errors() {
        assert!(matches!(read_collection(b"{not json", "name", 100), Err(ImportError::NotGeoJson(_))));
        assert!(matches!(
            read_collection(br#"{"type":"Point","coordinates":[0,0]}"#, "name", 100),
            Err(ImportError::NotAFeatureCollection)
        ));
        let projected = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3116"}},"features":[]}"#;
        assert!(matches!(read_collection(projected, "name", 100), Err(ImportError::UnsupportedCrs(_))));
        let crs84 =
            br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#;
        assert_eq!(read_collection(crs84, "name", 100).unwrap().notes.len(), 1);
    }

    #[test]
    fn numeric_properties_read_as_text() {
        let file = collection(&[feature(r#"{"CODIGO":1203,"N":"  Bavaria "}"#, r#"{"type":"Point","coordinates":[-74.2,11.2]}"#)]);
        let read = read_collection(&file, "N", 100).unwrap();
        assert_eq!(read.features[0].text("CODIGO").as_deref(), Some("1203"));
        assert_eq!(read.features[0].text("N").as_deref(), Some("Bavaria"));
    }
}
