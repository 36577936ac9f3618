//! The embedded SQLite store: one file (WAL mode, foreign keys on, migrations applied at
//! open) behind a narrow async interface, so handlers never see SQL.

mod barrios;
mod marks;
mod packs;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use thiserror::Error;

pub use barrios::NewBarrio;
pub use marks::InsertOutcome;
pub use packs::AppliedImport;

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
    #[error("a different mark with id {0} is already stored")]
    MarkConflict(uuid::Uuid),
    #[error("the database worker stopped: {0}")]
    Worker(String),
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_barrios_marks.sql")),
        M::up(include_str!("../../migrations/0002_barrio_packs.sql")),
        M::up(include_str!("../../migrations/0003_mark_alias.sql")),
    ])
}

/// A handle to the database; cheap to clone. SQLite allows one writer at a time, so one
/// connection behind a mutex is both simplest and fast enough for a municipal deployment.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::CreateDir { path: dir.display().to_string(), source })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations().to_latest(&mut conn)?;
        Ok(Store { conn: Arc::new(Mutex::new(conn)) })
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
}
