//! The marks API over HTTP: storing, idempotency, refusals, persistence.

use crate::helpers::{centre_of, serve_on, spawn_app, MarkBuilder};

#[tokio::test]
async fn a_valid_mark_is_stored_and_listed_as_geojson() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let mark = MarkBuilder::new(barrio, lon, lat);
    let (status, body) = app.post_mark(mark.body()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "created");
    let stored = app.stored_marks(barrio).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], mark.id);
    assert_eq!(stored[0]["properties"]["category"], "hurto_personas");
    assert_eq!(stored[0]["geometry"]["coordinates"][0].as_f64(), Some(lon));
}

#[tokio::test]
async fn same_mark_twice_is_stored_once() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let mark = MarkBuilder::new(barrio, lon, lat);
    assert_eq!(app.post_mark(mark.body()).await.0, 201);
    let (status, body) = app.post_mark(mark.body()).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "already_stored");
    assert_eq!(app.stored_marks(barrio).await.len(), 1);
}

#[tokio::test]
async fn a_different_mark_under_a_used_id_is_a_conflict() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    assert_eq!(app.post_mark(MarkBuilder::new(barrio, lon, lat).body()).await.0, 201);
    let (status, body) = app.post_mark(MarkBuilder::new(barrio, lon, lat).category("rinas").body()).await;
    // A fresh id with the same content is a new mark, not a conflict.
    let other = MarkBuilder::new(barrio, lon, lat).id("01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e20");
    assert_eq!(app.post_mark(other.body()).await.0, 201);
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "conflict");
    let stored = app.stored_marks(barrio).await;
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|m| m["properties"]["category"] == "hurto_personas"));
}

#[tokio::test]
async fn malformed_and_invalid_bodies_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let cases: Vec<(String, u16, &str)> = vec![
        ("{not json".into(), 400, "malformed_json"),
        ("[]".into(), 400, "not_a_feature"),
        (r#"{"type":"Feature","id":"01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f","geometry":{"type":"Point","coordinates":[-74.2,91.0]},"properties":{}}"#.into(), 422, "invalid_geometry"),
        (MarkBuilder::new(barrio, lon, lat).category("inventada").body(), 422, "unknown_category"),
        (MarkBuilder::new(424242, lon, lat).body(), 422, "unknown_barrio"),
        // Swapped [lat, lon]: both numbers are in range, but far from the barrio.
        (MarkBuilder::new(barrio, lat, lon).body(), 422, "outside_barrio"),
        (MarkBuilder::new(barrio, -75.5, 10.4).body(), 422, "outside_barrio"),
    ];
    for (body, status, code) in cases {
        let (got, json) = app.post_mark(body.clone()).await;
        assert_eq!(got, status, "{body} → {json}");
        assert_eq!(json["error"]["code"], code, "{body}");
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(json["error"]["message_en"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert!(app.stored_marks(barrio).await.is_empty());
}

#[tokio::test]
async fn zones_with_too_many_holes_flat_zones_and_hidden_characters_are_refused() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let zone = |rings: serde_json::Value| {
        let mut m = MarkBuilder::new(barrio, lon, lat).json();
        m["geometry"] = serde_json::json!({"type": "Polygon", "coordinates": rings});
        m.to_string()
    };
    let square = |x: f64, y: f64, s: f64| serde_json::json!([[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]);
    let shell = square(lon, lat, 0.002);
    let mut holes = vec![shell.clone()];
    holes.extend((0..21).map(|k| square(lon + 0.0001 + 0.00008 * f64::from(k), lat + 0.0001, 0.00004)));
    let mut nul = MarkBuilder::new(barrio, lon, lat).json();
    nul["properties"]["description"] = "fin\u{0}".into();
    let cases: Vec<(String, &str, &str)> = vec![
        (zone(serde_json::Value::Array(holes)), "too_many_vertices", "geometry"),
        (zone(serde_json::json!([[[lon, lat], [lon + 0.001, lat], [lon + 0.0005, lat], [lon, lat]]])), "invalid_geometry", "geometry"),
        (nul.to_string(), "control_characters", "properties.description"),
    ];
    for (body, code, field) in cases {
        let (status, json) = app.post_mark(body.clone()).await;
        assert_eq!(status, 422, "{json}");
        assert_eq!((json["error"]["code"].as_str(), json["error"]["field"].as_str()), (Some(code), Some(field)), "{json}");
    }
    assert!(app.stored_marks(barrio).await.is_empty());
    // The same zone with 20 holes is a zone.
    let mut twenty = vec![shell];
    twenty.extend((0..20).map(|k| square(lon + 0.0001 + 0.00008 * f64::from(k), lat + 0.0001, 0.00004)));
    let (status, json) = app.post_mark(zone(serde_json::Value::Array(twenty))).await;
    assert_eq!(status, 201, "{json}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = spawn_app().await;
    let (status, json) = app.post_mark(vec![b' '; 200 * 1024]).await;
    assert_eq!(status, 413);
    assert_eq!(json["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn marks_survive_a_restart_on_the_same_database() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("bastidas").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    assert_eq!(app.post_mark(MarkBuilder::new(barrio, lon, lat).body()).await.0, 201);

    let url = serve_on(&app.db_path).await;
    // Sessions live in the database too: the one made before the restart still works.
    let fc: serde_json::Value = app.client.get(format!("{url}/api/v1/barrios/{barrio}/marks")).send().await.unwrap().json().await.unwrap();
    assert_eq!(fc["features"].as_array().map(Vec::len), Some(1));
    let list: Vec<serde_json::Value> = reqwest::get(format!("{url}/api/v1/barrios")).await.unwrap().json().await.unwrap();
    assert_eq!(list.len(), 327, "the second start does not seed again");
}

#[tokio::test]
async fn the_alias_of_who_drew_a_mark_is_kept_and_a_long_one_refused() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let mut mark = MarkBuilder::new(barrio, lon, lat).json();
    mark["properties"]["alias"] = serde_json::json!("Vecina <b>de la 5</b>");
    let (status, body) = app.post_mark(mark.to_string()).await;
    assert_eq!(status, 201, "{body}");
    let stored = app.stored_marks(barrio).await;
    assert_eq!(stored[0]["properties"]["alias"], "Vecina <b>de la 5</b>");

    let mut long = MarkBuilder::new(barrio, lon, lat).id("01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e20").json();
    long["properties"]["alias"] = serde_json::json!("x".repeat(41));
    let (status, body) = app.post_mark(long.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "alias_too_long");
    assert_eq!(body["error"]["field"], "properties.alias");
    assert_eq!(app.stored_marks(barrio).await.len(), 1);
}
