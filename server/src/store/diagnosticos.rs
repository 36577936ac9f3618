//! Diagnósticos and mark reviews: a barrio's numbered, immutable merge snapshots, and staff
//! decisions on single marks (the latest decision on a mark is in force).

use app::model::adjustment::Adjustment;
use app::model::review::{DiagnosticoSummary, MarkReview, ReviewAction, ReviewDraft, StoredDiagnostico};
use app::model::{Cause, Diagnostico, Mark, Solution, Totals};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::history::{self, Kind};
use super::{corrections, marks, tree, Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}


/// The marks of a barrio whose latest review rejects them.
fn rejected_marks(c: &Connection, barrio_id: i64) -> Result<std::collections::BTreeSet<Uuid>, StoreError> {
    let mut stmt = c.prepare_cached(
        "SELECT r.mark_id FROM mark_reviews r WHERE r.barrio_id = ?1 AND r.action = 'reject' \
         AND r.seq = (SELECT max(seq) FROM mark_reviews WHERE mark_id = r.mark_id)",
    )?;
    let ids = stmt.query_map([barrio_id], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| Uuid::parse_str(id).map_err(|e| corrupt("review", e))).collect()
}

fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, i64, String, String, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn parse_review(
    (seq, mark_id, barrio_id, action, reason, reviewer, at_ms): (i64, String, i64, String, String, String, i64),
) -> Result<MarkReview, StoreError> {
    Ok(MarkReview {
        seq,
        mark_id: Uuid::parse_str(&mark_id).map_err(|e| corrupt("review", e))?,
        barrio_id,
        action: ReviewAction::from_code(&action).ok_or_else(|| corrupt("review action", &action))?,
        reason,
        reviewer,
        at_ms,
    })
}

/// What a diagnóstico is made from, read at one moment (`at_ms`, by the database's clock).
struct Snapshot {
    at_ms: i64,
    marks: Vec<Mark>,
    causes: Vec<Cause>,
    solutions: Vec<Solution>,
    adjustments: Vec<Adjustment>,
}

/// Reads a barrio's current data under the write lock, dated so that every version read was
/// received by `at_ms` and every later one after it: the exports then find the versions the
/// diagnóstico was made from (Store::marks_as_of). `None`: no such barrio.
fn read_snapshot(c: &mut Connection, barrio_id: i64, now_ms: i64) -> Result<Option<Snapshot>, StoreError> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !super::barrios::exists(&tx, barrio_id)? {
        return Ok(None);
    }
    let lock_ms = history::clock_ms(&tx)?;
    let rejected = rejected_marks(&tx, barrio_id)?;
    let marks = marks::of_barrio(&tx, barrio_id)?.into_iter().filter(|m| !rejected.contains(&m.id)).collect();
    let causes = tree::current_of_barrio(&tx, Kind::Cause, barrio_id)?;
    let solutions = tree::current_of_barrio(&tx, Kind::Solution, barrio_id)?;
    let adjustments = corrections::of_barrio(&tx, barrio_id)?.into_iter().filter(Adjustment::in_force).collect();
    // The lock is let go only once the clock has moved on, so nothing received later shares
    // the snapshot's millisecond.
    history::wait_past(&tx, lock_ms)?;
    tx.commit()?;
    Ok(Some(Snapshot { at_ms: now_ms.max(lock_ms), marks, causes, solutions, adjustments }))
}

impl Store {
    /// Generates the barrio's next diagnóstico with `engine` from its current marks, causes and
    /// solutions — rejected marks left out — and the staff's corrections in force, and stores
    /// it under the next number. `None`: no such barrio.
    ///
    /// The data is read in one short transaction that dates the snapshot; the engine then runs
    /// on a blocking thread holding no lock, so syncs and every other request go on while a
    /// large barrio is merged; a second short transaction stores the result. Generations take
    /// turns, so numbers follow the order of the snapshots, and a burst of them cannot take
    /// every core from the requests.
    pub async fn generate_diagnostico(
        &self,
        barrio_id: i64,
        created_by: String,
        now_ms: i64,
        engine: impl FnOnce(&[Mark], &[Cause], &[Solution], &[Adjustment]) -> Diagnostico + Send + 'static,
    ) -> Result<Option<StoredDiagnostico>, StoreError> {
        let turn = self.generations.clone().lock_owned().await;
        let Some(snapshot) = self.call(move |c| read_snapshot(c, barrio_id, now_ms)).await? else {
            return Ok(None);
        };
        let at_ms = snapshot.at_ms;
        // The merge holds the turn itself: should the request be dropped (its deadline, a
        // client gone), the merge still runs to its end, and the next one waits for it rather
        // than running beside it.
        let diagnostico = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            engine(&snapshot.marks, &snapshot.causes, &snapshot.solutions, &snapshot.adjustments)
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?;
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let number: u32 =
                tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM diagnosticos WHERE barrio_id = ?1", [barrio_id], |r| r.get(0))?;
            let snapshot = serde_json::to_string(&diagnostico).map_err(|e| corrupt("diagnóstico", e))?;
            let totals = serde_json::to_string(&diagnostico.totals).map_err(|e| corrupt("diagnóstico", e))?;
            tx.execute(
                "INSERT INTO diagnosticos (barrio_id, number, created_at_ms, created_by, engine_version, snapshot, totals) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![barrio_id, number, at_ms, created_by, diagnostico.engine_version, snapshot, totals],
            )?;
            tx.commit()?;
            Ok(Some(StoredDiagnostico { barrio_id, number, created_at_ms: at_ms, created_by, diagnostico }))
        })
        .await
    }

    /// The barrio's diagnósticos, newest first; `None`: no such barrio.
    pub async fn diagnosticos(&self, barrio_id: i64) -> Result<Option<Vec<DiagnosticoSummary>>, StoreError> {
        self.call(move |c| {
            if !super::barrios::exists(c, barrio_id)? {
                return Ok(None);
            }
            let mut stmt = c.prepare_cached(
                "SELECT number, created_at_ms, created_by, engine_version, totals FROM diagnosticos \
                 WHERE barrio_id = ?1 ORDER BY number DESC",
            )?;
            let rows = stmt
                .query_map([barrio_id], |r| Ok((r.get::<_, u32>(0)?, r.get(1)?, r.get(2)?, r.get::<_, u32>(3)?, r.get::<_, String>(4)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            let list = rows
                .into_iter()
                .map(|(number, created_at_ms, created_by, engine_version, totals)| {
                    let totals: Totals = serde_json::from_str(&totals).map_err(|e| corrupt("diagnóstico totals", e))?;
                    Ok(DiagnosticoSummary { barrio_id, number, created_at_ms, created_by, engine_version, totals })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Some(list))
        })
        .await
    }

    /// One stored diagnóstico, exactly as generated.
    pub async fn diagnostico(&self, barrio_id: i64, number: u32) -> Result<Option<StoredDiagnostico>, StoreError> {
        self.call(move |c| {
            let row = c
                .query_row(
                    "SELECT created_at_ms, created_by, snapshot FROM diagnosticos WHERE barrio_id = ?1 AND number = ?2",
                    params![barrio_id, number],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
                )
                .optional()?;
            row.map(|(created_at_ms, created_by, snapshot)| {
                let diagnostico = serde_json::from_str(&snapshot).map_err(|e| corrupt("diagnóstico", e))?;
                Ok(StoredDiagnostico { barrio_id, number, created_at_ms, created_by, diagnostico })
            })
            .transpose()
        })
        .await
    }

    /// Records a staff decision on a mark (a checked draft); `None`: no such mark.
    pub async fn review_mark(&self, mark_id: Uuid, draft: ReviewDraft, now_ms: i64) -> Result<Option<MarkReview>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(mark) = marks::current_mark(&tx, &mark_id)? else {
                return Ok(None);
            };
            tx.execute(
                "INSERT INTO mark_reviews (mark_id, barrio_id, action, reason, reviewer, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![mark_id.to_string(), mark.barrio_id, draft.action.code(), draft.reason, draft.reviewer, now_ms],
            )?;
            let seq = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some(MarkReview {
                seq,
                mark_id,
                barrio_id: mark.barrio_id,
                action: draft.action,
                reason: draft.reason,
                reviewer: draft.reviewer,
                at_ms: now_ms,
            }))
        })
        .await
    }

    /// Every review decision of a barrio's marks, oldest first (the latest per mark is in force).
    pub async fn mark_reviews(&self, barrio_id: i64) -> Result<Vec<MarkReview>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, mark_id, barrio_id, action, reason, reviewer, at_ms FROM mark_reviews WHERE barrio_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([barrio_id], review_row)?.collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(parse_review).collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use app::model::{MergeParams, Record};

    use super::super::test_support::{self, T};

    /// The engine is held mid-merge: meanwhile a sync stores a mark and the database answers,
    /// and the diagnóstico, once let go, is made from what was there when it started.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_go_on_while_a_diagnostico_is_merged() {
        let (_dir, store) = test_support::store().await;
        let b = test_support::barrio(&store, "lento").await;
        store.store_record(Record::Mark(test_support::problem(1, b))).await.unwrap();
        let (started, merging) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let generation = tokio::spawn({
            let store = store.clone();
            async move {
                store
                    .generate_diagnostico(b, "Equipo".into(), T, move |marks, causes, solutions, adjustments| {
                        started.send(()).expect("test waits");
                        released.recv().expect("test lets go");
                        crate::merge::merge_adjusted(b, marks, causes, solutions, &MergeParams::default(), adjustments)
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || merging.recv_timeout(Duration::from_secs(10)).expect("the merge started")).await.unwrap();
        let during = async {
            store.ping().await.unwrap();
            store.store_record(Record::Mark(test_support::problem(2, b))).await.unwrap()
        };
        let stored = tokio::time::timeout(Duration::from_secs(5), during).await.expect("a sync is not held up by the merge");
        assert_eq!(stored, crate::store::Outcome::Created);
        assert!(!generation.is_finished());
        release.send(()).unwrap();
        let made = generation.await.unwrap().unwrap().expect("barrio exists");
        assert_eq!((made.number, made.diagnostico.totals.marks), (1, 1), "made from the marks read before the merge");
    }
}
