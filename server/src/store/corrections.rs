//! Staff corrections of a barrio's hotspots — joins, separations and their cancellations — and
//! notes on hotspots. Append-only: each row keeps who and when, and nothing is overwritten.

use app::model::adjustment::{
    joinable, Adjustment, AdjustmentAction, AdjustmentDraft, AdjustmentError, CancelDraft, Cancellation, HotspotNote, NoteDraft,
};
use app::model::{Diagnostico, GeometryKind, Mark};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use super::{marks, Store, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn ids_json(ids: &[Uuid]) -> Result<String, StoreError> {
    serde_json::to_string(ids).map_err(|e| corrupt("mark ids", e))
}

fn parse_ids(text: &str) -> Result<Vec<Uuid>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt("mark ids", e))
}

fn kind_of(mark: &Mark) -> Option<GeometryKind> {
    match mark.geometry.value {
        geojson::Value::Point(_) => Some(GeometryKind::Point),
        geojson::Value::LineString(_) => Some(GeometryKind::Route),
        geojson::Value::Polygon(_) => Some(GeometryKind::Zone),
        _ => None,
    }
}

const SELECT_ADJUSTMENT: &str = "SELECT a.seq, a.barrio_id, a.action, a.mark_ids, a.reason, a.reviewer, a.at_ms, \
     c.reviewer, c.reason, c.at_ms FROM hotspot_adjustments a LEFT JOIN adjustment_cancellations c ON c.adjustment_seq = a.seq";

type AdjustmentRow = (i64, i64, String, String, String, String, i64, Option<String>, Option<String>, Option<i64>);

fn adjustment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AdjustmentRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
}

fn parse_adjustment(
    (seq, barrio_id, action, mark_ids, reason, reviewer, at_ms, c_reviewer, c_reason, c_at): AdjustmentRow,
) -> Result<Adjustment, StoreError> {
    let cancelled = match (c_reviewer, c_reason, c_at) {
        (Some(reviewer), Some(reason), Some(at_ms)) => Some(Cancellation { reviewer, reason, at_ms }),
        _ => None,
    };
    Ok(Adjustment {
        seq,
        barrio_id,
        action: AdjustmentAction::from_code(&action).ok_or_else(|| corrupt("correction action", &action))?,
        mark_ids: parse_ids(&mark_ids)?,
        reason,
        reviewer,
        at_ms,
        cancelled,
    })
}

/// Every correction of a barrio, in the order made, cancelled ones included.
pub(super) fn of_barrio(c: &Connection, barrio_id: i64) -> Result<Vec<Adjustment>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_ADJUSTMENT} WHERE a.barrio_id = ?1 ORDER BY a.seq"))?;
    let rows = stmt.query_map([barrio_id], adjustment_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(parse_adjustment).collect()
}

fn one(c: &Connection, barrio_id: i64, seq: i64) -> Result<Option<Adjustment>, StoreError> {
    let mut stmt = c.prepare_cached(&format!("{SELECT_ADJUSTMENT} WHERE a.barrio_id = ?1 AND a.seq = ?2"))?;
    stmt.query_row(params![barrio_id, seq], adjustment_row).optional()?.map(parse_adjustment).transpose()
}


impl Store {
    /// Records a checked correction of barrio `barrio_id`'s hotspots, to apply from the next
    /// diagnóstico on. Every mark must be a live mark of the barrio, and a join's marks must
    /// share category and kind. `None`: no such barrio.
    pub async fn add_adjustment(&self, barrio_id: i64, draft: AdjustmentDraft, now_ms: i64) -> Result<Option<Adjustment>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !super::barrios::exists(&tx, barrio_id)? {
                return Ok(None);
            }
            let mut groups: Vec<(String, GeometryKind)> = Vec::with_capacity(draft.mark_ids.len());
            for id in &draft.mark_ids {
                let mark = marks::current_mark(&tx, id)?.filter(|m| m.barrio_id == barrio_id && !m.deleted);
                let group = mark.and_then(|m| kind_of(&m).map(|k| (m.category, k)));
                groups.push(group.ok_or(AdjustmentError::UnknownMark(*id))?);
            }
            if draft.action == AdjustmentAction::Join && !joinable(groups.iter().map(|(c, k)| (c.as_str(), *k))) {
                return Err(AdjustmentError::MixedJoin.into());
            }
            tx.execute(
                "INSERT INTO hotspot_adjustments (barrio_id, action, mark_ids, reason, reviewer, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![barrio_id, draft.action.code(), ids_json(&draft.mark_ids)?, draft.reason, draft.reviewer, now_ms],
            )?;
            let seq = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some(Adjustment {
                seq,
                barrio_id,
                action: draft.action,
                mark_ids: draft.mark_ids,
                reason: draft.reason,
                reviewer: draft.reviewer,
                at_ms: now_ms,
                cancelled: None,
            }))
        })
        .await
    }

    /// Cancels correction `seq` of the barrio (once). `None`: no such correction there.
    pub async fn cancel_adjustment(
        &self,
        barrio_id: i64,
        seq: i64,
        draft: CancelDraft,
        now_ms: i64,
    ) -> Result<Option<Adjustment>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(adjustment) = one(&tx, barrio_id, seq)? else {
                return Ok(None);
            };
            if !adjustment.in_force() {
                return Err(AdjustmentError::AlreadyCancelled(seq).into());
            }
            tx.execute(
                "INSERT INTO adjustment_cancellations (adjustment_seq, reviewer, reason, at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![seq, draft.reviewer, draft.reason, now_ms],
            )?;
            tx.commit()?;
            Ok(Some(Adjustment {
                cancelled: Some(Cancellation { reviewer: draft.reviewer, reason: draft.reason, at_ms: now_ms }),
                ..adjustment
            }))
        })
        .await
    }

    /// Every correction of the barrio, oldest first, cancelled ones with who cancelled them.
    pub async fn adjustments(&self, barrio_id: i64) -> Result<Vec<Adjustment>, StoreError> {
        self.call(move |c| of_barrio(c, barrio_id)).await
    }

    /// Keeps a note on a hotspot of diagnóstico `draft.diagnostico`, tied to the marks the
    /// hotspot has there (read from the stored snapshot, not from the request). `None`: no
    /// such barrio or diagnóstico.
    pub async fn add_note(&self, barrio_id: i64, draft: NoteDraft, now_ms: i64) -> Result<Option<HotspotNote>, StoreError> {
        self.call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let snapshot: Option<String> = tx
                .query_row(
                    "SELECT snapshot FROM diagnosticos WHERE barrio_id = ?1 AND number = ?2",
                    params![barrio_id, draft.diagnostico],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(snapshot) = snapshot else {
                return Ok(None);
            };
            let diagnostico: Diagnostico = serde_json::from_str(&snapshot).map_err(|e| corrupt("diagnóstico", e))?;
            let hotspot = diagnostico
                .hotspots
                .into_iter()
                .find(|h| h.id == draft.hotspot_id)
                .ok_or(AdjustmentError::UnknownHotspot(draft.diagnostico, draft.hotspot_id))?;
            tx.execute(
                "INSERT INTO hotspot_notes (barrio_id, diagnostico, hotspot_id, mark_ids, text, author, at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    barrio_id,
                    draft.diagnostico,
                    hotspot.id.to_string(),
                    ids_json(&hotspot.source_ids)?,
                    draft.text,
                    draft.author,
                    now_ms
                ],
            )?;
            let seq = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some(HotspotNote {
                seq,
                barrio_id,
                diagnostico: draft.diagnostico,
                hotspot_id: hotspot.id,
                mark_ids: hotspot.source_ids,
                text: draft.text,
                author: draft.author,
                at_ms: now_ms,
            }))
        })
        .await
    }

    /// Every note of the barrio's hotspots, oldest first.
    pub async fn notes(&self, barrio_id: i64) -> Result<Vec<HotspotNote>, StoreError> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, diagnostico, hotspot_id, mark_ids, text, author, at_ms FROM hotspot_notes WHERE barrio_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map([barrio_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, u32>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(seq, diagnostico, hotspot_id, mark_ids, text, author, at_ms)| {
                    Ok(HotspotNote {
                        seq,
                        barrio_id,
                        diagnostico,
                        hotspot_id: Uuid::parse_str(&hotspot_id).map_err(|e| corrupt("note", e))?,
                        mark_ids: parse_ids(&mark_ids)?,
                        text,
                        author,
                        at_ms,
                    })
                })
                .collect()
        })
        .await
    }
}
