//! The signed-in account on this browser: asked of the server when the app starts and kept in
//! localStorage, so a tablet that lost its signal still shows who is signed in. The session
//! itself is an HttpOnly cookie the page never sees; what is kept here is the account's
//! summary and the anti-forgery token every write sends.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder};

use crate::model::account::{LoginRequest, PasswordChange, SessionInfo, CSRF_HEADER};

const KEY: &str = "cartobarrio.sesion";

thread_local! {
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Keeps what the server said of the session (or forgets it, signed out).
pub fn remember(info: &SessionInfo) {
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    if let Some(s) = storage() {
        match (&info.user, serde_json::to_string(info)) {
            (Some(_), Ok(json)) => {
                let _ = s.set_item(KEY, &json);
            }
            _ => {
                let _ = s.remove_item(KEY);
            }
        }
    }
}

/// The session as last known on this browser.
pub fn remembered() -> Option<SessionInfo> {
    let info: SessionInfo = serde_json::from_str(&storage()?.get_item(KEY).ok()??).ok()?;
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    Some(info)
}

/// The session's anti-forgery token, for writes other than a POST.
pub fn csrf() -> Option<String> {
    CSRF.with(|c| c.borrow().clone())
}

/// `request` carrying the session's anti-forgery token, when there is a session.
fn with_csrf(request: RequestBuilder) -> RequestBuilder {
    match csrf() {
        Some(token) => request.header(CSRF_HEADER, &token),
        None => request,
    }
}

/// A POST that carries the session's anti-forgery token.
pub fn post(url: &str) -> RequestBuilder {
    with_csrf(Request::post(url))
}

/// A PUT that carries the session's anti-forgery token.
pub fn put(url: &str) -> RequestBuilder {
    with_csrf(Request::put(url))
}

const NO_SERVER: &str = "Sin conexión con el servidor.";

/// GETs JSON with this browser's session; the server's words when it refuses.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    let response = Request::get(url).send().await.map_err(|_| NO_SERVER.to_string())?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json().await.map_err(|e| e.to_string())
}

/// POSTs `body` as JSON with the session and its anti-forgery token; the answer as JSON.
pub async fn post_json<T: serde::de::DeserializeOwned>(url: &str, body: &impl serde::Serialize) -> Result<T, String> {
    send_json(post(url), body).await
}

/// PUTs `body` as JSON with the session and its anti-forgery token; the answer as JSON.
pub async fn put_json<T: serde::de::DeserializeOwned>(url: &str, body: &impl serde::Serialize) -> Result<T, String> {
    send_json(put(url), body).await
}

async fn send_json<T: serde::de::DeserializeOwned>(request: RequestBuilder, body: &impl serde::Serialize) -> Result<T, String> {
    let response = request.json(body).map_err(|e| e.to_string())?.send().await.map_err(|_| NO_SERVER.to_string())?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json().await.map_err(|e| e.to_string())
}

/// The server's message for a refused request, or a plain one.
pub async fn refusal(response: gloo_net::http::Response) -> String {
    let status = response.status();
    if status == 401 {
        return "Inicie sesión para hacer esto.".into();
    }
    super::sync::error_message(response).await.unwrap_or_else(|| format!("El servidor respondió {status}."))
}

/// Who the server says this browser is signed in as. `Err` only without a connection.
pub async fn fetch() -> Result<SessionInfo, String> {
    let response = Request::get("/api/v1/auth/session").send().await.map_err(|_| "sin conexión".to_string())?;
    if !response.ok() {
        return Err(format!("el servidor respondió {}", response.status()));
    }
    let info: SessionInfo = response.json().await.map_err(|e| e.to_string())?;
    remember(&info);
    Ok(info)
}

pub async fn login(username: String, password: String) -> Result<SessionInfo, String> {
    let request = Request::post("/api/v1/auth/login").json(&LoginRequest { username, password }).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| "Sin conexión con el servidor: para entrar hace falta señal.".to_string())?;
    if response.status() != 200 {
        return Err(super::sync::error_message(response).await.unwrap_or_else(|| "No se pudo entrar.".into()));
    }
    let info: SessionInfo = response.json().await.map_err(|e| e.to_string())?;
    remember(&info);
    Ok(info)
}

pub async fn logout() -> Result<(), String> {
    let response = post("/api/v1/auth/logout").send().await.map_err(|_| "Sin conexión con el servidor.".to_string())?;
    // Signed out already (expired) is signed out too.
    if response.status() != 204 && response.status() != 401 {
        return Err(refusal(response).await);
    }
    remember(&SessionInfo::signed_out());
    Ok(())
}

pub async fn change_password(current: String, new: String) -> Result<(), String> {
    let request = post("/api/v1/auth/password").json(&PasswordChange { current, new }).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| "Sin conexión con el servidor.".to_string())?;
    if response.status() != 204 {
        return Err(refusal(response).await);
    }
    Ok(())
}
