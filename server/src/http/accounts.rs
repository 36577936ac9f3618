//! Admins' management of accounts (`/api/v1/admin/users`) and the audit log
//! (`/api/v1/admin/audit`).

use std::collections::HashMap;

use app::model::account::{AccountError, AuditEntry, User, UserDraft};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::{password, Caller};
use crate::error::ApiError;
use crate::store::{StoreError, UserWrite};

/// Most lines of the audit log in one page.
const AUDIT_PAGE: usize = 200;

fn refused(w: UserWrite, draft: &UserDraft) -> ApiError {
    match w {
        UserWrite::UsernameTaken => ApiError::UsernameTaken,
        UserWrite::NotFound => ApiError::NotFound,
        UserWrite::UnknownBarrio => ApiError::UnknownBarrio { barrio_id: draft.barrios.first().copied().unwrap_or_default(), field: "barrios" },
        UserWrite::BarrioOutsideCities => ApiError::InvalidAccount(AccountError::BarrioOutsideCities),
    }
}

async fn hashed(password: Option<String>) -> Result<Option<String>, ApiError> {
    match password {
        Some(p) => Ok(Some(password::hash(p).await.map_err(|e| ApiError::Store(StoreError::Worker(e)))?)),
        None => Ok(None),
    }
}

/// What the audit log says of an account's shape (never its password).
fn described(u: &User) -> String {
    let mut parts = vec![u.role.label_es().to_string()];
    if !u.municipios.is_empty() {
        parts.push(format!("ciudades {}", u.municipios.join(", ")));
    }
    if !u.barrios.is_empty() {
        parts.push(format!("barrios n.º {}", u.barrios.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")));
    }
    if u.disabled {
        parts.push("desactivada".into());
    }
    parts.join("; ")
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<User>>, ApiError> {
    caller.admin()?;
    Ok(Json(state.store.users().await?))
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let admin = caller.admin()?;
    let draft: UserDraft = read(&headers, body, state.max_body_bytes)?;
    let mut draft = draft.checked(true)?;
    let hash = hashed(draft.password.take()).await?.unwrap_or_default();
    let user = state.store.create_user(draft.clone(), hash, now_ms()).await?.map_err(|w| refused(w, &draft))?;
    state.store.audit(Some(admin), "user_create", user.username.clone(), described(&user), now_ms()).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<User>, ApiError> {
    let admin = caller.admin()?;
    let draft: UserDraft = read(&headers, body, state.max_body_bytes)?;
    let mut draft = draft.checked(false)?;
    // An admin cannot lock themself out: someone must be left to manage the accounts.
    if id == admin.id && (draft.disabled || draft.role != admin.role) {
        return Err(ApiError::Forbidden);
    }
    let reset = draft.password.is_some();
    let hash = hashed(draft.password.take()).await?;
    let user = state.store.update_user(id, draft.clone(), hash).await?.map_err(|w| refused(w, &draft))?;
    let detail = format!("{}{}", described(&user), if reset { ", contraseña nueva" } else { "" });
    state.store.audit(Some(admin), "user_update", user.username.clone(), detail, now_ms()).await?;
    Ok(Json(user))
}

pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    caller.admin()?;
    let before = query.get("before").map(|b| b.trim().parse::<i64>()).transpose().map_err(|_| ApiError::InvalidQuery {
        field: "before",
        es: "before debe ser un número de línea del registro.".into(),
        en: "before must be a line number of the log.".into(),
    })?;
    Ok(Json(state.store.audit_log(before, AUDIT_PAGE).await?))
}
