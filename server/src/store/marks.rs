//! The current version of each mark (tombstones included): writing it when a newer version
//! arrives, and reading a barrio's marks or one mark. Versions themselves live in `history`.

use app::model::clock::HlcParseError;
use app::model::{Attributes, Hlc, Mark};
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

use super::{Store, StoreError};

const SELECT_MARK: &str = "SELECT id, barrio_id, category, geometry, description, created_at_ms, alias, attributes, version, \
     updated_at_ms, deleted, workshop_id, hlc FROM marks";

/// A mark row as stored, before its text columns are parsed.
struct RawMark {
    id: String,
    barrio_id: i64,
    category: String,
    geometry: String,
    description: String,
    created_at_ms: i64,
    alias: String,
    attributes: String,
    version: u32,
    updated_at_ms: i64,
    deleted: bool,
    workshop_id: Option<String>,
    hlc: String,
}

fn raw_mark(r: &Row<'_>) -> rusqlite::Result<RawMark> {
    Ok(RawMark {
        id: r.get(0)?,
        barrio_id: r.get(1)?,
        category: r.get(2)?,
        geometry: r.get(3)?,
        description: r.get(4)?,
        created_at_ms: r.get(5)?,
        alias: r.get(6)?,
        attributes: r.get(7)?,
        version: r.get(8)?,
        updated_at_ms: r.get(9)?,
        deleted: r.get(10)?,
        workshop_id: r.get(11)?,
        hlc: r.get(12)?,
    })
}

fn parse_mark(raw: RawMark) -> Result<Mark, StoreError> {
    let id = &raw.id;
    let corrupt = |what: &str, e: &dyn std::fmt::Display| StoreError::Corrupt(format!("mark {id} {what}: {e}"));
    Ok(Mark {
        id: Uuid::parse_str(id).map_err(|e| corrupt("id", &e))?,
        barrio_id: raw.barrio_id,
        category: raw.category,
        geometry: serde_json::from_str(&raw.geometry).map_err(|e| corrupt("geometry", &e))?,
        description: raw.description,
        created_at_ms: raw.created_at_ms,
        alias: raw.alias,
        attributes: serde_json::from_str::<Attributes>(&raw.attributes).map_err(|e| corrupt("attributes", &e))?,
        version: raw.version,
        updated_at_ms: raw.updated_at_ms,
        deleted: raw.deleted,
        workshop_id: raw.workshop_id.as_deref().map(Uuid::parse_str).transpose().map_err(|e| corrupt("workshop_id", &e))?,
        hlc: stamped_clock(&raw.hlc, raw.created_at_ms, raw.updated_at_ms, raw.version).map_err(|e| corrupt("hlc", &e))?,
    })
}

/// The clock a version was stamped with, from the `hlc` column, which holds every version's
/// clock: none when it is the clock the model gives versions from before devices kept one.
fn stamped_clock(text: &str, created_at_ms: i64, updated_at_ms: i64, version: u32) -> Result<Option<Hlc>, HlcParseError> {
    let hlc: Hlc = text.parse()?;
    Ok((hlc != Hlc::legacy(created_at_ms, updated_at_ms, version)).then_some(hlc))
}

/// The current version of every mark of a barrio, tombstones included, oldest first.
pub(super) fn of_barrio(c: &Connection, barrio_id: i64) -> Result<Vec<Mark>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_MARK} WHERE barrio_id = ?1 ORDER BY created_at_ms, id"))?;
    let rows = stmt.query_map([barrio_id], raw_mark)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(parse_mark).collect()
}

/// The current version of one mark, read on an open connection or transaction.
pub(super) fn current_mark(c: &Connection, id: &Uuid) -> Result<Option<Mark>, StoreError> {
    c.prepare_cached(&format!("{SELECT_MARK} WHERE id = ?1"))?.query_row([id.to_string()], raw_mark).optional()?.map(parse_mark).transpose()
}

/// Makes `mark`, stamped `clock` (its [`Record::clock`](app::model::Record::clock) as text),
/// the current version of its mark (the caller has decided it wins).
pub(super) fn write_current(c: &Connection, mark: &Mark, clock: &str) -> Result<(), StoreError> {
    let json = |v: serde_json::Result<String>| v.map_err(|e| StoreError::Corrupt(e.to_string()));
    let geometry = json(serde_json::to_string(&mark.geometry))?;
    let attributes = json(serde_json::to_string(&mark.attributes))?;
    // The barrio and the workshop never change (checked before), so the upsert leaves them and
    // `received_at` (when the mark first arrived) as they were.
    c.prepare_cached(
        "INSERT INTO marks (id, barrio_id, category, geometry, description, created_at_ms, alias, attributes, version, updated_at_ms,
            deleted, workshop_id, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(id) DO UPDATE SET category = excluded.category, geometry = excluded.geometry,
            description = excluded.description, created_at_ms = excluded.created_at_ms, alias = excluded.alias,
            attributes = excluded.attributes, version = excluded.version, updated_at_ms = excluded.updated_at_ms,
            deleted = excluded.deleted, hlc = excluded.hlc",
    )?
    .execute(params![
        mark.id.to_string(),
        mark.barrio_id,
        mark.category,
        geometry,
        mark.description,
        mark.created_at_ms,
        mark.alias,
        attributes,
        mark.version,
        mark.updated_at_ms,
        mark.deleted,
        mark.workshop_id.map(|w| w.to_string()),
        clock
    ])?;
    Ok(())
}

impl Store {
    /// The current version of every mark of a barrio, tombstones included (flagged
    /// `deleted`), oldest first.
    /// The barrio a mark was made in (which never changes), if the mark exists.
    pub async fn mark_barrio(&self, id: Uuid) -> Result<Option<i64>, StoreError> {
        self.call(move |c| Ok(c.query_row("SELECT barrio_id FROM marks WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?)).await
    }

    pub async fn marks_for_barrio(&self, barrio_id: i64) -> Result<Vec<Mark>, StoreError> {
        self.call(move |c| of_barrio(c, barrio_id)).await
    }

    pub async fn mark_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM marks", [], |r| r.get(0))?)).await
    }
}
