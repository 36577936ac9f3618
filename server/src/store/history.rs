//! The history: every version ever received of every mark, cause and solution, append-only,
//! kept as the JSON of the shared model's struct. A version is identified by its clock (two
//! devices may both make "version 2" of a record); `seq` numbers versions in arrival order.

use app::model::{Mark, Record};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::{Store, StoreError};

/// The kinds of versioned record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Mark,
    Cause,
    Solution,
}

impl Kind {
    /// The kind's name on the wire and in the history table.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mark => "mark",
            Kind::Cause => "cause",
            Kind::Solution => "solution",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "mark" => Some(Kind::Mark),
            "cause" => Some(Kind::Cause),
            "solution" => Some(Kind::Solution),
            _ => None,
        }
    }

    pub fn of(record: &Record) -> Kind {
        match record {
            Record::Mark(_) => Kind::Mark,
            Record::Cause(_) => Kind::Cause,
            Record::Solution(_) => Kind::Solution,
        }
    }

    /// The table holding the current version of each record of this kind. Every one of them
    /// has `id`, `barrio_id`, `version`, `workshop_id` and `hlc` (the clock's text) columns.
    pub(super) fn current_table(self) -> &'static str {
        match self {
            Kind::Mark => "marks",
            Kind::Cause => "causes",
            Kind::Solution => "solutions",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// The record's own JSON, without the kind tag (the kind has its own column).
pub(super) fn record_json(record: &Record) -> Result<String, StoreError> {
    match record {
        Record::Mark(m) => serde_json::to_string(m),
        Record::Cause(c) => serde_json::to_string(c),
        Record::Solution(s) => serde_json::to_string(s),
    }
    .map_err(corrupt)
}

/// Reads a stored record's JSON back as the model's type of its kind.
pub(super) fn parse_record(kind: Kind, id: &str, json: &str) -> Result<Record, StoreError> {
    let parsed = match kind {
        Kind::Mark => serde_json::from_str(json).map(Record::Mark),
        Kind::Cause => serde_json::from_str(json).map(Record::Cause),
        Kind::Solution => serde_json::from_str(json).map(Record::Solution),
    };
    parsed.map_err(|e| corrupt(format!("{kind} {id}: {e}")))
}

/// Where a version came from: the device and batch of protocol 2, none for protocol 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    pub device_id: Option<Uuid>,
    pub submission_id: Option<Uuid>,
}

/// The stored version of a record made at clock `hlc` (its text form), if it was received.
pub(super) fn stored_by_clock(c: &Connection, kind: Kind, id: Uuid, hlc: &str) -> Result<Option<Record>, StoreError> {
    let id = id.to_string();
    let json: Option<String> = c
        .prepare_cached("SELECT record FROM record_versions WHERE kind = ?1 AND id = ?2 AND hlc = ?3")?
        .query_row(params![kind.as_str(), id, hlc], |r| r.get(0))
        .optional()?;
    json.map(|j| parse_record(kind, &id, &j)).transpose()
}

/// Appends a version to the history; the caller has checked it is not there yet.
pub(super) fn append(c: &Connection, record: &Record, origin: Origin) -> Result<(), StoreError> {
    c.prepare_cached(
        "INSERT INTO record_versions (kind, id, version, hlc, barrio_id, workshop_id, device_id, submission_id, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        Kind::of(record).as_str(),
        record.id().to_string(),
        record.version(),
        record.clock().to_string(),
        record.barrio_id(),
        record.workshop_id().map(|w| w.to_string()),
        origin.device_id.map(|d| d.to_string()),
        origin.submission_id.map(|s| s.to_string()),
        record_json(record)?
    ])?;
    Ok(())
}

/// SQL for a `received_at` text (or `'now'`) as milliseconds since the epoch. `julianday`
/// keeps SQLite's own millisecond clock, and rounding undoes the float's last bit.
macro_rules! ms_of {
    ($time:literal) => {
        concat!("CAST(round((julianday(", $time, ") - 2440587.5) * 86400000.0) AS INTEGER)")
    };
}

/// The database's clock, in ms: the clock `received_at` is stamped with.
pub(super) fn clock_ms(c: &Connection) -> Result<i64, StoreError> {
    Ok(c.query_row(concat!("SELECT ", ms_of!("'now'")), [], |r| r.get(0))?)
}

/// Waits until the database's clock has left millisecond `ms`, so that whatever is received
/// after the caller commits is stamped later than `ms` (the clock counts whole milliseconds).
/// At most a few milliseconds, even if the clock was set back meanwhile: the caller holds the
/// write lock.
pub(super) fn wait_past(c: &Connection, ms: i64) -> Result<(), StoreError> {
    for _ in 0..50 {
        if clock_ms(c)? != ms {
            break;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    Ok(())
}

/// The version of mark `id` that was current at `at_ms` by the server's clock: of the
/// versions received by then, the one with the latest clock (the rule that picks the current
/// one). When none was received by then (a diagnóstico generated before it was dated under
/// the write lock may have read a version received a moment after its `at_ms`), the first
/// version received after it, the closest to what was read.
fn mark_as_of(c: &Connection, id: &Uuid, at_ms: i64) -> Result<Option<Mark>, StoreError> {
    let id = id.to_string();
    let json: Option<String> = c
        .prepare_cached(concat!(
            "SELECT record FROM record_versions WHERE kind = 'mark' AND id = ?1 ORDER BY ",
            ms_of!("received_at"),
            " > ?2, CASE WHEN ",
            ms_of!("received_at"),
            " > ?2 THEN seq END, hlc DESC LIMIT 1"
        ))?
        .query_row(params![id, at_ms], |r| r.get(0))
        .optional()?;
    match json.map(|j| parse_record(Kind::Mark, &id, &j)).transpose()? {
        Some(Record::Mark(m)) => Ok(Some(m)),
        Some(_) => Err(corrupt(format!("mark {id}: stored as another kind"))),
        None => Ok(None),
    }
}

impl Store {
    /// The version of each of the marks `ids` that was current at `at_ms` (ms, server clock),
    /// as [`mark_as_of`] picks it; unknown ids are left out. For a diagnóstico, `at_ms` is its
    /// `created_at_ms`, taken under the write lock that read its marks: the versions it was
    /// made from.
    pub async fn marks_as_of(&self, ids: Vec<Uuid>, at_ms: i64) -> Result<Vec<Mark>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let marks: Result<Vec<Mark>, StoreError> = ids.iter().filter_map(|id| mark_as_of(&tx, id, at_ms).transpose()).collect();
            tx.commit()?;
            marks
        })
        .await
    }

    /// Every version received of one record, by clock (oldest first, so the last one is the
    /// current one); empty when the record is unknown.
    pub async fn record_versions(&self, kind: Kind, id: Uuid) -> Result<Vec<Record>, StoreError> {
        self.call(move |c| {
            let id = id.to_string();
            let mut stmt = c.prepare("SELECT record FROM record_versions WHERE kind = ?1 AND id = ?2 ORDER BY hlc, seq")?;
            let rows = stmt.query_map(params![kind.as_str(), id], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            rows.iter().map(|json| parse_record(kind, &id, json)).collect()
        })
        .await
    }

    /// How many versions the history holds, of every record.
    pub async fn version_count(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(c.query_row("SELECT count(*) FROM record_versions", [], |r| r.get(0))?)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in [Kind::Mark, Kind::Cause, Kind::Solution] {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("Mark"), None);
        assert_eq!(Kind::parse("marks"), None);
    }

    #[tokio::test]
    async fn a_mark_is_read_in_the_version_a_diagnostico_was_made_from() {
        use crate::store::test_support::{barrio, problem, store, T};
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let v1 = problem(1, b);
        let v2 = v1.next_version(T + 10);
        let v3 = Mark { description: "movida".into(), ..v2.next_version(T + 20) };
        store.store_record(Record::Mark(v1.clone())).await.unwrap();
        let engine = move |m: &[Mark], c: &[app::model::Cause], s: &[app::model::Solution], a: &[app::model::adjustment::Adjustment]| {
            crate::merge::merge_adjusted(b, m, c, s, &app::model::MergeParams::default(), a)
        };
        let made = store.generate_diagnostico(b, "Ana".into(), 0, engine).await.unwrap().expect("barrio");
        // Edited after the diagnóstico, and an older edit arriving late (history only).
        store.store_record(Record::Mark(v3.clone())).await.unwrap();
        store.store_record(Record::Mark(v2)).await.unwrap();
        let ids = vec![v1.id, Uuid::from_u128(99)];
        assert_eq!(store.marks_as_of(ids.clone(), made.created_at_ms).await.unwrap(), vec![v1.clone()], "unknown ids left out");
        assert_eq!(store.marks_as_of(ids.clone(), i64::MAX).await.unwrap(), vec![v3], "the latest clock, not the latest arrival");
        assert_eq!(store.marks_as_of(ids, 0).await.unwrap(), vec![v1], "before any arrival: the first one");
    }
}
