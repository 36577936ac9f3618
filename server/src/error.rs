//! The API's one error type, mapped once to HTTP. Clients get a code, a message in Spanish
//! and in English, and the field at fault; internal details are logged, never sent.

use app::model::{Bilingual, MarkError, TreeError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

use crate::store::{Kind, StoreError};

#[derive(Debug, Error)]
pub enum ApiError {
    /// 400 for a body that is not JSON or not a Feature; 422 for a Feature that breaks a rule.
    #[error(transparent)]
    InvalidMark(#[from] MarkError),
    /// 400 for a cause or solution body that is not JSON of the right shape; 422 for one that
    /// breaks a rule or links to what it may not.
    #[error("invalid {kind}: {error}")]
    InvalidTree { kind: Kind, error: TreeError },
    /// 422: the record names a barrio that does not exist; `field` is where it says so.
    #[error("unknown barrio {barrio_id}")]
    UnknownBarrio { barrio_id: i64, field: &'static str },
    /// 422: the mark lies far outside its barrio (swapped or made-up coordinates).
    #[error("mark outside barrio {0}")]
    OutsideBarrio(i64),
    /// 404
    #[error("not found")]
    NotFound,
    /// 409: a different record is already stored under this id and version.
    #[error("conflicting {kind} {id} version {version}")]
    Conflict { kind: Kind, id: uuid::Uuid, version: u32 },
    /// 409: the record is stored in another barrio (records never move barrio).
    #[error("{kind} {id} changed barrio")]
    BarrioChanged { kind: Kind, id: uuid::Uuid },
    /// 400: a path names a kind of record that does not exist.
    #[error("unknown kind {0:?}")]
    UnknownKind(String),
    /// 400: a path's id is not a UUID.
    #[error("invalid id {0:?}")]
    InvalidId(String),
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
    Store(StoreError),
}

impl From<StoreError> for ApiError {
    /// The store's refusals are the client's to fix; everything else is the server's fault.
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::VersionConflict { kind, id, version } => ApiError::Conflict { kind, id, version },
            StoreError::BarrioChanged { kind, id } => ApiError::BarrioChanged { kind, id },
            StoreError::BrokenLink { kind, error } => ApiError::InvalidTree { kind, error },
            other => ApiError::Store(other),
        }
    }
}

/// A kind of record with its article, as a Spanish sentence names it.
fn kind_es(kind: Kind) -> &'static str {
    match kind {
        Kind::Mark => "la marca",
        Kind::Cause => "la causa",
        Kind::Solution => "la solución",
    }
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
            ApiError::InvalidTree { error: TreeError::Malformed(_), .. } => StatusCode::BAD_REQUEST,
            ApiError::InvalidMark(_) | ApiError::InvalidTree { .. } | ApiError::UnknownBarrio { .. } | ApiError::OutsideBarrio(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } | ApiError::BarrioChanged { .. } => StatusCode::CONFLICT,
            ApiError::UnknownKind(_) | ApiError::InvalidId(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Import(_) | ApiError::InvalidOption { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Disabled(_) => StatusCode::FORBIDDEN,
            ApiError::Store(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// `(code, field, Spanish, English)`
    fn parts(&self) -> (&'static str, Option<&'static str>, String, String) {
        match self {
            ApiError::InvalidMark(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidTree { kind, error } => (error.code(), error.field(*kind == Kind::Cause), error.es(), error.en()),
            ApiError::UnknownBarrio { barrio_id, field } => {
                ("unknown_barrio", Some(*field), format!("El barrio {barrio_id} no existe."), format!("Barrio {barrio_id} does not exist."))
            }
            ApiError::OutsideBarrio(id) => (
                "outside_barrio",
                Some("geometry"),
                format!("La marca está lejos del barrio {id}: revise que las coordenadas sean [longitud, latitud]."),
                format!("The mark lies far from barrio {id}: check the coordinates are [longitude, latitude]."),
            ),
            ApiError::NotFound => ("not_found", None, "No se encontró.".into(), "Not found.".into()),
            // "conflict" is the code the first app version knows; keep it.
            ApiError::Conflict { kind, id, version } => (
                "conflict",
                Some("id"),
                format!("Ya hay guardada otra versión {version} de {} {id}, con otro contenido.", kind_es(*kind)),
                format!("A different version {version} of {kind} {id} is already stored."),
            ),
            ApiError::BarrioChanged { kind, id } => (
                "barrio_changed",
                Some(if *kind == Kind::Mark { "properties.barrio_id" } else { "barrio_id" }),
                format!("{} {id} está guardada en otro barrio; un registro nunca cambia de barrio.", capitalised(kind_es(*kind))),
                format!("The {kind} {id} is stored in another barrio; a record never moves barrio."),
            ),
            ApiError::UnknownKind(kind) => (
                "unknown_kind",
                Some("kind"),
                format!("«{kind}» no es un tipo de registro: use mark, cause o solution."),
                format!("{kind:?} is not a kind of record: use mark, cause or solution."),
            ),
            ApiError::InvalidId(id) => {
                ("invalid_id", Some("id"), format!("El id «{id}» no es un UUID."), format!("The id {id:?} is not a UUID."))
            }
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

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
        assert_eq!(ApiError::UnknownBarrio { barrio_id: 9, field: "barrio_id" }.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let malformed = ApiError::InvalidTree { kind: Kind::Cause, error: TreeError::Malformed("x".into()) };
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
        let unlinked = ApiError::InvalidTree { kind: Kind::Cause, error: TreeError::NoLinks("problem") };
        assert_eq!(unlinked.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unlinked.parts().1, Some("problem_ids"));
    }

    #[test]
    fn store_refusals_are_the_clients_to_fix() {
        let id = uuid::Uuid::nil();
        let conflict = ApiError::from(StoreError::VersionConflict { kind: Kind::Solution, id, version: 2 });
        assert_eq!((conflict.status(), conflict.parts().0), (StatusCode::CONFLICT, "conflict"));
        let moved = ApiError::from(StoreError::BarrioChanged { kind: Kind::Cause, id });
        assert_eq!((moved.status(), moved.parts().0), (StatusCode::CONFLICT, "barrio_changed"));
        assert!(moved.parts().2.starts_with("La causa"));
        let broken = ApiError::from(StoreError::BrokenLink { kind: Kind::Solution, error: TreeError::DeletedLink(id) });
        assert_eq!(
            (broken.status(), broken.parts().0, broken.parts().1),
            (StatusCode::UNPROCESSABLE_ENTITY, "deleted_link", Some("cause_ids"))
        );
    }

    #[test]
    fn store_errors_do_not_leak_details() {
        let err = ApiError::Store(StoreError::Corrupt("secret path /var/x".into()));
        let (_, _, es, en) = err.parts();
        assert!(!es.contains("/var/x") && !en.contains("/var/x"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
