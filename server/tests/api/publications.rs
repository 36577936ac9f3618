//! Publishing a diagnóstico "editado por seguridad": staff preview and approve; anonymous
//! visitors read the public page's data and downloads, which hold no alias, no unapproved
//! text, no exact place of a sensitive mark and no cell of fewer than k participants.

use serde_json::{json, Value};

use super::helpers::{centre_of, spawn_app, MarkBuilder, TestApp, FACILITATOR_BARRIO};

const SECRET: &str = "zqx";

/// A mark with an alias and a description that must never be published unapproved.
async fn mark(app: &TestApp, barrio: i64, n: u32, category: &str, at: (f64, f64), alias: &str) {
    let mut m = MarkBuilder::new(barrio, at.0, at.1).id(&format!("01937f3a-1b2c-7d4e-8f50-{n:012}")).category(category).json();
    m["properties"]["alias"] = json!(alias);
    m["properties"]["description"] = json!(format!("Descripción {n} {SECRET} junto a la casa de {alias}"));
    let (status, body) = app.post_mark(m.to_string()).await;
    assert_eq!(status, 201, "{body}");
}

/// Pescaíto with three people reporting drug sales at one corner, one more elsewhere, and
/// two lighting marks; then its diagnóstico 1.
async fn barrio_with_diagnostico(app: &TestApp) -> (i64, (f64, f64)) {
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let c = centre_of(app, barrio).await;
    for (n, alias) in [(1, "RosaZQX"), (2, "PedroZQX"), (3, "LuzZQX")] {
        mark(app, barrio, n, "expendio_sustancias", (c.0 + 0.00001 * f64::from(n), c.1), alias).await;
    }
    mark(app, barrio, 4, "expendio_sustancias", (c.0 + 0.004, c.1 + 0.004), "SoloZQX").await;
    mark(app, barrio, 5, "alumbrado_deficiente", (c.0 - 0.001, c.1), "RosaZQX").await;
    mark(app, barrio, 6, "alumbrado_deficiente", (c.0 - 0.001, c.1 + 0.00005), "PedroZQX").await;
    let (status, body) = app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), "{}").await;
    assert_eq!(status, 201, "{body}");
    (barrio, c)
}

fn assert_nothing_private(text: &str) {
    let lower = text.to_lowercase();
    assert!(!lower.contains(SECRET), "an alias or an unapproved text is public: {text}");
    assert!(!lower.contains("01937f3a"), "a mark id is public: {text}");
    assert!(!text.contains("\"alias\"") && !text.contains("\"hlc\"") && !text.contains("workshop_id"), "{text}");
}

#[tokio::test]
async fn staff_publish_and_anyone_reads_a_redacted_diagnostico() {
    let app = spawn_app().await;
    let (barrio, centre) = barrio_with_diagnostico(&app).await;
    let anonymous = reqwest::Client::new();
    let public = |path: &str| format!("{}/api/v1/public/barrios{path}", app.url);
    assert_eq!(anonymous.get(public(&format!("/{barrio}"))).send().await.expect("get").status(), 404, "nothing published yet");

    // The preview offers the texts of shown marks only: the lone report's words are no candidate.
    let (status, draft) = app.post(&format!("/barrios/{barrio}/publications/preview"), Some("application/json"), json!({ "diagnostico": 1 }).to_string()).await;
    assert_eq!(status, 200, "{draft}");
    let candidates = draft["candidates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 5, "{candidates:?}");
    assert!(candidates.iter().all(|c| !c["text"].as_str().unwrap_or("").contains("SoloZQX")));
    assert_eq!(draft["publication"]["totals"]["suppressed_marks"], 1);

    // Publishing with one text, as staff edited it.
    let approved = candidates.iter().find(|c| c["category"] == "alumbrado_deficiente").expect("a lighting text");
    let request = json!({ "diagnostico": 1, "texts": [{ "id": approved["id"], "text": "El poste de la esquina no prende" }] });
    let (status, published) = app.post(&format!("/barrios/{barrio}/publications"), Some("application/json"), request.to_string()).await;
    assert_eq!(status, 201, "{published}");
    assert_eq!((published["number"].as_u64(), published["diagnostico_number"].as_u64()), (Some(1), Some(1)));

    // An anonymous visitor finds the barrio and reads its publication.
    let list: Value = anonymous.get(public("")).send().await.expect("list").json().await.expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["barrio_id"], barrio);
    let res = anonymous.get(public(&format!("/{barrio}"))).send().await.expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache", "a withdrawal must reach every reader");
    let text = res.text().await.expect("text");
    assert_nothing_private(&text);
    let p: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(p["texts"], json!([{ "kind": "mark", "category": "alumbrado_deficiente", "text": "El poste de la esquina no prende" }]));
    let cells = p["cells"].as_array().expect("cells");
    let sensitive: Vec<&Value> = cells.iter().filter(|c| c["sensitive"] == true).collect();
    assert_eq!(sensitive.len(), 1, "the corner three people reported, and not the lone report: {cells:?}");
    assert_eq!((sensitive[0]["participants"].as_u64(), sensitive[0]["marks"].as_u64(), sensitive[0]["cell_m"].as_f64()), (Some(3), Some(3), Some(150.0)));
    // Shown at its cell's centre, not at the corner: within the cell, but not where the marks are.
    let (lon, lat) = (sensitive[0]["lon"].as_f64().expect("lon"), sensitive[0]["lat"].as_f64().expect("lat"));
    assert!(((lon - centre.0).abs() * 109_000.0) < 75.0 && ((lat - centre.1).abs() * 110_600.0) < 75.0);
    assert!((1..=3).all(|n| (lon - (centre.0 + 0.00001 * f64::from(n))).abs() > 1e-7 || (lat - centre.1).abs() > 1e-7));
    assert_eq!(p["totals"]["marks"], 5);

    // The downloads say the same, and nothing more.
    let geojson = anonymous.get(public(&format!("/{barrio}/publicacion.geojson"))).send().await.expect("geojson");
    assert_eq!(geojson.headers()["content-type"], "application/geo+json");
    assert!(geojson.headers()["content-disposition"].to_str().expect("name").contains("publicacion-barrio-"));
    let geojson = geojson.text().await.expect("text");
    assert_nothing_private(&geojson);
    let fc: Value = serde_json::from_str(&geojson).expect("json");
    assert_eq!(fc["features"].as_array().map(Vec::len), Some(cells.len()));
    assert_eq!(fc["features"][0]["geometry"]["type"], "Polygon");
    assert!(fc["editado_por_seguridad"].to_string().contains("al menos 3 personas"));
    let csv = anonymous.get(public(&format!("/{barrio}/publicacion.csv"))).send().await.expect("csv").text().await.expect("text");
    assert_nothing_private(&csv);
    assert!(csv.contains("categoria,categoria_es,sensible,marcas,participantes,celda_m,longitud,latitud"), "{csv}");
    assert_eq!(csv.lines().count(), cells.len() + 1);

    // A later publication's cells must nest with this one's, or overlaying the two would
    // tell smaller pieces than either.
    let again = |params: Value| json!({ "diagnostico": 1, "params": params }).to_string();
    let (status, body) = app.post(&format!("/barrios/{barrio}/publications"), Some("application/json"), again(json!({ "sensitive_cell_m": 200 }))).await;
    assert_eq!((status, body["error"]["code"].as_str(), body["error"]["field"].as_str()), (422, Some("grid_mismatch"), Some("params")), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("150 m")), "{body}");
    let (status, body) = app.post(&format!("/barrios/{barrio}/publications"), Some("application/json"), again(json!({ "sensitive_cell_m": 300, "plain_cell_m": 100 }))).await;
    assert_eq!((status, body["number"].as_u64()), (201, Some(2)), "{body}");
    let (status, _) = app.post(&format!("/barrios/{barrio}/publications/2/withdraw"), None, "").await;
    assert_eq!(status, 200);
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/publications")).await;
    assert_eq!(list[0]["params"]["sensitive_cell_m"], 300.0);

    // Withdrawn, the page is gone for everyone at once; a second withdrawal is refused.
    let (status, _) = app.post(&format!("/barrios/{barrio}/publications/1/withdraw"), None, "").await;
    assert_eq!(status, 200);
    assert_eq!(anonymous.get(public(&format!("/{barrio}"))).send().await.expect("get").status(), 404);
    assert_eq!(anonymous.get(public("")).send().await.expect("list").json::<Value>().await.expect("json"), json!([]));
    let (status, body) = app.post(&format!("/barrios/{barrio}/publications/1/withdraw"), None, "").await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("already_withdrawn")));
    let (_, list) = app.get_json(&format!("/barrios/{barrio}/publications")).await;
    assert!(list[0]["withdrawn_at_ms"].is_i64(), "{list}");
    let (_, audit) = app.get_json("/admin/audit").await;
    let actions: Vec<&str> = audit.as_array().expect("audit").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"publication") && actions.contains(&"publication_withdraw"), "{actions:?}");

    // Stored as approved: the database itself refuses to change or delete a publication.
    let conn = rusqlite::Connection::open(&app.db_path).expect("open the database");
    assert!(conn.execute("UPDATE publications SET content = '{}'", []).is_err_and(|e| e.to_string().contains("immutable")));
    assert!(conn.execute("UPDATE publications SET withdrawn_at_ms = NULL", []).is_err());
    assert!(conn.execute("DELETE FROM publications", []).is_err());
}

#[tokio::test]
async fn bad_publication_requests_are_refused_and_store_nothing() {
    let app = spawn_app().await;
    let (barrio, _) = barrio_with_diagnostico(&app).await;
    let path = format!("/barrios/{barrio}/publications");
    let unknown = "01937f3a-1b2c-7d4e-8f50-999999999999";
    for (body, status, code) in [
        ("no es json".to_string(), 400, "malformed"),
        (json!({ "diagnostico": "uno" }).to_string(), 400, "malformed"),
        (json!({ "diagnostico": 1, "params": { "k": 1 } }).to_string(), 422, "bad_redaction"),
        (json!({ "diagnostico": 1, "params": { "sensitive_cell_m": 5 } }).to_string(), 422, "bad_redaction"),
        (json!({ "diagnostico": 1, "texts": [{ "id": unknown, "text": "x" }] }).to_string(), 422, "unknown_text"),
        (json!({ "diagnostico": 1, "extra": true }).to_string(), 400, "malformed"),
        (json!({ "diagnostico": 9 }).to_string(), 404, "not_found"),
    ] {
        let (got, answer) = app.post(&path, Some("application/json"), body.clone()).await;
        assert_eq!((got, answer["error"]["code"].as_str()), (status, Some(code)), "{body}: {answer}");
        assert!(answer["error"]["message"].is_string() && answer["error"]["message_en"].is_string());
    }
    // The suppressed report's text cannot be approved, even by naming its mark.
    let lone = "01937f3a-1b2c-7d4e-8f50-000000000004";
    let (got, answer) = app.post(&path, Some("application/json"), json!({ "diagnostico": 1, "texts": [{ "id": lone, "text": "x" }] }).to_string()).await;
    assert_eq!((got, answer["error"]["code"].as_str()), (422, Some("unknown_text")));
    assert_eq!(app.get_json(&path).await.1, json!([]), "nothing was published");
}
