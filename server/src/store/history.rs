//! The history: every version ever received of every mark, cause and solution, append-only,
//! kept as the JSON of the shared model's struct.

use app::model::Record;
use rusqlite::{params, OptionalExtension, Transaction};
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
    /// has `id`, `barrio_id` and `version` columns.
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

/// The stored version `version` of a record, if that version was ever received.
pub(super) fn stored_version(tx: &Transaction<'_>, kind: Kind, id: Uuid, version: u32) -> Result<Option<Record>, StoreError> {
    let id = id.to_string();
    let json: Option<String> = tx
        .query_row(
            "SELECT record FROM record_versions WHERE kind = ?1 AND id = ?2 AND version = ?3",
            params![kind.as_str(), id, version],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| parse_record(kind, &id, &j)).transpose()
}

/// Appends a version to the history; the caller has checked it is not there yet.
pub(super) fn append(tx: &Transaction<'_>, record: &Record) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO record_versions (kind, id, version, barrio_id, record) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![Kind::of(record).as_str(), record.id().to_string(), record.version(), record.barrio_id(), record_json(record)?],
    )?;
    Ok(())
}

impl Store {
    /// Every version received of one record, by version number (oldest first); empty when
    /// the record is unknown.
    pub async fn record_versions(&self, kind: Kind, id: Uuid) -> Result<Vec<Record>, StoreError> {
        self.call(move |c| {
            let id = id.to_string();
            let mut stmt = c.prepare("SELECT record FROM record_versions WHERE kind = ?1 AND id = ?2 ORDER BY version")?;
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
}
