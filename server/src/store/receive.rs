//! Storing one received version of a mark, cause or solution, in one transaction: what the
//! version does (new record, newer version, re-send, late arrival or conflict), the links it
//! must keep, the history row, and the current row.

use app::model::Record;
use rusqlite::{OptionalExtension, Transaction};

use super::history::{self, Kind};
use super::{marks, tree, Store, StoreError};

/// What storing a version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A record never seen before; this version is its current one.
    Created,
    /// A newer version than the current one, which it replaces.
    Updated,
    /// This very version was stored before (a device sending again after a lost answer).
    AlreadyStored,
    /// An older version than the current one, arriving late: kept in the history only.
    History,
}

impl Outcome {
    /// The outcome's name in API answers and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::AlreadyStored => "already_stored",
            Outcome::History => "history",
        }
    }
}

/// Decides what a received version does, before anything is written.
fn decide(tx: &Transaction<'_>, record: &Record) -> Result<Outcome, StoreError> {
    let (kind, id, version) = (Kind::of(record), record.id(), record.version());
    // Records are compared parsed, so a re-send formatted differently is still the same.
    if let Some(stored) = history::stored_version(tx, kind, id, version)? {
        return if stored == *record { Ok(Outcome::AlreadyStored) } else { Err(StoreError::VersionConflict { kind, id, version }) };
    }
    let current: Option<(i64, u32)> = tx
        .query_row(&format!("SELECT barrio_id, version FROM {} WHERE id = ?1", kind.current_table()), [id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(match current {
        None => Outcome::Created,
        // A record belongs for good to the barrio it was drawn for: a move is a device's bug
        // or a forged request, and would carry one barrio's history into another's.
        Some((barrio_id, _)) if barrio_id != record.barrio_id() => return Err(StoreError::BarrioChanged { kind, id }),
        Some((_, current)) if version > current => Outcome::Updated,
        Some((_, current)) if version < current => Outcome::History,
        // The current version is always in the history, so it was found above.
        Some(_) => return Err(StoreError::Corrupt(format!("{kind} {id}: current version {version} missing from the history"))),
    })
}

impl Store {
    /// Stores one version of a record whose barrio exists and whose own rules were checked.
    /// A version that becomes current must keep its links to live records (checked here
    /// against the current marks and causes, in the same transaction). Returns only after
    /// the commit; on an error nothing is written.
    pub async fn store_record(&self, record: Record) -> Result<Outcome, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let outcome = decide(&tx, &record)?;
            match outcome {
                Outcome::AlreadyStored => return Ok(outcome),
                // A late version only joins the history and changes nothing current, so its
                // links are not checked against today's marks and causes: they may have been
                // deleted since, and refusing it would lose a past version for good.
                Outcome::History => history::append(&tx, &record)?,
                Outcome::Created | Outcome::Updated => {
                    history::append(&tx, &record)?;
                    match &record {
                        Record::Mark(m) => marks::write_current(&tx, m)?,
                        Record::Cause(cause) => {
                            tree::check_cause_links(&tx, cause)?;
                            tree::write_current_cause(&tx, cause)?;
                        }
                        Record::Solution(solution) => {
                            tree::check_solution_links(&tx, solution)?;
                            tree::write_current_solution(&tx, solution)?;
                        }
                    }
                }
            }
            tx.commit()?;
            Ok(outcome)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{barrio, cause, problem, store};
    use app::model::{Mark, Solution};
    use uuid::Uuid;

    #[tokio::test]
    async fn versions_create_update_repeat_arrive_late_or_conflict() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let v1 = problem(1, b);
        let v2 = v1.next_version(v1.created_at_ms + 10);
        let v3 = Mark { description: "otra".into(), ..v2.next_version(v1.created_at_ms + 20) };
        assert_eq!(store.store_record(Record::Mark(v1.clone())).await.unwrap(), Outcome::Created);
        assert_eq!(store.store_record(Record::Mark(v3.clone())).await.unwrap(), Outcome::Updated);
        assert_eq!(store.store_record(Record::Mark(v2.clone())).await.unwrap(), Outcome::History);
        assert_eq!(store.store_record(Record::Mark(v2.clone())).await.unwrap(), Outcome::AlreadyStored);
        assert_eq!(store.marks_for_barrio(b).await.unwrap(), vec![v3.clone()]);
        let other_v2 = Mark { description: "distinta".into(), ..v2.clone() };
        assert!(matches!(
            store.store_record(Record::Mark(other_v2)).await,
            Err(StoreError::VersionConflict { kind: Kind::Mark, version: 2, .. })
        ));
        let versions = store.record_versions(Kind::Mark, v1.id).await.unwrap();
        assert_eq!(versions, vec![Record::Mark(v1), Record::Mark(v2), Record::Mark(v3)]);
    }

    #[tokio::test]
    async fn a_record_never_moves_barrio() {
        let (_dir, store) = store().await;
        let (b, other) = (barrio(&store, "uno").await, barrio(&store, "dos").await);
        let v1 = problem(1, b);
        store.store_record(Record::Mark(v1.clone())).await.unwrap();
        let moved = Mark { barrio_id: other, ..v1.next_version(v1.created_at_ms + 1) };
        assert!(matches!(store.store_record(Record::Mark(moved)).await, Err(StoreError::BarrioChanged { kind: Kind::Mark, .. })));
        assert_eq!(store.version_count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_cause_with_a_broken_link_is_refused_and_nothing_is_written() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let p = problem(1, b);
        store.store_record(Record::Mark(p.clone())).await.unwrap();
        let bad = cause(10, b, &[1, 2]);
        let err = store.store_record(Record::Cause(bad)).await.unwrap_err();
        assert!(matches!(&err, StoreError::BrokenLink { kind: Kind::Cause, error } if error.code() == "missing_link"), "{err}");
        assert_eq!(store.version_count().await.unwrap(), 1);
        assert!(store.tree_for_barrio(b).await.unwrap().causes.is_empty());

        let good = cause(10, b, &[1]);
        assert_eq!(store.store_record(Record::Cause(good.clone())).await.unwrap(), Outcome::Created);
        // The problem is deleted: the cause's later version may not point at it any more, but
        // its old version, sent again, is still the same version already stored.
        let tombstone = Mark { deleted: true, ..p.next_version(p.created_at_ms + 5) };
        assert_eq!(store.store_record(Record::Mark(tombstone)).await.unwrap(), Outcome::Updated);
        assert_eq!(store.store_record(Record::Cause(good.clone())).await.unwrap(), Outcome::AlreadyStored);
        let edited = app::model::Cause { text: "otra".into(), version: 2, ..good.clone() };
        let err = store.store_record(Record::Cause(edited)).await.unwrap_err();
        assert!(matches!(&err, StoreError::BrokenLink { error, .. } if error.code() == "deleted_link"), "{err}");
        // Its tombstone needs no live link.
        let gone = app::model::Cause { version: 2, deleted: true, ..good };
        assert_eq!(store.store_record(Record::Cause(gone)).await.unwrap(), Outcome::Updated);
    }

    #[tokio::test]
    async fn a_solution_must_reach_a_live_cause_of_its_barrio() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        store.store_record(Record::Mark(problem(1, b))).await.unwrap();
        store.store_record(Record::Cause(cause(10, b, &[1]))).await.unwrap();
        let solution = Solution {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(20),
            barrio_id: b,
            text: "Arreglar el poste".into(),
            institution: "essmar".into(),
            cause_ids: vec![Uuid::from_u128(10)],
            alias: String::new(),
            created_at_ms: crate::store::test_support::T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        };
        assert_eq!(store.store_record(Record::Solution(solution.clone())).await.unwrap(), Outcome::Created);
        let tree = store.tree_for_barrio(b).await.unwrap();
        assert_eq!((tree.causes.len(), tree.solutions), (1, vec![solution.clone()]));
        let stray = Solution { id: Uuid::from_u128(21), cause_ids: vec![Uuid::from_u128(99)], ..solution };
        let err = store.store_record(Record::Solution(stray)).await.unwrap_err();
        assert!(matches!(&err, StoreError::BrokenLink { kind: Kind::Solution, error } if error.code() == "missing_link"), "{err}");
    }
}
