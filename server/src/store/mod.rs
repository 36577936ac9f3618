//! The embedded SQLite store: one file (WAL mode, foreign keys on, migrations applied at
//! open) behind a narrow async interface, so handlers never see SQL.

mod accounts;
mod actas;
mod balance;
mod barrios;
mod cbsc;
mod comites;
mod corrections;
mod diagnosticos;
mod history;
mod indicadores;
mod inscripciones;
mod instituciones;
mod intervenciones;
mod miniauditorias;
mod remapeo;
mod marks;
mod media;
mod media_decisions;
mod packs;
mod pactos;
mod publications;
mod receive;
mod room;
mod ruta;
mod status;
mod sync;
#[cfg(test)]
pub(crate) mod test_support;
mod tree;
mod untie;
mod versioned;
mod workshops;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use thiserror::Error;

pub use accounts::{DeviceGrant, DeviceKind, NewSession, SessionRow, UserWrite};
pub use balance::{Eleccion, Lote};
pub use barrios::NewBarrio;
pub use history::Kind;
pub use indicadores::{NuevaImportacion, ValorVigente};
pub use media::{ListedMedia, MarkTarget, MediaRow, Offered, Sender};
pub use packs::AppliedImport;
pub use publications::Withdrawal;
pub use receive::Outcome;
pub use ruta::StoredFile;
pub use sync::{BatchMeta, ChangesPage, Prepared, BARRIO_MARGIN_DEG};
pub use tree::BarrioTree;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("a different version {version} of {kind} {id} is already stored")]
    VersionConflict { kind: Kind, id: uuid::Uuid, version: u32 },
    #[error("{kind} {id} is stored in another barrio")]
    BarrioChanged { kind: Kind, id: uuid::Uuid },
    #[error("{kind} links to a record it may not: {error}")]
    BrokenLink { kind: Kind, error: app::model::TreeError },
    #[error("{kind} {id} is stored in another workshop")]
    OtherWorkshop { kind: Kind, id: uuid::Uuid },
    #[error("{kind} names unknown workshop {workshop_id}")]
    UnknownWorkshop { kind: Kind, workshop_id: uuid::Uuid },
    /// A record of a workshop whose barrio is another (`barrio_id`, the workshop's).
    #[error("{kind} {id} is not in the barrio of its workshop ({barrio_id})")]
    WorkshopBarrio { kind: Kind, id: uuid::Uuid, barrio_id: i64 },
    #[error("{kind} names unknown barrio {barrio_id}")]
    UnknownBarrio { kind: Kind, barrio_id: i64 },
    #[error("mark far outside barrio {0}")]
    OutsideBarrio(i64),
    /// A participant's device changing a record another device made.
    #[error("{kind} {id} was made on another device")]
    NotYours { kind: Kind, id: uuid::Uuid },
    #[error("submission {0} was sent before by another device")]
    SubmissionReused(uuid::Uuid),
    #[error("the database worker stopped: {0}")]
    Worker(String),
    /// A correction or note of hotspots that names marks, hotspots or corrections that are
    /// not there, or joins what may not be joined.
    #[error(transparent)]
    Correction(#[from] app::model::adjustment::AdjustmentError),
    /// A step change or closing the route's rules refuse.
    #[error(transparent)]
    Ruta(#[from] app::model::ruta::RutaError),
    /// An acta's version that may not be kept.
    #[error(transparent)]
    Acta(#[from] app::model::acta::ActaError),
    /// A ficha de intervención's version that may not be kept.
    #[error(transparent)]
    Ficha(#[from] app::model::intervencion::FichaError),
    /// A miniauditoría's version that may not be kept.
    #[error(transparent)]
    Miniauditoria(#[from] app::model::miniauditoria::MiniauditoriaError),
    /// A registro that may not be kept or withdrawn.
    #[error(transparent)]
    Registro(#[from] app::model::registro::RegistroError),
    /// A request to enter the route that may not be kept or decided.
    #[error(transparent)]
    Inscripcion(#[from] app::model::inscripcion::InscripcionError),
    /// A decision on a photo or voice note the rules refuse (publishing a voice, or a photo
    /// of a sensitive mark).
    #[error(transparent)]
    Media(#[from] app::model::media::MediaError),
    /// An ISCB definition, prioritisation or oficio that may not be kept.
    #[error(transparent)]
    Balance(#[from] crate::balance::BalanceRefusal),
    /// A pacto, signing, otrosí, status change, institution or publication that may not be
    /// kept (paso 4).
    #[error(transparent)]
    Pacto(#[from] crate::pactos::PactoRefusal),
}

impl From<app::model::pacto::PactoError> for StoreError {
    fn from(e: app::model::pacto::PactoError) -> StoreError {
        StoreError::Pacto(e.into())
    }
}

impl From<app::model::balance::BalanceError> for StoreError {
    fn from(e: app::model::balance::BalanceError) -> StoreError {
        StoreError::Balance(e.into())
    }
}

impl StoreError {
    /// Whether the error refuses one record for what it says (the sender's to fix), rather
    /// than the server failing.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            StoreError::VersionConflict { .. }
                | StoreError::BarrioChanged { .. }
                | StoreError::BrokenLink { .. }
                | StoreError::OtherWorkshop { .. }
                | StoreError::UnknownWorkshop { .. }
                | StoreError::WorkshopBarrio { .. }
                | StoreError::UnknownBarrio { .. }
                | StoreError::OutsideBarrio(_)
                | StoreError::NotYours { .. }
                | StoreError::Correction(_)
                | StoreError::Ruta(_)
                | StoreError::Registro(_)
                | StoreError::Acta(_)
                | StoreError::Ficha(_)
                | StoreError::Miniauditoria(_)
                | StoreError::Inscripcion(_)
                | StoreError::Media(_)
                | StoreError::Balance(_)
                | StoreError::Pacto(_)
        )
    }
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_barrios_marks.sql")),
        M::up(include_str!("../../migrations/0002_barrio_packs.sql")),
        M::up(include_str!("../../migrations/0003_mark_alias.sql")),
        M::up(include_str!("../../migrations/0004_versions_and_tree.sql")),
        M::up(include_str!("../../migrations/0005_sync_and_workshops.sql")),
        M::up(include_str!("../../migrations/0006_diagnosticos.sql")),
        M::up(include_str!("../../migrations/0007_corrections.sql")),
        M::up(include_str!("../../migrations/0008_accounts.sql")),
        M::up(include_str!("../../migrations/0009_publications.sql")),
        // Rebuilds `barrios`, which other tables reference: checked once it is in place.
        M::up(include_str!("../../migrations/0010_cities.sql")).foreign_key_check(),
        M::up(include_str!("../../migrations/0011_workshop_preparer.sql")),
        M::up(include_str!("../../migrations/0012_user_municipios.sql")),
        M::up(include_str!("../../migrations/0013_workshop_room.sql")),
        M::up(include_str!("../../migrations/0014_ruta.sql")),
        M::up(include_str!("../../migrations/0015_inscripcion_cbsc.sql")),
        M::up(include_str!("../../migrations/0016_actas.sql")),
        M::up(include_str!("../../migrations/0017_media.sql")),
        M::up(include_str!("../../migrations/0018_media_decisions.sql")),
        M::up(include_str!("../../migrations/0019_balance.sql")),
        M::up(include_str!("../../migrations/0020_pacto.sql")),
        M::up(include_str!("../../migrations/0021_comites.sql")),
        M::up(include_str!("../../migrations/0022_intervenciones.sql")),
        M::up(include_str!("../../migrations/0023_miniauditorias.sql")),
    ])
}

/// Brings the schema up to date with foreign keys off, as SQLite asks for migrations that
/// rebuild a referenced table (0010), then turns them on for good.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    migrations().to_latest(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// A handle to the database; cheap to clone. SQLite allows one writer at a time, so one
/// connection behind a mutex is both simplest and fast enough for a municipal deployment.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    /// Diagnósticos are generated one at a time (see `generate_diagnostico`).
    generations: Arc<tokio::sync::Mutex<()>>,
}

impl Store {
    fn over(conn: Connection) -> Store {
        Store { conn: Arc::new(Mutex::new(conn)), generations: Arc::default() }
    }

    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.display().to_string(), source })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL, not NORMAL: a device deletes a mark once the sync reply confirms it, so a
        // commit must survive a power cut or a crash of the machine, not only of this process.
        // With WAL and NORMAL the last commits before such a crash may roll back, after their
        // reply went out; FULL syncs the WAL at each commit (one fsync per batch).
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Store::over(conn))
    }

    /// A store for a trial run that must touch no file: a copy in memory of the database at
    /// `path`, read through a read-only connection (and brought up to date in memory), or an
    /// empty one when there is no database yet. Nothing written to it reaches the disk.
    pub fn open_detached(path: &Path) -> Result<Store, StoreError> {
        let mut memory = Connection::open_in_memory()?;
        if path.exists() {
            let disk = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let mut image = disk.serialize(rusqlite::MAIN_DB)?.to_vec();
            // Bytes 18 and 19 say WAL mode, which a database in memory cannot use: as rollback.
            if let Some(versions) = image.get_mut(18..20) {
                versions.copy_from_slice(&[1, 1]);
            }
            memory.deserialize_read_exact(rusqlite::MAIN_DB, &image[..], image.len(), false)?;
        }
        migrate(&mut memory)?;
        Ok(Store::over(memory))
    }

    /// Runs `f` with the connection on a blocking thread, keeping the async runtime free.
    async fn call<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a half-written transaction behind
            // (SQLite rolls it back), so a poisoned lock is safe to take over.
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?
    }

    /// A cheap query that proves the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.call(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map(|_| ())?)).await
    }

    /// The SQLite journal mode in force, for the health check and tests.
    pub async fn journal_mode(&self) -> Result<String, StoreError> {
        self.call(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[tokio::test]
    async fn a_new_database_is_created_with_wal_in_a_missing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/cartobarrio.sqlite3");
        let store = Store::open(&path).unwrap();
        assert!(path.exists());
        assert_eq!(store.journal_mode().await.unwrap(), "wal");
        store.ping().await.unwrap();
        // Opening again applies no migration twice.
        drop(store);
        Store::open(&path).unwrap().ping().await.unwrap();
    }

    /// A database made before versions existed (at migration 0003) with marks in it.
    fn database_at_migration_3(path: &Path, marks: &[app::model::Mark]) {
        let mut conn = Connection::open(path).unwrap();
        migrations().to_version(&mut conn, 3).unwrap();
        conn.execute(
            "INSERT INTO barrios (id, code, name, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
             VALUES (1, 'viejo', 'Viejo', '{\"type\":\"Point\",\"coordinates\":[0,0]}', -74.3, 11.1, -74.1, 11.3, 1.0, 'prueba')",
            [],
        )
        .unwrap();
        for m in marks {
            conn.execute(
                "INSERT INTO marks (id, barrio_id, category, geometry, description, created_at_ms, alias, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '2025-11-24T10:00:00.000Z')",
                rusqlite::params![
                    m.id.to_string(),
                    m.barrio_id,
                    m.category,
                    serde_json::to_string(&m.geometry).unwrap(),
                    m.description,
                    m.created_at_ms,
                    m.alias
                ],
            )
            .unwrap();
        }
    }

    #[tokio::test]
    async fn barrios_stored_before_cities_are_santa_martas_and_keep_their_ids_and_marks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        database_at_migration_3(&path, &[test_support::problem(1, 1)]);
        let store = Store::open(&path).unwrap();
        let barrios = store.list_barrios().await.unwrap();
        assert_eq!(barrios.iter().map(|b| (b.id, b.code.as_str(), b.municipio.as_str())).collect::<Vec<_>>(), vec![(1, "viejo", "47001")]);
        assert_eq!(store.marks_for_barrio(1).await.unwrap().len(), 1);
        let (foreign_keys, problems): (bool, i64) = store
            .call(|c| {
                let on = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                let problems = c.prepare("PRAGMA foreign_key_check")?.query_map([], |_| Ok(()))?.count() as i64;
                Ok((on, problems))
            })
            .await
            .unwrap();
        assert!(foreign_keys && problems == 0, "foreign keys back on, and every link still holds");
        // A code is unique within its municipio only; the municipio is 5 digits.
        let insert = |municipio: &'static str| {
            store.call(move |c| {
                Ok(c.execute(
                    "INSERT INTO barrios (municipio, code, name, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
                     VALUES (?1, 'viejo', 'Viejo', '{}', 0, 0, 0, 0, 1, 'prueba')",
                    [municipio],
                )?)
            })
        };
        assert!(insert("08001").await.is_ok());
        assert!(insert("08001").await.is_err());
        assert!(insert("8001").await.is_err());
    }

    #[tokio::test]
    async fn a_detached_store_touches_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nested/none.sqlite3");
        let store = Store::open_detached(&missing).unwrap();
        assert_eq!(store.barrio_count().await.unwrap(), 0);
        assert!(!missing.exists() && !dir.path().join("nested").exists());

        let old = dir.path().join("old.sqlite3");
        database_at_migration_3(&old, &[]);
        let before = std::fs::read(&old).unwrap();
        let store = Store::open_detached(&old).unwrap();
        assert_eq!(store.list_barrios().await.unwrap()[0].municipio, "47001", "migrated in memory");
        test_support::barrio(&store, "nuevo").await;
        drop(store);
        assert_eq!(std::fs::read(&old).unwrap(), before, "neither migrated nor written on disk");

        // A database the server made (in WAL mode) reads the same.
        let wal = dir.path().join("wal.sqlite3");
        let server = Store::open(&wal).unwrap();
        test_support::barrio(&server, "de-antes").await;
        let store = Store::open_detached(&wal).unwrap();
        assert_eq!(store.list_barrios().await.unwrap()[0].code, "de-antes");
    }

    #[tokio::test]
    async fn marks_stored_before_versions_existed_become_their_version_1() {
        use app::model::{Mark, Record};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        let point = Mark { description: "de noche, «ojo»".into(), ..test_support::problem(1, 1) }.by("Rosa");
        // Coordinates with every digit a double has: the history must keep them exactly.
        let ring = vec![
            vec![-74.20581644500001, 11.25231377],
            vec![-74.2041, 11.2523],
            vec![-74.2041, 11.252313770000002],
            vec![-74.20581644500001, 11.25231377],
        ];
        let zone = Mark::new_shape(
            uuid::Uuid::from_u128(2),
            1,
            "lote_baldio",
            geojson::Geometry::new(geojson::Value::Polygon(vec![ring])),
            test_support::T + 1,
        );
        database_at_migration_3(&path, &[point.clone(), zone.clone()]);

        let store = Store::open(&path).unwrap();
        let marks = store.marks_for_barrio(1).await.unwrap();
        assert_eq!(marks, vec![point.clone(), zone.clone()], "data kept, as version 1, never edited, not deleted");
        for m in &marks {
            assert_eq!(store.record_versions(Kind::Mark, m.id).await.unwrap(), vec![Record::Mark(m.clone())]);
        }
        let received: String = store
            .call(|c| Ok(c.query_row("SELECT received_at FROM record_versions WHERE version = 1 LIMIT 1", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(received, "2025-11-24T10:00:00.000Z", "history says when the mark first arrived");
        // The old app sending the mark again finds it stored; an edit becomes version 2.
        assert_eq!(store.store_record(Record::Mark(point.clone())).await.unwrap(), Outcome::AlreadyStored);
        let edited = point.next_version(test_support::T + 60_000);
        assert_eq!(store.store_record(Record::Mark(edited.clone())).await.unwrap(), Outcome::Updated);
        assert_eq!(store.marks_for_barrio(1).await.unwrap()[0], edited);
    }
}
