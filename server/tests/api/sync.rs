//! Sync protocol 2 over HTTP: batches stored once however often they are sent, offline edits
//! of the same record from two devices, a result per change, refusals of whole batches, pulls
//! page by page, what the previous app version sent, and databases from before the protocol.

use std::time::{Duration, Instant};

use app::model::sync::{change_json, BatchReply, ChangeStatus, PullReply, MAX_CLOCK_AHEAD_MS, PROTOCOL};
use app::model::{Cause, Hlc, Mark, Record, Workshop};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, spawn_app, spawn_app_on, TestApp};

const T: i64 = 1_764_000_000_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64
}

/// A device: its id, and the id its clock carries.
struct Device {
    id: Uuid,
}

impl Device {
    fn new(n: u128) -> Device {
        Device { id: Uuid::from_u128(0xde71ce00 + n) }
    }
    fn node(&self) -> String {
        self.id.simple().to_string()
    }
    /// `record` as this device saves it at `ms`, for `workshop`.
    fn stamp(&self, record: Record, ms: i64, workshop: Option<Uuid>) -> Record {
        record.stamped(Hlc::tick(None, ms, &self.node()), workshop)
    }
    fn batch(&self, submission: u128, workshop: Option<Uuid>, changes: Vec<Value>) -> Value {
        json!({
            "protocol": PROTOCOL,
            "submission_id": Uuid::from_u128(submission),
            "device_id": self.id,
            "workshop_id": workshop,
            "changes": changes,
        })
    }
}

fn changes(records: &[&Record]) -> Vec<Value> {
    records.iter().map(|r| change_json(r)).collect()
}

async fn send(app: &TestApp, batch: &Value) -> (u16, Value) {
    app.post("/sync", Some("application/json"), batch.to_string()).await
}

async fn reply(app: &TestApp, batch: &Value) -> BatchReply {
    let (status, body) = send(app, batch).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a batch reply")
}

/// Prepares a workshop in `barrio` on `date`.
pub async fn workshop(app: &TestApp, barrio: i64, date: &str) -> Workshop {
    let draft = json!({"barrio_id": barrio, "date": date, "place": "Salón comunal", "cbsc": "CBSC Pescaíto", "facilitator": "Ana"});
    let (status, body) = app.post("/workshops", Some("application/json"), draft.to_string()).await;
    assert_eq!(status, 201, "{body}");
    serde_json::from_value(body).expect("a workshop")
}

/// A cause numbered `n` of `problems`, version 1, with no clock yet.
fn cause_of(barrio: i64, n: u128, problems: Vec<Uuid>) -> Cause {
    Cause {
        workshop_id: None,
        hlc: None,
        id: mark_id(n),
        barrio_id: barrio,
        category: "falta_iluminacion".into(),
        text: String::new(),
        problem_ids: problems,
        alias: String::new(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    }
}

fn mark_id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_7f3a_1b2c_7d4e_8f50_0000_0000_0000 + n)
}

/// A problem mark numbered `n` at the barrio's centre (a little east for larger `n`).
fn problem(barrio: i64, (lon, lat): (f64, f64), n: u128) -> Mark {
    Mark::new_point(mark_id(n), barrio, "hurto_personas", lon + (n % 100) as f64 * 1e-5, lat, T)
}

/// How many versions the history holds, counted in the database file itself.
fn rows(app: &TestApp, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&app.db_path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[tokio::test]
async fn the_same_batch_sent_three_times_is_stored_once_and_answered_alike() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let a = Device::new(1);
    let m = a.stamp(Record::Mark(problem(barrio, centre, 1)), T, Some(w.id));
    let cause = Cause {
        workshop_id: None,
        hlc: None,
        id: mark_id(500),
        barrio_id: barrio,
        category: "falta_iluminacion".into(),
        text: String::new(),
        problem_ids: vec![m.id()],
        alias: "Rosa".into(),
        created_at_ms: T + 1,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    };
    let c = a.stamp(Record::Cause(cause), T + 1, Some(w.id));
    let batch = a.batch(1, Some(w.id), changes(&[&m, &c]));

    let first = reply(&app, &batch).await;
    assert_eq!((first.protocol, first.submission_id), (PROTOCOL, Uuid::from_u128(1)));
    assert!(first.results[0].confirms(&m) && first.results[1].confirms(&c), "{first:?}");
    assert_eq!(first.results.iter().map(|r| r.status).collect::<Vec<_>>(), [ChangeStatus::Created, ChangeStatus::Created]);
    assert!((now_ms() - first.server_time_ms).abs() < 60_000);
    for _ in 0..2 {
        assert_eq!(reply(&app, &batch).await, first, "the answer of the first time, verbatim");
    }
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 2);
    assert_eq!(rows(&app, "SELECT count(*) FROM submissions"), 1);
    assert_eq!(
        rows(
            &app,
            &format!("SELECT count(*) FROM record_versions WHERE device_id = '{}' AND submission_id = '{}'", a.id, Uuid::from_u128(1))
        ),
        2
    );
    assert_eq!(app.versions("mark", &m.id().to_string()).await.len(), 1);

    // The same changes in a new batch are stored already; the batch's id from another device is refused.
    let again = reply(&app, &a.batch(2, Some(w.id), changes(&[&m, &c]))).await;
    assert!(again.results.iter().all(|r| r.status == ChangeStatus::AlreadyStored));
    assert!(again.results[0].confirms(&m));
    let mut stolen = batch.clone();
    stolen["device_id"] = json!(Device::new(2).id);
    let (status, body) = send(&app, &stolen).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("submission_reused")), "{body}");
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 2);
}

/// Both devices make version 2 of the same mark offline; b's edit is an hour later.
async fn offline_edits(b_first: bool) -> (TestApp, Mark, Vec<Value>) {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let (a, b) = (Device::new(1), Device::new(2));
    let v1 = a.stamp(Record::Mark(problem(barrio, centre, 1)), T, Some(w.id));
    let Record::Mark(base) = v1.clone() else { unreachable!() };
    let on_a = a.stamp(Record::Mark(Mark { description: "de a".into(), ..base.next_version(T + 10) }), T + 10, None);
    let on_b = b.stamp(Record::Mark(Mark { description: "de b".into(), ..base.next_version(T + 3_600_000) }), T + 3_600_000, None);
    assert_eq!((on_a.version(), on_b.version()), (2, 2));
    assert_eq!(reply(&app, &a.batch(1, Some(w.id), changes(&[&v1]))).await.results[0].status, ChangeStatus::Created);
    let send_a = a.batch(2, Some(w.id), changes(&[&on_a]));
    let send_b = b.batch(3, Some(w.id), changes(&[&on_b]));
    let (first, second) = if b_first { (send_b, send_a) } else { (send_a, send_b) };
    let r1 = reply(&app, &first).await.results.remove(0);
    let r2 = reply(&app, &second).await.results.remove(0);
    let expected = if b_first { [ChangeStatus::Updated, ChangeStatus::History] } else { [ChangeStatus::Updated, ChangeStatus::Updated] };
    assert_eq!([r1.status, r2.status], expected);
    let Record::Mark(winner) = on_b.clone() else { unreachable!() };
    let versions = app.versions("mark", &base.id.to_string()).await;
    let expected: Vec<Value> = [&v1, &on_a, &on_b].iter().map(|r| change_json(r)["record"].clone()).map(|f| feature_as_model(&f)).collect();
    assert_eq!(versions, expected, "every version kept, ordered by clock");
    (app, winner, versions)
}

/// A mark Feature as the versions endpoint lists it: the model's own JSON.
fn feature_as_model(feature: &Value) -> Value {
    serde_json::to_value(Mark::from_feature_value(feature.clone()).expect("a mark")).expect("json")
}

#[tokio::test]
async fn two_devices_edit_the_same_mark_offline_both_versions_are_kept_and_the_later_clock_wins_in_either_order() {
    let mut currents = Vec::new();
    for b_first in [false, true] {
        let (app, winner, versions) = offline_edits(b_first).await;
        assert_eq!(versions.len(), 3);
        assert_eq!((versions[1]["version"].as_u64(), versions[2]["version"].as_u64()), (Some(2), Some(2)), "two versions 2");
        assert_ne!(versions[1]["hlc"], versions[2]["hlc"]);
        let current = app.stored_marks(winner.barrio_id).await;
        assert_eq!(current.len(), 1);
        assert_eq!(Mark::from_feature_value(current[0].clone()).expect("a mark"), winner, "the later clock is current, with its clock");
        assert_eq!(current[0]["properties"]["description"], "de b");
        let mut current = current[0].clone();
        // Each run prepares its own workshop.
        current["properties"].as_object_mut().expect("properties").remove("workshop_id");
        currents.push(current);
    }
    assert_eq!(currents[0], currents[1], "the same winner whatever the order");
}

#[tokio::test]
async fn each_change_gets_its_result_and_a_refused_one_stores_nothing() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let other = workshop(&app, barrio, "2099-12-02").await;
    let a = Device::new(1);
    let good = a.stamp(Record::Mark(problem(barrio, centre, 1)), T, Some(w.id));
    let mut malformed = change_json(&a.stamp(Record::Mark(problem(barrio, centre, 2)), T, Some(w.id)));
    malformed["record"]["geometry"]["coordinates"] = json!([-74.2, 95.0]);
    let ahead_ms = now_ms() + MAX_CLOCK_AHEAD_MS + 3_600_000;
    let ahead = a.stamp(Record::Mark(problem(barrio, centre, 3)), ahead_ms, Some(w.id));
    let elsewhere = a.stamp(Record::Mark(problem(barrio, centre, 4)), T, Some(other.id));
    let far = a.stamp(
        Record::Mark(Mark { geometry: geojson::Geometry::new(geojson::Value::Point(vec![-75.5, 10.4])), ..problem(barrio, centre, 5) }),
        T,
        Some(w.id),
    );
    let nowhere = a.stamp(Record::Mark(Mark { barrio_id: 424_242, ..problem(barrio, centre, 6) }), T, None);
    // A version dated by another device's clock.
    let borrowed = Device::new(2).stamp(Record::Mark(problem(barrio, centre, 7)), T, Some(w.id));
    let mut listed = vec![change_json(&good), malformed];
    listed.extend([change_json(&ahead), change_json(&elsewhere), change_json(&far), json!("x"), change_json(&nowhere)]);
    listed.push(change_json(&borrowed));
    let batch = a.batch(1, Some(w.id), listed);

    let (status, body) = send(&app, &batch).await;
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 8);
    assert_eq!(results[0], json!({"status": "created", "kind": "mark", "id": good.id(), "version": 1, "hlc": good.clock(), "error": null}));
    let refusals: Vec<(&str, &str, Option<&str>)> = results[1..]
        .iter()
        .map(|r| (r["status"].as_str().unwrap_or(""), r["error"]["code"].as_str().unwrap_or(""), r["error"]["field"].as_str()))
        .collect();
    assert_eq!(
        refusals,
        [
            ("refused", "invalid_geometry", Some("record.geometry")),
            ("refused", "clock_ahead", Some("record.properties.hlc")),
            ("refused", "other_workshop", Some("record.properties.workshop_id")),
            ("refused", "outside_barrio", Some("record.geometry")),
            ("refused", "malformed_change", None),
            ("refused", "unknown_barrio", Some("record.properties.barrio_id")),
            ("refused", "foreign_clock", Some("record.properties.hlc")),
        ]
    );
    for r in &results[1..] {
        assert!(
            r["error"]["message"].as_str().is_some_and(|m| !m.is_empty())
                && r["error"]["message_en"].as_str().is_some_and(|m| !m.is_empty())
        );
        assert!(r["id"].is_null() && r["hlc"].is_null(), "a refusal is no receipt: {r}");
    }
    assert!(results[2]["error"]["message"].as_str().is_some_and(|m| m.contains("adelantada")));
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 1, "only the good change");
    for n in 2..=7 {
        assert_eq!(app.get_json(&format!("/records/mark/{}/versions", mark_id(n))).await.0, 404);
    }
    assert_eq!(app.stored_marks(barrio).await.len(), 1);
}

#[tokio::test]
async fn a_cause_refused_for_its_links_leaves_the_rest_of_the_batch_stored() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let a = Device::new(1);
    let p = a.stamp(Record::Mark(problem(barrio, centre, 1)), T, None);
    let cause = |n: u128, problems: Vec<Uuid>| cause_of(barrio, n, problems);
    let broken = a.stamp(Record::Cause(cause(600, vec![p.id(), mark_id(99)])), T + 1, None);
    let fine = a.stamp(Record::Cause(cause(601, vec![p.id()])), T + 2, None);
    // The problem first, as the device's queue sends it; a batch without a workshop is fine.
    let r = reply(&app, &a.batch(1, None, changes(&[&p, &broken, &fine]))).await;
    assert_eq!(
        r.results.iter().map(|r| r.status).collect::<Vec<_>>(),
        [ChangeStatus::Created, ChangeStatus::Refused, ChangeStatus::Created]
    );
    let error = r.results[1].error.as_ref().expect("error");
    assert_eq!((error.code.as_str(), error.field.as_deref()), ("missing_link", Some("record.problem_ids")));
    let (_, tree) = app.get_json(&format!("/barrios/{barrio}/tree")).await;
    assert_eq!(tree["causes"].as_array().map(Vec::len), Some(1));
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 2);
}

/// A batch that deletes a problem without untying its causes (an old app, or a participant's
/// device that may not change another's cause) leaves no live cause pointing at it; one that
/// unties them itself, as the app does, gets no extra version from the server.
#[tokio::test]
async fn a_problem_deleted_in_a_batch_takes_its_causes_links_with_it() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let a = Device::new(1);
    let (p1, p2, p3) = (problem(barrio, centre, 1), problem(barrio, centre, 2), problem(barrio, centre, 3));
    let cause = |n: u128, problems: Vec<Uuid>| cause_of(barrio, n, problems);
    let (only_p1, both) = (cause(600, vec![p1.id]), cause(601, vec![p1.id, p2.id]));
    let made: Vec<Record> = [Record::Mark(p1.clone()), Record::Mark(p2), Record::Mark(p3.clone()), Record::Cause(only_p1), Record::Cause(both)]
        .into_iter()
        .map(|r| a.stamp(r, T, None))
        .collect();
    assert!(reply(&app, &a.batch(1, None, made.iter().map(change_json).collect())).await.results.iter().all(|r| r.status == ChangeStatus::Created));

    // The tombstone alone.
    let gone = a.stamp(Record::Mark(Mark { deleted: true, ..p1.next_version(T + 10) }), T + 10, None);
    assert_eq!(reply(&app, &a.batch(2, None, changes(&[&gone]))).await.results[0].status, ChangeStatus::Updated);
    let (_, tree) = app.get_json(&format!("/barrios/{barrio}/tree")).await;
    let causes: Vec<(bool, Value)> = tree["causes"].as_array().expect("causes").iter().map(|c| (c["deleted"] == true, c["problem_ids"].clone())).collect();
    assert_eq!(causes, [(true, json!([p1.id])), (false, json!([mark_id(2)]))], "{tree}");

    // As the app deletes: the tombstone, then its own untied cause, in one batch.
    let explains_p3 = a.stamp(Record::Cause(cause(602, vec![p3.id])), T + 20, None);
    let _ = reply(&app, &a.batch(3, None, changes(&[&explains_p3]))).await;
    let mut drawing = app::model::Drawing::default();
    drawing.apply(Record::Mark(p3.clone()));
    drawing.apply(explains_p3);
    let deletion: Vec<Record> = drawing.delete(&Record::Mark(p3.clone()), T + 30).into_iter().map(|r| a.stamp(r, T + 30, None)).collect();
    let r = reply(&app, &a.batch(4, None, deletion.iter().map(change_json).collect())).await;
    assert!(r.results.iter().all(|r| r.status == ChangeStatus::Updated), "{:?}", r.results);
    assert_eq!(app.versions("cause", &mark_id(602).to_string()).await.len(), 2, "the device's own tombstone of the cause, and no other");
}

#[tokio::test]
async fn whole_batches_are_refused_for_their_protocol_size_or_workshop() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let a = Device::new(1);
    let m = a.stamp(Record::Mark(problem(barrio, centre, 1)), T, None);

    let mut old = a.batch(1, None, changes(&[&m]));
    old["protocol"] = json!(1);
    let (status, body) = send(&app, &old).await;
    assert_eq!((status, body["error"]["code"].as_str()), (426, Some("client_too_old")), "protocol 1 never had batches: {body}");
    old["protocol"] = json!(0);
    let (status, body) = send(&app, &old).await;
    assert_eq!((status, body["error"]["code"].as_str()), (426, Some("client_too_old")), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("siguen guardadas en el dispositivo")), "{body}");
    let mut new = old.clone();
    new["protocol"] = json!(PROTOCOL + 1);
    assert_eq!(send(&app, &new).await.1["error"]["code"], "unsupported_protocol");

    let too_many: Vec<Value> = (0..251).map(|n| change_json(&a.stamp(Record::Mark(problem(barrio, centre, n)), T, None))).collect();
    let (status, body) = send(&app, &a.batch(2, None, too_many)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("too_many_changes")), "{body}");

    // Over 1 MiB: one good change and one padded past the limit.
    let mut padded = change_json(&m);
    padded["record"]["properties"]["description"] = json!("x".repeat(1024 * 1024));
    let (status, body) = send(&app, &a.batch(3, None, vec![change_json(&m), padded])).await;
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("payload_too_large")), "{body}");

    let (status, body) = send(&app, &a.batch(4, Some(Uuid::from_u128(404)), changes(&[&m]))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("unknown_workshop")), "{body}");

    for bad in ["{", "[]", r#"{"protocol": 2, "submission_id": "x", "device_id": "y", "changes": []}"#] {
        let (status, body) = app.post("/sync", Some("application/json"), bad).await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("malformed_batch")), "{bad} → {body}");
    }
    assert_eq!(app.post("/sync", Some("text/plain"), a.batch(5, None, changes(&[&m])).to_string()).await.0, 415);
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 0, "nothing stored");
    assert_eq!(rows(&app, "SELECT count(*) FROM submissions"), 0);
}

#[tokio::test]
async fn another_device_pulls_what_one_sent_page_by_page() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let a = Device::new(1);
    let sent: Vec<Record> = (1..=5).map(|n| a.stamp(Record::Mark(problem(barrio, centre, n)), T + n as i64, Some(w.id))).collect();
    // A mark drawn outside the workshop is not the workshop's to pull.
    let outside = a.stamp(Record::Mark(problem(barrio, centre, 9)), T, None);
    let mut all: Vec<&Record> = sent.iter().collect();
    all.push(&outside);
    assert!(reply(&app, &a.batch(1, Some(w.id), changes(&all))).await.results.iter().all(|r| r.status == ChangeStatus::Created));

    let mut cursor = 0;
    let mut pulled = Vec::new();
    let mut pages = Vec::new();
    loop {
        let (status, body) = app.get_json(&format!("/workshops/{}/changes?after={cursor}&limit=2", w.id)).await;
        assert_eq!(status, 200, "{body}");
        let page: PullReply = serde_json::from_value(body).expect("a pull page");
        assert!(page.cursor > cursor, "the cursor advances");
        pages.push((page.changes.len(), page.more));
        for change in &page.changes {
            let seq = change["seq"].as_i64().expect("seq");
            assert!(seq > cursor && seq <= page.cursor);
            let mut bare = change.clone();
            bare.as_object_mut().expect("object").remove("seq");
            pulled.push(app::model::sync::parse_change(bare).expect("a change"));
        }
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, [(2, true), (2, true), (1, false)]);
    assert_eq!(pulled, sent, "every version of the workshop, in the order it arrived");
    let (_, body) = app.get_json(&format!("/workshops/{}/changes?after={cursor}", w.id)).await;
    assert_eq!(body, json!({"changes": [], "cursor": cursor, "more": false}), "nothing new: the same cursor");

    assert_eq!(app.get_json(&format!("/workshops/{}/changes", Uuid::from_u128(404))).await.1["error"]["code"], "unknown_workshop");
    for bad in ["after=-1", "after=x", "limit=0"] {
        let (status, body) = app.get_json(&format!("/workshops/{}/changes?{bad}", w.id)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_query")), "{bad}");
    }
}

async fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/protocol1").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn what_the_previous_app_version_sent_is_still_taken_and_read_back_unchanged() {
    let app = spawn_app().await;
    assert_eq!(app.barrio_id("pescaito").await, 218, "the fixtures name Pescaíto by its id in the seed");
    let (mark, edit, cause, solution) =
        (fixture("mark.geojson").await, fixture("mark-v2.geojson").await, fixture("cause.json").await, fixture("solution.json").await);
    for (path, content_type, body) in
        [("/marks", "application/geo+json", &mark), ("/causes", "application/json", &cause), ("/solutions", "application/json", &solution)]
    {
        let (status, answer) = app.post(path, Some(content_type), body.clone()).await;
        assert_eq!((status, answer["status"].as_str()), (201, Some("created")), "{path} → {answer}");
        let (status, answer) = app.post(path, Some(content_type), body.clone()).await;
        assert_eq!((status, answer["status"].as_str()), (200, Some("already_stored")), "{path} → {answer}");
    }
    let (status, answer) = app.post("/marks", Some("application/geo+json"), edit.clone()).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("updated")), "{answer}");

    let parse = |s: &str| serde_json::from_str::<Value>(s).expect("fixture json");
    let current = app.stored_marks(218).await;
    assert_eq!(current.len(), 1);
    let edit = parse(&edit);
    assert_eq!(
        (&current[0]["id"], &current[0]["geometry"], &current[0]["properties"]),
        (&edit["id"], &edit["geometry"], &edit["properties"])
    );
    let (_, tree) = app.get_json("/barrios/218/tree").await;
    assert_eq!(tree, json!({"causes": [parse(&cause)], "solutions": [parse(&solution)]}));
    let versions = app.versions("mark", "01937f3a-1b2c-7d4e-8f50-6a7b8c9d1001").await;
    assert_eq!(versions.iter().map(|v| v["version"].as_u64()).collect::<Vec<_>>(), [Some(1), Some(2)]);
    assert!(versions.iter().all(|v| v.get("hlc").is_none() && v.get("workshop_id").is_none()));

    // An updated device edits the old mark: its clock is later than the old edit's.
    let a = Device::new(1);
    let Record::Mark(old) = app::model::sync::parse_change(json!({"kind": "mark", "record": edit})).expect("mark") else { unreachable!() };
    let v3 = a.stamp(Record::Mark(Mark { description: "ya no".into(), ..old.next_version(now_ms()) }), now_ms(), None);
    assert_eq!(reply(&app, &a.batch(1, None, changes(&[&v3]))).await.results[0].status, ChangeStatus::Updated);
    assert_eq!(app.stored_marks(218).await[0]["properties"]["description"], "ya no");
}

/// The database a server at migration 0004 left behind: a barrio, a mark edited once (its
/// edit arrived before its first version), a cause and its solution.
fn database_at_migration_4(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    for sql in [
        include_str!("../../migrations/0001_barrios_marks.sql"),
        include_str!("../../migrations/0002_barrio_packs.sql"),
        include_str!("../../migrations/0003_mark_alias.sql"),
        include_str!("../../migrations/0004_versions_and_tree.sql"),
    ] {
        conn.execute_batch(sql).expect("migration");
    }
    conn.pragma_update(None, "user_version", 4).expect("user_version");
    let boundary = r#"{"type":"Polygon","coordinates":[[[-74.21,11.24],[-74.20,11.24],[-74.20,11.25],[-74.21,11.25],[-74.21,11.24]]]}"#;
    conn.execute(
        "INSERT INTO barrios (id, code, name, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
         VALUES (1, 'antiguo', 'Antiguo', ?1, -74.21, 11.24, -74.20, 11.25, 120.0, 'prueba')",
        [boundary],
    )
    .expect("barrio");
    let mark = |version: u32, updated: i64, description: &str| {
        json!({"id": OLD_MARK, "barrio_id": 1, "category": "lote_baldio", "geometry": {"type": "Point", "coordinates": [-74.20581644500001, 11.245]},
               "description": description, "created_at_ms": T, "alias": "Rosa", "attributes": {"times": ["noche"]},
               "version": version, "updated_at_ms": updated, "deleted": false})
    };
    let cause = json!({"id": OLD_CAUSE, "barrio_id": 1, "category": "espacios_abandonados", "text": "", "problem_ids": [OLD_MARK],
                       "alias": "", "created_at_ms": T + 5, "version": 1, "updated_at_ms": 0, "deleted": false});
    let solution = json!({"id": OLD_SOLUTION, "barrio_id": 1, "text": "Limpiar el lote", "institution": "essmar", "cause_ids": [OLD_CAUSE],
                          "alias": "", "created_at_ms": T + 6, "version": 1, "updated_at_ms": 0, "deleted": false});
    let history = [
        ("mark", OLD_MARK, 2, mark(2, T + 60_000, "detrás del colegio, de noche"), "2025-11-24T10:05:00.000Z"),
        ("mark", OLD_MARK, 1, mark(1, 0, "detrás del colegio"), "2025-11-24T10:06:00.000Z"),
        ("cause", OLD_CAUSE, 1, cause.clone(), "2025-11-24T10:07:00.000Z"),
        ("solution", OLD_SOLUTION, 1, solution.clone(), "2025-11-24T10:08:00.000Z"),
    ];
    for (kind, id, version, record, received) in &history {
        conn.execute(
            "INSERT INTO record_versions (kind, id, version, barrio_id, record, received_at) VALUES (?1, ?2, ?3, 1, ?4, ?5)",
            rusqlite::params![kind, id, version, record.to_string(), received],
        )
        .expect("version");
    }
    conn.execute(
        "INSERT INTO marks (id, barrio_id, category, geometry, description, created_at_ms, alias, attributes, version, updated_at_ms, deleted)
         VALUES (?1, 1, 'lote_baldio', '{\"type\":\"Point\",\"coordinates\":[-74.20581644500001,11.245]}', 'detrás del colegio, de noche', ?2,
                 'Rosa', '{\"times\":[\"noche\"]}', 2, ?3, 0)",
        rusqlite::params![OLD_MARK, T, T + 60_000],
    )
    .expect("mark");
    conn.execute(
        "INSERT INTO causes (id, barrio_id, version, deleted, created_at_ms, record) VALUES (?1, 1, 1, 0, ?2, ?3)",
        rusqlite::params![OLD_CAUSE, T + 5, cause.to_string()],
    )
    .expect("cause");
    conn.execute(
        "INSERT INTO solutions (id, barrio_id, version, deleted, created_at_ms, record) VALUES (?1, 1, 1, 0, ?2, ?3)",
        rusqlite::params![OLD_SOLUTION, T + 6, solution.to_string()],
    )
    .expect("solution");
}

const OLD_MARK: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0eaa";
const OLD_CAUSE: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0cbb";
const OLD_SOLUTION: &str = "01937f3a-1b2c-7d4e-8f50-6a7b8c9d05cc";

#[tokio::test]
async fn a_database_at_migration_4_keeps_every_version_with_its_clock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("old.sqlite3");
    database_at_migration_4(&db);
    let app = spawn_app_on(dir, db).await;

    let versions = app.versions("mark", OLD_MARK).await;
    assert_eq!(
        versions.iter().map(|v| (v["version"].as_u64(), v["description"].as_str())).collect::<Vec<_>>(),
        [(Some(1), Some("detrás del colegio")), (Some(2), Some("detrás del colegio, de noche"))],
        "by clock, not by arrival"
    );
    assert_eq!(versions[0]["attributes"], json!({"times": ["noche"]}));
    assert_eq!(app.versions("cause", OLD_CAUSE).await.len(), 1);
    assert_eq!(app.versions("solution", OLD_SOLUTION).await.len(), 1);
    let marks = app.stored_marks(1).await;
    assert_eq!((marks.len(), marks[0]["properties"]["version"].as_u64()), (1, Some(2)));
    assert!(marks[0]["properties"].get("hlc").is_none(), "an old version has no clock of its own");
    let (_, tree) = app.get_json("/barrios/1/tree").await;
    assert_eq!((tree["causes"][0]["id"].as_str(), tree["solutions"][0]["id"].as_str()), (Some(OLD_CAUSE), Some(OLD_SOLUTION)));

    // Every version kept, numbered in the order it arrived, with the clock the model gives it.
    let conn = rusqlite::Connection::open(&app.db_path).expect("open");
    let mut stmt = conn.prepare("SELECT seq, kind, version, hlc, received_at FROM record_versions ORDER BY seq").expect("select");
    let rows: Vec<(i64, String, u32, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).expect("rows").map(Result::unwrap).collect();
    let legacy = |created: i64, updated: i64, version: u32| Hlc::legacy(created, updated, version).to_string();
    assert_eq!(
        rows,
        vec![
            (1, "mark".into(), 2, legacy(T, T + 60_000, 2), "2025-11-24T10:05:00.000Z".into()),
            (2, "mark".into(), 1, legacy(T, 0, 1), "2025-11-24T10:06:00.000Z".into()),
            (3, "cause".into(), 1, legacy(T + 5, 0, 1), "2025-11-24T10:07:00.000Z".into()),
            (4, "solution".into(), 1, legacy(T + 6, 0, 1), "2025-11-24T10:08:00.000Z".into()),
        ]
    );
    let current: String = conn.query_row("SELECT hlc FROM marks", [], |r| r.get(0)).expect("hlc");
    assert_eq!(current, legacy(T, T + 60_000, 2));
    drop(stmt);
    drop(conn);

    // The old app sending its edit again finds it stored; a new version arrives after it.
    let mut resent = marks[0].clone();
    assert_eq!(app.post_mark(resent.to_string()).await.1["status"], "already_stored");
    resent["properties"]["version"] = json!(3);
    resent["properties"]["updated_at_ms"] = json!(T + 120_000);
    assert_eq!(app.post_mark(resent.to_string()).await, (200, json!({"id": OLD_MARK, "version": 3, "status": "updated"})));
    assert_eq!(app.versions("mark", OLD_MARK).await.len(), 3);
}

#[tokio::test]
async fn seven_thousand_marks_of_one_device_arrive_in_28_batches_quickly() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let a = Device::new(1);
    let batches: Vec<String> = (0..28u128)
        .map(|b| {
            let records: Vec<Value> = (0..250u128)
                .map(|i| {
                    let n = b * 250 + i;
                    let mark = Mark { description: format!("marca {n}"), ..problem(barrio, centre, 10_000 + n) };
                    change_json(&a.stamp(Record::Mark(mark), T + n as i64, Some(w.id)))
                })
                .collect();
            a.batch(100 + b, Some(w.id), records).to_string()
        })
        .collect();
    let started = Instant::now();
    for batch in batches {
        let (status, body) = app.post("/sync", Some("application/json"), batch).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["results"].as_array().is_some_and(|r| r.len() == 250 && r.iter().all(|r| r["status"] == "created")));
    }
    let took = started.elapsed();
    eprintln!("7,000 marks in 28 batches: {took:?}");
    assert_eq!(rows(&app, "SELECT count(*) FROM marks"), 7_000);
    // The promise holds for release builds; a debug build is several times slower.
    let limit = if cfg!(debug_assertions) { Duration::from_secs(60) } else { Duration::from_secs(5) };
    assert!(took < limit, "{took:?}");
}

/// A zone of `n` positions (closing one included) on a circle of `radius_deg` around `centre`,
/// its coordinates written with 7 decimals (a centimetre).
fn circle_zone(centre: (f64, f64), n: usize, radius_deg: f64) -> geojson::Geometry {
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let mut ring: Vec<Vec<f64>> = (0..n - 1)
        .map(|i| {
            let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            vec![round(centre.0 + radius_deg * a.cos()), round(centre.1 + radius_deg * a.sin())]
        })
        .collect();
    ring.push(ring[0].clone());
    geojson::Geometry::new(geojson::Value::Polygon(vec![ring]))
}

#[tokio::test]
async fn a_zone_over_the_vertex_limit_is_refused_alone_and_at_once() {
    use app::model::geometry::MAX_ZONE_VERTICES;
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let centre = centre_of(&app, barrio).await;
    let a = Device::new(1);
    let shape = |n: u128, geometry: geojson::Geometry| {
        a.stamp(Record::Mark(Mark::new_shape(mark_id(n), barrio, "lote_baldio", geometry, T)), T, None)
    };
    // The probe's zone: 38,000 positions, just under 1 MiB, which took 12 s of CPU to check.
    let huge = shape(1, circle_zone(centre, 38_000, 0.0005));
    let good = a.stamp(Record::Mark(problem(barrio, centre, 2)), T, None);
    let batch = a.batch(1, None, changes(&[&huge, &good]));
    assert!(batch.to_string().len() < 1024 * 1024, "{}", batch.to_string().len());

    let started = Instant::now();
    let (status, body) = send(&app, &batch).await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results[1]["status"], "created", "{}", results[1]);
    assert_eq!(results[0]["status"], "refused");
    assert_eq!(results[0]["error"]["code"], "too_many_vertices");
    assert_eq!(results[0]["error"]["field"], "record.geometry");
    assert!(results[0]["error"]["message"].as_str().is_some_and(|m| m.contains("38000") && m.contains("5000")), "{}", results[0]);
    assert!(results[0]["error"]["message_en"].as_str().is_some_and(|m| m.contains("more than the 5000 allowed")), "{}", results[0]);
    // A debug build, on a shared machine: still far from the seconds the check took.
    assert!(took < Duration::from_secs(5), "{took:?}");

    // At the limit: checked in full, and stored.
    let at_limit = shape(3, circle_zone(centre, MAX_ZONE_VERTICES, 0.0005));
    let started = Instant::now();
    let reply = reply(&app, &a.batch(2, None, changes(&[&at_limit]))).await;
    assert!(reply.results[0].confirms(&at_limit), "{:?}", reply.results[0]);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(app.stored_marks(barrio).await.len(), 2);
}

#[tokio::test]
async fn degenerate_shapes_and_hidden_characters_are_refused_change_by_change() {
    let app = spawn_app().await;
    let barrio = app.barrio_id("pescaito").await;
    let (lon, lat) = centre_of(&app, barrio).await;
    let a = Device::new(1);
    let shape = |n: u128, value: geojson::Value| {
        a.stamp(Record::Mark(Mark::new_shape(mark_id(n), barrio, "lote_baldio", geojson::Geometry::new(value), T)), T, None)
    };
    let in_a_line =
        shape(1, geojson::Value::Polygon(vec![vec![vec![lon, lat], vec![lon + 0.001, lat], vec![lon + 0.0005, lat], vec![lon, lat]]]));
    let standing_still = shape(2, geojson::Value::LineString(vec![vec![lon, lat], vec![lon, lat]]));
    let nul = a.stamp(Record::Mark(Mark { description: "de noche\u{0}".into(), ..problem(barrio, (lon, lat), 3) }), T, None);
    let good = a.stamp(Record::Mark(problem(barrio, (lon, lat), 4)), T, None);
    let cause = Cause {
        workshop_id: None,
        hlc: None,
        id: mark_id(500),
        barrio_id: barrio,
        category: "falta_iluminacion".into(),
        text: "poste\u{0}dañado".into(),
        problem_ids: vec![good.id()],
        alias: String::new(),
        created_at_ms: T + 1,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    };
    let cause = a.stamp(Record::Cause(cause), T + 1, None);
    let batch = a.batch(1, None, changes(&[&in_a_line, &standing_still, &nul, &good, &cause]));

    let body = reply(&app, &batch).await;
    let outcome: Vec<(ChangeStatus, Option<String>, Option<String>)> = body
        .results
        .iter()
        .map(|r| (r.status, r.error.as_ref().map(|e| e.code.clone()), r.error.as_ref().and_then(|e| e.field.clone())))
        .collect();
    let refused = |code: &str, field: &str| (ChangeStatus::Refused, Some(code.to_string()), Some(field.to_string()));
    assert_eq!(
        outcome,
        [
            refused("invalid_geometry", "record.geometry"),
            refused("invalid_geometry", "record.geometry"),
            refused("control_characters", "record.properties.description"),
            (ChangeStatus::Created, None, None),
            refused("control_characters", "record.text"),
        ]
    );
    let messages: Vec<&str> = body.results.iter().filter_map(|r| r.error.as_ref()).map(|e| e.message.as_str()).collect();
    assert!(messages[0].contains("m²") && messages[1].contains("distintas"), "{messages:?}");
    assert!(messages[2].starts_with("La descripción tiene caracteres de control"), "{messages:?}");
    assert_eq!(rows(&app, "SELECT count(*) FROM record_versions"), 1);
}
