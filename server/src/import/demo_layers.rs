//! Demo base layers for barrios that have no real streets, blocks or landmarks: a street grid
//! turned to the barrio's main direction, the blocks between the streets, and a few landmarks.
//! Deterministic per barrio, and always labelled as demo: they show scale, never real places.

use app::model::{BaseLayers, LandmarkKind};
use geo::{
    Area, BooleanOps, BoundingRect, Buffer, Centroid, Contains, Coord, InteriorPoint, LineString, MapCoords,
    MinimumRotatedRect, MultiLineString, MultiPolygon, Point, Polygon, Rect,
};
use serde_json::{json, Map, Value as Json};

use super::layers::feature;

/// Attribution shown beside the map for generated layers.
pub const DEMO_SOURCE: &str = "Calles, manzanas y lugares de ejemplo (demo), generados por Cartobarrio: no son reales.";

/// Half the width of a street, in metres: blocks stop this far from the street's axis.
const HALF_STREET_M: f64 = 5.0;
/// Streets run this far past the boundary, so the edge of the barrio is not a cliff.
const STREET_MARGIN_M: f64 = 25.0;
/// Pieces of block smaller than this are slivers of the clip, not blocks.
const MIN_BLOCK_M2: f64 = 150.0;
/// Landmarks closer than this would hide each other on a phone.
const LANDMARK_SPACING_M: f64 = 30.0;

/// FNV-1a: a stable hash of the code, so each barrio gets its own grid on every machine.
fn hash(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// An equirectangular frame in metres around the barrio: exact enough over a barrio's few
/// hundred metres, and cheap both ways.
#[derive(Clone, Copy)]
struct Frame {
    lon0: f64,
    lat0: f64,
    kx: f64,
    ky: f64,
}

impl Frame {
    fn around(rect: Rect<f64>) -> Frame {
        let (lon0, lat0) = ((rect.min().x + rect.max().x) / 2.0, (rect.min().y + rect.max().y) / 2.0);
        Frame { lon0, lat0, kx: lat0.to_radians().cos() * 111_320.0, ky: 110_540.0 }
    }
    fn to_m(self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: (c.x - self.lon0) * self.kx, y: (c.y - self.lat0) * self.ky }
    }
    fn to_deg(self, c: Coord<f64>) -> Coord<f64> {
        let round = |v: f64| (v * 1e6).round() / 1e6;
        Coord { x: round(c.x / self.kx + self.lon0), y: round(c.y / self.ky + self.lat0) }
    }
}

fn rotate(c: Coord<f64>, angle: f64) -> Coord<f64> {
    let (s, k) = angle.sin_cos();
    Coord { x: c.x * k - c.y * s, y: c.x * s + c.y * k }
}

/// The direction of the barrio's long side, so the grid follows it as real streets tend to.
fn main_angle(boundary: &MultiPolygon<f64>) -> f64 {
    let Some(rect) = boundary.minimum_rotated_rect() else { return 0.0 };
    let ring = &rect.exterior().0;
    if ring.len() < 3 {
        return 0.0;
    }
    let (a, b, c) = (ring[0], ring[1], ring[2]);
    let (e1, e2) = ((b.x - a.x).hypot(b.y - a.y), (c.x - b.x).hypot(c.y - b.y));
    let (p, q) = if e1 >= e2 { (a, b) } else { (b, c) };
    (q.y - p.y).atan2(q.x - p.x)
}

fn props(value: Json) -> Map<String, Json> {
    match value {
        Json::Object(m) => m,
        _ => Map::new(),
    }
}

fn collection(features: Vec<geojson::Feature>) -> geojson::FeatureCollection {
    geojson::FeatureCollection { bbox: None, features, foreign_members: None }
}

/// Generated streets, blocks and landmarks for one barrio (WGS84 in, WGS84 out).
pub fn demo_layers(code: &str, boundary: &MultiPolygon<f64>) -> BaseLayers {
    let mut layers = BaseLayers { demo: true, source: DEMO_SOURCE.into(), ..BaseLayers::empty() };
    let Some(rect) = boundary.bounding_rect() else { return layers };
    let frame = Frame::around(rect);
    let local = boundary.map_coords(|c| frame.to_m(c));
    let h = hash(code);
    let angle = main_angle(&local);
    // The barrio in grid coordinates: streets are horizontal and vertical there.
    let grid_view = local.map_coords(|c| rotate(c, -angle));
    let Some(extent) = grid_view.bounding_rect() else { return layers };
    let spacing_u = 80.0 + (h % 21) as f64;
    let spacing_v = 80.0 + ((h >> 8) % 21) as f64;
    let (u0, v0) = (extent.min().x - STREET_MARGIN_M, extent.min().y - STREET_MARGIN_M);
    let (u1, v1) = (extent.max().x + STREET_MARGIN_M, extent.max().y + STREET_MARGIN_M);
    // Street positions: a barrio-specific phase, so neighbouring grids do not line up exactly.
    let positions = |from: f64, to: f64, spacing: f64, phase: u64| -> Vec<f64> {
        let start = from + (phase % 1000) as f64 / 1000.0 * spacing;
        let mut out = Vec::new();
        let mut p = start;
        while p < to {
            out.push(p);
            p += spacing;
        }
        out
    };
    let us = positions(u0, u1, spacing_u, h >> 16);
    let vs = positions(v0, v1, spacing_v, h >> 32);
    let back = |c: Coord<f64>| rotate(c, angle);

    // Streets: clipped to the barrio grown by the margin.
    let reach = local.buffer(STREET_MARGIN_M);
    let first_calle = 5 + (h >> 40) % 25;
    let first_carrera = 2 + (h >> 48) % 20;
    let mut streets = Vec::new();
    let mut street = |name: String, a: Coord<f64>, b: Coord<f64>| {
        let line = MultiLineString::new(vec![LineString::new(vec![back(a), back(b)])]);
        let pieces: Vec<LineString<f64>> = reach.clip(&line, false).0.into_iter().filter(|l| l.0.len() >= 2).collect();
        if pieces.is_empty() {
            return;
        }
        let geometry = MultiLineString::new(pieces).map_coords(|c| frame.to_deg(c));
        let geometry = match <[LineString<f64>; 1]>::try_from(geometry.0) {
            Ok([one]) => geo::Geometry::LineString(one),
            Err(many) => geo::Geometry::MultiLineString(MultiLineString::new(many)),
        };
        streets.push(feature(geometry, props(json!({ "name": name }))));
    };
    for (k, v) in vs.iter().enumerate() {
        street(format!("Calle {}", first_calle + k as u64), Coord { x: u0, y: *v }, Coord { x: u1, y: *v });
    }
    for (k, u) in us.iter().enumerate() {
        street(format!("Carrera {}", first_carrera + k as u64), Coord { x: *u, y: v0 }, Coord { x: *u, y: v1 });
    }

    // Blocks: the cells between streets, less the street width, cut to the boundary in one
    // overlay (one call for all cells is much faster than one per cell).
    let mut cells = Vec::new();
    for us_pair in us.windows(2) {
        for vs_pair in vs.windows(2) {
            let (a, b) = (us_pair[0] + HALF_STREET_M, us_pair[1] - HALF_STREET_M);
            let (c, d) = (vs_pair[0] + HALF_STREET_M, vs_pair[1] - HALF_STREET_M);
            if b > a && d > c {
                let ring = [(a, c), (b, c), (b, d), (a, d), (a, c)].map(|(x, y)| back(Coord { x, y }));
                cells.push(Polygon::new(LineString::new(ring.to_vec()), vec![]));
            }
        }
    }
    let blocks_m: Vec<Polygon<f64>> = MultiPolygon::new(cells)
        .intersection(&local)
        .0
        .into_iter()
        .filter(|p| p.unsigned_area() >= MIN_BLOCK_M2)
        .collect();

    // Landmarks: the park on the most central good-sized block, the others spread out.
    let centre = local.centroid().unwrap_or(Point::new(0.0, 0.0));
    let mut order: Vec<usize> = (0..blocks_m.len()).collect();
    order.sort_by(|&i, &j| {
        let d = |k: usize| blocks_m[k].centroid().map(|c| c.0).map(|c| (c.x - centre.x()).hypot(c.y - centre.y())).unwrap_or(f64::MAX);
        d(i).total_cmp(&d(j)).then(i.cmp(&j))
    });
    let area_ha = local.unsigned_area() / 10_000.0;
    let mut wanted = vec![LandmarkKind::Parque, LandmarkKind::SalonComunal];
    if area_ha > 6.0 || h.is_multiple_of(3) {
        wanted.push(LandmarkKind::Colegio);
    }
    if area_ha > 10.0 || h % 4 == 1 {
        wanted.push(LandmarkKind::Iglesia);
    }
    if area_ha > 15.0 || h % 5 == 2 {
        wanted.push(LandmarkKind::Cancha);
    }
    if area_ha > 40.0 {
        wanted.push(LandmarkKind::Cai);
    }
    let mut placed: Vec<(LandmarkKind, Point<f64>)> = Vec::new();
    let mut park_block = None;
    // Candidate spots: block centres (central first, then every third block for spread), then
    // points inside the barrio itself for barrios too small to hold blocks.
    let spread: Vec<usize> = order.iter().step_by(3).chain(order.iter()).copied().collect();
    for kind in wanted {
        let from_blocks = if kind == LandmarkKind::Parque { order.clone() } else { spread.clone() };
        let mut spot = None;
        for i in from_blocks {
            if kind == LandmarkKind::Parque && blocks_m[i].unsigned_area() < 1000.0 && blocks_m.iter().any(|b| b.unsigned_area() >= 1000.0) {
                continue;
            }
            if let Some(p) = blocks_m[i].interior_point() {
                if local.contains(&p) && far_enough(&p, &placed, LANDMARK_SPACING_M) {
                    spot = Some((p, i));
                    break;
                }
            }
        }
        let spot = spot.map(|(p, i)| (p, Some(i))).or_else(|| fallback_spot(&local, &placed).map(|p| (p, None)));
        if let Some((p, block)) = spot {
            if kind == LandmarkKind::Parque {
                park_block = block;
            }
            placed.push((kind, p));
        }
    }

    layers.blocks = collection(
        blocks_m
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let properties = if Some(i) == park_block { props(json!({ "park": true })) } else { Map::new() };
                feature(geo::Geometry::Polygon(b.map_coords(|c| frame.to_deg(c))), properties)
            })
            .collect(),
    );
    layers.streets = collection(streets);
    layers.landmarks = collection(
        placed
            .into_iter()
            .map(|(kind, p)| {
                let name = format!("{} (demo)", kind.label_es());
                feature(geo::Geometry::Point(p.map_coords(|c| frame.to_deg(c))), props(json!({ "kind": kind.code(), "name": name })))
            })
            .collect(),
    );
    layers
}

fn far_enough(p: &Point<f64>, placed: &[(LandmarkKind, Point<f64>)], spacing: f64) -> bool {
    placed.iter().all(|(_, q)| (p.x() - q.x()).hypot(p.y() - q.y()) >= spacing)
}

/// A spot inside the barrio away from what is placed, for barrios with no usable block:
/// the interior point first, then a fine grid over the barrio; spacing is halved if needed.
fn fallback_spot(local: &MultiPolygon<f64>, placed: &[(LandmarkKind, Point<f64>)]) -> Option<Point<f64>> {
    let rect = local.bounding_rect()?;
    let mut candidates: Vec<Point<f64>> = local.interior_point().into_iter().collect();
    let step = 8.0;
    let mut y = rect.min().y + step / 2.0;
    while y < rect.max().y {
        let mut x = rect.min().x + step / 2.0;
        while x < rect.max().x {
            candidates.push(Point::new(x, y));
            x += step;
        }
        y += step;
    }
    for spacing in [LANDMARK_SPACING_M, LANDMARK_SPACING_M / 2.0] {
        if let Some(p) = candidates.iter().find(|p| local.contains(*p) && far_enough(p, placed, spacing)) {
            return Some(*p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Euclidean, Intersects};

    fn square_m(lon: f64, lat: f64, side_m: f64) -> MultiPolygon<f64> {
        let (dx, dy) = (side_m / (lat.to_radians().cos() * 111_320.0), side_m / 110_540.0);
        MultiPolygon::new(vec![Rect::new((lon, lat), (lon + dx, lat + dy)).to_polygon()])
    }

    fn geometry(f: &geojson::Feature) -> geo::Geometry<f64> {
        f.geometry.clone().unwrap().value.try_into().unwrap()
    }

    fn check_invariants(code: &str, boundary: &MultiPolygon<f64>) -> BaseLayers {
        let layers = demo_layers(code, boundary);
        assert!(layers.demo && layers.source.contains("demo"));
        let rect = boundary.bounding_rect().unwrap();
        let frame = Frame::around(rect);
        let local = boundary.map_coords(|c| frame.to_m(c));
        let kinds: Vec<&str> = layers.landmarks.features.iter().map(|f| f.properties.as_ref().unwrap()["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"parque") && kinds.contains(&"salon_comunal"), "{code}: {kinds:?}");
        let points: Vec<Point<f64>> = layers
            .landmarks
            .features
            .iter()
            .map(|f| match geometry(f) {
                geo::Geometry::Point(p) => p.map_coords(|c| frame.to_m(c)),
                other => panic!("{other:?}"),
            })
            .collect();
        for (i, p) in points.iter().enumerate() {
            // Rounding to 1e-6° moves a point by up to ~8 cm: allow that at the edge.
            assert!(local.contains(p) || Euclidean.distance(p, &local) < 0.2, "{code}: landmark {i} outside");
            for q in &points[i + 1..] {
                assert!(Euclidean.distance(p, q) >= LANDMARK_SPACING_M / 2.0 - 0.2, "{code}: landmarks on top of each other");
            }
        }
        let blocks: Vec<MultiPolygon<f64>> = layers
            .blocks
            .features
            .iter()
            .map(|f| match geometry(f) {
                geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p.map_coords(|c| frame.to_m(c))]),
                other => panic!("{other:?}"),
            })
            .collect();
        for (i, b) in blocks.iter().enumerate() {
            let inside = b.intersection(&local).unsigned_area();
            assert!(inside >= b.unsigned_area() * 0.98, "{code}: block {i} leaves the barrio");
            for other in &blocks[i + 1..] {
                assert!(b.intersection(other).unsigned_area() < 1.0, "{code}: blocks overlap");
            }
        }
        let reach = local.buffer(STREET_MARGIN_M + 1.0);
        for f in &layers.streets.features {
            let name = f.properties.as_ref().unwrap()["name"].as_str().unwrap();
            assert!(name.starts_with("Calle ") || name.starts_with("Carrera "), "{name}");
            let g = geometry(f).map_coords(|c| frame.to_m(c));
            assert!(g.intersects(&reach));
            let outside = match g {
                geo::Geometry::LineString(l) => reach.clip(&MultiLineString::new(vec![l]), true),
                geo::Geometry::MultiLineString(m) => reach.clip(&m, true),
                other => panic!("{other:?}"),
            };
            assert!(geo::Length::length(&Euclidean, &outside) < 1.0, "{code}: {name} runs outside the margin");
        }
        layers
    }

    #[test]
    fn the_same_barrio_always_gets_the_same_layers() {
        let b = square_m(-74.2, 11.2, 400.0);
        assert_eq!(demo_layers("la-paz", &b), demo_layers("la-paz", &b));
        assert_ne!(demo_layers("la-paz", &b), demo_layers("el-prado", &b), "each barrio its own grid");
    }

    #[test]
    fn a_square_barrio_gets_a_grid_blocks_and_landmarks_inside() {
        let layers = check_invariants("cuadrado", &square_m(-74.2, 11.2, 500.0));
        assert!(layers.streets.features.len() >= 8, "{}", layers.streets.features.len());
        assert!(layers.blocks.features.len() >= 16, "{}", layers.blocks.features.len());
        assert!(layers.blocks.features.iter().any(|f| f.properties.as_ref().unwrap().get("park").is_some()));
    }

    #[test]
    fn tiny_and_thin_barrios_still_get_a_park_and_a_community_hall() {
        check_invariants("diminuto", &square_m(-74.2, 11.2, 100.0));
        let (dx, dy) = (900.0 / (11.2f64.to_radians().cos() * 111_320.0), 60.0 / 110_540.0);
        let thin = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(-74.2, 11.2), (-74.2 + dx, 11.2 + dy), (-74.2 + dx, 11.2 + 2.0 * dy), (-74.2, 11.2 + dy), (-74.2, 11.2)]),
            vec![],
        )]);
        check_invariants("alargado", &thin);
    }

    #[test]
    fn every_santa_marta_barrio_gets_streets_blocks_and_landmarks() {
        let barrios = crate::seed::parse(crate::seed::SANTA_MARTA, "").unwrap();
        let mut without_blocks = Vec::new();
        for b in &barrios {
            let boundary = match geo::Geometry::<f64>::try_from(b.boundary.value.clone()).unwrap() {
                geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                other => panic!("{other:?}"),
            };
            let layers = check_invariants(&b.code, &boundary);
            assert!(!layers.streets.features.is_empty(), "{} has no street", b.code);
            assert!(layers.landmarks.features.len() >= 2, "{}", b.code);
            if layers.blocks.features.is_empty() {
                without_blocks.push(b.code.clone());
            }
        }
        // Slivers of barrios narrower than a block have none; they are rare.
        assert!(without_blocks.len() * 20 < barrios.len(), "{without_blocks:?}");
    }
}
