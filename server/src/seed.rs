//! The demo barrios a new database starts with: real Santa Marta boundaries, dissolved once
//! from the source file by `cartobarrio derive-seed` and kept in the repository with their
//! provenance (`server/seed/README.md`).

use geo::BoundingRect;
use serde_json::{json, Map, Value as Json};

use app::model::SANTA_MARTA_MUNICIPIO;

use crate::import::{name_fixes, names, DissolvedBarrio};
use crate::store::{NewBarrio, Store, StoreError};

/// The derived seed file, compiled into the binary so a fresh machine needs nothing else.
pub const SANTA_MARTA: &str = include_str!("../seed/santa-marta-barrios.geojson");

/// Attribution stored with each seeded barrio and shown beside its map.
pub const SANTA_MARTA_SOURCE: &str =
    "Límites: estudio de vulnerabilidad de Santa Marta, repositorio público Zluifer21/riskmapogricc (sin licencia declarada).";

/// Writes dissolved barrios as the seed GeoJSON FeatureCollection (one feature per line, so
/// diffs of the file stay readable).
pub fn to_geojson(barrios: &[DissolvedBarrio]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, b) in barrios.iter().enumerate() {
        let geometry = geojson::Geometry::new(geojson::Value::from(&b.boundary));
        let feature = json!({
            "type": "Feature",
            "properties": {
                "code": b.code,
                "name": b.name,
                "source_name": b.source_name,
                "comuna": b.comuna,
                "area_ha": (b.area_ha * 100.0).round() / 100.0,
                "pieces": b.pieces,
            },
            "geometry": geometry,
        });
        out.push_str(&feature.to_string());
        out.push_str(if i + 1 < barrios.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

/// Reads a seed file written by [`to_geojson`]; its barrios are Santa Marta's (47001).
pub fn parse(seed: &str, source: &str) -> Result<Vec<NewBarrio>, String> {
    let fc: geojson::FeatureCollection = seed.parse().map_err(|e: geojson::Error| e.to_string())?;
    fc.features
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let props: Map<String, Json> = f.properties.unwrap_or_default();
            let text = |k: &str| props.get(k).and_then(Json::as_str).map(str::to_string);
            let geometry = f.geometry.ok_or(format!("feature {i}: no geometry"))?;
            let geo: geo::Geometry<f64> = geometry.value.clone().try_into().map_err(|e| format!("feature {i}: {e}"))?;
            let rect = geo.bounding_rect().ok_or(format!("feature {i}: empty geometry"))?;
            let name = text("name").ok_or(format!("feature {i}: no name"))?;
            // The reviewed name wins even over a seed file derived before the table existed.
            let name = text("source_name")
                .and_then(|s| name_fixes::corrected(SANTA_MARTA_MUNICIPIO, &s))
                .map_or(name, str::to_string);
            Ok(NewBarrio {
                municipio: SANTA_MARTA_MUNICIPIO.into(),
                code: text("code").ok_or(format!("feature {i}: no code"))?,
                name,
                comuna: text("comuna"),
                boundary: geometry,
                bbox: [rect.min().x, rect.min().y, rect.max().x, rect.max().y],
                area_ha: props.get("area_ha").and_then(Json::as_f64).unwrap_or(0.0),
                source: source.to_string(),
            })
        })
        .collect()
}

/// Gives every barrio that has no pack yet (a new database, or one made before packs existed)
/// generated demo layers, labelled as such. Returns how many packs were written.
pub async fn fill_missing_layers(store: &Store) -> Result<usize, StoreError> {
    // Codes are unique within a municipio: one plan per municipio.
    let mut missing: std::collections::BTreeMap<String, Vec<crate::import::plan::StoredBarrio>> = Default::default();
    for (municipio, b) in store.stored_barrios_by_municipio(None).await? {
        if !b.has_layers {
            missing.entry(municipio).or_default().push(b);
        }
    }
    let mut written = 0;
    for (municipio, barrios) in missing {
        let layers = tokio::task::spawn_blocking(move || {
            barrios
                .into_iter()
                .map(|b| {
                    let layers = crate::import::demo_layers::demo_layers(&b.code, &b.boundary);
                    (b.code, layers)
                })
                .collect()
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?;
        let plan = crate::import::plan::ImportPlan { municipio, layers, ..Default::default() };
        written += store.apply_import(plan).await?.packs_written;
    }
    Ok(written)
}

/// Loads the Santa Marta barrios into an empty database. Returns how many were added.
pub async fn seed_if_empty(store: &Store) -> Result<usize, StoreError> {
    if store.barrio_count().await? > 0 {
        return Ok(0);
    }
    let barrios = parse(SANTA_MARTA, SANTA_MARTA_SOURCE).map_err(StoreError::Corrupt)?;
    store.insert_barrios(barrios).await
}

/// The catalogue of institutions a new database starts with: `pacto::institucion::SEMILLA` as
/// version 1 of each entry, active, its one contact the position the seed names. Only when the
/// catalogue is empty; returns how many entries were added (0 on every later start).
pub async fn seed_instituciones(store: &Store, now_ms: i64) -> Result<usize, StoreError> {
    use app::model::pacto::institucion::SEMILLA;
    use app::model::pacto::{Contacto, InstitucionDraft};
    let semilla = SEMILLA
        .iter()
        .map(|(codigo, nombre, tipo, cargo)| {
            let contactos = vec![Contacto { cargo: cargo.to_string(), nombre: None }];
            (codigo.to_string(), InstitucionDraft { nombre: nombre.to_string(), tipo: *tipo, contactos, activa: true })
        })
        .collect();
    store.seed_instituciones(semilla, now_ms).await
}

/// Gives the barrios of a database seeded before the name table their reviewed names (and
/// their packs a new version, so devices pick the name up). Only a barrio whose name is still
/// the one the seed gave it changes: a name set since, by an import or by hand, is left alone.
/// Returns how many were renamed; a second start renames none.
pub async fn repair_names(store: &Store) -> Result<usize, StoreError> {
    let fc: geojson::FeatureCollection = SANTA_MARTA.parse().map_err(|e: geojson::Error| StoreError::Corrupt(e.to_string()))?;
    let renames: Vec<(String, String, String)> = fc
        .features
        .iter()
        .filter_map(|f| {
            let text = |k: &str| f.property(k).and_then(Json::as_str);
            let (code, source) = (text("code")?, text("source_name")?);
            let name = name_fixes::corrected(SANTA_MARTA_MUNICIPIO, source)?;
            let seeded = names::display_name(source);
            (seeded != name).then(|| (code.to_string(), seeded, name.to_string()))
        })
        .collect();
    store.rename_barrios(SANTA_MARTA_MUNICIPIO, renames).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_seed_has_the_327_named_barrios_of_santa_marta() {
        let barrios = parse(SANTA_MARTA, SANTA_MARTA_SOURCE).unwrap();
        assert!(barrios.len() >= 300, "{}", barrios.len());
        let codes: std::collections::HashSet<_> = barrios.iter().map(|b| &b.code).collect();
        assert_eq!(codes.len(), barrios.len(), "codes are unique");
        for b in &barrios {
            let [x0, y0, x1, y1] = b.bbox;
            assert!((-74.3..=-74.0).contains(&x0) && (-74.3..=-74.0).contains(&x1), "{}", b.name);
            assert!((11.0..=11.3).contains(&y0) && (11.0..=11.3).contains(&y1), "{}", b.name);
            assert!(b.area_ha > 0.0, "{}", b.name);
        }
        assert!(barrios.iter().any(|b| b.name == "Los Alcázares"));
        let pescaito = barrios.iter().find(|b| b.code == "pescaito").unwrap();
        assert_eq!(pescaito.name, "Pescaíto", "the reviewed name, under the code devices know");
        assert!(barrios.iter().all(|b| b.comuna.is_none()), "the source has no comuna (server/seed/README.md)");
    }

    #[tokio::test]
    async fn seeding_happens_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let first = seed_if_empty(&store).await.unwrap();
        assert!(first >= 300);
        assert_eq!(seed_if_empty(&store).await.unwrap(), 0);
        assert_eq!(store.barrio_count().await.unwrap(), first as i64);
    }

    #[tokio::test]
    async fn a_database_seeded_with_the_source_names_gets_the_reviewed_ones_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        // A database seeded before the table: every name as the source spelt it, and one that
        // someone renamed since, which must stay.
        let fc: Json = serde_json::from_str(SANTA_MARTA).unwrap();
        let sources: Vec<String> =
            fc["features"].as_array().unwrap().iter().map(|f| f["properties"]["source_name"].as_str().unwrap().to_string()).collect();
        let mut old = parse(SANTA_MARTA, SANTA_MARTA_SOURCE).unwrap();
        for (b, source) in old.iter_mut().zip(&sources) {
            b.name = names::display_name(source);
            if b.code == "centro-historico" {
                b.name = "Centro (nombre puesto a mano)".into();
            }
        }
        assert!(old.iter().any(|b| b.name == "Ca├æaveral"), "the old seed's garbled name");
        store.insert_barrios(old).await.unwrap();
        fill_missing_layers(&store).await.unwrap();
        let fixes = name_fixes::parse(name_fixes::SANTA_MARTA_NAMES).unwrap();
        let changed = fixes.iter().filter(|f| names::display_name(&f.source_name) != f.name).count();

        assert_eq!(repair_names(&store).await.unwrap(), changed - 1, "all but the one renamed by hand");
        assert_eq!(repair_names(&store).await.unwrap(), 0, "a second start renames nothing");
        let list = store.list_barrios().await.unwrap();
        let named = |code: &str| list.iter().find(|b| b.code == code).unwrap().clone();
        assert_eq!(named("pescaito").name, "Pescaíto");
        assert_eq!(named("ca-averal").name, "Cañaveral");
        assert_eq!(named("centro-historico").name, "Centro (nombre puesto a mano)");
        assert_eq!(named("bastidas").name, "Bastidas");
        // The pack carries the name to devices: a new version, with the new name in it.
        let (version, json) = store.pack_json(named("pescaito").id).await.unwrap().unwrap();
        let pack: app::model::BarrioPack = serde_json::from_str(&json).unwrap();
        assert_eq!((version, pack.barrio.summary.name.as_str()), (2, "Pescaíto"));
        let (version, _) = store.pack_json(named("bastidas").id).await.unwrap().unwrap();
        assert_eq!(version, 1, "an untouched barrio keeps its pack");
    }

    #[tokio::test]
    async fn every_seeded_barrio_gets_a_labelled_demo_pack_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let barrios = seed_if_empty(&store).await.unwrap();
        assert_eq!(fill_missing_layers(&store).await.unwrap(), barrios);
        assert_eq!(fill_missing_layers(&store).await.unwrap(), 0, "a second start writes nothing");
        let infos = store.pack_infos().await.unwrap();
        assert_eq!(infos.len(), barrios);
        assert!(infos.iter().all(|p| p.demo && p.version == 1 && p.features > 0));
        let (_, json) = store.pack_json(infos[0].barrio_id).await.unwrap().unwrap();
        let pack: app::model::BarrioPack = serde_json::from_str(&json).unwrap();
        assert!(pack.layers.source.contains("demo"));
        assert_eq!(pack.barrio.summary.id, infos[0].barrio_id);
    }
}
