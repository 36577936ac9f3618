//! Marks edited and deleted over HTTP: every version kept and listed, tombstones as current,
//! re-sends, conflicts, late versions, the previous app's protocol, and databases from before
//! versions existed.

use serde_json::{json, Value};

use crate::helpers::{centre_of, spawn_app, spawn_app_on, MarkBuilder};

const T: i64 = 1_764_000_000_000;

/// Version `version` of a mark Feature, made `version` minutes after the first.
fn version_of(first: &Value, version: u32, description: &str, deleted: bool) -> Value {
    let mut v = first.clone();
    let props = &mut v["properties"];
    props["version"] = json!(version);
    props["updated_at_ms"] = json!(if version == 1 { 0 } else { T + i64::from(version) * 60_000 });
    props["description"] = json!(description);
    props["deleted"] = json!(deleted);
    v
}

#[tokio::test]
async fn a_mark_edited_twice_then_deleted_keeps_every_version() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let builder = MarkBuilder::new(barrio, lon, lat);
    let mut v1 = builder.json();
    v1["properties"]["times"] = json!(["noche"]);
    v1["properties"]["affected"] = json!(["ninos", "mujeres"]);
    let v2 = version_of(&v1, 2, "de noche, en la esquina", false);
    let v3 = version_of(&v1, 3, "de noche, en la esquina", true);

    let (status, body) = app.post_mark(v1.to_string()).await;
    assert_eq!((status, &body), (201, &json!({"id": builder.id, "version": 1, "status": "created"})));
    for (v, n) in [(&v2, 2), (&v3, 3)] {
        let (status, body) = app.post_mark(v.to_string()).await;
        assert_eq!((status, &body), (200, &json!({"id": builder.id, "version": n, "status": "updated"})));
    }

    let versions = app.versions("mark", &builder.id).await;
    let numbers: Vec<_> = versions.iter().map(|v| v["version"].as_u64()).collect();
    assert_eq!(numbers, [Some(1), Some(2), Some(3)]);
    assert_eq!(versions[0]["description"], "");
    assert_eq!(versions[1]["description"], "de noche, en la esquina");
    assert_eq!(versions[0]["attributes"], json!({"times": ["noche"], "affected": ["ninos", "mujeres"]}));
    assert_eq!((versions[1]["deleted"].as_bool(), versions[2]["deleted"].as_bool()), (Some(false), Some(true)));

    let current = app.stored_marks(barrio).await;
    assert_eq!(current.len(), 1, "one mark, its tombstone current");
    assert_eq!(current[0]["properties"]["deleted"], true);
    assert_eq!(current[0]["properties"]["version"], 3);
    assert_eq!(current[0]["geometry"]["coordinates"][0].as_f64(), Some(lon), "the tombstone keeps its geometry");

    let (status, body) = app.post_mark(v2.to_string()).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("already_stored")));
    let other_v2 = version_of(&v1, 2, "otra cosa", false);
    let (status, body) = app.post_mark(other_v2.to_string()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("versión 2")));
    assert_eq!(app.versions("mark", &builder.id).await, versions, "nothing changed");
    assert_eq!(app.stored_marks(barrio).await, current);
}

#[tokio::test]
async fn a_late_older_version_joins_the_history_and_the_current_stays() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let builder = MarkBuilder::new(barrio, lon, lat);
    let v1 = builder.json();
    let v3 = version_of(&v1, 3, "tercera", false);
    assert_eq!(app.post_mark(v3.to_string()).await, (201, json!({"id": builder.id, "version": 3, "status": "created"})));
    let (status, body) = app.post_mark(v1.to_string()).await;
    assert_eq!((status, &body), (200, &json!({"id": builder.id, "version": 1, "status": "history"})));
    let current = app.stored_marks(barrio).await;
    assert_eq!(
        (current[0]["properties"]["version"].as_u64(), current[0]["properties"]["description"].as_str()),
        (Some(3), Some("tercera"))
    );
    let numbers: Vec<_> = app.versions("mark", &builder.id).await.iter().map(|v| v["version"].as_u64()).collect();
    assert_eq!(numbers, [Some(1), Some(3)], "oldest first");
}

#[tokio::test]
async fn a_mark_never_moves_to_another_barrio() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    // A neighbour: Pescaíto's centre lies within the margin of its bounding box, so the move
    // is refused for being a move, not for being far away.
    let neighbour = app.barrio_id("olaya-herrera").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let builder = MarkBuilder::new(barrio, lon, lat);
    assert_eq!(app.post_mark(builder.body()).await.0, 201);
    let mut moved = version_of(&builder.json(), 2, "", false);
    moved["properties"]["barrio_id"] = json!(neighbour);
    let (status, body) = app.post_mark(moved.to_string()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("barrio_changed")), "{body}");
    assert_eq!(body["error"]["field"], "properties.barrio_id");
    let mut same_version_moved = builder.json();
    same_version_moved["properties"]["barrio_id"] = json!(neighbour);
    assert_eq!(app.post_mark(same_version_moved.to_string()).await.0, 409);
    assert!(app.stored_marks(neighbour).await.is_empty());
    assert_eq!(app.versions("mark", &builder.id).await.len(), 1);
}

#[tokio::test]
async fn a_mark_from_the_previous_app_version_is_its_version_1() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("bastidas").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    // Exactly what the previous app sent: no version, dates of edit, deletion or attributes.
    let old = json!({
        "type": "Feature",
        "id": "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"barrio_id": barrio, "category": "rinas", "description": "los sábados", "created_at_ms": T, "alias": "Rosa"}
    });
    let (status, body) = app.post_mark(old.to_string()).await;
    assert_eq!((status, &body), (201, &json!({"id": old["id"], "version": 1, "status": "created"})));
    assert_eq!(app.post_mark(old.to_string()).await.1["status"], "already_stored");
    let versions = app.versions("mark", "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f").await;
    assert_eq!(versions.len(), 1);
    assert_eq!((versions[0]["version"].as_u64(), versions[0]["deleted"].as_bool()), (Some(1), Some(false)));
    let props = &app.stored_marks(barrio).await[0]["properties"];
    assert_eq!(
        (props["version"].as_u64(), props["updated_at_ms"].as_i64(), props["description"].as_str()),
        (Some(1), Some(0), Some("los sábados"))
    );
}

#[tokio::test]
async fn the_history_of_an_unknown_record_is_404_and_a_bad_path_400() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/records/mark/01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f/versions").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, body) = app.get_json("/records/marca/01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f/versions").await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("unknown_kind")));
    let (status, body) = app.get_json("/records/cause/42/versions").await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_id")));
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["error"]["message_en"].as_str().is_some_and(|m| !m.is_empty()));
}

/// Builds, with the first three migrations only, the database an older server left behind:
/// one barrio and one mark.
fn database_from_before_versions(path: &std::path::Path, mark_id: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(include_str!("../../migrations/0001_barrios_marks.sql")).expect("0001");
    conn.execute_batch(include_str!("../../migrations/0002_barrio_packs.sql")).expect("0002");
    conn.execute_batch(include_str!("../../migrations/0003_mark_alias.sql")).expect("0003");
    // rusqlite_migration counts applied migrations in user_version.
    conn.pragma_update(None, "user_version", 3).expect("user_version");
    let boundary = r#"{"type":"Polygon","coordinates":[[[-74.21,11.24],[-74.20,11.24],[-74.20,11.25],[-74.21,11.25],[-74.21,11.24]]]}"#;
    conn.execute(
        "INSERT INTO barrios (id, code, name, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
         VALUES (1, 'antiguo', 'Antiguo', ?1, -74.21, 11.24, -74.20, 11.25, 120.0, 'prueba')",
        [boundary],
    )
    .expect("barrio");
    conn.execute(
        "INSERT INTO marks (id, barrio_id, category, geometry, description, created_at_ms, alias)
         VALUES (?1, 1, 'lote_baldio', '{\"type\":\"Point\",\"coordinates\":[-74.20581644500001,11.245]}', 'detrás del colegio', 1764000000000, 'Rosa')",
        [mark_id],
    )
    .expect("mark");
}

#[tokio::test]
async fn a_database_from_before_versions_keeps_its_marks_as_version_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("old.sqlite3");
    let id = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0eaa";
    database_from_before_versions(&db, id);
    let app = spawn_app_on(dir, db).await;

    let marks = app.stored_marks(1).await;
    assert_eq!(marks.len(), 1);
    let props = &marks[0]["properties"];
    assert_eq!(
        (props["description"].as_str(), props["alias"].as_str(), props["category"].as_str()),
        (Some("detrás del colegio"), Some("Rosa"), Some("lote_baldio"))
    );
    assert_eq!((props["version"].as_u64(), props["deleted"].as_bool()), (Some(1), Some(false)));
    assert_eq!(marks[0]["geometry"]["coordinates"], json!([-74.20581644500001, 11.245]));
    let versions = app.versions("mark", id).await;
    assert_eq!(versions.len(), 1);
    assert_eq!((versions[0]["version"].as_u64(), versions[0]["description"].as_str()), (Some(1), Some("detrás del colegio")));
    assert_eq!(versions[0]["geometry"], marks[0]["geometry"]);

    // The old mark sent again is already stored, to the last digit; its edit is version 2.
    let resent = marks[0].clone();
    assert_eq!(app.post_mark(resent.to_string()).await.1["status"], "already_stored");
    let edit = version_of(&resent, 2, "detrás del colegio, de noche", false);
    assert_eq!(app.post_mark(edit.to_string()).await, (200, json!({"id": id, "version": 2, "status": "updated"})));
    assert_eq!(app.versions("mark", id).await.len(), 2);
}
