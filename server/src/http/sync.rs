//! Sync protocol 2: `POST /api/v1/sync` takes a batch of changes from one device and answers
//! with a result per change after everything stored is committed; `GET
//! /api/v1/workshops/{id}/changes` gives the versions a workshop's devices sent, page by page,
//! and takes the device's word on what still waits on it.

use std::collections::HashMap;

use app::model::sync::{
    change_json, parse_change, Batch, ErrorBody, PullReply, MAX_BATCH_CHANGES, MAX_CLOCK_AHEAD_MS, MAX_PULL_CHANGES, OLDEST_PROTOCOL,
    PROTOCOL,
};
use app::model::room::QueueReport;
use app::model::{Bilingual, Category, Record, Workshop};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use super::{body::json_body, now_ms, AppState};
use crate::auth::Caller;
use crate::error::{change_refusal, field_of, refusal, ApiError};
use crate::store::{BatchMeta, Kind, Prepared, StoreError};

pub async fn receive(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, body, state.max_sync_bytes)?;
    // The protocol before who is asking: a device too old to have a token is told to update.
    let batch = read_batch(&body)?;
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    if batch.changes.len() > MAX_BATCH_CHANGES {
        return Err(ApiError::TooManyChanges(batch.changes.len()));
    }
    let workshop = match batch.workshop_id {
        Some(id) => Some(state.store.workshop(id).await?.ok_or(ApiError::UnknownWorkshop { field: None })?),
        None => None,
    };
    // Who may send what: a device its own workshop's batches, under its own id; an account
    // the batches of the barrios it works in (checked per change when no workshop is named).
    let mut barrios: Option<std::collections::HashSet<i64>> = None;
    match (&caller, &workshop) {
        (Caller::Device(grant), Some(w)) if grant.workshop.id == w.id && grant.device_id == batch.device_id => {}
        (Caller::Device(_), _) => return Err(ApiError::Forbidden),
        (_, Some(w)) => {
            caller.works_in(w.barrio_id)?;
        }
        (Caller::Account(s), None) => barrios = s.barrio_list(),
        (_, None) => {
            caller.account()?;
        }
    }
    if workshop.as_ref().is_some_and(|w| w.closed_at_ms.is_some()) {
        return Err(ApiError::WorkshopClosed);
    }
    let now = now_ms();
    let only_own = caller.participant_device().is_some();
    let meta = BatchMeta { submission_id: batch.submission_id, device_id: batch.device_id, server_time_ms: now, only_own };
    let changes = batch.changes;
    let count = changes.len();
    // Reading geometries is the costly part of a batch: off the async workers.
    let prepared = tokio::task::spawn_blocking(move || {
        changes
            .into_iter()
            .map(|c| {
                let record = prepare(c, workshop.as_ref(), meta.device_id, now)?;
                match &barrios {
                    Some(allowed) if !allowed.contains(&record.barrio_id()) => Err(refusal(ApiError::Forbidden)),
                    _ => Ok(record),
                }
            })
            .collect()
    })
    .await
        .map_err(|e| ApiError::Store(StoreError::Worker(e.to_string())))?;
    let reply = state.store.receive_batch(meta, prepared, change_refusal).await?;
    // Ids and counts only: what was drawn never reaches the logs.
    tracing::info!(submission = %meta.submission_id, device = %meta.device_id, changes = count, "batch received");
    Ok(([(header::CONTENT_TYPE, "application/json")], reply).into_response())
}

/// The batch, with its protocol checked first: a device too old to send today's shape is
/// told to update, not that its batch is malformed.
fn read_batch(body: &[u8]) -> Result<Batch, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ApiError::MalformedBatch(e.to_string()))?;
    if let Some(protocol) = value.get("protocol").and_then(Value::as_u64) {
        if protocol < u64::from(OLDEST_PROTOCOL) {
            return Err(ApiError::ClientTooOld(protocol));
        }
        if protocol > u64::from(PROTOCOL) {
            return Err(ApiError::UnsupportedProtocol(protocol));
        }
    }
    serde_json::from_value(value).map_err(|e| ApiError::MalformedBatch(e.to_string()))
}

/// Reads one change and applies the checks that need no database: its own rules, its
/// clock (the sending device's own) and dates against the server's, its workshop against the
/// batch's.
fn prepare(change: Value, workshop: Option<&Workshop>, device_id: Uuid, now_ms: i64) -> Prepared {
    let record =
        parse_change(change).map_err(|e| ErrorBody { code: e.code().into(), message: e.es(), message_en: e.en(), field: e.field() })?;
    let kind = Kind::of(&record);
    let latest = now_ms.saturating_add(MAX_CLOCK_AHEAD_MS);
    let (created, updated) = (record.created_at_ms(), record.updated_at_ms());
    for (member, ms) in [("hlc", record.hlc().map_or(0, |h| h.ms)), ("created_at_ms", created), ("updated_at_ms", updated)] {
        if ms > latest {
            return Err(refusal(ApiError::ClockAhead { field: field_of(kind, member) }));
        }
    }
    // Versions order by their clock and then its node: a device naming another's node could
    // make its edits win or lose against that device's at will. (A version with no clock is
    // one an upgraded device kept from protocol 1: it orders by its dates, as it always did.)
    if record.hlc().is_some_and(|h| Uuid::parse_str(&h.node).map_or(true, |node| node != device_id)) {
        return Err(refusal(ApiError::ForeignClock { field: field_of(kind, "hlc") }));
    }
    if let Some(named) = record.workshop_id() {
        let (id, kind) = (record.id(), kind);
        let Some(workshop) = workshop.filter(|w| w.id == named) else {
            return Err(refusal(ApiError::OtherWorkshop { kind, id }));
        };
        if record.barrio_id() != workshop.barrio_id {
            return Err(refusal(ApiError::WorkshopBarrio { kind, id, barrio_id: workshop.barrio_id }));
        }
    }
    Ok(record)
}

/// `?after=` and `?limit=` of a pull, checked.
fn page_query(query: &HashMap<String, String>) -> Result<(i64, usize), ApiError> {
    let number = |field: &'static str, min: i64| -> Result<Option<i64>, ApiError> {
        let Some(text) = query.get(field) else { return Ok(None) };
        match text.trim().parse::<i64>() {
            Ok(n) if n >= min => Ok(Some(n)),
            _ => Err(ApiError::InvalidQuery {
                field,
                es: format!("«{field}» debe ser un número entero desde {min}."),
                en: format!("{field:?} must be a whole number from {min}."),
            }),
        }
    };
    let after = number("after", 0)?.unwrap_or(0);
    let limit = number("limit", 1)?.map_or(MAX_PULL_CHANGES, |l| usize::try_from(l).unwrap_or(MAX_PULL_CHANGES).min(MAX_PULL_CHANGES));
    Ok((after, limit))
}

/// `?pending=` and `?refused=` of a pull: what the device says is waiting on it for this
/// workshop, for the facilitator's panel. Optional (devices from before send neither), but
/// checked when present, like the rest of the query.
fn queue_report(query: &HashMap<String, String>) -> Result<Option<QueueReport>, ApiError> {
    let number = |field: &'static str| -> Result<Option<u32>, ApiError> {
        let Some(text) = query.get(field) else { return Ok(None) };
        text.trim().parse::<u32>().map(Some).map_err(|_| ApiError::InvalidQuery {
            field,
            es: format!("«{field}» debe ser un número entero desde 0."),
            en: format!("{field:?} must be a whole number from 0."),
        })
    };
    let (pending, refused) = (number("pending")?, number("refused")?);
    Ok(pending.map(|pending| QueueReport { pending, refused: refused.unwrap_or(0) }))
}

/// Whether a participant's device may receive this version: its own always; another's unless
/// it is of a sensitive category (an unknown one counts as sensitive) and the facilitator did
/// not let the workshop share them.
fn shown_to(record: &Record, sender: Option<Uuid>, participant: Option<(Uuid, bool)>) -> bool {
    let Some((device, share_sensitive)) = participant else { return true };
    if sender == Some(device) || share_sensitive {
        return true;
    }
    match record {
        Record::Mark(m) => !Category::is_sensitive(&m.category),
        _ => true,
    }
}

pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<PullReply>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::InvalidId(id))?;
    let (after, limit) = page_query(&query)?;
    let report = queue_report(&query)?;
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    let workshop = state.store.workshop(id).await?.ok_or(ApiError::UnknownWorkshop { field: None })?;
    caller.reads_workshop(&workshop)?;
    // Kept under the device's own token; an account's pull names no device.
    if let (Some(report), Caller::Device(grant)) = (report, &caller) {
        state.store.report_queue(workshop.id, grant.device_id, report, now_ms()).await?;
    }
    let participant = caller.participant_device();
    let page = state.store.workshop_changes(id, after, limit).await?;
    // The cursor moves past what was held back too, so the next page does not ask again.
    let cursor = page.last_seq.unwrap_or(after);
    let changes = page
        .changes
        .iter()
        .filter(|(_, sender, record)| shown_to(record, *sender, participant))
        .map(|(seq, _, record)| {
            let mut change = change_json(record);
            change["seq"] = Value::from(*seq);
            change
        })
        .collect();
    Ok(Json(PullReply { changes, cursor, more: page.more }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Hlc, Mark, CATEGORIES};

    const NOW: i64 = 1_764_000_000_000;

    fn change(mark: Mark) -> Value {
        change_json(&Record::Mark(mark))
    }

    fn workshop(barrio_id: i64) -> Workshop {
        Workshop {
            id: Uuid::from_u128(77),
            barrio_id,
            date: "2025-11-24".into(),
            place: String::new(),
            cbsc: "CBSC".into(),
            facilitator: "Ana".into(),
            join_code: "ABC234".into(),
            code_expires_at_ms: NOW + 1,
            created_at_ms: NOW,
            closed_at_ms: None,
            share_sensitive: false,
        }
    }

    #[test]
    fn a_batch_too_old_or_too_new_is_told_so_before_its_shape_is_read() {
        assert!(matches!(read_batch(br#"{"protocol": 0, "marks": []}"#), Err(ApiError::ClientTooOld(0))));
        assert!(matches!(read_batch(br#"{"protocol": 3}"#), Err(ApiError::UnsupportedProtocol(3))));
        assert!(matches!(read_batch(br#"{"protocol": 2}"#), Err(ApiError::MalformedBatch(_))));
        assert!(matches!(read_batch(b"[1"), Err(ApiError::MalformedBatch(_))));
    }

    const DEV: Uuid = Uuid::from_u128(0xde71ce);

    #[test]
    fn a_change_ahead_of_the_server_or_of_another_workshop_is_refused() {
        let base = Mark::new_point(Uuid::from_u128(1), 5, "rinas", -74.2, 11.24, NOW - 10);
        let stamp = |m: Mark, ms: i64, w: Option<Uuid>| Record::Mark(m).stamped(Hlc::tick(None, ms, &DEV.to_string()), w);
        let ok = stamp(base.clone(), NOW, None);
        assert_eq!(prepare(change_json(&ok), None, DEV, NOW), Ok(ok));
        let ahead = stamp(base.clone(), NOW + MAX_CLOCK_AHEAD_MS + 1, None);
        let err = prepare(change_json(&ahead), None, DEV, NOW).unwrap_err();
        assert_eq!((err.code.as_str(), err.field.as_deref()), ("clock_ahead", Some("record.properties.hlc")));
        let later = Mark { created_at_ms: NOW + MAX_CLOCK_AHEAD_MS + 1, ..base.clone() };
        assert_eq!(prepare(change(later), None, DEV, NOW).unwrap_err().code, "clock_ahead");

        let w = workshop(5);
        let inside = stamp(base.clone(), NOW, Some(w.id));
        assert_eq!(prepare(change_json(&inside), Some(&w), DEV, NOW), Ok(inside.clone()));
        assert_eq!(prepare(change_json(&inside), None, DEV, NOW).unwrap_err().code, "other_workshop");
        let other = Workshop { id: Uuid::from_u128(78), ..w.clone() };
        assert_eq!(prepare(change_json(&inside), Some(&other), DEV, NOW).unwrap_err().code, "other_workshop");
        let elsewhere = Workshop { barrio_id: 6, ..w };
        let err = prepare(change_json(&inside), Some(&elsewhere), DEV, NOW).unwrap_err();
        assert_eq!((err.code.as_str(), err.field.as_deref()), ("other_barrio", Some("record.properties.barrio_id")));
        let err = prepare(serde_json::json!({"kind": "mark"}), None, DEV, NOW).unwrap_err();
        assert_eq!(err.code, "malformed_change");
    }

    #[test]
    fn participants_get_other_devices_sensitive_marks_only_if_the_workshop_shares_them() {
        let (mine, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mark = |category: &str| Record::Mark(Mark::new_point(Uuid::from_u128(9), 5, category, -74.2, 11.24, NOW));
        let sensitive = CATEGORIES.iter().find(|c| c.sensitive).expect("a sensitive category").code;
        let plain = CATEGORIES.iter().find(|c| !c.sensitive).expect("a plain category").code;
        assert!(shown_to(&mark(sensitive), Some(other), None), "accounts and facilitators' tablets see all");
        assert!(shown_to(&mark(sensitive), Some(mine), Some((mine, false))), "one's own marks");
        assert!(!shown_to(&mark(sensitive), Some(other), Some((mine, false))));
        assert!(!shown_to(&mark("no_such_category"), Some(other), Some((mine, false))), "unknown counts as sensitive");
        assert!(shown_to(&mark(plain), Some(other), Some((mine, false))));
        assert!(shown_to(&mark(sensitive), Some(other), Some((mine, true))), "the facilitator shared them");
    }

    #[test]
    fn a_pull_page_is_bounded() {
        let q = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<HashMap<_, _>>();
        assert_eq!(page_query(&q(&[])).unwrap(), (0, MAX_PULL_CHANGES));
        assert_eq!(page_query(&q(&[("after", "7"), ("limit", "2")])).unwrap(), (7, 2));
        assert_eq!(page_query(&q(&[("limit", "100000")])).unwrap().1, MAX_PULL_CHANGES);
        for bad in [("after", "-1"), ("after", "x"), ("limit", "0"), ("limit", "1.5")] {
            assert!(matches!(page_query(&q(&[bad])), Err(ApiError::InvalidQuery { .. })), "{bad:?}");
        }
        assert_eq!(queue_report(&q(&[])).unwrap(), None, "devices from before report nothing");
        assert_eq!(queue_report(&q(&[("pending", "3")])).unwrap(), Some(QueueReport { pending: 3, refused: 0 }));
        assert_eq!(queue_report(&q(&[("pending", "0"), ("refused", "2")])).unwrap(), Some(QueueReport { pending: 0, refused: 2 }));
        for bad in [("pending", "-1"), ("pending", "x"), ("refused", "1.5")] {
            assert!(matches!(queue_report(&q(&[bad])), Err(ApiError::InvalidQuery { .. })), "{bad:?}");
        }
    }
}
