//! Barrio packs and the admin import over HTTP: packs served with versions, imports of other
//! cities' files with per-feature reports, and nothing written when an import is refused.

use serde_json::{json, Value};

use crate::helpers::{fc, import_with, signed_in, spawn_app_with, square, AppOptions, TestApp};

/// Who imports: the admin's client, or another.
enum As<'a> {
    Admin,
    Client(&'a reqwest::Client),
}
use As::Admin;

async fn import(app: &TestApp, who: As<'_>, body: &Value) -> (u16, Value) {
    let client = match who {
        As::Admin => &app.client,
        As::Client(c) => c,
    };
    import_with(app, client, body).await
}

/// A small city with its own conventions: `BARRIO`, `COD`, `COMUNA`, streets in `NOMBRE_VIA`.
fn city() -> Value {
    json!({
        "barrios": fc(vec![
            square(json!({"BARRIO": "Villa Prueba", "COD": "T-1", "COMUNA": "9"}), -75.60, 6.20, 0.003),
            square(json!({"BARRIO": "Alto Prueba", "COD": "T-2", "COMUNA": "9"}), -75.596, 6.20, 0.003),
        ]),
        "streets": fc(vec![json!({"type": "Feature", "properties": {"NOMBRE_VIA": "Calle 50"},
            "geometry": {"type": "LineString", "coordinates": [[-75.61, 6.2015], [-75.58, 6.2015]]}})]),
        "landmarks": fc(vec![json!({"type": "Feature", "properties": {"amenity": "school", "name": "Colegio <b>Prueba</b>"},
            "geometry": {"type": "Point", "coordinates": [-75.5985, 6.2015]}})]),
        "options": {"name_property": "BARRIO", "code_property": "COD", "comuna_property": "COMUNA",
                    "street_name_property": "NOMBRE_VIA", "layer_source": "Vías: archivo de prueba"}
    })
}

async fn barrio_count(app: &TestApp) -> usize {
    let list: Vec<Value> = app.get("/api/v1/barrios").await.json().await.expect("json");
    list.len()
}

#[tokio::test]
async fn every_seeded_barrio_has_a_labelled_demo_pack_revalidated_by_etag() {
    let app = spawn_app_with(AppOptions { with_packs: true, ..Default::default() }).await;
    let infos: Vec<Value> = app.get("/api/v1/packs").await.json().await.expect("json");
    assert_eq!(infos.len(), barrio_count(&app).await);
    assert!(infos.iter().all(|i| i["demo"] == true && i["bytes"].as_i64().unwrap_or(0) > 500 && i["features"].as_i64().unwrap_or(0) > 2));
    let id = app.barrio_id("pescaito").await;
    let res = app.get(&format!("/api/v1/barrios/{id}/pack")).await;
    assert_eq!(res.status().as_u16(), 200);
    let etag = res.headers()["etag"].to_str().expect("etag").to_string();
    let pack: Value = res.json().await.expect("json");
    assert_eq!(pack["format"], 1);
    assert_eq!(pack["barrio"]["code"], "pescaito");
    assert_eq!(pack["layers"]["demo"], true);
    assert!(pack["layers"]["source"].as_str().unwrap_or("").contains("demo"));
    for layer in ["streets", "blocks", "landmarks"] {
        assert!(!pack["layers"][layer]["features"].as_array().expect(layer).is_empty(), "{layer}");
    }
    let again = app.client.get(format!("{}/api/v1/barrios/{id}/pack", app.url)).header("If-None-Match", &etag).send().await.expect("req");
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(app.get("/api/v1/barrios/999999/pack").await.status().as_u16(), 404);
}

#[tokio::test]
async fn the_admin_import_is_for_admins_only() {
    let on = spawn_app_with(AppOptions::default()).await;
    let before = barrio_count(&on).await;
    let (status, body) = import(&on, As::Client(&reqwest::Client::new()), &city()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthorized")), "{body}");
    let staff = signed_in(&on.url, "equipo").await;
    assert_eq!(import(&on, As::Client(&staff), &city()).await.0, 403, "staff review; admins import");
    assert_eq!(barrio_count(&on).await, before, "nothing written");
}

#[tokio::test]
async fn another_citys_barrios_and_streets_become_packs_and_a_second_import_updates_them() {
    let app = spawn_app_with(AppOptions::default()).await;
    let before = barrio_count(&app).await;
    let (status, report) = import(&app, Admin, &city()).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!(report["barrios_added"], 2);
    assert_eq!(report["packs"], 2);
    assert_eq!(report["demo_layers"], 0);
    assert_eq!(barrio_count(&app).await, before + 2);

    let id = app.barrio_id("t-1").await;
    let pack: Value = app.get(&format!("/api/v1/barrios/{id}/pack")).await.json().await.expect("json");
    assert_eq!(pack["version"], 1);
    assert_eq!(pack["barrio"]["name"], "Villa Prueba");
    assert_eq!(pack["barrio"]["comuna"], "9");
    assert_eq!(pack["layers"]["demo"], false);
    assert_eq!(pack["layers"]["source"], "Vías: archivo de prueba");
    assert_eq!(pack["layers"]["streets"]["features"][0]["properties"]["name"], "Calle 50");
    let landmark = &pack["layers"]["landmarks"]["features"][0]["properties"];
    assert_eq!(landmark["kind"], "colegio");
    assert_eq!(landmark["name"], "Colegio <b>Prueba</b>", "kept as text; the app escapes it");

    let (status, report) = import(&app, Admin, &city()).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!(report["barrios_updated"], 2);
    assert_eq!(report["packs"], 0, "the same files: no pack changes");
    assert_eq!(app.barrio_id("t-1").await, id, "same barrio, same id: its marks stay attached");
    let pack: Value = app.get(&format!("/api/v1/barrios/{id}/pack")).await.json().await.expect("json");
    assert_eq!(pack["version"], 1, "so no device downloads it again");

    let mut renamed = city();
    renamed["streets"]["features"][0]["properties"]["NOMBRE_VIA"] = json!("Calle 50A");
    let (status, report) = import(&app, Admin, &renamed).await;
    assert_eq!((status, report["packs"].as_u64()), (201, Some(2)), "{report}");
    let pack: Value = app.get(&format!("/api/v1/barrios/{id}/pack")).await.json().await.expect("json");
    assert_eq!(pack["version"], 2);
}

#[tokio::test]
async fn each_kind_of_invalid_feature_is_reported_and_only_valid_ones_are_imported() {
    let app = spawn_app_with(AppOptions::default()).await;
    let before = barrio_count(&app).await;
    let bow_tie = json!({"type": "Feature", "properties": {"BARRIO": "Corbatín", "COD": "X-2"},
        "geometry": {"type": "Polygon", "coordinates": [[[-75.6, 6.25], [-75.597, 6.253], [-75.597, 6.25], [-75.6, 6.253], [-75.6, 6.25]]]}});
    let open_ring = json!({"type": "Feature", "properties": {"BARRIO": "Abierto", "COD": "X-3"},
        "geometry": {"type": "Polygon", "coordinates": [[[-75.59, 6.25], [-75.587, 6.25], [-75.587, 6.253], [-75.59, 6.253]]]}});
    let body = json!({
        "barrios": fc(vec![
            square(json!({"BARRIO": "Bueno", "COD": "X-1"}), -75.6, 6.26, 0.003),
            bow_tie,
            open_ring,
            json!({"type": "Feature", "properties": {"BARRIO": "Vacío", "COD": "X-4"}, "geometry": {"type": "MultiPolygon", "coordinates": []}}),
            square(json!({"BARRIO": "Otro nombre", "COD": "X-1"}), -75.58, 6.26, 0.003),
            square(json!({"BARRIO": "Proyectado", "COD": "X-5"}), 1_100_000.0, 1_200_000.0, 300.0),
            json!({"type": "Feature", "properties": {"BARRIO": "Roto", "COD": "X-6"}, "geometry": {"type": "Polygon", "coordinates": [[[-75.6, 6.2], [-75.6, 6.2]]]}}),
            square(json!({"COD": "X-7"}), -75.57, 6.26, 0.003),
        ]),
        "options": {"name_property": "BARRIO", "code_property": "COD"}
    });
    let (status, report) = import(&app, Admin, &body).await;
    assert_eq!(status, 201, "{report}");
    let barrios = &report["barrios"];
    let reasons = |key: &str| -> Vec<(u64, String)> {
        barrios[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|n| (n["feature"].as_u64().unwrap_or(99), n["reason"].as_str().unwrap_or("").to_string()))
            .collect()
    };
    let repaired = reasons("repaired");
    let skipped = reasons("skipped");
    let has = |list: &[(u64, String)], feature: u64, words: &str| list.iter().any(|(f, r)| *f == feature && r.contains(words));
    assert!(has(&repaired, 1, "repaired by the union"), "self-intersection: {repaired:?}");
    assert!(has(&repaired, 2, "not closed"), "open ring: {repaired:?}");
    assert!(has(&skipped, 3, "empty"), "empty geometry: {skipped:?}");
    assert!(has(&skipped, 4, "duplicated barrio code X-1"), "duplicated code: {skipped:?}");
    assert!(has(&skipped, 5, "another CRS"), "projected coordinates: {skipped:?}");
    assert!(has(&skipped, 6, "broken ring"), "broken ring: {skipped:?}");
    assert!(has(&skipped, 7, "no name"), "unnamed: {skipped:?}");
    assert_eq!(report["barrios_added"], 3, "Bueno, Corbatín, Abierto");
    assert_eq!(barrio_count(&app).await, before + 3);
}

#[tokio::test]
async fn a_file_refused_as_a_whole_writes_nothing_and_a_dry_run_neither() {
    let app = spawn_app_with(AppOptions::default()).await;
    let before = barrio_count(&app).await;
    let mut projected = city();
    projected["streets"]["crs"] = json!({"type": "name", "properties": {"name": "EPSG:3116"}});
    let (status, body) = import(&app, Admin, &projected).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "invalid_import");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("EPSG:3116"));
    assert_eq!(barrio_count(&app).await, before, "the barrios of the same request were not written either");

    let mut dry = city();
    dry["options"]["dry_run"] = json!(true);
    let (status, report) = import(&app, Admin, &dry).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["barrios_added"], 2);
    assert_eq!(barrio_count(&app).await, before);

    let (status, body) = import(&app, Admin, &json!({"barrios": fc(vec![]), "colour": "red"})).await;
    assert_eq!(status, 400, "unknown members are refused: {body}");
    let (status, body) = import(&app, Admin, &json!({"streets": fc(vec![]), "options": {"margin_m": 5000}})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "options.margin_m");
}

/// The real, messy Santa Marta file, through the command the operator runs. It lives beside
/// the project (`../shared/data`), not in it; where it is absent the test says so and passes.
#[tokio::test]
async fn the_real_santa_marta_file_imports_into_one_clean_boundary_per_barrio() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/santa-marta-barrios-vulnerabilidad.geo.json");
    if !source.exists() {
        eprintln!("skipped: {} is not on this machine", source.display());
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let mut config = crate::helpers::config(dir.path().join("db.sqlite3"));
    config.log = "warn".into();
    let args = server::config::ImportArgs { report: Some(dir.path().join("report.json")), ..crate::helpers::import_args(source) };
    let summary = server::import_command(&config, &args).await.expect("import");
    let barrios = summary.barrios.as_ref().expect("report");
    assert_eq!(barrios.features_read, 1137);
    assert!(barrios.barrios >= 300, "{}", barrios.barrios);
    assert!(!barrios.repaired.is_empty() && !barrios.skipped.is_empty(), "the file's known faults are reported");
    assert_eq!(summary.demo_layers, barrios.barrios);
    let store = server::store::Store::open(&config.db).expect("open");
    for b in store.stored_barrios("47001").await.expect("barrios") {
        use geo::Validation;
        assert!(b.boundary.is_valid(), "{} is valid", b.code);
        assert!(b.has_layers);
    }
    let text = std::fs::read_to_string(dir.path().join("report.json")).expect("report written");
    assert!(text.contains("\"skipped\""));
    // The reviewed names, under the codes the source's names give.
    let listed = store.list_barrios().await.expect("list");
    let name = |code: &str| listed.iter().find(|b| b.code == code).map(|b| b.name.clone());
    assert_eq!(name("pescaito").as_deref(), Some("Pescaíto"));
    assert_eq!(name("ca-averal").as_deref(), Some("Cañaveral"));
    assert!(listed.iter().all(|b| !server::import::name_fixes::looks_garbled(&b.name)), "no garbled name left");
    assert!(!barrios.notes.iter().any(|n| n.contains("looks garbled")), "every garbled name of the file is in the table");

    // Into a database seeded from it, with a mark in every barrio: the same boundaries (the
    // seed differs only in the 8th decimal here and there), so nothing is refused.
    let seeded = crate::helpers::config(dir.path().join("seeded.sqlite3"));
    let store = server::store::Store::open(&seeded.db).expect("open");
    server::seed::seed_if_empty(&store).await.expect("seed");
    server::seed::fill_missing_layers(&store).await.expect("packs");
    let before = store.pack_infos().await.expect("packs");
    for (n, b) in store.list_barrios().await.expect("barrios").iter().enumerate() {
        let centre = store.barrio(b.id).await.expect("barrio").and_then(|b| b.bbox()).expect("bbox");
        let mark = app::model::Mark::new_point(
            uuid::Uuid::from_u128(n as u128 + 1),
            b.id,
            "hurto_personas",
            (centre[0] + centre[2]) / 2.0,
            (centre[1] + centre[3]) / 2.0,
            1_764_000_000_000,
        );
        store.store_record(app::model::Record::Mark(mark)).await.expect("mark");
    }
    drop(store);
    let args = server::config::ImportArgs { report: None, barrio_source: server::seed::SANTA_MARTA_SOURCE.into(), ..args };
    let summary = server::import_command(&seeded, &args).await.expect("the same file over its own seed");
    assert_eq!((summary.barrios_updated, summary.barrios_added, summary.refused.len()), (barrios.barrios, 0, 0));
    // Only the few barrios whose seed differs in the 8th decimal get a new pack.
    assert!(summary.packs <= 5, "{} packs changed", summary.packs);
    let store = server::store::Store::open(&seeded.db).expect("open");
    let after = store.pack_infos().await.expect("packs");
    let changed = before.iter().zip(&after).filter(|(b, a)| b.version != a.version).count();
    assert_eq!(changed, summary.packs);
}
