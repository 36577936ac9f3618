//! HTTP routes: the JSON API under `/api/v1`, the health check, and the server-rendered app.

mod admin;
mod barrios;
mod body;
mod health;
mod limit;
mod marks;
mod packs;
pub mod pwa;
mod stored;
mod tree;
mod versions;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::middleware;
use axum::routing::{get, post};
use std::sync::Arc;

use axum::Router;
use leptos::config::LeptosOptions;

use crate::store::Store;

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub max_body_bytes: usize,
    /// Largest upload accepted by the admin import.
    pub max_import_bytes: usize,
    /// Token for the admin endpoints until accounts exist; `None` switches them off.
    pub admin_token: Option<Arc<str>>,
    /// Identifies this deployment (asset hashes plus build id).
    pub version: Arc<str>,
    /// The generated service worker for this deployment.
    pub service_worker: Arc<str>,
    /// Whether `/pkg` files carry content hashes in their names (release builds).
    pub hashed_assets: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.store.clone()
    }
}

/// The versioned JSON API. Old clients keep the URL they were built with, so paths here are
/// fixed and never hashed.
pub fn api_routes(max_body_bytes: usize, max_import_bytes: usize) -> Router<AppState> {
    // City-wide layers are megabytes: the import has its own, larger limit.
    let admin = Router::new()
        .route("/admin/import", post(admin::import))
        .layer(DefaultBodyLimit::max(max_import_bytes))
        .layer(middleware::from_fn_with_state(max_import_bytes, limit::buffered_within));
    let public = Router::new()
        .route("/barrios", get(barrios::list))
        .route("/packs", get(packs::list))
        .route("/barrios/{id}/pack", get(packs::one))
        .route("/barrios/{id}", get(barrios::one))
        .route("/barrios/{id}/marks", get(marks::list_for_barrio))
        .route("/barrios/{id}/tree", get(tree::for_barrio))
        .route("/marks", post(marks::create))
        .route("/causes", post(tree::create_cause))
        .route("/solutions", post(tree::create_solution))
        .route("/records/{kind}/{id}/versions", get(versions::list))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(middleware::from_fn_with_state(max_body_bytes, limit::buffered_within));
    public.merge(admin)
}

pub fn health_routes() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz))
}

pub fn pwa_routes() -> Router<AppState> {
    Router::new().route("/sw.js", get(pwa::service_worker))
}
