//! Diagnósticos over HTTP: numbered snapshots of a barrio's merge that never change, a
//! rejected mark left out of the next one (and back after a restore), comparisons between
//! versions, and bad requests refused with nothing stored.

use serde_json::{json, Value};

use crate::helpers::{centre_of, spawn_app, MarkBuilder, TestApp};

/// Three thefts within about 20 m of each other, one 110 m away, and a dark street on the
/// spot of the first: ids by position.
pub const IDS: [&str; 5] = [
    "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e01",
    "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e02",
    "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e03",
    "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e04",
    "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e05",
];

pub async fn draw(app: &TestApp) -> i64 {
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(app, barrio).await;
    let places = [(0.0, 0.0), (0.0001, 0.0), (0.0, 0.0001), (0.001, 0.0), (0.0, 0.0)];
    for (i, (dx, dy)) in places.iter().enumerate() {
        let category = if i == 4 { "alumbrado_deficiente" } else { "hurto_personas" };
        let mark = MarkBuilder::new(barrio, lon + dx, lat + dy).id(IDS[i]).category(category);
        let (status, body) = app.post_mark(mark.body()).await;
        assert_eq!(status, 201, "{body}");
    }
    barrio
}

pub async fn generate(app: &TestApp, barrio: i64, body: Value) -> (u16, Value) {
    app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), body.to_string()).await
}

/// `(category, count)` of each hotspot, in the diagnóstico's order.
pub fn counts(stored: &Value) -> Vec<(String, u64)> {
    stored["diagnostico"]["hotspots"]
        .as_array()
        .expect("hotspots")
        .iter()
        .map(|h| (h["category"].as_str().unwrap_or_default().to_string(), h["count"].as_u64().unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn diagnosticos_are_numbered_kept_as_made_and_leave_out_rejected_marks() {
    let app = spawn_app().await;
    let barrio = draw(&app).await;
    let (status, first) = generate(&app, barrio, json!({"created_by": " Ana (Secretaría) "})).await;
    assert_eq!(status, 201, "{first}");
    // Who generated it is the signed-in account, whatever name the request gives.
    assert_eq!((first["number"].clone(), first["created_by"].clone()), (json!(1), json!("Cuenta admin")));
    let expected = vec![("alumbrado_deficiente".to_string(), 1), ("hurto_personas".into(), 3), ("hurto_personas".into(), 1)];
    assert_eq!(counts(&first), expected);
    assert_eq!(first["diagnostico"]["totals"]["marks"], 5);
    assert_eq!(first["diagnostico"]["params"]["point_radius_m"], 50.0);

    // Staff reject one of the three thefts: the next diagnóstico counts two there.
    let review = json!({"action": "reject", "reason": "La misma persona la marcó dos veces", "reviewer": "Ana"});
    let (status, body) = app.post(&format!("/marks/{}/reviews", IDS[1]), Some("application/json"), review.to_string()).await;
    assert_eq!(status, 201, "{body}");
    let (_, second) = generate(&app, barrio, json!({"created_by": "Ana"})).await;
    assert_eq!(second["number"], 2);
    assert_eq!(counts(&second)[1], ("hurto_personas".to_string(), 2));
    let rejected_everywhere =
        second["diagnostico"]["hotspots"].as_array().unwrap().iter().any(|h| h["source_ids"].to_string().contains(IDS[1]));
    assert!(!rejected_everywhere, "the rejected mark is in no hotspot");
    // The mark itself is still stored and listed.
    assert!(app.stored_marks(barrio).await.iter().any(|m| m["id"] == IDS[1]));

    // The first diagnóstico is exactly as it was generated.
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos/1")).await, (200, first.clone()));
    let (status, list) = app.get_json(&format!("/barrios/{barrio}/diagnosticos")).await;
    assert_eq!(status, 200);
    let numbers: Vec<_> = list.as_array().unwrap().iter().map(|d| (d["number"].clone(), d["totals"]["marks"].clone())).collect();
    assert_eq!(numbers, vec![(json!(2), json!(4)), (json!(1), json!(5))]);

    let (status, diff) = app.get_json(&format!("/barrios/{barrio}/diagnosticos/1/compare/2")).await;
    assert_eq!(status, 200, "{diff}");
    let changes: Vec<_> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["change"].clone(), c["before_count"].clone(), c["after_count"].clone()))
        .collect();
    assert_eq!(
        changes,
        vec![(json!("shrank"), json!(3), json!(2)), (json!("same"), json!(1), json!(1)), (json!("same"), json!(1), json!(1))]
    );

    // Restored, it counts again; both decisions stay in the record, in order.
    let restore = json!({"action": "restore", "reviewer": "Luis"});
    let staff = crate::helpers::signed_in(&app.url, "equipo").await;
    let res = staff.post(format!("{}/api/v1/marks/{}/reviews", app.url, IDS[1])).json(&restore).send().await.expect("request");
    assert_eq!(res.status().as_u16(), 201);
    let (_, third) = generate(&app, barrio, json!({"created_by": "Luis"})).await;
    assert_eq!(counts(&third), expected);
    let (_, reviews) = app.get_json(&format!("/barrios/{barrio}/reviews")).await;
    let decisions: Vec<_> = reviews.as_array().unwrap().iter().map(|r| (r["action"].clone(), r["reviewer"].clone())).collect();
    assert_eq!(decisions, vec![(json!("reject"), json!("Cuenta admin")), (json!("restore"), json!("Cuenta equipo"))]);

    // The same data with the same parameters gives the same diagnóstico, byte for byte.
    assert_eq!(third["diagnostico"], first["diagnostico"]);
    // Wider radius, fewer hotspots.
    let (_, wide) = generate(&app, barrio, json!({"created_by": "Luis", "params": {"point_radius_m": 200}})).await;
    assert_eq!(counts(&wide), vec![("alumbrado_deficiente".to_string(), 1), ("hurto_personas".into(), 4)]);
}

#[tokio::test]
async fn a_stored_diagnostico_cannot_be_changed_or_deleted_even_in_the_database() {
    let app = spawn_app().await;
    let barrio = draw(&app).await;
    assert_eq!(generate(&app, barrio, json!({"created_by": "Ana"})).await.0, 201);
    let conn = rusqlite::Connection::open(&app.db_path).expect("open the database");
    let update = conn.execute("UPDATE diagnosticos SET created_by = 'otra persona'", []);
    assert!(update.is_err_and(|e| e.to_string().contains("immutable")));
    assert!(conn.execute("DELETE FROM diagnosticos", []).is_err());
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos/1")).await.1["created_by"], "Cuenta admin");
}

#[tokio::test]
async fn bad_requests_are_refused_clearly_and_store_nothing() {
    let app = spawn_app().await;
    let barrio = draw(&app).await;
    let bad_generations = [
        (json!({"created_by": "Ana", "params": {"point_radius_m": 0}}), 422, "param_out_of_range"),
        (json!({"created_by": "Ana", "params": {"zone_iou": 3}}), 422, "param_out_of_range"),
        (json!({"created_by": "Ana", "params": {"point_radius_m": "50"}}), 400, "malformed"),
        (json!({"quien": "Ana"}), 400, "malformed"),
        (json!([1, 2]), 400, "malformed"),
    ];
    for (body, status, code) in bad_generations {
        let (got, answer) = generate(&app, barrio, body.clone()).await;
        assert_eq!((got, answer["error"]["code"].as_str()), (status, Some(code)), "{body} → {answer}");
        assert!(!answer["error"]["message"].as_str().unwrap_or_default().is_empty());
    }
    let (status, answer) = app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), "{no es json").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (400, Some("malformed")));
    assert_eq!(generate(&app, 424242, json!({"created_by": "Ana"})).await.0, 404);
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos")).await, (200, json!([])), "nothing stored");

    let review = |body: Value| {
        let app = &app;
        async move { app.post(&format!("/marks/{}/reviews", IDS[0]), Some("application/json"), body.to_string()).await }
    };
    let (status, answer) = review(json!({"action": "reject", "reviewer": "Ana"})).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str(), answer["error"]["field"].as_str()),
        (422, Some("reason_missing"), Some("reason"))
    );
    let (status, _) = review(json!({"action": "borrar", "reason": "x", "reviewer": "Ana"})).await;
    assert_eq!(status, 400);
    let unknown = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0eff";
    let body = json!({"action": "reject", "reason": "x", "reviewer": "Ana"}).to_string();
    assert_eq!(app.post(&format!("/marks/{unknown}/reviews"), Some("application/json"), body).await.0, 404);
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/reviews")).await, (200, json!([])));
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos/1")).await.0, 404);
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos/1/compare/2")).await.0, 404);
}
