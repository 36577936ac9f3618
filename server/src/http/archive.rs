//! A diagnóstico's archive for staff (`GET …/diagnosticos/{number}/archivo.zip`): its exports
//! and the photos and voice notes of its marks in one ZIP, built off the async threads into a
//! temporary file once the database was read, then streamed.

use std::collections::HashSet;
use std::io::{Seek, SeekFrom};

use app::model::media::RecordKind;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::diagnosticos::{exported, with_marks};
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::export::archive::{file_name, write_archive, Archive, ArchiveMedia};
use crate::store::StoreError;

pub async fn zip(State(state): State<AppState>, caller: Caller, Path((barrio_id, number)): Path<(i64, u32)>) -> Result<Response, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (stored, code, name, marks) = with_marks(&state, barrio_id, number).await?;
    // The marks the diagnóstico counted; their files that staff's list shows (kept, not hidden,
    // not of a mark deleted since).
    let counted: HashSet<Uuid> = stored.diagnostico.hotspots.iter().flat_map(|h| h.source_ids.iter().copied()).collect();
    let files: Vec<_> = state
        .store
        .barrio_media(barrio_id, None)
        .await?
        .into_iter()
        .filter(|m| m.row.record.kind == RecordKind::Mark && counted.contains(&m.row.record.id))
        .map(|m| m.row)
        .collect();
    exported(&state, user, barrio_id, number, "archivo ZIP con fotos y notas de voz").await?;
    let store = state.files.clone();
    let made_at_ms = now_ms();
    let download = file_name(&code, number);
    // Nothing of the database is held from here on: only files on disk are read.
    let archive = tokio::task::spawn_blocking(move || -> Result<std::fs::File, ApiError> {
        let media: Vec<ArchiveMedia> = files
            .into_iter()
            .filter_map(|row| match store.kept(&row.sha256) {
                Some(path) => Some(ArchiveMedia { id: row.id, mark_id: row.record.id, mime: row.mime, path }),
                None => {
                    tracing::warn!(media = %row.id, "a kept file is missing on disk: left out of the archive");
                    None
                }
            })
            .collect();
        let archive = Archive { stored: &stored, marks: &marks, barrio_name: &name, barrio_code: &code, media: &media, made_at_ms };
        let mut file = write_archive(store.scratch().map_err(ApiError::Files)?, &archive)?;
        file.seek(SeekFrom::Start(0)).map_err(ApiError::Files)?;
        Ok(file)
    })
    .await
    .map_err(|e| ApiError::Store(StoreError::Worker(e.to_string())))??;
    let len = archive.metadata().map_err(ApiError::Files)?.len();
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(archive)));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{download}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
