//! Everything drawn for a barrio on a device (marks, causes, solutions) and the changes made
//! to it: versioned records, deletions that carry over to what hangs from the deleted thing,
//! and undo/redo as new versions (nothing is ever rewritten or lost).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::clock::Hlc;
use super::mark::Mark;
use super::tree::{Cause, Solution, TreeError};

/// One versioned record, as kept in the device's outbox and sent to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Record {
    Mark(Mark),
    Cause(Cause),
    Solution(Solution),
}

impl Record {
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Mark(_) => "mark",
            Record::Cause(_) => "cause",
            Record::Solution(_) => "solution",
        }
    }
    pub fn id(&self) -> Uuid {
        match self {
            Record::Mark(m) => m.id,
            Record::Cause(c) => c.id,
            Record::Solution(s) => s.id,
        }
    }
    pub fn version(&self) -> u32 {
        match self {
            Record::Mark(m) => m.version,
            Record::Cause(c) => c.version,
            Record::Solution(s) => s.version,
        }
    }
    pub fn barrio_id(&self) -> i64 {
        match self {
            Record::Mark(m) => m.barrio_id,
            Record::Cause(c) => c.barrio_id,
            Record::Solution(s) => s.barrio_id,
        }
    }
    pub fn deleted(&self) -> bool {
        match self {
            Record::Mark(m) => m.deleted,
            Record::Cause(c) => c.deleted,
            Record::Solution(s) => s.deleted,
        }
    }
    pub fn workshop_id(&self) -> Option<Uuid> {
        match self {
            Record::Mark(m) => m.workshop_id,
            Record::Cause(c) => c.workshop_id,
            Record::Solution(s) => s.workshop_id,
        }
    }
    pub fn created_at_ms(&self) -> i64 {
        match self {
            Record::Mark(m) => m.created_at_ms,
            Record::Cause(c) => c.created_at_ms,
            Record::Solution(s) => s.created_at_ms,
        }
    }
    pub fn updated_at_ms(&self) -> i64 {
        match self {
            Record::Mark(m) => m.updated_at_ms,
            Record::Cause(c) => c.updated_at_ms,
            Record::Solution(s) => s.updated_at_ms,
        }
    }
    /// The clock stamped on this version, as the device sent it.
    pub fn hlc(&self) -> Option<&Hlc> {
        match self {
            Record::Mark(m) => m.hlc.as_ref(),
            Record::Cause(c) => c.hlc.as_ref(),
            Record::Solution(s) => s.hlc.as_ref(),
        }
    }
    /// The moment this version orders by: its stamped clock, or for a version from before
    /// devices kept one, the clock [`Hlc::legacy`] gives it.
    pub fn clock(&self) -> Hlc {
        self.hlc().cloned().unwrap_or_else(|| Hlc::legacy(self.created_at_ms(), self.updated_at_ms(), self.version()))
    }
    /// Whether this version, rather than `other` (a version of the same record), is current:
    /// the later clock wins. Every device and the server decide alike, so all end up showing
    /// the same version whatever order versions arrived in.
    pub fn wins_over(&self, other: &Record) -> bool {
        self.clock() > other.clock()
    }

    /// This version as the device saves it: stamped with its clock, and a record made now
    /// (version 1) placed in the workshop the device is drawing for.
    pub fn stamped(mut self, hlc: Hlc, workshop_id: Option<Uuid>) -> Record {
        let (slot, workshop, version) = match &mut self {
            Record::Mark(m) => (&mut m.hlc, &mut m.workshop_id, m.version),
            Record::Cause(c) => (&mut c.hlc, &mut c.workshop_id, c.version),
            Record::Solution(s) => (&mut s.hlc, &mut s.workshop_id, s.version),
        };
        *slot = Some(hlc);
        if version == 1 && workshop.is_none() {
            *workshop = workshop_id;
        }
        self
    }

    /// The outbox key of this version: one entry per version, so none is skipped. The clock
    /// is part of it, so two versions with the same number (one pulled from another device
    /// became current, and was edited here) never share a slot.
    pub fn key(&self) -> String {
        match self.hlc() {
            Some(h) => format!("{}:{}:{}:{}", self.kind(), self.id(), self.version(), h),
            None => format!("{}:{}:{}", self.kind(), self.id(), self.version()),
        }
    }

    /// This record's content as version `version`, made at `now_ms`.
    fn as_version(&self, version: u32, now_ms: i64, deleted: bool) -> Record {
        fn stamp(created: i64, now: i64) -> i64 {
            now.max(created)
        }
        match self.clone() {
            Record::Mark(m) => Record::Mark(Mark { version, updated_at_ms: stamp(m.created_at_ms, now_ms), deleted, ..m }),
            Record::Cause(c) => Record::Cause(Cause { version, updated_at_ms: stamp(c.created_at_ms, now_ms), deleted, ..c }),
            Record::Solution(s) => Record::Solution(Solution { version, updated_at_ms: stamp(s.created_at_ms, now_ms), deleted, ..s }),
        }
    }

    /// The next version of this record, deleted.
    pub fn tombstone(&self, now_ms: i64) -> Record {
        self.as_version(self.version() + 1, now_ms, true)
    }
}

/// What one user action changed: each record as it was before (None: it did not exist) and
/// as the action left it. Undo walks these back; its own step is what redo walks back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    pub changes: Vec<(Option<Record>, Record)>,
}

/// The version that takes `current` back to `before`: the old content under the next version
/// number, or a tombstone when the record did not exist before.
pub fn revert(before: Option<&Record>, current: &Record, now_ms: i64) -> Record {
    let next = current.version() + 1;
    match before {
        Some(b) => b.as_version(next, now_ms, b.deleted()),
        None => current.as_version(next, now_ms, true),
    }
}

/// Everything drawn for one barrio, current versions only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    pub marks: Vec<Mark>,
    pub causes: Vec<Cause>,
    pub solutions: Vec<Solution>,
}

impl Drawing {
    pub fn mark(&self, id: &Uuid) -> Option<&Mark> {
        self.marks.iter().find(|m| m.id == *id)
    }
    pub fn cause(&self, id: &Uuid) -> Option<&Cause> {
        self.causes.iter().find(|c| c.id == *id)
    }
    pub fn solution(&self, id: &Uuid) -> Option<&Solution> {
        self.solutions.iter().find(|s| s.id == *id)
    }
    pub fn record(&self, kind: &str, id: &Uuid) -> Option<Record> {
        match kind {
            "mark" => self.mark(id).cloned().map(Record::Mark),
            "cause" => self.cause(id).cloned().map(Record::Cause),
            "solution" => self.solution(id).cloned().map(Record::Solution),
            _ => None,
        }
    }

    /// Puts a record's version in place of the one it replaces, if it wins over it (see
    /// [`Record::wins_over`]); a version that loses (a late echo, a concurrent edit made
    /// earlier on another device) changes nothing here and lives on in the server's history.
    /// Returns whether the version became current.
    pub fn apply(&mut self, record: Record) -> bool {
        let held = self.record(record.kind(), &record.id());
        if held.as_ref().is_some_and(|h| h != &record && !record.wins_over(h)) {
            return false;
        }
        fn put<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) {
            match list.iter().position(same) {
                Some(i) => list[i] = item,
                None => list.push(item),
            }
        }
        let id = record.id();
        match record {
            Record::Mark(m) => put(&mut self.marks, m, |x| x.id == id),
            Record::Cause(c) => put(&mut self.causes, c, |x| x.id == id),
            Record::Solution(s) => put(&mut self.solutions, s, |x| x.id == id),
        }
        true
    }

    /// The live (not deleted) causes tied to a problem.
    pub fn causes_of(&self, mark_id: &Uuid) -> Vec<&Cause> {
        self.causes.iter().filter(|c| !c.deleted && c.problem_ids.contains(mark_id)).collect()
    }

    /// The live solutions tied to a cause.
    pub fn solutions_of(&self, cause_id: &Uuid) -> Vec<&Solution> {
        self.solutions.iter().filter(|s| !s.deleted && s.cause_ids.contains(cause_id)).collect()
    }

    /// Every broken link among live causes and solutions; empty when the drawing is whole.
    pub fn broken_links(&self) -> Vec<(Uuid, TreeError)> {
        let mut out = Vec::new();
        for c in &self.causes {
            if let Err(e) = c.check_links(|id| self.mark(id)) {
                out.push((c.id, e));
            }
        }
        for s in &self.solutions {
            if let Err(e) = s.check_links(|id| self.cause(id)) {
                out.push((s.id, e));
            }
        }
        out
    }

    /// What device `node` sends of a deletion made with [`Drawing::delete`]: the tombstone,
    /// and the untying of what this device made. Another device's causes and solutions are
    /// untied by the server itself, in the tombstone's transaction (`store/untie.rs`), and come
    /// back with the next sync; sent from here they would be refused (`not_yours`) and stay
    /// in the queue as a refusal nobody can fix.
    pub fn own_part(versions: Vec<Record>, node: &str) -> Vec<Record> {
        versions.into_iter().enumerate().filter(|(i, r)| *i == 0 || super::clock::made_on(r.hlc(), node)).map(|(_, r)| r).collect()
    }

    /// Deleting a record also unties what hangs from it: causes lose the deleted problem (and
    /// are deleted when it was their only one), solutions likewise with causes. Returns every
    /// new version the deletion makes, the record's own tombstone first.
    pub fn delete(&self, record: &Record, now_ms: i64) -> Vec<Record> {
        let mut out = vec![record.tombstone(now_ms)];
        let mut gone_causes = Vec::new();
        match record {
            Record::Mark(m) => {
                for c in self.causes_of(&m.id) {
                    let mut next = Cause { version: c.version + 1, updated_at_ms: now_ms.max(c.created_at_ms), ..c.clone() };
                    next.problem_ids.retain(|p| *p != m.id);
                    if next.problem_ids.is_empty() {
                        // Keep the last link in the tombstone: history shows what it explained.
                        next.problem_ids = c.problem_ids.clone();
                        next.deleted = true;
                        gone_causes.push(c.id);
                    }
                    out.push(Record::Cause(next));
                }
            }
            Record::Cause(c) => gone_causes.push(c.id),
            Record::Solution(_) => {}
        }
        for s in self.solutions.iter().filter(|s| !s.deleted && s.cause_ids.iter().any(|c| gone_causes.contains(c))) {
            let mut next = Solution { version: s.version + 1, updated_at_ms: now_ms.max(s.created_at_ms), ..s.clone() };
            next.cause_ids.retain(|c| !gone_causes.contains(c));
            if next.cause_ids.is_empty() {
                next.cause_ids = s.cause_ids.clone();
                next.deleted = true;
            }
            out.push(Record::Solution(next));
        }
        out
    }

    /// The step that saves `records` over what the drawing holds now.
    pub fn step(&self, records: &[Record]) -> Step {
        Step { changes: records.iter().map(|r| (self.record(r.kind(), &r.id()), r.clone())).collect() }
    }

    /// The records that undo `step`, given what the drawing holds now (later edits by the same
    /// step's records are taken back too), and the step that redoes it.
    pub fn undo(&self, step: &Step, now_ms: i64) -> (Vec<Record>, Step) {
        let mut records = Vec::new();
        let mut inverse = Step::default();
        for (before, after) in step.changes.iter().rev() {
            let current = self.record(after.kind(), &after.id()).unwrap_or_else(|| after.clone());
            let back = revert(before.as_ref(), &current, now_ms);
            inverse.changes.push((Some(current), back.clone()));
            records.push(back);
        }
        // Sent in this order, so the server (which checks each live cause and solution against
        // what it holds) sees a restored problem before the cause tied to it, and a restored
        // cause before its solutions. Tombstones are not checked, so they may go in any order.
        records.sort_by_key(|r| match r {
            Record::Mark(_) => 0,
            Record::Cause(_) => 1,
            Record::Solution(_) => 2,
        });
        (records, inverse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mark::Mark;

    const T: i64 = 1_764_000_000_000;

    fn problem(n: u128) -> Mark {
        Mark::new_point(Uuid::from_u128(n), 1, "hurto_personas", -74.2, 11.24, T)
    }

    #[test]
    fn concurrent_versions_from_two_devices_settle_on_the_same_winner_in_any_order() {
        let v1 = Record::Mark(problem(1)).stamped(Hlc::tick(None, T, "a"), None);
        let Record::Mark(base) = v1.clone() else { unreachable!() };
        // Both devices edit version 1 offline; b's edit is an hour later.
        let on_a =
            Record::Mark(Mark { description: "de a".into(), ..base.next_version(T + 10) }).stamped(Hlc::tick(None, T + 10, "a"), None);
        let on_b = Record::Mark(Mark { description: "de b".into(), ..base.next_version(T + 3_600_000) })
            .stamped(Hlc::tick(None, T + 3_600_000, "b"), None);
        assert_eq!((on_a.version(), on_b.version()), (2, 2));
        assert_ne!(on_a.key(), on_b.key());
        for order in [[&v1, &on_a, &on_b], [&on_b, &on_a, &v1], [&on_a, &on_b, &v1], [&v1, &on_b, &on_a]] {
            let mut d = Drawing::default();
            order.into_iter().for_each(|r| {
                d.apply(r.clone());
            });
            assert_eq!(d.mark(&base.id).map(|m| m.description.as_str()), Some("de b"));
        }
        let mut d = Drawing::default();
        assert!(d.apply(on_b.clone()));
        assert!(!d.apply(on_a.clone()), "the earlier edit loses and changes nothing");
        assert!(d.apply(on_b), "the same version again is no change, and no refusal");
    }

    #[test]
    fn a_new_record_joins_the_device_s_workshop_and_keeps_it_for_good() {
        let w = Uuid::from_u128(77);
        let r = Record::Mark(problem(1)).stamped(Hlc::tick(None, T, "a"), Some(w));
        assert_eq!(r.workshop_id(), Some(w));
        let Record::Mark(m) = r else { unreachable!() };
        let edited = Record::Mark(m.next_version(T + 1)).stamped(Hlc::tick(None, T + 1, "a"), Some(Uuid::from_u128(78)));
        assert_eq!(edited.workshop_id(), Some(w));
        let outside = Record::Mark(Mark { version: 2, ..problem(2) }).stamped(Hlc::tick(None, T, "a"), Some(w));
        assert_eq!(outside.workshop_id(), None, "a record drawn outside a workshop stays outside");
    }

    fn cause(n: u128, problems: &[u128]) -> Cause {
        Cause {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(n),
            barrio_id: 1,
            category: "falta_iluminacion".into(),
            text: String::new(),
            problem_ids: problems.iter().map(|p| Uuid::from_u128(*p)).collect(),
            alias: String::new(),
            created_at_ms: T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        }
    }

    fn solution(n: u128, causes: &[u128]) -> Solution {
        Solution {
            workshop_id: None,
            hlc: None,
            id: Uuid::from_u128(n),
            barrio_id: 1,
            text: "Más luz".into(),
            institution: "essmar".into(),
            cause_ids: causes.iter().map(|c| Uuid::from_u128(*c)).collect(),
            alias: String::new(),
            created_at_ms: T,
            version: 1,
            updated_at_ms: 0,
            deleted: false,
        }
    }

    #[test]
    fn a_deletion_sends_only_what_this_device_may_change() {
        let mine = Hlc::tick(None, T, "movil-a");
        let theirs = Hlc::tick(None, T, "movil-b");
        let d = Drawing {
            marks: vec![problem(1)],
            causes: vec![Cause { hlc: Some(mine), ..cause(10, &[1]) }, Cause { hlc: Some(theirs), ..cause(11, &[1]) }],
            solutions: vec![],
        };
        let all = d.delete(&Record::Mark(problem(1)), T + 5);
        assert_eq!(all.len(), 3, "the tombstone and both causes, untied");
        let sent = Drawing::own_part(all, "movil-a");
        let ids: Vec<Uuid> = sent.iter().map(|r| r.id()).collect();
        assert_eq!(ids, vec![Uuid::from_u128(1), Uuid::from_u128(10)], "the other device's cause is the server's to untie");
    }

    fn drawing() -> Drawing {
        Drawing {
            marks: vec![problem(1), problem(2)],
            causes: vec![cause(10, &[1, 2]), cause(11, &[1])],
            solutions: vec![solution(20, &[11]), solution(21, &[10, 11])],
        }
    }

    fn apply_all(d: &mut Drawing, records: Vec<Record>) {
        for r in records {
            d.apply(r);
        }
    }

    #[test]
    fn deleting_a_problem_unties_its_causes_and_their_solutions() {
        let mut d = drawing();
        let changes = d.delete(&Record::Mark(problem(1)), T + 5);
        apply_all(&mut d, changes);
        assert!(d.mark(&Uuid::from_u128(1)).unwrap().deleted);
        // Cause 10 keeps problem 2; cause 11 had only problem 1 and goes.
        assert_eq!(d.cause(&Uuid::from_u128(10)).unwrap().problem_ids, vec![Uuid::from_u128(2)]);
        assert!(d.cause(&Uuid::from_u128(11)).unwrap().deleted);
        assert!(d.solution(&Uuid::from_u128(20)).unwrap().deleted);
        assert_eq!(d.solution(&Uuid::from_u128(21)).unwrap().cause_ids, vec![Uuid::from_u128(10)]);
        assert!(d.broken_links().is_empty(), "{:?}", d.broken_links());
        // Every change is a new version, never an overwrite.
        assert_eq!(d.cause(&Uuid::from_u128(10)).unwrap().version, 2);
    }

    #[test]
    fn undo_restores_everything_a_deletion_touched_and_redo_deletes_again() {
        let original = drawing();
        let mut d = original.clone();
        let changes = d.delete(&Record::Mark(problem(1)), T + 5);
        let step = d.step(&changes);
        apply_all(&mut d, changes);
        let (undo, redo) = d.undo(&step, T + 9);
        apply_all(&mut d, undo);
        let strip = |d: &Drawing| {
            let mut d = d.clone();
            d.marks.iter_mut().for_each(|m| (m.version, m.updated_at_ms) = (1, 0));
            d.causes.iter_mut().for_each(|c| (c.version, c.updated_at_ms) = (1, 0));
            d.solutions.iter_mut().for_each(|s| (s.version, s.updated_at_ms) = (1, 0));
            d
        };
        assert_eq!(strip(&d), strip(&original));
        assert_eq!(d.mark(&Uuid::from_u128(1)).unwrap().version, 3);
        let (again, _) = d.undo(&redo, T + 12);
        apply_all(&mut d, again);
        assert!(d.mark(&Uuid::from_u128(1)).unwrap().deleted);
        assert!(d.cause(&Uuid::from_u128(11)).unwrap().deleted);
        assert!(d.broken_links().is_empty());
    }

    #[test]
    fn undo_gives_what_is_linked_to_before_what_links_to_it() {
        let mut d = drawing();
        let changes = d.delete(&Record::Mark(problem(1)), T + 5);
        let step = d.step(&changes);
        apply_all(&mut d, changes);
        let (undo, _) = d.undo(&step, T + 9);
        // The server refuses a live cause tied to a deleted problem: the problem comes first.
        let kinds: Vec<_> = undo.iter().map(Record::kind).collect();
        assert_eq!(kinds, ["mark", "cause", "cause", "solution", "solution"]);
    }

    #[test]
    fn undoing_a_creation_leaves_a_tombstone() {
        let mut d = Drawing::default();
        let created = Record::Mark(problem(7));
        let step = d.step(std::slice::from_ref(&created));
        d.apply(created);
        let (undo, _) = d.undo(&step, T + 1);
        assert_eq!(undo.len(), 1);
        assert!(undo[0].deleted() && undo[0].version() == 2);
    }

    #[test]
    fn a_late_older_version_does_not_replace_a_newer_one() {
        let mut d = drawing();
        let newer = Mark { version: 3, description: "nuevo".into(), ..problem(1) };
        d.apply(Record::Mark(newer.clone()));
        d.apply(Record::Mark(Mark { version: 2, ..problem(1) }));
        assert_eq!(d.mark(&Uuid::from_u128(1)), Some(&newer));
    }

    #[test]
    fn records_keep_their_kind_on_the_wire() {
        let r = Record::Cause(cause(10, &[1]));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.starts_with(r#"{"kind":"cause","record":{"#));
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), r);
        assert_eq!(r.key(), format!("cause:{}:1", Uuid::from_u128(10)));
    }
}

/// Property tests: whatever is deleted, undone and redone, in any order, no live cause or
/// solution is left pointing at something missing or deleted, every change is a new version,
/// and undoing everything gives back the original content.
#[cfg(test)]
mod properties {
    use super::*;
    use crate::model::attributes::{Affected, Attributes, Days, Frequency, TimeOfDay};
    use proptest::prelude::*;

    const T: i64 = 1_764_000_000_000;

    /// A drawing of `n` problems, causes tied to random subsets, solutions tied to random causes.
    fn drawing() -> impl Strategy<Value = Drawing> {
        (
            1usize..6,
            proptest::collection::vec(proptest::collection::vec(0usize..6, 1..4), 0..5),
            proptest::collection::vec(proptest::collection::vec(0usize..5, 1..3), 0..4),
        )
            .prop_map(|(n, causes, solutions)| {
                let marks: Vec<Mark> =
                    (0..n).map(|i| Mark::new_point(Uuid::from_u128(i as u128 + 1), 1, "hurto_personas", -74.2, 11.24, T)).collect();
                let mut d = Drawing { marks, ..Default::default() };
                for (i, links) in causes.iter().enumerate() {
                    let mut ids: Vec<Uuid> = links.iter().map(|l| Uuid::from_u128((*l % n) as u128 + 1)).collect();
                    ids.sort();
                    ids.dedup();
                    d.causes.push(Cause {
                        workshop_id: None,
                        hlc: None,
                        id: Uuid::from_u128(100 + i as u128),
                        barrio_id: 1,
                        category: "falta_iluminacion".into(),
                        text: String::new(),
                        problem_ids: ids,
                        alias: String::new(),
                        created_at_ms: T,
                        version: 1,
                        updated_at_ms: 0,
                        deleted: false,
                    });
                }
                let nc = d.causes.len();
                if nc > 0 {
                    for (i, links) in solutions.iter().enumerate() {
                        let mut ids: Vec<Uuid> = links.iter().map(|l| Uuid::from_u128(100 + (*l % nc) as u128)).collect();
                        ids.sort();
                        ids.dedup();
                        d.solutions.push(Solution {
                            workshop_id: None,
                            hlc: None,
                            id: Uuid::from_u128(200 + i as u128),
                            barrio_id: 1,
                            text: "Hacer algo".into(),
                            institution: "policia".into(),
                            cause_ids: ids,
                            alias: String::new(),
                            created_at_ms: T,
                            version: 1,
                            updated_at_ms: 0,
                            deleted: false,
                        });
                    }
                }
                d
            })
    }

    fn content(d: &Drawing) -> Drawing {
        let mut d = d.clone();
        d.marks.iter_mut().for_each(|m| (m.version, m.updated_at_ms) = (1, 0));
        d.causes.iter_mut().for_each(|c| (c.version, c.updated_at_ms) = (1, 0));
        d.solutions.iter_mut().for_each(|s| (s.version, s.updated_at_ms) = (1, 0));
        d
    }

    proptest! {
        #[test]
        fn deletions_never_leave_a_broken_link_and_undo_gives_back_the_content(
            original in drawing(),
            picks in proptest::collection::vec((0usize..3, 0usize..8), 1..6),
        ) {
            prop_assert!(original.broken_links().is_empty());
            let mut d = original.clone();
            let mut steps = Vec::new();
            let mut now = T + 1;
            for (kind, i) in picks {
                let record = match kind {
                    0 => d.marks.iter().filter(|m| !m.deleted).nth(i % d.marks.len().max(1)).cloned().map(Record::Mark),
                    1 => d.causes.iter().filter(|c| !c.deleted).nth(i % d.causes.len().max(1)).cloned().map(Record::Cause),
                    _ => d.solutions.iter().filter(|s| !s.deleted).nth(i % d.solutions.len().max(1)).cloned().map(Record::Solution),
                };
                let Some(record) = record else { continue };
                let changes = d.delete(&record, now);
                for c in &changes {
                    let held = d.record(c.kind(), &c.id()).map(|r| r.version()).unwrap_or(0);
                    prop_assert_eq!(c.version(), held + 1, "a change is the next version");
                }
                steps.push(d.step(&changes));
                for c in changes { d.apply(c); }
                prop_assert!(d.broken_links().is_empty(), "{:?}", d.broken_links());
                now += 1;
            }
            while let Some(step) = steps.pop() {
                let (records, _) = d.undo(&step, now);
                for r in records { d.apply(r); }
                now += 1;
            }
            prop_assert_eq!(content(&d), content(&original));
        }

        #[test]
        fn marks_with_attributes_and_versions_round_trip_through_geojson(
            times in proptest::sample::subsequence(TimeOfDay::ALL.to_vec(), 0..=4),
            days in proptest::sample::subsequence(Days::ALL.to_vec(), 0..=2),
            affected in proptest::sample::subsequence(Affected::ALL.to_vec(), 0..=8),
            frequency in proptest::option::of(proptest::sample::select(Frequency::ALL.to_vec())),
            version in 1u32..1000,
            edited in 0i64..1_000_000,
            deleted in any::<bool>(),
            shape in 0usize..3,
        ) {
            let geometry = match shape {
                0 => geojson::Value::Point(vec![-74.2, 11.24]),
                1 => geojson::Value::LineString(vec![vec![-74.2, 11.24], vec![-74.199, 11.241]]),
                _ => geojson::Value::Polygon(vec![vec![vec![-74.2, 11.24], vec![-74.199, 11.24], vec![-74.199, 11.241], vec![-74.2, 11.24]]]),
            };
            let mark = Mark {
                attributes: Attributes { times, days, frequency, since: None, affected, confirms: None },
                version,
                updated_at_ms: if edited == 0 { 0 } else { T + edited },
                deleted,
                ..Mark::new_shape(Uuid::from_u128(5), 1, "rinas", geojson::Geometry::new(geometry), T)
            };
            prop_assert!(mark.check_properties().is_ok());
            let wire = serde_json::to_vec(&mark.to_feature()).unwrap();
            prop_assert_eq!(Mark::from_feature_json(&wire).unwrap(), mark.clone());
            let record = Record::Mark(mark);
            let stored = serde_json::to_string(&record).unwrap();
            prop_assert_eq!(serde_json::from_str::<Record>(&stored).unwrap(), record);
        }
    }
}
