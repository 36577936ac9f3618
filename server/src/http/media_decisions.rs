//! Staff's decision on a photo or voice note (`PUT /api/v1/media/{id}/decision`): whether it
//! goes in the printed report's annex and whether it may be published. Appended, never changed.

use app::model::media::{MediaDecision, MediaItem};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

/// Staff and admins of the file's barrio; the file with its new decision. Hidden files, those
/// of deleted marks and unfinished uploads are 404; the rules' refusals are 422.
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<MediaItem>, ApiError> {
    // Staff first: whoever else asks learns nothing, not even whether the file exists.
    caller.staff()?;
    let (row, _) = state.store.media(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    let user = caller.staff_in(row.barrio_id)?;
    let decision: MediaDecision = read(&headers, body, state.max_body_bytes)?;
    let decided = state.store.decide_media(row.id, decision, user.id, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(media = %row.id, in_report = decision.in_report, publish = decision.publish, user = user.id, "media decided");
    let detail = format!("informe: {}, publicar: {}", yes_no(decision.in_report), yes_no(decision.publish));
    state.store.audit(Some(user), "media_decision", format!("archivo {}", row.id), detail, now_ms()).await?;
    Ok(Json(decided.item()))
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "sí"
    } else {
        "no"
    }
}
