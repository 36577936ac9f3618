//! Barrio rows: insertion of imported boundaries, the list, one barrio with its boundary.

use app::model::{Barrio, BarrioSummary};
use rusqlite::{params, OptionalExtension, Row};

use super::{Store, StoreError};
pub use crate::import::plan::NewBarrio;

fn summary(row: &Row<'_>) -> rusqlite::Result<BarrioSummary> {
    Ok(BarrioSummary {
        id: row.get(0)?,
        code: row.get(1)?,
        name: row.get(2)?,
        comuna: row.get(3)?,
        area_ha: row.get(4)?,
        municipio: row.get(5)?,
    })
}

/// One barrio with its boundary, read on an open connection or transaction.
pub(super) fn read_barrio(c: &rusqlite::Connection, id: i64) -> Result<Option<Barrio>, StoreError> {
    let row = c
        .query_row("SELECT id, code, name, comuna, area_ha, municipio, boundary, source FROM barrios WHERE id = ?1", [id], |r| {
            Ok((summary(r)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?))
        })
        .optional()?;
    row.map(|(summary, boundary, source)| {
        let boundary = serde_json::from_str(&boundary).map_err(|e| StoreError::Corrupt(format!("barrio {id}: {e}")))?;
        Ok(Barrio { summary, boundary, source })
    })
    .transpose()
}

/// Whether barrio `id` exists, on an open connection or transaction.
pub(super) fn exists(c: &rusqlite::Connection, id: i64) -> Result<bool, StoreError> {
    Ok(c.query_row("SELECT 1 FROM barrios WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

impl Store {
    /// Inserts barrios in one transaction: all or none.
    pub async fn insert_barrios(&self, barrios: Vec<NewBarrio>) -> Result<usize, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO barrios (code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source, municipio)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?;
                for b in &barrios {
                    let boundary = serde_json::to_string(&b.boundary).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    let [a, b2, c2, d] = b.bbox;
                    stmt.execute(params![b.code, b.name, b.comuna, boundary, a, b2, c2, d, b.area_ha, b.source, b.municipio])?;
                }
            }
            tx.commit()?;
            Ok(barrios.len())
        })
        .await
    }

    /// Renames barrios of `municipio`, each `(code, old name, new name)` only while it still has
    /// its old name, and rebuilds the pack of each one renamed (a new version, so devices fetch
    /// the name). One transaction. Returns how many were renamed.
    pub async fn rename_barrios(&self, municipio: &str, renames: Vec<(String, String, String)>) -> Result<usize, StoreError> {
        let municipio = municipio.to_string();
        self.call(move |c| {
            let tx = c.transaction()?;
            let mut renamed = Vec::new();
            {
                let mut stmt = tx.prepare("UPDATE barrios SET name = ?4 WHERE municipio = ?1 AND code = ?2 AND name = ?3 RETURNING id")?;
                for (code, old, new) in &renames {
                    if let Some(id) = stmt.query_row(params![municipio, code, old, new], |r| r.get::<_, i64>(0)).optional()? {
                        renamed.push(id);
                    }
                }
            }
            for &id in &renamed {
                // A barrio with no pack yet gets one, layers and all, from the demo layers step.
                let has_pack: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM barrio_packs WHERE barrio_id = ?1)", [id], |r| r.get(0))?;
                if has_pack {
                    super::packs::rebuild_pack(&tx, id, None)?;
                }
            }
            tx.commit()?;
            Ok(renamed.len())
        })
        .await
    }

    pub async fn barrio_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM barrios", [], |r| r.get(0))?)).await
    }

    /// All barrios of every city, in alphabetical order of their name.
    pub async fn list_barrios(&self) -> Result<Vec<BarrioSummary>, StoreError> {
        self.call(|c| {
            let mut stmt = c.prepare("SELECT id, code, name, comuna, area_ha, municipio FROM barrios ORDER BY name COLLATE NOCASE, id")?;
            let rows = stmt.query_map([], summary)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn barrio(&self, id: i64) -> Result<Option<Barrio>, StoreError> {
        self.call(move |c| read_barrio(c, id)).await
    }

    /// The barrio's bounding box `[min_lon, min_lat, max_lon, max_lat]`, if it exists.
    pub async fn barrio_bbox(&self, id: i64) -> Result<Option<[f64; 4]>, StoreError> {
        self.call(move |c| {
            Ok(c.query_row("SELECT min_lon, min_lat, max_lon, max_lat FROM barrios WHERE id = ?1", [id], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
            })
            .optional()?)
        })
        .await
    }
}
