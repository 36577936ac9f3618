//! Requests to enter the route through the API: a community asks with no account, staff of
//! the barrio's city accept (a ciclo opens) or decline, once; the honeypot, the limit per
//! address, the size limits and the cap per barrio hold, bursts included; the contact stays
//! out of the audit log.

use serde_json::{json, Value};

use crate::helpers::{signed_in, spawn_app, TestApp, FACILITATOR_BARRIO, OTHER_FACILITATOR_BARRIO};

const PHONE: &str = "300 555 0142";

pub fn request(barrio: i64) -> Value {
    json!({
        "barrio_id": barrio,
        "organizacion": "JAC del barrio",
        "canal": "telefono",
        "contacto": PHONE,
        "motivo": "Queremos trabajar con la Secretaría para que el parque vuelva a ser de los niños.",
    })
}

/// POSTs a request with no account: the status and the body.
pub async fn send(app: &TestApp, body: &Value) -> (u16, Value) {
    let res = reqwest::Client::new().post(format!("{}/api/v1/inscripciones", app.url)).json(body).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn decide(app: &TestApp, id: &str, body: Value) -> (u16, Value) {
    app.post(&format!("/inscripciones/{id}/decision"), Some("application/json"), body.to_string()).await
}

#[tokio::test]
async fn a_community_asks_and_staff_accept_once_opening_the_barrios_ciclo() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let (status, reply) = send(&app, &request(barrio)).await;
    assert_eq!((status, reply.clone()), (202, json!({ "recibida": true })));

    // Staff see it with its contact; facilitators and the anonymous do not list requests, and
    // staff of another city do not see this city's.
    let (status, list) = app.get_json("/inscripciones").await;
    assert_eq!(status, 200, "{list}");
    let first = &list[0];
    assert_eq!((first["barrio_id"].as_i64(), first["contacto"].as_str(), &first["decision"]), (Some(barrio), Some(PHONE), &Value::Null));
    assert_eq!(first["organizacion"], "JAC del barrio");
    let id = first["id"].as_str().expect("id").to_string();
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(facilitator.get(format!("{}/api/v1/inscripciones", app.url)).send().await.expect("list").status().as_u16(), 403);
    assert_eq!(reqwest::get(format!("{}/api/v1/inscripciones", app.url)).await.expect("list").status().as_u16(), 401);
    let elsewhere = signed_in(&app.url, "equipo_bq").await;
    let theirs: Value = elsewhere.get(format!("{}/api/v1/inscripciones", app.url)).send().await.expect("list").json().await.expect("json");
    assert_eq!(theirs, json!([]));
    let res =
        elsewhere.post(format!("{}/api/v1/inscripciones/{id}/decision", app.url)).json(&json!({ "veredicto": "aceptada" })).send().await;
    assert_eq!(res.expect("decide").status().as_u16(), 403);

    // Declining needs a reason; accepting opens a ciclo at step 1, once.
    let (status, refused) = decide(&app, &id, json!({ "veredicto": "rechazada", "reason": "  " })).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str(), refused["error"]["field"].as_str()),
        (422, Some("reason_missing"), Some("reason"))
    );
    let (status, accepted) = decide(&app, &id, json!({ "veredicto": "aceptada" })).await;
    assert_eq!(status, 201, "{accepted}");
    let ciclo = accepted["decision"]["ciclo_id"].as_str().expect("a ciclo").to_string();
    assert_eq!(accepted["decision"]["veredicto"], "aceptada");
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    assert_eq!(ruta["ciclos"][0]["ciclo"]["id"], ciclo.as_str());
    assert_eq!(ruta["ciclos"][0]["ciclo"]["changes"], json!([]), "at step 1");
    let (status, twice) = decide(&app, &id, json!({ "veredicto": "rechazada", "reason": "otra vez" })).await;
    assert_eq!((status, twice["error"]["code"].as_str()), (409, Some("already_decided")));

    // Another request of the same barrio cannot open a second ciclo; it is declined instead.
    assert_eq!(send(&app, &request(barrio)).await.0, 202);
    let (_, list) = app.get_json("/inscripciones").await;
    assert_eq!(list[0]["decision"], Value::Null, "pending ones first");
    let second = list[0]["id"].as_str().expect("id").to_string();
    let (status, open) = decide(&app, &second, json!({ "veredicto": "aceptada" })).await;
    assert_eq!((status, open["error"]["code"].as_str()), (409, Some("ciclo_open")));
    assert!(open["error"]["message"].as_str().is_some_and(|m| m.contains("ya está en la ruta")), "{open}");
    let (status, declined) = decide(&app, &second, json!({ "veredicto": "rechazada", "reason": "El barrio ya está en la ruta" })).await;
    assert_eq!((status, declined["decision"]["ciclo_id"].clone()), (201, Value::Null), "{declined}");
    let (_, ruta) = app.get_json(&format!("/barrios/{barrio}/ruta")).await;
    assert_eq!(ruta["ciclos"].as_array().map(Vec::len), Some(1));
    let (status, _) = decide(&app, "no-es-un-uuid", json!({ "veredicto": "aceptada" })).await;
    assert_eq!(status, 400);
    let (status, _) = decide(&app, &uuid::Uuid::new_v4().to_string(), json!({ "veredicto": "aceptada" })).await;
    assert_eq!(status, 404);

    // Every step is in the audit log, and the contact in none of it.
    let (_, log) = app.get_json("/admin/audit").await;
    let lines = log.as_array().expect("log");
    let actions: Vec<&str> = lines.iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["inscripcion_receive", "inscripcion_accept", "ciclo_open", "inscripcion_decline"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
    assert!(!log.to_string().contains(PHONE), "the contact is not in the audit log");
}

#[tokio::test]
async fn a_bot_filling_the_honeypot_is_answered_alike_and_nothing_is_kept() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let mut bot = request(barrio);
    bot["sitio_web"] = json!("https://ofertas.example");
    assert_eq!(send(&app, &bot).await, (202, json!({ "recibida": true })));
    assert_eq!(app.get_json("/inscripciones").await.1, json!([]));
    let (_, log) = app.get_json("/admin/audit").await;
    assert!(!log.to_string().contains("inscripcion"), "{log}");
}

#[tokio::test]
async fn fields_and_bodies_are_bounded_and_typos_do_not_count_against_the_limit() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let with = |member: &str, value: Value| {
        let mut body = request(barrio);
        body[member] = value;
        body
    };
    let cases = [
        (with("contacto", json!("12")), 422, "bad_phone"),
        (with("organizacion", json!(" ")), 422, "organizacion_missing"),
        (with("organizacion", json!("J".repeat(121))), 422, "organizacion_too_long"),
        (with("motivo", json!("m".repeat(2_001))), 422, "motivo_too_long"),
        (with("barrio_id", json!(999_999)), 422, "unknown_barrio"),
        (with("canal", json!("paloma")), 400, "malformed"),
    ];
    // More refusals than the limit allows requests: none of them is counted.
    for _ in 0..2 {
        for (body, status, code) in &cases {
            let (got, reply) = send(&app, body).await;
            assert_eq!((got, reply["error"]["code"].as_str()), (*status, Some(*code)), "{body}");
            assert!(reply["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
    // A motivo of 2,000 characters of four bytes each fits in the body limit; a body over it, 413.
    let (status, reply) = send(&app, &with("motivo", json!("\u{1F600}".repeat(2_000)))).await;
    assert_eq!(status, 202, "{reply}");
    let big = format!("{{\"barrio_id\":{barrio},\"organizacion\":\"{}\"}}", "x".repeat(20_000));
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/inscripciones", app.url))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 413);
    let res = reqwest::Client::new().post(format!("{}/api/v1/inscripciones", app.url)).body(request(barrio).to_string()).send().await;
    assert_eq!(res.expect("request").status().as_u16(), 415);
    let (_, list) = app.get_json("/inscripciones").await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}

/// Twelve requests for one barrio fired at once from one address: five get past the limit,
/// three of those fill the barrio's pending places, and the burst gets no further.
#[tokio::test]
async fn a_burst_meets_the_limit_per_address_and_the_cap_per_barrio_exactly() {
    use app::model::inscripcion::MAX_PENDIENTES_POR_BARRIO;
    use server::http::inscripciones::PER_ADDRESS;
    let app = spawn_app().await;
    let barrio = app.barrio_id(OTHER_FACILITATOR_BARRIO).await;
    let burst = (0..12).map(|_| {
        let url = format!("{}/api/v1/inscripciones", app.url);
        let body = request(barrio);
        tokio::spawn(async move {
            let res = reqwest::Client::new().post(url).json(&body).send().await.expect("request");
            let retry = res.headers().get("retry-after").is_some();
            (res.status().as_u16(), retry)
        })
    });
    let mut statuses = Vec::new();
    for handle in burst.collect::<Vec<_>>() {
        statuses.push(handle.await.expect("task"));
    }
    let count = |s: u16| statuses.iter().filter(|(status, _)| *status == s).count();
    assert_eq!(
        (count(202), count(409), count(429)),
        (MAX_PENDIENTES_POR_BARRIO, PER_ADDRESS - MAX_PENDIENTES_POR_BARRIO, 12 - PER_ADDRESS),
        "{statuses:?}"
    );
    assert!(statuses.iter().filter(|(s, _)| *s == 429).all(|(_, retry)| *retry), "429 says when to try again");
    let (_, list) = app.get_json("/inscripciones").await;
    assert_eq!(list.as_array().map(Vec::len), Some(MAX_PENDIENTES_POR_BARRIO));
    // The address waits, even to ask for another barrio.
    assert_eq!(send(&app, &request(barrio + 1)).await.0, 429);
}
