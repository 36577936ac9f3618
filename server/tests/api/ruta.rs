//! La ruta del barrio through the API: a ciclo walked step by step with its registros, the
//! files typed by their bytes and kept once, what facilitators see, and the audit log.

use serde_json::{json, Value};

use crate::helpers::{signed_in, spawn_app, TestApp, FACILITATOR_BARRIO};

/// A small but well-formed PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

async fn upload(app: &TestApp, ciclo: &str, query: &str, content_type: &str, bytes: Vec<u8>) -> (u16, Value) {
    app.post(&format!("/ciclos/{ciclo}/registros?{query}"), Some(content_type), bytes).await
}

async fn step(app: &TestApp, ciclo: &str, body: Value) -> (u16, Value) {
    app.post(&format!("/ciclos/{ciclo}/cambios"), Some("application/json"), body.to_string()).await
}

async fn open_ciclo(app: &TestApp, barrio: i64) -> String {
    let (status, ciclo) = app.post(&format!("/barrios/{barrio}/ciclos"), None, "").await;
    assert_eq!(status, 201, "{ciclo}");
    ciclo["id"].as_str().expect("id").to_string()
}

fn files_in(app: &TestApp, folder: &str) -> usize {
    let root = app.db_path.parent().expect("data folder").join("archivos").join(folder);
    walk(&root)
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
}

#[tokio::test]
async fn a_barrio_walks_its_route_step_by_step_keeping_its_registros() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let ciclo = open_ciclo(&app, barrio).await;
    let (status, again) = app.post(&format!("/barrios/{barrio}/ciclos"), None, "").await;
    assert_eq!((status, again["error"]["code"].as_str()), (409, Some("ciclo_open")));

    // Step 1's informe, kept and read back byte for byte, as a download.
    let (status, informe) = upload(
        &app,
        &ciclo,
        "paso=1&tipo=informe&fecha=2026-11-30&descripcion=Balance%20anual&nombre=C%3A%5Cdocs%5Cinforme%20a%C3%B1o.pdf",
        "application/octet-stream",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{informe}");
    assert_eq!(
        (informe["formato"].as_str(), informe["nombre"].as_str(), informe["bytes"].as_u64()),
        (Some("pdf"), Some("informe año.pdf"), Some(PDF.len() as u64))
    );
    let res = app.get(&format!("/api/v1/registros/{}/archivo", informe["id"].as_str().expect("id"))).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''informe%20a%C3%B1o.pdf"), "{disposition}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
    // The same bytes sent again: a second registro, one file.
    let (status, copy) = upload(&app, &ciclo, "paso=1&tipo=otro&fecha=2026-11-30", "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["sha256"], informe["sha256"]);
    assert_eq!((files_in(&app, "sha256"), files_in(&app, "tmp")), (1, 0));

    // Forward one step at a time; leaving a step with registros missing needs a reason.
    let (status, moved) = step(&app, &ciclo, json!({ "to": 2 })).await;
    assert_eq!(status, 201, "{moved}");
    assert_eq!(moved["changes"][0]["missing"], json!([]), "step 1's informe is kept");
    let (status, skip) = step(&app, &ciclo, json!({ "to": 4, "reason": "urge" })).await;
    assert_eq!((status, skip["error"]["code"].as_str(), skip["error"]["field"].as_str()), (422, Some("skips_steps"), Some("to")));
    let (status, refused) = step(&app, &ciclo, json!({ "to": 3 })).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("reason_missing")));
    let message = refused["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("Presentación") && message.contains("Oficio de convocatoria"), "{message}");
    let (status, moved) = step(&app, &ciclo, json!({ "to": 3, "reason": "La presentación se hizo sin diapositivas" })).await;
    assert_eq!(status, 201, "{moved}");
    assert_eq!(moved["changes"][1]["missing"], json!(["presentacion", "informe", "oficio_convocatoria"]));
    let (status, back) = step(&app, &ciclo, json!({ "to": 2, "comment": " " })).await;
    assert_eq!((status, back["error"]["code"].as_str()), (422, Some("comment_missing")));

    // The barrio's route: every step with what it keeps and what it misses.
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    let current = &ruta["ciclos"][0];
    assert_eq!(current["ciclo"]["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(current["registros"].as_array().map(Vec::len), Some(2));
    assert_eq!(current["pasos"][0]["presentes"], json!(["informe"]));
    assert_eq!(current["pasos"][2]["faltantes"], json!(["archivo_fotografico", "diagnostico_barrial"]));
    let (_, lines) = app.get_json("/ruta").await;
    let line = lines.as_array().expect("lines").iter().find(|l| l["barrio_id"] == barrio).expect("the barrio").clone();
    assert_eq!((line["paso"].as_u64(), line["pendientes"].as_u64(), line["ciclos"].as_u64()), (Some(3), Some(2), Some(1)));

    // A facilitator of the barrio sees the steps, not the files.
    let facilitator = signed_in(&app.url, "facilita").await;
    let theirs: Value =
        facilitator.get(format!("{}/api/v1/barrios/{barrio}/ruta", app.url)).send().await.expect("ruta").json().await.expect("json");
    assert_eq!(theirs["ciclos"][0]["registros"], json!([]));
    assert_eq!(theirs["ciclos"][0]["pasos"][0]["presentes"], json!(["informe"]));
    let mine: Value = facilitator.get(format!("{}/api/v1/ruta", app.url)).send().await.expect("ruta").json().await.expect("json");
    assert!(mine.as_array().is_some_and(|l| l.iter().all(|l| l["barrio_id"] == barrio)), "only the barrios they work in");

    // A withdrawn registro stays listed and stops counting.
    let withdraw = format!("/registros/{}/retiro", informe["id"].as_str().expect("id"));
    let (status, withdrawn) =
        app.post(&withdraw, Some("application/json"), json!({ "reason": "Era el informe de otro barrio" }).to_string()).await;
    assert_eq!(status, 201, "{withdrawn}");
    let (status, twice) = app.post(&withdraw, Some("application/json"), json!({ "reason": "otra vez" }).to_string()).await;
    assert_eq!((status, twice["error"]["code"].as_str()), (409, Some("already_withdrawn")));
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    assert_eq!(ruta["ciclos"][0]["pasos"][0]["faltantes"], json!(["informe"]));
    assert_eq!(ruta["ciclos"][0]["registros"].as_array().map(Vec::len), Some(2), "withdrawn, not gone");

    // Closing early needs a comment; a closed ciclo changes no more; the barrio may walk again.
    let close = format!("/ciclos/{ciclo}/cierre");
    let (status, early) = app.post(&close, Some("application/json"), "{}").await;
    assert_eq!((status, early["error"]["code"].as_str()), (422, Some("comment_missing")));
    let (status, closed) =
        app.post(&close, Some("application/json"), json!({ "comment": "El barrio salió de la priorización" }).to_string()).await;
    assert_eq!(status, 201, "{closed}");
    let (status, late) = step(&app, &ciclo, json!({ "to": 4, "reason": "x" })).await;
    assert_eq!((status, late["error"]["code"].as_str()), (409, Some("ciclo_closed")));
    let (status, _) = upload(&app, &ciclo, "paso=3&tipo=otro&fecha=2026-12-01", "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 409, "a closed ciclo keeps no new registros");
    let second = open_ciclo(&app, barrio).await;
    assert_ne!(second, ciclo);

    let (_, log) = app.get_json("/admin/audit").await;
    let actions: Vec<&str> = log.as_array().expect("log").iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["ciclo_open", "registro_add", "registro_download", "ciclo_step", "registro_withdraw", "ciclo_close"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "ciclo_step").count(), 2, "refused changes leave no line");
}

#[tokio::test]
async fn an_upload_is_typed_by_its_bytes_bounded_and_never_kept_half_way() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let ciclo = open_ciclo(&app, barrio).await;
    let q = "paso=1&tipo=informe&fecha=2026-11-30";
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (q, b"<html><script>alert(1)</script></html>".to_vec(), 415, "file_type_not_allowed"),
        (q, b"#!/bin/sh\necho hola\n".repeat(5_000), 415, "file_type_not_allowed"),
        (q, Vec::new(), 422, "empty_file"),
        // The test server takes files up to 2 MB.
        (q, [PDF, &vec![b' '; 3 * 1024 * 1024]].concat(), 413, "file_too_large"),
        ("paso=3&tipo=pacto_firmado&fecha=2026-11-30", PDF.to_vec(), 422, "tipo_not_of_step"),
        ("paso=10&tipo=informe&fecha=2026-11-30", PDF.to_vec(), 422, "no_such_step"),
        ("paso=1&tipo=informe&fecha=2026-02-30", PDF.to_vec(), 422, "bad_date"),
        ("paso=1&tipo=informe", PDF.to_vec(), 400, "invalid_query"),
        ("paso=uno&tipo=informe&fecha=2026-11-30", PDF.to_vec(), 400, "invalid_query"),
    ];
    for (query, bytes, status, code) in cases {
        let (got, body) = upload(&app, &ciclo, query, "application/pdf", bytes).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{query}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, bad_id) = upload(&app, "no-es-un-uuid", q, "application/pdf", PDF.to_vec()).await;
    assert_eq!((status, bad_id["error"]["code"].as_str()), (400, Some("invalid_id")));
    let (status, _) = upload(&app, &uuid::Uuid::new_v4().to_string(), q, "application/pdf", PDF.to_vec()).await;
    assert_eq!(status, 404);
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    assert_eq!(ruta["ciclos"][0]["registros"], json!([]), "nothing refused was kept");
    assert_eq!((files_in(&app, "sha256"), files_in(&app, "tmp")), (0, 0), "and no file was left on disk");

    // A burst of uploads at once (more than are written together): all kept, each once.
    let uploads = (0..10).map(|i| {
        let app = &app;
        let ciclo = ciclo.clone();
        async move {
            let bytes = [PDF, format!("% copia {i}\n").as_bytes(), &vec![b'x'; 200_000]].concat();
            upload(app, &ciclo, "paso=1&tipo=otro&fecha=2026-11-30", "application/pdf", bytes).await
        }
    });
    for (status, body) in futures_util::future::join_all(uploads).await {
        assert_eq!(status, 201, "{body}");
    }
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    assert_eq!(ruta["ciclos"][0]["registros"].as_array().map(Vec::len), Some(10));
    assert_eq!((files_in(&app, "sha256"), files_in(&app, "tmp")), (10, 0));
}

#[tokio::test]
async fn the_city_map_outlines_each_barrio_the_caller_works_in() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/ruta/mapa").await;
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.expect("text");
    let outlines: Value = serde_json::from_str(&text).expect("json");
    let (_, barrios) = app.get_json("/barrios").await;
    assert_eq!(outlines.as_array().map(Vec::len), barrios.as_array().map(Vec::len), "every barrio has its outline");
    assert!(outlines.as_array().expect("list").iter().all(|o| matches!(o["outline"]["type"].as_str(), Some("Polygon" | "MultiPolygon"))));
    println!("# figure city map outlines: {} barrios in {} bytes", outlines.as_array().map_or(0, Vec::len), text.len());
    assert!(text.len() < 400_000, "simplified: {} bytes", text.len());

    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let facilitator = signed_in(&app.url, "facilita").await;
    let theirs: Value = facilitator.get(format!("{}/api/v1/ruta/mapa", app.url)).send().await.expect("map").json().await.expect("json");
    assert_eq!(theirs.as_array().map(|l| l.iter().map(|o| o["barrio_id"].as_i64()).collect::<Vec<_>>()), Some(vec![Some(barrio)]));
}
