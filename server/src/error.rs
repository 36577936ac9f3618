//! The API's one error type, mapped once to HTTP. Clients get a code, a message in Spanish
//! and in English, and the field at fault; internal details are logged, never sent.

use app::model::{Bilingual, MarkError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum ApiError {
    /// 400 for a body that is not JSON or not a Feature; 422 for a Feature that breaks a rule.
    #[error(transparent)]
    InvalidMark(#[from] MarkError),
    /// 422: the mark names a barrio that does not exist.
    #[error("unknown barrio {0}")]
    UnknownBarrio(i64),
    /// 422: the mark lies far outside its barrio (swapped or made-up coordinates).
    #[error("mark outside barrio {0}")]
    OutsideBarrio(i64),
    /// 404
    #[error("not found")]
    NotFound,
    /// 409: another mark already has this id.
    #[error("conflicting mark {0}")]
    Conflict(uuid::Uuid),
    /// 413
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// 415
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 400: the body could not be read at all.
    #[error("unreadable body: {0}")]
    UnreadableBody(String),
    /// 422: an import file that cannot be used as a whole (not GeoJSON, wrong CRS…).
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// 422: an option of a request that is out of range.
    #[error("invalid option {field}: {en}")]
    InvalidOption { field: &'static str, es: String, en: String },
    /// 401: no or wrong credentials.
    #[error("unauthorized")]
    Unauthorized,
    /// 403: the feature is switched off on this server.
    #[error("disabled: {0}")]
    Disabled(&'static str),
    /// 500 (503 when the database is busy); logged, shown only as a generic message.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn import_es(e: &crate::import::ImportError) -> String {
    use crate::import::ImportError as E;
    match e {
        E::NotGeoJson(why) => format!("El archivo no es GeoJSON: {why}"),
        E::NotAFeatureCollection => "El archivo es GeoJSON pero no es una FeatureCollection.".into(),
        E::UnsupportedCrs(crs) => {
            format!("El archivo declara el sistema de coordenadas {crs}; solo se acepta WGS84 longitud/latitud (EPSG:4326, CRS84).")
        }
        E::Invalid(why) => format!("No se puede importar: {why}"),
    }
}

impl ApiError {
    /// A body axum could not read: too large for `limit`, or cut short.
    pub fn from_body_rejection(rejection: axum::extract::rejection::BytesRejection, limit: usize) -> ApiError {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { limit }
        } else {
            ApiError::UnreadableBody(rejection.body_text())
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidMark(MarkError::MalformedJson(_) | MarkError::NotAFeature(_)) => StatusCode::BAD_REQUEST,
            ApiError::InvalidMark(_) | ApiError::UnknownBarrio(_) | ApiError::OutsideBarrio(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Import(_) | ApiError::InvalidOption { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Disabled(_) => StatusCode::FORBIDDEN,
            ApiError::Store(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if e.code == rusqlite::ErrorCode::DatabaseBusy =>
            {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// `(code, field, Spanish, English)`
    fn parts(&self) -> (&'static str, Option<&'static str>, String, String) {
        match self {
            ApiError::InvalidMark(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::UnknownBarrio(id) => (
                "unknown_barrio",
                Some("properties.barrio_id"),
                format!("El barrio {id} no existe."),
                format!("Barrio {id} does not exist."),
            ),
            ApiError::OutsideBarrio(id) => (
                "outside_barrio",
                Some("geometry"),
                format!("La marca está lejos del barrio {id}: revise que las coordenadas sean [longitud, latitud]."),
                format!("The mark lies far from barrio {id}: check the coordinates are [longitude, latitude]."),
            ),
            ApiError::NotFound => ("not_found", None, "No se encontró.".into(), "Not found.".into()),
            ApiError::Conflict(id) => (
                "conflict",
                Some("id"),
                format!("Ya hay otra marca guardada con el id {id}."),
                format!("A different mark is already stored with id {id}."),
            ),
            ApiError::PayloadTooLarge { limit } => (
                "payload_too_large",
                None,
                format!("El envío es demasiado grande: el máximo es {} KB.", limit / 1024),
                format!("The request is too large: the limit is {} KB.", limit / 1024),
            ),
            ApiError::UnsupportedMediaType => (
                "unsupported_media_type",
                None,
                "Envíe el cuerpo como JSON (Content-Type: application/geo+json o application/json).".into(),
                "Send the body as JSON (Content-Type: application/geo+json or application/json).".into(),
            ),
            ApiError::Import(e) => ("invalid_import", None, import_es(e), e.to_string()),
            ApiError::InvalidOption { field, es, en } => ("invalid_option", Some(*field), es.clone(), en.clone()),
            ApiError::Unauthorized => (
                "unauthorized",
                None,
                "Falta la clave de administración o no es correcta.".into(),
                "The administration token is missing or wrong.".into(),
            ),
            ApiError::Disabled(what) => (
                "disabled",
                None,
                format!("{what} está desactivado en este servidor: defina CARTOBARRIO_ADMIN_TOKEN para activarlo."),
                format!("{what} is switched off on this server: set CARTOBARRIO_ADMIN_TOKEN to enable it."),
            ),
            ApiError::UnreadableBody(_) => {
                ("unreadable_body", None, "No se pudo leer el cuerpo del envío.".into(), "The request body could not be read.".into())
            }
            ApiError::Store(_) => (
                "internal",
                None,
                "Error interno del servidor; no se guardó nada. Intente de nuevo.".into(),
                "Internal server error; nothing was stored. Please try again.".into(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let (code, field, message, message_en) = self.parts();
        let body = json!({ "error": { "code": code, "field": field, "message": message, "message_en": message_en } });
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_is_a_400_and_rule_breaks_are_422() {
        assert_eq!(ApiError::InvalidMark(MarkError::MalformedJson("x".into())).status(), StatusCode::BAD_REQUEST);
        assert_eq!(ApiError::InvalidMark(MarkError::MissingId).status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ApiError::UnknownBarrio(9).status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn store_errors_do_not_leak_details() {
        let err = ApiError::Store(StoreError::Corrupt("secret path /var/x".into()));
        let (_, _, es, en) = err.parts();
        assert!(!es.contains("/var/x") && !en.contains("/var/x"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
