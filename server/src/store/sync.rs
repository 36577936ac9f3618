//! Sync protocol 2: a batch of changes stored in one transaction, each change in its own
//! savepoint (a refused change writes nothing, the others are kept), answered once and
//! remembered under its submission id; and the pages of a workshop's versions that devices
//! pull.

use std::collections::HashMap;

use app::model::sync::{BatchReply, ChangeResult, ChangeStatus, ErrorBody, PROTOCOL};
use app::model::Record;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::history::{parse_record, Kind, Origin};
use super::receive::{receive, Outcome};
use super::{untie, Store, StoreError};

/// How far outside its barrio's bounding box a mark may lie, in degrees (about 1 km): people
/// mark the street just across the boundary, not a place in another city.
pub const BARRIO_MARGIN_DEG: f64 = 0.01;

/// Who sent a batch, and when the server answered it.
#[derive(Debug, Clone, Copy)]
pub struct BatchMeta {
    pub submission_id: Uuid,
    pub device_id: Uuid,
    pub server_time_ms: i64,
    /// A participant's device may change only records it made: those whose first version
    /// came from another device (or none) are refused.
    pub only_own: bool,
}

/// One change of a batch after the checks that need no database: the record to store, or
/// the refusal already decided.
pub type Prepared = Result<Record, ErrorBody>;

/// A page of a workshop's stored versions, in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesPage {
    /// Each version with its `seq` and the device that sent it.
    pub changes: Vec<(i64, Option<Uuid>, Record)>,
    pub more: bool,
    /// The last `seq` looked at (what the next page starts after).
    pub last_seq: Option<i64>,
}

impl From<Outcome> for ChangeStatus {
    fn from(o: Outcome) -> ChangeStatus {
        match o {
            Outcome::Created => ChangeStatus::Created,
            Outcome::Updated => ChangeStatus::Updated,
            Outcome::AlreadyStored => ChangeStatus::AlreadyStored,
            Outcome::History => ChangeStatus::History,
        }
    }
}

fn refused(error: ErrorBody) -> ChangeResult {
    ChangeResult { status: ChangeStatus::Refused, kind: None, id: None, version: None, hlc: None, error: Some(error) }
}

fn bbox(c: &Connection, barrios: &mut HashMap<i64, Option<[f64; 4]>>, id: i64) -> Result<Option<[f64; 4]>, StoreError> {
    if let Some(found) = barrios.get(&id) {
        return Ok(*found);
    }
    let found = c
        .prepare_cached("SELECT min_lon, min_lat, max_lon, max_lat FROM barrios WHERE id = ?1")?
        .query_row([id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .optional()?;
    barrios.insert(id, found);
    Ok(found)
}

/// The checks of one change that need the database, then the store's decision.
fn store_change(
    c: &Connection,
    record: &Record,
    origin: Origin,
    only_own: bool,
    barrios: &mut HashMap<i64, Option<[f64; 4]>>,
) -> Result<Outcome, StoreError> {
    if only_own {
        let kind = Kind::of(record);
        let first: Option<Option<String>> = c
            .prepare_cached("SELECT device_id FROM record_versions WHERE kind = ?1 AND id = ?2 ORDER BY seq LIMIT 1")?
            .query_row(params![kind.as_str(), record.id().to_string()], |r| r.get(0))
            .optional()?;
        if let Some(device) = first {
            if device != origin.device_id.map(|d| d.to_string()) {
                return Err(StoreError::NotYours { kind, id: record.id() });
            }
        }
    }
    let barrio_id = record.barrio_id();
    let Some(bbox) = bbox(c, barrios, barrio_id)? else {
        return Err(StoreError::UnknownBarrio { kind: Kind::of(record), barrio_id });
    };
    // The same rule as POST /api/v1/marks; tombstones keep their last geometry and pass it too.
    if let Record::Mark(m) = record {
        if !m.lies_near(bbox, BARRIO_MARGIN_DEG) {
            return Err(StoreError::OutsideBarrio(barrio_id));
        }
    }
    receive(c, record, origin)
}

impl Store {
    /// Stores a batch whose changes were read and checked on their own, in one transaction,
    /// and returns the answer (as JSON) after the commit. Each change is tried in a savepoint:
    /// a refusal (described by `refusal`) undoes only that change. A batch received before
    /// from the same device gets its first answer again, with nothing stored;
    /// [`StoreError::SubmissionReused`] when another device sent it. Any other error aborts
    /// the whole batch with nothing stored.
    pub async fn receive_batch(
        &self,
        meta: BatchMeta,
        changes: Vec<Prepared>,
        refusal: fn(StoreError) -> ErrorBody,
    ) -> Result<String, StoreError> {
        self.call(move |c| {
            // Taking the write lock at once: a busy database fails here, before any work.
            let mut tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let seen: Option<(String, String)> = tx
                .query_row("SELECT device_id, reply FROM submissions WHERE id = ?1", [meta.submission_id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((device, reply)) = seen {
                return if device == meta.device_id.to_string() {
                    Ok(reply)
                } else {
                    Err(StoreError::SubmissionReused(meta.submission_id))
                };
            }
            let origin = Origin { device_id: Some(meta.device_id), submission_id: Some(meta.submission_id) };
            let mut barrios = HashMap::new();
            let mut results = Vec::with_capacity(changes.len());
            let mut deleted_marks = Vec::new();
            for change in changes {
                let record = match change {
                    Ok(record) => record,
                    Err(error) => {
                        results.push(refused(error));
                        continue;
                    }
                };
                let savepoint = tx.savepoint()?;
                match store_change(&savepoint, &record, origin, meta.only_own, &mut barrios) {
                    Ok(outcome) => {
                        savepoint.commit()?;
                        if untie::deletes_a_mark(&record, outcome) {
                            deleted_marks.push(record.id());
                        }
                        results.push(ChangeResult::stored(&record, outcome.into()));
                    }
                    // Dropping the savepoint rolls back whatever the change wrote.
                    Err(e) if e.is_refusal() => results.push(refused(refusal(e))),
                    Err(e) => return Err(e),
                }
            }
            // After the whole batch, whose own untied versions come after their tombstones.
            untie::untie_deleted_marks(&tx, &deleted_marks, origin)?;
            let reply = BatchReply { protocol: PROTOCOL, submission_id: meta.submission_id, server_time_ms: meta.server_time_ms, results };
            let json = serde_json::to_string(&reply).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO submissions (id, device_id, received_at_ms, reply) VALUES (?1, ?2, ?3, ?4)",
                params![meta.submission_id.to_string(), meta.device_id.to_string(), meta.server_time_ms, json],
            )?;
            tx.commit()?;
            Ok(json)
        })
        .await
    }

    /// The versions of a workshop's records stored after `after` (a `seq`), oldest first, at
    /// most `limit`.
    pub async fn workshop_changes(&self, workshop_id: Uuid, after: i64, limit: usize) -> Result<ChangesPage, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, kind, id, record, device_id FROM record_versions WHERE workshop_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let take = i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1;
            let rows = stmt
                .query_map(params![workshop_id.to_string(), after, take], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let more = rows.len() > limit;
            let changes = rows
                .into_iter()
                .take(limit)
                .map(|(seq, kind, id, json, device)| {
                    let kind = Kind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("version {seq} of unknown kind {kind}")))?;
                    let device = device.and_then(|d| Uuid::parse_str(&d).ok());
                    Ok((seq, device, parse_record(kind, &id, &json)?))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let last_seq = changes.last().map(|(seq, _, _)| *seq);
            Ok(ChangesPage { changes, more, last_seq })
        })
        .await
    }

    /// How many batches were received (each once, however often sent).
    pub async fn submission_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))?)).await
    }
}
