//! Fichas de intervención on this device, kept and sent as numbered versions
//! (`super::versioned`) in a database of their own; and the barrio's form context
//! (institutions, places, compromisos), kept whenever it is read with signal so a ficha can be
//! filled in the barrio without any.

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};

use super::storage::{from_js, to_js, StorageError};
use super::versioned::Kept;
use crate::model::intervencion::{ContextoFicha, FichaIntervencion};

const CONTEXTOS: &str = "contextos";

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

/// A barrio's form context as last read, keyed by the barrio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LocalContexto {
    id: String,
    contexto: ContextoFicha,
    read_at_ms: i64,
}

/// The barrio's form context: read from the server when there is signal (and kept), else the
/// copy kept here. `None`: never read on this device.
pub async fn contexto(barrio_id: i64) -> Option<ContextoFicha> {
    let key = format!("barrio-{barrio_id}");
    let db = FichaIntervencion::open().await.ok()?;
    if let Ok(fresh) = super::session::get_json::<ContextoFicha>(&format!("/api/v1/barrios/{barrio_id}/intervenciones/contexto")).await {
        let kept = LocalContexto { id: key, contexto: fresh.clone(), read_at_ms: super::device::now_ms() };
        if let (Ok(tx), Ok(value)) = (db.transaction(&[CONTEXTOS], TransactionMode::ReadWrite), to_js(&kept)) {
            if let Ok(store) = tx.store(CONTEXTOS) {
                let _ = store.put(&value, None).await;
            }
            let _ = tx.done().await;
        }
        return Some(fresh);
    }
    let tx = db.transaction(&[CONTEXTOS], TransactionMode::ReadOnly).ok()?;
    let value = tx.store(CONTEXTOS).ok()?.get(to_js(&key).ok()?).await.ok()??;
    from_js::<LocalContexto>(value).ok().map(|l| l.contexto)
}
