//! Marks as GeoJSON Features: `POST /api/v1/marks` stores one version of a mark (new, edited
//! or deleted; idempotent by id and version), and `GET /api/v1/barrios/{id}/marks` lists the
//! current version of a barrio's marks, tombstones included, as a FeatureCollection. Both are
//! for accounts that work in the barrio.

use app::model::{Mark, Record};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{body::json_body, stored, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{Kind, Store, BARRIO_MARGIN_DEG};

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // Protocol 1 knows no device tokens: it is for accounts, in the barrios they work in.
    caller.account()?;
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let mark = Mark::from_feature_json(&body)?;
    caller.works_in(mark.barrio_id)?;
    let unknown = ApiError::UnknownBarrio { barrio_id: mark.barrio_id, field: "properties.barrio_id" };
    let bbox = state.store.barrio_bbox(mark.barrio_id).await?.ok_or(unknown)?;
    // Tombstones keep their last geometry, so they pass this check like any version.
    if !mark.lies_near(bbox, BARRIO_MARGIN_DEG) {
        return Err(ApiError::OutsideBarrio(mark.barrio_id));
    }
    let (id, version) = (mark.id, mark.version);
    let outcome = state.store.store_record(Record::Mark(mark)).await?;
    Ok(stored::answer(Kind::Mark, id, version, outcome))
}

pub async fn list_for_barrio(State(store): State<Store>, caller: Caller, Path(id): Path<i64>) -> Result<Response, ApiError> {
    caller.account()?;
    if store.barrio_bbox(id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let user = caller.works_in(id)?;
    let mut marks = store.marks_for_barrio(id).await?;
    // A facilitator sees the barrio's workshops' marks; staff also those sent outside any.
    if !user.role.is_staff() {
        marks.retain(|m| m.workshop_id.is_some());
    }
    let collection =
        geojson::FeatureCollection { bbox: None, features: marks.iter().map(Mark::to_feature).collect(), foreign_members: None };
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(collection)).into_response())
}
