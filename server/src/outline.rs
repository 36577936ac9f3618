//! Barrio outlines for a city-wide map: each boundary simplified to what such a map can show
//! (a few metres) with its coordinates rounded, so a city's 300 barrios weigh tens of
//! kilobytes rather than megabytes. Pure.

use geo::Simplify;

/// About 4 m at Santa Marta's latitude: under a pixel on a city map.
pub const TOLERANCE_DEG: f64 = 0.00004;

/// Five decimals of a degree, about a metre.
fn round(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// `boundary` (a Polygon or MultiPolygon) simplified and rounded; `None` for any other geometry.
/// Ramer–Douglas–Peucker keeps each ring's first and last point, so a ring stays closed; rings
/// that collapse below a triangle once rounded are dropped.
pub fn outline(boundary: &geojson::Geometry) -> Option<geojson::Geometry> {
    let polygons: geo::MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(boundary.value.clone()).ok()? {
        geo::Geometry::Polygon(p) => p.into(),
        geo::Geometry::MultiPolygon(m) => m,
        _ => return None,
    };
    let rings = |p: &geo::Polygon<f64>| -> Vec<Vec<Vec<f64>>> {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| {
                let mut ring: Vec<Vec<f64>> = r.coords().map(|c| vec![round(c.x), round(c.y)]).collect();
                ring.dedup();
                ring
            })
            // A closed ring of three distinct points at least: the first again at the end.
            .filter(|r| r.len() >= 4)
            .collect()
    };
    let simplified: Vec<Vec<Vec<Vec<f64>>>> =
        polygons.simplify(TOLERANCE_DEG).0.iter().map(rings).filter(|p: &Vec<Vec<Vec<f64>>>| !p.is_empty()).collect();
    match simplified.len() {
        0 => None,
        1 => simplified.into_iter().next().map(|p| geojson::Geometry::new(geojson::Value::Polygon(p))),
        _ => Some(geojson::Geometry::new(geojson::Value::MultiPolygon(simplified))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detailed_boundary_keeps_its_shape_with_far_fewer_points() {
        // A 1 km square whose sides wobble by a few centimetres at 400 points each.
        let mut ring = Vec::new();
        for side in 0..4 {
            for i in 0..400 {
                let t = f64::from(i) / 400.0 * 0.009;
                let wobble = if i % 2 == 0 { 0.0000003 } else { -0.0000003 };
                let (x, y) = match side {
                    0 => (-74.21 + t, 11.23 + wobble),
                    1 => (-74.201 + wobble, 11.23 + t),
                    2 => (-74.201 - t, 11.239 + wobble),
                    _ => (-74.21 + wobble, 11.239 - t),
                };
                ring.push(vec![x, y]);
            }
        }
        ring.push(ring[0].clone());
        let boundary = geojson::Geometry::new(geojson::Value::Polygon(vec![ring]));
        let Some(geojson::Geometry { value: geojson::Value::Polygon(rings), .. }) = outline(&boundary) else { panic!("a polygon") };
        assert!(rings[0].len() <= 8, "{} points", rings[0].len());
        assert_eq!(rings[0].first(), rings[0].last(), "still closed");
        assert!(rings[0].iter().all(|p| p[0] == round(p[0]) && p[1] == round(p[1])));
    }

    #[test]
    fn only_areas_have_outlines() {
        let point = geojson::Geometry::new(geojson::Value::Point(vec![-74.2, 11.2]));
        assert_eq!(outline(&point), None);
        let sliver = geojson::Geometry::new(geojson::Value::Polygon(vec![vec![
            vec![-74.2, 11.2],
            vec![-74.2, 11.2],
            vec![-74.2, 11.2],
            vec![-74.2, 11.2],
        ]]));
        assert_eq!(outline(&sliver), None, "a ring collapsed to a point is dropped");
    }
}
