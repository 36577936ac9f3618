//! Dissolves the pieces of a barrio file into one clean boundary per barrio. Real files cut
//! barrios into many pieces (here, by vulnerability class), with self-intersecting rings,
//! unnamed pieces and an old-style `crs` member; each is repaired or skipped, and reported.

use std::collections::BTreeMap;

use geo::{BoundingRect, ChamberlainDuquetteArea, Coord, CoordsIter, Distance, Haversine, MapCoords, MultiPolygon, Point, Polygon, Rect};
use serde::Serialize;

use super::features::{read_collection, FeatureNote, ImportError, MAX_BARRIO_VERTICES};
use super::{names, rings};

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
    /// Most vertices of one piece, and of one barrio's pieces together.
    pub max_vertices: usize,
    /// Pieces of one name (or code) farther than this from the rest, in metres, are reported
    /// and left out rather than merged: no barrio is 20 km across.
    pub max_piece_spread_m: f64,
}

impl Default for DissolveOptions {
    fn default() -> Self {
        DissolveOptions {
            name_property: "name".into(),
            comuna_property: None,
            code_property: None,
            min_part_m2: 1.0,
            decimals: 8,
            max_vertices: MAX_BARRIO_VERTICES,
            max_piece_spread_m: 20_000.0,
        }
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
    let read = read_collection(bytes, &options.name_property, options.max_vertices)?;
    let mut report =
        ImportReport { features_read: read.total, repaired: read.repaired, skipped: read.skipped, notes: read.notes, ..Default::default() };

    struct Group {
        name: String,
        code: Option<String>,
        first_feature: usize,
        comuna: Option<String>,
        pieces: Vec<Piece>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // Named pieces that reached the code check, and those refused for a code in use.
    let (mut named, mut collisions) = (0usize, 0usize);
    for feature in read.features {
        let index = feature.index;
        let raw_name = feature.text(&options.name_property).unwrap_or_default();
        let name = names::normalize(&raw_name);
        let note = |reason: String| PieceNote { feature: index, name: names::for_report(&name), reason };
        if name.is_empty() {
            report.skipped.push(note(format!("no name in property `{}`", options.name_property)));
            continue;
        }
        if let Some(reason) = names::refusal("name", &raw_name) {
            report.skipped.push(note(reason));
            continue;
        }
        let comuna = options.comuna_property.as_ref().and_then(|p| feature.text(p));
        if let Some(reason) = comuna.as_deref().and_then(|c| names::refusal("comuna", c)) {
            report.skipped.push(note(reason));
            continue;
        }
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
            Some((_, Some(c))) => match names::refusal("code", &c) {
                Some(reason) => {
                    report.skipped.push(note(reason));
                    continue;
                }
                None => Some(c),
            },
            Some((p, None)) => {
                report.skipped.push(note(format!("no code in property `{p}`")));
                continue;
            }
        };
        named += 1;
        let key = code.clone().unwrap_or_else(|| name.clone());
        if let Some(existing) = groups.get(&key) {
            if code.is_some() && existing.name != name {
                collisions += 1;
                report.skipped.push(note(format!(
                    "duplicated barrio code {key}: feature {} already uses it for {}",
                    existing.first_feature,
                    names::for_report(&existing.name)
                )));
                continue;
            }
        }
        let Some(rect) = multi.bounding_rect() else {
            report.skipped.push(note("empty geometry".into()));
            continue;
        };
        let group = groups.entry(key).or_insert(Group { name: name.clone(), code, first_feature: index, comuna: None, pieces: Vec::new() });
        group.comuna = group.comuna.take().or(comuna);
        group.pieces.push(Piece { feature: index, rect, polygons: multi.0 });
    }
    if let Some(property) = &options.code_property {
        if collisions * 2 > named {
            return Err(ImportError::CodesNotUnique { property: property.clone(), collisions, named });
        }
    }

    let factor = 10f64.powi(options.decimals);
    let round = |c: Coord<f64>| Coord { x: (c.x * factor).round() / factor, y: (c.y * factor).round() / factor };
    let mut barrios = Vec::with_capacity(groups.len());
    for group in groups.into_values() {
        let name = group.name;
        let shown = names::for_report(&name);
        let mut pieces = group.pieces;
        // Same-name pieces far apart are different places (or a slip), not one barrio.
        let far = far_pieces(&pieces, options.max_piece_spread_m);
        for &(i, distance_m) in far.iter().rev() {
            let piece = pieces.remove(i);
            report.skipped.push(PieceNote {
                feature: piece.feature,
                name: shown.clone(),
                reason: format!(
                    "piece {:.0} km away from the other pieces of {shown}: pieces more than {:.0} km apart are not merged into one barrio",
                    distance_m / 1000.0,
                    options.max_piece_spread_m / 1000.0
                ),
            });
        }
        let vertices: usize = pieces.iter().flat_map(|p| &p.polygons).map(|p| p.coords_count()).sum();
        if vertices > options.max_vertices {
            report.skipped.push(PieceNote {
                feature: pieces.first().map(|p| p.feature).unwrap_or(group.first_feature),
                name: shown,
                reason: format!("its pieces have {vertices} vertices together: more than the {} one barrio may have", options.max_vertices),
            });
            continue;
        }
        for piece in &pieces {
            if let Some(problem) = rings::crossing(&MultiPolygon::new(piece.polygons.clone())) {
                report.repaired.push(PieceNote {
                    feature: piece.feature,
                    name: shown.clone(),
                    reason: format!("{problem}; repaired by the union"),
                });
            }
        }
        let piece_count = pieces.len();
        let polygons: Vec<Polygon<f64>> = pieces.into_iter().flat_map(|p| p.polygons).collect();
        // The union of the pieces with themselves also resolves self-intersections, since the
        // overlay rebuilds rings from the filled area.
        let union = geo::unary_union(polygons.iter());
        let cleaned = drop_slivers(union, options.min_part_m2).map_coords(round);
        let cleaned = drop_slivers(cleaned, options.min_part_m2);
        if cleaned.0.is_empty() {
            report.skipped.push(PieceNote { feature: usize::MAX, name: shown, reason: "nothing left after repair".into() });
            continue;
        }
        if let Some(problem) = rings::crossing(&cleaned) {
            report.notes.push(format!("{shown}: boundary still not valid after repair: {problem}"));
        }
        let area_ha = cleaned.chamberlain_duquette_unsigned_area() / 10_000.0;
        barrios.push(DissolvedBarrio {
            code: group.code.as_deref().map(names::code).unwrap_or_else(|| names::code(&name)),
            name: names::display_name(&name),
            source_name: name,
            comuna: group.comuna,
            boundary: cleaned,
            area_ha,
            pieces: piece_count,
        });
    }
    dedupe_codes(&mut barrios, &mut report);
    report.barrios = barrios.len();
    Ok((barrios, report))
}

/// One feature of a barrio, before the union.
struct Piece {
    feature: usize,
    rect: Rect<f64>,
    polygons: Vec<Polygon<f64>>,
}

/// The pieces (by position, ascending, with their distance in metres) lying more than
/// `max_m` from the barrio's main cluster: the pieces of the most populated cell of a grid
/// `max_m` wide (the earliest piece's cell on a tie), around their mean centre. Linear in
/// the pieces, so a hostile file of one name a million times costs no more than its size.
fn far_pieces(pieces: &[Piece], max_m: f64) -> Vec<(usize, f64)> {
    if pieces.len() < 2 {
        return Vec::new();
    }
    // A degree of latitude is 111 km, one of longitude at most that: cells of `max_m` or less.
    let cell_deg = (max_m / 111_320.0).max(1e-6);
    let cell = |p: &Piece| {
        let c = p.rect.center();
        ((c.x / cell_deg).floor() as i64, (c.y / cell_deg).floor() as i64)
    };
    let mut cells: BTreeMap<(i64, i64), (usize, usize)> = BTreeMap::new();
    for (i, p) in pieces.iter().enumerate() {
        let entry = cells.entry(cell(p)).or_insert((0, i));
        entry.0 += 1;
    }
    let Some((&main, _)) = cells.iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1))) else {
        return Vec::new();
    };
    let members: Vec<Coord<f64>> = pieces.iter().filter(|p| cell(p) == main).map(|p| p.rect.center()).collect();
    let n = members.len().max(1) as f64;
    let anchor = Point::new(members.iter().map(|c| c.x).sum::<f64>() / n, members.iter().map(|c| c.y).sum::<f64>() / n);
    pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            // The nearest point of the piece's box to the anchor.
            let (min, max) = (p.rect.min(), p.rect.max());
            let nearest = Point::new(anchor.x().clamp(min.x, max.x), anchor.y().clamp(min.y, max.y));
            let d = Haversine.distance(anchor, nearest);
            (d > max_m).then_some((i, d))
        })
        .collect()
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
    use geo::Validation;

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

    fn feature(props: &str, x0: f64, y0: f64, size: f64) -> String {
        let (x1, y1) = (x0 + size, y0 + size);
        format!(
            r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
        )
    }

    #[test]
    fn names_too_long_or_with_control_characters_are_skipped_with_their_reason() {
        let long = "A".repeat(10_000);
        let file = collection(&[
            feature(&format!(r#"{{"name":"{long}"}}"#), -74.2, 11.2, 0.001),
            feature(r#"{"name":"LA\u0000PAZ"}"#, -74.19, 11.2, 0.001),
            feature(r#"{"name":"BOSTON","comuna":"UNO\u0007"}"#, -74.18, 11.2, 0.001),
            square("CENTRO", -74.17, 11.2, 0.001),
        ]);
        let options = DissolveOptions { comuna_property: Some("comuna".into()), ..Default::default() };
        let (barrios, report) = dissolve_barrios(&file, &options).unwrap();
        assert_eq!(barrios.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), vec!["centro"]);
        let reasons: Vec<(usize, &str)> = report.skipped.iter().map(|n| (n.feature, n.reason.as_str())).collect();
        assert_eq!(
            reasons,
            vec![
                (0, "the name has 10000 characters; at most 120 are taken"),
                (1, "the name contains control characters"),
                (2, "the comuna contains control characters"),
            ]
        );
        assert!(report.skipped[0].name.chars().count() <= 61, "the report does not repeat the whole name");
        assert!(!report.skipped[1].name.contains('\0'));
    }

    #[test]
    fn same_name_pieces_far_apart_are_reported_not_merged() {
        // Two pieces of La Paz side by side in Santa Marta, a third 500 km away.
        let file = collection(&[
            square("LA PAZ", -74.2, 11.2, 0.001),
            square("LA PAZ", -70.0, 9.0, 0.001),
            square("LA PAZ", -74.199, 11.2, 0.001),
        ]);
        let (barrios, report) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
        assert_eq!(barrios.len(), 1);
        assert_eq!(barrios[0].pieces, 2);
        let r = barrios[0].boundary.bounding_rect().unwrap();
        assert!(r.max().x < -74.0, "the far piece is not in the boundary");
        assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
        assert_eq!(report.skipped[0].feature, 1);
        assert!(report.skipped[0].reason.contains("km away from the other pieces of LA PAZ"), "{}", report.skipped[0].reason);
        // The stray piece first in the file does not win over the rest.
        let file = collection(&[
            square("LA PAZ", -70.0, 9.0, 0.001),
            square("LA PAZ", -74.2, 11.2, 0.001),
            square("LA PAZ", -74.199, 11.2, 0.001),
        ]);
        let (barrios, report) = dissolve_barrios(&file, &DissolveOptions::default()).unwrap();
        assert_eq!((barrios[0].pieces, report.skipped[0].feature), (2, 0));
    }

    #[test]
    fn a_code_property_that_does_not_identify_barrios_refuses_the_file() {
        let features: Vec<String> = (0..10)
            .map(|i| {
                feature(&format!(r#"{{"name":"BARRIO {i}","id":{}}}"#, if i < 2 { i } else { 0 }), -74.2 + i as f64 * 0.002, 11.2, 0.001)
            })
            .collect();
        let options = DissolveOptions { code_property: Some("id".into()), ..Default::default() };
        match dissolve_barrios(&collection(&features), &options) {
            Err(ImportError::CodesNotUnique { property, collisions, named }) => {
                assert_eq!((property.as_str(), collisions, named), ("id", 8, 10))
            }
            other => panic!("not refused: {other:?}"),
        }
        // One slip in a file of distinct codes is reported, and the rest imported.
        let features: Vec<String> = (0..10)
            .map(|i| {
                feature(&format!(r#"{{"name":"BARRIO {i}","id":{}}}"#, if i == 9 { 0 } else { i }), -74.2 + i as f64 * 0.002, 11.2, 0.001)
            })
            .collect();
        let (barrios, report) = dissolve_barrios(&collection(&features), &options).unwrap();
        assert_eq!((barrios.len(), report.skipped.len()), (9, 1));
    }

    #[test]
    fn a_barrio_whose_pieces_have_too_many_vertices_together_is_skipped() {
        let file = collection(&[
            square("LA PAZ", -74.2, 11.2, 0.001),
            square("LA PAZ", -74.199, 11.2, 0.001),
            square("BOSTON", -74.19, 11.2, 0.001),
        ]);
        // Each square has 5 positions: one piece passes, two together do not.
        let options = DissolveOptions { max_vertices: 6, ..Default::default() };
        let (barrios, report) = dissolve_barrios(&file, &options).unwrap();
        assert_eq!(barrios.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), vec!["boston"]);
        assert!(report.skipped[0].reason.contains("10 vertices together"), "{:?}", report.skipped);
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
