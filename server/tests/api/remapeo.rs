//! Re-mapping through the API: a diagnóstico made only of the marks since a day, set beside the
//! barrio's earlier one — the places mapped again, the new ones, and those nobody marked again.

use serde_json::{json, Value};

use crate::helpers::{centre_of, signed_in, spawn_app, MarkBuilder, FACILITATOR_BARRIO};
use crate::pactos::{call, code, post};

/// 2025-11-24 and 2026-06-01, Colombian time.
const BEFORE_MS: i64 = 1_764_000_000_000;
const AFTER_MS: i64 = 1_780_300_000_000;

#[tokio::test]
async fn a_re_mapping_counts_only_new_marks_and_is_compared_with_the_earlier_mapping_by_place() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let mut n = 0;
    let mut mark = |category: &str, at: (f64, f64), created: i64| {
        n += 1;
        let mut v = MarkBuilder::new(barrio, at.0, at.1).id(&format!("01937f3a-1b2c-7d4e-8f50-{n:012}")).category(category).json();
        v["properties"]["created_at_ms"] = json!(created);
        v.to_string()
    };
    // The first mapping: thefts at the corner, a dark street 400 m east.
    let first = [
        mark("hurto_personas", (lon, lat), BEFORE_MS),
        mark("hurto_personas", (lon + 0.00003, lat), BEFORE_MS),
        mark("alumbrado_deficiente", (lon + 0.004, lat), BEFORE_MS),
    ];
    // Months later: thefts again 40 m from the corner, and a new fight spot; the street is lit.
    let later = [mark("hurto_personas", (lon + 0.0004, lat), AFTER_MS), mark("rinas", (lon - 0.003, lat), AFTER_MS)];
    for body in &first {
        assert_eq!(app.post_mark(body.clone()).await.0, 201);
    }
    assert_eq!(post(&app, &format!("/barrios/{barrio}/diagnosticos"), &json!({})).await.0, 201);
    for body in &later {
        assert_eq!(app.post_mark(body.clone()).await.0, 201);
    }
    let (status, d2) = post(&app, &format!("/barrios/{barrio}/diagnosticos"), &json!({ "desde": "2026-05-01" })).await;
    assert_eq!(status, 201, "{d2}");
    let hotspots = d2["diagnostico"]["hotspots"].as_array().expect("hotspots");
    assert_eq!(hotspots.iter().map(|h| h["count"].as_u64().unwrap_or(0)).sum::<u64>(), 2, "only the new marks: {d2}");
    assert!(d2["diagnostico"]["params"]["desde_ms"].is_i64(), "it says how it was made");
    let (status, bad) = post(&app, &format!("/barrios/{barrio}/diagnosticos"), &json!({ "desde": "mayo" })).await;
    assert_eq!((status, code(&bad)), (422, Some("bad_date")), "{bad}");

    // By default: the newest beside the last one made before its re-mapping began.
    let (status, r) = app.get_json(&format!("/barrios/{barrio}/remapeo")).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!((r["antes"].as_u64(), r["despues"].as_u64()), (Some(1), Some(2)));
    let lineas = r["lineas"].as_array().expect("lines");
    let seen: Vec<(&str, &str)> =
        lineas.iter().map(|l| (l["estado"].as_str().unwrap_or(""), l["category"].as_str().unwrap_or(""))).collect();
    assert_eq!(seen, vec![("sigue", "hurto_personas"), ("nuevo", "rinas"), ("ya_no", "alumbrado_deficiente")]);
    assert!(lineas[0]["distancia_m"].as_u64().is_some_and(|m| (30..=60).contains(&m)), "{}", lineas[0]);
    assert_eq!(r["hotspots"].as_array().map(Vec::len), Some(3), "the new mapping and the place gone");
    assert!(r["hotspots"].as_array().is_some_and(|h| h.iter().all(|h| h["source_ids"] == json!([]))));

    // Chosen by hand; a diagnóstico that does not exist is not found; staff only.
    let (status, same) = app.get_json(&format!("/barrios/{barrio}/remapeo?antes=1&despues=1")).await;
    assert_eq!(status, 200);
    assert!(same["lineas"].as_array().is_some_and(|l| l.iter().all(|l: &Value| l["estado"] == "sigue")));
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/remapeo?antes=9")).await.0, 404);
    assert_eq!(app.get_json(&format!("/barrios/{barrio}/remapeo?antes=uno")).await.0, 400);
    let facilitator = signed_in(&app.url, "facilita").await;
    assert_eq!(call(&app, &facilitator, "get", &format!("/barrios/{barrio}/remapeo"), None).await.0, 403);
}
