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
    /// Writes a planned import: barrios inserted or updated by code within the plan's
    /// municipio (their ids, and so their marks, stay), layers replaced, and the packs of every
    /// touched barrio rebuilt, with a new version only where the content changed. All or nothing.
    pub async fn apply_import(&self, plan: ImportPlan) -> Result<AppliedImport, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let mut touched = std::collections::BTreeSet::new();
            {
                let mut upsert = tx.prepare(
                    "INSERT INTO barrios (code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source, municipio)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT(municipio, code) DO UPDATE SET name = excluded.name, comuna = excluded.comuna,
                        boundary = excluded.boundary, min_lon = excluded.min_lon, min_lat = excluded.min_lat,
                        max_lon = excluded.max_lon, max_lat = excluded.max_lat, area_ha = excluded.area_ha,
                        source = excluded.source
                     RETURNING id",
                )?;
                for b in &plan.barrios {
                    let boundary = serde_json::to_string(&b.boundary).map_err(corrupt)?;
                    let [x0, y0, x1, y1] = b.bbox;
                    if b.municipio != plan.municipio {
                        return Err(corrupt(format!("barrio {} of municipio {} in an import for {}", b.code, b.municipio, plan.municipio)));
                    }
                    let id: i64 = upsert
                        .query_row(params![b.code, b.name, b.comuna, boundary, x0, y0, x1, y1, b.area_ha, b.source, b.municipio], |r| {
                            r.get(0)
                        })?;
                    touched.insert(id);
                }
            }
            let mut layers_by_id = std::collections::BTreeMap::new();
            for (code, layers) in plan.layers {
                let id: Option<i64> = tx
                    .query_row("SELECT id FROM barrios WHERE municipio = ?1 AND code = ?2", [&plan.municipio, &code], |r| r.get(0))
                    .optional()?;
                let id = id.ok_or_else(|| corrupt(format!("layers for unknown barrio {code}")))?;
                touched.insert(id);
                layers_by_id.insert(id, layers);
            }
            let barrios_written = plan.barrios.len();
            let mut packs_written = 0;
            for id in touched {
                if rebuild_pack(&tx, id, layers_by_id.remove(&id))? {
                    packs_written += 1;
                }
            }
            tx.commit()?;
            Ok(AppliedImport { barrios_written, packs_written })
        })
        .await
    }

    /// The stored barrios of one municipio, with their boundary, whether they have layers and
    /// how many marks: what an import into that municipio compares with.
    pub async fn stored_barrios(&self, municipio: &str) -> Result<Vec<StoredBarrio>, StoreError> {
        Ok(self.stored_barrios_by_municipio(Some(municipio.to_string())).await?.into_iter().map(|(_, b)| b).collect())
    }

    /// Every stored barrio of every municipio (`None`) or of one, with its municipio.
    pub async fn stored_barrios_by_municipio(&self, municipio: Option<String>) -> Result<Vec<(String, StoredBarrio)>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare(
                "SELECT b.municipio, b.code, b.name, b.boundary, p.features IS NOT NULL,
                        (SELECT count(*) FROM marks m WHERE m.barrio_id = b.id AND m.deleted = 0)
                 FROM barrios b LEFT JOIN barrio_packs p ON p.barrio_id = b.id
                 WHERE ?1 IS NULL OR b.municipio = ?1 ORDER BY b.id",
            )?;
            let rows = stmt
                .query_map([&municipio], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(municipio, code, name, boundary, has_layers, marks)| {
                    let geometry: geojson::Geometry = serde_json::from_str(&boundary).map_err(corrupt)?;
                    let boundary = match geo::Geometry::<f64>::try_from(geometry.value).map_err(corrupt)? {
                        geo::Geometry::Polygon(p) => geo::MultiPolygon::new(vec![p]),
                        geo::Geometry::MultiPolygon(m) => m,
                        _ => return Err(corrupt(format!("barrio {code}: boundary is not an area"))),
                    };
                    Ok((municipio, StoredBarrio { code, name, boundary, has_layers, marks: usize::try_from(marks).unwrap_or(0) }))
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
/// one version above the last; a pack whose content is the same as stored is left alone (and
/// keeps its version, so no device downloads it again). Returns whether it was written.
pub(super) fn rebuild_pack(tx: &Transaction<'_>, id: i64, new_layers: Option<BaseLayers>) -> Result<bool, StoreError> {
    let previous: Option<(i64, String, String)> = tx
        .query_row("SELECT version, layers, pack FROM barrio_packs WHERE barrio_id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let layers = match (new_layers, &previous) {
        (Some(l), _) => l,
        (None, Some((_, stored, _))) => serde_json::from_str(stored).map_err(corrupt)?,
        (None, None) => BaseLayers::empty(),
    };
    let barrio = super::barrios::read_barrio(tx, id)?.ok_or_else(|| corrupt(format!("barrio {id} vanished")))?;
    let mut pack = BarrioPack { format: PACK_FORMAT, version: 1, barrio, layers };
    if let Some((version, _, stored_pack)) = &previous {
        pack.version = *version;
        if serde_json::to_string(&pack).map_err(corrupt)? == *stored_pack {
            return Ok(false);
        }
        pack.version = version + 1;
    }
    let version = pack.version;
    let layers_json = serde_json::to_string(&pack.layers).map_err(corrupt)?;
    let pack_json = serde_json::to_string(&pack).map_err(corrupt)?;
    tx.execute(
        "INSERT INTO barrio_packs (barrio_id, version, layers, pack, bytes, features, demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(barrio_id) DO UPDATE SET version = excluded.version, layers = excluded.layers, pack = excluded.pack,
            bytes = excluded.bytes, features = excluded.features, demo = excluded.demo,
            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![id, version, layers_json, pack_json, pack_json.len() as i64, pack.layers.feature_count() as i64, pack.layers.demo],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::super::test_support;
    use super::*;
    use crate::import::plan::{plan_import, ImportFiles, ImportOptions};
    use serde_json::json;

    fn city_file(x0: f64) -> Vec<u8> {
        let square = |name: &str, x: f64| {
            let ring = json!([[x, 11.0], [x + 0.002, 11.0], [x + 0.002, 11.002], [x, 11.002], [x, 11.0]]);
            json!({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
        };
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": [square("EL PRADO", x0), square("EL CARMEN", x0 + 0.003)]}))
            .unwrap()
    }

    async fn import(store: &Store, municipio: &str, file: &[u8]) -> AppliedImport {
        let options = ImportOptions { municipio: municipio.into(), demo_for_missing: true, ..Default::default() };
        let stored = store.stored_barrios(municipio).await.unwrap();
        let plan = plan_import(ImportFiles { barrios: Some(file), ..Default::default() }, &options, &stored).unwrap();
        store.apply_import(plan).await.unwrap()
    }

    #[tokio::test]
    async fn the_same_code_in_two_municipios_is_two_barrios() {
        let (_dir, store) = test_support::store().await;
        import(&store, "47001", &city_file(-74.2)).await;
        let santa_marta = store.list_barrios().await.unwrap();
        // Barranquilla's El Prado, 70 km west: added beside Santa Marta's, which stays put.
        let applied = import(&store, "08001", &city_file(-74.8)).await;
        assert_eq!(applied, AppliedImport { barrios_written: 2, packs_written: 2 });
        let all = store.list_barrios().await.unwrap();
        assert_eq!(all.len(), 4);
        for b in &santa_marta {
            let now = store.barrio(b.id).await.unwrap().unwrap();
            assert_eq!((&now.summary, now.bbox().map(|r| r[0] < -74.1)), (b, Some(true)), "{} untouched", b.code);
        }
        let prados: Vec<(&str, &str)> =
            all.iter().filter(|b| b.code == "el-prado").map(|b| (b.municipio.as_str(), b.code.as_str())).collect();
        assert_eq!(prados.len(), 2);
        assert!(prados.contains(&("08001", "el-prado")) && prados.contains(&("47001", "el-prado")));
        assert_eq!(store.stored_barrios("08001").await.unwrap().len(), 2, "each city sees its own");
    }

    #[tokio::test]
    async fn a_pack_whose_content_did_not_change_keeps_its_version() {
        let (_dir, store) = test_support::store().await;
        assert_eq!(import(&store, "47001", &city_file(-74.2)).await.packs_written, 2);
        assert_eq!(import(&store, "47001", &city_file(-74.2)).await, AppliedImport { barrios_written: 2, packs_written: 0 });
        assert!(store.pack_infos().await.unwrap().iter().all(|p| p.version == 1));
        // A boundary that changes a little: only that barrio's pack gets a new version.
        let mut moved: serde_json::Value = serde_json::from_slice(&city_file(-74.2)).unwrap();
        moved["features"][0]["geometry"]["coordinates"][0][1][0] = json!(-74.1979);
        assert_eq!(import(&store, "47001", &serde_json::to_vec(&moved).unwrap()).await.packs_written, 1);
        // Barrios are written in the order of their codes: El Carmen first, then El Prado.
        let versions: Vec<i64> = store.pack_infos().await.unwrap().iter().map(|p| p.version).collect();
        assert_eq!(versions, vec![1, 2]);
    }
}
