//! Dissolves the pieces of a barrio file into one clean boundary per barrio. Real files cut
//! barrios into many pieces (here, by vulnerability class), with self-intersecting rings,
//! unnamed pieces and an old-style `crs` member; each is repaired or skipped, and reported.

use std::collections::BTreeMap;

use geo::{ChamberlainDuquetteArea, Coord, MapCoords, MultiPolygon, Polygon, Validation};
use serde::Serialize;

use super::features::{read_collection, FeatureNote, ImportError};
use super::names;

/// Kept under its old name: the seed report and its readers use it.
pub type PieceNote = FeatureNote;

#[derive(Debug, Clone)]
pub struct DissolveOptions {
    /// Property holding the barrio name; without a code property, pieces are grouped by its
    /// normalised value.
    pub name_property: String,
    /// Optional property holding the comuna the barrio belongs to.
    pub comuna_property: Option<String>,
    /// Optional property holding the barrio's official code. When given, pieces are grouped by
    /// code, and a code used by two differently named barrios is reported, not guessed at.
    pub code_property: Option<String>,
    /// Parts (and holes) smaller than this, in square metres, are slivers left by the cut.
    pub min_part_m2: f64,
    /// Decimal places kept in coordinates. 8 (about 1 mm) keeps the repaired rings valid on
    /// the Santa Marta file; 6 (0.1 m) made 15 rings touch themselves again.
    pub decimals: i32,
}

impl Default for DissolveOptions {
    fn default() -> Self {
        DissolveOptions { name_property: "name".into(), comuna_property: None, code_property: None, min_part_m2: 1.0, decimals: 8 }
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub features_read: usize,
    pub barrios: usize,
    pub repaired: Vec<PieceNote>,
    pub skipped: Vec<PieceNote>,
    pub notes: Vec<String>,
}

/// Reads a FeatureCollection of barrio pieces and dissolves them by code or name.
pub fn dissolve_barrios(bytes: &[u8], options: &DissolveOptions) -> Result<(Vec<DissolvedBarrio>, ImportReport), ImportError> {
    let read = read_collection(bytes, &options.name_property)?;
    let mut report =
        ImportReport { features_read: read.total, repaired: read.repaired, skipped: read.skipped, notes: read.notes, ..Default::default() };

    struct Group {
        name: String,
        code: Option<String>,
        first_feature: usize,
        comuna: Option<String>,
        polygons: Vec<Polygon<f64>>,
        pieces: usize,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for feature in read.features {
        let index = feature.index;
        let name = names::normalize(&feature.text(&options.name_property).unwrap_or_default());
        let note = |reason: String| PieceNote { feature: index, name: name.clone(), reason };
        if name.is_empty() {
            report.skipped.push(note(format!("no name in property `{}`", options.name_property)));
            continue;
        }
        let comuna = options.comuna_property.as_ref().and_then(|p| feature.text(p));
        let code = options.code_property.as_ref().map(|p| (p, feature.text(p)));
        let multi = match feature.geometry {
            geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
            geo::Geometry::MultiPolygon(m) => m,
            other => {
                report.skipped.push(note(format!("geometry type {} is not an area", geometry_type(&other))));
                continue;
            }
        };
        let code = match code {
            None => None,
            Some((_, Some(c))) => Some(c),
            Some((p, None)) => {
                report.skipped.push(note(format!("no code in property `{p}`")));
                continue;
            }
        };
        let key = code.clone().unwrap_or_else(|| name.clone());
        if let Some(existing) = groups.get(&key) {
            if code.is_some() && existing.name != name {
                report.skipped.push(note(format!(
                    "duplicated barrio code {key}: feature {} already uses it for {}",
                    existing.first_feature, existing.name
                )));
                continue;
            }
        }
        if let Err(problem) = multi.check_validation() {
            report.repaired.push(note(format!("{problem}; repaired by the union")));
        }
        let group = groups.entry(key).or_insert(Group {
            name: name.clone(),
            code,
            first_feature: index,
            comuna: None,
            polygons: Vec::new(),
            pieces: 0,
        });
        group.comuna = group.comuna.take().or(comuna);
        group.polygons.extend(multi.0);
        group.pieces += 1;
    }

    let factor = 10f64.powi(options.decimals);
    let round = |c: Coord<f64>| Coord { x: (c.x * factor).round() / factor, y: (c.y * factor).round() / factor };
    let mut barrios = Vec::with_capacity(groups.len());
    for group in groups.into_values() {
        let name = group.name;
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
            code: group.code.as_deref().map(names::code).unwrap_or_else(|| names::code(&name)),
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

fn geometry_type(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) => "Point",
        geo::Geometry::MultiPoint(_) => "MultiPoint",
        geo::Geometry::LineString(_) | geo::Geometry::Line(_) => "LineString",
        geo::Geometry::MultiLineString(_) => "MultiLineString",
        geo::Geometry::GeometryCollection(_) => "GeometryCollection",
        _ => "Polygon",
    }
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
