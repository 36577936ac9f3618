//! Paso 5 through the API: fichas de intervención sent from a tablet as numbered versions (the
//! same version again is answered alike), what they name checked against the barrio's own
//! catalogue, diagnósticos and pactos, who may write them, and the database never rewriting one.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{signed_in, spawn_app, TestApp, FACILITATOR_BARRIO, OTHER_FACILITATOR_BARRIO};
use crate::pactos::{call, code, compromiso, db, diagnostico, firmado, post, refused, FUTURE};

fn ficha(id: Uuid, barrio: i64, version: u32, hotspot: &str, compromiso: Uuid) -> Value {
    json!({
        "id": id, "barrio_id": barrio, "version": version, "accion": "alumbrado", "institucion": "essmar",
        "fecha": "2027-03-02", "lugar": { "hotspot_id": hotspot, "descripcion": "La esquina del parque" },
        "compromisos": [compromiso], "descripcion": "Seis luminarias nuevas", "updated_at_ms": 1_764_000_000_000i64
    })
}

fn count(app: &TestApp) -> i64 {
    db(app).query_row("SELECT COUNT(*) FROM ficha_versions", [], |r| r.get(0)).expect("count")
}

#[tokio::test]
async fn a_ficha_is_kept_by_version_names_only_what_its_barrio_has_and_is_never_rewritten() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let other = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    diagnostico(&app, barrio).await;
    let k = Uuid::new_v4();
    firmado(&app, barrio, vec![compromiso(k, "essmar", FUTURE)]).await;

    // What the tablet keeps to fill fichas with no signal.
    let (status, ctx) = app.get_json(&format!("/barrios/{barrio}/intervenciones/contexto")).await;
    assert_eq!(status, 200, "{ctx}");
    assert!(ctx["instituciones"].as_array().expect("catalogue").iter().any(|i| i[0] == "essmar"));
    let hotspot = ctx["lugares"][0]["hotspot_id"].as_str().expect("a place of the diagnóstico").to_string();
    assert_eq!(ctx["compromisos"][0]["id"], k.to_string());
    assert_eq!(ctx["compromisos"][0]["estado"], "pendiente");

    // Kept; the same version again is the same answer; another content under it is refused.
    let id = Uuid::new_v4();
    let (status, kept) = post(&app, "/intervenciones", &ficha(id, barrio, 1, &hotspot, k)).await;
    assert_eq!(status, 201, "{kept}");
    assert_eq!(kept["author"], "Cuenta admin", "the server says who wrote it");
    let (status, again) = post(&app, "/intervenciones", &ficha(id, barrio, 1, &hotspot, k)).await;
    assert_eq!((status, &again), (200, &kept));
    let mut changed = ficha(id, barrio, 1, &hotspot, k);
    changed["descripcion"] = json!("Otra cosa");
    let (status, answer) = post(&app, "/intervenciones", &changed).await;
    assert_eq!((status, code(&answer)), (409, Some("conflict")));
    changed["version"] = json!(2);
    assert_eq!(post(&app, "/intervenciones", &changed).await.0, 201);
    let mut moved = changed.clone();
    moved["version"] = json!(3);
    moved["barrio_id"] = json!(other);
    moved["lugar"] = json!({ "descripcion": "Otra parte" });
    moved["compromisos"] = json!([]);
    assert_eq!(code(&post(&app, "/intervenciones", &moved).await.1), Some("barrio_changed"));

    // What the barrio does not have is refused, and nothing is kept.
    let before = count(&app);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = ficha(Uuid::new_v4(), barrio, 1, &hotspot, k);
        f(&mut v);
        v
    };
    let bad = [
        (with(&|v| v["institucion"] = json!("nadie")), "unknown_institution"),
        (with(&|v| v["lugar"]["hotspot_id"] = json!(Uuid::new_v4())), "unknown_place"),
        (with(&|v| v["compromisos"] = json!([Uuid::new_v4()])), "unknown_compromiso"),
        (with(&|v| v["lugar"] = json!({ "punto": [-74.08, 4.6] })), "outside_barrio"),
        (with(&|v| v["lugar"] = json!({ "punto": [-274.08, 4.6] })), "bad_point"),
        (with(&|v| v["lugar"] = json!({})), "no_place"),
        (with(&|v| v["fecha"] = json!("mañana")), "bad_date"),
        (with(&|v| v["accion"] = json!("otra")), "other_action_unnamed"),
        (with(&|v| v["barrio_id"] = json!(other)), "unknown_place"),
    ];
    for (body, want) in bad {
        let (status, answer) = post(&app, "/intervenciones", &body).await;
        assert_eq!((status, code(&answer)), (422, Some(want)), "{body}: {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, _) = app.post("/intervenciones", Some("application/json"), "{\"id\": 3").await;
    assert_eq!(status, 400);
    assert_eq!(count(&app), before, "nothing kept");

    // A facilitator of the barrio writes their own, not another's; elsewhere, nothing.
    let facilitator = signed_in(&app.url, "facilita").await;
    let own = Uuid::new_v4();
    let mut theirs = ficha(own, barrio, 1, &hotspot, k);
    theirs["lugar"] = json!({ "punto": ctx_point(&app, barrio).await });
    let (status, body) = call(&app, &facilitator, "post", "/intervenciones", Some(&theirs)).await;
    assert_eq!(status, 201, "{body}");
    let mut staff_edit = changed.clone();
    staff_edit["version"] = json!(3);
    let (status, answer) = call(&app, &facilitator, "post", "/intervenciones", Some(&staff_edit)).await;
    assert_eq!((status, code(&answer)), (403, Some("not_yours")));
    let staff_bq = signed_in(&app.url, "equipo_bq").await;
    assert_eq!(call(&app, &staff_bq, "post", "/intervenciones", Some(&ficha(Uuid::new_v4(), barrio, 1, &hotspot, k))).await.0, 403);
    assert_eq!(call(&app, &staff_bq, "get", &format!("/intervenciones/{id}"), None).await.0, 403);
    assert_eq!(call(&app, &reqwest::Client::new(), "get", &format!("/barrios/{barrio}/intervenciones"), None).await.0, 401);

    // The list has each ficha's latest version; a withdrawal is a version too.
    let mut withdrawn = theirs.clone();
    withdrawn["version"] = json!(2);
    withdrawn["deleted"] = json!(true);
    assert_eq!(call(&app, &facilitator, "post", "/intervenciones", Some(&withdrawn)).await.0, 201);
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/intervenciones")).await;
    let list = list.as_array().expect("fichas");
    assert_eq!(list.len(), 2);
    let mine = list.iter().find(|f| f["id"] == id.to_string()).expect("the staff's");
    assert_eq!((mine["version"].as_u64(), mine["descripcion"].as_str()), (Some(2), Some("Otra cosa")));
    assert!(list.iter().any(|f| f["id"] == own.to_string() && f["deleted"] == true));
    let (status, one) = app.get_json(&format!("/intervenciones/{id}")).await;
    assert_eq!((status, one["version"].as_u64()), (200, Some(2)));
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "ficha_write"));

    refused(&app, &[("UPDATE ficha_versions SET body = '{}'", "immutable"), ("DELETE FROM ficha_versions", "kept")]);
}

/// A point inside the barrio: the centre of its bounding box.
async fn ctx_point(app: &TestApp, barrio: i64) -> [f64; 2] {
    let (lon, lat) = crate::helpers::centre_of(app, barrio).await;
    [lon, lat]
}
