//! Wiping a shared device (issue 9): a workshop's data, or everything a participant left, goes
//! from IndexedDB in one transaction, and only if nothing in it is still waiting for the
//! server — the check and the deletion see the same data, so nothing drawn meanwhile is lost.

use rexie::TransactionMode;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::storage::{from_js, open, outbox_in, StorageError, CAUSES, CHANGES, MARKS, META, RECEIPTS, SOLUTIONS, WORKSHOPS};
use super::sync_store::{ActiveWorkshops, Receipt};
use crate::model::hygiene::{Unsent, WipeScope};
use crate::model::{Cause, Mark, Solution};

#[derive(Debug, thiserror::Error)]
pub enum WipeError {
    #[error("{}", .0.message_es())]
    Unsent(Unsent),
    #[error("No se pudo borrar: {0}")]
    Storage(#[from] StorageError),
    #[error("Quedan {0} fotos o notas de voz por enviar. Conéctese y espere a que se envíen; después podrá borrar.")]
    MediaUnsent(usize),
}

impl From<rexie::Error> for WipeError {
    fn from(e: rexie::Error) -> Self {
        WipeError::Storage(e.into())
    }
}

/// Deletes the rows of `store` whose record `in_scope` says; their ids.
async fn delete_where<T: for<'de> serde::Deserialize<'de>>(
    tx: &rexie::Transaction,
    store: &str,
    id_of: impl Fn(&T) -> Uuid,
    in_scope: impl Fn(&T) -> bool,
) -> Result<Vec<Uuid>, WipeError> {
    let s = tx.store(store)?;
    let mut gone = Vec::new();
    for value in s.get_all(None, None).await? {
        let row: T = from_js(value)?;
        if in_scope(&row) {
            let id = id_of(&row);
            s.delete(JsValue::from_str(&id.to_string())).await?;
            gone.push(id);
        }
    }
    Ok(gone)
}

/// Wipes `scope` from this device; how many records went. Refused, with nothing touched,
/// while any change in it is unsent or refused.
pub async fn wipe(scope: WipeScope) -> Result<usize, WipeError> {
    // Photos and notes live in a database of their own: checked first, removed once the
    // records went, so a refusal leaves both as they were.
    match super::media::unsent_in(scope).await? {
        0 => {}
        n => return Err(WipeError::MediaUnsent(n)),
    }
    let db = open().await?;
    let tx = db.transaction(&[MARKS, CAUSES, SOLUTIONS, CHANGES, RECEIPTS, WORKSHOPS, META], TransactionMode::ReadWrite)?;
    let queue = outbox_in(&tx).await?;
    if let Some(unsent) = Unsent::of(scope, queue.iter().map(|e| (e.record.workshop_id(), e.rejected.is_some()))) {
        return Err(WipeError::Unsent(unsent));
    }
    let mut gone = delete_where::<Mark>(&tx, MARKS, |m| m.id, |m| scope.covers(m.workshop_id)).await?;
    gone.extend(delete_where::<Cause>(&tx, CAUSES, |c| c.id, |c| scope.covers(c.workshop_id)).await?);
    gone.extend(delete_where::<Solution>(&tx, SOLUTIONS, |s| s.id, |s| scope.covers(s.workshop_id)).await?);
    // The server's receipts of what went: kept only to say what it holds of records still here.
    let receipts = tx.store(RECEIPTS)?;
    for value in receipts.get_all(None, None).await? {
        let r: Receipt = from_js(value)?;
        if scope == WipeScope::Everything || gone.contains(&r.id) {
            receipts.delete(JsValue::from_str(&r.key)).await?;
        }
    }
    let workshops = tx.store(WORKSHOPS)?;
    let meta = tx.store(META)?;
    match scope {
        WipeScope::Workshop(id) => {
            workshops.delete(JsValue::from_str(&id.to_string())).await?;
            if let Some(value) = meta.get(JsValue::from_str("active-workshops")).await? {
                let mut active: ActiveWorkshops = from_js(value)?;
                active.by_barrio.retain(|_, w| *w != id);
                if active.by_barrio.is_empty() {
                    meta.delete(JsValue::from_str("active-workshops")).await?;
                } else {
                    meta.put(&super::storage::to_js(&active)?, None).await?;
                }
            }
        }
        WipeScope::Everything => {
            workshops.clear().await?;
            meta.delete(JsValue::from_str("active-workshops")).await?;
        }
    }
    // The aliases typed on this device name the people who used it.
    meta.delete(JsValue::from_str("participant")).await?;
    tx.done().await?;
    super::media::wipe(scope).await?;
    Ok(gone.len())
}
