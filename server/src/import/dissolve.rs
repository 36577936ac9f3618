//! Dissolves the pieces of a barrio file into one clean boundary per barrio. Real files cut
//! barrios into many pieces (here, by vulnerability class), with self-intersecting rings,
//! unnamed pieces and an old-style `crs` member; each is repaired or skipped, and reported.

use std::collections::BTreeMap;

use geo::{ChamberlainDuquetteArea, Coord, MapCoords, MultiPolygon, Polygon, Validation};
use geojson::{GeoJson, Value};
use serde::Serialize;
use thiserror::Error;

use super::names;

#[derive(Debug, Clone)]
pub struct DissolveOptions {
    /// Property holding the barrio name; pieces are grouped by its normalised value.
    pub name_property: String,
    /// Optional property holding the comuna the barrio belongs to.
    pub comuna_property: Option<String>,
    /// Parts (and holes) smaller than this, in square metres, are slivers left by the cut.
    pub min_part_m2: f64,
    /// Decimal places kept in coordinates. 8 (about 1 mm) keeps the repaired rings valid on
    /// the Santa Marta file; 6 (0.1 m) made 15 rings touch themselves again.
    pub decimals: i32,
}

impl Default for DissolveOptions {
    fn default() -> Self {
        DissolveOptions { name_property: "name".into(), comuna_property: None, min_part_m2: 1.0, decimals: 8 }
    }
}

#[derive(Debug, Clone)]
pub struct DissolvedBarrio {
    pub code: String,
    pub name: String,
    /// The normalised name as it appears in the source file.
    pub source_name: String,
    pub comuna: Option<String>,
    pub boundary: MultiPolygon<f64>,
    pub area_ha: f64,
    pub pieces: usize,
}

/// One piece of the source that needed attention. `feature` is the 0-based index in the file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PieceNote {
    pub feature: usize,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub features_read: usize,
    pub barrios: usize,
    pub repaired: Vec<PieceNote>,
    pub skipped: Vec<PieceNote>,
    pub notes: Vec<String>,
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("the file is not GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the file is GeoJSON but not a FeatureCollection")]
    NotAFeatureCollection,
    #[error("the file declares the coordinate system {0}; only WGS84 longitude/latitude (EPSG:4326, CRS84) is accepted")]
    UnsupportedCrs(String),
}

/// Reads a FeatureCollection of barrio pieces and dissolves them by name.
pub fn dissolve_barrios(bytes: &[u8], options: &DissolveOptions) -> Result<(Vec<DissolvedBarrio>, ImportReport), ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotGeoJson(e.to_string()))?;
    let collection = match text.parse::<GeoJson>().map_err(|e| ImportError::NotGeoJson(e.to_string()))? {
        GeoJson::FeatureCollection(fc) => fc,
        _ => return Err(ImportError::NotAFeatureCollection),
    };
    let mut report = ImportReport { features_read: collection.features.len(), ..Default::default() };
    if let Some(crs) = collection.foreign_members.as_ref().and_then(|m| m.get("crs")) {
        let declared = crs.pointer("/properties/name").and_then(|v| v.as_str()).unwrap_or("(sin nombre)").to_string();
        if !is_wgs84(&declared) {
            return Err(ImportError::UnsupportedCrs(declared));
        }
        report.notes.push(format!("member `crs` ({declared}) ignored: RFC 7946 files are always WGS84"));
    }

    struct Group {
        comuna: Option<String>,
        polygons: Vec<Polygon<f64>>,
        pieces: usize,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (index, feature) in collection.features.into_iter().enumerate() {
        let props = feature.properties.unwrap_or_default();
        let raw_name = props.get(&options.name_property).and_then(|v| v.as_str()).unwrap_or("");
        let name = names::normalize(raw_name);
        let note = |reason: String| PieceNote { feature: index, name: name.clone(), reason };
        if name.is_empty() {
            report.skipped.push(note(format!("no name in property `{}`", options.name_property)));
            continue;
        }
        let Some(geometry) = feature.geometry else {
            report.skipped.push(note("no geometry".into()));
            continue;
        };
        let multi = match geometry.value {
            Value::Polygon(_) | Value::MultiPolygon(_) => match geo::Geometry::<f64>::try_from(geometry.value) {
                Ok(geo::Geometry::Polygon(p)) => MultiPolygon::new(vec![p]),
                Ok(geo::Geometry::MultiPolygon(m)) => m,
                Ok(_) | Err(_) => {
                    report.skipped.push(note("geometry could not be read".into()));
                    continue;
                }
            },
            other => {
                report.skipped.push(note(format!("geometry type {} is not an area", other.type_name())));
                continue;
            }
        };
        if multi.0.is_empty() || multi.0.iter().all(|p| p.exterior().0.len() < 4) {
            report.skipped.push(note("empty geometry".into()));
            continue;
        }
        if let Some(reason) = out_of_wgs84(&multi) {
            report.skipped.push(note(reason));
            continue;
        }
        if let Err(problem) = multi.check_validation() {
            report.repaired.push(note(format!("{problem}; repaired by the union")));
        }
        let comuna = options
            .comuna_property
            .as_ref()
            .and_then(|p| props.get(p))
            .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())));
        let group = groups.entry(name).or_insert(Group { comuna: None, polygons: Vec::new(), pieces: 0 });
        group.comuna = group.comuna.take().or(comuna);
        group.polygons.extend(multi.0);
        group.pieces += 1;
    }

    let factor = 10f64.powi(options.decimals);
    let round = |c: Coord<f64>| Coord { x: (c.x * factor).round() / factor, y: (c.y * factor).round() / factor };
    let mut barrios = Vec::with_capacity(groups.len());
    for (name, group) in groups {
        // The union of the pieces with themselves also resolves self-intersections, since the
        // overlay rebuilds rings from the filled area.
        let union = geo::unary_union(group.polygons.iter());
        let cleaned = drop_slivers(union, options.min_part_m2).map_coords(round);
        let cleaned = drop_slivers(cleaned, options.min_part_m2);
        if cleaned.0.is_empty() {
            report.skipped.push(PieceNote { feature: usize::MAX, name, reason: "nothing left after repair".into() });
            continue;
        }
        if let Err(problem) = cleaned.check_validation() {
            report.notes.push(format!("{name}: boundary still not valid after repair: {problem}"));
        }
        let area_ha = cleaned.chamberlain_duquette_unsigned_area() / 10_000.0;
        barrios.push(DissolvedBarrio {
            code: names::code(&name),
            name: names::display_name(&name),
            source_name: name,
            comuna: group.comuna,
            boundary: cleaned,
            area_ha,
            pieces: group.pieces,
        });
    }
    dedupe_codes(&mut barrios, &mut report);
    report.barrios = barrios.len();
    Ok((barrios, report))
}

fn is_wgs84(declared: &str) -> bool {
    let d = declared.to_ascii_uppercase();
    d.ends_with("EPSG:4326") || d.ends_with("EPSG::4326") || d.ends_with("CRS84")
}

fn out_of_wgs84(multi: &MultiPolygon<f64>) -> Option<String> {
    use geo::CoordsIter;
    multi.coords_iter().find(|c| !c.x.is_finite() || !c.y.is_finite() || c.x.abs() > 180.0 || c.y.abs() > 90.0).map(|c| {
        format!("coordinate ({}, {}) is not longitude/latitude: is the file in another CRS?", c.x, c.y)
    })
}

/// Removes parts and holes below `min_m2`: the hairline slivers left where pieces met.
fn drop_slivers(multi: MultiPolygon<f64>, min_m2: f64) -> MultiPolygon<f64> {
    let area = |ring: &geo::LineString<f64>| Polygon::new(ring.clone(), vec![]).chamberlain_duquette_unsigned_area();
    MultiPolygon::new(
        multi
            .into_iter()
            .filter(|p| area(p.exterior()) >= min_m2)
            .map(|p| {
                let (exterior, holes) = p.into_inner();
                let holes = holes.into_iter().filter(|h| area(h) >= min_m2).collect();
                Polygon::new(exterior, holes)
            })
            .collect(),
    )
}

/// Two names that differ only in punctuation ("CR. COLON", "CR COLON") would share a code.
fn dedupe_codes(barrios: &mut [DissolvedBarrio], report: &mut ImportReport) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for b in barrios.iter_mut() {
        let n = seen.entry(b.code.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let new_code = format!("{}-{}", b.code, n);
            report.notes.push(format!("{}: code {} already used, given {}", b.source_name, b.code, new_code));
            b.code = new_code;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(features: &[String]) -> Vec<u8> {
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}}},"features":[{}]}}"#,
            features.join(",")
        )
        .into_bytes()
    }

    fn square(name: &str, x0: f64, y0: f64, size: f64) -> String {
        let (x1, y1) = (x0 + size, y0 + size);
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
        )
    }

    #[test]
    fn adjacent_pieces_with_the_same_name_become_one_polygon() {
        let file = collection(&[square("LA PAZ", -74.2, 11.2, 0.001), square("LA  PAZ ", -74.199, 11.2, 0.001)]);
        let (barrios, report) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
        assert_eq!(barrios.len(), 1);
        assert_eq!(barrios[0].name, "La Paz");
        assert_eq!(barrios[0].pieces, 2);
        assert_eq!(barrios[0].boundary.0.len(), 1, "one polygon, no seam");
        assert!(report.skipped.is_empty());
        // Two squares of ~109 m × 109 m near the equator: about 2.4 ha.
        assert!((barrios[0].area_ha - 2.4).abs() < 0.2, "{}", barrios[0].area_ha);
    }

    #[test]
    fn unnamed_pieces_are_skipped_and_reported() {
        let file = collection(&[square("", -74.2, 11.2, 0.001), square("BOSTON", -74.19, 11.2, 0.001)]);
        let (barrios, report) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
        assert_eq!(barrios.len(), 1);
        assert_eq!(report.skipped, vec![PieceNote { feature: 0, name: String::new(), reason: "no name in property `name`".into() }]);
    }

    #[test]
    fn a_bow_tie_piece_is_repaired_into_valid_polygons() {
        let bow_tie = r#"{"type":"Feature","properties":{"name":"MORIPOSA"},"geometry":{"type":"Polygon","coordinates":[[[-74.2,11.2],[-74.19,11.21],[-74.19,11.2],[-74.2,11.21],[-74.2,11.2]]]}}"#;
        let (barrios, report) = dissolve_barrios(&collection(&[bow_tie.to_string()]), &DissolveOptions::default()).unwrap();
        assert_eq!(report.repaired.len(), 1, "{report:?}");
        assert!(barrios[0].boundary.is_valid());
        assert!(barrios[0].area_ha > 0.0);
    }

    #[test]
    fn projected_coordinates_are_skipped_as_wrong_crs() {
        let file = collection(&[square("CENTRO", 985_000.0, 1_730_000.0, 100.0)]);
        let (barrios, report) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
        assert!(barrios.is_empty());
        assert!(report.skipped[0].reason.contains("another CRS"));
    }

    #[test]
    fn a_declared_projected_crs_is_refused() {
        let file = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3116"}},"features":[]}"#;
        assert!(matches!(dissolve_barrios(file, &DissolveOptions::default()), Err(ImportError::UnsupportedCrs(_))));
    }

    #[test]
    fn other_property_names_are_supported() {
        let f = r#"{"type":"Feature","properties":{"NOMBRE":"El Prado","COMUNA":"4"},"geometry":{"type":"Polygon","coordinates":[[[-74.2,11.2],[-74.19,11.2],[-74.19,11.21],[-74.2,11.2]]]}}"#;
        let options = DissolveOptions { name_property: "NOMBRE".into(), comuna_property: Some("COMUNA".into()), ..Default::default() };
        let (barrios, _) = dissolve_barrios(&collection(&[f.to_string()]), &options).unwrap();
        assert_eq!(barrios[0].name, "El Prado");
        assert_eq!(barrios[0].code, "el-prado");
        assert_eq!(barrios[0].comuna.as_deref(), Some("4"));
    }

    #[test]
    fn output_is_deterministic() {
        let file = collection(&[square("B", -74.2, 11.2, 0.001), square("A", -74.1, 11.2, 0.001), square("B", -74.2, 11.201, 0.001)]);
        let run = || {
            let (b, _) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
            format!("{:?}", b.iter().map(|b| (&b.code, &b.boundary)).collect::<Vec<_>>())
        };
        assert_eq!(run(), run());
    }
}
