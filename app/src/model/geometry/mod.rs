//! Validation of mark geometries against RFC 7946: supported types, finite WGS84 coordinates
//! in range, closed rings with enough positions, simple polygons (see [`rings`]), no
//! degenerate shapes, and sizes a person draws — so that no mark costs seconds to check or
//! to merge.

mod rings;

use geo::Geometry as GeoGeometry;
use geojson::{Geometry, Value};
use thiserror::Error;

use super::Bilingual;
use rings::polygon_problem;

/// Most positions of a zone, all its rings together (closing positions included). A zone
/// drawn by tapping has dozens; one traced from a GPS track, a few hundred.
pub const MAX_ZONE_VERTICES: usize = 5_000;
/// Most holes (interior rings) of a zone. The drawing tool makes none; a zone imported from
/// a GIS may have a few.
pub const MAX_ZONE_HOLES: usize = 20;
/// Most positions of a route.
pub const MAX_ROUTE_VERTICES: usize = 5_000;
/// The smallest area a zone may enclose, in square metres: less is a slip of the finger or
/// three points in a line, not a place.
pub const MIN_ZONE_AREA_M2: f64 = 1.0;

/// Why a geometry was refused. Positions are 1-based, as a person would count them.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GeometryError {
    #[error("unsupported geometry type {0}")]
    UnsupportedType(String),
    #[error("position {position} has {dims} numbers, needs longitude and latitude")]
    BadPosition { position: usize, dims: usize },
    #[error("position {position} is not a finite number")]
    NotFinite { position: usize },
    #[error("longitude {lon} at position {position} is outside -180..180")]
    LongitudeOutOfRange { position: usize, lon: f64 },
    #[error("latitude {lat} at position {position} is outside -90..90")]
    LatitudeOutOfRange { position: usize, lat: f64 },
    #[error("a line needs at least 2 positions, got {0}")]
    LineTooShort(usize),
    #[error("a line needs at least 2 different positions; all of its positions are the same")]
    LineWithoutLength,
    #[error("ring {ring} needs at least 4 positions, got {got}")]
    RingTooShort { ring: usize, got: usize },
    #[error("ring {ring} is not closed: its first and last positions differ")]
    RingNotClosed { ring: usize },
    #[error("polygon has no rings")]
    EmptyPolygon,
    #[error("polygon is not valid: {0}")]
    InvalidPolygon(String),
    #[error("the {kind} has {got} positions, more than the {max} allowed")]
    TooManyVertices { kind: ShapeKind, got: usize, max: usize },
    #[error("the zone has {0} holes, more than the {MAX_ZONE_HOLES} allowed")]
    TooManyHoles(usize),
    #[error("the zone encloses {area_m2:.2} m², less than the {MIN_ZONE_AREA_M2} m² a zone needs")]
    ZoneTooSmall { area_m2: f64 },
}

/// A drawn shape, as the limits name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    Route,
    Zone,
}

impl std::fmt::Display for ShapeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ShapeKind::Route => "route",
            ShapeKind::Zone => "zone",
        })
    }
}

impl GeometryError {
    /// A stable code for clients: the limits have their own, so the app can say "simplify
    /// it" rather than "it is broken".
    pub fn code(&self) -> &'static str {
        match self {
            GeometryError::TooManyVertices { .. } | GeometryError::TooManyHoles(_) => "too_many_vertices",
            _ => "invalid_geometry",
        }
    }
}

impl Bilingual for GeometryError {
    fn es(&self) -> String {
        match self {
            GeometryError::UnsupportedType(t) => format!("El tipo de geometría «{t}» no se admite: use Point, LineString o Polygon."),
            GeometryError::BadPosition { position, dims } => {
                format!("La posición {position} tiene {dims} números; necesita longitud y latitud.")
            }
            GeometryError::NotFinite { position } => format!("La posición {position} no es un número válido."),
            GeometryError::LongitudeOutOfRange { position, lon } => {
                format!("La longitud {lon} (posición {position}) está fuera del rango −180 a 180.")
            }
            GeometryError::LatitudeOutOfRange { position, lat } => {
                format!("La latitud {lat} (posición {position}) está fuera del rango −90 a 90.")
            }
            GeometryError::LineTooShort(n) => format!("Una ruta necesita al menos 2 posiciones; tiene {n}."),
            GeometryError::LineWithoutLength => "Una ruta necesita al menos 2 posiciones distintas; todas las suyas son la misma.".into(),
            GeometryError::RingTooShort { ring, got } => format!("El anillo {ring} necesita al menos 4 posiciones; tiene {got}."),
            GeometryError::RingNotClosed { ring } => {
                format!("El anillo {ring} no está cerrado: la primera y la última posición deben ser iguales.")
            }
            GeometryError::EmptyPolygon => "La zona no tiene anillos.".into(),
            GeometryError::InvalidPolygon(why) => format!("La zona no es válida (se cruza consigo misma o está mal formada): {why}."),
            GeometryError::TooManyVertices { kind: ShapeKind::Route, got, max } => {
                format!("La ruta tiene {got} posiciones; el máximo es {max}. Dibújela con menos puntos.")
            }
            GeometryError::TooManyVertices { kind: ShapeKind::Zone, got, max } => {
                format!("La zona tiene {got} posiciones; el máximo es {max}. Dibújela con menos puntos.")
            }
            GeometryError::TooManyHoles(n) => format!("La zona tiene {n} huecos; el máximo es {MAX_ZONE_HOLES}."),
            GeometryError::ZoneTooSmall { area_m2 } => {
                format!("La zona encierra {area_m2:.2} m²; una zona necesita al menos {MIN_ZONE_AREA_M2} m² (¿tres puntos en línea?).")
            }
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// Checks a GeoJSON geometry and returns it as a `geo` geometry for further processing. The
/// size limits come first: nothing costly runs on a shape over them.
///
/// ```
/// use app::model::geometry::validate;
/// let ok: geojson::Geometry = serde_json::from_str(r#"{"type":"Point","coordinates":[-74.2,11.24]}"#).unwrap();
/// assert!(validate(&ok).is_ok());
/// let bad: geojson::Geometry = serde_json::from_str(r#"{"type":"Point","coordinates":[-274.2,11.24]}"#).unwrap();
/// assert!(validate(&bad).is_err());
/// ```
pub fn validate(geometry: &Geometry) -> Result<GeoGeometry<f64>, GeometryError> {
    match &geometry.value {
        Value::Point(p) => check_position(p, 1)?,
        Value::LineString(line) => {
            if line.len() > MAX_ROUTE_VERTICES {
                return Err(GeometryError::TooManyVertices { kind: ShapeKind::Route, got: line.len(), max: MAX_ROUTE_VERTICES });
            }
            check_positions(line)?;
            if line.len() < 2 {
                return Err(GeometryError::LineTooShort(line.len()));
            }
            if line.iter().all(|p| p[..2] == line[0][..2]) {
                return Err(GeometryError::LineWithoutLength);
            }
        }
        Value::Polygon(rings) => {
            if rings.is_empty() {
                return Err(GeometryError::EmptyPolygon);
            }
            if rings.len() - 1 > MAX_ZONE_HOLES {
                return Err(GeometryError::TooManyHoles(rings.len() - 1));
            }
            let total: usize = rings.iter().map(Vec::len).sum();
            if total > MAX_ZONE_VERTICES {
                return Err(GeometryError::TooManyVertices { kind: ShapeKind::Zone, got: total, max: MAX_ZONE_VERTICES });
            }
            for (i, ring) in rings.iter().enumerate() {
                check_positions(ring)?;
                let ring_no = i + 1;
                if ring.len() < 4 {
                    return Err(GeometryError::RingTooShort { ring: ring_no, got: ring.len() });
                }
                if ring.first() != ring.last() {
                    return Err(GeometryError::RingNotClosed { ring: ring_no });
                }
            }
        }
        other => return Err(GeometryError::UnsupportedType(other.type_name().to_string())),
    }
    // Positions are checked above, so the conversion cannot fail on their shape.
    let geo: GeoGeometry<f64> =
        geometry.value.clone().try_into().map_err(|e: geojson::Error| GeometryError::InvalidPolygon(e.to_string()))?;
    if let (GeoGeometry::Polygon(poly), Value::Polygon(rings)) = (&geo, &geometry.value) {
        if let Some(problem) = polygon_problem(poly) {
            return Err(GeometryError::InvalidPolygon(problem.to_string()));
        }
        // After the rings are known to be simple: a bow tie's signed area can be zero.
        let area_m2 = area_m2(rings);
        if area_m2 < MIN_ZONE_AREA_M2 {
            return Err(GeometryError::ZoneTooSmall { area_m2 });
        }
    }
    Ok(geo)
}

/// Metres per degree of latitude, on a sphere of the Earth's mean radius (6,371 km).
const M_PER_DEGREE: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// The area of a polygon with simple rings and its holes inside, in square metres, on a
/// local equirectangular projection centred on its first position (exact enough for the
/// size of a barrio).
fn area_m2(rings: &[Vec<Vec<f64>>]) -> f64 {
    let (lon0, lat0) = (rings[0][0][0], rings[0][0][1]);
    let kx = M_PER_DEGREE * lat0.to_radians().cos();
    let ring_area = |ring: &Vec<Vec<f64>>| -> f64 {
        let xy = |p: &Vec<f64>| ((p[0] - lon0) * kx, (p[1] - lat0) * M_PER_DEGREE);
        let twice: f64 = ring
            .windows(2)
            .map(|w| {
                let ((x0, y0), (x1, y1)) = (xy(&w[0]), xy(&w[1]));
                x0 * y1 - x1 * y0
            })
            .sum();
        (twice / 2.0).abs()
    };
    ring_area(&rings[0]) - rings[1..].iter().map(ring_area).sum::<f64>()
}

fn check_positions(positions: &[Vec<f64>]) -> Result<(), GeometryError> {
    positions.iter().enumerate().try_for_each(|(i, p)| check_position(p, i + 1))
}

fn check_position(p: &[f64], position: usize) -> Result<(), GeometryError> {
    // RFC 7946 allows an optional altitude; more than three numbers is not a position.
    if p.len() < 2 || p.len() > 3 {
        return Err(GeometryError::BadPosition { position, dims: p.len() });
    }
    let (lon, lat) = (p[0], p[1]);
    if !p.iter().all(|v| v.is_finite()) {
        return Err(GeometryError::NotFinite { position });
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(GeometryError::LongitudeOutOfRange { position, lon });
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(GeometryError::LatitudeOutOfRange { position, lat });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(json: &str) -> Geometry {
        serde_json::from_str(json).expect("test geometry parses")
    }

    #[test]
    fn a_point_in_santa_marta_is_valid() {
        assert!(validate(&geom(r#"{"type":"Point","coordinates":[-74.199,11.241]}"#)).is_ok());
    }

    #[test]
    fn a_point_with_altitude_is_valid() {
        assert!(validate(&geom(r#"{"type":"Point","coordinates":[-74.199,11.241,5.0]}"#)).is_ok());
    }

    #[test]
    fn swapped_coordinates_outside_latitude_range_are_refused() {
        let err = validate(&geom(r#"{"type":"Point","coordinates":[11.241,-174.199]}"#)).unwrap_err();
        assert!(matches!(err, GeometryError::LatitudeOutOfRange { .. }), "{err:?}");
        assert!(err.es().contains("latitud"));
    }

    #[test]
    fn a_position_with_one_number_is_refused() {
        // geojson's parser already refuses this; a Geometry built in code must be caught too.
        let line = Geometry::new(Value::LineString(vec![vec![-74.1, 11.2], vec![-74.1]]));
        let err = validate(&line).unwrap_err();
        assert_eq!(err, GeometryError::BadPosition { position: 2, dims: 1 });
    }

    #[test]
    fn a_one_point_line_is_refused() {
        let err = validate(&geom(r#"{"type":"LineString","coordinates":[[-74.1,11.2]]}"#)).unwrap_err();
        assert_eq!(err, GeometryError::LineTooShort(1));
    }

    #[test]
    fn an_open_ring_is_refused() {
        let err =
            validate(&geom(r#"{"type":"Polygon","coordinates":[[[-74.1,11.2],[-74.0,11.2],[-74.0,11.3],[-74.1,11.3]]]}"#)).unwrap_err();
        assert_eq!(err, GeometryError::RingNotClosed { ring: 1 });
    }

    #[test]
    fn a_bow_tie_polygon_is_refused_as_self_intersecting() {
        let err =
            validate(&geom(r#"{"type":"Polygon","coordinates":[[[-74.1,11.2],[-74.0,11.3],[-74.0,11.2],[-74.1,11.3],[-74.1,11.2]]]}"#))
                .unwrap_err();
        assert!(matches!(err, GeometryError::InvalidPolygon(_)), "{err:?}");
    }

    #[test]
    fn a_simple_square_zone_is_valid() {
        assert!(validate(&geom(
            r#"{"type":"Polygon","coordinates":[[[-74.1,11.2],[-74.0,11.2],[-74.0,11.3],[-74.1,11.3],[-74.1,11.2]]]}"#,
        ))
        .is_ok());
    }

    #[test]
    fn collections_are_not_marks() {
        let err = validate(&geom(r#"{"type":"MultiPoint","coordinates":[[-74.1,11.2]]}"#)).unwrap_err();
        assert_eq!(err, GeometryError::UnsupportedType("MultiPoint".into()));
    }

    /// A closed ring of `n` positions on a circle of `radius_deg` around a point of Santa
    /// Marta, anticlockwise.
    fn circle(n: usize, radius_deg: f64) -> Vec<Vec<f64>> {
        let mut ring: Vec<Vec<f64>> = (0..n - 1)
            .map(|i| {
                let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
                vec![-74.2 + radius_deg * a.cos(), 11.24 + radius_deg * a.sin()]
            })
            .collect();
        ring.push(ring[0].clone());
        ring
    }

    #[test]
    fn a_zone_at_the_vertex_limit_is_checked_and_one_over_it_is_refused_at_once() {
        let at_limit = Geometry::new(Value::Polygon(vec![circle(MAX_ZONE_VERTICES, 0.01)]));
        assert!(validate(&at_limit).is_ok());
        // 38,000 positions crossing themselves everywhere: refused for its size, before the
        // self-intersection check (which took 12 s on such a zone with geo's pairwise check).
        let mut huge = circle(38_000, 0.01);
        huge.swap(10, 20_000);
        let started = std::time::Instant::now();
        let err = validate(&Geometry::new(Value::Polygon(vec![huge]))).unwrap_err();
        assert_eq!(err, GeometryError::TooManyVertices { kind: ShapeKind::Zone, got: 38_000, max: MAX_ZONE_VERTICES });
        assert!(started.elapsed() < std::time::Duration::from_millis(100), "{:?}", started.elapsed());
        assert_eq!(err.code(), "too_many_vertices");
        assert!(err.es().starts_with("La zona tiene 38000 posiciones; el máximo es 5000"), "{}", err.es());
        // The limit counts every ring.
        let shell = circle(MAX_ZONE_VERTICES / 2, 0.01);
        let hole = circle(MAX_ZONE_VERTICES / 2 + 1, 0.001).into_iter().rev().collect();
        let err = validate(&Geometry::new(Value::Polygon(vec![shell, hole]))).unwrap_err();
        assert!(matches!(err, GeometryError::TooManyVertices { got: 5_001, .. }), "{err:?}");
    }

    #[test]
    fn a_zone_with_too_many_holes_or_a_route_with_too_many_positions_is_refused() {
        let holes = (0..=MAX_ZONE_HOLES).map(|_| circle(4, 0.0001));
        let zone = Geometry::new(Value::Polygon(std::iter::once(circle(8, 0.01)).chain(holes).collect()));
        assert_eq!(validate(&zone).unwrap_err(), GeometryError::TooManyHoles(MAX_ZONE_HOLES + 1));
        let route: Vec<Vec<f64>> = (0..=MAX_ROUTE_VERTICES).map(|i| vec![-74.2 + i as f64 * 1e-6, 11.24]).collect();
        let err = validate(&Geometry::new(Value::LineString(route))).unwrap_err();
        assert_eq!(err, GeometryError::TooManyVertices { kind: ShapeKind::Route, got: MAX_ROUTE_VERTICES + 1, max: MAX_ROUTE_VERTICES });
        assert_eq!(err.en(), "The route has 5001 positions, more than the 5000 allowed.");
    }

    #[test]
    fn a_5000_vertex_zone_with_one_crossing_is_refused() {
        let mut ring = circle(MAX_ZONE_VERTICES, 0.01);
        ring.swap(2_500, 2_501);
        let err = validate(&Geometry::new(Value::Polygon(vec![ring]))).unwrap_err();
        assert_eq!(err, GeometryError::InvalidPolygon("exterior ring has a self-intersection".into()));
    }

    #[test]
    fn three_points_in_a_line_are_not_a_zone() {
        let flat = geom(r#"{"type":"Polygon","coordinates":[[[-74.1,11.2],[-74.0,11.2],[-74.05,11.2],[-74.1,11.2]]]}"#);
        assert_eq!(validate(&flat).unwrap_err(), GeometryError::ZoneTooSmall { area_m2: 0.0 });
        // A triangle of half a square metre (1 m by 1 m, halved), about 9e-6 degrees a side.
        let d = 1.0 / M_PER_DEGREE;
        let tiny = Geometry::new(Value::Polygon(vec![vec![
            vec![-74.2, 11.24],
            vec![-74.2 + d / (11.24f64).to_radians().cos(), 11.24],
            vec![-74.2, 11.24 + d],
            vec![-74.2, 11.24],
        ]]));
        let err = validate(&tiny).unwrap_err();
        let GeometryError::ZoneTooSmall { area_m2 } = err else { panic!("{err:?}") };
        assert!((area_m2 - 0.5).abs() < 1e-3, "{area_m2}");
        assert!(err.es().contains("0.50 m²"), "{}", err.es());
        // Two metres by two is a zone.
        let small = Geometry::new(Value::Polygon(vec![vec![
            vec![-74.2, 11.24],
            vec![-74.2 + 2.0 * d / (11.24f64).to_radians().cos(), 11.24],
            vec![-74.2, 11.24 + 2.0 * d],
            vec![-74.2, 11.24],
        ]]));
        assert!(validate(&small).is_ok());
    }

    #[test]
    fn holes_count_against_a_zones_area() {
        // A square of `side` metres whose south-west corner is `at` metres east and north.
        let square = |at: f64, side: f64| {
            let (kx, ky) = (M_PER_DEGREE * 11.24f64.to_radians().cos(), M_PER_DEGREE);
            let p = |x: f64, y: f64| vec![-74.2 + (at + x) / kx, 11.24 + (at + y) / ky];
            vec![p(0.0, 0.0), p(side, 0.0), p(side, side), p(0.0, side), p(0.0, 0.0)]
        };
        assert!((area_m2(&[square(0.0, 3.0)]) - 9.0).abs() < 1e-6);
        assert!(validate(&Geometry::new(Value::Polygon(vec![square(0.0, 3.0), square(1.0, 1.0)]))).is_ok());
        // A 3 m frame around a 2.8 m hole leaves 1.16 m²; around a 2.9 m hole, 0.59 m².
        assert!(validate(&Geometry::new(Value::Polygon(vec![square(0.0, 3.0), square(0.1, 2.8)]))).is_ok());
        let err = validate(&Geometry::new(Value::Polygon(vec![square(0.0, 3.0), square(0.05, 2.9)]))).unwrap_err();
        assert!(matches!(err, GeometryError::ZoneTooSmall { area_m2 } if (area_m2 - 0.59).abs() < 1e-6), "{err:?}");
    }

    #[test]
    fn a_route_that_never_moves_is_refused() {
        let err = validate(&geom(r#"{"type":"LineString","coordinates":[[-74.1,11.2],[-74.1,11.2]]}"#)).unwrap_err();
        assert_eq!(err, GeometryError::LineWithoutLength);
        assert!(err.es().contains("distintas"));
        // An altitude does not make a second place.
        let err = validate(&geom(r#"{"type":"LineString","coordinates":[[-74.1,11.2,0],[-74.1,11.2,30]]}"#)).unwrap_err();
        assert_eq!(err, GeometryError::LineWithoutLength);
        assert!(validate(&geom(r#"{"type":"LineString","coordinates":[[-74.1,11.2],[-74.1,11.2],[-74.1,11.3]]}"#)).is_ok());
    }

    #[test]
    fn english_messages_are_sentences() {
        assert_eq!(GeometryError::EmptyPolygon.en(), "Polygon has no rings.");
    }
}

/// Property tests of the geometry rules, as the zone tool produces shapes: any star-shaped
/// ring (vertices sorted by angle around a centre) is a valid zone; swapping two neighbouring
/// vertices of a convex ring makes it cross itself and is refused; lines need two positions.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn ring_around(cx: f64, cy: f64, radii: &[f64]) -> Vec<Vec<f64>> {
        let n = radii.len();
        let mut ring: Vec<Vec<f64>> = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                vec![cx + r * a.cos(), cy + r * a.sin()]
            })
            .collect();
        ring.push(ring[0].clone());
        ring
    }

    proptest! {
        #[test]
        fn star_shaped_zones_are_valid(cx in -74.3f64..-74.1, cy in 11.1f64..11.3, radii in proptest::collection::vec(0.0005f64..0.005, 3..24)) {
            let zone = Geometry::new(Value::Polygon(vec![ring_around(cx, cy, &radii)]));
            prop_assert!(validate(&zone).is_ok(), "{:?}", validate(&zone));
        }

        #[test]
        fn a_convex_zone_with_two_corners_swapped_is_refused(cx in -74.3f64..-74.1, cy in 11.1f64..11.3, r in 0.0005f64..0.005, n in 5usize..16, at in 0usize..16) {
            let mut ring = ring_around(cx, cy, &vec![r; n]);
            // Swap two neighbouring corners (not the closing one): the ring now crosses itself.
            let i = 1 + at % (n - 2);
            ring.swap(i, i + 1);
            let zone = Geometry::new(Value::Polygon(vec![ring]));
            prop_assert!(matches!(validate(&zone), Err(GeometryError::InvalidPolygon(_))));
        }

        #[test]
        fn lines_need_two_positions_in_range(points in proptest::collection::vec((-180.0f64..=180.0, -90.0f64..=90.0), 0..6)) {
            let line = Geometry::new(Value::LineString(points.iter().map(|(x, y)| vec![*x, *y]).collect()));
            prop_assert_eq!(validate(&line).is_ok(), points.len() >= 2);
        }
    }
}
