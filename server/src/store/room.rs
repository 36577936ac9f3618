//! The room of a running workshop, counted for its facilitator: the devices that joined, with
//! what each last said was waiting on it, the participants, and what was drawn per stage.
//! Every query reads one workshop's rows through an index (migration 0013), so a poll costs
//! in proportion to that workshop, not to the city, and one read serves the whole panel.

use std::collections::{HashMap, HashSet};

use app::model::diagnostico::{participant, Participant};
use app::model::room::{stage_counts, QueueReport, Room, RoomDevice};
use app::model::Hlc;
use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError};

/// A workshop's devices, one line each however often it joined, in the order they first
/// joined. A report is written on all of a device's tokens at once, so `max` reads it back.
const DEVICES: &str = "SELECT device_id, max(kind = 'facilitator'), min(issued_at_ms), max(pending_changes), max(refused_changes), \
     max(reported_at_ms) FROM device_tokens WHERE workshop_id = ?1 GROUP BY device_id ORDER BY min(issued_at_ms), device_id";

/// Versions received per device (`record_versions_by_workshop`).
const RECEIVED: &str = "SELECT device_id, count(*) FROM record_versions WHERE workshop_id = ?1 GROUP BY device_id";

/// The current records of the workshop, with who made them (`*_by_workshop`).
const MARKS: &str = "SELECT category, alias, hlc FROM marks WHERE workshop_id = ?1 AND deleted = 0";
const TREE: &str = "SELECT 'cause', coalesce(json_extract(record, '$.alias'), ''), hlc FROM causes WHERE workshop_id = ?1 AND deleted = 0 \
     UNION ALL SELECT 'solution', coalesce(json_extract(record, '$.alias'), ''), hlc FROM solutions WHERE workshop_id = ?1 AND deleted = 0";

/// The participant behind a record, as an owned key (the rule of the merge and of the staff list).
fn participant_key(alias: &str, hlc: &str, workshop_id: Uuid) -> (u8, String) {
    // A clock that does not parse names no device, as for versions made before clocks.
    let hlc: Option<Hlc> = hlc.parse().ok();
    match participant(alias, hlc.as_ref(), Some(workshop_id)) {
        Participant::Alias(a) => (0, a.to_string()),
        Participant::Device(d) => (1, d.to_string()),
        Participant::Anonymous(_) => (2, String::new()),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Store {
    /// Keeps what a device says is waiting on it for a workshop, on each of its tokens for it.
    pub async fn report_queue(&self, workshop_id: Uuid, device_id: Uuid, report: QueueReport, now_ms: i64) -> Result<(), StoreError> {
        self.call(move |c| {
            c.prepare_cached(
                "UPDATE device_tokens SET pending_changes = ?3, refused_changes = ?4, reported_at_ms = ?5 \
                 WHERE workshop_id = ?1 AND device_id = ?2",
            )?
            .execute(params![workshop_id.to_string(), device_id.to_string(), report.pending, report.refused, now_ms])?;
            Ok(())
        })
        .await
    }

    /// The room of workshop `workshop_id` as it stands, read in one transaction.
    pub async fn room(&self, workshop_id: Uuid, now_ms: i64) -> Result<Room, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let id = workshop_id.to_string();
            let received: HashMap<Option<String>, i64> = tx
                .prepare_cached(RECEIVED)?
                .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut device_list = Vec::new();
            let mut stmt = tx.prepare_cached(DEVICES)?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let device: String = r.get(0)?;
                let (facilitator, joined_at_ms): (bool, i64) = (r.get(1)?, r.get(2)?);
                let (pending, refused, reported_at_ms): (Option<u32>, Option<u32>, Option<i64>) = (r.get(3)?, r.get(4)?, r.get(5)?);
                let sent = received.get(&Some(device)).copied().unwrap_or(0);
                device_list.push(RoomDevice {
                    number: count(device_list.len() + 1),
                    kind: if facilitator { "facilitator" } else { "participant" }.into(),
                    joined_at_ms,
                    received: u32::try_from(sent).unwrap_or(u32::MAX),
                    queue: pending.map(|pending| QueueReport { pending, refused: refused.unwrap_or(0) }),
                    reported_at_ms,
                });
            }
            drop(rows);
            drop(stmt);
            let mut people = HashSet::new();
            let mut by_category: HashMap<String, u32> = HashMap::new();
            let mut marks = 0u32;
            let mut stmt = tx.prepare_cached(MARKS)?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let (category, alias, hlc): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                people.insert(participant_key(&alias, &hlc, workshop_id));
                *by_category.entry(category).or_default() += 1;
                marks += 1;
            }
            drop(rows);
            drop(stmt);
            let (mut causes, mut solutions) = (0u32, 0u32);
            let mut stmt = tx.prepare_cached(TREE)?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let (kind, alias, hlc): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                people.insert(participant_key(&alias, &hlc, workshop_id));
                if kind == "cause" {
                    causes += 1;
                } else {
                    solutions += 1;
                }
            }
            drop(rows);
            drop(stmt);
            tx.commit()?;
            Ok(Room {
                workshop_id,
                devices: count(device_list.len()),
                participants: count(people.len()),
                marks,
                causes,
                solutions,
                stages: stage_counts(by_category.iter().map(|(k, v)| (k.as_str(), *v)), causes, solutions),
                device_list,
                server_time_ms: now_ms,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{barrio, store, T};
    use crate::store::{BatchMeta, DeviceKind};
    use app::model::{Mark, Record, WorkshopDraft};

    #[tokio::test]
    async fn the_room_counts_devices_people_and_stages_and_keeps_each_devices_report() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let draft = WorkshopDraft { barrio_id: b, date: "2099-11-28".into(), place: String::new(), cbsc: "CBSC".into(), facilitator: "Ana".into() };
        let w = store.create_workshop(draft, None, T, || (Uuid::from_u128(1), [0; 6])).await.unwrap().unwrap();
        let (one, two) = (Uuid::from_u128(0xa1), Uuid::from_u128(0xa2));
        store.issue_device_token("t1".into(), w.id, one, DeviceKind::Participant, None, T).await.unwrap();
        store.issue_device_token("t2".into(), w.id, two, DeviceKind::Participant, None, T + 1).await.unwrap();
        // The same device joining again is still one device.
        store.issue_device_token("t3".into(), w.id, one, DeviceKind::Participant, None, T + 2).await.unwrap();
        let mark = |n: u128, category: &str, alias: &str, device: Uuid| {
            let m = Mark { alias: alias.into(), ..Mark::new_point(Uuid::from_u128(n), b, category, -74.205, 11.235, T) };
            Ok(Record::Mark(m).stamped(Hlc::tick(None, T, &device.simple().to_string()), Some(w.id)))
        };
        let meta = BatchMeta { submission_id: Uuid::from_u128(7), device_id: one, server_time_ms: T, only_own: true };
        let changes = vec![mark(10, "hurto_personas", "Rosa", one), mark(11, "parque", "Rosa", one), mark(12, "rinas", "", one)];
        store.receive_batch(meta, changes, |e| panic!("refused: {e}")).await.unwrap();

        let room = store.room(w.id, T + 10).await.unwrap();
        assert_eq!((room.devices, room.marks, room.participants), (2, 3, 2), "Rosa, and the device that gave no alias");
        assert_eq!(room.stages.iter().map(|s| s.count).collect::<Vec<_>>(), [1, 2, 0, 0, 0]);
        assert_eq!(room.device_list.iter().map(|d| (d.number, d.received, d.queue)).collect::<Vec<_>>(), [(1, 3, None), (2, 0, None)]);

        store.report_queue(w.id, two, QueueReport { pending: 4, refused: 1 }, T + 20).await.unwrap();
        let room = store.room(w.id, T + 30).await.unwrap();
        assert_eq!(room.device_list[1].queue, Some(QueueReport { pending: 4, refused: 1 }));
        assert_eq!(room.device_list[1].reported_at_ms, Some(T + 20));
        assert_eq!(room.device_list[0].queue, None, "a device that never reported has no figure");
    }

    #[tokio::test]
    async fn the_counts_read_the_workshops_rows_through_indexes() {
        let (_dir, store) = store().await;
        let plans = store
            .call(|c| {
                let mut out = Vec::new();
                for q in [DEVICES, RECEIVED, MARKS, TREE] {
                    let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {q}"))?;
                    let rows = stmt.query_map(["w"], |r| r.get::<_, String>(3))?.collect::<Result<Vec<_>, _>>()?;
                    out.push((q, rows));
                }
                Ok(out)
            })
            .await
            .unwrap();
        for (q, plan) in plans {
            assert!(plan.iter().all(|step| !step.starts_with("SCAN") || step.contains("USING")), "{q}: {plan:?}");
            assert!(plan.iter().any(|step| step.contains("INDEX")), "{q}: {plan:?}");
        }
    }
}
