//! Every barrio's status over HTTP (`GET /api/v1/diagnosticos/status`): one barrio walked from
//! nothing drawn, to marks without a diagnóstico, to up to date, and back to "to consolidate"
//! after a new mark, a rejection and a deletion, with its counts checked at each step.

use app::model::status::{BarrioStatus, Status};
use app::model::sync::{change_json, PROTOCOL};
use app::model::{Hlc, Mark, Record};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, spawn_app, MarkBuilder, TestApp};
use crate::sync::workshop;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64
}

async fn statuses(app: &TestApp) -> Vec<BarrioStatus> {
    let (status, body) = app.get_json("/diagnosticos/status").await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a list of barrio statuses")
}

/// The barrio's entry, checking on the way that it comes first (it is the only one with marks).
async fn pescaito(app: &TestApp) -> BarrioStatus {
    let list = statuses(app).await;
    let entry = list.iter().find(|b| b.code == "pescaito").cloned().expect("pescaito listed");
    if entry.status != Status::SinMarcas {
        assert_eq!(list[0].code, "pescaito", "the barrio with work comes first");
    }
    entry
}

/// `(status, marks, rejected, participants, workshops, diagnosticos, latest number)`.
fn counts(b: &BarrioStatus) -> (Status, u32, u32, u32, u32, u32, Option<u32>) {
    (b.status, b.marks, b.rejected, b.participants, b.workshops, b.diagnosticos, b.latest.as_ref().map(|l| l.number))
}

/// A device's id; its clocks name it in its simple form, as the app's do.
fn device(n: u128) -> (Uuid, String) {
    let id = Uuid::from_u128(0xde71_ce00 + n);
    (id, id.simple().to_string())
}

/// Sends `records` as one batch of device `device` for `workshop_id`, all stored.
async fn sync(app: &TestApp, device: Uuid, workshop_id: Uuid, records: &[Record]) {
    let batch = json!({
        "protocol": PROTOCOL,
        "submission_id": Uuid::new_v4(),
        "device_id": device,
        "workshop_id": workshop_id,
        "changes": records.iter().map(change_json).collect::<Vec<Value>>(),
    });
    let (status, body) = app.post("/sync", Some("application/json"), batch.to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["results"].as_array().expect("results").iter().all(|r| r["status"] == "created" || r["status"] == "updated"), "{body}");
}

/// A point mark by `alias` on `device`, stamped for `workshop_id`.
fn mark(barrio: i64, (lon, lat): (f64, f64), n: u128, alias: &str, device: &str, workshop_id: Uuid) -> Record {
    let id = Uuid::from_u128(0x0193_7f3a_1b2c_7d4e_8f50_0000_0000_5700 + n);
    let mark = Mark::new_point(id, barrio, "hurto_personas", lon + n as f64 * 1e-5, lat, now_ms() - 60_000).by(alias);
    Record::Mark(mark).stamped(Hlc::tick(None, now_ms(), device), Some(workshop_id))
}

async fn generate(app: &TestApp, barrio: i64) -> Value {
    let (status, body) =
        app.post(&format!("/barrios/{barrio}/diagnosticos"), Some("application/json"), json!({"created_by": "Ana"}).to_string()).await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Lets the server's millisecond clock move on, so the next change is after what came before.
async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
}

#[tokio::test]
async fn a_barrio_goes_from_no_marks_to_up_to_date_and_back_with_its_counts() {
    let app = spawn_app().await;
    let all = statuses(&app).await;
    assert_eq!(all.len(), 327, "every seeded barrio");
    assert!(all.iter().all(|b| b.status == Status::SinMarcas && b.marks == 0 && b.latest.is_none()));
    let barrio = app.barrio_id("pescaito").await;
    assert_eq!(counts(&pescaito(&app).await), (Status::SinMarcas, 0, 0, 0, 0, 0, None));

    // Two workshops: Rosa twice and an unnamed phone in the first, Luz in the second.
    let centre = centre_of(&app, barrio).await;
    let (w1, w2) = (workshop(&app, barrio, "2026-11-21").await.id, workshop(&app, barrio, "2026-11-28").await.id);
    let ((phone_a, a), (phone_b, b)) = (device(1), device(2));
    let before = now_ms();
    let first = [mark(barrio, centre, 1, "Rosa", &a, w1), mark(barrio, centre, 2, "Rosa", &a, w1), mark(barrio, centre, 3, "", &a, w1)];
    sync(&app, phone_a, w1, &first).await;
    sync(&app, phone_b, w2, &[mark(barrio, centre, 4, "Luz", &b, w2)]).await;
    let drawn = pescaito(&app).await;
    assert_eq!(counts(&drawn), (Status::SinDiagnostico, 4, 0, 3, 2, 0, None), "Rosa, the unnamed phone and Luz");
    let last_mark = drawn.last_mark_ms.expect("a mark arrived");
    assert!(last_mark >= before - 1 && last_mark <= now_ms() + 1, "server time of arrival: {last_mark} vs {before}");

    tick().await;
    let v1 = generate(&app, barrio).await;
    let up_to_date = pescaito(&app).await;
    assert_eq!(counts(&up_to_date), (Status::AlDia, 4, 0, 3, 2, 1, Some(1)));
    let latest = up_to_date.latest.expect("latest");
    assert_eq!(
        (latest.marks, latest.hotspots, latest.created_by.as_str()),
        (4, v1["diagnostico"]["totals"]["hotspots"].as_u64().unwrap_or(0) as u32, "Cuenta admin")
    );
    assert_eq!(latest.created_at_ms, v1["created_at_ms"].as_i64().unwrap_or_default());

    // A mark sent afterwards by the previous app version (no alias, no workshop, no clock).
    tick().await;
    let late = MarkBuilder::new(barrio, centre.0 + 0.001, centre.1).id("01937f3a-1b2c-7d4e-8f50-6a7b8c9d5799");
    assert_eq!(app.post_mark(late.body()).await.0, 201);
    assert_eq!(counts(&pescaito(&app).await), (Status::Desactualizado, 5, 0, 4, 2, 1, Some(1)), "a new mark");

    tick().await;
    generate(&app, barrio).await;
    assert_eq!(counts(&pescaito(&app).await), (Status::AlDia, 5, 0, 4, 2, 2, Some(2)));

    // Rejecting one of Rosa's marks: one mark less, Rosa still counts for her other one.
    tick().await;
    let rosa = first[0].id();
    let review = json!({"action": "reject", "reason": "Repetida", "reviewer": "Ana"}).to_string();
    assert_eq!(app.post(&format!("/marks/{rosa}/reviews"), Some("application/json"), review).await.0, 201);
    assert_eq!(counts(&pescaito(&app).await), (Status::Desactualizado, 4, 1, 4, 2, 2, Some(2)), "a review");

    tick().await;
    generate(&app, barrio).await;
    assert_eq!(counts(&pescaito(&app).await), (Status::AlDia, 4, 1, 4, 2, 3, Some(3)));

    // The unnamed phone deletes its only unnamed mark: that participant is gone.
    tick().await;
    let tombstone = first[2].tombstone(now_ms()).stamped(Hlc::tick(first[2].hlc(), now_ms(), &a), Some(w1));
    sync(&app, phone_a, w1, &[tombstone]).await;
    assert_eq!(counts(&pescaito(&app).await), (Status::Desactualizado, 3, 1, 3, 2, 3, Some(3)), "a deletion");
    // Every other barrio is still without marks, after the one with work.
    let list = statuses(&app).await;
    assert!(list[1..].iter().all(|b| b.status == Status::SinMarcas));
}
