//! Storing one received version of a mark, cause or solution: what the version does (new
//! record, the version that now wins, a re-send, a version for the history only, or a
//! conflict), the links it must keep, the history row, and the current row.
//!
//! A version is identified by its clock, not its number: two devices editing the same record
//! offline both make "version 2", with different clocks, and both are kept. The current
//! version is the one with the latest clock ([`Record::wins_over`]), whatever order versions
//! arrive in, so the server and every device end up showing the same one.

use std::cmp::Ordering;

use app::model::{Hlc, Record};
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::history::{self, Kind, Origin};
use super::{marks, tree, workshops, Store, StoreError};

/// What storing a version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A record never seen before; this version is its current one.
    Created,
    /// A version with a later clock than the current one, which it replaces.
    Updated,
    /// This very version was stored before (a device sending again after a lost answer).
    AlreadyStored,
    /// A version with an earlier clock than the current one (a late arrival, or the losing
    /// side of two offline edits): kept in the history only.
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

/// The current version of a record as its table holds it: what a new version is checked
/// and ordered against.
struct Current {
    barrio_id: i64,
    workshop_id: Option<String>,
    hlc: String,
}

fn current(c: &Connection, kind: Kind, id: Uuid) -> Result<Option<Current>, StoreError> {
    Ok(c.prepare_cached(&format!("SELECT barrio_id, workshop_id, hlc FROM {} WHERE id = ?1", kind.current_table()))?
        .query_row([id.to_string()], |r| Ok(Current { barrio_id: r.get(0)?, workshop_id: r.get(1)?, hlc: r.get(2)? }))
        .optional()?)
}

/// Decides what a received version does, before anything is written. `clock` is the
/// version's clock as text.
fn decide(c: &Connection, record: &Record, clock: &str) -> Result<Outcome, StoreError> {
    let (kind, id, version) = (Kind::of(record), record.id(), record.version());
    // Records are compared parsed, so a re-send formatted differently is still the same.
    if let Some(stored) = history::stored_by_clock(c, kind, id, clock)? {
        return if stored == *record { Ok(Outcome::AlreadyStored) } else { Err(StoreError::VersionConflict { kind, id, version }) };
    }
    let Some(current) = current(c, kind, id)? else {
        return Ok(Outcome::Created);
    };
    // A record belongs for good to the barrio and the workshop it was drawn for: a move is a
    // device's bug or a forged request, and would carry one barrio's history into another's.
    if current.barrio_id != record.barrio_id() {
        return Err(StoreError::BarrioChanged { kind, id });
    }
    if current.workshop_id != record.workshop_id().map(|w| w.to_string()) {
        return Err(StoreError::OtherWorkshop { kind, id });
    }
    let current_clock: Hlc = current.hlc.parse().map_err(|e| StoreError::Corrupt(format!("{kind} {id}: {e}")))?;
    // The rule of Record::wins_over: the later clock is current.
    Ok(match record.clock().cmp(&current_clock) {
        Ordering::Greater => Outcome::Updated,
        Ordering::Less => Outcome::History,
        // The current version is always in the history, so it was found above.
        Ordering::Equal => return Err(StoreError::Corrupt(format!("{kind} {id}: current version {clock} missing from the history"))),
    })
}

/// Stores one version of a record whose barrio exists and whose own rules were checked, on
/// an open transaction (or savepoint). A version that becomes current must keep its links
/// to live records, checked against the current marks and causes. On an error the caller
/// rolls back: this may have written part of it.
pub(super) fn receive(c: &Connection, record: &Record, origin: Origin) -> Result<Outcome, StoreError> {
    let clock = record.clock().to_string();
    let outcome = decide(c, record, &clock)?;
    match outcome {
        Outcome::AlreadyStored => {}
        // A version for the history changes nothing current, so its links are not checked
        // against today's marks and causes: they may have been deleted since, and refusing it
        // would lose a past version for good.
        Outcome::History => history::append(c, record, origin)?,
        Outcome::Created | Outcome::Updated => {
            match record {
                Record::Mark(m) => marks::write_current(c, m, &clock)?,
                Record::Cause(cause) => {
                    tree::check_cause_links(c, cause)?;
                    tree::write_current_cause(c, cause, &clock)?;
                }
                Record::Solution(solution) => {
                    tree::check_solution_links(c, solution)?;
                    tree::write_current_solution(c, solution, &clock)?;
                }
            }
            history::append(c, record, origin)?;
        }
    }
    Ok(outcome)
}

impl Store {
    /// Stores one version of a record whose barrio exists and whose own rules were checked
    /// (protocol 1: one record per request). A record that names a workshop must name one
    /// of its barrio. Returns only after the commit; on an error nothing is written.
    pub async fn store_record(&self, record: Record) -> Result<Outcome, StoreError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            if let Some(w) = record.workshop_id() {
                let workshop = workshops::read(&tx, w)?.ok_or(StoreError::UnknownWorkshop { kind: Kind::of(&record), workshop_id: w })?;
                if workshop.barrio_id != record.barrio_id() {
                    return Err(StoreError::WorkshopBarrio { kind: Kind::of(&record), id: record.id(), barrio_id: workshop.barrio_id });
                }
            }
            let outcome = receive(&tx, &record, Origin::default())?;
            if super::untie::deletes_a_mark(&record, outcome) {
                super::untie::untie_deleted_marks(&tx, &[record.id()], Origin::default())?;
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
    use crate::store::test_support::{barrio, cause, problem, store, T};
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
        // The problem is deleted: a later version of the cause may not point at it any more,
        // but its old version, sent again, is still the same version already stored.
        let tombstone = Mark { deleted: true, ..p.next_version(p.created_at_ms + 5) };
        assert_eq!(store.store_record(Record::Mark(tombstone)).await.unwrap(), Outcome::Updated);
        assert_eq!(store.store_record(Record::Cause(good.clone())).await.unwrap(), Outcome::AlreadyStored);
        let later = app::model::Hlc::tick(None, T + 60_000, "otro");
        let edited = Record::Cause(app::model::Cause { text: "otra".into(), version: 3, ..good.clone() }).stamped(later, None);
        let err = store.store_record(edited).await.unwrap_err();
        assert!(matches!(&err, StoreError::BrokenLink { error, .. } if error.code() == "deleted_link"), "{err}");
    }

    /// A mark's tombstone sent alone (no device's untied versions after it) still leaves no
    /// live cause pointing at it: the server unties them in the same transaction.
    #[tokio::test]
    async fn deleting_a_problem_unties_its_causes_and_their_solutions_on_the_server_too() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let (p1, p2) = (problem(1, b), problem(2, b));
        for p in [&p1, &p2] {
            store.store_record(Record::Mark(p.clone())).await.unwrap();
        }
        // Cause 10 explains only problem 1; cause 11 explains both. Solution 20 answers 10 alone,
        // solution 21 both causes.
        for c in [cause(10, b, &[1]), cause(11, b, &[1, 2])] {
            store.store_record(Record::Cause(c)).await.unwrap();
        }
        for s in [crate::store::test_support::solution(20, b, &[10]), crate::store::test_support::solution(21, b, &[10, 11])] {
            store.store_record(Record::Solution(s)).await.unwrap();
        }
        let tombstone = Mark { deleted: true, ..p1.next_version(p1.created_at_ms + 5) };
        assert_eq!(store.store_record(Record::Mark(tombstone)).await.unwrap(), Outcome::Updated);

        let tree = store.tree_for_barrio(b).await.unwrap();
        let state: Vec<(u128, bool, Vec<u128>)> = tree
            .causes
            .iter()
            .map(|c| (c.id.as_u128(), c.deleted, c.problem_ids.iter().map(|p| p.as_u128()).collect()))
            .chain(tree.solutions.iter().map(|s| (s.id.as_u128(), s.deleted, s.cause_ids.iter().map(|c| c.as_u128()).collect())))
            .collect();
        assert_eq!(
            state,
            [(10, true, vec![1]), (11, false, vec![2]), (20, true, vec![10]), (21, false, vec![11])],
            "a cause left with no problem is deleted (its tombstone keeps its last link), the other untied; solutions likewise"
        );
        let nodes: Vec<_> = tree.causes.iter().map(|c| &c.hlc).chain(tree.solutions.iter().map(|s| &s.hlc)).collect();
        assert!(nodes.iter().all(|h| h.as_ref().is_some_and(|h| h.node == super::super::untie::SERVER_NODE)), "{nodes:?}");
        // Every new version is in the history, after the one it replaced.
        assert_eq!(store.version_count().await.unwrap(), 2 + 2 + 2 + 1 + 4);
    }

    #[tokio::test]
    async fn a_solution_must_reach_a_live_cause_of_its_barrio() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        store.store_record(Record::Mark(problem(1, b))).await.unwrap();
        store.store_record(Record::Cause(cause(10, b, &[1]))).await.unwrap();
        let solution = crate::store::test_support::solution(20, b, &[10]);
        assert_eq!(store.store_record(Record::Solution(solution.clone())).await.unwrap(), Outcome::Created);
        let tree = store.tree_for_barrio(b).await.unwrap();
        assert_eq!((tree.causes.len(), tree.solutions), (1, vec![solution.clone()]));
        let stray = Solution { id: Uuid::from_u128(21), cause_ids: vec![Uuid::from_u128(99)], ..solution };
        let err = store.store_record(Record::Solution(stray)).await.unwrap_err();
        assert!(matches!(&err, StoreError::BrokenLink { kind: Kind::Solution, error } if error.code() == "missing_link"), "{err}");
    }

    fn stamped(record: Record, ms: i64, node: &str, workshop: Option<Uuid>) -> Record {
        record.stamped(app::model::Hlc::tick(None, ms, node), workshop)
    }

    #[tokio::test]
    async fn two_offline_edits_of_the_same_version_are_both_kept_and_the_later_clock_wins_in_any_order() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let v1 = stamped(Record::Mark(problem(1, b)), T, "a", None);
        let Record::Mark(base) = v1.clone() else { unreachable!() };
        let on_a = stamped(Record::Mark(Mark { description: "de a".into(), ..base.next_version(T + 10) }), T + 10, "a", None);
        let on_b = stamped(Record::Mark(Mark { description: "de b".into(), ..base.next_version(T + 5) }), T + 3_600_000, "b", None);
        for (order, expected) in [
            ([&v1, &on_a, &on_b], [Outcome::Created, Outcome::Updated, Outcome::Updated]),
            ([&v1, &on_b, &on_a], [Outcome::Created, Outcome::Updated, Outcome::History]),
            ([&on_b, &on_a, &v1], [Outcome::Created, Outcome::History, Outcome::History]),
        ] {
            let (_dir, store) = crate::store::test_support::store().await;
            let b2 = barrio(&store, "uno").await;
            assert_eq!(b, b2);
            let mut got = Vec::new();
            for r in order {
                got.push(store.store_record(r.clone()).await.unwrap());
            }
            assert_eq!(got, expected);
            let Record::Mark(winner) = on_b.clone() else { unreachable!() };
            assert_eq!(store.marks_for_barrio(b).await.unwrap(), vec![winner], "the later clock is current, with its clock");
            assert_eq!(store.record_versions(Kind::Mark, base.id).await.unwrap(), vec![v1.clone(), on_a.clone(), on_b.clone()], "by clock");
        }
        // The same clock with other content is refused; the same version again is a re-send.
        store.store_record(v1.clone()).await.unwrap();
        let Record::Mark(m) = v1.clone() else { unreachable!() };
        let forged = Record::Mark(Mark { description: "otra".into(), ..m });
        assert!(matches!(store.store_record(forged).await, Err(StoreError::VersionConflict { .. })));
        assert_eq!(store.store_record(v1).await.unwrap(), Outcome::AlreadyStored);
    }

    #[tokio::test]
    async fn a_record_never_moves_workshop_and_names_only_a_workshop_of_its_barrio() {
        let (_dir, store) = store().await;
        let (b, other) = (barrio(&store, "uno").await, barrio(&store, "dos").await);
        let w = crate::store::test_support::workshop(&store, b, 1).await;
        let elsewhere = crate::store::test_support::workshop(&store, other, 2).await;
        let v1 = stamped(Record::Mark(problem(1, b)), T, "a", Some(w.id));
        assert_eq!(store.store_record(v1.clone()).await.unwrap(), Outcome::Created);
        let Record::Mark(m) = v1 else { unreachable!() };
        let second = crate::store::test_support::workshop(&store, b, 3).await;
        let moved = stamped(Record::Mark(Mark { workshop_id: Some(second.id), ..m.next_version(T + 1) }), T + 1, "a", None);
        assert!(matches!(store.store_record(moved).await, Err(StoreError::OtherWorkshop { kind: Kind::Mark, .. })));
        let left = stamped(Record::Mark(Mark { workshop_id: None, ..m.next_version(T + 1) }), T + 1, "a", None);
        assert!(matches!(store.store_record(left).await, Err(StoreError::OtherWorkshop { .. })));
        let wrong_barrio = stamped(Record::Mark(problem(2, b)), T, "a", Some(elsewhere.id));
        assert!(matches!(store.store_record(wrong_barrio).await, Err(StoreError::WorkshopBarrio { barrio_id, .. }) if barrio_id == other));
        let unknown = stamped(Record::Mark(problem(3, b)), T, "a", Some(Uuid::from_u128(9)));
        assert!(matches!(store.store_record(unknown).await, Err(StoreError::UnknownWorkshop { .. })));
        assert_eq!(store.version_count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn causes_and_solutions_keep_their_clock_and_workshop_when_current() {
        let (_dir, store) = store().await;
        let b = barrio(&store, "uno").await;
        let w = crate::store::test_support::workshop(&store, b, 1).await;
        store.store_record(stamped(Record::Mark(problem(1, b)), T, "a", Some(w.id))).await.unwrap();
        let c = stamped(Record::Cause(cause(10, b, &[1])), T + 1, "a", Some(w.id));
        let s = stamped(Record::Solution(crate::store::test_support::solution(20, b, &[10])), T + 2, "a", Some(w.id));
        store.store_record(c.clone()).await.unwrap();
        store.store_record(s.clone()).await.unwrap();
        let tree = store.tree_for_barrio(b).await.unwrap();
        assert_eq!((Record::Cause(tree.causes[0].clone()), Record::Solution(tree.solutions[0].clone())), (c.clone(), s));
        let Record::Cause(cause_v1) = c else { unreachable!() };
        assert!(cause_v1.hlc.is_some() && cause_v1.workshop_id == Some(w.id));
        // A version with an earlier clock than the current one goes to the history, whatever its number.
        let late = stamped(Record::Cause(app::model::Cause { version: 2, text: "tarde".into(), ..cause_v1.clone() }), T, "b", None);
        assert_eq!(store.store_record(late).await.unwrap(), Outcome::History);
        assert_eq!(store.tree_for_barrio(b).await.unwrap().causes, vec![cause_v1]);
    }
}
