//! Causes and solutions over HTTP: stored with their links to live problems and causes,
//! listed as a barrio's tree, refused (with nothing stored) when a link or a rule is broken.

use app::model::{Cause, Drawing, Mark, Record, Solution};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, spawn_app, MarkBuilder, TestApp};

const T: i64 = 1_764_000_000_000;
const CAUSE: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0c01";
const SOLUTION: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0501";

/// A mark id numbered `n`.
fn mark_id(n: u8) -> String {
    format!("01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e{n:02x}")
}

fn cause(barrio: i64, problems: &[String]) -> Value {
    json!({
        "id": CAUSE, "barrio_id": barrio, "category": "falta_iluminacion",
        "text": "El poste de la esquina lleva meses dañado", "problem_ids": problems,
        "alias": "Rosa", "created_at_ms": T, "version": 1, "updated_at_ms": 0, "deleted": false
    })
}

fn solution(barrio: i64, causes: &[&str]) -> Value {
    json!({
        "id": SOLUTION, "barrio_id": barrio, "text": "Pedir a ESSMAR que cambie la luminaria",
        "institution": "essmar", "cause_ids": causes, "alias": "", "created_at_ms": T,
        "version": 1, "updated_at_ms": 0, "deleted": false
    })
}

/// The next version of a record's JSON, deleted or not.
fn next(record: &Value, deleted: bool) -> Value {
    let mut v = record.clone();
    let version = v["version"].as_u64().unwrap_or(1) + 1;
    v["version"] = json!(version);
    v["updated_at_ms"] = json!(T + 60_000 * version as i64);
    v["deleted"] = json!(deleted);
    v
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    app.post(path, Some("application/json"), body.to_string()).await
}

/// Stores a mark of `category` numbered `n` in `barrio`, deleted (as version 2) or not.
async fn mark(app: &TestApp, barrio: i64, n: u8, category: &str, deleted: bool) -> String {
    let (lon, lat) = centre_of(app, barrio).await;
    let id = mark_id(n);
    let first = MarkBuilder::new(barrio, lon, lat).id(&id).category(category).json();
    assert_eq!(app.post_mark(first.to_string()).await.0, 201);
    if deleted {
        let mut gone = first;
        gone["properties"]["version"] = json!(2);
        gone["properties"]["updated_at_ms"] = json!(T + 1);
        gone["properties"]["deleted"] = json!(true);
        assert_eq!(app.post_mark(gone.to_string()).await.0, 200);
    }
    id
}

async fn tree(app: &TestApp, barrio: i64) -> Value {
    let (status, body) = app.get_json(&format!("/barrios/{barrio}/tree")).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_cause_of_two_problems_and_its_solution_are_stored_with_history() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let problems = [mark(&app, barrio, 1, "hurto_personas", false).await, mark(&app, barrio, 2, "callejon_oscuro", false).await];
    let c = cause(barrio, &problems);
    assert_eq!(post(&app, "/causes", &c).await, (201, json!({"id": CAUSE, "version": 1, "status": "created"})));
    let s = solution(barrio, &[CAUSE]);
    assert_eq!(post(&app, "/solutions", &s).await, (201, json!({"id": SOLUTION, "version": 1, "status": "created"})));
    assert_eq!(tree(&app, barrio).await, json!({"causes": [c], "solutions": [s]}));

    assert_eq!(post(&app, "/causes", &c).await, (200, json!({"id": CAUSE, "version": 1, "status": "already_stored"})));
    let mut edited = next(&c, false);
    edited["text"] = json!("Dos postes dañados");
    assert_eq!(post(&app, "/causes", &edited).await.1["status"], "updated");
    let mut other_v2 = edited.clone();
    other_v2["text"] = json!("Otra cosa");
    let (status, body) = post(&app, "/causes", &other_v2).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")));
    let gone = next(&s, true);
    assert_eq!(post(&app, "/solutions", &gone).await.1["status"], "updated");

    assert_eq!(tree(&app, barrio).await, json!({"causes": [edited], "solutions": [gone]}), "tombstones stay, flagged");
    assert_eq!(app.versions("cause", CAUSE).await, vec![c, edited]);
    assert_eq!(app.versions("solution", SOLUTION).await, vec![s, gone]);
}

#[tokio::test]
async fn a_cause_must_link_to_live_problems_of_its_own_barrio() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let other = app.barrio_id("bastidas").await;
    let live = mark(&app, barrio, 1, "hurto_personas", false).await;
    let deleted = mark(&app, barrio, 2, "hurto_personas", true).await;
    let protective = mark(&app, barrio, 3, "parque", false).await;
    let elsewhere = mark(&app, other, 4, "hurto_personas", false).await;
    let cases = [(mark_id(9), "missing_link"), (deleted, "deleted_link"), (protective, "not_a_problem"), (elsewhere, "other_barrio")];
    for (link, code) in cases {
        let (status, body) = post(&app, "/causes", &cause(barrio, &[live.clone(), link])).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some(code)), "{body}");
        assert_eq!(body["error"]["field"], "problem_ids");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.starts_with("Está unida")), "{body}");
        assert!(body["error"]["message_en"].as_str().is_some_and(|m| m.starts_with("It links")), "{body}");
    }
    assert_eq!(tree(&app, barrio).await, json!({"causes": [], "solutions": []}));
    let (status, _) = app.get_json(&format!("/records/cause/{CAUSE}/versions")).await;
    assert_eq!(status, 404, "nothing of the refused cause was stored");
}

#[tokio::test]
async fn a_solution_linked_to_a_deleted_cause_is_refused() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let problem = mark(&app, barrio, 1, "hurto_personas", false).await;
    let c = cause(barrio, &[problem]);
    assert_eq!(post(&app, "/causes", &c).await.0, 201);
    assert_eq!(post(&app, "/causes", &next(&c, true)).await.0, 200);
    let (status, body) = post(&app, "/solutions", &solution(barrio, &[CAUSE])).await;
    assert_eq!(
        (status, body["error"]["code"].as_str(), body["error"]["field"].as_str()),
        (422, Some("deleted_link"), Some("cause_ids")),
        "{body}"
    );
    assert_eq!(tree(&app, barrio).await["solutions"], json!([]));
    assert_eq!(app.get_json(&format!("/records/solution/{SOLUTION}/versions")).await.0, 404);
}

#[tokio::test]
async fn bad_cause_and_solution_bodies_are_refused_with_nothing_stored() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let problem = mark(&app, barrio, 1, "hurto_personas", false).await;
    let good = cause(barrio, std::slice::from_ref(&problem));
    let with = |key: &str, value: Value| {
        let mut c = good.clone();
        c[key] = value;
        c.to_string()
    };
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("/causes", "{\"id\": ".into(), 400, "malformed"),
        ("/causes", with("problemas", json!([problem])), 400, "malformed"),
        ("/causes", with("version", json!("dos")), 400, "malformed"),
        ("/causes", with("problem_ids", json!([])), 422, "no_links"),
        ("/causes", with("category", json!("brujeria")), 422, "unknown_cause_category"),
        ("/causes", with("barrio_id", json!(424242)), 422, "unknown_barrio"),
        ("/solutions", "[]".into(), 400, "malformed"),
        ("/solutions", solution(barrio, &[]).to_string(), 422, "no_links"),
        (
            "/solutions",
            {
                let mut s = solution(barrio, &[CAUSE]);
                s["text"] = json!(" ");
                s.to_string()
            },
            422,
            "empty_text",
        ),
        ("/solutions", solution(barrio, &[CAUSE]).to_string(), 422, "missing_link"),
    ];
    for (path, body, status, code) in cases {
        let (got, json) = app.post(path, Some("application/json"), body.clone()).await;
        assert_eq!((got, json["error"]["code"].as_str()), (status, Some(code)), "{path} {body} → {json}");
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(json["error"]["message_en"].as_str().is_some_and(|m| !m.is_empty()));
    }
    for path in ["/causes", "/solutions"] {
        let (status, json) = app.post(path, Some("text/plain"), good.to_string()).await;
        assert_eq!((status, json["error"]["code"].as_str()), (415, Some("unsupported_media_type")));
        let (status, json) = app.post(path, Some("application/json"), vec![b' '; 200 * 1024]).await;
        assert_eq!((status, json["error"]["code"].as_str()), (413, Some("payload_too_large")));
    }
    assert_eq!(tree(&app, barrio).await, json!({"causes": [], "solutions": []}));
    // Without a content type, a body is not taken for JSON.
    assert_eq!(app.post("/causes", None, good.to_string()).await.0, 415);
    assert_eq!(app.post("/causes", Some("application/json"), good.to_string()).await.0, 201);
}

#[tokio::test]
async fn the_tree_of_an_unknown_barrio_is_404() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/barrios/424242/tree").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
}

/// Sends versions as the device's outbox does, in order, and returns the statuses.
async fn sync(app: &TestApp, records: &[Record]) -> Vec<(u16, Value)> {
    let mut out = Vec::new();
    for r in records {
        out.push(match r {
            Record::Mark(m) => {
                app.post("/marks", Some("application/geo+json"), serde_json::to_string(&m.to_feature()).expect("json")).await
            }
            Record::Cause(c) => post(app, "/causes", &json!(c)).await,
            Record::Solution(s) => post(app, "/solutions", &json!(s)).await,
        });
    }
    out
}

#[tokio::test]
async fn a_deletion_undone_and_redone_on_the_device_syncs_in_the_order_it_sends() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let id = |n: u128| Uuid::from_u128(0x0193_7f3a_1b2c_7d4e_8f50_6a7b_8c9d_0000 + n);
    let problem = Mark::new_point(id(1), barrio, "hurto_personas", lon, lat, T);
    let c = Cause { id: id(2), problem_ids: vec![problem.id], ..serde_json::from_value(cause(barrio, &[])).expect("cause") };
    let s = Solution { id: id(3), cause_ids: vec![c.id], ..serde_json::from_value(solution(barrio, &[])).expect("solution") };
    let mut drawing = Drawing::default();
    let created = vec![Record::Mark(problem.clone()), Record::Cause(c), Record::Solution(s)];
    assert!(sync(&app, &created).await.iter().all(|(status, _)| *status == 201));
    created.into_iter().for_each(|r| {
        drawing.apply(r);
    });

    // Deleting the problem takes its only cause and that cause's only solution with it.
    let deletion = drawing.delete(&Record::Mark(problem), T + 10);
    let step = drawing.step(&deletion);
    let sent = sync(&app, &deletion).await;
    assert!(sent.iter().all(|(status, _)| *status == 200), "{sent:?}");
    deletion.into_iter().for_each(|r| {
        drawing.apply(r);
    });
    let (undo, redo) = drawing.undo(&step, T + 20);
    let sent = sync(&app, &undo).await;
    assert!(sent.iter().all(|(status, body)| *status == 200 && body["status"] == "updated"), "{sent:?}");
    undo.into_iter().for_each(|r| {
        drawing.apply(r);
    });
    let (again, _) = drawing.undo(&redo, T + 30);
    let sent = sync(&app, &again).await;
    assert!(sent.iter().all(|(status, _)| *status == 200), "{sent:?}");
    again.into_iter().for_each(|r| {
        drawing.apply(r);
    });

    let tree = tree(&app, barrio).await;
    assert_eq!(tree["causes"][0]["version"], 4);
    assert_eq!(tree["solutions"][0]["deleted"], true);
    assert_eq!(app.versions("mark", &id(1).to_string()).await.len(), 4);
}
