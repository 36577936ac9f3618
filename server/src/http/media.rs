//! Photos and voice notes over HTTP: the offer, its chunks and their resumption, the kept
//! file (with byte ranges) and its thumbnail, hiding one, and the listings of a barrio and a
//! workshop. Who may do what is decided here, from the caller and the record; the rest is in
//! `media` (checks), `files` (bytes) and the store (rows).

use std::collections::HashMap;

use app::model::media::{MediaError, MediaKind, MediaList, MediaOffer, RecordKind, UploadState, MAX_OPEN_UPLOADS, OPEN_UPLOAD_MS};
use app::model::Category;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use uuid::Uuid;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::media::assembly::Layout;
use crate::media::finish::{finish, FinishError};
use crate::media::range::{self, Ranged};
use crate::media::sniff::extension;
use crate::store::{DeviceKind, ListedMedia, MediaRow, Sender, StoreError};

/// A chunk's body may be [`CHUNK_BYTES`](app::model::media::CHUNK_BYTES) and a little more
/// (answered `bad_chunk`, not cut off); anything larger is refused before it is read.
pub const CHUNK_BODY_LIMIT: usize = app::model::media::CHUNK_BYTES as usize + 4096;

/// Kept files never change under their id: browsers may keep them a day (hiding one takes
/// that long to reach a browser that already showed it).
pub(super) const CACHE_CONTROL: &str = "private, max-age=86400";

fn worker(e: tokio::task::JoinError) -> ApiError {
    ApiError::Store(StoreError::Worker(e.to_string()))
}

/// The caller as the sender of what they offer; anonymous callers may send nothing.
fn sender_of(caller: &Caller) -> Result<Sender, ApiError> {
    match caller {
        Caller::Device(g) => Ok(Sender::Device(g.device_id)),
        Caller::Account(s) => Ok(Sender::Account(s.user.id)),
        Caller::Anonymous => Err(ApiError::Unauthorized),
    }
}

/// Where a file offered for `offer.record` goes (its barrio and workshop), if the caller may
/// attach it there. A device attaches to the marks it sent itself in its workshop (a
/// facilitator's tablet, to any mark of its workshop); a mark of another workshop is refused
/// (403), as every route refuses what is not the caller's. Accounts attach to marks and
/// workshops of the barrios they work in.
async fn destination(state: &AppState, caller: &Caller, offer: &MediaOffer) -> Result<(i64, Option<Uuid>), ApiError> {
    match offer.record.kind {
        RecordKind::Mark => {
            let mark = state.store.mark_target(offer.record.id).await?.ok_or(ApiError::NotFound)?;
            match caller {
                Caller::Device(g) => {
                    let own = g.kind == DeviceKind::Facilitator || mark.first_device == Some(g.device_id);
                    if mark.workshop_id != Some(g.workshop.id) || !own {
                        return Err(ApiError::Forbidden);
                    }
                }
                other => {
                    other.works_in(mark.barrio_id)?;
                }
            }
            Ok((mark.barrio_id, mark.workshop_id))
        }
        RecordKind::Workshop => {
            if !matches!(caller, Caller::Account(_)) {
                return Err(sender_of(caller).err().unwrap_or(ApiError::Forbidden));
            }
            let workshop = state.store.workshop(offer.record.id).await?.ok_or(ApiError::NotFound)?;
            caller.works_in(workshop.barrio_id)?;
            Ok((workshop.barrio_id, Some(workshop.id)))
        }
    }
}

/// `POST /api/v1/media`: 201 for a new upload (or one whose bytes the server kept already:
/// then complete at once), 200 for the same offer again (a device resuming).
pub async fn offer(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<UploadState>), ApiError> {
    let sender = sender_of(&caller)?;
    let offer: MediaOffer = read(&headers, body, state.max_body_bytes)?;
    offer.validate()?;
    let (barrio_id, workshop_id) = destination(&state, &caller, &offer).await?;
    let row = MediaRow::offered(&offer, barrio_id, workshop_id, sender, now_ms());
    let (offered, stale) = state.store.offer_media(row, MAX_OPEN_UPLOADS, OPEN_UPLOAD_MS).await?;
    if !stale.is_empty() {
        let files = state.files.clone();
        tokio::task::spawn_blocking(move || stale.into_iter().for_each(|id| drop(files.drop_part(id)))).await.map_err(worker)?;
    }
    use crate::store::Offered;
    match offered {
        Offered::New(row) | Offered::Deduplicated(row) => {
            tracing::info!(media = %row.id, barrio_id, bytes = row.bytes, done = row.received_at_ms.is_some(), "media offered");
            Ok((StatusCode::CREATED, Json(row.state(Vec::new()))))
        }
        Offered::Existing(row, received) if row.same_offer(&offer, sender) => Ok((StatusCode::OK, Json(row.state(received)))),
        Offered::Existing(..) => Err(MediaError::IdTaken.into()),
        Offered::TooManyOpen => Err(MediaError::TooManyOpen { limit: MAX_OPEN_UPLOADS }.into()),
    }
}

/// The upload `id` as its sender sees it; no one else may send or ask for its chunks.
async fn own_upload(state: &AppState, caller: &Caller, id: &str) -> Result<(MediaRow, Vec<u32>), ApiError> {
    let sender = sender_of(caller)?;
    let (row, received) = state.store.media(uuid_of(id)?).await?.ok_or(ApiError::NotFound)?;
    if row.sender != sender {
        return Err(ApiError::Forbidden);
    }
    Ok((row, received))
}

/// `GET /api/v1/media/{id}/upload`: where the upload stands, to resume after a drop.
pub async fn upload_state(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<UploadState>, ApiError> {
    let (row, received) = own_upload(&state, &caller, &id).await?;
    Ok(Json(row.state(received)))
}

/// `PUT /api/v1/media/{id}/chunks/{n}`: one chunk, raw. The last one missing makes the server
/// check and keep the whole file before answering with the receipt.
pub async fn chunk(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, n)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<UploadState>, ApiError> {
    let (row, received) = own_upload(&state, &caller, &id).await?;
    let n: u32 = n.parse().map_err(|_| ApiError::InvalidId(n.chars().take(20).collect()))?;
    let body = body.map_err(|r| ApiError::from_body_rejection(r, CHUNK_BODY_LIMIT))?;
    if row.received_at_ms.is_some() {
        return Ok(Json(row.state(received)));
    }
    let layout = Layout::of(row.bytes);
    layout.place(n, body.len() as u64)?;
    // One request at a time on this upload: the same chunk twice, or the last two at once,
    // end in one file checked once.
    let _turn = state.upload_locks.lock(row.id).await;
    let (row, _) = state.store.media(row.id).await?.ok_or(ApiError::NotFound)?;
    if row.received_at_ms.is_some() {
        return Ok(Json(row.state(Vec::new())));
    }
    state.files.write_part(row.id, layout, n, body).await.map_err(ApiError::Files)?;
    let received = state.store.add_media_chunk(row.id, n).await?;
    if !layout.is_whole(&received) {
        return Ok(Json(row.state(received)));
    }
    let files = state.files.clone();
    let (id, kind, bytes, sha256) = (row.id, row.kind, row.bytes, row.sha256.clone());
    let finished = tokio::task::spawn_blocking(move || finish(&files, id, kind, bytes, &sha256)).await.map_err(worker)?;
    let finished = match finished {
        Ok(finished) => finished,
        Err(FinishError::Refused(refusal)) => {
            // Damaged on the way: the device sends it again from the start. Not a file of its
            // kind at all: nothing of it is kept, not even the offer.
            let drop_offer = refusal != MediaError::DigestMismatch;
            state.store.reset_media(id, drop_offer).await?;
            let files = state.files.clone();
            tokio::task::spawn_blocking(move || files.drop_part(id)).await.map_err(worker)?.map_err(ApiError::Files)?;
            tracing::warn!(media = %id, code = refusal.code(), "media refused at assembly");
            return Err(refusal.into());
        }
        Err(FinishError::Io(e)) => return Err(ApiError::Files(e)),
    };
    let size = finished.width.zip(finished.height);
    let row = state.store.complete_media(id, finished.mime, size, finished.thumb_sha256, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(media = %id, barrio_id = row.barrio_id, bytes = row.bytes, mime = row.mime, "media kept");
    Ok(Json(row.state(Vec::new())))
}

/// Whether `caller` may see kept file `row`: staff of its barrio always (hidden ones too);
/// accounts working in the barrio and the workshop's facilitator tablets; a participant's
/// device its own, and others' photos on marks of its workshop that are not of a sensitive
/// category. Hidden files, and those of deleted marks, are gone (404) for all but staff.
async fn may_see(state: &AppState, caller: &Caller, row: &MediaRow) -> Result<(), ApiError> {
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    let staff = caller.staff_in(row.barrio_id).is_ok();
    let allowed = staff
        || match caller {
            Caller::Account(_) => caller.works_in(row.barrio_id).is_ok(),
            Caller::Device(g) if row.workshop_id == Some(g.workshop.id) => {
                g.kind == DeviceKind::Facilitator
                    || row.sender == Sender::Device(g.device_id)
                    || shown_to_others(row, state.store.media_category(row).await?.as_deref())
            }
            _ => false,
        };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    if row.received_at_ms.is_none() {
        return Err(ApiError::NotFound);
    }
    if !staff && (row.deleted_at_ms.is_some() || state.store.media_on_deleted_mark(row).await?) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// Whether other participants of the workshop may see a file: photos only (a voice is a
/// person), and only on marks of categories that are not sensitive.
fn shown_to_others(row: &MediaRow, category: Option<&str>) -> bool {
    row.kind == MediaKind::Photo && row.record.kind == RecordKind::Mark && category.is_some_and(|c| !Category::is_sensitive(c))
}

async fn visible(state: &AppState, caller: &Caller, id: &str) -> Result<MediaRow, ApiError> {
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    let (row, _) = state.store.media(uuid_of(id)?).await?.ok_or(ApiError::NotFound)?;
    may_see(state, caller, &row).await?;
    Ok(row)
}

fn etag(sha256: &str) -> String {
    format!("\"{sha256}\"")
}

fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// The headers every answer with a kept file's bytes has; `cache` is its `Cache-Control`.
fn file_headers(response: &mut Response, mime: &str, tag: &str, name: String, cache: &'static str) {
    let headers = response.headers_mut();
    if let Ok(mime) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, mime);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    if let Ok(tag) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, tag);
    }
    if let Ok(disposition) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
}

/// `GET /api/v1/media/{id}`: the file, whole or the one range asked for.
pub async fn file(State(state): State<AppState>, caller: Caller, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    send_file(&state, &row, &headers, CACHE_CONTROL).await
}

/// The bytes of kept file `row` (whoever may have them), whole or the one range `headers`
/// ask for, or 304 when they name its ETag; `cache` is the answer's `Cache-Control`.
pub(super) async fn send_file(state: &AppState, row: &MediaRow, headers: &HeaderMap, cache: &'static str) -> Result<Response, ApiError> {
    let tag = etag(&row.sha256);
    let kind = match row.kind {
        MediaKind::Photo => "foto",
        MediaKind::Voice => "nota-de-voz",
    };
    let name = format!("{kind}-{}.{}", row.id.simple(), extension(&row.mime));
    if not_modified(headers, &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        file_headers(&mut response, &row.mime, &tag, name, cache);
        response.headers_mut().remove(header::CONTENT_TYPE);
        return Ok(response);
    }
    let asked = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len) = match range::parse(asked, row.bytes) {
        Ranged::Whole => (StatusCode::OK, 0, row.bytes),
        Ranged::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        Ranged::Unsatisfiable => {
            let mut response = (StatusCode::RANGE_NOT_SATISFIABLE, Body::empty()).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{}", row.bytes)).map_err(|_| ApiError::NotFound)?);
            response.headers_mut().insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return Ok(response);
        }
    };
    let mut file = state.files.open(&row.sha256).await?;
    file.seek(std::io::SeekFrom::Start(start)).await.map_err(ApiError::Files)?;
    let mut response = (status, Body::from_stream(tokio_util::io::ReaderStream::new(file.take(len)))).into_response();
    file_headers(&mut response, &row.mime, &tag, name, cache);
    response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if status == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {start}-{}/{}", start + len - 1, row.bytes);
        response.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).map_err(|_| ApiError::NotFound)?);
    }
    Ok(response)
}

/// `GET /api/v1/media/{id}/thumb`: a photo's thumbnail (JPEG); voice notes have none (404).
pub async fn thumb(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, &id).await?;
    send_thumb(&state, &row, &headers, CACHE_CONTROL).await
}

/// The thumbnail of kept photo `row` (whoever may see it), or 304 when `headers` name its
/// ETag; 404 for a voice note. `cache` is the answer's `Cache-Control`.
pub(super) async fn send_thumb(state: &AppState, row: &MediaRow, headers: &HeaderMap, cache: &'static str) -> Result<Response, ApiError> {
    let thumb = row.thumb_sha256.clone().ok_or(ApiError::NotFound)?;
    let tag = etag(&thumb);
    let name = format!("miniatura-{}.jpg", row.id.simple());
    if not_modified(headers, &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        file_headers(&mut response, "image/jpeg", &tag, name, cache);
        response.headers_mut().remove(header::CONTENT_TYPE);
        return Ok(response);
    }
    let file = state.files.open(&thumb).await?;
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    file_headers(&mut response, "image/jpeg", &tag, name, cache);
    Ok(response)
}

/// `DELETE /api/v1/media/{id}`: hides a file, by its sender or staff of its barrio. The row
/// and the bytes stay (history); listings leave it out.
pub async fn hide(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let sender = sender_of(&caller)?;
    let (row, _) = state.store.media(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    if row.sender != sender && caller.staff_in(row.barrio_id).is_err() {
        // Someone who may see it learns they may not hide it; anyone else, nothing.
        may_see(&state, &caller, &row).await?;
        return Err(ApiError::Forbidden);
    }
    state.store.hide_media(row.id, now_ms()).await?;
    tracing::info!(media = %row.id, barrio_id = row.barrio_id, "media hidden");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/barrios/{id}/media[?mark=…]`: staff's archive of a barrio, newest first.
pub async fn of_barrio(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<MediaList>, ApiError> {
    caller.staff_in(barrio_id)?;
    let mark = query
        .get("mark")
        .map(|m| {
            Uuid::parse_str(m.trim()).map_err(|_| ApiError::InvalidQuery {
                field: "mark",
                es: "«mark» debe ser el identificador (UUID) de una marca.".into(),
                en: "\"mark\" must be a mark's id (a UUID).".into(),
            })
        })
        .transpose()?;
    if !state.store.barrio_exists(barrio_id).await? {
        return Err(ApiError::NotFound);
    }
    let items = state.store.barrio_media(barrio_id, mark).await?.iter().map(ListedMedia::item).collect();
    Ok(Json(MediaList { items }))
}

/// `GET /api/v1/workshops/{id}/media`: a workshop's files. Its participants' devices get
/// their own and others' photos on marks that are not sensitive; its facilitators, staff
/// and the facilitator's tablet get all.
pub async fn of_workshop(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<MediaList>, ApiError> {
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    let workshop = state.store.workshop(uuid_of(&id)?).await?.ok_or(ApiError::UnknownWorkshop { field: None })?;
    caller.reads_workshop(&workshop)?;
    let participant = caller.participant_device();
    let items = state
        .store
        .workshop_media(workshop.id)
        .await?
        .into_iter()
        .filter(|m| match participant {
            None => true,
            Some((device, _)) => m.row.sender == Sender::Device(device) || shown_to_others(&m.row, m.category.as_deref()),
        })
        .map(|m| m.item())
        .collect();
    Ok(Json(MediaList { items }))
}
