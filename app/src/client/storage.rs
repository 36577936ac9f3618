//! The device's store in IndexedDB (through `rexie`): marks, causes and solutions (current
//! versions), and the outbox of versions the server has not yet confirmed. Anything is shown
//! as saved only after its transaction completes.

use rexie::{Index, KeyRange, ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::model::{Cause, Drawing, Mark, Record, Solution};

const DB_NAME: &str = "cartobarrio";
/// Bump with every schema change, and declare every store each time: rexie deletes stores
/// that a new version does not declare. Opening an older database adds what is missing and
/// keeps every record; data changes a version needs run in `migrate` after the open.
///
/// - 1: `marks` (key `id`, index `barrio_id`), `outbox` (key `mark_id`)
/// - 2: adds `meta` (key `key`), holding this device's id
/// - 3: adds `packs` (key `barrio_id`), the barrio packs kept for offline use
/// - 4: adds `causes` and `solutions` (key `id`, index `barrio_id`) and `changes` (key `key`,
///   one entry per unsent version of any record); entries of the old `outbox` move there
/// - 5: adds `receipts` (key `key`: the server's confirmation of each version sent) and
///   `workshops` (key `id`: workshops joined or prepared on this device, with their pull
///   cursor); `meta` gains the device's clock and the last successful sync
/// - 6: `changes` gains the index `rejected`, holding only the versions the server refused
///   (IndexedDB leaves out entries whose `rejected` is null), so both counts need no reading
const DB_VERSION: u32 = 6;
pub(super) const MARKS: &str = "marks";
/// Version 1–3's outbox of mark ids; emptied into `changes` on upgrade, kept so that an
/// older app still open in another tab finds its store.
const LEGACY_OUTBOX: &str = "outbox";
pub(super) const META: &str = "meta";
const PACKS: &str = "packs";
pub(super) const CAUSES: &str = "causes";
pub(super) const SOLUTIONS: &str = "solutions";
pub(super) const CHANGES: &str = "changes";
pub(super) const RECEIPTS: &str = "receipts";
pub(super) const WORKSHOPS: &str = "workshops";
const REFUSED_INDEX: &str = "rejected";

thread_local! {
    static MIGRATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("IndexedDB: {0}")]
    Idb(String),
    #[error("stored data could not be read: {0}")]
    Decode(String),
    #[error("{0}")]
    Invalid(String),
}

impl From<rexie::Error> for StorageError {
    fn from(e: rexie::Error) -> Self {
        // rexie's Display is only "idb error"; the Debug form says what happened.
        StorageError::Idb(format!("{e:?}"))
    }
}

/// Version 1–3's outbox entry: a mark id waiting for the server's confirmation.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LegacyOutboxEntry {
    mark_id: String,
    queued_at_ms: i64,
    attempts: u32,
    rejected: Option<String>,
}

/// An unsent version of a record. It leaves the outbox only when the server has confirmed
/// that id at that version and clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeEntry {
    /// `kind:id:version:clock` ([`Record::key`]).
    pub key: String,
    /// Sending order: when it was queued (ms) × 1000 + its place in the action.
    pub seq: f64,
    pub attempts: u32,
    /// The server's reason when it refused this version; such versions are not retried by
    /// themselves.
    pub rejected: Option<String>,
    pub record: Record,
}

pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| StorageError::Decode(e.to_string()))
}

/// Decodes a stored record. The browser writes it as JSON text and it is parsed here in one
/// go: decoding the JavaScript object field by field crossed into JavaScript for every field,
/// which made reading a busy barrio's thousand marks slow, and kept a second decoder of every
/// stored type in the download beside the JSON one the API needs anyway. The records were
/// written by [`to_js`], which keeps to what JSON can say.
pub(super) fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, StorageError> {
    let json = js_sys::JSON::stringify(&value).map_err(|e| StorageError::Decode(format!("{e:?}")))?;
    let json = JsValue::from(json).as_string().ok_or_else(|| StorageError::Decode("not a stored record".into()))?;
    serde_json::from_str(&json).map_err(|e| StorageError::Decode(e.to_string()))
}

/// [`from_js`] for many records at once: one JSON text for all of them.
pub(super) fn many_from_js<T: for<'de> Deserialize<'de>>(values: Vec<JsValue>) -> Result<Vec<T>, StorageError> {
    from_js(values.into_iter().collect::<js_sys::Array>().into())
}

/// This device's identity, made once and kept in `meta`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub key: String,
    pub device_id: String,
    pub created_at_ms: i64,
}

pub async fn open() -> Result<Rexie, StorageError> {
    let by_barrio = || Index::new("barrio_id", "barrio_id");
    let db = Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(MARKS).key_path("id").add_index(by_barrio()))
        .add_object_store(ObjectStore::new(LEGACY_OUTBOX).key_path("mark_id"))
        .add_object_store(ObjectStore::new(META).key_path("key"))
        .add_object_store(ObjectStore::new(PACKS).key_path("barrio_id"))
        .add_object_store(ObjectStore::new(CAUSES).key_path("id").add_index(by_barrio()))
        .add_object_store(ObjectStore::new(SOLUTIONS).key_path("id").add_index(by_barrio()))
        .add_object_store(ObjectStore::new(CHANGES).key_path("key").add_index(Index::new(REFUSED_INDEX, "rejected")))
        .add_object_store(ObjectStore::new(RECEIPTS).key_path("key"))
        .add_object_store(ObjectStore::new(WORKSHOPS).key_path("id"))
        .build()
        .await?;
    if !MIGRATED.with(|m| m.get()) {
        migrate(&db).await?;
        MIGRATED.with(|m| m.set(true));
    }
    Ok(db)
}

/// Data migrations after the schema upgrade. 1→2: give the device its id. 3→4: move the old
/// outbox's entries to `changes` (each as the mark's version 1), in one transaction.
async fn migrate(db: &Rexie) -> Result<(), StorageError> {
    let tx = db.transaction(&[META, MARKS, LEGACY_OUTBOX, CHANGES], TransactionMode::ReadWrite)?;
    let meta = tx.store(META)?;
    if meta.get(JsValue::from_str("device")).await?.is_none() {
        let record =
            DeviceRecord { key: "device".into(), device_id: super::device::new_id().to_string(), created_at_ms: super::device::now_ms() };
        meta.put(&to_js(&record)?, None).await?;
    }
    let legacy = tx.store(LEGACY_OUTBOX)?;
    let marks = tx.store(MARKS)?;
    let changes = tx.store(CHANGES)?;
    for value in legacy.get_all(None, None).await? {
        let old: LegacyOutboxEntry = from_js(value)?;
        if let Some(mark) = marks.get(JsValue::from_str(&old.mark_id)).await? {
            let record = Record::Mark(from_js::<Mark>(mark)?);
            let entry = ChangeEntry {
                key: record.key(),
                seq: old.queued_at_ms as f64 * 1000.0,
                attempts: old.attempts,
                rejected: old.rejected,
                record,
            };
            changes.put(&to_js(&entry)?, None).await?;
        }
        legacy.delete(JsValue::from_str(&old.mark_id)).await?;
    }
    tx.done().await?;
    Ok(())
}

/// The id this device was given when its database was created or upgraded.
pub async fn device_id() -> Result<String, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[META], TransactionMode::ReadOnly)?;
    device_in(&tx).await
}

/// [`device_id`] within a transaction that includes `meta`.
pub(super) async fn device_in(tx: &rexie::Transaction) -> Result<String, StorageError> {
    let value = tx.store(META)?.get(JsValue::from_str("device")).await?;
    let record: DeviceRecord = from_js(value.ok_or_else(|| StorageError::Decode("no device record".into()))?)?;
    Ok(record.device_id)
}

/// The store that holds a record's current version, and the record as IndexedDB keeps it.
pub(super) fn current_row(record: &Record) -> Result<(&'static str, JsValue), StorageError> {
    Ok(match record {
        Record::Mark(m) => (MARKS, to_js(m)?),
        Record::Cause(c) => (CAUSES, to_js(c)?),
        Record::Solution(s) => (SOLUTIONS, to_js(s)?),
    })
}

fn check(record: &Record) -> Result<(), StorageError> {
    use crate::model::Bilingual;
    match record {
        Record::Mark(m) => m.check_properties().map_err(|e| StorageError::Invalid(e.es())),
        Record::Cause(c) => c.check().map_err(|e| StorageError::Invalid(e.es())),
        Record::Solution(s) => s.check().map_err(|e| StorageError::Invalid(e.es())),
    }
}

/// Saves new versions of records (what one action changed) and queues each for sending, in
/// one transaction: all of them or none. Each version is stamped with the device's clock, and
/// a new record joins the workshop the device is drawing this barrio for. Returns the
/// versions as saved.
pub async fn save_records(records: &[Record]) -> Result<Vec<Record>, StorageError> {
    for r in records {
        check(r)?;
    }
    let db = open().await?;
    let tx = db.transaction(&[MARKS, CAUSES, SOLUTIONS, CHANGES, META], TransactionMode::ReadWrite)?;
    let now_ms = super::device::now_ms();
    let mut clock = super::sync_store::read_clock(&tx).await?;
    let device = device_in(&tx).await?;
    let active = super::sync_store::read_active(&tx).await?;
    let mut saved = Vec::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        let hlc = crate::model::Hlc::tick(clock.as_ref(), now_ms, &device);
        clock = Some(hlc.clone());
        let record = record.clone().stamped(hlc, active.of(record.barrio_id()));
        let (store, value) = current_row(&record)?;
        tx.store(store)?.put(&value, None).await?;
        let entry =
            ChangeEntry { key: record.key(), seq: now_ms as f64 * 1000.0 + i as f64, attempts: 0, rejected: None, record: record.clone() };
        tx.store(CHANGES)?.put(&to_js(&entry)?, None).await?;
        saved.push(record);
    }
    if let Some(c) = &clock {
        super::sync_store::write_clock(&tx, c).await?;
    }
    tx.done().await?;
    Ok(saved)
}

async fn by_barrio<T: for<'de> Deserialize<'de>>(db: &Rexie, store: &str, barrio_id: i64) -> Result<Vec<T>, StorageError> {
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let key = KeyRange::only(&JsValue::from_f64(barrio_id as f64)).map_err(|e| StorageError::Idb(format!("{e:?}")))?;
    let values = tx.store(store)?.index("barrio_id")?.get_all(Some(key), None).await?;
    many_from_js(values)
}

/// Everything drawn for a barrio on this device (tombstones included), oldest first.
pub async fn drawing_for_barrio(barrio_id: i64) -> Result<Drawing, StorageError> {
    let db = open().await?;
    let mut marks: Vec<Mark> = by_barrio(&db, MARKS, barrio_id).await?;
    let mut causes: Vec<Cause> = by_barrio(&db, CAUSES, barrio_id).await?;
    let mut solutions: Vec<Solution> = by_barrio(&db, SOLUTIONS, barrio_id).await?;
    marks.sort_by_key(|m| (m.created_at_ms, m.id));
    causes.sort_by_key(|c| (c.created_at_ms, c.id));
    solutions.sort_by_key(|s| (s.created_at_ms, s.id));
    Ok(Drawing { marks, causes, solutions })
}

/// The unsent versions, in the order they were made.
pub async fn outbox() -> Result<Vec<ChangeEntry>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[CHANGES], TransactionMode::ReadOnly)?;
    outbox_in(&tx).await
}

/// [`outbox`] within a transaction that includes `changes`.
pub(super) async fn outbox_in(tx: &rexie::Transaction) -> Result<Vec<ChangeEntry>, StorageError> {
    let values = tx.store(CHANGES)?.get_all(None, None).await?;
    let mut out: Vec<ChangeEntry> = many_from_js(values)?;
    out.sort_by(|a, b| a.seq.total_cmp(&b.seq).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}

/// How many versions wait to be sent, and how many of those the server refused: counted by
/// IndexedDB itself, so showing the count costs the same with 7 or 7,000 waiting.
pub async fn outbox_counts() -> Result<(u32, u32), StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[CHANGES], TransactionMode::ReadOnly)?;
    let store = tx.store(CHANGES)?;
    let all = store.count(None).await?;
    let refused = store.index(REFUSED_INDEX)?.count(None).await?;
    Ok((all.saturating_sub(refused), refused))
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
    let mut out: Vec<PackOnDevice> = many_from_js::<StoredPack>(values)?.iter().map(PackOnDevice::from).collect();
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

/// Every mark on the device, all barrios, current versions (tombstones included).
pub async fn all_marks() -> Result<Vec<Mark>, StorageError> {
    let db = open().await?;
    let tx = db.transaction(&[MARKS], TransactionMode::ReadOnly)?;
    many_from_js(tx.store(MARKS)?.get_all(None, None).await?)
}
