//! The API's one error type, mapped once to HTTP. Clients get a code, a message in Spanish
//! and in English, and the field at fault; internal details are logged, never sent.

use app::model::sync::{ErrorBody, MAX_BATCH_CHANGES, OLDEST_PROTOCOL, PROTOCOL};
use app::model::acta::ActaError;
use app::model::media::MediaError;
use app::model::registro::RegistroError;
use app::model::cbsc::CbscError;
use app::model::inscripcion::InscripcionError;
use app::model::ruta::RutaError;
use app::model::{Bilingual, MarkError, TreeError, WorkshopError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

use crate::balance::BalanceRefusal;
use crate::import::ImportError;
use crate::pactos::PactoRefusal;
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
    /// 401: no session or device token, or one that is not (or no longer) valid.
    #[error("unauthorized")]
    Unauthorized,
    /// 403: signed in, but this account or device may not do this here.
    #[error("forbidden")]
    Forbidden,
    /// 403: a cookie-authenticated write without its session's anti-forgery token, or from
    /// a page of another site.
    #[error("csrf token missing or wrong")]
    CsrfRejected,
    /// 401: wrong user name or password (which of the two is not said).
    #[error("bad credentials")]
    BadCredentials,
    /// 403: the workshop this device token is for was closed.
    #[error("workshop closed")]
    WorkshopClosed,
    /// 403: the account that prepared the workshop (or holds this tablet's token) was disabled
    /// or no longer works in its barrio.
    #[error("workshop access revoked")]
    WorkshopAccessRevoked,
    /// 403 (a change's refusal): a participant's device changing what another device made.
    #[error("{kind} {id} is another device's")]
    NotYours { kind: Kind, id: uuid::Uuid },
    /// 409: another account has this user name.
    #[error("username taken")]
    UsernameTaken,
    /// 422: an account draft or a password that breaks a rule.
    #[error(transparent)]
    InvalidAccount(#[from] app::model::account::AccountError),
    /// 409: the record is stored in another workshop (records never move workshop).
    #[error("{kind} {id} changed workshop")]
    WorkshopChanged { kind: Kind, id: uuid::Uuid },
    /// 409 (a change's refusal): the record names another workshop than its batch.
    #[error("{kind} {id} is of another workshop than the batch")]
    OtherWorkshop { kind: Kind, id: uuid::Uuid },
    /// 422: a workshop's record drawn in another barrio than the workshop's (`barrio_id`).
    #[error("{kind} {id} outside the barrio of its workshop")]
    WorkshopBarrio { kind: Kind, id: uuid::Uuid, barrio_id: i64 },
    /// 404 for a batch or a path naming a workshop that does not exist; 422 for a record
    /// naming one (`field`, where it says so).
    #[error("unknown workshop")]
    UnknownWorkshop { field: Option<&'static str> },
    /// 422: a version dated (by its clock or its dates) more than a day ahead of the server.
    #[error("clock ahead in {field}")]
    ClockAhead { field: &'static str },
    /// 422 (a change's refusal): a version sent through `/sync` whose clock names another
    /// device than the batch's: a device may not date versions as another's.
    #[error("clock of another device")]
    ForeignClock { field: &'static str },
    /// 426: a device speaking a protocol older than the server still takes.
    #[error("protocol {0} too old")]
    ClientTooOld(u64),
    /// 400: a protocol newer than this server's.
    #[error("unsupported protocol {0}")]
    UnsupportedProtocol(u64),
    /// 400: a batch that is not JSON of the batch's shape.
    #[error("malformed batch: {0}")]
    MalformedBatch(String),
    /// 413: more changes than a batch may have.
    #[error("{0} changes in one batch")]
    TooManyChanges(usize),
    /// 409: a submission id another device used.
    #[error("submission id reused")]
    SubmissionReused,
    /// 400 for a workshop body that is not JSON of the draft's shape.
    #[error("malformed workshop: {0}")]
    MalformedWorkshop(String),
    /// 400 for a body that is not JSON of the expected shape.
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    /// 422: a review decision or a diagnóstico request that breaks a rule.
    #[error(transparent)]
    InvalidReview(#[from] app::model::review::ReviewError),
    /// 422: a publication request that would not protect anyone, or approves a text that
    /// is not the diagnóstico's to publish.
    #[error(transparent)]
    InvalidPublication(#[from] app::model::publication::PublishError),
    /// 409: the publication was already withdrawn.
    #[error("publication already withdrawn")]
    AlreadyWithdrawn,
    /// 422: a correction of hotspots or a note that breaks a rule or names what is not there.
    #[error(transparent)]
    InvalidAdjustment(#[from] app::model::adjustment::AdjustmentError),
    /// 422 for a step change or closing the route refuses; 409 when the ciclo is closed or
    /// the barrio already walks an open one.
    #[error(transparent)]
    InvalidRuta(#[from] app::model::ruta::RutaError),
    /// 422 for a registro's details; 413 for a file too large; 415 for one not of an
    /// accepted format; 409 for a registro withdrawn already.
    #[error(transparent)]
    InvalidRegistro(#[from] app::model::registro::RegistroError),
    /// 422 for an acta that breaks a rule; 409 for a version stored with other content, an
    /// older version or another barrio; 403 for another facilitator's acta.
    #[error(transparent)]
    InvalidActa(#[from] app::model::acta::ActaError),
    /// 422 for a ficha de intervención that breaks a rule or names what the barrio does not
    /// have; 409 for a version stored with other content, an older version or another barrio;
    /// 403 for another facilitator's ficha.
    #[error(transparent)]
    InvalidFicha(#[from] app::model::intervencion::FichaError),
    /// 422 for a miniauditoría that breaks a rule or names what the barrio does not have; 409
    /// for a version stored with other content, an older version, a closed one or another
    /// barrio; 403 for another facilitator's.
    #[error(transparent)]
    InvalidMiniauditoria(#[from] app::model::miniauditoria::MiniauditoriaError),
    /// 422 for a request to enter the route or a decision that breaks a rule; 409 when the
    /// barrio has too many requests waiting, the request was decided, or the barrio already
    /// walks an open ciclo.
    #[error(transparent)]
    InvalidInscripcion(#[from] InscripcionError),
    /// A photo or voice note refused: 413 too large, 415 not of its kind, 409 an id used for
    /// another file, 429 too many unfinished uploads, 422 anything else (a decision to
    /// publish a voice note or a photo of a sensitive mark among them).
    #[error(transparent)]
    InvalidMedia(#[from] app::model::media::MediaError),
    /// 422: a version of a barrio's CBSC that breaks a rule.
    #[error(transparent)]
    InvalidCbsc(#[from] CbscError),
    /// Pasos 1–2: 422 for an ISCB definition, prioritisation or oficio that breaks a rule (or
    /// a definition whose reference period has no data); 404 when there is nothing to make a
    /// balance from (no data, no such period or version); 409 for a barrio chosen that already
    /// walks an open ciclo.
    #[error(transparent)]
    Balance(#[from] BalanceRefusal),
    /// Paso 4: 422 for content, a status change, an institution or a publication that breaks
    /// a rule ([`PactoError`](app::model::pacto::PactoError), with its code and field), an
    /// acta or registro that is not the one the rule asks for, or a pacto signed with no
    /// compromiso; 404 for a diagnóstico the barrio does not have; 409 when the pacto's state
    /// refuses the change (signed, stale revision, not signed, already amended, superseded,
    /// another pacto of the barrio still unsigned).
    #[error(transparent)]
    Pacto(#[from] PactoRefusal),
    /// 429: too many requests to enter the route from this address; try after
    /// `retry_after_s` seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_s: u64 },
    /// 400: an upload cut short before its end.
    #[error("upload interrupted: {0}")]
    UploadInterrupted(String),
    /// 500: a registro's file could not be written or read; logged, shown only as a generic
    /// message.
    #[error("file store: {0}")]
    Files(std::io::Error),
    /// 422: a workshop draft that breaks a rule.
    #[error(transparent)]
    InvalidWorkshop(#[from] WorkshopError),
    /// 400: a join code that cannot be one.
    #[error("invalid join code")]
    InvalidCode,
    /// 404: no workshop has this join code.
    #[error("unknown join code")]
    UnknownCode,
    /// 410: the workshop's join code expired.
    #[error("join code expired")]
    CodeExpired,
    /// 429: too many failed attempts from this address; try after `retry_after_s` seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_s: u64 },
    /// 503: the request took longer than the server's deadline; its work was dropped.
    #[error("request took over {seconds} s")]
    TimedOut { seconds: u64 },
    /// 400: a query parameter out of range or not a number.
    #[error("invalid query {field}: {en}")]
    InvalidQuery { field: &'static str, es: String, en: String },
    /// 500 (503 when the database is busy or cannot be written); logged, shown only as a
    /// generic message.
    #[error(transparent)]
    Store(StoreError),
    /// 500: an export file could not be written; logged, shown only as a generic message.
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// A file of indicator data refused as a whole: 400 empty, 415 neither CSV nor XLSX, 413
    /// too many rows or a workbook too large unpacked, 422 unreadable, a header without the
    /// columns rows need, or a confirmed import of which no row could be taken (then `report`
    /// holds the report, row by row).
    #[error(transparent)]
    IndicatorImport(#[from] crate::indicadores::ImportacionError),
}

impl From<StoreError> for ApiError {
    /// The store's refusals are the client's to fix; everything else is the server's fault.
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::VersionConflict { kind, id, version } => ApiError::Conflict { kind, id, version },
            StoreError::BarrioChanged { kind, id } => ApiError::BarrioChanged { kind, id },
            StoreError::BrokenLink { kind, error } => ApiError::InvalidTree { kind, error },
            StoreError::OtherWorkshop { kind, id } => ApiError::WorkshopChanged { kind, id },
            StoreError::UnknownWorkshop { kind, .. } => ApiError::UnknownWorkshop { field: Some(field_of(kind, "workshop_id")) },
            StoreError::WorkshopBarrio { kind, id, barrio_id } => ApiError::WorkshopBarrio { kind, id, barrio_id },
            StoreError::UnknownBarrio { kind, barrio_id } => ApiError::UnknownBarrio { barrio_id, field: field_of(kind, "barrio_id") },
            StoreError::OutsideBarrio(barrio_id) => ApiError::OutsideBarrio(barrio_id),
            StoreError::SubmissionReused(_) => ApiError::SubmissionReused,
            StoreError::NotYours { kind, id } => ApiError::NotYours { kind, id },
            StoreError::Correction(e) => ApiError::InvalidAdjustment(e),
            StoreError::Ruta(e) => ApiError::InvalidRuta(e),
            StoreError::Registro(e) => ApiError::InvalidRegistro(e),
            StoreError::Acta(e) => ApiError::InvalidActa(e),
            StoreError::Ficha(e) => ApiError::InvalidFicha(e),
            StoreError::Miniauditoria(e) => ApiError::InvalidMiniauditoria(e),
            StoreError::Inscripcion(e) => ApiError::InvalidInscripcion(e),
            StoreError::Media(e) => ApiError::InvalidMedia(e),
            StoreError::Balance(e) => ApiError::Balance(e),
            StoreError::Pacto(e) => ApiError::Pacto(e),
            other => ApiError::Store(other),
        }
    }
}

impl From<app::model::balance::BalanceError> for ApiError {
    fn from(e: app::model::balance::BalanceError) -> ApiError {
        ApiError::Balance(e.into())
    }
}

impl From<app::model::pacto::PactoError> for ApiError {
    fn from(e: app::model::pacto::PactoError) -> ApiError {
        ApiError::Pacto(e.into())
    }
}

impl From<crate::files::FileError> for ApiError {
    fn from(e: crate::files::FileError) -> ApiError {
        use crate::files::FileError;
        match e {
            FileError::Refused(e) => ApiError::InvalidRegistro(e),
            FileError::Interrupted(why) => ApiError::UploadInterrupted(why),
            FileError::Io(e) => ApiError::Files(e),
        }
    }
}

/// Where a record of `kind` says `member`: a mark's members are in its Feature's properties.
pub fn field_of(kind: Kind, member: &'static str) -> &'static str {
    match (kind, member) {
        (Kind::Mark, "barrio_id") => "properties.barrio_id",
        (Kind::Mark, "workshop_id") => "properties.workshop_id",
        (Kind::Mark, "hlc") => "properties.hlc",
        (Kind::Mark, "created_at_ms") => "properties.created_at_ms",
        (Kind::Mark, "updated_at_ms") => "properties.updated_at_ms",
        (_, member) => member,
    }
}

/// Whether a database error is the database being unavailable for a moment (busy, locked,
/// full, failing to read or write) rather than a bug: the client should try again.
fn unavailable(e: &StoreError) -> bool {
    use rusqlite::ErrorCode as C;
    matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if matches!(f.code, C::DatabaseBusy | C::DatabaseLocked | C::SystemIoFailure | C::DiskFull | C::CannotOpen | C::OutOfMemory))
}

/// A kind of record with its article, as a Spanish sentence names it.
fn kind_es(kind: Kind) -> &'static str {
    match kind {
        Kind::Mark => "la marca",
        Kind::Cause => "la causa",
        Kind::Solution => "la solución",
    }
}

/// An import error in Spanish (the English is its `Display`); the `import` command says it too.
pub fn import_es(e: &crate::import::ImportError) -> String {
    use crate::import::plan::Refusal;
    use crate::import::ImportError as E;
    match e {
        E::NotGeoJson(why) => format!("El archivo no es GeoJSON: {why}"),
        E::NotAFeatureCollection => "El archivo es GeoJSON pero no es una FeatureCollection.".into(),
        E::UnsupportedCrs(crs) => {
            format!("El archivo declara el sistema de coordenadas {crs}; solo se acepta WGS84 longitud/latitud (EPSG:4326, CRS84).")
        }
        E::Invalid(why) => format!("No se puede importar: {why}"),
        E::CodesNotUnique { property, collisions, named } => format!(
            "La propiedad de código «{property}» no identifica los barrios: {collisions} de {named} elementos con nombre usan el código \
             de otro barrio. Indique otra propiedad de código, o ninguna (el código se hace del nombre). No se importó nada."
        ),
        E::Refused(Refusal::Boundaries { barrios }, _) => format!(
            "Importación rechazada: el límite de {barrios} barrio(s) se movería lejos, dejaría de coincidir con el anterior o tiene \
             marcas (ver la lista en el informe). No se importó nada; para reemplazarlos a propósito, use la opción «replace»."
        ),
        E::Refused(Refusal::EmptyLayer { layer }, _) => format!(
            "Importación rechazada: el archivo de {} no tiene ningún elemento utilizable (ver el informe). No se importó nada y \
             ningún paquete cambió.",
            layer_es(layer)
        ),
        E::Refused(Refusal::LayerOutside { layer, municipio }, _) => format!(
            "Importación rechazada: ningún elemento del archivo de {} cae dentro de un barrio del municipio {municipio}. ¿Es otro \
             municipio u otro archivo? No se importó nada y ningún paquete cambió.",
            layer_es(layer)
        ),
    }
}

fn layer_es(layer: &str) -> &'static str {
    match layer {
        "streets" => "calles",
        "blocks" => "manzanas",
        _ => "lugares",
    }
}

/// The member of an import request at fault for an import error, when one is.
fn import_field(e: &crate::import::ImportError) -> Option<&'static str> {
    use crate::import::plan::Refusal;
    use crate::import::ImportError as E;
    match e {
        E::CodesNotUnique { .. } => Some("options.code_property"),
        E::Refused(Refusal::Boundaries { .. }, _) => Some("options.replace"),
        E::Refused(Refusal::EmptyLayer { layer } | Refusal::LayerOutside { layer, .. }, _) => match layer.as_str() {
            "streets" => Some("streets"),
            "blocks" => Some("blocks"),
            _ => Some("landmarks"),
        },
        _ => None,
    }
}

impl ApiError {
    /// 429 for a client an [`AttemptLimiter`](crate::auth::limiter::AttemptLimiter) makes wait.
    pub fn too_many_attempts(wait: std::time::Duration) -> ApiError {
        ApiError::TooManyAttempts { retry_after_s: wait.as_secs().max(1) }
    }

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
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::CsrfRejected | ApiError::WorkshopClosed | ApiError::WorkshopAccessRevoked => StatusCode::FORBIDDEN,
            ApiError::UsernameTaken => StatusCode::CONFLICT,
            ApiError::NotYours { .. } => StatusCode::FORBIDDEN,
            ApiError::InvalidAccount(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::WorkshopChanged { .. } | ApiError::OtherWorkshop { .. } | ApiError::SubmissionReused => StatusCode::CONFLICT,
            ApiError::WorkshopBarrio { .. } | ApiError::ClockAhead { .. } | ApiError::ForeignClock { .. } | ApiError::InvalidWorkshop(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::UnknownWorkshop { field: None } => StatusCode::NOT_FOUND,
            ApiError::UnknownWorkshop { field: Some(_) } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::ClientTooOld(_) => StatusCode::UPGRADE_REQUIRED,
            ApiError::UnsupportedProtocol(_)
            | ApiError::MalformedBatch(_)
            | ApiError::MalformedWorkshop(_)
            | ApiError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidReview(_) | ApiError::InvalidAdjustment(_) | ApiError::InvalidPublication(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::AlreadyWithdrawn => StatusCode::CONFLICT,
            ApiError::InvalidRuta(RutaError::Closed | RutaError::AlreadyOpen) => StatusCode::CONFLICT,
            ApiError::InvalidRuta(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidRegistro(RegistroError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::InvalidRegistro(RegistroError::NotAllowed) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidRegistro(RegistroError::AlreadyWithdrawn) => StatusCode::CONFLICT,
            ApiError::InvalidRegistro(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidMedia(MediaError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::InvalidMedia(MediaError::WrongType) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidMedia(MediaError::IdTaken) => StatusCode::CONFLICT,
            ApiError::InvalidMedia(MediaError::TooManyOpen { .. }) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::InvalidMedia(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidInscripcion(e) if e.is_conflict() => StatusCode::CONFLICT,
            ApiError::InvalidInscripcion(_) | ApiError::InvalidCbsc(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Balance(e) if e.is_not_found() => StatusCode::NOT_FOUND,
            ApiError::Balance(BalanceRefusal::CicloOpen { .. }) => StatusCode::CONFLICT,
            ApiError::Balance(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Pacto(e) if e.is_not_found() => StatusCode::NOT_FOUND,
            ApiError::Pacto(e) if e.is_conflict() => StatusCode::CONFLICT,
            ApiError::Pacto(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UploadInterrupted(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidActa(ActaError::Conflict(_) | ActaError::Stale(_) | ActaError::OtherBarrio) => StatusCode::CONFLICT,
            ApiError::InvalidActa(ActaError::NotYours) => StatusCode::FORBIDDEN,
            ApiError::InvalidActa(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidFicha(e) if e.is_conflict() => StatusCode::CONFLICT,
            ApiError::InvalidFicha(app::model::intervencion::FichaError::OtherBarrio) => StatusCode::CONFLICT,
            ApiError::InvalidFicha(app::model::intervencion::FichaError::NotYours) => StatusCode::FORBIDDEN,
            ApiError::InvalidFicha(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidMiniauditoria(e) if e.is_conflict() => StatusCode::CONFLICT,
            ApiError::InvalidMiniauditoria(app::model::miniauditoria::MiniauditoriaError::OtherBarrio) => StatusCode::CONFLICT,
            ApiError::InvalidMiniauditoria(app::model::miniauditoria::MiniauditoriaError::NotYours) => StatusCode::FORBIDDEN,
            ApiError::InvalidMiniauditoria(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Files(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::TooManyChanges(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::InvalidCode | ApiError::InvalidQuery { .. } => StatusCode::BAD_REQUEST,
            ApiError::UnknownCode => StatusCode::NOT_FOUND,
            ApiError::CodeExpired => StatusCode::GONE,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Store(e) if unavailable(e) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TimedOut { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Export(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::IndicatorImport(e) => {
                use crate::indicadores::ImportacionError as E;
                match e {
                    E::Empty => StatusCode::BAD_REQUEST,
                    E::UnsupportedFormat { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    E::TooManyRows { .. } | E::Unpacked { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                    E::UnreadableSpreadsheet(_) | E::MissingColumns { .. } | E::NothingAccepted(_) => StatusCode::UNPROCESSABLE_ENTITY,
                }
            }
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
            ApiError::TimedOut { seconds } => (
                "timed_out",
                None,
                format!("La solicitud tardó más de {seconds} segundos y se canceló. Intente de nuevo: reenviar no duplica nada."),
                format!("The request took over {seconds} seconds and was cancelled. Please try again: sending again duplicates nothing."),
            ),
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
            ApiError::Import(e @ ImportError::Refused(..)) => ("import_refused", import_field(e), import_es(e), e.to_string()),
            ApiError::Import(e @ ImportError::CodesNotUnique { .. }) => {
                ("code_property_not_unique", import_field(e), import_es(e), e.to_string())
            }
            ApiError::Import(e) => ("invalid_import", None, import_es(e), e.to_string()),
            ApiError::InvalidOption { field, es, en } => ("invalid_option", Some(*field), es.clone(), en.clone()),
            ApiError::Unauthorized => (
                "unauthorized",
                None,
                "Inicie sesión (o únase a un taller con su código) para hacer esto.".into(),
                "Sign in (or join a workshop with its code) to do this.".into(),
            ),
            ApiError::Forbidden => (
                "forbidden",
                None,
                "Su cuenta no tiene permiso para esto, o no en este barrio o taller.".into(),
                "Your account may not do this, or not in this barrio or workshop.".into(),
            ),
            ApiError::CsrfRejected => (
                "csrf",
                None,
                "La página no envió su clave de sesión: recárguela e intente de nuevo.".into(),
                "The page did not send its session token: reload it and try again.".into(),
            ),
            ApiError::BadCredentials => (
                "bad_credentials",
                None,
                "El usuario o la contraseña no son correctos.".into(),
                "The user name or password is wrong.".into(),
            ),
            ApiError::WorkshopClosed => (
                "workshop_closed",
                None,
                "El taller ya se cerró: este dispositivo no puede enviar ni recibir más marcas de él.".into(),
                "The workshop was closed: this device can no longer send or receive its marks.".into(),
            ),
            ApiError::WorkshopAccessRevoked => (
                "workshop_access_revoked",
                None,
                "Este dispositivo ya no puede enviar ni recibir marcas de este taller: la cuenta que lo preparó \
                 fue desactivada o ya no trabaja en este barrio. Las marcas siguen en el dispositivo; pida al \
                 equipo que le dé acceso de nuevo."
                    .into(),
                "This device may no longer send or receive this workshop's marks: the account that prepared it \
                 was disabled or no longer works in this barrio. The marks stay on the device; ask the staff for access."
                    .into(),
            ),
            ApiError::UsernameTaken => (
                "username_taken",
                Some("username"),
                "Ya hay una cuenta con ese usuario.".into(),
                "Another account has that user name.".into(),
            ),
            ApiError::InvalidAccount(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::NotYours { kind, id } => (
                "not_yours",
                Some("id"),
                format!("{} {id} se hizo en otro dispositivo: desde este solo se cambian las propias.", capitalised(kind_es(*kind))),
                format!("The {kind} {id} was made on another device: this one may change only its own."),
            ),
            ApiError::UnreadableBody(_) => {
                ("unreadable_body", None, "No se pudo leer el cuerpo del envío.".into(), "The request body could not be read.".into())
            }
            ApiError::WorkshopChanged { kind, id } => (
                "other_workshop",
                Some(field_of(*kind, "workshop_id")),
                format!("{} {id} está guardada en otro taller; un registro nunca cambia de taller.", capitalised(kind_es(*kind))),
                format!("The {kind} {id} is stored in another workshop; a record never moves workshop."),
            ),
            ApiError::OtherWorkshop { kind, id } => (
                "other_workshop",
                Some(field_of(*kind, "workshop_id")),
                format!("{} {id} es de otro taller que el de este envío.", capitalised(kind_es(*kind))),
                format!("The {kind} {id} belongs to another workshop than this batch."),
            ),
            ApiError::WorkshopBarrio { kind, id, barrio_id } => (
                "other_barrio",
                Some(field_of(*kind, "barrio_id")),
                format!("{} {id} no es del barrio de su taller (el barrio {barrio_id}).", capitalised(kind_es(*kind))),
                format!("The {kind} {id} is not in its workshop's barrio ({barrio_id})."),
            ),
            ApiError::UnknownWorkshop { field } => (
                "unknown_workshop",
                *field,
                "El taller no existe en este servidor.".into(),
                "The workshop does not exist on this server.".into(),
            ),
            ApiError::ClockAhead { field } => (
                "clock_ahead",
                Some(*field),
                "La fecha u hora del dispositivo está adelantada más de un día: corríjala en los ajustes del dispositivo y toque «Reintentar las rechazadas» en Envío de datos."
                    .into(),
                "The device's date or time is more than a day ahead: correct it in the device settings, then tap «Reintentar las rechazadas» on the Envío de datos page.".into(),
            ),
            ApiError::ForeignClock { field } => (
                "foreign_clock",
                Some(*field),
                "El reloj de este cambio es el de otro dispositivo: cada dispositivo envía solo los cambios que hizo él.".into(),
                "This change's clock belongs to another device: each device sends only the changes it made.".into(),
            ),
            ApiError::ClientTooOld(protocol) => (
                "client_too_old",
                Some("protocol"),
                "Esta versión de la aplicación ya no puede enviar al servidor. Actualícela: abra la aplicación con conexión a internet y \
                 pulse «Actualizar». Sus marcas siguen guardadas en el dispositivo y se enviarán después."
                    .into(),
                format!(
                    "This version of the app (protocol {protocol}) can no longer send to the server; the oldest taken is {OLDEST_PROTOCOL}. \
                     Update it: open the app online and press \"Actualizar\". Your marks are still kept on the device and will be sent afterwards."
                ),
            ),
            ApiError::UnsupportedProtocol(protocol) => (
                "unsupported_protocol",
                Some("protocol"),
                format!("Este servidor no conoce el protocolo {protocol}: el más reciente que conoce es {PROTOCOL}."),
                format!("This server does not know protocol {protocol}: the newest it knows is {PROTOCOL}."),
            ),
            ApiError::MalformedBatch(why) => (
                "malformed_batch",
                None,
                format!("El envío no es un lote válido: {why}."),
                format!("The request is not a valid batch: {why}."),
            ),
            ApiError::TooManyChanges(n) => (
                "too_many_changes",
                Some("changes"),
                format!("El lote tiene {n} cambios; el máximo es {MAX_BATCH_CHANGES}. Envíelos en varios lotes."),
                format!("The batch has {n} changes; the limit is {MAX_BATCH_CHANGES}. Send them in several batches."),
            ),
            ApiError::SubmissionReused => (
                "submission_reused",
                Some("submission_id"),
                "Otro dispositivo ya usó este número de envío; el lote no se guardó.".into(),
                "Another device already used this submission id; the batch was not stored.".into(),
            ),
            ApiError::MalformedWorkshop(why) => (
                "malformed",
                None,
                format!("Los datos del taller no son válidos: {why}."),
                format!("The workshop data is not valid: {why}."),
            ),
            ApiError::InvalidWorkshop(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::MalformedBody(why) => (
                "malformed",
                None,
                format!("Los datos enviados no son válidos: {why}."),
                format!("The data sent is not valid: {why}."),
            ),
            ApiError::InvalidReview(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::InvalidPublication(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::AlreadyWithdrawn => (
                "already_withdrawn",
                None,
                "Esta publicación ya fue retirada.".into(),
                "This publication was already withdrawn.".into(),
            ),
            ApiError::InvalidAdjustment(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::InvalidRuta(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidRegistro(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidMedia(e) => (e.code(), media_field(e), e.es(), e.en()),
            ApiError::InvalidActa(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidFicha(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidMiniauditoria(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidInscripcion(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::InvalidCbsc(e) => (e.code(), Some(e.field()), e.es(), e.en()),
            ApiError::Balance(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::Pacto(e) => (e.code(), e.field(), e.es(), e.en()),
            ApiError::TooManyRequests { retry_after_s } => (
                "too_many_requests",
                None,
                format!(
                    "Llegaron demasiadas solicitudes desde esta conexión. Espere {} minutos y vuelva a intentar.",
                    retry_after_s.div_ceil(60)
                ),
                format!("Too many requests came from this connection. Wait {} minutes and try again.", retry_after_s.div_ceil(60)),
            ),
            ApiError::UploadInterrupted(_) => (
                "upload_interrupted",
                Some("file"),
                "El archivo no llegó completo: vuelva a enviarlo.".into(),
                "The file did not arrive whole: send it again.".into(),
            ),
            ApiError::Files(_) => (
                "file_store",
                None,
                "No se pudo guardar o leer el archivo en el servidor. Avise a quien administra el sistema.".into(),
                "The server could not keep or read the file. Tell the system's administrator.".into(),
            ),
            ApiError::InvalidCode => (
                "invalid_code",
                Some("code"),
                "Ese no es un código de taller: tiene 6 letras y números, como ABC-234.".into(),
                "That is not a workshop code: it has 6 letters and digits, like ABC-234.".into(),
            ),
            ApiError::UnknownCode => (
                "unknown_code",
                Some("code"),
                "No hay ningún taller con ese código. Revíselo con quien facilita el taller.".into(),
                "No workshop has that code. Check it with the workshop's facilitator.".into(),
            ),
            ApiError::CodeExpired => (
                "code_expired",
                Some("code"),
                "El código venció: el taller ya pasó. Pida un código nuevo a quien facilita el taller.".into(),
                "The code expired: the workshop is over. Ask the facilitator for a new code.".into(),
            ),
            ApiError::TooManyAttempts { retry_after_s } => (
                "too_many_attempts",
                None,
                format!("Demasiados intentos fallidos. Espere {} minutos y vuelva a intentar.", retry_after_s.div_ceil(60)),
                format!("Too many failed attempts. Wait {} minutes and try again.", retry_after_s.div_ceil(60)),
            ),
            ApiError::InvalidQuery { field, es, en } => ("invalid_query", Some(*field), es.clone(), en.clone()),
            ApiError::Store(e) if unavailable(e) => (
                "unavailable",
                None,
                "El servidor está ocupado; no se guardó nada. Intente de nuevo en unos segundos.".into(),
                "The server is busy; nothing was stored. Please try again in a few seconds.".into(),
            ),
            ApiError::Store(_) => (
                "internal",
                None,
                "Error interno del servidor; no se guardó nada. Intente de nuevo.".into(),
                "Internal server error; nothing was stored. Please try again.".into(),
            ),
            ApiError::Export(_) => (
                "internal",
                None,
                "Error interno del servidor: no se pudo preparar el archivo. Intente de nuevo.".into(),
                "Internal server error: the file could not be made. Please try again.".into(),
            ),
            ApiError::IndicatorImport(e) => (e.code(), Some("file"), e.es(), e.en()),
        }
    }
}

/// The member of a `MediaOffer` at fault, when one is.
fn media_field(e: &MediaError) -> Option<&'static str> {
    match e {
        MediaError::Empty | MediaError::TooLarge { .. } => Some("bytes"),
        MediaError::WrongType => Some("mime"),
        MediaError::BadDigest | MediaError::DigestMismatch => Some("sha256"),
        MediaError::TooLong => Some("duration_ms"),
        MediaError::BadSize => Some("width"),
        MediaError::IdTaken => Some("id"),
        MediaError::VoiceNeverPublished | MediaError::SensitiveNeverPublished => Some("publish"),
        MediaError::BadChunk(_) | MediaError::Unreadable | MediaError::CameraMetadata | MediaError::TooManyOpen { .. } => None,
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl ApiError {
    /// The error as the body every API error has (`{"error": …}` holds it).
    pub fn body(&self) -> ErrorBody {
        let (code, field, message, message_en) = self.parts();
        ErrorBody { code: code.into(), message, message_en, field: field.map(String::from) }
    }

    /// How long a client should wait before trying again, when it should.
    fn retry_after_s(&self) -> Option<u64> {
        match self {
            ApiError::TooManyAttempts { retry_after_s } | ApiError::TooManyRequests { retry_after_s } => Some(*retry_after_s),
            _ if self.status() == StatusCode::SERVICE_UNAVAILABLE => Some(5),
            _ => None,
        }
    }
}

/// A change of a batch refused, as its result says it: fields name members of the change,
/// so they start with `record.`.
pub fn refusal(e: ApiError) -> ErrorBody {
    let mut body = e.body();
    body.field = body.field.map(|f| format!("record.{f}"));
    body
}

/// [`refusal`] for what the store refused.
pub fn change_refusal(e: StoreError) -> ErrorBody {
    refusal(ApiError::from(e))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let (code, field, message, message_en) = self.parts();
        let mut body = json!({ "error": { "code": code, "field": field, "message": message, "message_en": message_en } });
        // A refused import answers with its report, so the admin sees barrio by barrio why.
        if let ApiError::Import(ImportError::Refused(_, summary)) = &self {
            body["report"] = serde_json::to_value(summary).unwrap_or_default();
        }
        // So does a file of indicators of which no row could be taken: row by row.
        if let ApiError::IndicatorImport(crate::indicadores::ImportacionError::NothingAccepted(report)) = &self {
            body["report"] = serde_json::to_value(report).unwrap_or_default();
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after_s() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
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
    fn a_busy_database_is_503_with_retry_after_and_a_bug_500() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        let err = ApiError::Store(StoreError::Sqlite(busy));
        assert_eq!((err.status(), err.parts().0), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        let response = err.into_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("5"));
        let io = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR), None);
        assert_eq!(ApiError::Store(StoreError::Sqlite(io)).status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(ApiError::Store(StoreError::Corrupt("x".into())).status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_refused_change_names_the_member_of_the_change_at_fault() {
        let id = uuid::Uuid::nil();
        let body = change_refusal(StoreError::BarrioChanged { kind: Kind::Mark, id });
        assert_eq!((body.code.as_str(), body.field.as_deref()), ("barrio_changed", Some("record.properties.barrio_id")));
        let body = change_refusal(StoreError::OtherWorkshop { kind: Kind::Cause, id });
        assert_eq!((body.code.as_str(), body.field.as_deref()), ("other_workshop", Some("record.workshop_id")));
        assert!(body.message.starts_with("La causa"));
    }

    #[test]
    fn media_refusals_have_their_status_code_and_field() {
        let parts = |e: MediaError| {
            let err = ApiError::from(e);
            (err.status(), err.parts().0, err.parts().1)
        };
        assert_eq!(parts(MediaError::TooLarge { limit: 1 }), (StatusCode::PAYLOAD_TOO_LARGE, "too_large", Some("bytes")));
        assert_eq!(parts(MediaError::WrongType), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "wrong_type", Some("mime")));
        assert_eq!(parts(MediaError::IdTaken), (StatusCode::CONFLICT, "id_taken", Some("id")));
        assert_eq!(parts(MediaError::TooManyOpen { limit: 40 }), (StatusCode::TOO_MANY_REQUESTS, "too_many_uploads", None));
        assert_eq!(parts(MediaError::DigestMismatch), (StatusCode::UNPROCESSABLE_ENTITY, "digest_mismatch", Some("sha256")));
        assert_eq!(parts(MediaError::BadChunk(3)), (StatusCode::UNPROCESSABLE_ENTITY, "bad_chunk", None));
        assert_eq!(parts(MediaError::Unreadable), (StatusCode::UNPROCESSABLE_ENTITY, "unreadable", None));
        assert_eq!(parts(MediaError::CameraMetadata), (StatusCode::UNPROCESSABLE_ENTITY, "camera_metadata", None));
        assert_eq!(parts(MediaError::VoiceNeverPublished), (StatusCode::UNPROCESSABLE_ENTITY, "voice_never_published", Some("publish")));
        assert_eq!(
            parts(MediaError::SensitiveNeverPublished),
            (StatusCode::UNPROCESSABLE_ENTITY, "sensitive_never_published", Some("publish"))
        );
        let refused = ApiError::from(StoreError::Media(MediaError::SensitiveNeverPublished));
        assert_eq!((refused.status(), refused.parts().0), (StatusCode::UNPROCESSABLE_ENTITY, "sensitive_never_published"));
    }

    #[test]
    fn balance_refusals_have_their_status_code() {
        use app::model::balance::BalanceError;
        let parts = |e: ApiError| (e.status(), e.parts().0, e.parts().1);
        assert_eq!(parts(BalanceError::BadWeight.into()), (StatusCode::UNPROCESSABLE_ENTITY, "bad_weight", Some("componentes")));
        assert_eq!(parts(BalanceRefusal::NoData(None).into()), (StatusCode::NOT_FOUND, "no_data", Some("municipio")));
        assert_eq!(parts(BalanceRefusal::UnknownVersion(9).into()), (StatusCode::NOT_FOUND, "unknown_version", Some("version")));
        let open = ApiError::from(StoreError::Balance(BalanceRefusal::CicloOpen { barrio_id: 3, barrio: "Pescaíto".into() }));
        assert_eq!((open.status(), open.parts().0), (StatusCode::CONFLICT, "ciclo_open"));
        assert!(open.parts().2.contains("Pescaíto"), "the barrio is named");
        let reference = BalanceRefusal::ReferenceWithoutData { version: 2, periodo: app::model::balance::periodo::Periodo { anio: 2025, cuatrimestre: 1 } };
        assert_eq!(ApiError::from(reference).status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn pacto_refusals_have_their_status_code_and_the_models_code_and_field() {
        use app::model::pacto::PactoError;
        let parts = |e: ApiError| (e.status(), e.parts().0, e.parts().1);
        assert_eq!(parts(PactoError::NoEvidence.into()), (StatusCode::UNPROCESSABLE_ENTITY, "no_evidence", Some("evidencia")));
        assert_eq!(parts(PactoError::UnknownPlace(0).into()), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_place", None));
        let stored = ApiError::from(StoreError::from(PactoError::NoReason));
        assert_eq!((stored.status(), stored.parts().0, stored.parts().1), (StatusCode::UNPROCESSABLE_ENTITY, "no_reason", Some("motivo")));
        assert!(stored.parts().2.contains("por qué"), "{}", stored.parts().2);
        assert_eq!(parts(PactoRefusal::Signed.into()), (StatusCode::CONFLICT, "pacto_signed", None));
        assert_eq!(parts(PactoRefusal::Stale { sent: 1, latest: 2 }.into()), (StatusCode::CONFLICT, "stale_revision", Some("revision")));
        assert_eq!(parts(PactoRefusal::UnknownDiagnostico(4).into()), (StatusCode::NOT_FOUND, "unknown_diagnostico", Some("diagnostico")));
        assert_eq!(
            parts(PactoRefusal::RegistroNotPacto.into()),
            (StatusCode::UNPROCESSABLE_ENTITY, "registro_not_pacto_firmado", Some("registro_id"))
        );
        assert_eq!(
            parts(PactoRefusal::ActaNotSocializacion.into()),
            (StatusCode::UNPROCESSABLE_ENTITY, "acta_not_socializacion", Some("contenido.acta_id"))
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
