//! Staff corrections over HTTP: a join and a separation change the next diagnóstico (never a
//! stored one), a cancellation undoes them, notes follow a hotspot's marks from version to
//! version, and bad corrections are refused with nothing stored.

use serde_json::{json, Value};

use crate::diagnosticos::{counts, draw, generate, IDS};
use crate::helpers::TestApp;

async fn correct(app: &TestApp, barrio: i64, body: Value) -> (u16, Value) {
    app.post(&format!("/barrios/{barrio}/adjustments"), Some("application/json"), body.to_string()).await
}

#[tokio::test]
async fn joins_and_separations_shape_the_next_version_and_can_be_undone() {
    let app = crate::helpers::spawn_app().await;
    let barrio = draw(&app).await;
    let (_, first) = generate(&app, barrio, json!({"created_by": "Ana"})).await;
    let thefts = vec![("alumbrado_deficiente".to_string(), 1), ("hurto_personas".into(), 3), ("hurto_personas".into(), 1)];
    assert_eq!(counts(&first), thefts);

    // The theft 110 m away is the same corner, say the staff: join it to the other three.
    let join = json!({"action": "join", "mark_ids": [IDS[0], IDS[3]], "reason": "Es la misma esquina", "reviewer": " Ana "});
    let (status, joined) = correct(&app, barrio, join).await;
    assert_eq!(status, 201, "{joined}");
    assert_eq!(
        (joined["action"].clone(), joined["reviewer"].clone(), joined["cancelled"].clone()),
        (json!("join"), json!("Cuenta admin"), Value::Null)
    );
    let join_seq = joined["seq"].as_i64().expect("seq");
    // The barrio now waits for a new version on /equipo, as after a review.
    let status = |list: Value| list.as_array().and_then(|l| l.iter().find(|b| b["barrio_id"] == barrio).cloned()).expect("barrio");
    assert_eq!(status(app.get_json("/diagnosticos/status").await.1)["status"], "desactualizado");
    // The stored version is untouched; the next one has one theft hotspot of four.
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/diagnosticos/1")).await.1, first);
    let (_, second) = generate(&app, barrio, json!({"created_by": "Ana"})).await;
    assert_eq!(status(app.get_json("/diagnosticos/status").await.1)["status"], "al_dia");
    assert_eq!(counts(&second), vec![("alumbrado_deficiente".to_string(), 1), ("hurto_personas".into(), 4)]);
    assert_eq!(second["diagnostico"]["adjustments"], json!([join_seq]));
    assert_eq!(second["diagnostico"]["hotspots"][1]["adjustments"], json!([join_seq]));
    assert!(second["diagnostico"]["hotspots"][0].get("adjustments").is_none(), "untouched hotspots carry no list");

    // Separate one mark out again.
    let separate = json!({"action": "separate", "mark_ids": [IDS[2]], "reviewer": "Luis"});
    let (status, separated) = correct(&app, barrio, separate).await;
    assert_eq!(status, 201, "{separated}");
    let (_, third) = generate(&app, barrio, json!({"created_by": "Luis"})).await;
    assert_eq!(counts(&third)[1..], [("hurto_personas".to_string(), 3), ("hurto_personas".into(), 1)]);

    // Undo both: back to what the rules alone make, and both stay on record with who undid them.
    for seq in [join_seq, separated["seq"].as_i64().expect("seq")] {
        let (status, body) = app
            .post(
                &format!("/barrios/{barrio}/adjustments/{seq}/cancel"),
                Some("application/json"),
                json!({"reviewer": "Luis", "reason": "Revisado en el recorrido"}).to_string(),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["cancelled"]["reviewer"], "Cuenta admin", "the signed-in account, not the name sent");
    }
    let (_, fourth) = generate(&app, barrio, json!({"created_by": "Luis"})).await;
    assert_eq!(counts(&fourth), thefts);
    assert_eq!(fourth["diagnostico"], first["diagnostico"], "byte for byte what the rules make");
    let (status, again) = app
        .post(
            &format!("/barrios/{barrio}/adjustments/{join_seq}/cancel"),
            Some("application/json"),
            json!({"reviewer": "Luis"}).to_string(),
        )
        .await;
    assert_eq!((status, again["error"]["code"].clone()), (422, json!("already_cancelled")));
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/adjustments")).await;
    let list: Vec<_> = list.as_array().expect("list").iter().map(|a| (a["action"].clone(), a["cancelled"]["reviewer"].clone())).collect();
    assert_eq!(list, vec![(json!("join"), json!("Cuenta admin")), (json!("separate"), json!("Cuenta admin"))]);

    // The database itself refuses to rewrite or drop a correction.
    let conn = rusqlite::Connection::open(&app.db_path).expect("open the database");
    assert!(conn.execute("UPDATE hotspot_adjustments SET reviewer = 'otra'", []).is_err());
    assert!(conn.execute("DELETE FROM adjustment_cancellations", []).is_err());
}

#[tokio::test]
async fn notes_follow_the_marks_of_their_hotspot() {
    let app = crate::helpers::spawn_app().await;
    let barrio = draw(&app).await;
    let (_, first) = generate(&app, barrio, json!({"created_by": "Ana"})).await;
    let hotspot = first["diagnostico"]["hotspots"][1].clone();
    let note = json!({"diagnostico": 1, "hotspot_id": hotspot["id"], "text": " <b>Confirmado</b> con la JAC ", "author": "Ana"});
    let (status, stored) = app.post(&format!("/barrios/{barrio}/notes"), Some("application/json"), note.to_string()).await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["text"], "<b>Confirmado</b> con la JAC", "kept as typed, trimmed; the pages show it as text");
    assert_eq!(stored["mark_ids"], hotspot["source_ids"], "the marks come from the stored version");
    let (_, notes) = app.get_json(&format!("/barrios/{barrio}/notes")).await;
    assert_eq!(notes.as_array().map(Vec::len), Some(1));

    let unknown = json!({"diagnostico": 1, "hotspot_id": "01937f3a-0000-7000-8000-000000000000", "text": "x", "author": "Ana"});
    let (status, body) = app.post(&format!("/barrios/{barrio}/notes"), Some("application/json"), unknown.to_string()).await;
    assert_eq!((status, body["error"]["code"].clone()), (422, json!("unknown_hotspot")));
    let no_version = json!({"diagnostico": 9, "hotspot_id": hotspot["id"], "text": "x", "author": "Ana"});
    assert_eq!(app.post(&format!("/barrios/{barrio}/notes"), Some("application/json"), no_version.to_string()).await.0, 404);
    let empty = json!({"diagnostico": 1, "hotspot_id": hotspot["id"], "text": "  ", "author": "Ana"});
    let (status, body) = app.post(&format!("/barrios/{barrio}/notes"), Some("application/json"), empty.to_string()).await;
    assert_eq!((status, body["error"]["field"].clone()), (422, json!("text")));
}

#[tokio::test]
async fn bad_corrections_are_refused_clearly_and_store_nothing() {
    let app = crate::helpers::spawn_app().await;
    let barrio = draw(&app).await;
    let cases = [
        (json!({"action": "join", "mark_ids": [IDS[0]], "reviewer": "Ana"}), 422, "join_needs_two"),
        (json!({"action": "join", "mark_ids": [IDS[0], IDS[4]], "reviewer": "Ana"}), 422, "mixed_join"),
        (json!({"action": "separate", "mark_ids": ["01937f3a-1b2c-7d4e-8f50-6a7b8c9d0eff"], "reviewer": "Ana"}), 422, "unknown_mark"),
        (json!({"action": "separate", "mark_ids": [], "reviewer": "Ana"}), 422, "no_marks"),
        (json!({"action": "borrar", "mark_ids": [IDS[0]], "reviewer": "Ana"}), 400, "malformed"),
        (json!({"action": "join", "mark_ids": "todos", "reviewer": "Ana"}), 400, "malformed"),
    ];
    for (body, status, code) in cases {
        let (got, reply) = correct(&app, barrio, body.clone()).await;
        assert_eq!((got, reply["error"]["code"].as_str()), (status, Some(code)), "{body}: {reply}");
        assert!(reply["error"]["message"].as_str().is_some_and(|m| !m.is_empty()) && reply["error"]["message_en"].is_string());
    }
    assert_eq!(correct(&app, 999_999, json!({"action": "separate", "mark_ids": [IDS[0]], "reviewer": "Ana"})).await.0, 404);
    // A mark of another barrio cannot be corrected from this one.
    let other = app.barrio_id("bastidas").await;
    let (status, _) = correct(&app, other, json!({"action": "separate", "mark_ids": [IDS[0]], "reviewer": "Ana"})).await;
    assert_eq!(status, 422);
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/adjustments")).await.1, json!([]));
}
