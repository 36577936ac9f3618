//! Documents written on this device and sent as numbered versions (actas, fichas de
//! intervención): each saved to IndexedDB before the page says so, then sent; only the
//! server's confirmation of that very version marks it sent, and what waits is sent again
//! whenever a page of the route opens with signal.

use std::future::Future;

use rexie::{Rexie, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::storage::{from_js, to_js, StorageError};
use crate::model::versioned::Versioned;

/// The object store, in each kind's database, of the form context kept per barrio.
pub const CONTEXTOS: &str = "contextos";

/// A kind of document kept on the device: where it lives and where it is sent.
pub trait Kept: Versioned + Serialize + DeserializeOwned {
    /// The object store in [`Kept::open`]'s database, keyed by the document's id as text.
    const STORE: &'static str;
    /// The API path a version is POSTed to.
    const URL: &'static str;
    /// Opens the database of this kind (a database of its own: the participants' never
    /// changes for it), with [`CONTEXTOS`] beside [`Kept::STORE`].
    fn open() -> impl Future<Output = Result<Rexie, StorageError>>;
}

/// A document as kept here: its latest version, and whether the server confirmed that version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Local<T> {
    /// The document's id as text: the store's key.
    pub id: String,
    /// Actas kept before this module was shared name it `acta`.
    #[serde(alias = "acta")]
    pub doc: T,
    pub sent: bool,
    /// The server's words when it refused this version (it stays here until fixed).
    #[serde(default)]
    pub refused: Option<String>,
}

impl<T: Kept> Local<T> {
    /// `doc` as just saved here, not yet sent.
    pub fn unsent(doc: T) -> Local<T> {
        Local { id: doc.id().to_string(), doc, sent: false, refused: None }
    }
}

async fn write<T: Kept>(local: &Local<T>) -> Result<(), StorageError> {
    let db = T::open().await?;
    let tx = db.transaction(&[T::STORE], TransactionMode::ReadWrite)?;
    tx.store(T::STORE)?.put(&to_js(local)?, None).await?;
    tx.done().await?;
    Ok(())
}

/// Keeps `doc` (unsent) and returns once IndexedDB has it.
pub async fn save<T: Kept>(doc: &T) -> Result<(), StorageError> {
    write(&Local::unsent(doc.clone())).await
}

pub async fn get<T: Kept>(id: Uuid) -> Result<Option<Local<T>>, StorageError> {
    let db = T::open().await?;
    let tx = db.transaction(&[T::STORE], TransactionMode::ReadOnly)?;
    let value = tx.store(T::STORE)?.get(to_js(&id.to_string())?).await?;
    value.map(from_js).transpose()
}

/// Every document of the barrio kept here.
pub async fn of_barrio<T: Kept>(barrio_id: i64) -> Result<Vec<Local<T>>, StorageError> {
    let db = T::open().await?;
    let tx = db.transaction(&[T::STORE], TransactionMode::ReadOnly)?;
    let all = tx.store(T::STORE)?.get_all(None, None).await?;
    let mut kept: Vec<Local<T>> = all.into_iter().map(from_js).collect::<Result<_, _>>()?;
    kept.retain(|l| l.doc.barrio_id() == barrio_id);
    Ok(kept)
}

/// The barrio's documents kept here as `(doc, sent, refused)`, for
/// [`merge_lines`](crate::model::versioned::merge_lines).
pub async fn kept_lines<T: Kept>(barrio_id: i64) -> Vec<(T, bool, Option<String>)> {
    of_barrio::<T>(barrio_id).await.unwrap_or_default().into_iter().map(|l| (l.doc, l.sent, l.refused)).collect()
}

/// What happened to one send.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Confirmed,
    /// No connection, or the server could not answer: it stays waiting.
    Waiting,
    Refused(String),
}

impl Sent {
    /// What the form says after saving: whether all is well, and the words.
    pub fn said(&self, what: &str) -> (bool, String) {
        match self {
            Sent::Confirmed => (true, format!("{what} y enviada al servidor.")),
            Sent::Waiting => (true, format!("{what} en este dispositivo. Sin conexión: se enviará al volver la señal.")),
            Sent::Refused(why) => (false, format!("{what} en este dispositivo, pero el servidor no la recibió: {why}")),
        }
    }
}

/// Sends one kept document and writes down the answer. Only a confirmation of this very
/// version marks it sent: an edit saved meanwhile stays waiting.
pub async fn send<T: Kept>(local: Local<T>) -> Sent {
    let request = match super::session::post(T::URL).json(&local.doc) {
        Ok(r) => r,
        Err(e) => return Sent::Refused(e.to_string()),
    };
    let outcome = match request.send().await {
        Err(_) => return Sent::Waiting,
        Ok(r) if r.ok() => Sent::Confirmed,
        Ok(r) if r.status() >= 500 || r.status() == 401 => return Sent::Waiting,
        Ok(r) => Sent::Refused(super::session::refusal(r).await),
    };
    let Ok(Some(now)) = get::<T>(local.doc.id()).await else { return outcome };
    if now.doc.version() != local.doc.version() {
        return Sent::Waiting;
    }
    let updated = match &outcome {
        Sent::Confirmed => Local { sent: true, refused: None, ..now },
        Sent::Refused(why) => Local { refused: Some(why.clone()), ..now },
        Sent::Waiting => now,
    };
    if write(&updated).await.is_err() {
        return Sent::Waiting;
    }
    outcome
}

/// Sends every document of the barrio the server has not confirmed; how many still wait.
pub async fn send_waiting<T: Kept>(barrio_id: i64) -> usize {
    let Ok(kept) = of_barrio::<T>(barrio_id).await else { return 0 };
    let mut waiting = 0;
    for local in kept.into_iter().filter(|l| !l.sent && l.refused.is_none()) {
        if send(local).await != Sent::Confirmed {
            waiting += 1;
        }
    }
    waiting
}

/// The barrio's documents of this kind for a list, one line each: what waits here is sent
/// first, then the server's copies (`/api/v1/barrios/{id}/` and the kind's last URL segment) and
/// this device's are merged. Without signal, this device's only.
pub async fn lines<T: Kept>(barrio_id: i64) -> Vec<crate::model::versioned::Line<T>> {
    send_waiting::<T>(barrio_id).await;
    let local = kept_lines::<T>(barrio_id).await;
    let kind = T::URL.rsplit('/').next().unwrap_or_default();
    let server: Vec<T> = super::session::get_json(&format!("/api/v1/barrios/{barrio_id}/{kind}")).await.unwrap_or_default();
    crate::model::versioned::merge_lines(server, local)
}

/// The document `id`: this device's copy if it has one (it may be newer), else the server's
/// (read from `{T::URL}/{id}`).
pub async fn load<T: Kept>(id: Uuid) -> Option<T> {
    let local = get::<T>(id).await.ok().flatten().map(|l| l.doc);
    let server: Option<T> = super::session::get_json(&format!("{}/{id}", T::URL)).await.ok();
    crate::model::versioned::newer(local, server)
}

/// A barrio's form context as last read, keyed by the barrio.
#[derive(Serialize, Deserialize)]
struct LocalContexto<C> {
    id: String,
    contexto: C,
    read_at_ms: i64,
}

/// What a form of kind `T` offers in barrio `barrio_id`, read from `url` when there is signal
/// (and kept in `T`'s database), else the copy kept here. `None`: never read on this device.
pub async fn contexto<T: Kept, C: Serialize + DeserializeOwned + Clone>(barrio_id: i64, url: &str) -> Option<C> {
    let key = format!("barrio-{barrio_id}");
    let db = T::open().await.ok()?;
    if let Ok(fresh) = super::session::get_json::<C>(url).await {
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
    from_js::<LocalContexto<C>>(value).ok().map(|l| l.contexto)
}
