//! Benchmarks of the pure core on real data: dissolving Santa Marta's barrio boundaries and
//! validating an incoming mark. Run with `cargo bench -p cartobarrio`.

use std::hint::black_box;

use app::model::Mark;
use criterion::{criterion_group, criterion_main, Criterion};
use server::import::{dissolve_barrios, DissolveOptions};

fn dissolve(c: &mut Criterion) {
    // The seed is already one feature per barrio; dissolving it again still unions and checks
    // all 327 real boundaries, which is the costly part of an import.
    let seed = server::seed::SANTA_MARTA.as_bytes();
    c.bench_function("dissolve 327 Santa Marta barrios", |b| {
        b.iter(|| dissolve_barrios(black_box(seed), &DissolveOptions::default()).map(|(barrios, _)| barrios.len()))
    });
}

fn validate_mark(c: &mut Criterion) {
    let point = br#"{"type":"Feature","id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","geometry":{"type":"Point","coordinates":[-74.2051,11.2502]},"properties":{"barrio_id":1,"category":"rinas","description":"","created_at_ms":1764000000000}}"#;
    c.bench_function("validate a point mark", |b| b.iter(|| Mark::from_feature_json(black_box(point)).is_ok()));

    // A 200-vertex zone: the self-intersection check dominates.
    let ring: Vec<String> = (0..=200)
        .map(|i| {
            let a = (i % 200) as f64 / 200.0 * std::f64::consts::TAU;
            format!("[{},{}]", -74.2 + 0.002 * a.cos(), 11.25 + 0.002 * a.sin())
        })
        .collect();
    let zone = format!(
        r#"{{"type":"Feature","id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","geometry":{{"type":"Polygon","coordinates":[[{}]]}},"properties":{{"barrio_id":1,"category":"lote_baldio","created_at_ms":1764000000000}}}}"#,
        ring.join(",")
    );
    c.bench_function("validate a 200-vertex zone", |b| b.iter(|| Mark::from_feature_json(black_box(zone.as_bytes())).is_ok()));
}

criterion_group!(benches, dissolve, validate_mark);
criterion_main!(benches);
