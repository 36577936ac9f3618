//! Data minimisation in the logs: the real `cartobarrio` binary, logging at `debug`, is sent
//! marks, causes and solutions with telltale descriptions, aliases and coordinates — stored,
//! refused as malformed, out of range or self-intersecting, merged, published and exported —
//! and its log must hold none of them.

mod binary;

use serde_json::{json, Value};

const TELLTALE: &str = "QWZ";
/// Decimals no other number in the log is likely to have, added to each coordinate sent.
const DIGITS: f64 = 0.000_013_579_13;

fn mark(id: &str, barrio: i64, geometry: Value, n: u32) -> Value {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": geometry,
        "properties": {
            "barrio_id": barrio, "category": "expendio_sustancias", "created_at_ms": 1_764_000_000_000_i64,
            "description": format!("venden en la casa de la esquina {TELLTALE}{n}"), "alias": format!("Alias{TELLTALE}{n}")
        }
    })
}

fn positions(v: &Value, xs: &mut Vec<f64>, ys: &mut Vec<f64>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() => {
            xs.push(a[0].as_f64().unwrap_or_default());
            ys.push(a[1].as_f64().unwrap_or_default());
        }
        Some(a) => a.iter().for_each(|x| positions(x, xs, ys)),
        None => {}
    }
}

#[tokio::test]
async fn the_server_log_holds_no_description_alias_or_coordinate() {
    let mut server = binary::Server::start("debug").await;
    let api = |path: &str| server.api(path);
    let client = server.client.clone();
    let post = |path: &str, body: String| client.post(api(path)).header("content-type", "application/json").body(body);

    let barrios: Vec<Value> = client.get(api("/barrios")).send().await.expect("barrios").json().await.expect("json");
    let barrio = barrios.iter().find(|b| b["code"] == "pescaito").and_then(|b| b["id"].as_i64()).expect("pescaito");
    let bbox: Value = client.get(api(&format!("/barrios/{barrio}"))).send().await.expect("barrio").json().await.expect("json");
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    positions(&bbox["boundary"]["coordinates"], &mut xs, &mut ys);
    let mid = |v: &[f64]| (v.iter().copied().fold(f64::INFINITY, f64::min) + v.iter().copied().fold(f64::NEG_INFINITY, f64::max)) / 2.0;
    let (x0, y0) = (mid(&xs), mid(&ys));
    // Near the middle of the barrio's box, with telltale decimals.
    let at = |dx: f64, dy: f64| json!([((x0 + dx) * 1e4).round() / 1e4 + DIGITS, ((y0 + dy) * 1e4).round() / 1e4 + DIGITS]);
    let ids = ["01937f3a-1b2c-7d4e-8f50-00000000a001", "01937f3a-1b2c-7d4e-8f50-00000000a002", "01937f3a-1b2c-7d4e-8f50-00000000a003"];
    let mut statuses = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let body = mark(id, barrio, json!({ "type": "Point", "coordinates": at(0.0, 0.0) }), n as u32).to_string();
        statuses.push(post("/marks", body).header("content-type", "application/geo+json").send().await.expect("mark").status().as_u16());
    }
    // Refused: out of range, self-intersecting, malformed (with the telltale inside), wrong types.
    let bad = [
        mark("01937f3a-1b2c-7d4e-8f50-00000000b001", barrio, json!({ "type": "Point", "coordinates": [200.0 + DIGITS, 95.0 + DIGITS] }), 7).to_string(),
        mark(
            "01937f3a-1b2c-7d4e-8f50-00000000b002",
            barrio,
            json!({ "type": "Polygon", "coordinates": [[at(0.0, 0.0), at(0.001, 0.001), at(0.001, 0.0), at(0.0, 0.001), at(0.0, 0.0)]] }),
            8,
        )
        .to_string(),
        format!("{{\"type\":\"Feature\",\"properties\":{{\"description\":\"{TELLTALE}9 casa azul\"}}, {}", at(0.0, 0.0)),
        json!({ "type": "Feature", "id": 5, "geometry": { "type": "Point", "coordinates": [format!("{TELLTALE}10"), y0] }, "properties": {} }).to_string(),
    ];
    for body in bad {
        let status = post("/marks", body).header("content-type", "application/geo+json").send().await.expect("bad mark").status().as_u16();
        assert!((400..500).contains(&status), "{status}");
    }
    let cause = json!({
        "id": "01937f3a-1b2c-7d4e-8f50-00000000c001", "barrio_id": barrio, "category": "falta_iluminacion",
        "text": format!("el poste de {TELLTALE}11"), "problem_ids": [ids[0]], "alias": format!("Alias{TELLTALE}12"),
        "created_at_ms": 1_764_000_000_000_i64, "version": 1, "updated_at_ms": 0, "deleted": false
    });
    statuses.push(post("/causes", cause.to_string()).send().await.expect("cause").status().as_u16());
    let solution = json!({
        "id": "01937f3a-1b2c-7d4e-8f50-00000000d001", "barrio_id": barrio, "text": format!("luminarias {TELLTALE}13"),
        "institution": "essmar", "cause_ids": ["01937f3a-1b2c-7d4e-8f50-00000000c001"], "alias": "",
        "created_at_ms": 1_764_000_000_000_i64, "version": 1, "updated_at_ms": 0, "deleted": false
    });
    statuses.push(post("/solutions", solution.to_string()).send().await.expect("solution").status().as_u16());
    assert!(statuses.iter().all(|s| *s == 201), "the good records are stored: {statuses:?}");

    // Merged, exported, published and read back publicly.
    assert_eq!(post(&format!("/barrios/{barrio}/diagnosticos"), "{}".into()).send().await.expect("generate").status(), 201);
    let csv = client.get(api(&format!("/barrios/{barrio}/diagnosticos/1/marks.csv"))).send().await.expect("csv").text().await.expect("text");
    assert!(csv.contains(TELLTALE), "the staff export has the descriptions, so the log is the only place left to check");
    let draft: Value = post(&format!("/barrios/{barrio}/publications/preview"), json!({ "diagnostico": 1 }).to_string()).send().await.expect("preview").json().await.expect("json");
    let texts: Vec<Value> = draft["candidates"].as_array().expect("candidates").iter().map(|c| json!({ "id": c["id"], "text": c["text"] })).collect();
    let published = post(&format!("/barrios/{barrio}/publications"), json!({ "diagnostico": 1, "texts": texts }).to_string()).send().await.expect("publish");
    assert_eq!(published.status(), 201);
    assert_eq!(client.get(api(&format!("/public/barrios/{barrio}"))).send().await.expect("public").status(), 200);

    server.stop();
    let logged = server.log();
    assert!(logged.contains("listening") && logged.contains("request"), "the log is written at debug level: {logged}");
    let digits = format!("{DIGITS}");
    let telltale_digits = &digits[digits.len() - 6..];
    for secret in [TELLTALE, "casa de la esquina", "casa azul", telltale_digits, "95.0000135"] {
        assert!(!logged.contains(secret), "the log holds {secret:?}:\n{}", logged.lines().filter(|l| l.contains(secret)).collect::<Vec<_>>().join("\n"));
    }
}
