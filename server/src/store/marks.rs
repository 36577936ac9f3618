//! Mark rows. A mark is stored once per id: sending the same mark again is a no-op, sending
//! a different mark under a used id is refused (edits arrive with versions in the sync protocol).

use app::model::Mark;
use rusqlite::{params, OptionalExtension, Row};

use super::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Created,
    AlreadyStored,
}

const SELECT_MARK: &str = "SELECT id, barrio_id, category, geometry, description, created_at_ms, alias FROM marks";

/// A mark row as stored, before its text columns are parsed.
type RawMark = (String, i64, String, String, String, i64, String);

fn raw_mark(r: &Row<'_>) -> rusqlite::Result<RawMark> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn parse_mark((id, barrio_id, category, geometry, description, created_at_ms, alias): RawMark) -> Result<Mark, StoreError> {
    Ok(Mark {
        id: uuid::Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt(format!("mark id {id}: {e}")))?,
        barrio_id,
        category,
        geometry: serde_json::from_str(&geometry).map_err(|e| StoreError::Corrupt(format!("mark {id} geometry: {e}")))?,
        description,
        created_at_ms,
        alias,
    })
}

impl Store {
    /// Stores a validated mark whose barrio exists. Returns only after the commit.
    pub async fn insert_mark(&self, mark: Mark) -> Result<InsertOutcome, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let id = mark.id.to_string();
            let existing = tx.query_row(&format!("{SELECT_MARK} WHERE id = ?1"), [&id], raw_mark).optional()?;
            if let Some(raw) = existing {
                return if parse_mark(raw)? == mark { Ok(InsertOutcome::AlreadyStored) } else { Err(StoreError::MarkConflict(mark.id)) };
            }
            let geometry = serde_json::to_string(&mark.geometry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO marks (id, barrio_id, category, geometry, description, created_at_ms, alias) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, mark.barrio_id, mark.category, geometry, mark.description, mark.created_at_ms, mark.alias],
            )?;
            tx.commit()?;
            Ok(InsertOutcome::Created)
        })
        .await
    }

    /// The marks of a barrio, oldest first.
    pub async fn marks_for_barrio(&self, barrio_id: i64) -> Result<Vec<Mark>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare(&format!("{SELECT_MARK} WHERE barrio_id = ?1 ORDER BY created_at_ms, id"))?;
            let rows = stmt.query_map([barrio_id], raw_mark)?.collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(parse_mark).collect()
        })
        .await
    }

    pub async fn mark_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM marks", [], |r| r.get(0))?)).await
    }
}
