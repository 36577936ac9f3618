//! The downloads of a diagnóstico beyond its hotspots: the GeoPackage, read back by GDAL's
//! `ogrinfo` (a reader we did not write), and the source marks as GeoJSON and CSV, each mark
//! in the version the diagnóstico was made from.

use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::{centre_of, spawn_app, TestApp};

/// Two thefts a few metres apart and one 110 m away (two point hotspots), two dark streets
/// along the same block (one route hotspot) and one vacant lot (one zone hotspot).
struct Seeded {
    barrio: i64,
    point_ids: [&'static str; 3],
    centre: (f64, f64),
}

const POINT_IDS: [&str; 3] =
    ["01937f3a-1b2c-7d4e-8f50-6a7b8c9d0a01", "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0a02", "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0a03"];
const ROUTE_IDS: [&str; 2] = ["01937f3a-1b2c-7d4e-8f50-6a7b8c9d0b01", "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0b02"];
const ZONE_ID: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0c01";

/// A mark Feature of protocol 1 at `version`, with attributes and a description.
fn mark(id: &str, barrio: i64, category: &str, geometry: Value, version: u32, description: &str) -> String {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": geometry,
        "properties": {
            "barrio_id": barrio, "category": category, "description": description,
            "created_at_ms": 1_764_000_000_000_i64, "alias": "Vecina de la 5",
            "times": ["noche", "madrugada"], "frequency": "frecuente", "affected": ["jovenes"],
            "version": version, "updated_at_ms": if version > 1 { 1_764_000_000_000_i64 + i64::from(version) * 60_000 } else { 0 },
        }
    })
    .to_string()
}

async fn post(app: &TestApp, body: String) {
    let (status, answer) = app.post_mark(body).await;
    assert!(status == 201 || status == 200, "{status} {answer}");
}

async fn seed(app: &TestApp) -> Seeded {
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(app, barrio).await;
    for (id, (dx, dy)) in POINT_IDS.iter().zip([(0.0, 0.0), (0.0001, 0.0), (0.001, 0.0)]) {
        let point = json!({"type": "Point", "coordinates": [lon + dx, lat + dy]});
        post(app, mark(id, barrio, "hurto_personas", point, 1, "Le quitan el celular")).await;
    }
    for (id, dy) in ROUTE_IDS.iter().zip([0.0, 0.00005]) {
        let line = json!({"type": "LineString", "coordinates": [[lon, lat + dy], [lon + 0.0008, lat + dy], [lon + 0.0016, lat + dy]]});
        post(app, mark(id, barrio, "alumbrado_deficiente", line, 1, "Sin luz")).await;
    }
    let (x0, y0, x1, y1) = (lon - 0.0003, lat - 0.0003, lon + 0.0003, lat + 0.0003);
    let zone = json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]});
    post(app, mark(ZONE_ID, barrio, "lote_baldio", zone, 1, "Lote con maleza")).await;
    Seeded { barrio, point_ids: POINT_IDS, centre: (lon, lat) }
}

async fn generate(app: &TestApp, barrio: i64) -> Value {
    let (status, stored) = app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), r#"{"created_by":"Ana"}"#).await;
    assert_eq!(status, 201, "{stored}");
    stored
}

/// A download: status, content type, content disposition, bytes.
async fn download(app: &TestApp, path: &str) -> (u16, String, String, Vec<u8>) {
    let res = app.get(&format!("/api/v1{path}")).await;
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (status, content_type, disposition) = (res.status().as_u16(), header("content-type"), header("content-disposition"));
    (status, content_type, disposition, res.bytes().await.expect("body").to_vec())
}

/// What `ogrinfo -ro -al [-so] FILE` prints, after checking it exited 0 with no error or
/// warning. Fails (never skips) when GDAL is missing: scripts/setup.sh installs it.
fn run_ogrinfo(path: &std::path::Path, summary: bool) -> String {
    let mut command = Command::new("ogrinfo");
    command.args(["-ro", "-al"]);
    if summary {
        command.arg("-so");
    }
    let out = command.arg(path).output().unwrap_or_else(|e| {
        panic!("ogrinfo (GDAL) could not run ({e}): install Debian's gdal-bin, as scripts/setup.sh does for the tests")
    });
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "ogrinfo failed: {text}");
    assert!(!text.lines().any(|l| l.contains("ERROR") || l.starts_with("Warning")), "ogrinfo complained: {text}");
    text
}

/// `(layer, geometry, feature count)` of each layer `ogrinfo -ro -so -al` lists, and its
/// whole output.
fn ogrinfo(path: &std::path::Path) -> (Vec<(String, String, u64)>, String) {
    let text = run_ogrinfo(path, true);
    let mut layers = Vec::new();
    for block in text.split("Layer name: ").skip(1) {
        let name = block.lines().next().unwrap_or_default().trim().to_string();
        let field = |key: &str| block.lines().find_map(|l| l.strip_prefix(key)).unwrap_or_default().trim().to_string();
        let count = field("Feature Count: ").parse().unwrap_or_else(|_| panic!("feature count of {name}: {text}"));
        layers.push((name, field("Geometry: "), count));
    }
    (layers, text)
}

#[tokio::test]
async fn the_geopackage_has_a_layer_per_geometry_type_that_gdal_reads() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let stored = generate(&app, seeded.barrio).await;
    let kinds: Vec<_> =
        stored["diagnostico"]["hotspots"].as_array().expect("hotspots").iter().map(|h| h["geometry_kind"].clone()).collect();
    assert_eq!(kinds.len(), 4, "two point hotspots, one route, one zone: {kinds:?}");

    let (status, content_type, disposition, bytes) =
        download(&app, &format!("/barrios/{}/diagnosticos/1/diagnostico.gpkg", seeded.barrio)).await;
    assert_eq!((status, content_type.as_str()), (200, "application/geopackage+sqlite3"));
    assert_eq!(disposition, "attachment; filename=\"diagnostico-pescaito-v1.gpkg\"");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("diagnostico.gpkg");
    std::fs::write(&path, &bytes).expect("write the download");

    let (layers, text) = ogrinfo(&path);
    eprintln!("{text}");
    let expected = [
        ("puntos_criticos", "Point", 2),
        ("rutas_criticas", "Line String", 1),
        ("zonas_criticas", "Polygon", 1),
        ("marcas_puntos", "Point", 3),
        ("marcas_rutas", "Line String", 2),
        ("marcas_zonas", "Polygon", 1),
    ];
    let mut got: Vec<_> = layers.iter().map(|(n, g, c)| (n.as_str(), g.as_str(), *c)).collect();
    got.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(got, want, "{text}");
    assert!(!text.lines().any(|l| l.contains("ERROR")), "ogrinfo reported an error: {text}");
    assert!(text.contains("using driver `GPKG' successful"), "{text}");
    assert!(text.contains("hotspot_id: String") && text.contains("categoria_es: String"), "{text}");
    assert!(text.contains("EPSG\",4326") || text.contains("WGS 84"), "the layers are in WGS84: {text}");
    // The summary reads counts and extents from the metadata: read every feature too, so
    // GDAL decodes each geometry blob.
    let full = run_ogrinfo(&path, false);
    assert_eq!(full.matches("OGRFeature(").count(), 10, "{full}");
    let geometries = |prefix: &str| full.lines().filter(|l| l.trim_start().starts_with(prefix)).count();
    assert_eq!((geometries("POINT ("), geometries("LINESTRING ("), geometries("POLYGON ((")), (5, 3, 2), "{full}");

    // The file as a database: the two pragmas that make it a GeoPackage 1.3.
    let c = rusqlite::Connection::open(&path).expect("open");
    let pragma = |name: &str| c.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).expect(name);
    assert_eq!((pragma("application_id"), pragma("user_version")), (0x4750_4B47, 10300));
    // Each mark points at its hotspot.
    let theft_hotspot: String =
        c.query_row("SELECT hotspot_id FROM marcas_puntos WHERE id = ?1", [seeded.point_ids[0]], |r| r.get(0)).expect("mark row");
    let hotspot_marks: i64 =
        c.query_row("SELECT marcas FROM puntos_criticos WHERE hotspot_id = ?1", [&theft_hotspot], |r| r.get(0)).expect("hotspot row");
    assert_eq!(hotspot_marks, 2);
    let (lon, lat) = seeded.centre;
    let (min_x, max_x): (f64, f64) = c
        .query_row("SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'marcas_puntos'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("bounds");
    assert!((min_x - lon).abs() < 1e-6 && (max_x - (lon + 0.001)).abs() < 1e-6, "bounds {min_x}..{max_x} around {lon},{lat}");
    drop(c);
    drop(dir);
}

#[tokio::test]
async fn source_marks_download_as_geojson_and_csv_in_the_version_the_diagnostico_used() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    let first = generate(&app, seeded.barrio).await;
    // After the first diagnóstico, a theft is edited (version 2), and the second one sees it.
    let (lon, lat) = seeded.centre;
    let point = json!({"type": "Point", "coordinates": [lon, lat]});
    post(&app, mark(seeded.point_ids[0], seeded.barrio, "hurto_personas", point, 2, "Editada: dos motos")).await;
    let second = generate(&app, seeded.barrio).await;
    assert_eq!(second["number"], 2);

    let path = |n: u32, file: &str| format!("/barrios/{}/diagnosticos/{n}/{file}", seeded.barrio);
    let (status, content_type, disposition, bytes) = download(&app, &path(1, "marks.geojson")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/geo+json"));
    assert_eq!(disposition, "attachment; filename=\"diagnostico-pescaito-v1-marcas.geojson\"");
    let fc: geojson::FeatureCollection = String::from_utf8(bytes).expect("utf-8").parse().expect("RFC 7946 GeoJSON");
    assert_eq!(fc.features.len(), 6);
    let hotspots: Vec<String> =
        first["diagnostico"]["hotspots"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap_or_default().to_string()).collect();
    for f in &fc.features {
        let p = f.properties.as_ref().expect("properties");
        let hotspot = p["hotspot_id"].as_str().expect("hotspot_id");
        assert!(hotspots.iter().any(|h| h == hotspot), "{hotspot} is a hotspot of diagnóstico 1");
    }
    let edited = |fc: &geojson::FeatureCollection| {
        let f =
            fc.features.iter().find(|f| f.id == Some(geojson::feature::Id::String(seeded.point_ids[0].into()))).expect("the edited mark");
        let p = f.properties.as_ref().expect("properties");
        (p["version"].as_u64(), p["descripcion"].as_str().map(String::from))
    };
    assert_eq!(edited(&fc), (Some(1), Some("Le quitan el celular".into())), "diagnóstico 1 was made from version 1");
    let (_, _, _, bytes) = download(&app, &path(2, "marks.geojson")).await;
    let fc2: geojson::FeatureCollection = String::from_utf8(bytes).expect("utf-8").parse().expect("GeoJSON");
    assert_eq!(edited(&fc2), (Some(2), Some("Editada: dos motos".into())));

    let (status, content_type, disposition, bytes) = download(&app, &path(1, "marks.csv")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    assert_eq!(disposition, "attachment; filename=\"diagnostico-pescaito-v1-marcas.csv\"");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().expect("header").iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 6);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name} in {header:?}"));
    let (hotspot, moment, kind) = (column("hotspot_id"), column("momento_del_dia"), column("tipo"));
    assert!(rows.iter().all(|r| hotspots.iter().any(|h| Some(h.as_str()) == r.get(hotspot))));
    assert!(rows.iter().all(|r| r.get(moment) == Some("Noche, Madrugada")));
    let mut kinds: Vec<&str> = rows.iter().filter_map(|r| r.get(kind)).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["punto", "punto", "punto", "ruta", "ruta", "zona"]);
}

#[tokio::test]
async fn exports_of_a_missing_version_are_not_found() {
    let app = spawn_app().await;
    let seeded = seed(&app).await;
    generate(&app, seeded.barrio).await;
    for file in ["diagnostico.gpkg", "marks.geojson", "marks.csv"] {
        let (status, body) = app.get_json(&format!("/barrios/{}/diagnosticos/2/{file}", seeded.barrio)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{file}");
        assert_eq!(app.get_json(&format!("/barrios/424242/diagnosticos/1/{file}")).await.0, 404, "{file}");
    }
}
