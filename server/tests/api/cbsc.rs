//! A barrio's CBSC through the API: versions appended by staff, read by those who work in the
//! barrio, the members' names for staff only and never in the audit log.

use serde_json::{json, Value};

use crate::helpers::{signed_in, spawn_app, FACILITATOR_BARRIO};

const NAME: &str = "Rosa Elvira Díaz";

#[tokio::test]
async fn a_committee_is_kept_as_versions_and_its_names_only_staff_read() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let path = format!("/barrios/{barrio}/cbsc");
    assert_eq!(app.get_json(&path).await, (200, json!({ "barrio_id": barrio, "versiones": [] })));

    let first = json!({
        "fecha_conformacion": "2026-03-14", "miembros": 9, "estado": "activo", "roles": ["tesorero"],
        "nombres": [{ "nombre": NAME, "rol": "presidente" }, { "nombre": "Luis Pérez" }],
    });
    let (status, v1) = app.post(&path, Some("application/json"), first.to_string()).await;
    assert_eq!(status, 201, "{v1}");
    assert_eq!((v1["version"].as_u64(), v1["roles"].clone()), (Some(1), json!(["presidente", "tesorero"])));
    assert_eq!(v1["nombres"][0]["nombre"], NAME);

    for (body, code) in [
        (json!({ "fecha_conformacion": "2099-01-01", "miembros": 3, "estado": "activo" }), "future_date"),
        (json!({ "miembros": 3, "estado": "inactivo" }), "date_missing"),
        (json!({ "fecha_conformacion": "2026-03-14", "miembros": 0, "estado": "activo" }), "no_members"),
        (json!({ "fecha_conformacion": "2026-03-14", "miembros": 501, "estado": "activo" }), "too_many_members"),
        (
            json!({ "fecha_conformacion": "2026-03-14", "miembros": 3, "estado": "activo",
                    "nombres": [{ "nombre": "A", "rol": "fiscal" }, { "nombre": "B", "rol": "fiscal" }] }),
            "rol_twice",
        ),
    ] {
        let (status, reply) = app.post(&path, Some("application/json"), body.to_string()).await;
        assert_eq!((status, reply["error"]["code"].as_str()), (422, Some(code)), "{reply}");
    }
    let second = json!({ "fecha_conformacion": "2026-03-14", "miembros": 11, "estado": "inactivo", "roles": ["presidente"] });
    let (status, v2) = app.post(&path, Some("application/json"), second.to_string()).await;
    assert_eq!((status, v2["version"].as_u64()), (201, Some(2)), "{v2}");

    let (_, history) = app.get_json(&path).await;
    let versions = history["versiones"].as_array().expect("versions");
    assert_eq!(versions.iter().map(|v| v["version"].as_u64()).collect::<Vec<_>>(), vec![Some(2), Some(1)]);
    assert_eq!(versions[1]["nombres"][0]["nombre"], NAME, "staff read the names of every version");
    assert_eq!(versions[0]["by"], "Cuenta admin");

    // The barrio's facilitator reads the committee without a name; others not at all.
    let facilitator = signed_in(&app.url, "facilita").await;
    let res = facilitator.get(format!("{}/api/v1{path}", app.url)).send().await.expect("read");
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.expect("text");
    let theirs: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(theirs["versiones"].as_array().map(Vec::len), Some(2));
    assert!(!text.contains("nombres") && !text.contains(NAME) && !text.contains("Luis"), "{text}");
    assert_eq!(theirs["versiones"][1]["miembros"], 9);
    let res = facilitator.post(format!("{}/api/v1{path}", app.url)).json(&second).send().await.expect("write");
    assert_eq!(res.status().as_u16(), 403);
    let other = signed_in(&app.url, "facilita2").await;
    assert_eq!(other.get(format!("{}/api/v1{path}", app.url)).send().await.expect("read").status().as_u16(), 403);
    assert_eq!(app.get_json("/barrios/999999/cbsc").await.0, 404);

    let (_, log) = app.get_json("/admin/audit").await;
    let lines: Vec<&Value> = log.as_array().expect("log").iter().filter(|e| e["action"] == "cbsc_version").collect();
    assert_eq!(lines.len(), 2, "refused versions leave no line");
    assert!(!log.to_string().contains(NAME) && !log.to_string().contains("Luis"), "no name in the audit log");
}
