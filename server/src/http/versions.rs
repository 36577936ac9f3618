//! A record's history: `GET /api/v1/records/{kind}/{id}/versions` returns every version the
//! server received of one mark, cause or solution, ordered by clock (the last one is current;
//! two devices' versions with the same number are both there, each with its `hlc`).

use app::model::Record;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{Kind, Store};

/// History shows what was deleted and every alias a record had: staff only.
pub async fn list(State(store): State<Store>, caller: Caller, Path((kind, id)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    caller.staff()?;
    let kind = Kind::parse(&kind).ok_or(ApiError::UnknownKind(kind))?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::InvalidId(id))?;
    let versions = store.record_versions(kind, id).await?;
    // A record never changes barrio: its first version's is its own.
    let barrio_id = versions.first().ok_or(ApiError::NotFound)?.barrio_id();
    caller.staff_in(barrio_id)?;
    // Each version as the model's own JSON, without the kind tag the answer already carries.
    let versions = versions
        .iter()
        .map(|r| match r {
            Record::Mark(m) => serde_json::to_value(m),
            Record::Cause(c) => serde_json::to_value(c),
            Record::Solution(s) => serde_json::to_value(s),
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::Store(crate::store::StoreError::Corrupt(e.to_string())))?;
    Ok(Json(json!({ "kind": kind.as_str(), "id": id, "versions": versions })))
}
