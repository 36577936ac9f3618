//! Barrio packs in the store: applying an import (barrios and layers) in one transaction, and
//! reading the packs devices download.

use app::model::{BarrioPack, BaseLayers, PackInfo, PACK_FORMAT};
use rusqlite::{params, OptionalExtension, Transaction};

use super::{Store, StoreError};
use crate::import::plan::{ImportPlan, StoredBarrio};

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppliedImport {
    pub barrios_written: usize,
    pub packs_written: usize,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

impl Store {
    /// Writes a planned import: barrios inserted or updated by code (their ids, and so their
    /// marks, stay), layers replaced, and the packs of every touched barrio rebuilt with a new
    /// version. All or nothing.
    pub async fn apply_import(&self, plan: ImportPlan) -> Result<AppliedImport, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let mut touched = std::collections::BTreeSet::new();
            {
                let mut upsert = tx.prepare(
                    "INSERT INTO barrios (code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT(code) DO UPDATE SET name = excluded.name, comuna = excluded.comuna,
                        boundary = excluded.boundary, min_lon = excluded.min_lon, min_lat = excluded.min_lat,
                        max_lon = excluded.max_lon, max_lat = excluded.max_lat, area_ha = excluded.area_ha,
                        source = excluded.source
                     RETURNING id",
                )?;
                for b in &plan.barrios {
                    let boundary = serde_json::to_string(&b.boundary).map_err(corrupt)?;
                    let [x0, y0, x1, y1] = b.bbox;
                    let id: i64 =
                        upsert.query_row(params![b.code, b.name, b.comuna, boundary, x0, y0, x1, y1, b.area_ha, b.source], |r| r.get(0))?;
                    touched.insert(id);
                }
            }
            let mut layers_by_id = std::collections::BTreeMap::new();
            for (code, layers) in plan.layers {
                let id: Option<i64> = tx.query_row("SELECT id FROM barrios WHERE code = ?1", [&code], |r| r.get(0)).optional()?;
                let id = id.ok_or_else(|| corrupt(format!("layers for unknown barrio {code}")))?;
                touched.insert(id);
                layers_by_id.insert(id, layers);
            }
            let barrios_written = plan.barrios.len();
            let packs_written = touched.len();
            for id in touched {
                rebuild_pack(&tx, id, layers_by_id.remove(&id))?;
            }
            tx.commit()?;
            Ok(AppliedImport { barrios_written, packs_written })
        })
        .await
    }

    /// Every stored barrio's code and boundary, for imports of layers alone.
    pub async fn stored_barrios(&self) -> Result<Vec<StoredBarrio>, StoreError> {
        self.call(|c| {
            let mut stmt = c.prepare(
                "SELECT b.code, b.boundary, p.features IS NOT NULL FROM barrios b
                 LEFT JOIN barrio_packs p ON p.barrio_id = b.id ORDER BY b.id",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(code, boundary, has_layers)| {
                    let geometry: geojson::Geometry = serde_json::from_str(&boundary).map_err(corrupt)?;
                    let boundary = match geo::Geometry::<f64>::try_from(geometry.value).map_err(corrupt)? {
                        geo::Geometry::Polygon(p) => geo::MultiPolygon::new(vec![p]),
                        geo::Geometry::MultiPolygon(m) => m,
                        _ => return Err(corrupt(format!("barrio {code}: boundary is not an area"))),
                    };
                    Ok(StoredBarrio { code, boundary, has_layers })
                })
                .collect()
        })
        .await
    }

    /// The pack of one barrio as JSON, with its version; `None` if there is no such pack.
    pub async fn pack_json(&self, barrio_id: i64) -> Result<Option<(i64, String)>, StoreError> {
        self.call(move |c| {
            Ok(c.query_row("SELECT version, pack FROM barrio_packs WHERE barrio_id = ?1", [barrio_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        })
        .await
    }

    /// Version and size of every pack, so devices can show what a download costs.
    pub async fn pack_infos(&self) -> Result<Vec<PackInfo>, StoreError> {
        self.call(|c| {
            let mut stmt = c.prepare("SELECT barrio_id, version, bytes, features, demo FROM barrio_packs ORDER BY barrio_id")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(PackInfo { barrio_id: r.get(0)?, version: r.get(1)?, bytes: r.get(2)?, features: r.get(3)?, demo: r.get(4)? })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }
}

/// Rebuilds a barrio's pack from its row and its layers (the new ones, or else those stored),
/// one version above the last.
fn rebuild_pack(tx: &Transaction<'_>, id: i64, new_layers: Option<BaseLayers>) -> Result<(), StoreError> {
    let previous: Option<(i64, String)> =
        tx.query_row("SELECT version, layers FROM barrio_packs WHERE barrio_id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    let layers = match (new_layers, &previous) {
        (Some(l), _) => l,
        (None, Some((_, stored))) => serde_json::from_str(stored).map_err(corrupt)?,
        (None, None) => BaseLayers::empty(),
    };
    let barrio = super::barrios::read_barrio(tx, id)?.ok_or_else(|| corrupt(format!("barrio {id} vanished")))?;
    let version = previous.map(|(v, _)| v + 1).unwrap_or(1);
    let pack = BarrioPack { format: PACK_FORMAT, version, barrio, layers };
    let layers_json = serde_json::to_string(&pack.layers).map_err(corrupt)?;
    let pack_json = serde_json::to_string(&pack).map_err(corrupt)?;
    tx.execute(
        "INSERT INTO barrio_packs (barrio_id, version, layers, pack, bytes, features, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(barrio_id) DO UPDATE SET version = excluded.version, layers = excluded.layers, pack = excluded.pack,
            bytes = excluded.bytes, features = excluded.features, demo = excluded.demo,
            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![id, version, layers_json, pack_json, pack_json.len() as i64, pack.layers.feature_count() as i64, pack.layers.demo],
    )?;
    Ok(())
}
