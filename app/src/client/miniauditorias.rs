//! Miniauditorías on this device, kept and sent as numbered versions (`super::versioned`) in a
//! database of their own; and the barrio's session context (outline, hotspots, compromisos,
//! institutions), kept whenever it is read with signal so the session runs in the barrio
//! without any.

use rexie::{ObjectStore, Rexie};

use super::storage::StorageError;
use super::versioned::{Kept, CONTEXTOS};
use crate::model::miniauditoria::{ContextoMiniauditoria, Miniauditoria};

impl Kept for Miniauditoria {
    const STORE: &'static str = "miniauditorias";
    const URL: &'static str = "/api/v1/miniauditorias";

    async fn open() -> Result<Rexie, StorageError> {
        Ok(Rexie::builder("cartobarrio-miniauditorias")
            .version(1)
            .add_object_store(ObjectStore::new(Self::STORE).key_path("id"))
            .add_object_store(ObjectStore::new(CONTEXTOS).key_path("id"))
            .build()
            .await?)
    }
}

/// The barrio's form context: read from the server when there is signal (and kept), else the
/// copy kept here. `None`: never read on this device.
pub async fn contexto(barrio_id: i64) -> Option<ContextoMiniauditoria> {
    super::versioned::contexto::<Miniauditoria, ContextoMiniauditoria>(
        barrio_id,
        &format!("/api/v1/barrios/{barrio_id}/miniauditorias/contexto"),
    )
    .await
}
