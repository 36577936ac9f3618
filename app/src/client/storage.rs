//! The device's store in IndexedDB (through `rexie`): every mark, and the outbox of marks the
//! server has not yet confirmed. A mark is shown as saved only after its transaction completes.

use rexie::{Index, KeyRange, ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::model::Mark;

const DB_NAME: &str = "cartobarrio";
/// Bump with every schema change, and declare every store each time: rexie deletes stores
/// that a new version does not declare. Opening an older database adds what is missing and
/// keeps every record; data changes a version needs run in `migrate` after the open.
///
/// - 1: `marks` (key `id`, index `barrio_id`), `outbox` (key `mark_id`)
/// - 2: adds `meta` (key `key`), holding this device's id
/// - 3: adds `packs` (key `barrio_id`), the barrio packs kept for offline use
const DB_VERSION: u32 = 3;
const MARKS: &str = "marks";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const PACKS: &str = "packs";

thread_local! {
    static MIGRATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("IndexedDB: {0}")]
    Idb(String),
    #[error("stored data could not be read: {0}")]
    Decode(String),
}

impl From<rexie::Error> for StorageError {
    fn from(e: rexie::Error) -> Self {
        // rexie's Display is only "idb error"; the Debug form says what happened.
        StorageError::Idb(format!("{e:?}"))
    }
}

/// An entry of the outbox: a mark waiting for the server's confirmation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mark_id: String,
    pub queued_at_ms: i64,
    pub attempts: u32,
    /// The server's reason when it refused the mark; such marks are not retried by themselves.
    pub rejected: Option<String>,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| StorageError::Decode(e.to_string()))
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, StorageError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| StorageError::Decode(e.to_string()))
}

/// This device's identity, made once and kept in `meta`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub key: String,
    pub device_id: String,
    pub created_at_ms: i64,
}

pub async fn open() -> Result<Rexie, StorageError> {
    let db = Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(MARKS).key_path("id").add_index(Index::new("barrio_id", "barrio_id")))
        .add_object_store(ObjectStore::new(OUTBOX).key_path("mark_id"))
        .add_object_store(ObjectStore::new(META).key_path("key"))
        .add_object_store(ObjectStore::new(PACKS).key_path("barrio_id"))
        .build()
        .await?;
    if !MIGRATED.with(|m| m.get()) {
        migrate(&db).await?;
        MIGRATED.with(|m| m.set(true));
    }
    Ok(db)
}

/// Data migrations after the schema upgrade. From 1 to 2: give the device its id.
async fn migrate(db: &Rexie) -> Result<(), StorageError> {
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    let meta = tx.store(META)?;
    if meta.get(JsValue::from_str("device")).await?.is_none() {
        let record = DeviceRecord {
            key: "device".into(),
            device_id: super::device::new_id().to_string(),
            created_at_ms: super::device::now_ms(),
        };
        meta.put(&to_js(&record)?, None).await?;
    }
    tx.done().await?;
    Ok(())
}

/// The id this device was given when its database was created or upgraded.
pub async fn device_id() -> Result<String, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let value = tx.store(META)?.get(JsValue::from_str("device")).await?;
    let record: DeviceRecord = from_js(value.ok_or_else(|| StorageError::Decode("no device record".into()))?)?;
    Ok(record.device_id)
}

/// Saves a new mark and queues it for sending, in one transaction: both or neither.
pub async fn save_new_mark(mark: &Mark) -> Result<(), StorageError> {
    mark.check_properties().map_err(|e| StorageError::Decode(e.to_string()))?;
    let db = open().await?;
    let tx = db.transaction(&[MARKS, OUTBOX], TransactionMode::ReadWrite)?;
    let entry = OutboxEntry { mark_id: mark.id.to_string(), queued_at_ms: mark.created_at_ms, attempts: 0, rejected: None };
    tx.store(MARKS)?.put(&to_js(mark)?, None).await?;
    tx.store(OUTBOX)?.put(&to_js(&entry)?, None).await?;
    tx.done().await?;
    Ok(())
}

pub async fn marks_for_barrio(barrio_id: i64) -> Result<Vec<Mark>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MARKS], TransactionMode::ReadOnly)?;
    let key = KeyRange::only(&JsValue::from_f64(barrio_id as f64)).map_err(|e| StorageError::Idb(format!("{e:?}")))?;
    let values = tx.store(MARKS)?.index("barrio_id")?.get_all(Some(key), None).await?;
    let mut marks = values.into_iter().map(from_js::<Mark>).collect::<Result<Vec<_>, _>>()?;
    marks.sort_by_key(|m| (m.created_at_ms, m.id));
    Ok(marks)
}

/// The outbox with each entry's mark, oldest first.
pub async fn outbox() -> Result<Vec<(OutboxEntry, Mark)>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MARKS, OUTBOX], TransactionMode::ReadOnly)?;
    let entries = tx.store(OUTBOX)?.get_all(None, None).await?;
    let marks = tx.store(MARKS)?;
    let mut out = Vec::with_capacity(entries.len());
    for value in entries {
        let entry: OutboxEntry = from_js(value)?;
        if let Some(mark) = marks.get(JsValue::from_str(&entry.mark_id)).await? {
            out.push((entry, from_js(mark)?));
        }
    }
    out.sort_by_key(|(e, _)| e.queued_at_ms);
    Ok(out)
}

/// The server confirmed the mark by id: it leaves the outbox (the mark itself stays).
pub async fn confirm_sent(mark_id: &str) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[OUTBOX], TransactionMode::ReadWrite)?;
    tx.store(OUTBOX)?.delete(JsValue::from_str(mark_id)).await?;
    tx.done().await?;
    Ok(())
}

/// Records a failed attempt, and the server's reason if it refused the mark.
pub async fn record_attempt(mut entry: OutboxEntry, rejected: Option<String>) -> Result<(), StorageError> {
    entry.attempts += 1;
    entry.rejected = rejected;
    let db = open().await?;
    let tx = db.transaction(&[OUTBOX], TransactionMode::ReadWrite)?;
    tx.store(OUTBOX)?.put(&to_js(&entry)?, None).await?;
    tx.done().await?;
    Ok(())
}

/// A barrio pack kept on the device. The pack stays as the JSON the server sent: parsing it
/// is only needed when its map is opened, and the stored size is then exactly the download's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPack {
    pub barrio_id: i64,
    pub barrio_name: String,
    pub version: i64,
    pub format: u32,
    pub bytes: i64,
    pub saved_at_ms: i64,
    pub json: String,
}

/// What the list shows of a stored pack, without its (large) JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct PackOnDevice {
    pub barrio_id: i64,
    pub barrio_name: String,
    pub version: i64,
    pub format: u32,
    pub bytes: i64,
    pub saved_at_ms: i64,
}

impl From<&StoredPack> for PackOnDevice {
    fn from(p: &StoredPack) -> Self {
        PackOnDevice {
            barrio_id: p.barrio_id,
            barrio_name: p.barrio_name.clone(),
            version: p.version,
            format: p.format,
            bytes: p.bytes,
            saved_at_ms: p.saved_at_ms,
        }
    }
}

/// Keeps (or replaces) a barrio's pack; done when the transaction has committed.
pub async fn save_pack(pack: &StoredPack) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[PACKS], TransactionMode::ReadWrite)?;
    tx.store(PACKS)?.put(&to_js(pack)?, None).await?;
    tx.done().await?;
    Ok(())
}

pub async fn pack(barrio_id: i64) -> Result<Option<StoredPack>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[PACKS], TransactionMode::ReadOnly)?;
    let value = tx.store(PACKS)?.get(JsValue::from_f64(barrio_id as f64)).await?;
    value.map(from_js).transpose()
}

/// Every pack on the device, by barrio name.
pub async fn packs() -> Result<Vec<PackOnDevice>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[PACKS], TransactionMode::ReadOnly)?;
    let values = tx.store(PACKS)?.get_all(None, None).await?;
    let mut out = values.into_iter().map(|v| from_js::<StoredPack>(v).map(|p| PackOnDevice::from(&p))).collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.barrio_name.cmp(&b.barrio_name));
    Ok(out)
}

/// Removes a barrio's pack. Its marks stay: they are not part of the pack.
pub async fn delete_pack(barrio_id: i64) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[PACKS], TransactionMode::ReadWrite)?;
    tx.store(PACKS)?.delete(JsValue::from_f64(barrio_id as f64)).await?;
    tx.done().await?;
    Ok(())
}

/// Who is drawing on this device now, and the aliases used on it before (most recent first),
/// so a shared tablet can switch between participants with one tap. Kept in `meta`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ParticipantRecord {
    pub key: String,
    pub current: String,
    pub recent: Vec<String>,
}

/// How many earlier aliases a device offers.
const RECENT_ALIASES: usize = 8;

pub async fn participant() -> Result<ParticipantRecord, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    let value = tx.store(META)?.get(JsValue::from_str("participant")).await?;
    value.map(from_js).transpose().map(Option::unwrap_or_default)
}

/// Makes `alias` the current participant (empty: nobody in particular) and remembers it.
pub async fn set_participant(alias: &str) -> Result<ParticipantRecord, StorageError> {
    crate::model::mark::check_alias(alias).map_err(|e| StorageError::Decode(e.to_string()))?;
    let mut record = participant().await?;
    record.key = "participant".into();
    record.current = alias.to_string();
    if !alias.is_empty() {
        record.recent.retain(|a| a != alias);
        record.recent.insert(0, alias.to_string());
        record.recent.truncate(RECENT_ALIASES);
    }
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    tx.store(META)?.put(&to_js(&record)?, None).await?;
    tx.done().await?;
    Ok(record)
}
