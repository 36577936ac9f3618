//! Routes and zones: similarity, clustering by union-find (so the result does not depend on
//! the order of the input), and the medoid that represents a cluster.
//!
//! Only pairs that can be similar get the exact (costly) test: an R-tree finds the routes
//! whose ends lie near each other and the zones whose bounding boxes touch, so the work grows
//! with the number of shapes and their overlaps, not with every pair of a category (750
//! scattered zones are 280,000 pairs). Every pair the index leaves out is one the exact test
//! would have rejected, and the pairs kept are visited in the all-pairs order, so the result
//! is the same to the bit.

use app::model::diagnostico::MAX_ROUTE_POINTS;
use geo::{Area, BooleanOps, BoundingRect, Coord, LineString, Polygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject, AABB};

use super::points::{Frame, UnionFind};

/// A route in the frame's metres, resampled at equal steps along its length.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pts: Vec<[f64; 2]>,
}

impl Route {
    /// Projects `positions` (lon, lat, ...) and resamples them every `step` metres, at most
    /// [`MAX_ROUTE_POINTS`] points (longer routes get a longer step). A route of length zero
    /// becomes its one position, twice.
    pub(crate) fn new(positions: &[Vec<f64>], frame: &Frame, step: f64) -> Route {
        let v: Vec<[f64; 2]> = positions.iter().map(|p| frame.to_m(p[0], p[1])).collect();
        let mut cumulative = Vec::with_capacity(v.len());
        let mut total = 0.0;
        cumulative.push(0.0);
        for w in v.windows(2) {
            total += d2(w[0], w[1]).sqrt();
            cumulative.push(total);
        }
        let segments = ((total / step).ceil() as usize).clamp(1, MAX_ROUTE_POINTS - 1);
        let mut pts = Vec::with_capacity(segments + 1);
        let mut k = 0;
        for j in 0..=segments {
            if j == segments {
                pts.push(v[v.len() - 1]);
                break;
            }
            let t = total * j as f64 / segments as f64;
            while k + 2 < v.len() && cumulative[k + 1] < t {
                k += 1;
            }
            let len = cumulative[k + 1] - cumulative[k];
            let f = if len > 0.0 { ((t - cumulative[k]) / len).clamp(0.0, 1.0) } else { 0.0 };
            let (a, b) = (v[k], v[k + 1]);
            pts.push([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
        }
        Route { pts }
    }

    #[cfg(test)]
    pub(crate) fn points(&self) -> &[[f64; 2]] {
        &self.pts
    }
}

#[inline]
fn d2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

/// The discrete Fréchet distance between `a` and `b` walked the same way, or infinity as soon
/// as it is sure to exceed `cutoff` (metres).
fn frechet_one_way(a: &[[f64; 2]], b: &[[f64; 2]], cutoff: f64) -> f64 {
    let cut2 = cutoff * cutoff;
    let m = b.len();
    let mut prev = vec![f64::INFINITY; m];
    let mut row = vec![f64::INFINITY; m];
    for (i, pa) in a.iter().enumerate() {
        let mut best = f64::INFINITY;
        for j in 0..m {
            let reach = match (i, j) {
                (0, 0) => 0.0,
                (0, _) => row[j - 1],
                (_, 0) => prev[0],
                _ => prev[j].min(prev[j - 1]).min(row[j - 1]),
            };
            let v = reach.max(d2(*pa, b[j]));
            row[j] = v;
            best = best.min(v);
        }
        if best > cut2 {
            return f64::INFINITY;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[m - 1].sqrt()
}

/// The discrete Fréchet distance between two routes in the better of the two directions (a
/// street drawn from either end is the same street), or infinity when over `cutoff`.
pub(crate) fn route_distance(a: &Route, b: &Route, cutoff: f64) -> f64 {
    let (a, b) = (&a.pts, &b.pts);
    let (a0, an, b0, bm) = (a[0], a[a.len() - 1], b[0], b[b.len() - 1]);
    let c2 = cutoff * cutoff;
    // Both walks start together and end together, so the ends must be close.
    let forward = if d2(a0, b0) <= c2 && d2(an, bm) <= c2 { frechet_one_way(a, b, cutoff) } else { f64::INFINITY };
    let reversed: Vec<[f64; 2]>;
    let backward = if d2(a0, bm) <= c2 && d2(an, b0) <= c2 {
        reversed = b.iter().rev().copied().collect();
        frechet_one_way(a, &reversed, cutoff.min(forward))
    } else {
        f64::INFINITY
    };
    forward.min(backward)
}

/// Links routes at most `threshold` apart and labels the sets by their first route.
///
/// Two routes within `threshold` start (or end) within `threshold` of where the other starts:
/// an R-tree of every route's two ends gives, for each route, the others with an end near
/// its start, and only those are measured.
pub(crate) fn cluster_routes(routes: &[Route], threshold: f64, labels: &mut Vec<u32>) -> u32 {
    let mut uf = UnionFind::default();
    uf.reset(routes.len());
    let ends: Vec<GeomWithData<[f64; 2], u32>> = routes
        .iter()
        .enumerate()
        .flat_map(|(i, r)| [GeomWithData::new(r.pts[0], i as u32), GeomWithData::new(r.pts[r.pts.len() - 1], i as u32)])
        .collect();
    let tree = RTree::bulk_load(ends);
    // A box a little wider than the threshold: distances are compared squared, and rounding
    // must not lose a pair the exact test would keep.
    let reach = threshold * (1.0 + 1e-9) + 1e-6;
    let mut near = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let [x, y] = route.pts[0];
        near.clear();
        near.extend(
            tree.locate_in_envelope(&AABB::from_corners([x - reach, y - reach], [x + reach, y + reach]))
                .map(|end| end.data)
                .filter(|j| *j > i as u32),
        );
        near.sort_unstable();
        near.dedup();
        for &j in &near {
            if uf.find(i as u32) != uf.find(j) && route_distance(route, &routes[j as usize], threshold) <= threshold {
                uf.union(i as u32, j);
            }
        }
    }
    uf.labels(labels)
}

/// Routes of a hotspot its medoid is chosen among (the first, in id order). Every pair of them
/// is measured, so a hotspot of thousands of routes drawn on one street by one device would
/// otherwise cost millions of distances; no workshop draws more than a few dozen.
pub(crate) const MAX_MEDOID_ROUTES: usize = 150;

/// The member of `members` (indices into `routes`, in id order) with the smallest sum of
/// distances to the others; the first on a tie. Only the first [`MAX_MEDOID_ROUTES`] members
/// are weighed.
pub(crate) fn medoid_route(routes: &[Route], members: &[u32]) -> u32 {
    if members.len() <= 2 {
        return members[0];
    }
    let members = &members[..members.len().min(MAX_MEDOID_ROUTES)];
    let k = members.len();
    let mut sums = vec![0.0; k];
    for i in 0..k {
        for j in i + 1..k {
            let d = route_distance(&routes[members[i] as usize], &routes[members[j] as usize], f64::INFINITY);
            sums[i] += d;
            sums[j] += d;
        }
    }
    best_of(members, &sums, |a, b| a < b)
}

fn best_of(members: &[u32], scores: &[f64], better: impl Fn(f64, f64) -> bool) -> u32 {
    let mut best = 0;
    for i in 1..members.len() {
        if better(scores[i], scores[best]) {
            best = i;
        }
    }
    members[best]
}

/// A zone in the frame's metres, with its area and bounding box.
#[derive(Debug, Clone)]
pub(crate) struct Zone {
    poly: Polygon<f64>,
    area: f64,
    bbox: Option<Rect<f64>>,
}

impl Zone {
    pub(crate) fn new(rings: &[Vec<Vec<f64>>], frame: &Frame) -> Zone {
        let ring = |r: &Vec<Vec<f64>>| -> LineString<f64> {
            r.iter()
                .map(|p| {
                    let [x, y] = frame.to_m(p[0], p[1]);
                    Coord { x, y }
                })
                .collect()
        };
        let poly = Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect());
        let area = poly.unsigned_area();
        let bbox = poly.bounding_rect();
        Zone { poly, area, bbox }
    }
}

/// The overlap of two zones: (intersection over union, intersection over the smaller area).
/// Zero for zones that do not overlap or have no area.
pub(crate) fn zone_overlap(a: &Zone, b: &Zone) -> (f64, f64) {
    let (Some(ra), Some(rb)) = (a.bbox, b.bbox) else { return (0.0, 0.0) };
    let apart = ra.max().x < rb.min().x || rb.max().x < ra.min().x || ra.max().y < rb.min().y || rb.max().y < ra.min().y;
    if apart || a.area <= 0.0 || b.area <= 0.0 {
        return (0.0, 0.0);
    }
    let inter = a.poly.intersection(&b.poly).unsigned_area();
    if inter <= 0.0 {
        return (0.0, 0.0);
    }
    // For valid zones the union is a + b - inter; the max and the clamps only keep zones that
    // validation would have refused (a bow tie's ring area is not its area) within 0..1.
    let union = (a.area + b.area - inter).max(inter);
    ((inter / union).clamp(0.0, 1.0), (inter / a.area.min(b.area)).clamp(0.0, 1.0))
}

/// Exact overlaps computed for one category of a barrio; later candidate pairs are judged by
/// their bounding boxes. Zones piled on one spot make every pair a candidate, and each exact
/// test intersects two polygons (about 50 µs at 140 vertices): without a cap, one device
/// sending thousands of zones there would make the merge take hours. Workshops draw dozens of
/// zones per category, far below it, and get the exact answer.
pub(crate) const MAX_EXACT_ZONE_TESTS: usize = 20_000;

/// The overlap [`zone_overlap`] would find, judged by the bounding boxes alone: exact for
/// rectangles along the axes, an estimate otherwise.
fn box_overlap(a: &Zone, b: &Zone) -> (f64, f64) {
    let (Some(ra), Some(rb)) = (a.bbox, b.bbox) else { return (0.0, 0.0) };
    let w = ra.max().x.min(rb.max().x) - ra.min().x.max(rb.min().x);
    let h = ra.max().y.min(rb.max().y) - ra.min().y.max(rb.min().y);
    let (area_a, area_b) = (ra.width() * ra.height(), rb.width() * rb.height());
    if w <= 0.0 || h <= 0.0 || a.area <= 0.0 || b.area <= 0.0 || area_a <= 0.0 || area_b <= 0.0 {
        return (0.0, 0.0);
    }
    let inter = w * h;
    let union = (area_a + area_b - inter).max(inter);
    ((inter / union).clamp(0.0, 1.0), (inter / area_a.min(area_b)).clamp(0.0, 1.0))
}

/// Links overlapping zones (see [`app::model::MergeParams`]) and labels the sets by their
/// first zone. Returns the intersection over union of every overlapping pair `(i, j, iou)`
/// with `i < j`, in that order, for the medoids (whose sums must add them in that order).
///
/// Only zones whose bounding boxes touch can overlap: an R-tree of the boxes gives each zone's
/// candidates, visited in increasing order. The first [`MAX_EXACT_ZONE_TESTS`] candidates are
/// measured exactly, the rest by their boxes.
pub(crate) fn cluster_zones(zones: &[Zone], iou_min: f64, cover_min: f64, labels: &mut Vec<u32>) -> (u32, Vec<(u32, u32, f64)>) {
    cluster_zones_capped(zones, iou_min, cover_min, labels, MAX_EXACT_ZONE_TESTS)
}

fn cluster_zones_capped(
    zones: &[Zone],
    iou_min: f64,
    cover_min: f64,
    labels: &mut Vec<u32>,
    max_exact: usize,
) -> (u32, Vec<(u32, u32, f64)>) {
    let mut uf = UnionFind::default();
    uf.reset(zones.len());
    let boxes = |i: usize| {
        zones[i].bbox.filter(|_| zones[i].area > 0.0).map(|r| Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]))
    };
    let tree = RTree::bulk_load((0..zones.len()).filter_map(|i| boxes(i).map(|b| GeomWithData::new(b, i as u32))).collect());
    let mut overlaps = Vec::new();
    let mut near = Vec::new();
    let mut exact = 0;
    for i in 0..zones.len() {
        let Some(b) = boxes(i) else { continue };
        near.clear();
        near.extend(tree.locate_in_envelope_intersecting(&b.envelope()).map(|z| z.data).filter(|j| *j > i as u32));
        near.sort_unstable();
        for &j in &near {
            let j = j as usize;
            let (iou, cover) = if exact < max_exact {
                exact += 1;
                zone_overlap(&zones[i], &zones[j])
            } else {
                box_overlap(&zones[i], &zones[j])
            };
            if iou > 0.0 {
                overlaps.push((i as u32, j as u32, iou));
                if iou >= iou_min || cover >= cover_min {
                    uf.union(i as u32, j as u32);
                }
            }
        }
    }
    (uf.labels(labels), overlaps)
}

/// The member of `members` (indices into the zones, in id order) with the largest sum of
/// intersection over union with the other members; the first on a tie.
pub(crate) fn medoid_zone(members: &[u32], overlaps: &[(u32, u32, f64)], position: &dyn Fn(u32) -> Option<usize>) -> u32 {
    if members.len() <= 2 {
        return members[0];
    }
    let mut sums = vec![0.0; members.len()];
    for &(i, j, iou) in overlaps {
        if let (Some(pi), Some(pj)) = (position(i), position(j)) {
            sums[pi] += iou;
            sums[pj] += iou;
        }
    }
    best_of(members, &sums, |a, b| a > b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frame() -> Frame {
        Frame::new(-74.2, 11.24)
    }

    /// A route through `pts`, given in metres from the frame's origin.
    fn route_m(pts: &[[f64; 2]]) -> Vec<Vec<f64>> {
        pts.iter().map(|p| frame().to_lonlat(*p).to_vec()).collect()
    }

    fn square_m(x: f64, y: f64, side: f64) -> Vec<Vec<Vec<f64>>> {
        vec![route_m(&[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]])]
    }

    #[test]
    fn resampling_keeps_the_ends_and_the_step() {
        let r = Route::new(&route_m(&[[0.0, 0.0], [100.0, 0.0], [100.0, 50.0]]), &frame(), 10.0);
        let p = r.points();
        assert_eq!(p.len(), 16);
        assert!(d2(p[0], [0.0, 0.0]) < 1e-9 && d2(p[15], [100.0, 50.0]) < 1e-9);
        assert!(p.windows(2).all(|w| (d2(w[0], w[1]).sqrt() - 10.0).abs() < 1e-6 || w[0][0] > 95.0));
        // A long route keeps at most MAX_ROUTE_POINTS.
        let long = Route::new(&route_m(&[[0.0, 0.0], [5000.0, 0.0]]), &frame(), 10.0);
        assert_eq!(long.points().len(), MAX_ROUTE_POINTS);
        // A route of length zero.
        assert_eq!(Route::new(&route_m(&[[3.0, 4.0], [3.0, 4.0]]), &frame(), 10.0).points().len(), 2);
    }

    #[test]
    fn parallel_streets_are_as_far_as_their_gap_in_either_direction() {
        let a = Route::new(&route_m(&[[0.0, 0.0], [400.0, 0.0]]), &frame(), 10.0);
        let b = Route::new(&route_m(&[[400.0, 40.0], [0.0, 40.0]]), &frame(), 10.0);
        let d = route_distance(&a, &b, 1000.0);
        assert!((d - 40.0).abs() < 1e-6, "{d}");
        assert_eq!(route_distance(&a, &b, 30.0), f64::INFINITY);
        // Half a street is not the street.
        let half = Route::new(&route_m(&[[0.0, 0.0], [200.0, 0.0]]), &frame(), 10.0);
        assert!(route_distance(&a, &half, 1000.0) >= 199.0);
    }

    #[test]
    fn similar_routes_chain_into_one_cluster() {
        let routes: Vec<Route> =
            [0.0, 50.0, 100.0, 1000.0].iter().map(|y| Route::new(&route_m(&[[0.0, *y], [300.0, *y]]), &frame(), 10.0)).collect();
        let mut labels = Vec::new();
        assert_eq!(cluster_routes(&routes, 60.0, &mut labels), 2);
        assert_eq!(labels, vec![0, 0, 0, 1]);
        assert_eq!(medoid_route(&routes, &[0, 1, 2]), 1);
    }

    #[test]
    fn zones_merge_on_overlap_or_when_one_holds_the_other() {
        let big = Zone::new(&square_m(0.0, 0.0, 100.0), &frame());
        let shifted = Zone::new(&square_m(30.0, 0.0, 100.0), &frame());
        let small_inside = Zone::new(&square_m(10.0, 10.0, 20.0), &frame());
        let touching = Zone::new(&square_m(100.0, 0.0, 100.0), &frame());
        let far = Zone::new(&square_m(1000.0, 0.0, 100.0), &frame());
        let (iou, _) = zone_overlap(&big, &shifted);
        assert!((iou - 70.0 / 130.0).abs() < 1e-6, "{iou}");
        let (iou, cover) = zone_overlap(&big, &small_inside);
        assert!(iou < 0.3 && (cover - 1.0).abs() < 1e-6);
        assert_eq!(zone_overlap(&big, &touching).0, 0.0);
        assert_eq!(zone_overlap(&big, &far), (0.0, 0.0));
        let zones = [big, shifted, small_inside, touching, far];
        let mut labels = Vec::new();
        let (n, overlaps) = cluster_zones(&zones, 0.3, 0.5, &mut labels);
        assert_eq!(n, 3);
        assert_eq!(labels, vec![0, 0, 0, 1, 2]);
        // The big square overlaps both others the most.
        let members = [0u32, 1, 2];
        assert_eq!(medoid_zone(&members, &overlaps, &|z| members.iter().position(|m| *m == z)), 0);
    }

    /// The clustering before the R-tree: every pair, in order.
    fn cluster_routes_all_pairs(routes: &[Route], threshold: f64) -> Vec<u32> {
        let mut uf = UnionFind::default();
        uf.reset(routes.len());
        for i in 0..routes.len() {
            for j in i + 1..routes.len() {
                if uf.find(i as u32) != uf.find(j as u32) && route_distance(&routes[i], &routes[j], threshold) <= threshold {
                    uf.union(i as u32, j as u32);
                }
            }
        }
        let mut labels = Vec::new();
        uf.labels(&mut labels);
        labels
    }

    fn cluster_zones_all_pairs(zones: &[Zone], iou_min: f64, cover_min: f64) -> (Vec<u32>, Vec<(u32, u32, f64)>) {
        let mut uf = UnionFind::default();
        uf.reset(zones.len());
        let mut overlaps = Vec::new();
        for i in 0..zones.len() {
            for j in i + 1..zones.len() {
                let (iou, cover) = zone_overlap(&zones[i], &zones[j]);
                if iou > 0.0 {
                    overlaps.push((i as u32, j as u32, iou));
                    if iou >= iou_min || cover >= cover_min {
                        uf.union(i as u32, j as u32);
                    }
                }
            }
        }
        let mut labels = Vec::new();
        uf.labels(&mut labels);
        (labels, overlaps)
    }

    /// Routes of 2–5 positions in a 300 m square, many of them near each other.
    fn arb_routes() -> impl Strategy<Value = Vec<Route>> {
        let route = proptest::collection::vec((0.0..300.0f64, 0.0..300.0f64), 2..6);
        proptest::collection::vec(route, 0..40).prop_map(|rs| {
            rs.iter().map(|pts| Route::new(&route_m(&pts.iter().map(|(x, y)| [*x, *y]).collect::<Vec<_>>()), &frame(), 10.0)).collect()
        })
    }

    /// Zones in a 300 m square: squares (which touch along edges and corners on a 10 m grid)
    /// and star-shaped blobs.
    fn arb_zones() -> impl Strategy<Value = Vec<Zone>> {
        let square = (0u32..30, 0u32..30, 1u32..12).prop_map(|(x, y, s)| square_m(f64::from(x * 10), f64::from(y * 10), f64::from(s * 10)));
        let blob = (20.0..280.0f64, 20.0..280.0f64, proptest::collection::vec(2.0..20.0f64, 3..9)).prop_map(|(cx, cy, radii)| {
            let n = radii.len();
            let mut ring: Vec<[f64; 2]> = radii
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    [cx + r * a.cos(), cy + r * a.sin()]
                })
                .collect();
            ring.push(ring[0]);
            vec![route_m(&ring)]
        });
        proptest::collection::vec(prop_oneof![square, blob], 0..40).prop_map(|zs| zs.iter().map(|z| Zone::new(z, &frame())).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn the_route_index_links_exactly_the_pairs_all_pairs_would(routes in arb_routes(), threshold in prop_oneof![Just(0.0), 1.0..120.0f64]) {
            let mut labels = Vec::new();
            cluster_routes(&routes, threshold, &mut labels);
            prop_assert_eq!(labels, cluster_routes_all_pairs(&routes, threshold));
        }

        #[test]
        fn the_zone_index_finds_exactly_the_overlaps_all_pairs_would(zones in arb_zones(), iou in 0.0..1.0f64, cover in 0.0..1.0f64) {
            let mut labels = Vec::new();
            let (_, overlaps) = cluster_zones(&zones, iou, cover, &mut labels);
            let (all_labels, all_overlaps) = cluster_zones_all_pairs(&zones, iou, cover);
            prop_assert_eq!(labels, all_labels);
            // The same pairs in the same order, to the bit: the medoids add them up.
            let bits = |o: &[(u32, u32, f64)]| o.iter().map(|(i, j, v)| (*i, *j, v.to_bits())).collect::<Vec<_>>();
            prop_assert_eq!(bits(&overlaps), bits(&all_overlaps));
        }
    }

    /// Squares only (their boxes are themselves), as in [`arb_zones`].
    fn arb_squares() -> impl Strategy<Value = Vec<Zone>> {
        let square = (0u32..30, 0u32..30, 1u32..12).prop_map(|(x, y, s)| square_m(f64::from(x * 10), f64::from(y * 10), f64::from(s * 10)));
        proptest::collection::vec(square, 0..40).prop_map(|zs| zs.iter().map(|z| Zone::new(z, &frame())).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

        /// Past the cap, pairs are judged by their boxes: for rectangles that is the exact
        /// answer, so the hotspots are the same.
        #[test]
        fn boxes_judge_rectangles_as_the_exact_test_does(zones in arb_squares(), iou in 0.01..1.0f64, cover in 0.01..1.0f64) {
            let (mut exact, mut boxed) = (Vec::new(), Vec::new());
            cluster_zones_capped(&zones, iou, cover, &mut exact, usize::MAX);
            cluster_zones_capped(&zones, iou, cover, &mut boxed, 0);
            prop_assert_eq!(exact, boxed);
        }
    }

    /// The probe's pile: far more zones on one spot than the cap of exact tests. They still
    /// end in one hotspot, and the merge's cost stops growing with the square of their number.
    #[test]
    fn zones_piled_on_one_spot_past_the_cap_still_make_one_hotspot() {
        let blob = |k: usize| {
            let r = 20.0 + (k % 5) as f64;
            let mut ring: Vec<[f64; 2]> =
                (0..8).map(|i| f64::from(i) / 8.0 * std::f64::consts::TAU).map(|a| [100.0 + r * a.cos(), 100.0 + r * a.sin()]).collect();
            ring.push(ring[0]);
            Zone::new(&[route_m(&ring)], &frame())
        };
        let zones: Vec<Zone> = (0..300).map(blob).collect();
        let mut labels = Vec::new();
        let (n, overlaps) = cluster_zones_capped(&zones, 0.3, 0.5, &mut labels, 1_000);
        assert_eq!(n, 1);
        assert_eq!(overlaps.len(), 300 * 299 / 2, "every pair overlaps, the first thousand measured exactly");
    }

    proptest! {
        // Zones arrive validated, but the overlap must not fail even on shapes validation
        // would refuse (bow ties, repeated or collinear corners).
        #[test]
        fn overlaps_are_shares_between_0_and_1(
            a in proptest::collection::vec((0.0..200.0f64, 0.0..200.0f64), 3..7),
            b in proptest::collection::vec((0.0..200.0f64, 0.0..200.0f64), 3..7),
        ) {
            let zone = |pts: &[(f64, f64)]| {
                let mut ring: Vec<[f64; 2]> = pts.iter().map(|(x, y)| [*x, *y]).collect();
                ring.push(ring[0]);
                Zone::new(&[route_m(&ring)], &frame())
            };
            let (za, zb) = (zone(&a), zone(&b));
            let (iou, cover) = zone_overlap(&za, &zb);
            prop_assert!((0.0..=1.0).contains(&iou) && (0.0..=1.0).contains(&cover));
            prop_assert!(iou <= cover + 1e-9);
            let (same, _) = zone_overlap(&za, &za);
            prop_assert!((0.0..=1.0).contains(&same));
        }
    }
}
