//! Workshops over HTTP: preparing one, listing a barrio's, and joining by code, forgivingly
//! typed, refused when wrong, malformed or expired, and limited per address.

use app::model::workshop::{normalize_code, CODE_ALPHABET, CODE_LEN};
use app::model::{JoinReply, Workshop, WorkshopDraft};
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};
use crate::sync::workshop;

/// Joins as a new device, with no session (as a participant's phone does).
async fn join(app: &TestApp, code: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/v1/join/{code}", app.url))
        .json(&json!({ "device_id": uuid::Uuid::new_v4() }))
        .send()
        .await
        .expect("request")
}

async fn join_status(app: &TestApp, code: &str) -> (u16, serde_json::Value) {
    let res = join(app, code).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

/// A code no workshop of `app` has (one letter changed).
fn wrong(code: &str) -> String {
    let last = code.as_bytes()[CODE_LEN - 1];
    let other = CODE_ALPHABET.iter().find(|c| **c != last).copied().unwrap_or(b'2');
    format!("{}{}", &code[..CODE_LEN - 1], other as char)
}

#[tokio::test]
async fn a_workshop_is_prepared_with_a_code_and_listed_newest_first() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let draft = WorkshopDraft {
        barrio_id: barrio,
        date: "2026-11-28".into(),
        place: "  Salón comunal ".into(),
        cbsc: "CBSC Pescaíto".into(),
        facilitator: "Ana".into(),
    };
    let (status, body) = app.post("/workshops", Some("application/json"), serde_json::to_string(&draft).unwrap()).await;
    assert_eq!(status, 201, "{body}");
    let first: Workshop = serde_json::from_value(body).expect("workshop");
    assert_eq!((first.barrio_id, first.place.as_str(), first.date.as_str()), (barrio, "Salón comunal", "2026-11-28"));
    assert_eq!(normalize_code(&first.join_code).as_deref(), Some(first.join_code.as_str()), "a code in its stored form");
    assert_eq!(Some(first.code_expires_at_ms), draft.code_expires_at_ms());
    assert_eq!(first.id.get_version_num(), 4);
    let second = workshop(&app, barrio, "2026-12-05").await;
    assert_ne!(first.join_code, second.join_code);

    let (status, list) = app.get_json(&format!("/workshops?barrio_id={barrio}")).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_value::<Vec<Workshop>>(list).unwrap(), vec![second.clone(), first.clone()]);
    let (_, other) = app.get_json(&format!("/workshops?barrio_id={}", app.barrio_id("bastidas").await)).await;
    assert_eq!(other, json!([]));
    assert_eq!(app.get_json(&format!("/workshops/{}", first.id)).await, (200, serde_json::to_value(&first).unwrap()));

    for (path, status, code) in [
        ("/workshops/7b0c8a36-0d9e-4a4f-9b1e-2f4c6a8e0d11".to_string(), 404, "unknown_workshop"),
        ("/workshops/42".into(), 400, "invalid_id"),
        ("/workshops".into(), 400, "invalid_query"),
        ("/workshops?barrio_id=424242".into(), 404, "not_found"),
    ] {
        let (got, body) = app.get_json(&path).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{path}");
    }
}

#[tokio::test]
async fn a_bad_workshop_draft_is_refused_and_nothing_stored() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let good = json!({"barrio_id": barrio, "date": "2026-11-28", "place": "", "cbsc": "CBSC", "facilitator": "Ana"});
    let with = |key: &str, value: serde_json::Value| {
        let mut d = good.clone();
        d[key] = value;
        d.to_string()
    };
    for (body, status, code, field) in [
        (with("date", json!("2026-02-30")), 422, "invalid_date", Some("date")),
        (with("cbsc", json!("  ")), 422, "empty_text", Some("cbsc")),
        (with("facilitator", json!("x".repeat(81))), 422, "text_too_long", Some("facilitator")),
        (with("barrio_id", json!(424242)), 422, "unknown_barrio", Some("barrio_id")),
        (with("codigo", json!("ABC234")), 400, "malformed", None),
        ("{".into(), 400, "malformed", None),
    ] {
        let (got, json) = app.post("/workshops", Some("application/json"), body.clone()).await;
        assert_eq!((got, json["error"]["code"].as_str(), json["error"]["field"].as_str()), (status, Some(code), field), "{body} → {json}");
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(app.get_json(&format!("/workshops?barrio_id={barrio}")).await.1, json!([]));
}

#[tokio::test]
async fn a_device_joins_with_the_code_however_it_is_typed_until_it_expires() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let code = w.join_code.clone();
    for typed in [code.clone(), code.to_lowercase(), format!("{}-{}", &code[..3], &code[3..]), format!("{}%20{}", &code[..3], &code[3..])] {
        let (status, body) = join_status(&app, &typed).await;
        assert_eq!(status, 200, "{typed} → {body}");
        let reply: JoinReply = serde_json::from_value(body).expect("join reply");
        assert_eq!((&reply.workshop, reply.barrio.id, reply.barrio.code.as_str()), (&w, barrio, "pescaito"));
    }
    let (status, body) = join_status(&app, &wrong(&code)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("unknown_code")));
    let (status, body) = join_status(&app, "AB0-12").await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_code")));
    let old = workshop(&app, barrio, "2020-01-10").await;
    let (status, body) = join_status(&app, &old.join_code).await;
    assert_eq!((status, body["error"]["code"].as_str()), (410, Some("code_expired")), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.starts_with("El código venció")));
}

#[tokio::test]
async fn after_ten_failed_attempts_even_the_right_code_must_wait() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let old = workshop(&app, barrio, "2020-01-10").await;
    // Wrong, malformed and expired codes all count; a right one in between does not.
    let mut failures = vec![wrong(&w.join_code), "AB0".into(), old.join_code.clone()];
    failures.extend((0..7).map(|_| wrong(&w.join_code)));
    assert_eq!(join_status(&app, &w.join_code).await.0, 200);
    for code in &failures {
        assert!([400, 404, 410].contains(&join_status(&app, code).await.0), "{code}");
    }
    for code in [wrong(&w.join_code), w.join_code.clone()] {
        let res = join(&app, &code).await;
        assert_eq!(res.status().as_u16(), 429, "{code}");
        let wait: u64 = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After");
        assert!((1..=600).contains(&wait), "{wait}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "too_many_attempts");
    }
}
