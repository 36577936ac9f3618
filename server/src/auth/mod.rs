//! Who is calling, and what they may do. Every handler that is not public takes a [`Caller`]
//! and asks it one of the questions below; the answer is decided here, once, on the server.
//!
//! A browser signed in to an account carries a session cookie (and, on writes, the session's
//! anti-forgery token in a header); a device that joined a workshop carries that workshop's
//! token as `Authorization: Bearer`. Anyone else is anonymous and sees only public data.

pub mod limiter;
pub mod password;
pub mod token;

use std::collections::HashSet;

use app::model::account::{Role, User, CSRF_HEADER};
use app::model::Workshop;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};

use crate::error::ApiError;
use crate::store::{DeviceGrant, DeviceKind, Store};
use crate::time::now_ms;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cb_sesion";
/// A session ends after this long without use, and in any case this long after sign-in.
pub const SESSION_IDLE_MS: i64 = 12 * 3_600_000;
pub const SESSION_MAX_MS: i64 = 30 * 24 * 3_600_000;

/// A signed-in account, with what identifies its session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
    pub expires_at_ms: i64,
    /// The barrios of the cities the account is limited to; `None`: every city.
    pub city_barrios: Option<HashSet<i64>>,
}

impl Session {
    /// Whether the barrio lies in one of the account's cities.
    pub fn in_cities(&self, barrio_id: i64) -> bool {
        self.city_barrios.as_ref().is_none_or(|ids| ids.contains(&barrio_id))
    }

    /// [`User::works_in`], with the barrio's city already known from the session.
    pub fn works_in(&self, barrio_id: i64) -> bool {
        self.in_cities(barrio_id) && self.user.assigned_to(barrio_id)
    }

    /// The barrios the account works in when that is a list (a facilitator's, or staff's of
    /// some cities); `None` when it is every barrio.
    pub fn barrio_list(&self) -> Option<HashSet<i64>> {
        if self.user.role.is_staff() {
            self.city_barrios.clone()
        } else {
            Some(self.user.barrios.iter().copied().filter(|b| self.works_in(*b)).collect())
        }
    }
}

#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    Account(Session),
    Device(DeviceGrant),
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Whether an `Origin` header, when a browser sent one, names this very server: a write from
/// a page of another site is refused even before its anti-forgery token is looked at.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    !host.is_empty() && origin_host == host
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Any application state that holds the store (the server's is `http::AppState`).
impl<S: Send + Sync> FromRequestParts<S> for Caller
where
    Store: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, ApiError> {
        let store = Store::from_ref(state);
        if let Some(secret) = bearer(&parts.headers) {
            let grant = store.device_grant(token::digest(secret)).await?.ok_or(ApiError::Unauthorized)?;
            if grant.workshop.closed_at_ms.is_some() {
                return Err(ApiError::WorkshopClosed);
            }
            if grant.revoked {
                return Err(ApiError::WorkshopAccessRevoked);
            }
            return Ok(Caller::Device(grant));
        }
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(Caller::Anonymous);
        };
        let token_hash = token::digest(secret);
        // An expired or unknown cookie is no session: public requests still work with it.
        let Some(row) = store.session(token_hash.clone(), now_ms(), SESSION_IDLE_MS, SESSION_MAX_MS).await? else {
            return Ok(Caller::Anonymous);
        };
        if is_write(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !same_origin(&parts.headers) || !token::same(sent, &row.csrf_token) {
                return Err(ApiError::CsrfRejected);
            }
        }
        Ok(Caller::Account(Session {
            user: row.user,
            csrf_token: row.csrf_token,
            token_hash,
            expires_at_ms: row.expires_at_ms,
            city_barrios: row.city_barrios,
        }))
    }
}

impl Caller {
    fn refused(&self) -> ApiError {
        match self {
            Caller::Anonymous => ApiError::Unauthorized,
            _ => ApiError::Forbidden,
        }
    }

    /// Any signed-in account.
    pub fn account(&self) -> Result<&Session, ApiError> {
        match self {
            Caller::Account(s) => Ok(s),
            other => Err(other.refused()),
        }
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            Caller::Account(s) => Some(&s.user),
            _ => None,
        }
    }

    /// Staff work that is no one barrio's (the list of barrios, whose lines each account
    /// filters by [`Session::in_cities`]).
    pub fn staff(&self) -> Result<&Session, ApiError> {
        match self {
            Caller::Account(s) if s.user.role.is_staff() => Ok(s),
            other => Err(other.refused()),
        }
    }

    /// Staff work on one barrio: diagnósticos, reviews, sensitive marks, exports, by staff
    /// and admins of the barrio's city.
    pub fn staff_in(&self, barrio_id: i64) -> Result<&User, ApiError> {
        match self {
            Caller::Account(s) if s.user.role.is_staff() && s.in_cities(barrio_id) => Ok(&s.user),
            other => Err(other.refused()),
        }
    }

    pub fn admin(&self) -> Result<&User, ApiError> {
        match self {
            Caller::Account(s) if s.user.role == Role::Admin => Ok(&s.user),
            other => Err(other.refused()),
        }
    }

    /// An account that works in `barrio_id`: staff and admins in every barrio of their cities,
    /// a facilitator in the barrios assigned to them.
    pub fn works_in(&self, barrio_id: i64) -> Result<&User, ApiError> {
        match self {
            Caller::Account(s) if s.works_in(barrio_id) => Ok(&s.user),
            other => Err(other.refused()),
        }
    }

    /// Whoever may read a workshop and its devices' marks: those who work in its barrio and
    /// the devices that joined it.
    pub fn reads_workshop(&self, workshop: &Workshop) -> Result<(), ApiError> {
        match self {
            Caller::Device(g) if g.workshop.id == workshop.id => Ok(()),
            other => other.works_in(workshop.barrio_id).map(|_| ()),
        }
    }

    /// For a participant's device: the device whose marks alone it may change, and whether it
    /// may see other devices' sensitive marks. `None` for accounts and facilitators' tablets,
    /// which see and change all of a workshop they may read.
    pub fn participant_device(&self) -> Option<(uuid::Uuid, bool)> {
        match self {
            Caller::Device(g) if g.kind == DeviceKind::Participant => Some((g.device_id, g.workshop.share_sensitive)),
            _ => None,
        }
    }
}

/// The `Set-Cookie` value that keeps `secret` as the session (for `max_age_s` seconds; 0
/// removes it). `Secure` when the request came over HTTPS (directly or through a proxy that
/// says so), so a plain-HTTP deployment on a local network still works.
pub fn session_cookie(secret: &str, max_age_s: i64, headers: &HeaderMap) -> String {
    let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let secure = if https { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "a=1; cb_sesion=abc ; b=2"), ("cookie", "c=3")]);
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), Some("3"));
        assert_eq!(cookie(&h, "cb"), None);
    }

    #[test]
    fn writes_from_another_site_are_told_apart() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000")])), "no Origin: not a cross-site browser request");
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("origin", "http://127.0.0.1:3000")])));
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        let plain = session_cookie("s", 60, &HeaderMap::new());
        assert_eq!(plain, "cb_sesion=s; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
        let https = session_cookie("s", 60, &headers(&[("x-forwarded-proto", "https")]));
        assert!(https.ends_with("; Secure"));
    }
}
