//! Indicator data (issue 23): the demo data a start gives the city, previews that keep
//! nothing, imports kept whole and listed, re-imports that supersede a period for the balance
//! while the history keeps the earlier one, XLSX workbooks, files that are no table, who may do
//! what, catalogue edits as versions, confirms at once, and the `import-indicators` command.

use std::io::Write;

use app::model::balance::indicador::fold_name;
use serde_json::{json, Value};
use server::store::{Store, ValorVigente};

use crate::helpers::{signed_in, spawn_app_with, AppOptions, TestApp, OTHER_CITY};

async fn app() -> TestApp {
    spawn_app_with(AppOptions { with_indicators: true, ..Default::default() }).await
}

/// Sends a file to the import with `client`: its status and answer.
async fn send(app: &TestApp, client: &reqwest::Client, query: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let res = client.post(format!("{}/api/v1/indicadores/importaciones{query}", app.url)).body(body).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn history(app: &TestApp) -> Vec<Value> {
    let (status, list) = app.get_json("/indicadores/importaciones").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().unwrap_or_default()
}

async fn vigentes(app: &TestApp) -> Vec<ValorVigente> {
    Store::open(&app.db_path).expect("store").valores_vigentes("47001").await.expect("values")
}

fn count(app: &TestApp, table: &str) -> i64 {
    let db = rusqlite::Connection::open(&app.db_path).expect("db");
    db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// A population import of barrio `pescaito` as the admin, confirmed: its id (for the access
/// table, whose server has no catalogue: population needs none).
pub async fn population_import(app: &TestApp) -> uuid::Uuid {
    let (status, body) =
        send(app, &app.client, "?archivo=poblacion.csv&confirmar=true", "barrio;periodo;indicador;valor\npescaito;2026;poblacion;1500\n")
            .await;
    assert_eq!(status, 201, "{body}");
    body["importacion"].as_str().and_then(|id| id.parse().ok()).expect("import id")
}

/// The demo import and its last cuatrimestre (the current one).
async fn demo(app: &TestApp) -> (String, String) {
    let list = history(app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let demo = &list[0];
    assert_eq!(
        (demo["ejemplo"].as_bool(), demo["by"].as_str(), demo["formato"].as_str()),
        (Some(true), Some("cartobarrio"), Some("generado"))
    );
    let periodo = demo["periodos"].as_array().and_then(|p| p.last()).and_then(Value::as_str).expect("a period").to_string();
    assert!(periodo.contains("-C"), "{periodo}");
    (demo["id"].as_str().expect("id").to_string(), periodo)
}

#[tokio::test]
async fn a_seeded_city_has_demo_data_a_preview_keeps_nothing_and_a_reimport_supersedes_the_period() {
    let app = app().await;
    let (demo_id, periodo) = demo(&app).await;
    let values = vigentes(&app).await;
    assert_eq!(values.len(), 327 * (2 + 9 * 6), "population for two years, nine indicators for six cuatrimestres");
    assert!(values.iter().all(|v| v.ejemplo && v.importacion.to_string() == demo_id));
    let demo_rows = count(&app, "indicator_values");

    let file = format!(
        "Barrio;Período;Indicador;Valor\nPESCAITO;{periodo};Homicidios;1\nBastidas;{periodo};hurto a personas;1.234\nNo Existe;{periodo};rinas;1\nNo Existe;{periodo};rinas;2\n"
    );
    let (status, preview) = send(&app, &app.client, "?archivo=datos.csv", file.clone()).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!((preview["filas"].as_u64(), preview["aceptadas"].as_u64(), preview["rechazadas"].as_u64()), (Some(4), Some(2), Some(2)));
    assert_eq!(preview["sin_coincidencia"], json!([["No Existe", 2]]));
    assert_eq!(preview["aproximados"], json!([["PESCAITO", "Pescaíto"]]));
    assert_eq!(preview["detalle"][0], json!({ "fila": 4, "problema": "barrio_desconocido", "nombre": "No Existe" }));
    assert_eq!(preview["reemplaza"], json!([[periodo, demo_id]]));
    assert_eq!(preview["importacion"], Value::Null);
    assert_eq!(
        (preview["archivo"].as_str(), preview["formato"].as_str(), preview["municipio"].as_str()),
        (Some("datos.csv"), Some("csv"), Some("47001"))
    );
    assert_eq!(history(&app).await.len(), 1, "a preview keeps nothing");
    assert_eq!(count(&app, "indicator_values"), demo_rows);

    let (status, first) = send(&app, &app.client, "?archivo=datos.csv&confirmar=true", file).await;
    assert_eq!(status, 201, "{first}");
    let first_id = first["importacion"].as_str().expect("kept").to_string();
    assert_eq!(first["reemplaza"], json!([[periodo, demo_id]]));
    let list = history(&app).await;
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["id"].as_str(), list[0]["ejemplo"].as_bool(), list[0]["by"].as_str()),
        (Some(first_id.as_str()), Some(false), Some("Cuenta admin"))
    );
    assert_eq!(list[1]["reemplazados"], json!([periodo]), "the demo's period was taken over");
    let (status, stored) = app.get_json(&format!("/indicadores/importaciones/{first_id}")).await;
    assert_eq!((status, &stored), (200, &first), "the report as it was answered");
    assert_eq!(count(&app, "indicator_values"), demo_rows + 2);

    // Real indicator values: every demo indicator value stands aside; the demo population stays.
    let pescaito = app.barrio_id("pescaito").await;
    let values = vigentes(&app).await;
    let mut real: Vec<(&str, i64, f64)> =
        values.iter().filter(|v| !v.ejemplo).map(|v| (v.indicador.as_str(), v.barrio_id, v.valor)).collect();
    real.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(real, vec![("homicidios", pescaito, 1.0), ("hurto_personas", app.barrio_id("bastidas").await, 1234.0)]);
    assert!(values.iter().filter(|v| v.ejemplo).all(|v| v.indicador == "poblacion"));
    assert_eq!(values.iter().filter(|v| v.ejemplo).count(), 327 * 2);

    // The period again, with another figure: it wins, the first import stays in the history.
    let again = format!("barrio,periodo,indicador,valor\nPescaíto,{periodo},homicidios,2\n");
    let (status, second) = send(&app, &app.client, "?archivo=corregido.csv&confirmar=true", again).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["reemplaza"], json!([[periodo, first_id]]));
    let list = history(&app).await;
    assert_eq!(list.len(), 3);
    assert_eq!((list[1]["id"].as_str(), list[1]["reemplazados"].clone()), (Some(first_id.as_str()), json!([periodo])));
    let real: Vec<(String, f64)> =
        vigentes(&app).await.into_iter().filter(|v| !v.ejemplo).map(|v| (v.importacion.to_string(), v.valor)).collect();
    assert_eq!(real, vec![(second["importacion"].as_str().expect("id").to_string(), 2.0)], "bastidas's figure went with its period");
    assert_eq!(count(&app, "indicator_values"), demo_rows + 3, "nothing deleted");
}

/// A workbook of one sheet, as Excel writes it in its simplest form (inline strings; a
/// leading `#` makes a number cell), made here with the `zip` crate.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, value) in row.iter().enumerate() {
            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            match value.strip_prefix('#') {
                Some(n) => sheet.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                None => sheet.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#)),
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rels}"><sheets><sheet name="Datos" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#)),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).expect("zip part");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn an_xlsx_workbook_is_imported_like_a_csv_and_what_is_no_table_is_refused() {
    let app = app().await;
    let (demo_id, _) = demo(&app).await;
    let before = count(&app, "indicator_values");
    let bytes = workbook(&[
        &["Datos del Observatorio, 2024"],
        &["Barrio", "Año", "Cuatrimestre", "Indicador", "Casos"],
        &["Gaira", "#2024", "#1", "Riñas", "#1.5"],
        &["Urb. Bastidas", "#2024", "III", "Extorsión", "#2"],
        &["Gaira", "#2024", "#2", "Riñas", "#-3"],
    ]);
    let (status, report) = send(&app, &app.client, "?archivo=observatorio.xlsx&confirmar=true", bytes).await;
    assert_eq!(status, 201, "{report}");
    assert_eq!((report["formato"].as_str(), report["filas"].as_u64(), report["aceptadas"].as_u64()), (Some("xlsx"), Some(3), Some(2)));
    assert_eq!(report["detalle"], json!([{ "fila": 5, "problema": "numero_invalido", "texto": "-3" }]), "rows as the sheet numbers them");
    assert_eq!(report["aproximados"], json!([["Urb. Bastidas", "Bastidas"]]));
    assert_eq!(report["periodos"], json!(["2024-C1", "2024-C3"]));
    assert_eq!(report["reemplaza"], json!([]), "the demo data does not go back that far");
    let gaira = app.barrio_id("gaira").await;
    assert!(vigentes(&app).await.iter().any(|v| v.barrio_id == gaira && v.indicador == "rinas" && v.valor == 1.5 && !v.ejemplo));
    let kept = count(&app, "indicator_values");
    assert_eq!(kept, before + 2);

    // Files that are no table, a header without what rows need, nothing to take, a body over
    // the limit: each refused with its code, and nothing kept.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([0u8; 64]);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("?confirmar=true", Vec::new(), 400, "empty_file"),
        ("?confirmar=true", png, 415, "unsupported_format"),
        ("?confirmar=true", b"\x00\x01\x02\x03\x04 binario".to_vec(), 415, "unsupported_format"),
        ("?confirmar=true", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 viejo".to_vec(), 415, "unsupported_format"),
        ("?confirmar=true", b"PK\x03\x04 no es un libro".to_vec(), 422, "unreadable_spreadsheet"),
        ("?confirmar=true", b"barrio;valor\nGaira;1\n".to_vec(), 422, "missing_columns"),
        ("?confirmar=true", b"barrio;periodo;indicador;valor\nNadie;2024-C1;rinas;1\n".to_vec(), 422, "nothing_accepted"),
        ("?confirmar=quizas", b"barrio;periodo;indicador;valor\nGaira;2024-C1;rinas;1\n".to_vec(), 400, "invalid_query"),
        ("?municipio=470&confirmar=true", b"barrio;periodo;indicador;valor\nGaira;2024-C1;rinas;1\n".to_vec(), 400, "invalid_query"),
        ("?confirmar=true", vec![b'a'; 8 * 1024 * 1024 + 1], 413, "payload_too_large"),
    ];
    for (query, body, expected, code) in cases {
        let (status, answer) = send(&app, &app.client, query, body).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (expected, Some(code)), "{query} {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
        if code == "nothing_accepted" {
            assert_eq!(answer["report"]["sin_coincidencia"], json!([["Nadie", 1]]), "the report comes along");
        }
    }
    assert_eq!(count(&app, "indicator_values"), kept);
    let list = history(&app).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["id"].as_str(), Some(demo_id.as_str()));
}

#[tokio::test]
async fn only_admins_import_and_edit_and_staff_read_their_cities() {
    let app = app().await;
    let (demo_id, _) = demo(&app).await;
    let url = |path: &str| format!("{}/api/v1{path}", app.url);
    let file = "barrio;periodo;indicador;valor\nGaira;2026;poblacion;1\n";
    let draft = json!({ "code": "percepcion", "nombre": "Percepción de seguridad", "unidad": "porcentaje", "direccion": "mayor_es_mejor" });
    let anonymous = reqwest::Client::new();
    let facilitator = signed_in(&app.url, "facilita").await;
    let staff = signed_in(&app.url, "equipo").await;
    let elsewhere = signed_in(&app.url, "equipo_bq").await;
    for (client, expected) in [(&anonymous, 401), (&facilitator, 403), (&staff, 403)] {
        assert_eq!(send(&app, client, "?confirmar=true", file).await.0, expected);
        assert_eq!(client.put(url("/indicadores/percepcion")).json(&draft).send().await.expect("put").status().as_u16(), expected);
    }
    for (client, expected) in [(&anonymous, 401), (&facilitator, 403)] {
        for path in ["/indicadores", "/indicadores/importaciones", &format!("/indicadores/importaciones/{demo_id}")] {
            assert_eq!(client.get(url(path)).send().await.expect("get").status().as_u16(), expected, "{path}");
        }
    }
    let list: Value = staff.get(url("/indicadores/importaciones")).send().await.expect("get").json().await.expect("json");
    assert_eq!(list[0]["id"].as_str(), Some(demo_id.as_str()), "staff read the history");
    let catalogue: Value = staff.get(url("/indicadores")).send().await.expect("get").json().await.expect("json");
    assert_eq!(catalogue.as_array().map(Vec::len), Some(9));
    // Staff of Barranquilla: their own city by default (nothing there), never Santa Marta's.
    let theirs: Value = elsewhere.get(url("/indicadores/importaciones")).send().await.expect("get").json().await.expect("json");
    assert_eq!(theirs, json!([]));
    assert_eq!(elsewhere.get(url("/indicadores/importaciones?municipio=47001")).send().await.expect("get").status().as_u16(), 403);
    assert_eq!(elsewhere.get(url(&format!("/indicadores/importaciones/{demo_id}"))).send().await.expect("get").status().as_u16(), 403);
    assert_eq!(
        elsewhere.get(url(&format!("/indicadores/importaciones?municipio={OTHER_CITY}"))).send().await.expect("get").status().as_u16(),
        200
    );
    assert_eq!(history(&app).await.len(), 1, "nothing was kept");
}

#[tokio::test]
async fn catalogue_edits_are_versions_and_an_inactive_indicator_takes_no_rows() {
    let app = app().await;
    let put = |code: &str, body: Value| {
        let request = app.client.put(format!("{}/api/v1/indicadores/{code}", app.url)).json(&body);
        async move {
            let res = request.send().await.expect("put");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let draft = json!({ "code": "percepcion", "nombre": "Percepción de seguridad", "unidad": "porcentaje", "direccion": "mayor_es_mejor", "fuente": "Encuesta" });
    let (status, created) = put("percepcion", draft.clone()).await;
    assert_eq!((status, created["version"].as_u64(), created["activo"].as_bool()), (201, Some(1), Some(true)), "{created}");
    let (status, same) = put("percepcion", draft.clone()).await;
    assert_eq!((status, same["version"].as_u64()), (200, Some(1)), "nothing changed, no version");
    let mut rinas = json!({ "code": "rinas", "nombre": "Riñas", "unidad": "casos", "direccion": "mayor_es_peor", "activo": false });
    let (status, edited) = put("rinas", rinas.clone()).await;
    assert_eq!(
        (status, edited["version"].as_u64(), edited["activo"].as_bool(), edited["updated_by"].as_str()),
        (200, Some(2), Some(false), Some("Cuenta admin"))
    );
    let (_, list) = app.get_json("/indicadores").await;
    let list = list.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 10);
    assert!(list.iter().any(|i| i["code"] == "rinas" && i["version"] == 2 && i["activo"] == false), "the current version, inactive too");
    let names: Vec<String> = list.iter().filter_map(|i| i["nombre"].as_str()).map(fold_name).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "by name: {names:?}");

    for (code, body, status, error) in [
        ("otro", draft.clone(), 422, "invalid_option"),
        (
            "Con Espacios",
            json!({ "code": "Con Espacios", "nombre": "X", "unidad": "casos", "direccion": "mayor_es_peor" }),
            422,
            "bad_indicator_code",
        ),
        (
            "poblacion",
            json!({ "code": "poblacion", "nombre": "X", "unidad": "casos", "direccion": "mayor_es_peor" }),
            422,
            "bad_indicator_code",
        ),
        ("vacio", json!({ "code": "vacio", "nombre": " ", "unidad": "casos", "direccion": "mayor_es_peor" }), 422, "bad_indicator_name"),
        ("malo", json!({ "code": "malo", "nombre": "X", "unidad": "litros", "direccion": "mayor_es_peor" }), 400, "malformed"),
    ] {
        let (got, answer) = put(code, body).await;
        assert_eq!((got, answer["error"]["code"].as_str()), (status, Some(error)), "{code}: {answer}");
    }
    let (_, audit) = app.get_json("/admin/audit").await;
    assert!(audit.as_array().is_some_and(|a| a.iter().any(|e| e["action"] == "indicador" && e["target"] == "rinas")), "{audit}");

    // The inactive entry takes no new rows; active again, it does.
    let file = "barrio;periodo;indicador;valor\nGaira;2024-C1;riñas;1\n";
    let (_, report) = send(&app, &app.client, "", file).await;
    assert_eq!(report["detalle"], json!([{ "fila": 2, "problema": "indicador_desconocido", "nombre": "riñas" }]));
    rinas["activo"] = json!(true);
    assert_eq!(put("rinas", rinas).await.1["version"].as_u64(), Some(3));
    assert_eq!(send(&app, &app.client, "", file).await.1["aceptadas"].as_u64(), Some(1));
}

#[tokio::test]
async fn imports_confirmed_at_once_are_each_kept_whole() {
    let app = app().await;
    let barrios: Vec<Value> = app.get("/api/v1/barrios").await.json().await.expect("json");
    let file = |value: u32| {
        let mut text = String::from("codigo;periodo;indicador;valor\n");
        for b in &barrios {
            for indicador in ["homicidios", "rinas", "hurto_personas"] {
                text.push_str(&format!("{};2023-C2;{indicador};{value}\n", b["code"].as_str().unwrap_or("")));
            }
        }
        text
    };
    let (a, b) = tokio::join!(
        send(&app, &app.client, "?archivo=a.csv&confirmar=true", file(1)),
        send(&app, &app.client, "?archivo=b.csv&confirmar=true", file(2))
    );
    assert_eq!((a.0, b.0), (201, 201), "{} {}", a.1, b.1);
    let rows = 327 * 3;
    assert_eq!((a.1["aceptadas"].as_u64(), b.1["aceptadas"].as_u64()), (Some(rows), Some(rows)));
    let db = rusqlite::Connection::open(&app.db_path).expect("db");
    for answer in [&a.1, &b.1] {
        let id = answer["importacion"].as_str().expect("id");
        let kept: u64 = db.query_row("SELECT count(*) FROM indicator_values WHERE import_id = ?1", [id], |r| r.get(0)).expect("count");
        assert_eq!(kept, rows, "whole");
    }
    // One after the other: the second took the period over from the first.
    let (first, second) = if a.1["reemplaza"] == json!([]) { (&a.1, &b.1) } else { (&b.1, &a.1) };
    assert_eq!(second["reemplaza"], json!([["2023-C2", first["importacion"]]]));
    let values = vigentes(&app).await;
    let current: Vec<&ValorVigente> = values.iter().filter(|v| !v.ejemplo).collect();
    assert_eq!(current.len() as u64, rows);
    assert!(current.iter().all(|v| v.importacion.to_string() == second["importacion"].as_str().unwrap_or("")));
}

#[tokio::test]
async fn the_command_previews_imports_and_refuses_a_file_with_nothing_to_take() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("cartobarrio.sqlite3");
    let config = crate::helpers::config(db.clone());
    let file = dir.path().join("datos.csv");
    // As a Colombian Excel saves CSV: Windows-1252.
    std::fs::write(&file, b"Barrio;A\xF1o;Mes;Indicador;Valor\nPesca\xEDto;2025;septiembre;Ri\xF1as;3\nGaira;2025;13;Ri\xF1as;1\n")
        .expect("write");
    let args = server::config::ImportIndicatorsArgs { file: file.clone(), municipio: None, dry_run: true };
    let report = server::import_indicators_command(&config, &args).await.expect("dry run");
    assert_eq!((report.aceptadas, report.rechazadas, report.importacion), (1, 1, None));
    assert!(!db.exists(), "a dry run creates no database");
    let text = server::indicadores::report::reporte_es(&report);
    assert!(text.contains("fila 3: «13 2025» no es un periodo") && text.contains("Vista previa"), "{text}");

    let report = server::import_indicators_command(&config, &server::config::ImportIndicatorsArgs { dry_run: false, ..args.clone() })
        .await
        .expect("import");
    assert!(report.importacion.is_some());
    assert_eq!(report.periodos, vec!["2025-09"]);
    let store = Store::open(&db).expect("store");
    let values = store.valores_vigentes("47001").await.expect("values");
    assert_eq!(values.len(), 1);
    assert_eq!((values[0].indicador.as_str(), values[0].valor, values[0].ejemplo), ("rinas", 3.0, false));
    assert_eq!(store.indicator_imports("47001").await.expect("history")[0].by, "línea de comandos");

    std::fs::write(&file, "barrio;periodo;indicador;valor\nNadie;2025-C1;rinas;1\n").expect("write");
    let report = server::import_indicators_command(&config, &server::config::ImportIndicatorsArgs { dry_run: false, ..args.clone() })
        .await
        .expect("read");
    assert_eq!((report.aceptadas, report.importacion), (0, None), "nothing kept: the command exits non-zero on it");
    assert_eq!(store.indicator_imports("47001").await.expect("history").len(), 1);
    std::fs::write(&file, b"\x00\x01binario").expect("write");
    let err = server::import_indicators_command(&config, &args).await.expect_err("refused");
    assert!(err.to_string().contains("no es CSV"), "{err}");
}
