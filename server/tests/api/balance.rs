//! Pasos 1–2 through the API: the balance of a small city made by hand (its places and
//! contributions computed in the comments), its defaults and refusals, its CSV, the ISCB's
//! versions, barrios prioritised into the ruta all or nothing, and the oficios de convocatoria.

use serde_json::{json, Value};

use crate::helpers::{signed_in, spawn_app, TestApp, OTHER_CITY};

/// Two indicators of the initial catalogue, and a third one inactive.
const CATALOGO: &str =
    "INSERT INTO indicadores (code, version, nombre, unidad, direccion, descripcion, fuente, activo, at_ms, by_user) VALUES \
    ('homicidios', 1, 'Homicidios', 'casos', 'mayor_es_peor', '', 'SIEDCO', 1, 0, 'prueba'), \
    ('hurto_personas', 1, 'Hurto a personas', 'casos', 'mayor_es_peor', '', 'SIEDCO', 1, 0, 'prueba'), \
    ('percepcion', 1, 'Percepción de seguridad', 'puntaje', 'mayor_es_mejor', '', 'Encuesta', 1, 0, 'prueba'), \
    ('percepcion', 2, 'Percepción de seguridad', 'puntaje', 'mayor_es_mejor', '', 'Encuesta', 0, 1, 'prueba')";

/// The small city's barrios, in `OTHER_CITY` (Barranquilla), by code: A, B, C and D.
const BARRIOS: [(&str, &str); 4] = [("a", "Las Flores"), ("b", "Rebolo"), ("c", "=HYPERLINK(\"http://x\")"), ("d", "El Prado")];

fn db(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(&app.db_path).expect("open the database")
}

/// Adds the city's barrios and returns their ids, A to D.
fn city(app: &TestApp) -> [i64; 4] {
    let c = db(app);
    BARRIOS.map(|(code, name)| {
        c.execute(
            "INSERT INTO barrios (municipio, code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source) \
             VALUES (?1, ?2, ?3, 'Comuna 1', '{\"type\":\"Polygon\",\"coordinates\":[[[-74.8,11.0],[-74.79,11.0],[-74.79,11.01],[-74.8,11.0]]]}', \
             -74.8, 11.0, -74.79, 11.01, 10.0, 'prueba')",
            rusqlite::params![OTHER_CITY, code, name],
        )
        .expect("barrio");
        c.last_insert_rowid()
    })
}

/// An import of `rows` (period, barrio, indicator, value), each period replacing earlier ones.
fn import(app: &TestApp, id: &str, ejemplo: bool, rows: &[(&str, i64, &str, f64)]) {
    let c = db(app);
    c.execute(
        "INSERT INTO indicator_imports (id, municipio, archivo, formato, at_ms, by_user, ejemplo, aceptadas, rechazadas, report) \
         VALUES (?1, ?2, 'odsc.csv', 'csv', 0, 'prueba', ?3, 0, 0, '{}')",
        rusqlite::params![id, OTHER_CITY, ejemplo],
    )
    .expect("import");
    let mut periods: Vec<&str> = rows.iter().map(|r| r.0).collect();
    periods.sort_unstable();
    periods.dedup();
    for p in periods {
        c.execute(
            "INSERT INTO indicator_import_periods (import_id, municipio, periodo) VALUES (?1, ?2, ?3)",
            rusqlite::params![id, OTHER_CITY, p],
        )
        .expect("period");
    }
    for (periodo, barrio, indicador, valor) in rows {
        c.execute(
            "INSERT INTO indicator_values (import_id, barrio_id, periodo, indicador, valor) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![id, barrio, periodo, indicador, valor],
        )
        .expect("value");
    }
}

const OLD: &str = "00000000-0000-4000-8000-000000000001";
const CURRENT: &str = "00000000-0000-4000-8000-000000000002";
const MONTHS: &str = "00000000-0000-4000-8000-000000000003";
const YEARS: &str = "00000000-0000-4000-8000-000000000004";
const DEMO: &str = "00000000-0000-4000-8000-000000000005";

/// The city with its data:
/// - population: A 10,000, B 20,000 (2025 and 2026); C 5,000 (2025 only: 2026 uses it); D none.
/// - 2026-C3, cuatrimestre rows (an older import of the period, replaced, said otherwise):
///   homicides A 2, B 3, C none, D 1; thefts A 10, B 30, C 5, D 3.
/// - 2026-C2, month rows: homicides A 1 + 1, B 1, C none; thefts A 5 + 5, B 10 + 10, C 10.
/// - 2025-C3: every barrio the same rate of each. 2024-C3, from demo data, which the real
///   imports set aside.
fn data(app: &TestApp) -> [i64; 4] {
    let [a, b, c, d] = city(app);
    db(app).execute_batch(CATALOGO).expect("catalogue");
    import(app, OLD, false, &[("2026-C3", a, "homicidios", 50.0), ("2026-C3", b, "homicidios", 0.0)]);
    import(
        app,
        YEARS,
        false,
        &[
            ("2025", a, "poblacion", 10_000.0),
            ("2025", b, "poblacion", 20_000.0),
            ("2025", c, "poblacion", 5_000.0),
            ("2026", a, "poblacion", 10_000.0),
            ("2026", b, "poblacion", 20_000.0),
            ("2025-C3", a, "homicidios", 0.0),
            ("2025-C3", a, "hurto_personas", 10.0),
            ("2025-C3", b, "hurto_personas", 20.0),
            ("2025-C3", c, "hurto_personas", 5.0),
        ],
    );
    import(
        app,
        CURRENT,
        false,
        &[
            ("2026-C3", a, "homicidios", 2.0),
            ("2026-C3", b, "homicidios", 3.0),
            ("2026-C3", d, "homicidios", 1.0),
            ("2026-C3", a, "hurto_personas", 10.0),
            ("2026-C3", b, "hurto_personas", 30.0),
            ("2026-C3", c, "hurto_personas", 5.0),
            ("2026-C3", d, "hurto_personas", 3.0),
        ],
    );
    import(
        app,
        MONTHS,
        false,
        &[
            ("2026-05", a, "homicidios", 1.0),
            ("2026-06", a, "homicidios", 1.0),
            ("2026-07", b, "homicidios", 1.0),
            ("2026-05", a, "hurto_personas", 5.0),
            ("2026-06", a, "hurto_personas", 5.0),
            ("2026-05", b, "hurto_personas", 10.0),
            ("2026-08", b, "hurto_personas", 10.0),
            ("2026-08", c, "hurto_personas", 10.0),
        ],
    );
    import(app, DEMO, true, &[("2024-C3", a, "hurto_personas", 1.0), ("2024", a, "poblacion", 1_000.0)]);
    [a, b, c, d]
}

/// Version 2: homicides weighing double thefts, min–max of rates per 10,000, each period
/// against itself.
fn definicion() -> Value {
    json!({
        "componentes": [{ "indicador": "homicidios", "peso": 2.0 }, { "indicador": "hurto_personas", "peso": 1.0 }],
        "normalizacion": "min_max",
        "por_10k": true,
        "periodo_referencia": null,
        "nota": " Solo delitos contra la vida y el patrimonio. ",
    })
}

async fn define(app: &TestApp, body: &Value) -> (u16, Value) {
    app.post("/iscb/definiciones", Some("application/json"), body.to_string()).await
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

fn fila(balance: &Value, barrio: i64) -> &Value {
    balance["filas"].as_array().and_then(|f| f.iter().find(|f| f["barrio_id"] == barrio)).expect("the barrio's line")
}

#[tokio::test]
async fn a_small_city_s_balance_ranks_explains_and_compares_its_barrios() {
    let app = spawn_app().await;
    let [a, b, c, d] = data(&app);
    let (status, v2) = define(&app, &definicion()).await;
    assert_eq!(status, 201, "{v2}");
    // Barrio A walks the ruta (step 1); C's community asked to enter it.
    let (status, _) = app.post(&format!("/barrios/{a}/ciclos"), None, "").await;
    assert_eq!(status, 201);
    let (status, _) = crate::inscripciones::send(&app, &crate::inscripciones::request(c)).await;
    assert_eq!(status, 202);

    let (status, balance) = app.get_json(&format!("/balance?municipio={OTHER_CITY}&version=2")).await;
    assert_eq!(status, 200, "{balance}");
    assert_eq!((balance["periodo"].as_str(), balance["definicion"]["version"].as_u64()), (Some("2026-C3"), Some(2)));
    // 2026-C3. Weights 2/3 and 1/3. Rates per 10,000:
    //   homicides A 2, B 1.5, C 0 (no row: 0, others have it) → min 0, max 2 → n A 1, B 0.75, C 0
    //   thefts    A 10, B 15, C 10 (C: 5 per 5,000, 2025's population) → n A 0, B 1, C 0
    //   (D has no population: none of its counts is compared.)
    // Index = 100 (2/3 (1 − n_h) + 1/3 (1 − n_u)):
    //   B: 100 (2/3 × 0.25 + 0) = 16.667;  A: 100 (0 + 1/3) = 33.333;  C: 100 (2/3 + 1/3) = 100.
    let order: Vec<(i64, Option<u64>)> =
        balance["filas"].as_array().expect("filas").iter().map(|f| (f["barrio_id"].as_i64().unwrap_or(0), f["puesto"].as_u64())).collect();
    assert_eq!(order, vec![(b, Some(1)), (a, Some(2)), (c, Some(3)), (d, None)]);
    let (fa, fb, fc, fd) = (fila(&balance, a), fila(&balance, b), fila(&balance, c), fila(&balance, d));
    assert!(close(&fb["indice"], 50.0 / 3.0) && close(&fa["indice"], 100.0 / 3.0) && close(&fc["indice"], 100.0), "{balance}");
    assert!(close(&fb["aportes"][0]["aporte"], 50.0 / 3.0) && close(&fb["aportes"][1]["aporte"], 0.0));
    assert!(close(&fb["aportes"][0]["tasa"], 1.5) && close(&fb["aportes"][0]["valor"], 3.0));
    assert!(close(&fc["aportes"][1]["tasa"], 10.0) && close(&fc["poblacion"], 5_000.0), "the latest earlier year's population");
    for f in [fa, fb, fc] {
        let sum: f64 = f["aportes"].as_array().expect("aportes").iter().filter_map(|x| x["aporte"].as_f64()).sum();
        assert!(close(&f["indice"], sum), "contributions add up to the index: {f}");
    }
    assert_eq!(fd["sin_indice"], json!({ "motivo": "sin_poblacion" }));
    // 2026-C2 from months (counts added up): homicides A 2, B 1, C 0 → rates A 2, B 0.5, C 0;
    // thefts A 10, B 20, C 10 → rates A 10, B 10, C 20. n: A (1, 0), B (0.25, 0), C (0, 1).
    //   A: 33.333 (place 1);  C: 66.667 (2);  B: 100 (2/3 × 0.75 + 1/3) = 83.333 (3).
    assert_eq!(
        (fa["puesto_anterior"].as_u64(), fc["puesto_anterior"].as_u64(), fb["puesto_anterior"].as_u64()),
        (Some(1), Some(2), Some(3))
    );
    assert!(close(&fb["cambio_anterior"], 50.0 / 3.0 - 250.0 / 3.0) && close(&fa["cambio_anterior"], 0.0));
    // 2025-C3: one rate of each for all (homicides 0; thefts 10 per 10,000): zero ranges, every
    // index 50.
    assert!(close(&fc["cambio_anual"], 50.0) && close(&fa["cambio_anual"], 100.0 / 3.0 - 50.0));
    let periodos = json!(["2025-C1", "2025-C2", "2025-C3", "2026-C1", "2026-C2", "2026-C3"]);
    assert_eq!(balance["periodos_tendencia"], periodos);
    assert!(fa["tendencia"][0].is_null() && close(&fa["tendencia"][2], 50.0) && fa["tendencia"][3].is_null());
    assert!(close(&fa["tendencia"][4], 100.0 / 3.0) && close(&fa["tendencia"][5], 100.0 / 3.0));
    assert_eq!(balance["periodos"], json!(["2026-C3", "2026-C2", "2025-C3"]), "demo data gives way to real imports");
    // The map's classes: three indices in five classes give three classes.
    assert_eq!(balance["cortes"].as_array().map(Vec::len), Some(2));
    assert_eq!((fb["clase"].as_u64(), fc["clase"].as_u64(), fd["clase"].as_u64()), (Some(0), Some(2), None));
    // The ruta: A at step 1, C with a request waiting.
    assert_eq!((fa["paso"].as_u64(), fb["paso"].as_u64(), fc["inscripciones"].as_u64()), (Some(1), None, Some(1)));
    assert_eq!(balance["ejemplo"], false);
    let mut imports: Vec<&str> = balance["importaciones"].as_array().expect("imports").iter().filter_map(Value::as_str).collect();
    imports.sort_unstable();
    assert_eq!(imports, vec![CURRENT, MONTHS, YEARS], "the replaced import of 2026-C3 is not used");
    let names: Vec<&str> = balance["indicadores"].as_array().expect("catalogue").iter().filter_map(|i| i["code"].as_str()).collect();
    assert_eq!(names, ["homicidios", "hurto_personas"]);

    // The demo's period is not there any more; a city with demo data only says so.
    let (status, _) = app.get_json(&format!("/balance?municipio={OTHER_CITY}&periodo=2024-C3&version=2")).await;
    assert_eq!(status, 404);
    let only_demo = demo_city().await;
    let (status, demo) = only_demo.get_json(&format!("/balance?municipio={OTHER_CITY}&version=2")).await;
    assert_eq!((status, demo["ejemplo"].as_bool()), (200, Some(true)), "{demo}");
    assert_eq!(demo["importaciones"], json!([DEMO]));
}

/// The small city with nothing but demo data, and version 2 of the definition.
async fn demo_city() -> TestApp {
    let app = spawn_app().await;
    db(&app).execute_batch(CATALOGO).expect("catalogue");
    let [a, b, ..] = city(&app);
    let rows = [
        ("2024-C3", a, "hurto_personas", 1.0),
        ("2024-C3", b, "homicidios", 1.0),
        ("2024", a, "poblacion", 1_000.0),
        ("2024", b, "poblacion", 800.0),
    ];
    import(&app, DEMO, true, &rows);
    define(&app, &definicion()).await;
    app
}

#[tokio::test]
async fn the_balance_defaults_to_the_callers_city_the_newest_period_and_the_latest_definition() {
    let app = spawn_app().await;
    // No data yet: a clear 404, for whoever asks.
    let (status, none) = app.get_json("/balance").await;
    assert_eq!((status, none["error"]["code"].as_str()), (404, Some("no_data")), "{none}");
    assert!(none["error"]["message"].as_str().is_some_and(|m| m.contains("importe los datos")), "{none}");
    let (status, none) = app.get_json("/balance?municipio=47001").await;
    assert_eq!((status, none["error"]["code"].as_str()), (404, Some("no_data")));
    assert!(none["error"]["message"].as_str().is_some_and(|m| m.contains("Santa Marta")), "{none}");

    let [a, b, ..] = data(&app);
    // The only city with data, its newest period, the latest definition (the first, v1, which
    // also counts extortion and the rest: their counts are missing this period, so they are
    // missing for everyone).
    let (status, balance) = app.get_json("/balance").await;
    assert_eq!(status, 200, "{balance}");
    assert_eq!((balance["municipio"].as_str(), balance["periodo"].as_str()), (Some(OTHER_CITY), Some("2026-C3")));
    assert_eq!((balance["definicion"]["version"].as_u64(), balance["definicion"]["created_by"].as_str()), (Some(1), Some("cartobarrio")));
    assert_eq!(fila(&balance, a)["sin_indice"], json!({ "motivo": "falta_indicador", "indicador": "hurto_residencias" }));
    // Staff of that city get it by default; staff of Santa Marta only are refused it.
    let theirs = signed_in(&app.url, "equipo_bq").await;
    let res = theirs.get(format!("{}/api/v1/balance?version=1", app.url)).send().await.expect("balance");
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["municipio"], OTHER_CITY);
    let res = theirs.get(format!("{}/api/v1/balance?municipio=47001", app.url)).send().await.expect("balance");
    assert_eq!(res.status().as_u16(), 403);
    // Facilitators and anonymous callers are not staff.
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(facilitator.get(format!("{}/api/v1/balance", app.url)).send().await.expect("balance").status().as_u16(), 403);
    assert_eq!(reqwest::get(format!("{}/api/v1/balance", app.url)).await.expect("balance").status().as_u16(), 401);
    assert_eq!(reqwest::get(format!("{}/api/v1/balance.csv", app.url)).await.expect("csv").status().as_u16(), 401);

    // What cannot be read, and what has no data.
    for (query, status, code, field) in [
        ("periodo=2026-C4", 400, "invalid_query", "periodo"),
        ("periodo=septiembre", 400, "invalid_query", "periodo"),
        ("version=0", 400, "invalid_query", "version"),
        ("version=uno", 400, "invalid_query", "version"),
        ("municipio=Barranquilla", 400, "invalid_query", "municipio"),
        ("version=9", 404, "unknown_version", "version"),
        ("periodo=2019-C1", 404, "no_period_data", "periodo"),
    ] {
        let (got, body) = app.get_json(&format!("/balance?{query}")).await;
        assert_eq!(
            (got, body["error"]["code"].as_str(), body["error"]["field"].as_str()),
            (status, Some(code), Some(field)),
            "{query}: {body}"
        );
    }
    // A definition fixed to a reference period without data cannot be computed.
    let mut fixed = definicion();
    fixed["periodo_referencia"] = json!("2020-C1");
    let (status, v2) = define(&app, &fixed).await;
    assert_eq!(status, 201, "{v2}");
    let (status, refused) = app.get_json("/balance").await;
    assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("reference_without_data")), "{refused}");
    // Fixed to 2026-C2 instead: the period is compared with it (and it with itself).
    fixed["periodo_referencia"] = json!("2026-C2");
    let (status, _) = define(&app, &fixed).await;
    assert_eq!(status, 201);
    let (status, balance) = app.get_json("/balance").await;
    assert_eq!((status, balance["definicion"]["version"].as_u64()), (200, Some(3)), "{balance}");
    // Against 2026-C2's rates (homicides 0–2, thefts 10–20): B's thefts, 15, are n = 0.5 now,
    // and B = 100 (2/3 × 0.25 + 1/3 × 0.5) = 33.333 ties with A = 100 (0 + 1/3).
    let (fa, fb) = (fila(&balance, a), fila(&balance, b));
    assert!(close(&fb["aportes"][1]["normalizado"], 0.5) && close(&fb["indice"], 100.0 / 3.0), "{balance}");
    assert_eq!((fa["puesto"].as_u64(), fb["puesto"].as_u64()), (Some(1), Some(1)), "a tie shares the place");
}

#[tokio::test]
async fn the_balance_as_csv_names_its_period_and_version_and_defuses_formulas() {
    let app = spawn_app().await;
    data(&app);
    define(&app, &definicion()).await;
    let res = app.get("/api/v1/balance.csv?version=2").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_string();
    assert_eq!(disposition, format!("attachment; filename=\"balance-{OTHER_CITY}-2026-C3-v2.csv\""));
    let bytes = res.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("cuatrimestre 3 de 2026") && lines[0].contains("Barranquilla"), "{text}");
    assert!(lines[1].contains("ISCB versión 2") && !text.contains("DATOS DE EJEMPLO"), "{text}");
    let header = lines.iter().position(|l| l.starts_with("puesto,")).expect("the header row");
    assert_eq!(
        lines[header],
        "puesto,codigo,barrio,comuna,indice,clase,cambio_anterior,cambio_anual,puesto_anterior,poblacion,sin_indice,\
         homicidios_valor,homicidios_tasa,homicidios_aporte,hurto_personas_valor,hurto_personas_tasa,hurto_personas_aporte"
    );
    assert_eq!(lines[header + 1], "1,b,Rebolo,Comuna 1,16.6667,1,-66.6667,-33.3333,3,20000,,3,1.5000,16.6667,30,15.0000,0.0000");
    assert!(lines[header + 3].starts_with("3,c,\"'=HYPERLINK(\"\"http://x\"\")\",Comuna 1,100.0000"), "a formula is defused: {text}");
    // D has no index: its place, figures and contributions are empty, and it says why.
    assert_eq!(lines[header + 4], format!(",d,El Prado,Comuna 1{}sin población{}", ",".repeat(7), ",".repeat(6)));
    let demo = demo_city().await.get("/api/v1/balance.csv?version=2&periodo=2024-C3").await.text().await.expect("text");
    assert!(demo.contains("DATOS DE EJEMPLO"), "{demo}");
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(log.to_string().contains("balance_export"), "downloads are in the audit log");
}

#[tokio::test]
async fn definitions_are_versions_checked_against_the_catalogue_and_admins_write_them() {
    let app = spawn_app().await;
    db(&app).execute_batch(CATALOGO).expect("catalogue");
    let (status, list) = app.get_json("/iscb/definiciones").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "the first start stored the initial one");
    assert_eq!((list[0]["version"].as_u64(), list[0]["componentes"].as_array().map(Vec::len)), (Some(1), Some(9)));

    let (status, v2) = define(&app, &definicion()).await;
    assert_eq!(status, 201, "{v2}");
    assert_eq!((v2["version"].as_u64(), v2["nota"].as_str()), (Some(2), Some("Solo delitos contra la vida y el patrimonio.")));
    assert_eq!(v2["created_by"], "Cuenta admin");
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut body = definicion();
        f(&mut body);
        body
    };
    for (body, code) in [
        (bad(&|b| b["componentes"] = json!([])), "no_components"),
        (bad(&|b| b["componentes"][0]["indicador"] = json!("secuestro")), "unknown_indicator"),
        (bad(&|b| b["componentes"] = json!([{ "indicador": "percepcion", "peso": 1 }])), "unknown_indicator"),
        (bad(&|b| b["componentes"][1]["indicador"] = json!("homicidios")), "repeated_indicator"),
        (bad(&|b| b["componentes"][0]["peso"] = json!(0)), "bad_weight"),
        (bad(&|b| b["componentes"][0]["peso"] = json!(-2.5)), "bad_weight"),
    ] {
        let (status, refused) = define(&app, &body).await;
        assert_eq!(
            (status, refused["error"]["code"].as_str(), refused["error"]["field"].as_str()),
            (422, Some(code), Some("componentes")),
            "{body}"
        );
        assert!(refused["error"]["message"].as_str().is_some_and(|m| !m.is_empty()) && refused["error"]["message_en"].is_string());
    }
    let (status, refused) = define(&app, &bad(&|b| b["periodo_referencia"] = json!("2026-C9"))).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (400, Some("malformed")));
    let (status, _) = app.post("/iscb/definiciones", Some("text/plain"), definicion().to_string()).await;
    assert_eq!(status, 415);
    // Staff read them; only admins write them.
    let staff = signed_in(&app.url, "equipo").await;
    let res = staff.post(format!("{}/api/v1/iscb/definiciones", app.url)).json(&definicion()).send().await.expect("post");
    assert_eq!(res.status().as_u16(), 403);
    let list: Value = staff.get(format!("{}/api/v1/iscb/definiciones", app.url)).send().await.expect("list").json().await.expect("json");
    assert_eq!(
        list.as_array().map(|l| l.iter().filter_map(|d| d["version"].as_u64()).collect::<Vec<_>>()),
        Some(vec![2, 1]),
        "newest first"
    );
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(facilitator.get(format!("{}/api/v1/iscb/definiciones", app.url)).send().await.expect("list").status().as_u16(), 403);
    assert_eq!(reqwest::get(format!("{}/api/v1/iscb/definiciones", app.url)).await.expect("list").status().as_u16(), 401);
    // Stored versions are never changed.
    let changed = db(&app).execute("UPDATE iscb_definitions SET by_user = 'otro'", []);
    assert!(changed.is_err());
}

async fn prioritise(client: &reqwest::Client, app: &TestApp, body: &Value) -> (u16, Value) {
    let res = client.post(format!("{}/api/v1/balance/priorizaciones", app.url)).json(body).send().await.expect("post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn count(app: &TestApp, table: &str) -> i64 {
    db(app).query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

#[tokio::test]
async fn prioritised_barrios_enter_the_ruta_with_the_balance_all_or_none() {
    let app = spawn_app().await;
    let [a, b, c, _] = data(&app);
    define(&app, &definicion()).await;
    let (status, _) = crate::inscripciones::send(&app, &crate::inscripciones::request(c)).await;
    assert_eq!(status, 202);
    let (_, requests) = app.get_json("/inscripciones").await;
    let inscripcion = requests[0]["id"].as_str().expect("the request").to_string();

    let staff = signed_in(&app.url, "equipo_bq").await;
    let choice = |elegidos: Value| json!({ "municipio": OTHER_CITY, "periodo": "2026-C3", "version": 2, "elegidos": elegidos });
    let (status, kept) = prioritise(
        &staff,
        &app,
        &choice(json!([
            { "barrio_id": b, "motivo": "  Primer puesto del balance  " },
            { "barrio_id": c, "motivo": "La JAC lo pidió", "inscripcion_id": inscripcion },
        ])),
    )
    .await;
    assert_eq!(status, 201, "{kept}");
    assert_eq!(
        (kept[0]["fuente"].as_str(), kept[0]["puesto"].as_u64(), kept[0]["motivo"].as_str()),
        (Some("ranking"), Some(1), Some("Primer puesto del balance"))
    );
    assert_eq!((kept[1]["fuente"].as_str(), kept[1]["inscripcion_id"].as_str()), (Some("inscripcion"), Some(inscripcion.as_str())));
    assert!(close(&kept[0]["indice"], 50.0 / 3.0) && kept[0]["barrio"] == "Rebolo");

    // B walks the ruta now, at step 1, with the balance as its informe.
    let (_, ruta) = app.get_json(&format!("/barrios/{b}/ruta")).await;
    let ciclo = &ruta["ciclos"][0];
    assert_eq!((ciclo["ciclo"]["id"].as_str(), ciclo["ciclo"]["closed_at_ms"].is_null()), (kept[0]["ciclo_id"].as_str(), true));
    assert_eq!(ciclo["pasos"][0]["presentes"], json!(["informe"]), "step 1 keeps its informe");
    let registro = &ciclo["registros"][0];
    assert_eq!(
        (registro["id"].as_str(), registro["formato"].as_str(), registro["paso"].as_str()),
        (kept[0]["registro_id"].as_str(), Some("csv"), Some("identificacion"))
    );
    assert_eq!(registro["nombre"], format!("balance-{OTHER_CITY}-2026-C3-v2.csv"));
    assert_eq!(
        registro["descripcion"],
        "Balance de seguridad y convivencia — cuatrimestre 3 de 2026 · ISCB v2 · puesto 1 de 3 · Motivo: Primer puesto del balance"
    );
    let file =
        staff.get(format!("{}/api/v1/registros/{}/archivo", app.url, registro["id"].as_str().expect("id"))).send().await.expect("file");
    assert_eq!(file.headers()["content-type"], "text/csv; charset=utf-8");
    let text = file.text().await.expect("csv");
    assert!(text.contains("ISCB versión 2") && text.contains("1,b,Rebolo,"), "{text}");
    // The request C's community sent is answered: accepted, with the ciclo it opened.
    let (_, requests) = app.get_json("/inscripciones").await;
    assert_eq!(requests[0]["decision"]["ciclo_id"], kept[1]["ciclo_id"]);
    let (_, balance) = app.get_json("/balance?version=2").await;
    assert_eq!((fila(&balance, b)["paso"].as_u64(), fila(&balance, c)["inscripciones"].as_u64()), (Some(1), Some(0)));

    // All or none: B walks a ciclo already, so A is not kept either.
    let before = [count(&app, "ciclos"), count(&app, "registros"), count(&app, "priorizaciones")];
    let (status, refused) = prioritise(
        &staff,
        &app,
        &choice(json!([{ "barrio_id": a, "motivo": "Segundo puesto" }, { "barrio_id": b, "motivo": "Otra vez" }])),
    )
    .await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("ciclo_open")), "{refused}");
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.contains("Rebolo")), "names the barrio: {refused}");
    assert_eq!([count(&app, "ciclos"), count(&app, "registros"), count(&app, "priorizaciones")], before, "nothing half-stored");
    let (_, ruta) = app.get_json(&format!("/barrios/{a}/ruta")).await;
    assert_eq!(ruta["ciclos"], json!([]));

    // What a choice may not be.
    let santa_marta = app.barrio_id(crate::helpers::FACILITATOR_BARRIO).await;
    let other_request = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f";
    for (elegidos, status, code) in [
        (json!([]), 422, "nothing_chosen"),
        (json!([{ "barrio_id": a, "motivo": " " }]), 422, "reason_missing"),
        (json!([{ "barrio_id": a, "motivo": "x" }, { "barrio_id": a, "motivo": "y" }]), 422, "repeated_barrio"),
        (json!([{ "barrio_id": a, "motivo": "x", "inscripcion_id": inscripcion }]), 422, "inscripcion_not_of_barrio"),
        (json!([{ "barrio_id": a, "motivo": "x", "inscripcion_id": other_request }]), 422, "inscripcion_not_of_barrio"),
    ] {
        let (got, body) = prioritise(&app.client, &app, &choice(elegidos.clone())).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{elegidos}: {body}");
    }
    let (got, body) = prioritise(&app.client, &app, &choice(json!([{ "barrio_id": santa_marta, "motivo": "x" }]))).await;
    assert_eq!((got, body["error"]["code"].as_str()), (422, Some("unknown_barrio")), "a barrio of another city: {body}");
    let mut no_data = choice(json!([{ "barrio_id": a, "motivo": "x" }]));
    no_data["periodo"] = json!("2026-C1");
    let (got, body) = prioritise(&app.client, &app, &no_data).await;
    assert_eq!((got, body["error"]["code"].as_str()), (404, Some("no_period_data")));
    assert_eq!(count(&app, "priorizaciones"), 2);
    // Staff of another city, facilitators and anonymous callers may not.
    let samarios = signed_in(&app.url, "facilita").await;
    assert_eq!(prioritise(&samarios, &app, &choice(json!([{ "barrio_id": a, "motivo": "x" }]))).await.0, 403);
    assert_eq!(prioritise(&reqwest::Client::new(), &app, &choice(json!([{ "barrio_id": a, "motivo": "x" }]))).await.0, 401);

    // The list, newest first, and the audit log.
    let (status, list) = app.get_json(&format!("/balance/priorizaciones?municipio={OTHER_CITY}&periodo=2026-C3")).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let (_, other_period) = app.get_json("/balance/priorizaciones?periodo=2026-C2").await;
    assert_eq!(other_period, json!([]));
    let (_, log) = app.get_json("/admin/audit").await;
    let actions: Vec<&str> = log.as_array().expect("log").iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["priorizacion", "ciclo_open", "registro_add", "inscripcion_accept"] {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }
}

fn oficio() -> Value {
    json!({
        "municipio": OTHER_CITY,
        "periodo": "2026-C3",
        "radicado": "",
        "fecha": "2026-12-07",
        "reunion_fecha": "2026-12-15",
        "reunion_hora": "09:00",
        "lugar": " Salón del Concejo ",
        "instituciones": ["Policía Metropolitana", "  ", "Personería Distrital"],
        "agenda": "1. Balance del cuatrimestre\n2. Barrios priorizados",
        "firmante": "Marta Díaz",
        "cargo": "Secretaria de Seguridad y Convivencia",
    })
}

#[tokio::test]
async fn oficios_are_kept_and_read_back() {
    let app = spawn_app().await;
    let staff = signed_in(&app.url, "equipo_bq").await;
    let res = staff.post(format!("{}/api/v1/oficios", app.url)).json(&oficio()).send().await.expect("post");
    assert_eq!(res.status().as_u16(), 201);
    let kept: Value = res.json().await.expect("json");
    assert_eq!((kept["lugar"].as_str(), kept["instituciones"].as_array().map(Vec::len)), (Some("Salón del Concejo"), Some(2)));
    assert_eq!(kept["created_by"], "Cuenta equipo_bq");
    let id = kept["id"].as_str().expect("id");
    let (status, one) = app.get_json(&format!("/oficios/{id}")).await;
    assert_eq!((status, &one), (200, &kept));
    let (_, list) = app.get_json(&format!("/oficios?municipio={OTHER_CITY}")).await;
    assert_eq!(list, json!([kept]));
    let (_, none) = app.get_json("/oficios?municipio=47001").await;
    assert_eq!(none, json!([]));

    for (change, code) in [
        (json!({ "fecha": "2026-02-30" }), "bad_date"),
        (json!({ "reunion_hora": "9 am" }), "bad_date"),
        (json!({ "instituciones": [" "] }), "oficio_incomplete"),
        (json!({ "lugar": "" }), "oficio_incomplete"),
        (json!({ "agenda": "x".repeat(4_001) }), "text_too_long"),
        (json!({ "municipio": "Barranquilla" }), "invalid_option"),
    ] {
        let mut body = oficio();
        for (k, v) in change.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, refused) = app.post("/oficios", Some("application/json"), body.to_string()).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (422, Some(code)), "{change}: {refused}");
    }
    let (status, _) = app.get_json("/oficios/01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f").await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json("/oficios/no-es-un-id").await;
    assert_eq!(status, 400);
    // Staff of Barranquilla do not write Santa Marta's; facilitators read none.
    let mut santa_marta = oficio();
    santa_marta["municipio"] = json!("47001");
    let res = staff.post(format!("{}/api/v1/oficios", app.url)).json(&santa_marta).send().await.expect("post");
    assert_eq!(res.status().as_u16(), 403, "equipo_bq works in Barranquilla only");
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(facilitator.get(format!("{}/api/v1/oficios/{id}", app.url)).send().await.expect("get").status().as_u16(), 403);
    assert_eq!(reqwest::get(format!("{}/api/v1/oficios", app.url)).await.expect("list").status().as_u16(), 401);
    assert!(db(&app).execute("DELETE FROM oficios", []).is_err(), "an oficio is kept");
}
