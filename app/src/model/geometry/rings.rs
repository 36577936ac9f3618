//! Whether a polygon's rings are simple and properly nested: the same verdict, and the same
//! first problem, as geo's `Validation`, but each ring's self-intersection is found by a sweep
//! over its segments sorted by x instead of by comparing every pair of segments.
//!
//! geo compares every segment with every other (38,000 vertices took 12 s); the sweep only
//! compares segments whose x ranges overlap, which for drawn shapes is a handful each. A ring
//! built to defeat it (thousands of long spikes from one centre) still costs n²/8 cheap box
//! tests, bounded by [`super::MAX_ZONE_VERTICES`]. Holes are compared with geo's `Relate` on a
//! prepared (R-tree indexed) exterior, as `Validation` does, and are few
//! ([`super::MAX_ZONE_HOLES`]).

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::validation::{InvalidPolygon, RingRole};
use geo::{Intersects, Line, LineString, Polygon, PreparedGeometry, Relate};

/// The first problem `Validation` would report for `poly`, or `None` when it is valid.
pub fn polygon_problem(poly: &Polygon<f64>) -> Option<InvalidPolygon> {
    if poly.exterior().0.is_empty() {
        return None;
    }
    let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
    for (i, ring) in rings.enumerate().filter(|(_, r)| !r.0.is_empty()) {
        let role = if i == 0 { RingRole::Exterior } else { RingRole::Interior(i - 1) };
        let mut distinct = ring.0.clone();
        distinct.dedup();
        if distinct.len() < 4 {
            return Some(InvalidPolygon::TooFewPointsInRing(role));
        }
        if crosses_itself(ring) {
            return Some(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(at) = ring.0.iter().position(|c| !(c.x.is_finite() && c.y.is_finite())) {
            return Some(InvalidPolygon::NonFiniteCoord(role, geo::validation::CoordIndex(at)));
        }
    }
    if poly.interiors().iter().all(|r| r.0.is_empty()) {
        return None;
    }
    holes_problem(poly)
}

/// One segment of a ring, with its box, for the sweep.
#[derive(Clone, Copy)]
struct Segment {
    line: Line<f64>,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

/// Whether two segments of `ring` that do not follow one another meet: geo's rule, where two
/// segments sharing an end (the end of one being the start of the other) are neighbours.
/// Segments are visited by increasing left end; a segment is only compared with those that
/// start before it ends, and whose y range overlaps its own.
fn crosses_itself(ring: &LineString<f64>) -> bool {
    let mut segments: Vec<Segment> = ring
        .lines()
        .map(|line| Segment {
            line,
            x0: line.start.x.min(line.end.x),
            x1: line.start.x.max(line.end.x),
            y0: line.start.y.min(line.end.y),
            y1: line.start.y.max(line.end.y),
        })
        .collect();
    segments.sort_unstable_by(|a, b| a.x0.total_cmp(&b.x0));
    for (k, a) in segments.iter().enumerate() {
        for b in &segments[k + 1..] {
            if b.x0 > a.x1 {
                break;
            }
            if b.y0 > a.y1 || a.y0 > b.y1 {
                continue;
            }
            let (p, q) = (a.line, b.line);
            if p.start != q.end && p.end != q.start && p.intersects(&q) {
                return true;
            }
        }
    }
    false
}

/// Holes within the exterior, touching it or each other at points only, never nested in
/// each other: `Validation`'s checks, in its order, on the same prepared geometries.
fn holes_problem(poly: &Polygon<f64>) -> Option<InvalidPolygon> {
    let exterior = Polygon::new(poly.exterior().clone(), vec![]);
    let exterior = PreparedGeometry::from(&exterior);
    for (i, hole) in poly.interiors().iter().enumerate().filter(|(_, r)| !r.0.is_empty()) {
        let role = RingRole::Interior(i);
        let as_polygon = Polygon::new(hole.clone(), vec![]);
        let prepared = PreparedGeometry::from(&as_polygon);
        let with_exterior = exterior.relate(&prepared);
        if !with_exterior.is_contains() {
            return Some(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
        }
        if with_exterior.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Some(InvalidPolygon::IntersectingRingsOnALine(RingRole::Exterior, role));
        }
        for (j, other) in poly.interiors().iter().enumerate().skip(i + 1).filter(|(_, r)| !r.0.is_empty()) {
            let matrix = prepared.relate(&Polygon::new(other.clone(), vec![]));
            if matrix.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnAnArea(role, RingRole::Interior(j)));
            }
            if matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnALine(role, RingRole::Interior(j)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, Validation};

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        let mut coords: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
        coords.push(coords[0]);
        LineString(coords)
    }

    /// A ring of `n` vertices around (0, 0), of radius 1 ± 30 % (a drawn blob), anticlockwise.
    fn blob(n: usize) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                let r = 1.0 + 0.3 * (7.0 * a).sin() * (3.0 * a).cos();
                (r * a.cos(), r * a.sin())
            })
            .collect()
    }

    #[test]
    fn a_5000_vertex_blob_is_simple_and_one_crossing_in_it_is_found() {
        let points = blob(5_000);
        let poly = Polygon::new(ring(&points), vec![]);
        assert_eq!(polygon_problem(&poly), None);
        // Two neighbouring vertices swapped: their segments now cross, once, somewhere in
        // 5,000.
        let mut crossed = points.clone();
        crossed.swap(3_100, 3_101);
        let poly = Polygon::new(ring(&crossed), vec![]);
        assert_eq!(polygon_problem(&poly), Some(InvalidPolygon::SelfIntersection(RingRole::Exterior)));
    }

    #[test]
    fn a_ring_touching_itself_at_a_vertex_is_refused_as_geo_refuses_it() {
        // A figure eight through (1, 1).
        let poly = Polygon::new(ring(&[(0.0, 0.0), (1.0, 1.0), (2.0, 0.0), (2.0, 2.0), (1.0, 1.0), (0.0, 2.0)]), vec![]);
        assert_eq!(polygon_problem(&poly), poly.check_validation().err());
        assert!(polygon_problem(&poly).is_some());
    }

    #[test]
    fn holes_must_lie_inside_and_apart() {
        let shell = ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]);
        let hole = |x: f64, y: f64, s: f64| ring(&[(x, y), (x, y + s), (x + s, y + s), (x + s, y)]);
        let cases = [
            vec![hole(1.0, 1.0, 2.0), hole(5.0, 5.0, 2.0)],
            vec![hole(20.0, 1.0, 2.0)],
            vec![hole(1.0, 1.0, 4.0), hole(2.0, 2.0, 1.0)],
            vec![hole(0.0, 1.0, 2.0)],
            vec![hole(1.0, 1.0, 2.0), hole(3.0, 1.0, 2.0)],
            vec![hole(9.0, 1.0, 2.0)],
        ];
        let verdicts: Vec<Option<InvalidPolygon>> =
            cases.iter().map(|h| polygon_problem(&Polygon::new(shell.clone(), h.clone()))).collect();
        assert_eq!(verdicts[0], None);
        assert_eq!(verdicts[1], Some(InvalidPolygon::InteriorRingNotContainedInExteriorRing(RingRole::Interior(0))));
        assert_eq!(verdicts[2], Some(InvalidPolygon::IntersectingRingsOnAnArea(RingRole::Interior(0), RingRole::Interior(1))));
        assert_eq!(verdicts[3], Some(InvalidPolygon::IntersectingRingsOnALine(RingRole::Exterior, RingRole::Interior(0))));
        assert_eq!(verdicts[4], Some(InvalidPolygon::IntersectingRingsOnALine(RingRole::Interior(0), RingRole::Interior(1))));
        assert!(verdicts[5].is_some());
        for (holes, verdict) in cases.iter().zip(&verdicts) {
            assert_eq!(&Polygon::new(shell.clone(), holes.clone()).check_validation().err(), verdict);
        }
    }
}

/// The sweep agrees with geo's `Validation`, first problem included, on small random
/// polygons. Vertices on a coarse grid make the hard cases common: collinear runs, repeated
/// points, rings touching at vertices and along segments, holes nested, crossing, touching
/// the shell or outside it.
#[cfg(test)]
mod agrees_with_geo {
    use super::*;
    use geo::{Coord, Validation};
    use proptest::prelude::*;

    fn closed(coords: Vec<Coord<f64>>) -> LineString<f64> {
        let mut coords = coords;
        coords.push(coords[0]);
        LineString(coords)
    }

    /// Any ring of up to `max` - 1 vertices in `lo..hi` squared: most cross themselves.
    pub(super) fn arb_ring(lo: i32, hi: i32, max: usize) -> impl Strategy<Value = LineString<f64>> {
        proptest::collection::vec((lo..hi, lo..hi), 3..max)
            .prop_map(|pts| closed(pts.iter().map(|&(x, y)| Coord { x: f64::from(x), y: f64::from(y) }).collect()))
    }

    /// A star-shaped ring around a centre in `centres` squared, radii in `radii`, its
    /// vertices rounded to the grid: simple, or nearly so.
    pub(super) fn arb_star(centres: std::ops::Range<i32>, radii: std::ops::Range<i32>) -> impl Strategy<Value = LineString<f64>> {
        (proptest::collection::vec(radii, 3..12), centres.clone(), centres, any::<bool>()).prop_map(|(radii, cx, cy, clockwise)| {
            let n = radii.len();
            let mut coords: Vec<Coord<f64>> = radii
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    Coord { x: (f64::from(cx) + f64::from(*r) * a.cos()).round(), y: (f64::from(cy) + f64::from(*r) * a.sin()).round() }
                })
                .collect();
            if clockwise {
                coords.reverse();
            }
            closed(coords)
        })
    }

    fn arb_shell() -> impl Strategy<Value = LineString<f64>> {
        prop_oneof![arb_star(7..10, 4..9), arb_ring(0, 17, 8)]
    }

    fn arb_hole() -> impl Strategy<Value = LineString<f64>> {
        prop_oneof![arb_star(4..13, 1..4), arb_ring(3, 14, 6)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

        #[test]
        fn rings_alone(exterior in prop_oneof![arb_ring(0, 8, 9), arb_star(0..8, 1..5)]) {
            let poly = Polygon::new(exterior, vec![]);
            prop_assert_eq!(polygon_problem(&poly), poly.check_validation().err());
        }

        #[test]
        fn rings_with_holes(exterior in arb_shell(), holes in proptest::collection::vec(arb_hole(), 1..4)) {
            let poly = Polygon::new(exterior, holes);
            prop_assert_eq!(polygon_problem(&poly), poly.check_validation().err());
        }
    }
}
