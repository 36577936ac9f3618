//! Validation of mark geometries against RFC 7946: supported types, finite WGS84 coordinates
//! in range, closed rings with enough positions, and no self-intersecting polygons.

use geo::{Geometry as GeoGeometry, Validation};
use geojson::{Geometry, Value};
use thiserror::Error;

use super::Bilingual;

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
    #[error("ring {ring} needs at least 4 positions, got {got}")]
    RingTooShort { ring: usize, got: usize },
    #[error("ring {ring} is not closed: its first and last positions differ")]
    RingNotClosed { ring: usize },
    #[error("polygon has no rings")]
    EmptyPolygon,
    #[error("polygon is not valid: {0}")]
    InvalidPolygon(String),
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
            GeometryError::RingTooShort { ring, got } => format!("El anillo {ring} necesita al menos 4 posiciones; tiene {got}."),
            GeometryError::RingNotClosed { ring } => {
                format!("El anillo {ring} no está cerrado: la primera y la última posición deben ser iguales.")
            }
            GeometryError::EmptyPolygon => "La zona no tiene anillos.".into(),
            GeometryError::InvalidPolygon(why) => format!("La zona no es válida (se cruza consigo misma o está mal formada): {why}."),
        }
    }
    fn en(&self) -> String {
        super::sentence(self)
    }
}

/// Checks a GeoJSON geometry and returns it as a `geo` geometry for further processing.
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
            check_positions(line)?;
            if line.len() < 2 {
                return Err(GeometryError::LineTooShort(line.len()));
            }
        }
        Value::Polygon(rings) => {
            if rings.is_empty() {
                return Err(GeometryError::EmptyPolygon);
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
    if let GeoGeometry::Polygon(poly) = &geo {
        if let Err(problem) = poly.check_validation() {
            return Err(GeometryError::InvalidPolygon(problem.to_string()));
        }
    }
    Ok(geo)
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
