//! Benchmarks of the pure core on real data: dissolving Santa Marta's barrio boundaries,
//! generating their demo layers, cutting a city-wide street layer into barrio packs,
//! validating an incoming mark, and making the balance of 327 barrios (the ISCB over 6
//! cuatrimestres). Run with `cargo bench -p cartobarrio`.

use std::hint::black_box;

use app::model::Mark;
use criterion::{criterion_group, criterion_main, Criterion};
use geo::Validation;
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

    // Zones of 200, 1,000 and 5,000 (the limit) vertices: the self-intersection check
    // dominates. Beside them, geo's own `Validation` on the same rings, which compares every
    // pair of segments (what `validate` did before issue 18).
    let mut group = c.benchmark_group("validate a zone");
    group.sample_size(10);
    for n in [200usize, 1_000, 5_000] {
        let zone = zone_feature(n);
        group.bench_function(format!("{n} vertices"), |b| b.iter(|| Mark::from_feature_json(black_box(zone.as_bytes())).is_ok()));
        let mark = Mark::from_feature_json(zone.as_bytes()).expect("a valid zone");
        let Ok(geo::Geometry::Polygon(polygon)) = geo::Geometry::<f64>::try_from(mark.geometry.value) else { panic!("a polygon") };
        group.bench_function(format!("{n} vertices, geo Validation"), |b| b.iter(|| black_box(&polygon).is_valid()));
    }
    // The sweep's worst case: 2,500 long spikes from one centre, whose segments all overlap
    // in x and y with their quadrant's, so it tests about n²/16 pairs (geo's check: n²).
    let urchin = zone_feature_with(5_000, |i| if i % 2 == 0 { 0.001 } else { 0.00002 });
    assert!(Mark::from_feature_json(urchin.as_bytes()).is_ok(), "a valid zone");
    group.bench_function("5000 vertices, spiky (the sweep's worst case)", |b| {
        b.iter(|| Mark::from_feature_json(black_box(urchin.as_bytes())).is_ok())
    });
    group.finish();
}

/// A mark Feature: a circle of `n` vertices (closing one included) about 220 m across.
fn zone_feature(n: usize) -> String {
    zone_feature_with(n, |_| 0.001)
}

/// A mark Feature: a ring of `n` vertices (closing one included) at increasing angles, vertex
/// `i` at `radius(i)` degrees from the centre.
fn zone_feature_with(n: usize, radius: impl Fn(usize) -> f64) -> String {
    let ring: Vec<String> = (0..n)
        .map(|i| {
            let i = i % (n - 1);
            let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            format!("[{},{}]", -74.2 + radius(i) * a.cos(), 11.25 + radius(i) * a.sin())
        })
        .collect();
    format!(
        r#"{{"type":"Feature","id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","geometry":{{"type":"Polygon","coordinates":[[{}]]}},"properties":{{"barrio_id":1,"category":"lote_baldio","created_at_ms":1764000000000}}}}"#,
        ring.join(",")
    )
}

fn santa_marta() -> Vec<(String, geo::MultiPolygon<f64>)> {
    server::seed::parse(server::seed::SANTA_MARTA, "")
        .expect("seed")
        .into_iter()
        .filter_map(|b| match geo::Geometry::<f64>::try_from(b.boundary.value).ok()? {
            geo::Geometry::Polygon(p) => Some((b.code, geo::MultiPolygon::new(vec![p]))),
            geo::Geometry::MultiPolygon(m) => Some((b.code, m)),
            _ => None,
        })
        .collect()
}

fn layers(c: &mut Criterion) {
    let barrios = santa_marta();
    let mut group = c.benchmark_group("layers");
    group.sample_size(10);
    group.bench_function("demo layers for 327 Santa Marta barrios", |b| {
        b.iter(|| barrios.iter().map(|(code, m)| server::import::demo_layers::demo_layers(code, m).feature_count()).sum::<usize>())
    });
    // A city-wide street file: 2,000 streets over the whole of Santa Marta, every 50 m or so.
    let mut features = Vec::new();
    for i in 0..1000 {
        let lat = 11.15 + 0.15 * i as f64 / 1000.0;
        let lon = -74.26 + 0.16 * i as f64 / 1000.0;
        features.push(format!(r#"{{"type":"Feature","properties":{{"name":"Calle {i}"}},"geometry":{{"type":"LineString","coordinates":[[-74.26,{lat}],[-74.10,{lat}]]}}}}"#));
        features.push(format!(r#"{{"type":"Feature","properties":{{"name":"Carrera {i}"}},"geometry":{{"type":"LineString","coordinates":[[{lon},11.15],[{lon},11.30]]}}}}"#));
    }
    let streets = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
    let files = server::import::layers::LayerFiles { streets: Some(streets.as_bytes()), ..Default::default() };
    let options = server::import::layers::LayerOptions::default();
    group.bench_function("cut 2,000 city streets into 327 barrio packs", |b| {
        b.iter(|| server::import::layers::clip_layers(black_box(&barrios), files, &options).map(|(l, _)| l.len()))
    });
    group.finish();
}

/// A city of 327 barrios with the 9 initial indicators as cuatrimestre counts over 6
/// cuatrimestres (2025-C1 to 2026-C3) and each year's population: what a balance reads.
fn balance_inputs() -> (Vec<server::store::ValorVigente>, Vec<server::balance::BarrioBalance>) {
    use app::model::balance::periodo::Periodo;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        // xorshift: the same figures every run, no dependency.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let catalogo = app::model::balance::indicador::catalogo_inicial();
    let import = uuid::Uuid::from_u128(1);
    let periodos: Vec<Periodo> = std::iter::successors(Periodo::new(2025, 1), |p| Some(p.siguiente())).take(6).collect();
    let mut valores = Vec::new();
    let mut barrios = Vec::new();
    for id in 1..=327 {
        barrios.push(server::balance::BarrioBalance {
            id,
            code: format!("b{id}"),
            name: format!("Barrio {id}"),
            comuna: None,
            paso: None,
            inscripciones: 0,
        });
        for anio in ["2025", "2026"] {
            let poblacion = 500.0 + next(20_000) as f64;
            valores.push(server::store::ValorVigente {
                periodo: anio.into(),
                barrio_id: id,
                indicador: "poblacion".into(),
                valor: poblacion,
                importacion: import,
                ejemplo: false,
            });
        }
        for p in &periodos {
            for i in &catalogo {
                valores.push(server::store::ValorVigente {
                    periodo: p.code(),
                    barrio_id: id,
                    indicador: i.code.clone(),
                    valor: next(40) as f64,
                    importacion: import,
                    ejemplo: false,
                });
            }
        }
    }
    (valores, barrios)
}

fn balance(c: &mut Criterion) {
    use app::model::balance::indicador::{catalogo_inicial, Indicador};
    use app::model::balance::iscb::{definicion_inicial, DefinicionIscb};
    let catalogo: Vec<Indicador> = catalogo_inicial()
        .into_iter()
        .map(|d| Indicador {
            code: d.code,
            nombre: d.nombre,
            unidad: d.unidad,
            direccion: d.direccion,
            descripcion: d.descripcion,
            fuente: d.fuente,
            activo: true,
            version: 1,
            updated_at_ms: 0,
            updated_by: "bench".into(),
        })
        .collect();
    let definicion = DefinicionIscb { version: 1, draft: definicion_inicial(), created_at_ms: 0, created_by: "bench".into() };
    let (valores, barrios) = balance_inputs();
    let entrada = server::balance::Entrada {
        municipio: "47001",
        definicion: &definicion,
        catalogo: &catalogo,
        valores: &valores,
        barrios: &barrios,
        periodo: None,
        generado_ms: 0,
    };
    let built = server::balance::armar(entrada).expect("a balance");
    assert_eq!(built.filas.iter().filter(|f| f.puesto.is_some()).count(), 327, "every barrio has an index");
    let mut group = c.benchmark_group("balance");
    group.sample_size(10);
    // One cuatrimestre's index alone, from its aggregated data.
    let ids: std::collections::BTreeSet<i64> = barrios.iter().map(|b| b.id).collect();
    let indicadores = definicion.draft.componentes.iter().map(|c| c.indicador.clone()).collect();
    let series = server::balance::datos::Series::new(&valores, &catalogo, &indicadores, true);
    let periodo = built.periodo;
    let datos = series.agregado(periodo, &ids).expect("data").datos;
    group.bench_function("ISCB of 327 barrios × 9 indicators (calcular)", |b| {
        b.iter(|| app::model::balance::calculo::calcular(&definicion, &catalogo, periodo, black_box(&datos), None).puntajes.len())
    });
    // The whole balance: 6 cuatrimestres aggregated from 17,000 rows, each computed, the rows built.
    group.bench_function("balance of 327 barrios × 9 indicators × 6 cuatrimestres (armar)", |b| {
        b.iter(|| server::balance::armar(black_box(entrada)).map(|b| b.filas.len()))
    });
    group.bench_function("the balance as CSV", |b| b.iter(|| server::balance::csv::balance_csv(black_box(&built)).map(|c| c.len())));
    group.finish();
}

criterion_group!(benches, dissolve, validate_mark, layers, balance);
criterion_main!(benches);
