//! Hostile and mistaken imports (issue 18): another city's barrios with the same codes,
//! boundaries that would move under their marks, garbage names, far pieces, huge boundaries,
//! empty layers, dry runs that must touch no file, and code properties that identify nothing.

use serde_json::{json, Value};

use crate::helpers::{fc, import_args, import_with, spawn_app, spawn_app_with, square, AppOptions, MarkBuilder, TestApp};

async fn import(app: &TestApp, body: &Value) -> (u16, Value) {
    import_with(app, &app.client, body).await
}

async fn barrios(app: &TestApp) -> Vec<Value> {
    app.get("/api/v1/barrios").await.json().await.expect("json")
}

async fn boundary(app: &TestApp, id: i64) -> Value {
    let b: Value = app.get(&format!("/api/v1/barrios/{id}")).await.json().await.expect("json");
    b["boundary"].clone()
}

/// Barranquilla's barrios that share their codes with Santa Marta's, 70 km west of them.
pub(crate) fn barranquilla() -> Value {
    fc(vec![
        square(json!({"name": "EL PRADO"}), -74.80, 10.99, 0.004),
        square(json!({"name": "EL CARMEN"}), -74.795, 10.99, 0.004),
        square(json!({"name": "SIMON BOLIVAR"}), -74.79, 10.99, 0.004),
    ])
}

#[tokio::test]
async fn a_second_city_sharing_codes_adds_its_own_barrios_and_never_moves_santa_martas() {
    let app = spawn_app().await;
    let before = barrios(&app).await;
    let prado = app.barrio_id("el-prado").await;
    let prado_boundary = boundary(&app, prado).await;
    assert!(before.iter().all(|b| b["municipio"] == "47001"), "the seed is Santa Marta's");

    // Into Santa Marta (the default) by mistake: refused as a whole, each barrio listed.
    let (status, body) = import(&app, &json!({"barrios": barranquilla()})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!((body["error"]["code"].as_str(), body["error"]["field"].as_str()), (Some("import_refused"), Some("options.replace")));
    assert!(body["error"]["message"].as_str().unwrap_or("").starts_with("Importación rechazada"), "{body}");
    let refused = body["report"]["refused"].as_array().expect("refused list");
    assert_eq!(refused.len(), 3, "{body}");
    for r in refused {
        assert!(r["moved_m"].as_f64().unwrap_or(0.0) > 50_000.0, "{r}");
        assert_eq!(r["overlaps"], false);
        assert!(r["reason"].as_str().unwrap_or("").contains("does not overlap"), "{r}");
    }
    assert!(refused.iter().any(|r| r["code"] == "el-prado" && r["name"] == "El Prado"));
    assert_eq!(boundary(&app, prado).await, prado_boundary, "nothing written");

    // Into Barranquilla: three new barrios beside Santa Marta's.
    let (status, report) = import(&app, &json!({"barrios": barranquilla(), "options": {"municipio": "08001"}})).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!((report["barrios_added"].as_u64(), report["barrios_updated"].as_u64()), (Some(3), Some(0)), "{report}");
    assert_eq!(report["municipio"], "08001");
    let after = barrios(&app).await;
    assert_eq!(after.len(), before.len() + 3);
    let prados: Vec<&str> = after.iter().filter(|b| b["code"] == "el-prado").filter_map(|b| b["municipio"].as_str()).collect();
    assert_eq!(prados.len(), 2);
    assert!(prados.contains(&"47001") && prados.contains(&"08001"));
    assert_eq!(boundary(&app, prado).await, prado_boundary, "Santa Marta's El Prado stays where it is");
    let one_city = |m: &'static str| {
        let app = &app;
        async move { app.get_json(&format!("/barrios?municipio={m}")).await }
    };
    let (status, list) = one_city("08001").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(|l| l.iter().filter(|b| b["municipio"] == "08001").count()), Some(3), "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    assert_eq!(one_city("47001").await.1.as_array().map(Vec::len), Some(before.len()));
    let (status, body) = one_city("atlantico").await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("municipio")), "{body}");

    // Barranquilla again: its own barrios are updated, Santa Marta's still untouched.
    let (status, report) = import(&app, &json!({"barrios": barranquilla(), "options": {"municipio": "08001"}})).await;
    assert_eq!((status, report["barrios_updated"].as_u64()), (201, Some(3)), "{report}");
    assert_eq!(report["packs"], 0, "same content, same packs");

    let (status, body) = import(&app, &json!({"barrios": barranquilla(), "options": {"municipio": "8001"}})).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("options.municipio")), "{body}");
}

#[tokio::test]
async fn a_boundary_with_marks_or_moved_far_is_replaced_only_on_purpose_and_listed() {
    let app = spawn_app().await;
    let city = |x_prueba: f64| {
        json!({"barrios": fc(vec![
            square(json!({"name": "VILLA PRUEBA"}), x_prueba, 6.20, 0.003),
            square(json!({"name": "ALTO PRUEBA"}), -75.59, 6.20, 0.003),
        ]), "options": {"municipio": "05001"}})
    };
    let (status, report) = import(&app, &city(-75.60)).await;
    assert_eq!(status, 201, "{report}");
    let villa = app.barrio_id("villa-prueba").await;
    let (status, body) = app.post_mark(MarkBuilder::new(villa, -75.5985, 6.2015).body()).await;
    assert_eq!(status, 201, "{body}");

    // Moved 20 m: small, but Villa Prueba has a mark drawn on the old boundary.
    let (status, body) = import(&app, &city(-75.5998)).await;
    assert_eq!(status, 422, "{body}");
    let refused = &body["report"]["refused"];
    assert_eq!(refused.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(
        (refused[0]["code"].as_str(), refused[0]["marks"].as_u64(), refused[0]["overlaps"].as_bool()),
        (Some("villa-prueba"), Some(1), Some(true))
    );
    assert!(refused[0]["reason"].as_str().unwrap_or("").contains("1 marks"), "{body}");

    let mut on_purpose = city(-75.5998);
    on_purpose["options"]["replace"] = json!(true);
    let (status, report) = import(&app, &on_purpose).await;
    assert_eq!(status, 201, "{report}");
    let replaced = &report["replaced"];
    assert_eq!(replaced.as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!((replaced[0]["code"].as_str(), replaced[0]["marks"].as_u64()), (Some("villa-prueba"), Some(1)));
    let moved = replaced[0]["moved_m"].as_f64().unwrap_or(0.0);
    assert!((15.0..30.0).contains(&moved), "{moved}");
    assert_eq!(app.barrio_id("villa-prueba").await, villa, "same barrio: its mark stays attached");
}

#[tokio::test]
async fn garbage_names_far_pieces_and_huge_boundaries_are_skipped_with_their_reason() {
    let app = spawn_app().await;
    // A one-ring barrio of 25,000 vertices: over the limit of 20,000, refused before any
    // geometry work, so the answer comes at once.
    let ring: Vec<Value> = (0..=25_000)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % 25_000) as f64 / 25_000.0;
            json!([-75.55 + 0.005 * a.cos(), 6.25 + 0.005 * a.sin()])
        })
        .collect();
    let huge = json!({"type": "Feature", "properties": {"name": "ENORME"}, "geometry": {"type": "Polygon", "coordinates": [ring]}});
    let body = json!({"barrios": fc(vec![
        square(json!({"name": "A".repeat(10_000)}), -75.60, 6.26, 0.003),
        square(json!({"name": "LA\u{0}PAZ"}), -75.59, 6.26, 0.003),
        square(json!({"name": "BUENO"}), -75.58, 6.26, 0.003),
        square(json!({"name": "BUENO"}), -71.0, 9.0, 0.003),
        huge,
    ]), "options": {"municipio": "05001"}});
    let started = std::time::Instant::now();
    let (status, report) = import(&app, &body).await;
    assert_eq!(status, 201, "{report}");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    assert_eq!(report["barrios_added"], 1, "only Bueno, of one piece");
    let skipped: Vec<(u64, String)> = report["barrios"]["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|n| (n["feature"].as_u64().unwrap_or(99), n["reason"].as_str().unwrap_or("").to_string()))
        .collect();
    let has = |feature: u64, words: &str| skipped.iter().any(|(f, r)| *f == feature && r.contains(words));
    assert!(has(0, "10000 characters"), "{skipped:?}");
    assert!(has(1, "control characters"), "{skipped:?}");
    assert!(has(3, "km away from the other pieces of BUENO"), "{skipped:?}");
    assert!(has(4, "25001 vertices"), "{skipped:?}");
    let names: Vec<String> = barrios(&app).await.iter().filter_map(|b| b["name"].as_str().map(String::from)).collect();
    assert!(names.iter().all(|n| n.chars().count() <= 120 && !n.contains('\u{0}')));
}

#[tokio::test]
async fn a_layer_file_with_nothing_valid_leaves_every_pack_alone() {
    let app = spawn_app_with(AppOptions { with_packs: true, ..Default::default() }).await;
    let before: Value = app.get("/api/v1/packs").await.json().await.expect("json");
    let point = fc(vec![
        json!({"type": "Feature", "properties": {"name": "Calle 1"}, "geometry": {"type": "Point", "coordinates": [-74.2, 11.24]}}),
    ]);
    let (status, body) = import(&app, &json!({"streets": point})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!((body["error"]["code"].as_str(), body["error"]["field"].as_str()), (Some("import_refused"), Some("streets")));
    assert!(body["report"]["layers"][0]["skipped"][0]["reason"].as_str().unwrap_or("").contains("must be a LineString"), "{body}");
    // Streets of another city: usable, but within no barrio of Santa Marta.
    let elsewhere = fc(vec![json!({"type": "Feature", "properties": {"name": "Vía 40"},
        "geometry": {"type": "LineString", "coordinates": [[-74.80, 11.0], [-74.79, 11.0]]}})]);
    let (status, body) = import(&app, &json!({"streets": elsewhere})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("municipio 47001"), "{body}");
    let after: Value = app.get("/api/v1/packs").await.json().await.expect("json");
    assert_eq!(after, before, "no pack got a new version");
}

#[tokio::test]
async fn a_code_property_that_does_not_identify_barrios_fails_the_import() {
    let app = spawn_app().await;
    let before = barrios(&app).await.len();
    let features: Vec<Value> = (0..20)
        .map(|i| square(json!({"name": format!("BARRIO {i}"), "id": if i < 2 { i } else { 0 }}), -75.6 + i as f64 * 0.004, 6.3, 0.003))
        .collect();
    let file = fc(features);
    let (status, body) = import(&app, &json!({"barrios": file, "options": {"code_property": "id", "municipio": "05001"}})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        (body["error"]["code"].as_str(), body["error"]["field"].as_str()),
        (Some("code_property_not_unique"), Some("options.code_property"))
    );
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("18 de 20"), "{body}");
    assert_eq!(barrios(&app).await.len(), before);

    // The command fails too.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("barrios.geojson");
    std::fs::write(&path, file.to_string()).expect("write");
    let config = crate::helpers::config(dir.path().join("db.sqlite3"));
    let args = server::config::ImportArgs { code_property: Some("id".into()), ..import_args(path) };
    let err = server::import_command(&config, &args).await.expect_err("refused");
    assert!(err.to_string().contains("no identifica los barrios"), "{err}");
}

#[tokio::test]
async fn a_dry_run_creates_no_database_and_changes_none() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("barrios.geojson");
    std::fs::write(&path, barranquilla().to_string()).expect("write");
    let db = dir.path().join("data/cartobarrio.sqlite3");
    let config = crate::helpers::config(db.clone());
    let args = server::config::ImportArgs { dry_run: true, municipio: "08001".into(), ..import_args(path.clone()) };
    let summary = server::import_command(&config, &args).await.expect("dry run");
    assert!(summary.dry_run);
    assert_eq!(summary.barrios_added, 3);
    assert!(!db.exists() && !dir.path().join("data").exists(), "no database, no folder");

    // On a database that exists: read, never written.
    server::import_command(&config, &server::config::ImportArgs { dry_run: false, ..args.clone() }).await.expect("import");
    let before = std::fs::read(&db).expect("db");
    let moved = server::config::ImportArgs { dry_run: true, replace: true, ..args };
    let summary = server::import_command(&config, &moved).await.expect("dry run");
    assert_eq!(summary.barrios_updated, 3);
    assert_eq!(std::fs::read(&db).expect("db"), before);
}
