//! Marks as GeoJSON Features: `POST /api/v1/marks` stores one version of a mark (new, edited
//! or deleted; idempotent by id and version), and `GET /api/v1/barrios/{id}/marks` lists the
//! current version of a barrio's marks, tombstones included, as a FeatureCollection.

use app::model::{Mark, Record};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{body::json_body, stored, AppState};
use crate::error::ApiError;
use crate::store::{Kind, Store, BARRIO_MARGIN_DEG};

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let mark = Mark::from_feature_json(&body)?;
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

pub async fn list_for_barrio(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    if store.barrio_bbox(id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let marks = store.marks_for_barrio(id).await?;
    let collection =
        geojson::FeatureCollection { bbox: None, features: marks.iter().map(Mark::to_feature).collect(), foreign_members: None };
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(collection)).into_response())
}
