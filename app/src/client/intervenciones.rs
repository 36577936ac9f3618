//! Fichas de intervención on this device, kept and sent as numbered versions
//! (`super::versioned`) in a database of their own; and the barrio's form context
//! (institutions, places, compromisos), kept whenever it is read with signal so a ficha can be
//! filled in the barrio without any.

use rexie::{ObjectStore, Rexie};

use super::storage::StorageError;
use super::versioned::{Kept, CONTEXTOS};
use crate::model::intervencion::{ContextoFicha, FichaIntervencion};

impl Kept for FichaIntervencion {
    const STORE: &'static str = "fichas";
    const URL: &'static str = "/api/v1/intervenciones";

    async fn open() -> Result<Rexie, StorageError> {
        Ok(Rexie::builder("cartobarrio-intervenciones")
            .version(1)
            .add_object_store(ObjectStore::new(Self::STORE).key_path("id"))
            .add_object_store(ObjectStore::new(CONTEXTOS).key_path("id"))
            .build()
            .await?)
    }
}

/// The barrio's form context: read from the server when there is signal (and kept), else the
/// copy kept here. `None`: never read on this device.
pub async fn contexto(barrio_id: i64) -> Option<ContextoFicha> {
    super::versioned::contexto::<FichaIntervencion, ContextoFicha>(
        barrio_id,
        &format!("/api/v1/barrios/{barrio_id}/intervenciones/contexto"),
    )
    .await
}
