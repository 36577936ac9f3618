//! Actas through the API: versions sent from a tablet again and again, who may write them,
//! bad input refused with its field, and the signed scan kept as the acta's registro.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{signed_in, spawn_app, FACILITATOR_BARRIO, OTHER_FACILITATOR_BARRIO};
use crate::ruta::PDF;

/// An acta of `barrio` as the app sends it.
pub fn acta_json(id: Uuid, barrio: i64, version: u32) -> Value {
    json!({
        "id": id, "barrio_id": barrio, "version": version, "kind": "comite_barrial", "fecha": "2026-12-05",
        "lugar": "Caseta comunal", "asistencia": { "comunidad": 18, "policia": 2, "secretarias": 1, "otras": 0 },
        "agenda": "1. Saludo\n2. Diagnóstico", "desarrollo": "", "decisiones": "",
        "compromisos": [{ "responsable": "ESSMAR", "que": "Cambiar las luminarias de la calle 8", "fecha_limite": "2027-01-31" }],
        "updated_at_ms": 1_764_900_000_000_i64, "deleted": false
    })
}

async fn send(client: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let res = client.post(format!("{url}/api/v1/actas")).json(body).send().await.expect("send");
    (res.status().as_u16(), res.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_facilitator_sends_an_acta_as_often_as_needed_and_only_theirs_change() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let facilitator = signed_in(&app.url, "facilita").await;
    let id = Uuid::new_v4();
    let acta = acta_json(id, barrio, 1);
    let (status, stored) = send(&facilitator, &app.url, &acta).await;
    assert_eq!(status, 201, "{stored}");
    assert!(stored["author"].as_str().is_some_and(|a| !a.is_empty()), "the server says who wrote it");
    // The answer was lost: sent again, the same answer and nothing new.
    let (status, again) = send(&facilitator, &app.url, &acta).await;
    assert_eq!((status, &again), (200, &stored));
    let mut changed = acta.clone();
    changed["lugar"] = json!("Parque");
    let (status, conflict) = send(&facilitator, &app.url, &changed).await;
    assert_eq!((status, conflict["error"]["code"].as_str()), (409, Some("conflict")));
    changed["version"] = json!(2);
    assert_eq!(send(&facilitator, &app.url, &changed).await.0, 201);
    // Staff may change any acta (here from another tablet that numbered it 5); a facilitator
    // of another barrio may not; an edit of an older version than stored is refused.
    let (status, _) = app.post("/actas", Some("application/json"), acta_json(id, barrio, 5).to_string()).await;
    assert_eq!(status, 201);
    let other = signed_in(&app.url, "facilita2").await;
    assert_eq!(send(&other, &app.url, &acta_json(id, barrio, 6)).await.0, 403);
    let (status, stale) = send(&facilitator, &app.url, &acta_json(id, barrio, 4)).await;
    assert_eq!((status, stale["error"]["code"].as_str()), (409, Some("stale_version")));
    let elsewhere = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let (status, moved) = app.post("/actas", Some("application/json"), acta_json(id, elsewhere, 7).to_string()).await;
    assert_eq!((status, moved["error"]["code"].as_str()), (409, Some("barrio_changed")));

    let (_, list) = app.get_json(&format!("/barrios/{barrio}/actas")).await;
    assert_eq!((list.as_array().map(Vec::len), list[0]["version"].as_u64()), (Some(1), Some(5)));
    let (status, one) = app.get_json(&format!("/actas/{id}")).await;
    assert_eq!((status, one["version"].as_u64()), (200, Some(5)));
}

#[tokio::test]
async fn a_bad_acta_is_refused_with_its_field_and_nothing_is_kept() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        ("version", json!(0), 422, "version"),
        ("fecha", json!("5 de diciembre"), 422, "fecha"),
        ("agenda", json!("x".repeat(10_001)), 422, "agenda"),
        ("asistencia", json!({ "comunidad": 1_000_000 }), 422, "asistencia"),
        ("compromisos", json!([{ "responsable": "Policía", "que": "", "fecha_limite": "" }]), 422, "compromisos"),
        ("kind", json!("fiesta"), 400, ""),
        ("asistencia", json!({ "comunidad": -3 }), 400, ""),
        ("asistencia", json!({ "comunidad": "muchos" }), 400, ""),
    ];
    for (member, value, status, field) in cases {
        let mut acta = acta_json(Uuid::new_v4(), barrio, 1);
        acta[member] = value;
        let (got, body) = app.post("/actas", Some("application/json"), acta.to_string()).await;
        assert_eq!(got, status, "{member}: {body}");
        if !field.is_empty() {
            assert_eq!(body["error"]["field"].as_str(), Some(field), "{body}");
        }
    }
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/actas")).await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn the_signed_scan_is_kept_as_the_actas_registro() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let (_, ciclo) = app.post(&format!("/barrios/{barrio}/ciclos"), None, "").await;
    let ciclo = ciclo["id"].as_str().expect("ciclo").to_string();
    let acta = Uuid::new_v4();
    assert_eq!(app.post("/actas", Some("application/json"), acta_json(acta, barrio, 1).to_string()).await.0, 201);
    let path = format!("/ciclos/{ciclo}/registros?paso=1&tipo=otro&fecha=2026-12-05&acta_id={acta}");
    let (status, registro) = app.post(&path, Some("application/pdf"), PDF.to_vec()).await;
    assert_eq!(status, 201, "{registro}");
    assert_eq!(registro["acta_id"], json!(acta));
    let unknown = format!("/ciclos/{ciclo}/registros?paso=1&tipo=otro&fecha=2026-12-05&acta_id={}", Uuid::new_v4());
    let (status, refused) = app.post(&unknown, Some("application/pdf"), PDF.to_vec()).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("unknown_acta")));
}
