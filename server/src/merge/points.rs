//! Points: the local metric frame, and single-linkage clustering of points within a radius
//! (DBSCAN with `min_points` 1: every point is in exactly one cluster).
//!
//! The index is a grid hash, not an R-tree: both were measured on the benchmark's data
//! (`cargo bench -p cartobarrio --bench merge -- "point index"`) and the grid was ten times
//! faster (see the numbers in [`super`]). The R-tree version stays, public but hidden, so
//! that the comparison can be re-run, and as a second oracle for the tests.

use std::f64::consts::SQRT_2;

/// A local metric frame: equirectangular around a reference point, with the WGS84
/// ellipsoid's radii of curvature at the reference latitude (meridional for north–south,
/// prime vertical for east–west). Within 5 km of the reference latitude the east–west scale
/// is off by at most `tan φ0 · Δφ` ≈ 0.015 % at Santa Marta's 11° N, under 1 cm on a 50 m
/// radius; north–south and the difference from true geodesic distances are far smaller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    lon0: f64,
    lat0: f64,
    kx: f64,
    ky: f64,
}

impl Frame {
    pub fn new(lon0: f64, lat0: f64) -> Frame {
        const A: f64 = 6_378_137.0;
        const E2: f64 = 6.694_379_990_14e-3;
        let phi = lat0.to_radians();
        let w = (1.0 - E2 * phi.sin().powi(2)).sqrt();
        let n = A / w;
        let m = A * (1.0 - E2) / (w * w * w);
        let deg = std::f64::consts::PI / 180.0;
        Frame { lon0, lat0, kx: n * phi.cos() * deg, ky: m * deg }
    }

    /// Metres east and north of the reference.
    #[inline]
    pub fn to_m(&self, lon: f64, lat: f64) -> [f64; 2] {
        [(lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky]
    }

    /// The inverse of [`Frame::to_m`].
    #[inline]
    pub fn to_lonlat(&self, p: [f64; 2]) -> [f64; 2] {
        [self.lon0 + p[0] / self.kx, self.lat0 + p[1] / self.ky]
    }
}

/// Up to this many points, comparing every pair (no sorting, no cells) is as fast as the grid.
/// Measured on the benchmark's 1 M points: any threshold from 16 to 64 gives the same total
/// within the noise; 128 costs 10 %, 256 costs 30 %.
const ALL_PAIRS_MAX: usize = 32;

/// A union-find over `0..n` with path halving; the root of a set is its smallest member.
#[derive(Debug, Default)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub(crate) fn reset(&mut self, n: usize) {
        self.parent.clear();
        self.parent.extend(0..n as u32);
    }

    #[inline]
    pub(crate) fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i
    }

    #[inline]
    pub(crate) fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }

    /// Numbers the sets 0, 1, ... in the order of their first member and writes each
    /// member's set into `labels`; returns how many sets there are.
    pub(crate) fn labels(&mut self, labels: &mut Vec<u32>) -> u32 {
        let n = self.parent.len();
        labels.clear();
        labels.resize(n, u32::MAX);
        let mut next = 0;
        for i in 0..n as u32 {
            let root = self.find(i);
            // The root is the smallest member, so it was labelled first.
            let label = if root == i {
                next += 1;
                next - 1
            } else {
                labels[root as usize]
            };
            labels[i as usize] = label;
        }
        next
    }
}

/// Reusable buffers of the grid clustering.
#[derive(Debug, Default)]
pub(crate) struct PointScratch {
    pub(crate) uf: UnionFind,
    keyed: Vec<(i64, i64, u32)>,
    /// Cells as (cx, cy, first index in `keyed`, end).
    cells: Vec<(i64, i64, u32, u32)>,
}

/// `v.floor() as i64` without a call to the C library's `floor`, which the baseline x86-64
/// target makes.
#[inline]
fn floor(v: f64) -> i64 {
    let t = v as i64;
    if (t as f64) > v {
        t - 1
    } else {
        t
    }
}

#[inline]
fn d2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

/// Links every two points at most `radius` apart (`dx² + dy² ≤ radius²`, in the frame's
/// metres) and labels the connected sets 0, 1, ... by their first point; returns the number
/// of sets. `radius` must be positive and finite.
pub(crate) fn cluster(xy: &[[f64; 2]], radius: f64, s: &mut PointScratch, labels: &mut Vec<u32>) -> u32 {
    let n = xy.len();
    s.uf.reset(n);
    let r2 = radius * radius;
    if n <= ALL_PAIRS_MAX {
        for i in 0..n {
            for j in i + 1..n {
                if d2(xy[i], xy[j]) <= r2 {
                    s.uf.union(i as u32, j as u32);
                }
            }
        }
        return s.uf.labels(labels);
    }
    // Cells a little smaller than radius/√2: any two points in one cell are closer than the
    // radius, so a cell is linked without looking at its pairs, and a dense hotspot costs
    // one pass. A point's neighbours within the radius lie in the 5 × 5 cells around its own.
    let side = radius / SQRT_2 * (1.0 - 1e-9);
    s.keyed.clear();
    s.keyed.extend(xy.iter().enumerate().map(|(i, p)| (floor(p[0] / side), floor(p[1] / side), i as u32)));
    s.keyed.sort_unstable();
    s.cells.clear();
    let mut start = 0;
    for k in 1..=n {
        if k == n || (s.keyed[k].0, s.keyed[k].1) != (s.keyed[start].0, s.keyed[start].1) {
            s.cells.push((s.keyed[start].0, s.keyed[start].1, start as u32, k as u32));
            let first = s.keyed[start].2;
            for m in start + 1..k {
                s.uf.union(first, s.keyed[m].2);
            }
            start = k;
        }
    }
    // Each pair of neighbouring cells once: the cells after this one in its column, then the
    // next two columns, found by pointers that only move forward (cells are sorted).
    let cells = &s.cells;
    let keyed = &s.keyed;
    let uf = &mut s.uf;
    let link = |a: usize, b: usize, uf: &mut UnionFind| {
        let (ca, cb) = (cells[a], cells[b]);
        let (fa, fb) = (keyed[ca.2 as usize].2, keyed[cb.2 as usize].2);
        if uf.find(fa) == uf.find(fb) {
            return;
        }
        for ka in &keyed[ca.2 as usize..ca.3 as usize] {
            let pa = xy[ka.2 as usize];
            if keyed[cb.2 as usize..cb.3 as usize].iter().any(|kb| d2(pa, xy[kb.2 as usize]) <= r2) {
                uf.union(fa, fb);
                return;
            }
        }
    };
    // column[0] and column[1]: the first cell not before (cx + 1, cy - 2) and (cx + 2, cy - 2).
    let mut column = [0usize; 2];
    for a in 0..cells.len() {
        let (cx, cy) = (cells[a].0, cells[a].1);
        let mut b = a + 1;
        while b < cells.len() && cells[b].0 == cx && cells[b].1 <= cy + 2 {
            link(a, b, uf);
            b += 1;
        }
        for (p, dx) in column.iter_mut().zip(1..=2) {
            while *p < cells.len() && (cells[*p].0, cells[*p].1) < (cx + dx, cy - 2) {
                *p += 1;
            }
            let mut b = *p;
            while b < cells.len() && cells[b].0 == cx + dx && cells[b].1 <= cy + 2 {
                link(a, b, uf);
                b += 1;
            }
        }
    }
    uf.labels(labels)
}

/// [`cluster`] with its own buffers: the labels of `xy`'s points. For the benchmark that
/// compares the grid with an R-tree.
#[doc(hidden)]
pub fn cluster_points_grid(xy: &[[f64; 2]], radius: f64) -> Vec<u32> {
    let mut labels = Vec::new();
    cluster(xy, radius, &mut PointScratch::default(), &mut labels);
    labels
}

/// The same clustering with an `rstar` R-tree (bulk-loaded, one radius query per point):
/// kept for the benchmark and as a test oracle; the grid is faster.
#[doc(hidden)]
pub fn cluster_points_rstar(xy: &[[f64; 2]], radius: f64) -> Vec<u32> {
    use rstar::primitives::GeomWithData;
    let tree = rstar::RTree::bulk_load(xy.iter().enumerate().map(|(i, p)| GeomWithData::new(*p, i as u32)).collect());
    let mut uf = UnionFind::default();
    uf.reset(xy.len());
    let r2 = radius * radius;
    for (i, p) in xy.iter().enumerate() {
        for near in tree.locate_within_distance(*p, r2) {
            if near.data > i as u32 {
                uf.union(i as u32, near.data);
            }
        }
    }
    let mut labels = Vec::new();
    uf.labels(&mut labels);
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(xy: &[[f64; 2]], radius: f64) -> Vec<u32> {
        let mut uf = UnionFind::default();
        uf.reset(xy.len());
        for i in 0..xy.len() {
            for j in i + 1..xy.len() {
                if d2(xy[i], xy[j]) <= radius * radius {
                    uf.union(i as u32, j as u32);
                }
            }
        }
        let mut labels = Vec::new();
        uf.labels(&mut labels);
        labels
    }

    #[test]
    fn the_frame_measures_metres() {
        let f = Frame::new(-74.2, 11.24);
        // One degree of latitude at 11° N is 110.6 km; of longitude, 109.3 km.
        assert!((f.to_m(-74.2, 12.24)[1] - 110_605.0).abs() < 50.0, "{:?}", f.to_m(-74.2, 12.24));
        assert!((f.to_m(-73.2, 11.24)[0] - 109_240.0).abs() < 100.0, "{:?}", f.to_m(-73.2, 11.24));
        let back = f.to_lonlat(f.to_m(-74.21, 11.25));
        assert!((back[0] + 74.21).abs() < 1e-12 && (back[1] - 11.25).abs() < 1e-12);
    }

    #[test]
    fn floor_rounds_down() {
        for v in [-2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.5, 1e12 + 0.5, -1e12 - 0.5] {
            assert_eq!(floor(v), v.floor() as i64, "{v}");
        }
    }

    #[test]
    fn labels_follow_the_first_member() {
        let xy = [[0.0, 0.0], [1000.0, 0.0], [10.0, 0.0], [1010.0, 0.0], [5000.0, 0.0]];
        assert_eq!(cluster_points_grid(&xy, 50.0), vec![0, 1, 0, 1, 2]);
    }

    #[test]
    fn a_dense_cloud_is_one_cluster_and_far_points_stay_apart() {
        let mut xy: Vec<[f64; 2]> = (0..500).map(|i| [(i % 23) as f64 * 1.5, (i / 23) as f64 * 1.5]).collect();
        xy.push([500.0, 500.0]);
        let labels = cluster_points_grid(&xy, 50.0);
        assert!(labels[..500].iter().all(|l| *l == 0));
        assert_eq!(labels[500], 1);
    }

    #[test]
    fn the_radius_is_inclusive_on_the_grid_too() {
        // 100 points on a line exactly 50 m apart (in binary-exact steps), and a second line
        // 50.000001 m apart: the first is one cluster, the second 100.
        let on: Vec<[f64; 2]> = (0..100).map(|i| [i as f64 * 50.0, 0.0]).collect();
        assert!(cluster_points_grid(&on, 50.0).iter().all(|l| *l == 0));
        let off: Vec<[f64; 2]> = (0..100).map(|i| [i as f64 * 50.000_001, 0.0]).collect();
        assert_eq!(cluster_points_grid(&off, 50.0), (0..100).collect::<Vec<u32>>());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn grid_rtree_and_all_pairs_agree(
            pts in proptest::collection::vec((-400.0..400.0f64, -400.0..400.0f64), 0..300),
            radius in 1.0..120.0f64,
        ) {
            let xy: Vec<[f64; 2]> = pts.into_iter().map(|(x, y)| [x, y]).collect();
            let expected = brute(&xy, radius);
            prop_assert_eq!(&cluster_points_grid(&xy, radius), &expected);
            prop_assert_eq!(&cluster_points_rstar(&xy, radius), &expected);
        }
    }
}
