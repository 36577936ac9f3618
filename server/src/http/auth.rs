//! Signing in and out: `POST /api/v1/auth/login` checks the password (argon2) and sets the
//! session cookie; `GET /api/v1/auth/session` tells the app who is signed in and gives the
//! anti-forgery token its writes carry; `POST /api/v1/auth/logout` ends the session;
//! `POST /api/v1/auth/password` changes one's own password. Failed sign-ins are limited per
//! address (a hard limit) and per account (a backoff that slows a guesser without locking the
//! owner out).

use std::net::SocketAddr;
use std::time::Instant;

use app::model::account::{check_password, normalize_username, LoginRequest, PasswordChange, SessionInfo};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::limiter::client_key;
use crate::auth::{password, same_origin, session_cookie, token, Caller, SESSION_IDLE_MS};
use crate::error::ApiError;
use crate::store::NewSession;

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // A page of another site may not sign a browser in to an account of its choosing.
    if !same_origin(&headers) {
        return Err(ApiError::CsrfRejected);
    }
    let request: LoginRequest = read(&headers, body, state.max_body_bytes)?;
    let now = Instant::now();
    let ip = client_key(client.ip());
    // A name that cannot be one is still counted, under what was typed.
    let username = normalize_username(&request.username).unwrap_or_else(|_| request.username.trim().to_lowercase());
    // Both limits count this attempt before the hash is checked, so a burst of concurrent
    // guesses cannot all pass the check while the first ones are still being hashed.
    let ticket = state.login_limiter.reserve(&ip, now).map_err(ApiError::too_many_attempts)?;
    let attempt = match state.login_backoff.reserve(&username, now) {
        Ok(attempt) => attempt,
        Err(wait) => {
            state.login_limiter.forgive(&ip, ticket);
            return Err(ApiError::too_many_attempts(wait));
        }
    };
    let checked = async {
        let found = state.store.credentials(username.clone()).await?;
        let (user, hash) = match found {
            Some((u, h)) => (Some(u), Some(h)),
            None => (None, None),
        };
        let ok = password::verify(request.password, hash).await;
        Ok::<_, ApiError>(user.filter(|u| ok && !u.disabled))
    }
    .await;
    let user = match checked {
        Ok(Some(u)) => {
            state.login_limiter.forgive(&ip, ticket);
            attempt.succeeded();
            u
        }
        Ok(None) => {
            attempt.failed(Instant::now());
            state.store.audit(None, "login_failed", username.chars().take(40).collect(), String::new(), now_ms()).await?;
            return Err(ApiError::BadCredentials);
        }
        Err(e) => {
            // The server failed, not the guess: neither limit keeps it (the attempt, dropped
            // unsettled, does not count).
            state.login_limiter.forgive(&ip, ticket);
            return Err(e);
        }
    };
    let (secret, csrf) = (token::new_secret(), token::new_secret());
    let at = now_ms();
    let expires = at + SESSION_IDLE_MS;
    state
        .store
        .create_session(NewSession { token_hash: token::digest(&secret), user_id: user.id, csrf_token: csrf.clone(), now_ms: at, expires_at_ms: expires })
        .await?;
    state.store.audit(Some(&user), "login", user.username.clone(), String::new(), at).await?;
    tracing::info!(user = user.id, "signed in");
    let info = SessionInfo { user: Some(user), csrf_token: Some(csrf), expires_at_ms: Some(expires) };
    let cookie = session_cookie(&secret, SESSION_IDLE_MS / 1000, &headers);
    Ok(([(header::SET_COOKIE, cookie), (header::CACHE_CONTROL, "no-store".into())], Json(info)).into_response())
}

pub async fn session(caller: Caller) -> Response {
    let info = match caller {
        Caller::Account(s) => SessionInfo { user: Some(s.user), csrf_token: Some(s.csrf_token), expires_at_ms: Some(s.expires_at_ms) },
        _ => SessionInfo::signed_out(),
    };
    ([(header::CACHE_CONTROL, "no-store")], Json(info)).into_response()
}

pub async fn logout(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Result<Response, ApiError> {
    let session = caller.account()?;
    state.store.delete_session(session.token_hash.clone()).await?;
    state.store.audit(Some(&session.user), "logout", session.user.username.clone(), String::new(), now_ms()).await?;
    let cookie = session_cookie("", 0, &headers);
    Ok(([(header::SET_COOKIE, cookie)], StatusCode::NO_CONTENT).into_response())
}

pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let session = caller.account()?;
    let change: PasswordChange = read(&headers, body, state.max_body_bytes)?;
    check_password(&change.new)?;
    let now = Instant::now();
    let user = &session.user;
    let attempt = state.login_backoff.reserve(&user.username, now).map_err(ApiError::too_many_attempts)?;
    let stored = state.store.credentials(user.username.clone()).await?;
    let ok = password::verify(change.current, stored.map(|(_, h)| h)).await;
    if !ok {
        attempt.failed(Instant::now());
        return Err(ApiError::BadCredentials);
    }
    attempt.succeeded();
    let hash = password::hash(change.new).await.map_err(|e| ApiError::Store(crate::store::StoreError::Worker(e)))?;
    // Other browsers signed in to this account are signed out: a changed password is often a
    // response to a lost phone.
    state.store.set_password(user.id, hash, session.token_hash.clone()).await?;
    state.store.audit(Some(user), "password_change", user.username.clone(), String::new(), now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
