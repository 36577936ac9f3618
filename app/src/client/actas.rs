//! Actas on this device, kept and sent as numbered versions (`super::versioned`) in a database
//! of their own.

use rexie::{ObjectStore, Rexie};

use super::storage::StorageError;
use super::versioned::Kept;
use crate::model::acta::Acta;

impl Kept for Acta {
    const STORE: &'static str = "actas";
    const URL: &'static str = "/api/v1/actas";

    async fn open() -> Result<Rexie, StorageError> {
        Ok(Rexie::builder("cartobarrio-actas").version(1).add_object_store(ObjectStore::new(Self::STORE).key_path("id")).build().await?)
    }
}
