//! The current version of each cause and solution of a barrio's problem tree: the links a
//! new current version must keep, writing it, and reading a barrio's tree.

use std::collections::HashMap;

use app::model::{Cause, Solution};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

use super::history::Kind;
use super::{marks, Store, StoreError};

/// A barrio's problem tree: the current version of every cause and solution, tombstones
/// included, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BarrioTree {
    pub causes: Vec<Cause>,
    pub solutions: Vec<Solution>,
}

fn corrupt(kind: Kind, id: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{kind} {id}: {e}"))
}

fn current_cause(c: &Connection, id: &Uuid) -> Result<Option<Cause>, StoreError> {
    let id = id.to_string();
    let json: Option<String> = c.prepare_cached("SELECT record FROM causes WHERE id = ?1")?.query_row([&id], |r| r.get(0)).optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt(Kind::Cause, &id, e))).transpose()
}

/// Every problem the cause links to is a live problem mark of its barrio, as the server holds
/// them now. Tombstones keep their last links as history and are not checked.
pub(super) fn check_cause_links(c: &Connection, cause: &Cause) -> Result<(), StoreError> {
    if cause.deleted {
        return Ok(());
    }
    let mut found = HashMap::new();
    for id in &cause.problem_ids {
        if let Some(mark) = marks::current_mark(c, id)? {
            found.insert(*id, mark);
        }
    }
    cause.check_links(|id| found.get(id)).map_err(|error| StoreError::BrokenLink { kind: Kind::Cause, error })
}

/// Every cause the solution links to is a live cause of its barrio, as the server holds them
/// now. Tombstones are not checked.
pub(super) fn check_solution_links(c: &Connection, solution: &Solution) -> Result<(), StoreError> {
    if solution.deleted {
        return Ok(());
    }
    let mut found = HashMap::new();
    for id in &solution.cause_ids {
        if let Some(cause) = current_cause(c, id)? {
            found.insert(*id, cause);
        }
    }
    solution.check_links(|id| found.get(id)).map_err(|error| StoreError::BrokenLink { kind: Kind::Solution, error })
}

/// A current row of `causes` or `solutions`: the columns queries need, beside the JSON.
struct CurrentRow<'a> {
    kind: Kind,
    id: Uuid,
    barrio_id: i64,
    version: u32,
    deleted: bool,
    created_at_ms: i64,
    workshop_id: Option<Uuid>,
    /// The version's clock as text.
    hlc: &'a str,
    json: String,
}

/// Makes a version current (the caller has decided it wins).
fn write_current(c: &Connection, row: CurrentRow<'_>) -> Result<(), StoreError> {
    // The barrio and the workshop never change (checked before), so the upsert leaves them.
    c.prepare_cached(&format!(
        "INSERT INTO {} (id, barrio_id, version, deleted, created_at_ms, workshop_id, hlc, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
            created_at_ms = excluded.created_at_ms, hlc = excluded.hlc, record = excluded.record",
        row.kind.current_table()
    ))?
    .execute(params![
        row.id.to_string(),
        row.barrio_id,
        row.version,
        row.deleted,
        row.created_at_ms,
        row.workshop_id.map(|w| w.to_string()),
        row.hlc,
        row.json
    ])?;
    Ok(())
}

pub(super) fn write_current_cause(c: &Connection, cause: &Cause, hlc: &str) -> Result<(), StoreError> {
    let json = serde_json::to_string(cause).map_err(|e| corrupt(Kind::Cause, &cause.id.to_string(), e))?;
    let Cause { id, barrio_id, version, deleted, created_at_ms, workshop_id, .. } = *cause;
    write_current(c, CurrentRow { kind: Kind::Cause, id, barrio_id, version, deleted, created_at_ms, workshop_id, hlc, json })
}

pub(super) fn write_current_solution(c: &Connection, solution: &Solution, hlc: &str) -> Result<(), StoreError> {
    let json = serde_json::to_string(solution).map_err(|e| corrupt(Kind::Solution, &solution.id.to_string(), e))?;
    let Solution { id, barrio_id, version, deleted, created_at_ms, workshop_id, .. } = *solution;
    write_current(c, CurrentRow { kind: Kind::Solution, id, barrio_id, version, deleted, created_at_ms, workshop_id, hlc, json })
}

/// The current records of one kind in a barrio, oldest first.
pub(super) fn current_of_barrio<T: serde::de::DeserializeOwned>(c: &Connection, kind: Kind, barrio_id: i64) -> Result<Vec<T>, StoreError> {
    let mut stmt =
        c.prepare(&format!("SELECT id, record FROM {} WHERE barrio_id = ?1 ORDER BY created_at_ms, id", kind.current_table()))?;
    let rows = stmt.query_map([barrio_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    rows.iter().map(|(id, json)| serde_json::from_str(json).map_err(|e| corrupt(kind, id, e))).collect()
}

impl Store {
    /// The barrio's problem tree as the server holds it now.
    pub async fn tree_for_barrio(&self, barrio_id: i64) -> Result<BarrioTree, StoreError> {
        self.call(move |c| {
            Ok(BarrioTree {
                causes: current_of_barrio(c, Kind::Cause, barrio_id)?,
                solutions: current_of_barrio(c, Kind::Solution, barrio_id)?,
            })
        })
        .await
    }
}
