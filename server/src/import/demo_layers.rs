//! Demo base layers for barrios that have no real streets, blocks or landmarks: a street grid
//! turned to the barrio's main direction, the blocks between the streets, and a few landmarks.
//! Deterministic per barrio, and always labelled as demo: they show scale, never real places.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, TAU};

use app::model::{BaseLayers, LandmarkKind};
use geo::{
    Area, BooleanOps, BoundingRect, Buffer, Centroid, Contains, ConvexHull, Coord, CoordsIter, InteriorPoint, LineString, MapCoords,
    MinimumRotatedRect, MultiLineString, MultiPolygon, Point, Polygon, Rect, SimplifyVw,
};
use serde_json::{json, Map, Value as Json};

use super::layers::feature;

/// Attribution shown beside the map for generated layers.
pub const DEMO_SOURCE: &str = "Calles, manzanas y lugares de ejemplo (demo), generados por Cartobarrio: no son reales.";

/// The grid reaches this far past the barrio, so edge blocks are whole cells cut by the
/// boundary rather than missing.
const GRID_MARGIN_M: f64 = 40.0;
/// Streets run this far past the boundary, so the edge of the barrio is not a cliff.
const STREET_MARGIN_M: f64 = 25.0;
/// Half the width of a street, in metres: blocks stop this far from the street's axis.
const HALF_STREET_M: f64 = 5.0;
/// Street spacing varies per barrio between this and this + `SPACING_RANGE_M`.
const MIN_SPACING_M: f64 = 80.0;
const SPACING_RANGE_M: u64 = 21;
/// Bits of street shorter than this, where a grid line grazes the margin, look like errors.
const MIN_STREET_M: f64 = 10.0;
/// Pieces of block smaller than this are slivers of the clip, not blocks.
const MIN_BLOCK_M2: f64 = 150.0;
/// Pieces thinner than this on average (twice the area over the perimeter) are strips left
/// where the boundary runs along a street, not blocks.
const MIN_BLOCK_WIDTH_M: f64 = 4.0;
/// A park on a scrap of block at the edge would not read as a park.
const MIN_PARK_M2: f64 = 1000.0;
/// Hulls with more points than this are thinned before the minimum rotated rectangle, which
/// tries every hull edge against every hull point: a round boundary of 20,000 vertices took
/// 10 s in a debug build. Santa Marta's largest hull has 224 points, so its barrios' grids are
/// untouched.
const MAX_HULL_POINTS: usize = 1000;
/// Boundaries with more vertices than this are simplified for their demo layers; Santa Marta's
/// largest has 2,631, so its barrios' layers are untouched.
const MAX_DEMO_VERTICES: usize = 5_000;
/// Landmarks closer than this would hide each other on a phone.
const LANDMARK_SPACING_M: f64 = 30.0;

/// FNV-1a: a stable hash of the code, so each barrio gets its own grid on every machine and
/// every release (std's hasher is randomly keyed and may change).
pub(crate) fn hash(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// SplitMix64 finaliser: independent values from one hash, so spacing, phase, numbering and
/// landmark choices do not move together as they would if read from neighbouring bits.
fn mix(h: u64, salt: u64) -> u64 {
    let mut z = h.wrapping_add(salt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A value in [0, 1) from the hash.
pub(crate) fn unit(h: u64, salt: u64) -> f64 {
    (mix(h, salt) >> 11) as f64 / (1u64 << 53) as f64
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
    /// Back to degrees, rounded to 6 decimals (~0.1 m): more is noise in the pack's size.
    fn to_deg(self, c: Coord<f64>) -> Coord<f64> {
        let round = |v: f64| (v * 1e6).round() / 1e6;
        Coord { x: round(c.x / self.kx + self.lon0), y: round(c.y / self.ky + self.lat0) }
    }
}

fn rotate(c: Coord<f64>, angle: f64) -> Coord<f64> {
    let (s, k) = angle.sin_cos();
    Coord { x: c.x * k - c.y * s, y: c.x * s + c.y * k }
}

/// The direction of the barrio's long side, so the grid follows it as real streets tend to;
/// folded into [-45°, 45°) so the grid's first axis is the one nearer east–west (the calles).
fn grid_angle(local: &MultiPolygon<f64>) -> f64 {
    let hull = local.convex_hull();
    let rect = if hull.exterior().0.len() > MAX_HULL_POINTS {
        // Every k-th point of a convex ring is a convex ring of nearly the same shape.
        let step = hull.exterior().0.len().div_ceil(MAX_HULL_POINTS);
        let thinned: Vec<Coord<f64>> = hull.exterior().0.iter().step_by(step).copied().collect();
        Polygon::new(LineString::new(thinned), vec![]).minimum_rotated_rect()
    } else {
        local.minimum_rotated_rect()
    };
    let Some(rect) = rect else {
        return 0.0;
    };
    let ring = &rect.exterior().0;
    if ring.len() < 3 {
        return 0.0;
    }
    let (a, b, c) = (ring[0], ring[1], ring[2]);
    let (e1, e2) = ((b.x - a.x).hypot(b.y - a.y), (c.x - b.x).hypot(c.y - b.y));
    let (p, q) = if e1 >= e2 { (a, b) } else { (b, c) };
    let angle = (q.y - p.y).atan2(q.x - p.x);
    if !angle.is_finite() {
        return 0.0;
    }
    let folded = angle.rem_euclid(FRAC_PI_2);
    if folded >= FRAC_PI_4 {
        folded - FRAC_PI_2
    } else {
        folded
    }
}

/// Positions of the grid lines on one axis: they start before `from` and end after `to`, so
/// the cells between them cover the whole span; the phase shifts each barrio's grid so that
/// neighbouring barrios do not line up exactly.
fn grid_lines(from: f64, to: f64, spacing: f64, phase: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut p = from - phase * spacing;
    loop {
        out.push(p);
        if p >= to {
            return out;
        }
        p += spacing;
    }
}

/// Orients a street piece so text set along it is never upside down: west to east, or south
/// to north when the street is within ~6° of vertical.
fn readable(mut line: LineString<f64>) -> LineString<f64> {
    if let (Some(a), Some(b)) = (line.0.first(), line.0.last()) {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let near_vertical = dx.abs() < 0.1 * dy.abs();
        if (near_vertical && dy < 0.0) || (!near_vertical && dx < 0.0) {
            line.0.reverse();
        }
    }
    line
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

/// A possible landmark position: already rounded as it will be written, and checked inside the
/// real boundary in degrees, so rounding cannot push it out.
#[derive(Clone, Copy)]
struct Spot {
    m: Point<f64>,
    deg: Point<f64>,
    block: Option<usize>,
}

struct Spots<'a> {
    frame: Frame,
    boundary: &'a MultiPolygon<f64>,
}

impl Spots<'_> {
    fn at(&self, p: Point<f64>, block: Option<usize>) -> Option<Spot> {
        let deg = Point(self.frame.to_deg(p.0));
        self.boundary.contains(&deg).then(|| Spot { m: Point(self.frame.to_m(deg.0)), deg, block })
    }

    /// The block's centre, or a point surely inside it when the centre falls outside (an L
    /// cut by the boundary).
    fn in_block(&self, block: &Polygon<f64>, index: usize) -> Option<Spot> {
        block.centroid().and_then(|c| self.at(c, Some(index))).or_else(|| block.interior_point().and_then(|p| self.at(p, Some(index))))
    }

    /// Points all over the barrio, for barrios (or landmarks) that no block can hold.
    fn anywhere(&self, local: &MultiPolygon<f64>) -> Vec<Spot> {
        let mut out: Vec<Spot> = local.0.iter().filter_map(|p| p.interior_point()).filter_map(|p| self.at(p, None)).collect();
        let Some(rect) = local.bounding_rect() else {
            return out;
        };
        // About 60 × 60 samples at most: fine enough for a narrow barrio, cheap for a big one.
        let step = (rect.width().max(rect.height()) / 60.0).max(4.0);
        let mut y = rect.min().y + step / 2.0;
        while y < rect.max().y {
            let mut x = rect.min().x + step / 2.0;
            while x < rect.max().x {
                out.extend(self.at(Point::new(x, y), None));
                x += step;
            }
            y += step;
        }
        out
    }
}

fn distance(a: Point<f64>, b: Point<f64>) -> f64 {
    (a.x() - b.x()).hypot(a.y() - b.y())
}

fn far_enough(p: Point<f64>, placed: &[(LandmarkKind, Spot)], spacing: f64) -> bool {
    placed.iter().all(|(_, q)| distance(p, q.m) >= spacing)
}

/// Generated streets, blocks and landmarks for one barrio (WGS84 in, WGS84 out).
pub fn demo_layers(code: &str, boundary: &MultiPolygon<f64>) -> BaseLayers {
    let mut layers = BaseLayers { demo: true, source: DEMO_SOURCE.into(), ..BaseLayers::empty() };
    let Some(rect) = boundary.bounding_rect() else {
        return layers;
    };
    let frame = Frame::around(rect);
    let local = boundary.map_coords(|c| frame.to_m(c));
    // Clipping each block to a boundary of thousands of vertices is slow (a round one of
    // 20,000: 46 s in a debug build) and demo streets need no centimetres: such a boundary is
    // simplified first (Visvalingam–Whyatt, n log n), dropping corners under a square metre.
    let local = if local.coords_count() > MAX_DEMO_VERTICES { local.simplify_vw(1.0) } else { local };
    let h = hash(code);
    let angle = grid_angle(&local);
    let to_grid = |c: Coord<f64>| rotate(c, -angle);
    let from_grid = |c: Coord<f64>| rotate(c, angle);
    // The barrio in grid coordinates (u, v): streets are horizontal and vertical there.
    let Some(extent) = local.map_coords(to_grid).bounding_rect() else {
        return layers;
    };
    let spacing_u = MIN_SPACING_M + (mix(h, 1) % SPACING_RANGE_M) as f64;
    let spacing_v = MIN_SPACING_M + (mix(h, 2) % SPACING_RANGE_M) as f64;
    let us = grid_lines(extent.min().x - GRID_MARGIN_M, extent.max().x + GRID_MARGIN_M, spacing_u, unit(h, 3));
    let vs = grid_lines(extent.min().y - GRID_MARGIN_M, extent.max().y + GRID_MARGIN_M, spacing_v, unit(h, 4));

    layers.streets = collection(streets(&local, &frame, h, &us, &vs, from_grid));

    // Blocks: the cells between streets, less the street width, cut to the boundary in one
    // overlay (one call for all cells is much faster than one per cell). Cells never touch,
    // so every piece of the result lies in a single cell.
    let mut cells = Vec::with_capacity(us.len() * vs.len());
    for us_pair in us.windows(2) {
        for vs_pair in vs.windows(2) {
            let (a, b) = (us_pair[0] + HALF_STREET_M, us_pair[1] - HALF_STREET_M);
            let (c, d) = (vs_pair[0] + HALF_STREET_M, vs_pair[1] - HALF_STREET_M);
            let ring = [(a, c), (b, c), (b, d), (a, d), (a, c)].map(|(x, y)| from_grid(Coord { x, y }));
            cells.push(Polygon::new(LineString::new(ring.to_vec()), vec![]));
        }
    }
    let full_cell_m2 = (spacing_u - 2.0 * HALF_STREET_M) * (spacing_v - 2.0 * HALF_STREET_M);
    let blocks_m: Vec<Polygon<f64>> = MultiPolygon::new(cells)
        .intersection(&local)
        .0
        .into_iter()
        .filter(|p| {
            let area = p.unsigned_area();
            let perimeter: f64 = std::iter::once(p.exterior()).chain(p.interiors()).map(|r| geo::Length::length(&geo::Euclidean, r)).sum();
            area >= MIN_BLOCK_M2 && 2.0 * area >= MIN_BLOCK_WIDTH_M * perimeter
        })
        .collect();

    // Landmarks. The park goes on the most central whole block, as a real barrio's plaza
    // would; the rest spread around it, each on its own block when the barrio has enough.
    let spots = Spots { frame, boundary };
    let block_spots: Vec<Option<Spot>> = blocks_m.iter().enumerate().map(|(i, b)| spots.in_block(b, i)).collect();
    let centre = local.centroid().unwrap_or(Point::new(0.0, 0.0));
    let area_ha = local.unsigned_area() / 10_000.0;
    let mut wanted = vec![LandmarkKind::Parque, LandmarkKind::SalonComunal];
    let extra = [(LandmarkKind::Colegio, 6.0, 3), (LandmarkKind::Iglesia, 10.0, 4), (LandmarkKind::Cancha, 15.0, 5)];
    for (salt, (kind, min_ha, one_in)) in extra.into_iter().enumerate() {
        // Big barrios always have one; smaller ones sometimes, so not every demo looks alike.
        if area_ha > min_ha || mix(h, 10 + salt as u64).is_multiple_of(one_in) {
            wanted.push(kind);
        }
    }
    if area_ha > 40.0 {
        wanted.push(LandmarkKind::Cai);
    }

    let mut placed: Vec<(LandmarkKind, Spot)> = Vec::new();
    let mut anywhere: Option<Vec<Spot>> = None;
    let turn = unit(h, 20) * TAU;
    let others = (wanted.len() - 1).max(1) as f64;
    for (i, kind) in wanted.into_iter().enumerate() {
        let essential = matches!(kind, LandmarkKind::Parque | LandmarkKind::SalonComunal);
        let spot = if kind == LandmarkKind::Parque {
            park_spot(&blocks_m, &block_spots, full_cell_m2, centre)
        } else {
            // Targets on an ellipse a third of the way out, in the grid frame, so a long
            // barrio gets its landmarks along its length.
            let t = turn + (i - 1) as f64 * TAU / others;
            let (cu, cv) = ((extent.min().x + extent.max().x) / 2.0, (extent.min().y + extent.max().y) / 2.0);
            let target = Point(from_grid(Coord { x: cu + t.cos() * extent.width() / 3.0, y: cv + t.sin() * extent.height() / 3.0 }));
            let taken = |s: &Spot| s.block.is_some() && placed.iter().any(|(_, q)| q.block == s.block);
            let nearest = |candidates: &mut dyn Iterator<Item = Spot>, spacing: f64| {
                candidates
                    .filter(|s| far_enough(s.m, &placed, spacing))
                    .min_by(|a, b| distance(a.m, target).total_cmp(&distance(b.m, target)))
            };
            nearest(&mut block_spots.iter().flatten().copied().filter(|s| !taken(s)), LANDMARK_SPACING_M)
                .or_else(|| nearest(&mut block_spots.iter().flatten().copied(), LANDMARK_SPACING_M))
        };
        let spot = spot.or_else(|| {
            let anywhere = anywhere.get_or_insert_with(|| spots.anywhere(&local));
            // A barrio too small for 30 m between landmarks still needs its park and hall:
            // closer is better than missing.
            let spacings: &[f64] = if essential { &[LANDMARK_SPACING_M, LANDMARK_SPACING_M / 2.0, 0.0] } else { &[LANDMARK_SPACING_M] };
            spacings.iter().find_map(|&spacing| {
                anywhere
                    .iter()
                    .filter(|s| far_enough(s.m, &placed, spacing))
                    .min_by(|a, b| distance(a.m, centre).total_cmp(&distance(b.m, centre)))
                    .copied()
            })
        });
        if let Some(spot) = spot {
            placed.push((kind, spot));
        }
    }
    let park_block = placed.iter().find(|(k, _)| *k == LandmarkKind::Parque).and_then(|(_, s)| s.block);

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
    layers.landmarks = collection(
        placed
            .into_iter()
            .map(|(kind, s)| {
                let name = format!("{} (demo)", kind.label_es());
                feature(geo::Geometry::Point(s.deg), props(json!({ "kind": kind.code(), "name": name })))
            })
            .collect(),
    );
    layers
}

/// One feature per grid line that reaches the barrio: calles along the grid's first axis
/// (nearer east–west), carreras along the second, each numbered in one compass direction.
fn streets(
    local: &MultiPolygon<f64>,
    frame: &Frame,
    h: u64,
    us: &[f64],
    vs: &[f64],
    from_grid: impl Fn(Coord<f64>) -> Coord<f64>,
) -> Vec<geojson::Feature> {
    let reach = local.buffer(STREET_MARGIN_M);
    let reach = if reach.0.is_empty() { local.clone() } else { reach };
    let (u0, u1) = (us[0], us[us.len() - 1]);
    let (v0, v1) = (vs[0], vs[vs.len() - 1]);
    let first_calle = 5 + mix(h, 5) % 25;
    let first_carrera = 2 + mix(h, 6) % 20;
    let mut out = Vec::new();
    let mut street = |name: String, a: Coord<f64>, b: Coord<f64>| {
        let line = MultiLineString::new(vec![LineString::new(vec![from_grid(a), from_grid(b)])]);
        let pieces: Vec<LineString<f64>> = reach
            .clip(&line, false)
            .0
            .into_iter()
            .filter(|l| geo::Length::length(&geo::Euclidean, l) >= MIN_STREET_M)
            .map(|l| readable(l).map_coords(|c| frame.to_deg(c)))
            .collect();
        let geometry = match <[LineString<f64>; 1]>::try_from(pieces) {
            Ok([one]) => geo::Geometry::LineString(one),
            Err(many) if many.is_empty() => return,
            Err(many) => geo::Geometry::MultiLineString(MultiLineString::new(many)),
        };
        out.push(feature(geometry, props(json!({ "name": name }))));
    };
    // v grows to the north (the grid is turned by less than 45°): calles are numbered from the
    // north, carreras from the west.
    for (k, v) in vs.iter().rev().enumerate() {
        street(format!("Calle {}", first_calle + k as u64), Coord { x: u0, y: *v }, Coord { x: u1, y: *v });
    }
    for (k, u) in us.iter().enumerate() {
        street(format!("Carrera {}", first_carrera + k as u64), Coord { x: *u, y: v0 }, Coord { x: *u, y: v1 });
    }
    out
}

/// The park's block: the most central whole block, else the most central one big enough to
/// read as a park, else the most central of any.
fn park_spot(blocks: &[Polygon<f64>], spots: &[Option<Spot>], full_cell_m2: f64, centre: Point<f64>) -> Option<Spot> {
    let by_centrality = |min_m2: f64| {
        blocks
            .iter()
            .zip(spots)
            .filter(|(b, _)| b.unsigned_area() >= min_m2)
            .filter_map(|(_, s)| *s)
            .min_by(|a, b| distance(a.m, centre).total_cmp(&distance(b.m, centre)))
    };
    by_centrality(full_cell_m2 * 0.98).or_else(|| by_centrality(MIN_PARK_M2)).or_else(|| by_centrality(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Euclidean, Intersects, Length};

    fn square_m(lon: f64, lat: f64, side_m: f64) -> MultiPolygon<f64> {
        let (dx, dy) = (side_m / (lat.to_radians().cos() * 111_320.0), side_m / 110_540.0);
        MultiPolygon::new(vec![Rect::new((lon, lat), (lon + dx, lat + dy)).to_polygon()])
    }

    /// A polygon given in metres around (lon, lat).
    fn shape_m(lon: f64, lat: f64, rings: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        let k = lat.to_radians().cos() * 111_320.0;
        let ring = |r: &[(f64, f64)]| LineString::from(r.iter().map(|&(x, y)| (lon + x / k, lat + y / 110_540.0)).collect::<Vec<_>>());
        MultiPolygon::new(vec![Polygon::new(ring(rings[0]), rings[1..].iter().map(|r| ring(r)).collect())])
    }

    fn geometry(f: &geojson::Feature) -> geo::Geometry<f64> {
        f.geometry.clone().unwrap().value.try_into().unwrap()
    }

    fn prop<'a>(f: &'a geojson::Feature, key: &str) -> Option<&'a Json> {
        f.properties.as_ref().unwrap().get(key)
    }

    fn check_coordinates_rounded(layers: &BaseLayers) {
        let json = serde_json::to_value(layers).unwrap();
        fn walk(v: &Json) {
            match v {
                Json::Array(a) => a.iter().for_each(walk),
                Json::Object(o) => o.iter().filter(|(k, _)| *k != "properties").for_each(|(_, v)| walk(v)),
                Json::Number(n) => {
                    let x = n.as_f64().unwrap() * 1e6;
                    assert!((x - x.round()).abs() < 1e-3, "{n} has more than 6 decimals");
                }
                _ => {}
            }
        }
        for layer in ["blocks", "streets", "landmarks"] {
            walk(&json[layer]);
        }
    }

    fn check_invariants(code: &str, boundary: &MultiPolygon<f64>) -> BaseLayers {
        let layers = demo_layers(code, boundary);
        assert!(layers.demo && layers.source == DEMO_SOURCE);
        check_coordinates_rounded(&layers);
        let frame = Frame::around(boundary.bounding_rect().unwrap());
        let local = boundary.map_coords(|c| frame.to_m(c));

        let kinds: Vec<&str> = layers.landmarks.features.iter().map(|f| prop(f, "kind").unwrap().as_str().unwrap()).collect();
        assert!(kinds.contains(&"parque") && kinds.contains(&"salon_comunal"), "{code}: {kinds:?}");
        let mut points = Vec::new();
        for f in &layers.landmarks.features {
            let kind = LandmarkKind::from_code(prop(f, "kind").unwrap().as_str().unwrap()).unwrap();
            assert_eq!(prop(f, "name").unwrap().as_str().unwrap(), format!("{} (demo)", kind.label_es()));
            let geo::Geometry::Point(p) = geometry(f) else { panic!("{code}: landmark is not a point") };
            assert!(boundary.contains(&p), "{code}: {kind:?} outside the barrio");
            points.push(p.map_coords(|c| frame.to_m(c)));
        }
        for (i, p) in points.iter().enumerate() {
            for q in &points[i + 1..] {
                assert!(Euclidean.distance(p, q) >= LANDMARK_SPACING_M - 0.01, "{code}: landmarks {} m apart", Euclidean.distance(p, q));
            }
        }

        let blocks: Vec<(MultiPolygon<f64>, Rect<f64>)> = layers
            .blocks
            .features
            .iter()
            .map(|f| {
                let m = match geometry(f) {
                    geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                    geo::Geometry::MultiPolygon(m) => m,
                    other => panic!("{other:?}"),
                }
                .map_coords(|c| frame.to_m(c));
                let rect = m.bounding_rect().unwrap();
                (m, rect)
            })
            .collect();
        // Rounding to 1e-6° moves an edge by up to ~0.1 m: allow that band along the perimeter
        // (where the boundary itself has gaps narrower than that, pieces of a block can meet).
        let perimeter = |b: &MultiPolygon<f64>| b.0.iter().map(|p| Euclidean.length(p.exterior())).sum::<f64>();
        for (i, (b, rect)) in blocks.iter().enumerate() {
            let area = b.unsigned_area();
            assert!(area >= MIN_BLOCK_M2 * 0.99, "{code}: block {i} of {area} m²");
            let inside = b.intersection(&local).unsigned_area();
            assert!(inside >= area - 0.1 * perimeter(b), "{code}: block {i} leaves the barrio: {inside} of {area} m²");
            for (other, other_rect) in &blocks[i + 1..] {
                if rect.intersects(other_rect) {
                    let overlap = b.intersection(other).unsigned_area();
                    assert!(overlap < 0.1 * perimeter(b).min(perimeter(other)), "{code}: blocks overlap by {overlap} m²");
                }
            }
        }
        let parks = layers.blocks.features.iter().filter(|f| prop(f, "park").is_some()).count();
        assert!(parks <= 1, "{code}: {parks} park blocks");

        let reach = local.buffer(STREET_MARGIN_M + 1.0);
        let mut names = std::collections::BTreeSet::new();
        for f in &layers.streets.features {
            let name = prop(f, "name").unwrap().as_str().unwrap();
            assert!(name.starts_with("Calle ") || name.starts_with("Carrera "), "{name}");
            assert!(names.insert(name.to_string()), "{code}: {name} is split over two features");
            let lines = match geometry(f).map_coords(|c| frame.to_m(c)) {
                geo::Geometry::LineString(l) => MultiLineString::new(vec![l]),
                geo::Geometry::MultiLineString(m) => m,
                other => panic!("{other:?}"),
            };
            assert!(lines.intersects(&reach));
            assert!(Euclidean.length(&reach.clip(&lines, true)) < 1.0, "{code}: {name} runs outside the margin");
            for l in &lines.0 {
                let (a, b) = (l.0[0], l.0[l.0.len() - 1]);
                assert!(b.x > a.x || (b.x - a.x).abs() < 0.1 * (b.y - a.y).abs() && b.y > a.y, "{code}: {name} would read upside down");
            }
        }
        layers
    }

    fn santa_marta() -> Vec<(String, MultiPolygon<f64>)> {
        crate::seed::parse(crate::seed::SANTA_MARTA, "")
            .unwrap()
            .into_iter()
            .map(|b| {
                let boundary = match geo::Geometry::<f64>::try_from(b.boundary.value).unwrap() {
                    geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                    geo::Geometry::MultiPolygon(m) => m,
                    other => panic!("{other:?}"),
                };
                (b.code, boundary)
            })
            .collect()
    }

    #[test]
    fn the_same_barrio_always_gets_the_same_layers() {
        let b = square_m(-74.2, 11.2, 400.0);
        let json = |code: &str| serde_json::to_string(&demo_layers(code, &b)).unwrap();
        assert_eq!(json("la-paz"), json("la-paz"));
        assert_ne!(json("la-paz"), json("el-prado"), "each barrio its own grid");
    }

    #[test]
    fn a_square_barrio_gets_a_grid_blocks_and_landmarks_inside() {
        let boundary = square_m(-74.2, 11.2, 500.0);
        let layers = check_invariants("cuadrado", &boundary);
        assert!(layers.streets.features.len() >= 8, "{}", layers.streets.features.len());
        assert!(layers.blocks.features.len() >= 16, "{}", layers.blocks.features.len());
        let calles = layers.streets.features.iter().filter(|f| prop(f, "name").unwrap().as_str().unwrap().starts_with("Calle")).count();
        assert!(calles >= 4 && layers.streets.features.len() - calles >= 4);
        assert_eq!(layers.blocks.features.iter().filter(|f| prop(f, "park").is_some()).count(), 1);
        // The grid covers the whole barrio: only the streets between blocks are left out
        // (about a fifth of the area with 80–100 m blocks and 10 m streets).
        let frame = Frame::around(boundary.bounding_rect().unwrap());
        let blocks_m2: f64 = layers.blocks.features.iter().map(|f| geometry(f).map_coords(|c| frame.to_m(c)).unsigned_area()).sum();
        let barrio_m2 = boundary.map_coords(|c| frame.to_m(c)).unsigned_area();
        assert!(blocks_m2 > 0.7 * barrio_m2, "blocks cover {:.0}% of the barrio", 100.0 * blocks_m2 / barrio_m2);
        // 25 ha: park, hall, colegio, iglesia, cancha; no CAI below 40 ha.
        assert_eq!(layers.landmarks.features.len(), 5);
        let big = check_invariants("grande", &square_m(-74.2, 11.2, 800.0));
        assert!(big.landmarks.features.iter().any(|f| prop(f, "kind").unwrap() == "cai"));
    }

    #[test]
    fn the_grid_follows_a_turned_barrio() {
        // A 600 m × 200 m rectangle turned 30° from east.
        let (s, c) = 30f64.to_radians().sin_cos();
        let corner = |x: f64, y: f64| (x * c - y * s, x * s + y * c);
        let ring = [corner(0.0, 0.0), corner(600.0, 0.0), corner(600.0, 200.0), corner(0.0, 200.0), corner(0.0, 0.0)];
        let boundary = shape_m(-74.2, 11.2, &[&ring]);
        let layers = check_invariants("girado", &boundary);
        let frame = Frame::around(boundary.bounding_rect().unwrap());
        for f in &layers.streets.features {
            let l = match geometry(f).map_coords(|c| frame.to_m(c)) {
                geo::Geometry::LineString(l) => l,
                geo::Geometry::MultiLineString(m) => m.0[0].clone(),
                other => panic!("{other:?}"),
            };
            let (a, b) = (l.0[0], l.0[l.0.len() - 1]);
            let bearing = (b.y - a.y).atan2(b.x - a.x).to_degrees();
            let name = prop(f, "name").unwrap().as_str().unwrap();
            let expected = if name.starts_with("Calle") { 30.0 } else { -60.0 };
            assert!((bearing - expected).abs() < 0.5, "{name} at {bearing}°");
        }
    }

    #[test]
    fn tiny_thin_and_holed_barrios_still_get_a_park_and_a_community_hall() {
        check_invariants("diminuto", &square_m(-74.2, 11.2, 100.0));
        check_invariants("minimo", &square_m(-74.2, 11.2, 60.0));
        let thin = shape_m(-74.2, 11.2, &[&[(0.0, 0.0), (900.0, 60.0), (900.0, 120.0), (0.0, 60.0), (0.0, 0.0)]]);
        check_invariants("alargado", &thin);
        // 1.2 km long and 25 m wide, diagonal: narrower than a block.
        let (s, c) = 40f64.to_radians().sin_cos();
        let corner = |x: f64, y: f64| (x * c - y * s, x * s + y * c);
        let strip = [corner(0.0, 0.0), corner(1200.0, 0.0), corner(1200.0, 25.0), corner(0.0, 25.0), corner(0.0, 0.0)];
        let layers = check_invariants("franja", &shape_m(-74.2, 11.2, &[&strip]));
        assert!(!layers.blocks.features.is_empty());
        // A ring around a hole the size of most of the barrio: nothing may land in the hole.
        let outer = [(0.0, 0.0), (400.0, 0.0), (400.0, 400.0), (0.0, 400.0), (0.0, 0.0)];
        let hole = [(40.0, 40.0), (40.0, 360.0), (360.0, 360.0), (360.0, 40.0), (40.0, 40.0)];
        check_invariants("anillo", &shape_m(-74.2, 11.2, &[&outer, &hole]));
    }

    #[test]
    fn an_empty_boundary_gives_empty_demo_layers() {
        let layers = demo_layers("nada", &MultiPolygon::new(vec![]));
        assert!(layers.demo && layers.feature_count() == 0);
    }

    #[test]
    fn every_santa_marta_barrio_gets_streets_blocks_and_landmarks() {
        let barrios = santa_marta();
        assert_eq!(barrios.len(), 327);
        let started = std::time::Instant::now();
        let all: Vec<BaseLayers> = barrios.iter().map(|(code, b)| demo_layers(code, b)).collect();
        let elapsed = started.elapsed();
        let bytes: usize = all
            .iter()
            .map(|l| [&l.blocks, &l.streets, &l.landmarks].iter().map(|fc| serde_json::to_string(fc).unwrap().len()).sum::<usize>())
            .sum();
        let count = |f: fn(&BaseLayers) -> usize| all.iter().map(f).sum::<usize>();
        eprintln!(
            "demo layers for {} barrios: {elapsed:?}, {bytes} bytes of GeoJSON, {} streets, {} blocks, {} landmarks",
            barrios.len(),
            count(|l| l.streets.features.len()),
            count(|l| l.blocks.features.len()),
            count(|l| l.landmarks.features.len()),
        );
        let mut exceptions = Vec::new();
        for ((code, boundary), layers) in barrios.iter().zip(&all) {
            assert_eq!(&check_invariants(code, boundary), layers, "{code}: not deterministic");
            if layers.streets.features.is_empty() || layers.blocks.features.is_empty() || layers.landmarks.features.len() < 2 {
                exceptions.push(code.clone());
            }
        }
        assert!(exceptions.is_empty(), "{exceptions:?}");
    }
}
