//! The photos staff approved for a published barrio, for anyone: the list and each file and
//! thumbnail, served only while approved, not hidden, not of a deleted or sensitive mark and
//! while the barrio's publication is in force. No alias, mark, workshop or exact time.

use app::model::media::PublicPhotos;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::media::{send_file, send_thumb};
use super::{uuid_of, AppState};
use crate::error::ApiError;
use crate::media::publish::public_photo;
use crate::store::MediaRow;

/// Public answers may be kept, but are checked again each time (with their ETag): an approval
/// or a publication withdrawn ends them at the next request.
const REVALIDATE: &str = "no-cache";

/// `GET /api/v1/public/barrios/{id}/media`: 404 while the barrio has no publication in force,
/// as its public page.
pub async fn list(State(state): State<AppState>, Path(barrio_id): Path<i64>) -> Result<impl IntoResponse, ApiError> {
    let photos = state.store.public_photos(barrio_id).await?.ok_or(ApiError::NotFound)?;
    let items = photos
        .iter()
        .map(|p| public_photo(p.row.id, p.row.width, p.row.height, p.row.captured_at_ms, p.row.received_at_ms.unwrap_or_default()))
        .collect();
    Ok(([(header::CACHE_CONTROL, REVALIDATE)], Json(PublicPhotos { items })))
}

/// The photo `id` if the public may see it now; 404 otherwise, whatever the reason.
async fn shown(state: &AppState, id: &str) -> Result<MediaRow, ApiError> {
    Ok(state.store.public_photo(uuid_of(id)?).await?.ok_or(ApiError::NotFound)?.row)
}

/// `GET /api/v1/public/media/{id}`: the photo, with the headers of the staff's file route.
pub async fn file(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let row = shown(&state, &id).await?;
    send_file(&state, &row, &headers, REVALIDATE).await
}

/// `GET /api/v1/public/media/{id}/thumb`: its thumbnail.
pub async fn thumb(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let row = shown(&state, &id).await?;
    send_thumb(&state, &row, &headers, REVALIDATE).await
}
