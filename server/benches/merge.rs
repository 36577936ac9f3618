//! Benchmarks of the merge engine (issue 7): the diagnósticos of 600 barrios from 10 k, 100 k
//! and 1 M point marks, and of one barrio from 5 k, on the deterministic data of
//! `server::merge::synthetic` (the layout of `bench/compare/generate.mjs`, whose 1 M points
//! supercluster indexes in about half a second). Also the grid against an `rstar` R-tree for
//! the point clustering alone, and the routes and zones of issue 18's probe (hundreds of
//! 140-vertex shapes in one barrio and category, with and without a few of 5,000 vertices).
//! Run with `cargo bench -p cartobarrio --bench merge`.
//!
//! The time is `merge_all` from `&[Mark]` (reading the GeoJSON positions included) to the
//! finished `Vec<Diagnostico>`; freeing the result afterwards is not timed
//! (`iter_with_large_drop`), as a garbage-collected index build does not time its collection
//! either. `cargo run --release -p cartobarrio --example merge_memory -- 1m` prints the drop
//! time and the peak memory.

use std::hint::black_box;

use app::model::{Mark, MergeParams};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use server::merge::{cluster_points_grid, cluster_points_rstar, merge, merge_all, synthetic, Frame};

fn city(c: &mut Criterion) {
    let params = MergeParams::default();
    let mut group = c.benchmark_group("merge");
    group.sample_size(10);
    for (label, n) in [("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000)] {
        let data = synthetic::city(n, synthetic::DEFAULT_SEED);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("600 barrios", label), &data, |b, d| {
            b.iter_with_large_drop(|| merge_all(black_box(&d.marks), &d.causes, &d.solutions, &params))
        });
    }
    let data = synthetic::one_barrio(5_000, synthetic::DEFAULT_SEED);
    group.throughput(Throughput::Elements(5_000));
    group.bench_with_input(BenchmarkId::new("one barrio", "5k"), &data, |b, d| {
        b.iter_with_large_drop(|| merge(1, black_box(&d.marks), &d.causes, &d.solutions, &params))
    });
    group.finish();
}

/// The points of `marks` in metres, grouped by (barrio, category) as the engine clusters them.
fn groups(marks: &[Mark]) -> Vec<Vec<[f64; 2]>> {
    let mut by: std::collections::BTreeMap<(i64, &str), Vec<[f64; 2]>> = Default::default();
    let frame = Frame::new(-74.18, 11.24);
    for m in marks.iter().filter(|m| !m.deleted) {
        let (lon, lat) = m.point().expect("points");
        by.entry((m.barrio_id, m.category.as_str())).or_default().push(frame.to_m(lon, lat));
    }
    by.into_values().collect()
}

fn point_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("point index");
    group.sample_size(10);
    let data = synthetic::city(1_000_000, synthetic::DEFAULT_SEED);
    let groups = groups(&data.marks);
    drop(data);
    group.bench_function("grid, 1M points in (barrio, category) groups", |b| {
        b.iter(|| groups.iter().map(|g| cluster_points_grid(black_box(g), 50.0).len()).sum::<usize>())
    });
    group.bench_function("rstar, 1M points in (barrio, category) groups", |b| {
        b.iter(|| groups.iter().map(|g| cluster_points_rstar(black_box(g), 50.0).len()).sum::<usize>())
    });
    // One big group: 20 k points over the whole city, categories ignored.
    let frame = Frame::new(-74.18, 11.24);
    let one: Vec<[f64; 2]> = synthetic::city(20_000, synthetic::DEFAULT_SEED)
        .marks
        .iter()
        .map(|m| m.point().expect("points"))
        .map(|(lon, lat)| frame.to_m(lon, lat))
        .collect();
    group.bench_function("grid, 20k points in one group", |b| b.iter(|| cluster_points_grid(black_box(&one), 50.0).len()));
    group.bench_function("rstar, 20k points in one group", |b| b.iter(|| cluster_points_rstar(black_box(&one), 50.0).len()));
    group.finish();
}

fn shapes(c: &mut Criterion) {
    let params = MergeParams::default();
    let mut group = c.benchmark_group("shapes");
    group.sample_size(10);
    // 750 shapes over 1.5 km, then four times as many over four times the area (the same
    // density), then the 750 with three zones and routes at the vertex limit; and 200 drawn
    // on one spot, where every pair overlaps, and 750 there.
    let loads = [
        ("750 zones and 750 routes of 140 vertices over 1.5 km", 750, 0, 1_500.0),
        ("3,000 zones and 3,000 routes of 140 vertices over 3 km", 3_000, 0, 3_000.0),
        ("750 + 3 of 5,000 vertices over 1.5 km", 750, 3, 1_500.0),
        ("200 zones and 200 routes of 140 vertices on one spot", 200, 0, 61.0),
        // Past the cap of exact zone tests and of routes weighed for a medoid (issue 18).
        ("750 zones and 750 routes of 140 vertices on one spot", 750, 0, 61.0),
    ];
    for (label, small, big, side) in loads {
        let marks = synthetic::shape_load(small, 140, big, 5_000, side, synthetic::DEFAULT_SEED);
        group.bench_with_input(BenchmarkId::new("one barrio", label), &marks, |b, m| {
            b.iter_with_large_drop(|| merge(1, black_box(m), &[], &[], &params))
        });
    }
    group.finish();
}

criterion_group!(benches, city, point_index, shapes);
criterion_main!(benches);
