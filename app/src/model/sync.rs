//! The sync protocol between devices and the server (`/api/v1/sync`), as types both sides
//! share: batches of changes with a submission id, a result per change, receipts, and pages
//! of what other devices of the workshop sent.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use thiserror::Error;
use uuid::Uuid;

use super::clock::Hlc;
use super::drawing::Record;
use super::mark::{Mark, MarkError};
use super::tree::{cause_from_value, solution_from_value, TreeError};
use super::Bilingual;

/// The protocol this app speaks. 1 was one POST per record (`/api/v1/marks`, `/causes`,
/// `/solutions`), which the server still takes from devices not yet updated.
pub const PROTOCOL: u32 = 2;
/// The oldest protocol `/sync` takes; older devices are told to update, and keep everything
/// they hold until they do. Batches were born with protocol 2: a batch saying 1 is no device
/// of ours.
pub const OLDEST_PROTOCOL: u32 = 2;
/// Most changes in one batch: a device with more sends several pages.
pub const MAX_BATCH_CHANGES: usize = 250;
/// Most changes in one page of a pull.
pub const MAX_PULL_CHANGES: usize = 500;
/// How far ahead of the server's clock a version's clock may be. A device whose date is set
/// weeks ahead would otherwise win every conflict until that date.
pub const MAX_CLOCK_AHEAD_MS: i64 = 24 * 3_600_000;

/// One upload: changes made on a device, sent together. Resending the same batch (same
/// `submission_id`) after a lost answer gets the same answer and stores nothing twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub protocol: u32,
    pub submission_id: Uuid,
    pub device_id: Uuid,
    /// The workshop the device is drawing for; every change of a workshop record must name
    /// the same one.
    #[serde(default)]
    pub workshop_id: Option<Uuid>,
    /// Each `{"kind": "mark" | "cause" | "solution", "record": …}`, a mark as a GeoJSON
    /// Feature like `POST /api/v1/marks` takes it. Kept as raw JSON so that one malformed
    /// change is refused alone.
    pub changes: Vec<Value>,
}

/// What happened to one change of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Stored; a record never seen before.
    Created,
    /// Stored; now the record's current version.
    Updated,
    /// Stored before (a resend).
    AlreadyStored,
    /// Stored in the record's history; another version is current (it was made later, by
    /// the clock).
    History,
    /// Not stored, for the reason in `error`. Sending it again changes nothing.
    Refused,
}

impl ChangeStatus {
    pub fn stored(self) -> bool {
        self != ChangeStatus::Refused
    }
}

/// A refusal, in the same shape as every error of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub message_en: String,
    #[serde(default)]
    pub field: Option<String>,
}

/// The answer for one change, in the batch's order. A stored change's result is its
/// receipt: the id, version and clock the server holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeResult {
    pub status: ChangeStatus,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub hlc: Option<Hlc>,
    #[serde(default)]
    pub error: Option<ErrorBody>,
}

impl ChangeResult {
    /// Whether this result confirms that the server stored exactly `record`'s version: the
    /// only thing that lets a device take it out of its queue.
    pub fn confirms(&self, record: &Record) -> bool {
        self.status.stored()
            && self.kind.as_deref() == Some(record.kind())
            && self.id == Some(record.id())
            && self.version == Some(record.version())
            && self.hlc.as_ref() == Some(&record.clock())
    }

    pub fn stored(record: &Record, status: ChangeStatus) -> ChangeResult {
        ChangeResult {
            status,
            kind: Some(record.kind().into()),
            id: Some(record.id()),
            version: Some(record.version()),
            hlc: Some(record.clock()),
            error: None,
        }
    }
}

/// The answer to a batch, sent only after everything stored is committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchReply {
    pub protocol: u32,
    pub submission_id: Uuid,
    /// The server's clock when it answered, so a device can tell the person its date is off.
    pub server_time_ms: i64,
    pub results: Vec<ChangeResult>,
}

/// One page of the changes stored for a workshop, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullReply {
    /// Each `{"seq": n, "kind": …, "record": …}`, like a batch's changes plus their place.
    pub changes: Vec<Value>,
    /// Where the next page starts (`?after=`); the same as sent when nothing is new.
    pub cursor: i64,
    /// Whether more changes wait after this page.
    pub more: bool,
}

/// Why one change of a batch could not be read as a record.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ChangeError {
    #[error("the change is not an object with \"kind\" and \"record\"")]
    Malformed,
    #[error("unknown kind of record {0:?}")]
    UnknownKind(String),
    #[error(transparent)]
    Mark(#[from] MarkError),
    /// `of_cause`: whether the record was a cause (else a solution).
    #[error("{error}")]
    Tree { of_cause: bool, error: TreeError },
    /// A clock with no device: only versions from before clocks carry one, derived by the
    /// server, and a device must not pose as one of those.
    #[error("the version's clock names no device")]
    ClockWithoutDevice { of_mark: bool },
}

impl ChangeError {
    pub fn code(&self) -> &'static str {
        match self {
            ChangeError::Malformed => "malformed_change",
            ChangeError::UnknownKind(_) => "unknown_kind",
            ChangeError::Mark(e) => e.code(),
            ChangeError::Tree { error, .. } => error.code(),
            ChangeError::ClockWithoutDevice { .. } => "invalid_clock",
        }
    }
    pub fn field(&self) -> Option<String> {
        match self {
            ChangeError::Malformed => None,
            ChangeError::UnknownKind(_) => Some("kind".into()),
            ChangeError::Mark(e) => e.field().map(|f| format!("record.{f}")),
            ChangeError::Tree { of_cause, error } => error.field(*of_cause).map(|f| format!("record.{f}")),
            ChangeError::ClockWithoutDevice { of_mark: true } => Some("record.properties.hlc".into()),
            ChangeError::ClockWithoutDevice { of_mark: false } => Some("record.hlc".into()),
        }
    }
}

impl Bilingual for ChangeError {
    fn es(&self) -> String {
        match self {
            ChangeError::Malformed => "El cambio no es un objeto con «kind» y «record».".into(),
            ChangeError::UnknownKind(k) => format!("No existe el tipo de registro «{}».", k.chars().take(40).collect::<String>()),
            ChangeError::Mark(e) => e.es(),
            ChangeError::Tree { error, .. } => error.es(),
            ChangeError::ClockWithoutDevice { .. } => "El reloj de la versión no dice de qué dispositivo es.".into(),
        }
    }
    fn en(&self) -> String {
        match self {
            ChangeError::Mark(e) => e.en(),
            ChangeError::Tree { error, .. } => error.en(),
            other => super::sentence(other),
        }
    }
}

/// A record version as a change of a batch (and of a pull page).
pub fn change_json(record: &Record) -> Value {
    let body = match record {
        Record::Mark(m) => serde_json::to_value(m.to_feature()),
        Record::Cause(c) => serde_json::to_value(c),
        Record::Solution(s) => serde_json::to_value(s),
    };
    json!({ "kind": record.kind(), "record": body.unwrap_or(Value::Null) })
}

/// Reads and checks one change: structure, geometry and the record's own rules. Links and
/// workshops are the store's to check.
pub fn parse_change(change: Value) -> Result<Record, ChangeError> {
    let Value::Object(mut object) = change else {
        return Err(ChangeError::Malformed);
    };
    let (Some(Value::String(kind)), Some(record)) = (object.remove("kind"), object.remove("record")) else {
        return Err(ChangeError::Malformed);
    };
    let record = match kind.as_str() {
        "mark" => Record::Mark(Mark::from_feature_value(record)?),
        "cause" => Record::Cause(cause_from_value(record).map_err(|error| ChangeError::Tree { of_cause: true, error })?),
        "solution" => Record::Solution(solution_from_value(record).map_err(|error| ChangeError::Tree { of_cause: false, error })?),
        _ => return Err(ChangeError::UnknownKind(kind)),
    };
    if record.hlc().is_some_and(|h| h.node.is_empty()) {
        return Err(ChangeError::ClockWithoutDevice { of_mark: matches!(record, Record::Mark(_)) });
    }
    Ok(record)
}

/// Splits a queue into batches of at most `max_changes` changes and about `max_bytes` of
/// JSON, in order, so a large workshop syncs in bounded requests. A change larger than
/// `max_bytes` on its own goes alone (the server then answers 413 for it).
pub fn pages<T>(items: Vec<(T, Value)>, max_changes: usize, max_bytes: usize) -> Vec<Vec<(T, Value)>> {
    let mut out: Vec<Vec<(T, Value)>> = Vec::new();
    let mut size = 0usize;
    for (item, change) in items {
        let len = change.to_string().len() + 1;
        let full = out.last().is_none_or(|p| p.len() >= max_changes || (size + len > max_bytes && !p.is_empty()));
        if full {
            out.push(Vec::new());
            size = 0;
        }
        size += len;
        if let Some(page) = out.last_mut() {
            page.push((item, change));
        }
    }
    out
}

/// How far ahead of the device's own time a version's clock may be before it counts as
/// dated by a wrong date. The clock is never behind the time, so more than this is no drift.
pub const CLOCK_SLACK_MS: i64 = 10 * 60_000;

/// The queue after the device's date was corrected: each version stamped or dated more than
/// [`CLOCK_SLACK_MS`] ahead of `now_ms` (the server refuses those a day ahead, and they would
/// win every conflict until that date) gets a new clock from `now_ms`, in queue order, so
/// versions of one record keep their order; its creation and edit dates ahead of `now_ms`
/// become `now_ms` (the true time is not known: the device's date was wrong). `None` for a
/// version left as it was. Returns the device's clock afterwards: reset too, when it was the
/// one ahead.
pub fn redated(queue: &[Record], clock: Option<&Hlc>, now_ms: i64, node: &str) -> (Vec<Option<Record>>, Option<Hlc>) {
    let limit = now_ms.saturating_add(CLOCK_SLACK_MS);
    let mut clock = clock.filter(|c| c.ms <= limit).cloned();
    let out = queue
        .iter()
        .map(|record| {
            let stale = record.hlc().is_some_and(|h| h.ms > limit) || record.created_at_ms() > limit || record.updated_at_ms() > limit;
            stale.then(|| {
                let hlc = Hlc::tick(clock.as_ref(), now_ms, node);
                clock = Some(hlc.clone());
                let mut record = record.clone().stamped(hlc, None);
                let (created, updated) = match &mut record {
                    Record::Mark(m) => (&mut m.created_at_ms, &mut m.updated_at_ms),
                    Record::Cause(c) => (&mut c.created_at_ms, &mut c.updated_at_ms),
                    Record::Solution(s) => (&mut s.created_at_ms, &mut s.updated_at_ms),
                };
                *created = (*created).min(now_ms);
                *updated = (*updated).min(now_ms);
                record
            })
        })
        .collect();
    (out, clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cause;

    #[test]
    fn versions_dated_by_a_wrong_date_get_new_clocks_in_order() {
        let day = 24 * 3_600_000;
        let wrong = Hlc::tick(None, T + 3 * day, "dev");
        let Record::Mark(mut first) = mark(1) else { unreachable!() };
        first.created_at_ms = T + 3 * day;
        let v1 = Record::Mark(first.clone()).stamped(wrong.clone(), None);
        let v2 = Record::Mark(first.next_version(T + 3 * day)).stamped(Hlc::tick(Some(&wrong), T + 3 * day, "dev"), None);
        let fine = mark(2);
        let device_clock = v2.hlc().cloned();
        let (out, clock) = redated(&[v1.clone(), fine.clone(), v2.clone()], device_clock.as_ref(), T + 60_000, "dev");
        assert!(out[1].is_none(), "a version dated right is left alone");
        let (n1, n2) = (out[0].clone().expect("redated"), out[2].clone().expect("redated"));
        assert_eq!((n1.id(), n1.version(), n2.version()), (v1.id(), 1, 2));
        assert!(n1.clock() < n2.clock(), "the second version still wins");
        assert!(n2.hlc().is_some_and(|h| h.ms == T + 60_000), "dated now: {:?}", n2.hlc());
        assert_eq!(
            (n1.created_at_ms(), n2.created_at_ms(), n2.updated_at_ms()),
            (T + 60_000, T + 60_000, T + 60_000),
            "no date ahead is left"
        );
        // A version dated ahead with a right clock (made before the clock was kept) too.
        let Record::Mark(mut late) = mark(3) else { unreachable!() };
        late.created_at_ms = T + 3 * day;
        assert!(redated(&[Record::Mark(late)], None, T, "dev").0[0].is_some());
        assert_eq!(clock.as_ref(), n2.hlc(), "the device's clock continues from the last one");
        assert_ne!(n1.key(), v1.key(), "a new clock is a new outbox entry");
        // A clock only a few seconds ahead is the clock's normal lead, not a wrong date.
        let (out, clock) = redated(std::slice::from_ref(&fine), fine.hlc(), T - 5_000, "dev");
        assert_eq!((out, clock.as_ref()), (vec![None], fine.hlc()));
        // Nothing queued, the date corrected: the device's clock alone is reset.
        assert_eq!(redated(&[], Some(&wrong), T, "dev").1, None);
    }

    const T: i64 = 1_764_000_000_000;

    fn mark(n: u128) -> Record {
        Record::Mark(Mark::new_point(Uuid::from_u128(n), 1, "hurto_personas", -74.2, 11.24, T)).stamped(Hlc::tick(None, T, "dev"), None)
    }

    #[test]
    fn a_change_reads_back_as_the_record_it_was_made_from() {
        let m = mark(1);
        assert_eq!(parse_change(change_json(&m)), Ok(m.clone()));
        let Record::Mark(point) = m else { unreachable!() };
        let cause = Record::Cause(Cause {
            id: Uuid::from_u128(2),
            barrio_id: 1,
            category: "falta_iluminacion".into(),
            text: String::new(),
            problem_ids: vec![point.id],
            alias: String::new(),
            created_at_ms: T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
            workshop_id: Some(Uuid::from_u128(9)),
            hlc: None,
        });
        assert_eq!(parse_change(change_json(&cause)), Ok(cause));
    }

    #[test]
    fn a_bad_change_says_what_is_wrong_with_it() {
        assert_eq!(parse_change(json!([1])), Err(ChangeError::Malformed));
        assert_eq!(parse_change(json!({"kind": "mark"})), Err(ChangeError::Malformed));
        assert_eq!(parse_change(json!({"kind": "tag", "record": {}})).map_err(|e| e.code()), Err("unknown_kind"));
        let mut bad = change_json(&mark(1));
        bad["record"]["geometry"]["coordinates"] = json!([-74.2, 95.0]);
        let err = parse_change(bad).unwrap_err();
        assert_eq!((err.code(), err.field().as_deref()), ("invalid_geometry", Some("record.geometry")));
        assert!(!err.es().is_empty() && !err.en().is_empty());
        let mut anonymous = change_json(&mark(1));
        anonymous["record"]["properties"]["hlc"] = json!("1764000000000-00000-");
        let err = parse_change(anonymous).unwrap_err();
        assert_eq!((err.code(), err.field().as_deref()), ("invalid_clock", Some("record.properties.hlc")));
    }

    #[test]
    fn a_receipt_confirms_only_the_exact_version_sent() {
        let m = mark(1);
        let receipt = ChangeResult::stored(&m, ChangeStatus::History);
        assert!(receipt.confirms(&m));
        let Record::Mark(inner) = m.clone() else { unreachable!() };
        let next = Record::Mark(inner.next_version(T + 1)).stamped(Hlc::tick(None, T + 1, "dev"), None);
        assert!(!receipt.confirms(&next));
        let other_device = m.clone().stamped(Hlc::tick(None, T, "otro"), None);
        assert!(!receipt.confirms(&other_device));
        assert!(!ChangeResult { status: ChangeStatus::Refused, ..receipt }.confirms(&m));
    }

    #[test]
    fn a_long_queue_is_cut_into_bounded_pages_in_order() {
        let items: Vec<(usize, Value)> = (0..1_001).map(|i| (i, change_json(&mark(i as u128 + 1)))).collect();
        let one = items[0].1.to_string().len() + 1;
        let by_count = pages(items.clone(), 250, usize::MAX);
        assert_eq!(by_count.iter().map(Vec::len).collect::<Vec<_>>(), vec![250, 250, 250, 250, 1]);
        let by_size = pages(items, 250, one * 100);
        assert!(by_size.iter().all(|p| p.len() <= 100));
        let order: Vec<usize> = by_size.into_iter().flatten().map(|(i, _)| i).collect();
        assert_eq!(order, (0..1_001).collect::<Vec<_>>());
    }
}
