//! The facilitator's room panel over HTTP: the counts right after devices join and sync,
//! what each device reports waiting on it when it pulls (and old devices reporting nothing),
//! and who may read the room: not the workshop's own devices, nor another barrio's facilitator.

use app::model::room::{QueueReport, Room};
use app::model::sync::{change_json, PROTOCOL};
use app::model::{Cause, Hlc, Mark, Record, Workshop};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{centre_of, signed_in, spawn_app, TestApp, FACILITATOR_BARRIO};
use crate::sync::workshop;

const T: i64 = 1_764_000_000_000;

/// A participant's phone: its id and the token it got by joining with the code.
struct Phone {
    id: Uuid,
    client: reqwest::Client,
}

impl Phone {
    async fn join(app: &TestApp, w: &Workshop) -> Phone {
        let id = Uuid::new_v4();
        let res = reqwest::Client::new().post(format!("{}/api/v1/join/{}", app.url, w.join_code)).json(&json!({ "device_id": id })).send().await.expect("join");
        assert_eq!(res.status().as_u16(), 200);
        let token = res.json::<Value>().await.expect("json")["token"].as_str().expect("token").to_string();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("authorization", format!("Bearer {token}").parse().expect("header"));
        Phone { id, client: reqwest::Client::builder().default_headers(headers).build().expect("client") }
    }

    fn stamp(&self, record: Record, ms: i64, w: &Workshop) -> Record {
        record.stamped(Hlc::tick(None, ms, &self.id.simple().to_string()), Some(w.id))
    }

    async fn send(&self, app: &TestApp, w: &Workshop, records: &[Record]) {
        let batch = json!({
            "protocol": PROTOCOL, "submission_id": Uuid::new_v4(), "device_id": self.id, "workshop_id": w.id,
            "changes": records.iter().map(change_json).collect::<Vec<_>>(),
        });
        let res = self.client.post(format!("{}/api/v1/sync", app.url)).json(&batch).send().await.expect("sync");
        assert_eq!(res.status().as_u16(), 200);
        let reply: Value = res.json().await.expect("json");
        assert!(reply["results"].as_array().is_some_and(|r| r.iter().all(|r| r["status"] != "refused")), "{reply}");
    }

    /// Pulls the workshop's changes with `query` added (what a device reports), returning the status.
    async fn pull(&self, app: &TestApp, w: &Workshop, query: &str) -> u16 {
        let url = format!("{}/api/v1/workshops/{}/changes?after=0{query}", app.url, w.id);
        self.client.get(url).send().await.expect("pull").status().as_u16()
    }
}

fn point(barrio: i64, (lon, lat): (f64, f64), category: &str, alias: &str) -> Mark {
    Mark { alias: alias.into(), ..Mark::new_point(Uuid::new_v4(), barrio, category, lon, lat, T) }
}

async fn room(client: &reqwest::Client, app: &TestApp, w: &Workshop) -> (u16, Value) {
    let res = client.get(format!("{}/api/v1/workshops/{}/room", app.url, w.id)).send().await.expect("room");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn read_room(client: &reqwest::Client, app: &TestApp, w: &Workshop) -> Room {
    let (status, body) = room(client, app, w).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a room")
}

fn stages(r: &Room) -> Vec<(String, u32)> {
    r.stages.iter().map(|s| (s.stage.clone(), s.count)).collect()
}

#[tokio::test]
async fn the_room_counts_who_joined_and_what_arrived_and_each_devices_queue() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let centre = centre_of(&app, barrio).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let facilitator = signed_in(&app.url, "facilita").await;

    let empty = read_room(&facilitator, &app, &w).await;
    assert_eq!((empty.devices, empty.participants, empty.marks, empty.device_list.len()), (0, 0, 0, 0));
    assert_eq!(stages(&empty).iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), ["barrio", "problemas", "arbol", "actores", "soluciones"]);

    // Two phones join (one of them twice), and the facilitator's tablet gets its token.
    let (rosa, luis) = (Phone::join(&app, &w).await, Phone::join(&app, &w).await);
    let tablet = Uuid::new_v4();
    let res = facilitator.post(format!("{}/api/v1/workshops/{}/devices", app.url, w.id)).json(&json!({ "device_id": tablet })).send().await.expect("tablet");
    assert_eq!(res.status().as_u16(), 201);
    let joined = read_room(&facilitator, &app, &w).await;
    assert_eq!((joined.devices, joined.marks), (3, 0));
    assert_eq!(joined.device_list.iter().map(|d| (d.number, d.kind.as_str())).collect::<Vec<_>>(), [(1, "participant"), (2, "participant"), (3, "facilitator")]);

    // Rosa draws a theft, a park and a cause; Luis an actor and a theft he then deletes.
    let theft = rosa.stamp(Record::Mark(point(barrio, centre, "hurto_personas", "Rosa")), T, &w);
    let park = rosa.stamp(Record::Mark(point(barrio, centre, "parque", "Rosa")), T, &w);
    let cause = Cause {
        workshop_id: None,
        hlc: None,
        id: Uuid::new_v4(),
        barrio_id: barrio,
        category: "falta_iluminacion".into(),
        text: String::new(),
        problem_ids: vec![theft.id()],
        alias: "Rosa".into(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    };
    let cause = rosa.stamp(Record::Cause(cause), T + 1, &w);
    rosa.send(&app, &w, &[theft, park, cause]).await;
    let actor = point(barrio, centre, "actor_comunitario", "Luis");
    let gone = point(barrio, centre, "rinas", "Luis");
    // A later version keeps the workshop its first one was stamped with.
    let deleted = Mark { version: 2, deleted: true, updated_at_ms: T + 5, workshop_id: Some(w.id), ..gone.clone() };
    let (actor, gone, deleted) =
        (luis.stamp(Record::Mark(actor), T, &w), luis.stamp(Record::Mark(gone), T, &w), luis.stamp(Record::Mark(deleted), T + 5, &w));
    luis.send(&app, &w, &[actor, gone, deleted]).await;

    let r = read_room(&facilitator, &app, &w).await;
    assert_eq!((r.devices, r.participants, r.marks, r.causes, r.solutions), (3, 2, 3, 1, 0), "{r:?}");
    let expected: Vec<(String, u32)> = [("barrio", 1), ("problemas", 1), ("arbol", 1), ("actores", 1), ("soluciones", 0)].iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(stages(&r), expected, "the deleted fight is not counted");
    assert_eq!(r.device_list.iter().map(|d| d.received).collect::<Vec<_>>(), [3, 3, 0], "versions received from each device");
    assert!(r.device_list.iter().all(|d| d.queue.is_none() && d.reported_at_ms.is_none()), "nobody reported yet");

    // Rosa's app reports its queue when it pulls; Luis's is an older app and says nothing.
    assert_eq!(rosa.pull(&app, &w, "&pending=2&refused=1").await, 200);
    assert_eq!(luis.pull(&app, &w, "").await, 200);
    assert_eq!(luis.pull(&app, &w, "&pending=muchos").await, 400, "a report is checked like the rest of the query");
    let r = read_room(&facilitator, &app, &w).await;
    assert_eq!(r.device_list[0].queue, Some(QueueReport { pending: 2, refused: 1 }));
    assert!(r.device_list[0].reported_at_ms.is_some_and(|t| (t - r.server_time_ms).abs() < 60_000));
    assert_eq!(r.device_list[1].queue, None);
    // Later reports replace earlier ones.
    assert_eq!(rosa.pull(&app, &w, "&pending=0").await, 200);
    let r = read_room(&facilitator, &app, &w).await;
    assert_eq!(r.device_list[0].queue, Some(QueueReport { pending: 0, refused: 0 }));
    // An account's pull names no device: nothing changes.
    let res = facilitator.get(format!("{}/api/v1/workshops/{}/changes?pending=9", app.url, w.id)).send().await.expect("pull");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(read_room(&facilitator, &app, &w).await.device_list, r.device_list);
}

#[tokio::test]
async fn the_room_is_for_those_who_work_in_the_barrio_not_for_participants() {
    let app = spawn_app().await;
    let barrio = app.barrio_id(FACILITATOR_BARRIO).await;
    let w = workshop(&app, barrio, "2099-12-01").await;
    let phone = Phone::join(&app, &w).await;
    for (who, client, status) in [
        ("participant of the workshop", phone.client.clone(), 403),
        ("facilitator of another barrio", signed_in(&app.url, "facilita2").await, 403),
        ("nobody", reqwest::Client::new(), 401),
        ("facilitator of the barrio", signed_in(&app.url, "facilita").await, 200),
        ("staff", signed_in(&app.url, "equipo").await, 200),
        ("admin", app.client.clone(), 200),
    ] {
        let (got, body) = room(&client, &app, &w).await;
        assert_eq!(got, status, "{who}: {body}");
        if status == 200 {
            assert_eq!(body["devices"], 1, "{who}");
            assert!(!body.to_string().contains(&phone.id.to_string()), "device ids stay on the server");
        }
    }
    let (status, body) = room(&app.client, &app, &Workshop { id: Uuid::new_v4(), ..w.clone() }).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("unknown_workshop")));
}
