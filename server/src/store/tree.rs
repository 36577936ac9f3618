//! The current version of each cause and solution of a barrio's problem tree: the links a
//! new current version must keep, writing it, and reading a barrio's tree.

use std::collections::HashMap;

use app::model::{Cause, Solution};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
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
    let json: Option<String> = c.query_row("SELECT record FROM causes WHERE id = ?1", [&id], |r| r.get(0)).optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt(Kind::Cause, &id, e))).transpose()
}

/// Every problem the cause links to is a live problem mark of its barrio, as the server holds
/// them now. Tombstones keep their last links as history and are not checked.
pub(super) fn check_cause_links(tx: &Transaction<'_>, cause: &Cause) -> Result<(), StoreError> {
    if cause.deleted {
        return Ok(());
    }
    let mut found = HashMap::new();
    for id in &cause.problem_ids {
        if let Some(mark) = marks::current_mark(tx, id)? {
            found.insert(*id, mark);
        }
    }
    cause.check_links(|id| found.get(id)).map_err(|error| StoreError::BrokenLink { kind: Kind::Cause, error })
}

/// Every cause the solution links to is a live cause of its barrio, as the server holds them
/// now. Tombstones are not checked.
pub(super) fn check_solution_links(tx: &Transaction<'_>, solution: &Solution) -> Result<(), StoreError> {
    if solution.deleted {
        return Ok(());
    }
    let mut found = HashMap::new();
    for id in &solution.cause_ids {
        if let Some(cause) = current_cause(tx, id)? {
            found.insert(*id, cause);
        }
    }
    solution.check_links(|id| found.get(id)).map_err(|error| StoreError::BrokenLink { kind: Kind::Solution, error })
}

/// A current row of `causes` or `solutions`: the columns queries need, beside the JSON.
struct CurrentRow {
    kind: Kind,
    id: Uuid,
    barrio_id: i64,
    version: u32,
    deleted: bool,
    created_at_ms: i64,
    json: String,
}

/// Makes a version current (the caller has decided it is newer).
fn write_current(tx: &Transaction<'_>, row: CurrentRow) -> Result<(), StoreError> {
    // The barrio never changes (checked before), so the upsert leaves it as it was.
    tx.execute(
        &format!(
            "INSERT INTO {} (id, barrio_id, version, deleted, created_at_ms, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
                created_at_ms = excluded.created_at_ms, record = excluded.record",
            row.kind.current_table()
        ),
        params![row.id.to_string(), row.barrio_id, row.version, row.deleted, row.created_at_ms, row.json],
    )?;
    Ok(())
}

pub(super) fn write_current_cause(tx: &Transaction<'_>, c: &Cause) -> Result<(), StoreError> {
    let json = serde_json::to_string(c).map_err(|e| corrupt(Kind::Cause, &c.id.to_string(), e))?;
    let (kind, id, barrio_id, version, deleted, created_at_ms) = (Kind::Cause, c.id, c.barrio_id, c.version, c.deleted, c.created_at_ms);
    write_current(tx, CurrentRow { kind, id, barrio_id, version, deleted, created_at_ms, json })
}

pub(super) fn write_current_solution(tx: &Transaction<'_>, s: &Solution) -> Result<(), StoreError> {
    let json = serde_json::to_string(s).map_err(|e| corrupt(Kind::Solution, &s.id.to_string(), e))?;
    let (kind, id, barrio_id, version, deleted, created_at_ms) = (Kind::Solution, s.id, s.barrio_id, s.version, s.deleted, s.created_at_ms);
    write_current(tx, CurrentRow { kind, id, barrio_id, version, deleted, created_at_ms, json })
}

/// The current records of one kind in a barrio, oldest first.
fn current_of_barrio<T: serde::de::DeserializeOwned>(c: &Connection, kind: Kind, barrio_id: i64) -> Result<Vec<T>, StoreError> {
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
