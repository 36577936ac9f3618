//! Workshops: `POST /api/v1/workshops` prepares one with its join code, `GET
//! /api/v1/workshops?barrio_id=N` lists a barrio's, `GET /api/v1/workshops/{id}` gives one, and
//! `GET /api/v1/join/{code}` is how a device joins: the workshop and its barrio, if the code is
//! right and still valid. Failed join attempts are limited per client address, so codes
//! cannot be guessed.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::model::workshop::{normalize_code, CODE_LEN};
use app::model::{JoinReply, Workshop, WorkshopDraft};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::{body::json_body, now_ms, AppState};
use crate::error::ApiError;

/// Failed join attempts an address may make within [`JOIN_WINDOW`] before it must wait.
pub const MAX_FAILED_JOINS: usize = 10;
pub const JOIN_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Addresses remembered before forgetting those whose failures have all expired.
const TRACKED_ADDRESSES: usize = 10_000;

/// Remembers failed join attempts per client address, in memory (a restart forgets them,
/// which costs an attacker nothing a wait would not).
#[derive(Debug, Default)]
pub struct JoinLimiter {
    failures: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// The address attempts are counted by: an IPv6 client controls at least a /64, so every
/// address in it counts as one.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

impl JoinLimiter {
    /// `Err(wait)` when `ip` has failed too often lately, with how long until it may try again.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = failures.get_mut(&client_key(ip)) else {
            return Ok(());
        };
        while times.front().is_some_and(|t| now.duration_since(*t) >= JOIN_WINDOW) {
            times.pop_front();
        }
        match times.front() {
            Some(oldest) if times.len() >= MAX_FAILED_JOINS => Err(JOIN_WINDOW.saturating_sub(now.duration_since(*oldest))),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt from `ip`.
    pub fn failed(&self, ip: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= TRACKED_ADDRESSES {
            failures.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < JOIN_WINDOW));
        }
        let times = failures.entry(client_key(ip)).or_default();
        times.push_back(now);
        while times.len() > MAX_FAILED_JOINS {
            times.pop_front();
        }
    }
}

/// The id and the code's bytes of a new workshop, from the operating system's randomness.
fn random_id_and_code() -> (Uuid, [u8; CODE_LEN]) {
    let mut code = [0u8; CODE_LEN];
    // The first six bytes of a v4 UUID are all random (its version and variant bits come later).
    code.copy_from_slice(&Uuid::new_v4().as_bytes()[..CODE_LEN]);
    (Uuid::new_v4(), code)
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Workshop>), ApiError> {
    // issue 8: only a facilitator (or staff) may prepare a workshop.
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let draft: WorkshopDraft = serde_json::from_slice(&body).map_err(|e| ApiError::MalformedWorkshop(e.to_string()))?;
    let draft = draft.checked()?;
    let barrio_id = draft.barrio_id;
    let workshop = state
        .store
        .create_workshop(draft, now_ms(), random_id_and_code)
        .await?
        .ok_or(ApiError::UnknownBarrio { barrio_id, field: "barrio_id" })?;
    tracing::info!(workshop = %workshop.id, barrio_id, "workshop created");
    Ok((StatusCode::CREATED, Json(workshop)))
}

pub async fn list(State(state): State<AppState>, Query(query): Query<HashMap<String, String>>) -> Result<Json<Vec<Workshop>>, ApiError> {
    // issue 8: the list shows join codes; it becomes the barrio's facilitators' and staff's.
    let barrio_id = query.get("barrio_id").and_then(|b| b.trim().parse::<i64>().ok()).ok_or_else(|| ApiError::InvalidQuery {
        field: "barrio_id",
        es: "Indique el barrio con ?barrio_id= y su número.".into(),
        en: "Name the barrio with ?barrio_id= and its number.".into(),
    })?;
    if state.store.barrio_bbox(barrio_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(state.store.workshops_for_barrio(barrio_id).await?))
}

pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Workshop>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::InvalidId(id))?;
    state.store.workshop(id).await?.map(Json).ok_or(ApiError::UnknownWorkshop { field: None })
}

pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
) -> Result<Json<JoinReply>, ApiError> {
    let limiter = &state.join_limiter;
    let now = Instant::now();
    // Even a right code waits: otherwise a guesser would learn which code is right.
    limiter.check(client.ip(), now).map_err(|wait| ApiError::TooManyAttempts { retry_after_s: wait.as_secs().max(1) })?;
    let answer = async {
        let code = normalize_code(&code).ok_or(ApiError::InvalidCode)?;
        let (workshop, barrio) = state.store.workshop_by_code(code).await?.ok_or(ApiError::UnknownCode)?;
        if now_ms() >= workshop.code_expires_at_ms {
            return Err(ApiError::CodeExpired);
        }
        Ok(Json(JoinReply { workshop, barrio }))
    }
    .await;
    if let Err(ApiError::InvalidCode | ApiError::UnknownCode | ApiError::CodeExpired) = &answer {
        limiter.failed(client.ip(), now);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_in_ten_minutes_make_an_address_wait() {
        let limiter = JoinLimiter::default();
        let t0 = Instant::now();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..MAX_FAILED_JOINS as u64 {
            assert_eq!(limiter.check(ip, t0 + Duration::from_secs(i)), Ok(()));
            limiter.failed(ip, t0 + Duration::from_secs(i));
        }
        let wait = limiter.check(ip, t0 + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, JOIN_WINDOW - Duration::from_secs(60));
        assert_eq!(limiter.check("192.0.2.8".parse().unwrap(), t0), Ok(()), "another address is not affected");
        // Once the first failure is ten minutes old, one more attempt is allowed.
        assert_eq!(limiter.check(ip, t0 + JOIN_WINDOW), Ok(()));
    }

    #[test]
    fn an_ipv6_client_counts_as_its_64() {
        let limiter = JoinLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_FAILED_JOINS {
            limiter.failed(format!("2001:db8::{i:x}").parse().unwrap(), t0);
        }
        assert!(limiter.check("2001:db8::ffff".parse().unwrap(), t0).is_err());
        assert!(limiter.check("2001:db8:0:1::1".parse().unwrap(), t0).is_ok());
        assert_eq!(client_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
