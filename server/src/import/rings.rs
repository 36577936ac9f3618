//! Whether the rings of an area cross themselves or each other, found by a sweep over their
//! segments (about n log n). geo's `Validation` compares every pair of segments: one ring of
//! 10,000 vertices took 41 s in a debug build, 20,000 four times that. Used to report the pieces
//! and blocks the union repairs, and boundaries still wrong after it.

use geo::line_intersection::LineIntersection;
use geo::{Coord, Intersections, Line, MultiPolygon};

/// A segment of ring `ring` of polygon `polygon`.
#[derive(Clone, Copy)]
struct Segment {
    line: Line<f64>,
    polygon: usize,
    ring: usize,
}

impl geo::algorithm::sweep::Cross for Segment {
    type Scalar = f64;

    fn line(&self) -> Line<f64> {
        self.line
    }
}

/// The first crossing found, in words, or `None` when no two segments meet except where one
/// ends and the next begins (as geo's own self-intersection test reads it).
pub fn crossing(multi: &MultiPolygon<f64>) -> Option<String> {
    let mut segments = Vec::new();
    for (p, polygon) in multi.0.iter().enumerate() {
        for (r, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
            segments.extend(ring.lines().map(|line| Segment { line, polygon: p, ring: r }));
        }
    }
    let touch_at_joint = |a: &Segment, b: &Segment| a.line.start == b.line.end || a.line.end == b.line.start;
    for (a, b, meeting) in Intersections::from_iter(segments) {
        let same_ring = (a.polygon, a.ring) == (b.polygon, b.ring);
        let crosses = match meeting {
            // Two rings may touch at a point, or along an edge where polygons meet (the union
            // joins them); they may not cross.
            _ if !same_ring => matches!(meeting, LineIntersection::SinglePoint { is_proper: true, .. }),
            // Within a ring, only where one segment ends and the next begins; a spike, where
            // the next segment doubles back over the last, crosses too.
            LineIntersection::SinglePoint { .. } => !touch_at_joint(&a, &b),
            LineIntersection::Collinear { intersection } => intersection.start != intersection.end || !touch_at_joint(&a, &b),
        };
        if !crosses {
            continue;
        }
        let ring = |s: &Segment| {
            if s.ring == 0 {
                format!("exterior ring of polygon {}", s.polygon)
            } else {
                format!("hole {} of polygon {}", s.ring, s.polygon)
            }
        };
        let at = |c: Coord<f64>| format!("({:.6}, {:.6})", c.x, c.y);
        let point = match meeting {
            LineIntersection::SinglePoint { intersection, .. } => at(intersection),
            LineIntersection::Collinear { intersection } => at(intersection.start),
        };
        return Some(if same_ring {
            format!("the {} crosses itself at {point}", ring(&a))
        } else {
            format!("the {} and the {} meet at {point}", ring(&a), ring(&b))
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Validation};

    fn one(p: geo::Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![p])
    }

    #[test]
    fn a_clean_square_with_a_hole_has_no_crossing() {
        let p = polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)],
            interiors: [[(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 4.)]],
        );
        assert_eq!(crossing(&one(p)), None);
    }

    #[test]
    fn a_bow_tie_a_spike_and_a_hole_across_the_edge_are_crossings() {
        let bow_tie = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.)];
        assert!(crossing(&one(bow_tie.clone())).is_some_and(|w| w.contains("crosses itself")));
        assert!(!bow_tie.is_valid(), "geo agrees");
        let spike = polygon![(x: 0., y: 0.), (x: 2., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.)];
        assert!(crossing(&one(spike)).is_some());
        let hole_out = polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)],
            interiors: [[(x: 8., y: 8.), (x: 12., y: 8.), (x: 12., y: 9.), (x: 8., y: 9.)]],
        );
        assert!(crossing(&one(hole_out)).is_some_and(|w| w.contains("hole 1 of polygon 0")));
    }

    #[test]
    fn polygons_touching_at_a_point_or_along_an_edge_do_not_cross() {
        let a = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)];
        let corner = polygon![(x: 1., y: 1.), (x: 2., y: 1.), (x: 2., y: 2.), (x: 1., y: 2.)];
        let edge = polygon![(x: 1., y: 0.), (x: 2., y: 0.), (x: 2., y: 1.), (x: 1., y: 1.)];
        assert_eq!(crossing(&MultiPolygon::new(vec![a.clone(), corner])), None);
        assert_eq!(crossing(&MultiPolygon::new(vec![a.clone(), edge])), None);
        let across = polygon![(x: 0.5, y: 0.5), (x: 2., y: 0.5), (x: 2., y: 2.), (x: 0.5, y: 2.)];
        assert!(crossing(&MultiPolygon::new(vec![a, across])).is_some_and(|w| w.contains("meet")));
    }

    #[test]
    fn a_ring_of_20000_vertices_is_checked_in_a_moment() {
        let n = 20_000;
        let ring: Vec<(f64, f64)> =
            (0..n).map(|i| std::f64::consts::TAU * i as f64 / n as f64).map(|a| (-74.2 + 0.01 * a.cos(), 11.2 + 0.01 * a.sin())).collect();
        let circle = one(geo::Polygon::new(ring.into(), vec![]));
        let started = std::time::Instant::now();
        assert_eq!(crossing(&circle), None);
        assert!(started.elapsed().as_secs_f64() < 5.0, "{:?}", started.elapsed());
    }
}
