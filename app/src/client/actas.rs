//! Actas on this device: each saved to IndexedDB (a database of its own, so the participants'
//! schema never changes for it) before the page says so, then sent; what the server has not
//! confirmed is sent again whenever a page of the route opens or the signal comes back.

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::storage::{from_js, to_js, StorageError};
use crate::model::acta::Acta;

const DB_NAME: &str = "cartobarrio-actas";
const DB_VERSION: u32 = 1;
const ACTAS: &str = "actas";

/// An acta as kept here: its latest version, and whether the server confirmed that version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalActa {
    /// The acta's id as text: the store's key.
    pub id: String,
    pub acta: Acta,
    pub sent: bool,
    /// The server's words when it refused this version (it stays here until fixed).
    #[serde(default)]
    pub refused: Option<String>,
}

async fn open() -> Result<Rexie, StorageError> {
    Ok(Rexie::builder(DB_NAME).version(DB_VERSION).add_object_store(ObjectStore::new(ACTAS).key_path("id")).build().await?)
}

/// Keeps `acta` (unsent) and returns once IndexedDB has it.
pub async fn save(acta: &Acta) -> Result<(), StorageError> {
    write(&LocalActa { id: acta.id.to_string(), acta: acta.clone(), sent: false, refused: None }).await
}

async fn write(local: &LocalActa) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[ACTAS], TransactionMode::ReadWrite)?;
    tx.store(ACTAS)?.put(&to_js(local)?, None).await?;
    tx.done().await?;
    Ok(())
}

pub async fn get(id: Uuid) -> Result<Option<LocalActa>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[ACTAS], TransactionMode::ReadOnly)?;
    let value = tx.store(ACTAS)?.get(to_js(&id.to_string())?).await?;
    value.map(from_js).transpose()
}

/// Every acta of the barrio kept here.
pub async fn of_barrio(barrio_id: i64) -> Result<Vec<LocalActa>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[ACTAS], TransactionMode::ReadOnly)?;
    let all = tx.store(ACTAS)?.get_all(None, None).await?;
    let mut kept: Vec<LocalActa> = all.into_iter().map(from_js).collect::<Result<_, _>>()?;
    kept.retain(|l| l.acta.barrio_id == barrio_id);
    Ok(kept)
}

/// What happened to one send.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Confirmed,
    /// No connection, or the server could not answer: it stays waiting.
    Waiting,
    Refused(String),
}

/// Sends one kept acta and writes down the answer. Only a confirmation of this very version
/// marks it sent: an edit saved meanwhile stays waiting.
pub async fn send(local: LocalActa) -> Sent {
    let request = match crate::client::session::post("/api/v1/actas").json(&local.acta) {
        Ok(r) => r,
        Err(e) => return Sent::Refused(e.to_string()),
    };
    let outcome = match request.send().await {
        Err(_) => return Sent::Waiting,
        Ok(r) if r.ok() => Sent::Confirmed,
        Ok(r) if r.status() >= 500 || r.status() == 401 => return Sent::Waiting,
        Ok(r) => Sent::Refused(crate::client::session::refusal(r).await),
    };
    let Ok(Some(now)) = get(local.acta.id).await else { return outcome };
    if now.acta.version != local.acta.version {
        return Sent::Waiting;
    }
    let updated = match &outcome {
        Sent::Confirmed => LocalActa { sent: true, refused: None, ..now },
        Sent::Refused(why) => LocalActa { refused: Some(why.clone()), ..now },
        Sent::Waiting => now,
    };
    if write(&updated).await.is_err() {
        return Sent::Waiting;
    }
    outcome
}

/// Sends every acta of the barrio the server has not confirmed; how many are still waiting.
pub async fn send_waiting(barrio_id: i64) -> usize {
    let Ok(kept) = of_barrio(barrio_id).await else { return 0 };
    let mut waiting = 0;
    for local in kept.into_iter().filter(|l| !l.sent && l.refused.is_none()) {
        if send(local).await != Sent::Confirmed {
            waiting += 1;
        }
    }
    waiting
}
