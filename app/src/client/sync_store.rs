//! What syncing keeps in IndexedDB besides the records: the device's clock, the workshops it
//! takes part in (with where each one's pull stopped), the server's receipts for every version
//! sent, and when the last sync succeeded. Each write is one transaction.

use std::collections::BTreeMap;

use rexie::{Transaction, TransactionMode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::storage::{self, from_js, open, to_js, ChangeEntry, StorageError, CAUSES, CHANGES, MARKS, META, RECEIPTS, SOLUTIONS, WORKSHOPS};
use crate::model::{ChangeStatus, Hlc, Record, Workshop};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ClockRecord {
    key: String,
    hlc: Hlc,
}

pub(super) async fn read_clock(tx: &Transaction) -> Result<Option<Hlc>, StorageError> {
    let value = tx.store(META)?.get(JsValue::from_str("clock")).await?;
    Ok(value.map(from_js::<ClockRecord>).transpose()?.map(|c| c.hlc))
}

pub(super) async fn write_clock(tx: &Transaction, hlc: &Hlc) -> Result<(), StorageError> {
    tx.store(META)?.put(&to_js(&ClockRecord { key: "clock".into(), hlc: hlc.clone() })?, None).await?;
    Ok(())
}

/// The workshop this device draws each barrio for (the last one joined or prepared there).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActiveWorkshops {
    #[serde(default)]
    pub key: String,
    /// Barrio id (as text: IndexedDB keeps it as a JSON object) → workshop id.
    #[serde(default)]
    pub by_barrio: BTreeMap<String, Uuid>,
}

impl ActiveWorkshops {
    pub fn of(&self, barrio_id: i64) -> Option<Uuid> {
        self.by_barrio.get(&barrio_id.to_string()).copied()
    }
}

pub(super) async fn read_active(tx: &Transaction) -> Result<ActiveWorkshops, StorageError> {
    let value = tx.store(META)?.get(JsValue::from_str("active-workshops")).await?;
    Ok(value.map(from_js::<ActiveWorkshops>).transpose()?.unwrap_or_default())
}

/// A workshop kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredWorkshop {
    pub id: Uuid,
    pub workshop: Workshop,
    pub barrio_name: String,
    /// Prepared here (the facilitator's device) rather than joined by code.
    pub prepared_here: bool,
    pub joined_at_ms: i64,
    /// The pull cursor: changes of this workshop up to here are on the device.
    pub cursor: i64,
    /// This device's token for the workshop (sent as `Authorization: Bearer`): it lets the
    /// device send and pull offline-made changes without an account, until the workshop closes.
    #[serde(default)]
    pub token: Option<String>,
}


/// Keeps a workshop and makes it the one this device draws its barrio for.
pub async fn save_workshop(w: &StoredWorkshop) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[WORKSHOPS, META], TransactionMode::ReadWrite)?;
    let store = tx.store(WORKSHOPS)?;
    // Joining again keeps how far the pull had got.
    let mut w = w.clone();
    if let Some(old) = store.get(JsValue::from_str(&w.id.to_string())).await? {
        let old: StoredWorkshop = from_js(old)?;
        w.cursor = w.cursor.max(old.cursor);
        w.prepared_here |= old.prepared_here;
        if w.token.is_none() {
            w.token = old.token;
        }
    }
    store.put(&to_js(&w)?, None).await?;
    let mut active = read_active(&tx).await?;
    active.key = "active-workshops".into();
    active.by_barrio.insert(w.workshop.barrio_id.to_string(), w.id);
    tx.store(META)?.put(&to_js(&active)?, None).await?;
    tx.done().await?;
    Ok(())
}

/// Every workshop on the device, newest first.
pub async fn workshops() -> Result<Vec<StoredWorkshop>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[WORKSHOPS], TransactionMode::ReadOnly)?;
    let mut out: Vec<StoredWorkshop> = storage::many_from_js(tx.store(WORKSHOPS)?.get_all(None, None).await?)?;
    out.sort_by(|a, b| b.workshop.date.cmp(&a.workshop.date).then(b.joined_at_ms.cmp(&a.joined_at_ms)));
    Ok(out)
}

/// The workshop this device draws `barrio_id` for, if any.
pub async fn active_workshop(barrio_id: i64) -> Result<Option<StoredWorkshop>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[WORKSHOPS, META], TransactionMode::ReadOnly)?;
    let Some(id) = read_active(&tx).await?.of(barrio_id) else { return Ok(None) };
    tx.store(WORKSHOPS)?.get(JsValue::from_str(&id.to_string())).await?.map(from_js).transpose()
}

/// The server's confirmation of one version: kept for good, so the device can say which of
/// its records the server holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The version's outbox key.
    pub key: String,
    pub kind: String,
    pub id: Uuid,
    pub version: u32,
    pub barrio_id: i64,
    pub status: ChangeStatus,
    pub confirmed_at_ms: i64,
}

/// What one batch's answer did to the queue.
pub enum Settled {
    /// The server confirmed this version: it leaves the queue, with a receipt.
    Confirmed(ChangeEntry, ChangeStatus),
    /// The server refused it, for this reason: it stays, marked, and is not retried alone.
    Refused(ChangeEntry, String),
    /// No valid answer for it: it stays queued, one more attempt counted.
    Unanswered(ChangeEntry),
}

/// Applies a batch's answer to the queue in one transaction.
pub async fn settle(settled: Vec<Settled>) -> Result<(), StorageError> {
    let now = super::device::now_ms();
    let mut receipts = Vec::new();
    let mut confirmed = Vec::new();
    let mut kept = Vec::new();
    for s in settled {
        match s {
            Settled::Confirmed(entry, status) => {
                let r = &entry.record;
                let receipt = Receipt {
                    key: entry.key.clone(),
                    kind: r.kind().into(),
                    id: r.id(),
                    version: r.version(),
                    barrio_id: r.barrio_id(),
                    status,
                    confirmed_at_ms: now,
                };
                receipts.push((to_js(&receipt)?, None));
                confirmed.push(JsValue::from_str(&entry.key));
            }
            Settled::Refused(mut entry, reason) => {
                entry.attempts += 1;
                entry.rejected = Some(reason);
                kept.push((to_js(&entry)?, None));
            }
            Settled::Unanswered(mut entry) => {
                entry.attempts += 1;
                kept.push((to_js(&entry)?, None));
            }
        }
    }
    let db = open().await?;
    let tx = db.transaction(&[CHANGES, RECEIPTS], TransactionMode::ReadWrite)?;
    let (changes, receipts_store) = (tx.store(CHANGES)?, tx.store(RECEIPTS)?);
    // All requests go out at once and the transaction commits them together: a page of 250
    // costs one round through the browser's event loop, not 500.
    receipts_store.put_all(receipts.into_iter()).await?;
    changes.put_all(kept.into_iter()).await?;
    futures::future::try_join_all(confirmed.into_iter().map(|key| changes.delete(key))).await?;
    tx.done().await?;
    Ok(())
}

/// Every receipt on the device.
pub async fn receipts() -> Result<Vec<Receipt>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[RECEIPTS], TransactionMode::ReadOnly)?;
    storage::many_from_js(tx.store(RECEIPTS)?.get_all(None, None).await?)
}

/// Puts the refused versions back in the queue, to be tried again after the person fixed
/// what the server said. A device whose date was wrong stamped its versions ahead: those get
/// new clocks from the (now right) time, and the current copy of the record moves with them,
/// all in one transaction. Returns how many versions were redated.
pub async fn retry_refused() -> Result<usize, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[CHANGES, META, MARKS, CAUSES, SOLUTIONS], TransactionMode::ReadWrite)?;
    // Read in the same transaction: a version confirmed meanwhile must not come back.
    let queue = storage::outbox_in(&tx).await?;
    let store = tx.store(CHANGES)?;
    let node = storage::device_in(&tx).await?;
    let clock = read_clock(&tx).await?;
    let records: Vec<Record> = queue.iter().map(|e| e.record.clone()).collect();
    let (redated, new_clock) = crate::model::sync::redated(&records, clock.as_ref(), super::device::now_ms(), &node);
    let mut moved = 0;
    for (mut entry, new) in queue.into_iter().zip(redated) {
        match new {
            Some(record) => {
                let (current, row) = storage::current_row(&record)?;
                let current = tx.store(current)?;
                // Only when the copy shown is this very version: a later one stays.
                let shown = current.get(JsValue::from_str(&record.id().to_string())).await?;
                let shown_hlc = shown.and_then(|v| js_sys::Reflect::get(&v, &JsValue::from_str("hlc")).ok()).and_then(|h| h.as_string());
                if shown_hlc == entry.record.hlc().map(|h| h.to_string()) {
                    current.put(&row, None).await?;
                }
                store.delete(JsValue::from_str(&entry.key)).await?;
                let entry = ChangeEntry { key: record.key(), rejected: None, record, ..entry };
                store.put(&to_js(&entry)?, None).await?;
                moved += 1;
            }
            None if entry.rejected.take().is_some() => {
                store.put(&to_js(&entry)?, None).await?;
            }
            None => {}
        }
    }
    match &new_clock {
        Some(c) => write_clock(&tx, c).await?,
        None => tx.store(META)?.delete(JsValue::from_str("clock")).await?,
    }
    tx.done().await?;
    Ok(moved)
}

/// Stores versions pulled from the server (other devices' work in the workshop): each becomes
/// current here when it wins over what the device holds, exactly as on the server. Moves the
/// workshop's cursor and the device's clock in the same transaction. Returns the barrios whose
/// drawing changed.
pub async fn apply_pulled(workshop_id: Uuid, records: Vec<Record>, cursor: i64) -> Result<Vec<i64>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MARKS, CAUSES, SOLUTIONS, WORKSHOPS, META], TransactionMode::ReadWrite)?;
    let device = super::storage::device_in(&tx).await?;
    let mut clock = read_clock(&tx).await?;
    let mut changed = Vec::new();
    for record in records {
        clock = Some(Hlc::observe(clock.as_ref(), &record.clock(), &device));
        let (store_name, value) = super::storage::current_row(&record)?;
        let store = tx.store(store_name)?;
        let held = match store.get(JsValue::from_str(&record.id().to_string())).await? {
            None => None,
            Some(v) => Some(match &record {
                Record::Mark(_) => Record::Mark(from_js(v)?),
                Record::Cause(_) => Record::Cause(from_js(v)?),
                Record::Solution(_) => Record::Solution(from_js(v)?),
            }),
        };
        if held.as_ref().is_some_and(|h| *h == record || !record.wins_over(h)) {
            continue;
        }
        store.put(&value, None).await?;
        if !changed.contains(&record.barrio_id()) {
            changed.push(record.barrio_id());
        }
    }
    if let Some(c) = &clock {
        write_clock(&tx, c).await?;
    }
    let workshops = tx.store(WORKSHOPS)?;
    if let Some(v) = workshops.get(JsValue::from_str(&workshop_id.to_string())).await? {
        let mut w: StoredWorkshop = from_js(v)?;
        w.cursor = w.cursor.max(cursor);
        workshops.put(&to_js(&w)?, None).await?;
    }
    tx.done().await?;
    Ok(changed)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SyncRecord {
    #[serde(default)]
    key: String,
    last_ok_ms: Option<i64>,
}

/// When this device last finished a sync with nothing left unanswered.
pub async fn last_ok() -> Result<Option<i64>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let value = tx.store(META)?.get(JsValue::from_str("sync")).await?;
    Ok(value.map(from_js::<SyncRecord>).transpose()?.and_then(|s| s.last_ok_ms))
}

pub async fn set_last_ok(ms: i64) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    tx.store(META)?.put(&to_js(&SyncRecord { key: "sync".into(), last_ok_ms: Some(ms) })?, None).await?;
    tx.done().await?;
    Ok(())
}
