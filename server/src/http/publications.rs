//! Publishing diagnósticos "editados por seguridad": staff preview and approve a barrio's
//! publication (and withdraw it); anyone, signed in or not, reads the publications in force
//! and downloads them. The public routes answer only from what was approved and stored.

use app::model::publication::{build, PublicBarrio, Publication, PublicationDraft, PublicationSummary, PublishRequest, Source};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use super::diagnosticos::{read, source_versions};
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Withdrawal;

/// The publication `request` asks for, built from the stored diagnóstico, its marks in the
/// versions it was made from and the barrio's causes; not stored.
async fn draft(state: &AppState, barrio_id: i64, request: &PublishRequest) -> Result<PublicationDraft, ApiError> {
    let stored = state.store.diagnostico(barrio_id, request.diagnostico).await?.ok_or(ApiError::NotFound)?;
    let barrio = state.store.barrio(barrio_id).await?.ok_or(ApiError::NotFound)?;
    let marks = source_versions(state, &stored).await?;
    let causes = state.store.tree_for_barrio(barrio_id).await?.causes;
    let earlier: Vec<_> = state.store.publications(barrio_id).await?.into_iter().map(|p| p.params).collect();
    // The grid is laid from the barrio's south-west corner: public, and the same every time.
    let origin = barrio.bbox().map(|b| (b[0], b[1])).ok_or(ApiError::NotFound)?;
    let src = Source { barrio_name: &barrio.summary.name, origin, stored: &stored, marks: &marks, causes: &causes, earlier: &earlier };
    Ok(build(&src, request.params, &request.texts, 0, now_ms())?)
}

/// What would be published, and every text staff may approve.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PublicationDraft>, ApiError> {
    caller.staff_in(barrio_id)?;
    let request: PublishRequest = read(&headers, body, state.max_body_bytes)?;
    Ok(Json(draft(&state, barrio_id, &request).await?))
}

pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Publication>), ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let request: PublishRequest = read(&headers, body, state.max_body_bytes)?;
    let built = draft(&state, barrio_id, &request).await?;
    let published = state.store.publish(built.publication, user.id).await?;
    tracing::info!(barrio_id, number = published.number, diagnostico = published.diagnostico_number, "diagnóstico published");
    let detail = format!("diagnóstico {}, {} textos aprobados", published.diagnostico_number, published.texts.len());
    state.store.audit(Some(user), "publication", format!("barrio {barrio_id} publicación {}", published.number), detail, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(published)))
}

pub async fn list(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<PublicationSummary>>, ApiError> {
    caller.staff_in(barrio_id)?;
    state.store.barrio(barrio_id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(state.store.publications(barrio_id).await?))
}

pub async fn withdraw(State(state): State<AppState>, caller: Caller, Path((barrio_id, number)): Path<(i64, u32)>) -> Result<Json<Publication>, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    match state.store.withdraw_publication(barrio_id, number, user.id, now_ms()).await?.ok_or(ApiError::NotFound)? {
        Withdrawal::Done(p) => {
            tracing::info!(barrio_id, number, "publication withdrawn");
            state.store.audit(Some(user), "publication_withdraw", format!("barrio {barrio_id} publicación {number}"), String::new(), now_ms()).await?;
            Ok(Json(p))
        }
        Withdrawal::Already => Err(ApiError::AlreadyWithdrawn),
    }
}

/// Public answers may be kept, but must be checked again: a withdrawal ends them at once.
const REVALIDATE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-cache");

/// The barrios with a publication in force.
pub async fn public_list(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let list: Vec<PublicBarrio> = state.store.public_barrios().await?;
    Ok(([REVALIDATE], Json(list)))
}

async fn current(state: &AppState, barrio_id: i64) -> Result<Publication, ApiError> {
    state.store.current_publication(barrio_id).await?.ok_or(ApiError::NotFound)
}

/// A barrio's publication in force.
pub async fn public_one(State(state): State<AppState>, Path(barrio_id): Path<i64>) -> Result<impl IntoResponse, ApiError> {
    Ok(([REVALIDATE], Json(current(&state, barrio_id).await?)))
}

fn download(content_type: &'static str, p: &Publication, ext: &str, body: Vec<u8>) -> impl IntoResponse {
    ([REVALIDATE], super::diagnosticos::download(content_type, format!("publicacion-barrio-{}-{}.{ext}", p.barrio_id, p.number), body))
}

pub async fn public_geojson(State(state): State<AppState>, Path(barrio_id): Path<i64>) -> Result<impl IntoResponse, ApiError> {
    let p = current(&state, barrio_id).await?;
    let body = crate::export::publication_geojson(&p).into_bytes();
    Ok(download("application/geo+json", &p, "geojson", body))
}

pub async fn public_csv(State(state): State<AppState>, Path(barrio_id): Path<i64>) -> Result<impl IntoResponse, ApiError> {
    let p = current(&state, barrio_id).await?;
    let body = crate::export::publication_csv(&p)?;
    Ok(download("text/csv; charset=utf-8", &p, "csv", body))
}
