//! What a deleted mark leaves hanging: in the transaction that makes a mark's tombstone
//! current, the server unties the causes still linked to it — and deletes those it was the
//! only problem of, with their solutions likewise — by the same rule the device applies
//! (`Drawing::delete`). A device that sent its own untied versions first leaves nothing to
//! do; one that did not (an old app, a participant's device that may not change another's
//! cause, a forged request) cannot leave a live cause pointing at a deleted problem.

use app::model::{Drawing, Hlc, Record};
use rusqlite::Connection;
use uuid::Uuid;

use super::history::{Kind, Origin};
use super::receive::{receive, Outcome};
use super::{marks, tree, StoreError};

/// The node of the clocks of the versions the server makes itself.
pub const SERVER_NODE: &str = "servidor";

/// Whether storing `record` with `outcome` made a mark's tombstone current: what may leave
/// causes hanging.
pub(super) fn deletes_a_mark(record: &Record, outcome: Outcome) -> bool {
    record.deleted() && matches!(record, Record::Mark(_)) && matches!(outcome, Outcome::Created | Outcome::Updated)
}

/// Stores the versions that untie what hangs from each of the marks `ids` whose current
/// version is a tombstone (a later change of the same batch may have restored one).
///
/// Each is dated by the deletion's own clock, just after both the tombstone and the version
/// it replaces — not by the server's: a device whose clock runs behind the server's must
/// still be able to undo the deletion with a later version of its own.
pub(super) fn untie_deleted_marks(c: &Connection, ids: &[Uuid], origin: Origin) -> Result<(), StoreError> {
    let mut deleted = Vec::new();
    for id in ids {
        deleted.extend(marks::current_mark(c, id)?.filter(|m| m.deleted));
    }
    let mut barrios: Vec<i64> = deleted.iter().map(|m| m.barrio_id).collect();
    barrios.sort_unstable();
    barrios.dedup();
    let origin = Origin { device_id: None, ..origin };
    for barrio_id in barrios {
        let mut drawing = Drawing {
            marks: Vec::new(),
            causes: tree::current_of_barrio(c, Kind::Cause, barrio_id)?,
            solutions: tree::current_of_barrio(c, Kind::Solution, barrio_id)?,
        };
        for mark in deleted.iter().filter(|m| m.barrio_id == barrio_id) {
            if drawing.causes_of(&mark.id).is_empty() {
                continue;
            }
            let tombstone = Record::Mark(mark.clone());
            for version in drawing.delete(&tombstone, tombstone.updated_at_ms()).into_iter().skip(1) {
                let last = version.clock().max(tombstone.clock());
                let version = version.stamped(Hlc::tick(Some(&last), last.ms, SERVER_NODE), None);
                receive(c, &version, origin)?;
                drawing.apply(version);
            }
        }
    }
    Ok(())
}
