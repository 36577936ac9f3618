//! The OpenAPI document the server serves: it names exactly the routes the router serves, and
//! every operation in it reaches a handler, so the two cannot drift apart.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::spawn_app;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| match (k.as_str(), v) {
            ("$ref", Value::String(r)) => out.push(r),
            _ => refs(v, out),
        }),
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_names_every_route_and_every_operation_in_it_answers() {
    let app = spawn_app().await;
    let (status, doc) = app.get_json("/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");

    let paths = doc["paths"].as_object().expect("paths");
    let described: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| METHODS.iter().filter(|m| item.get(**m).is_some()).map(move |m| (m.to_string(), path.clone())))
        .collect();
    let served: BTreeSet<(String, String)> =
        server::http::api_route_table().into_iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let undocumented: Vec<_> = served.difference(&described).collect();
    let unserved: Vec<_> = described.difference(&served).collect();
    assert!(undocumented.is_empty(), "routes missing from openapi.json: {undocumented:?}");
    assert!(unserved.is_empty(), "openapi.json describes routes the router does not serve: {unserved:?}");

    for (method, path) in &described {
        let operation = &paths[path][method];
        assert!(operation["operationId"].is_string() && operation["summary"].is_string(), "{method} {path}");
        assert!(operation["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path}");
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.strip_prefix('#').expect("local reference");
        assert!(doc.pointer(pointer).is_some(), "{r} resolves to nothing");
    }

    // What the router answers for a path it does not serve: not the API's JSON.
    let plain = app.get("/api/v1/no-such-route").await;
    assert_eq!(plain.status(), 404);
    assert!(!plain.headers()["content-type"].to_str().unwrap_or("").contains("json"));
    for (method, path) in &described {
        // Signing out would end the session the other requests use; its own test covers it.
        if path == "/auth/logout" {
            continue;
        }
        // Each path parameter gets a value of the type the document gives it.
        let mut concrete = path.clone();
        for parameter in paths[path][method]["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
            let schema = &parameter["schema"];
            let sample = match (schema["type"].as_str(), schema["format"].as_str()) {
                (_, _) if schema["enum"].is_array() => schema["enum"][0].as_str().expect("enum of strings").to_string(),
                (Some("integer"), _) => "1".into(),
                (Some("string"), Some("uuid")) => "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f".into(),
                _ => parameter["example"].as_str().unwrap_or("x").to_string(),
            };
            concrete = concrete.replace(&format!("{{{}}}", parameter["name"].as_str().expect("name")), &sample);
        }
        assert!(!concrete.contains('{'), "{method} {path}: a path parameter is not described");
        let url = format!("{}/api/v1{concrete}", app.url);
        let request = match method.as_str() {
            "get" => app.client.get(&url),
            "put" => app.client.put(&url).header("content-type", "application/octet-stream").body("{}"),
            "delete" => app.client.delete(&url),
            _ => app.client.post(&url).header("content-type", "application/json").body("{}"),
        };
        let res = request.send().await.expect("request");
        let status = res.status().as_u16();
        let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_ne!(status, 405, "{method} {path}: the router serves another method there");
        assert!(content_type.contains("json"), "{method} {path} answered {status} {content_type}, like a path the router does not serve");
        if status >= 400 {
            let body: Value = res.json().await.expect("json");
            assert!(body["error"]["code"].is_string(), "{method} {path}: {body}");
        }
    }
}
