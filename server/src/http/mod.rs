//! HTTP routes: the JSON API under `/api/v1`, the health check, and the server-rendered app.

mod accounts;
mod actas;
mod admin;
mod archive;
mod auth;
mod balance;
mod barrios;
mod body;
mod cbsc;
mod corrections;
mod deadline;
mod diagnosticos;
mod health;
mod indicadores;
pub mod inscripciones;
mod instituciones;
mod intervenciones;
mod miniauditorias;
mod remapeo;
mod limit;
mod marks;
mod media;
mod media_decisions;
mod packs;
mod pactos;
mod public_media;
mod publications;
pub mod pwa;
mod ruta;
pub mod security;
mod stored;
mod seguimiento;
mod sync;
mod tree;
mod versions;
pub mod workshops;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::handler::Handler;
use axum::http::header;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put, MethodRouter};
use std::net::IpAddr;
use std::sync::Arc;

pub use self::deadline::deadline;
use crate::auth::limiter::{AccountBackoff, AttemptLimiter};

use axum::Router;
use leptos::config::LeptosOptions;

use crate::store::Store;

/// The API's description (OpenAPI 3.1), written by hand beside the routes it describes; a
/// test checks that the two name the same routes.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Everything a handler may need, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub max_body_bytes: usize,
    /// Largest batch accepted by `POST /api/v1/sync`.
    pub max_sync_bytes: usize,
    /// Failed join attempts per client address.
    pub join_limiter: Arc<AttemptLimiter<IpAddr>>,
    /// Failed sign-ins per client address (a hard limit) and per account (a backoff).
    pub login_limiter: Arc<AttemptLimiter<IpAddr>>,
    pub login_backoff: Arc<AccountBackoff<String>>,
    /// Requests to enter the route per client address.
    pub inscripcion_limiter: Arc<AttemptLimiter<IpAddr>>,
    /// Largest upload accepted by the admin import.
    pub max_import_bytes: usize,
    /// Where registros' files are kept, and the largest accepted.
    pub files: crate::files::FileStore,
    pub max_upload_bytes: u64,
    /// One turn at a time per photo or voice note being uploaded.
    pub upload_locks: Arc<crate::media::guard::UploadLocks>,
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

pub use crate::time::now_ms;

/// A path's id as a UUID; 400 `invalid_id` (with at most 80 of its characters) otherwise.
pub(crate) fn uuid_of(id: &str) -> Result<uuid::Uuid, crate::error::ApiError> {
    uuid::Uuid::parse_str(id).map_err(|_| crate::error::ApiError::InvalidId(id.chars().take(80).collect()))
}

/// Routes with their methods, kept as they are added: the router is built from them, and the
/// OpenAPI document is checked against the list.
struct Api {
    router: Router<AppState>,
    routes: Vec<(&'static str, &'static str)>,
}

impl Api {
    fn new() -> Api {
        Api { router: Router::new(), routes: Vec::new() }
    }

    fn add(mut self, method: &'static str, path: &'static str, route: MethodRouter<AppState>) -> Api {
        self.routes.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Api {
        self.add("get", path, get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Api {
        self.add("post", path, post(handler))
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Api {
        self.add("put", path, put(handler))
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Api {
        self.add("delete", path, delete(handler))
    }

    /// Bodies over `limit` bytes are refused (413) before any handler of these routes runs.
    fn within(mut self, limit: usize) -> Api {
        self.router = self.router.layer(DefaultBodyLimit::max(limit)).layer(middleware::from_fn_with_state(limit, limit::buffered_within));
        self
    }

    fn merge(mut self, other: Api) -> Api {
        self.routes.extend(other.routes);
        self.router = self.router.merge(other.router);
        self
    }
}

fn api(max_body_bytes: usize, max_sync_bytes: usize, max_import_bytes: usize) -> Api {
    // City-wide layers are megabytes: the import has its own, larger limit.
    let admin = Api::new().post("/admin/import", admin::import).within(max_import_bytes);
    // A file of indicator data is sent as it is, as large as the admin import allows.
    let indicator_imports = Api::new()
        .post("/indicadores/importaciones", indicadores::importar)
        .get("/indicadores/importaciones", indicadores::importaciones)
        .within(max_import_bytes);
    // A batch holds up to 250 changes: larger than one record, smaller than an import.
    let sync = Api::new().post("/sync", sync::receive).within(max_sync_bytes);
    // A registro's file is streamed to disk as it arrives, with its own limit (`FileStore`).
    let uploads = Api::new().post("/ciclos/{id}/registros", ruta::upload);
    // A photo's or voice note's chunk: its fixed size and a little more, nothing larger.
    let chunks = Api::new().put("/media/{id}/chunks/{n}", media::chunk).within(media::CHUNK_BODY_LIMIT);
    // Anyone may send it: the smallest body that holds its longest fields.
    let inscripcion = Api::new().post("/inscripciones", inscripciones::send).within(inscripciones::MAX_BODY_BYTES);
    // Pasos 1–2: a prioritisation may name hundreds of barrios with their reasons, and an
    // oficio dozens of institutions and an agenda: each its own limit.
    let priorizaciones = Api::new()
        .post("/balance/priorizaciones", balance::priorizar)
        .get("/balance/priorizaciones", balance::priorizaciones)
        .within(balance::MAX_PRIORIZACION_BYTES);
    let oficios = Api::new().post("/oficios", balance::crear_oficio).get("/oficios", balance::oficios).within(balance::MAX_OFICIO_BYTES);
    // Paso 4: a pacto's content may hold a hundred compromisos and the diagnóstico's solutions.
    let pacto_content = Api::new().get("/pactos/{id}", pactos::one).put("/pactos/{id}", pactos::save).within(pactos::MAX_PACTO_BYTES);
    let public = Api::new()
        .get("/openapi.json", openapi)
        .post("/auth/login", auth::login)
        .get("/auth/session", auth::session)
        .post("/auth/logout", auth::logout)
        .post("/auth/password", auth::change_password)
        .get("/admin/users", accounts::list)
        .post("/admin/users", accounts::create)
        .post("/admin/users/{id}", accounts::update)
        .get("/admin/audit", accounts::audit)
        .get("/barrios", barrios::list)
        .get("/packs", packs::list)
        .get("/barrios/{id}/pack", packs::one)
        .get("/barrios/{id}", barrios::one)
        .get("/barrios/{id}/marks", marks::list_for_barrio)
        .get("/barrios/{id}/tree", tree::for_barrio)
        // Protocol 1: one record per request, still taken from devices not yet updated.
        .post("/marks", marks::create)
        .post("/causes", tree::create_cause)
        .post("/solutions", tree::create_solution)
        .get("/records/{kind}/{id}/versions", versions::list)
        .post("/workshops", workshops::create)
        .get("/workshops", workshops::list)
        .get("/workshops/{id}", workshops::one)
        .get("/workshops/{id}/changes", sync::changes)
        .get("/workshops/{id}/room", workshops::room)
        .post("/workshops/{id}/devices", workshops::device)
        .post("/workshops/{id}/close", workshops::close)
        .post("/workshops/{id}/settings", workshops::settings)
        .post("/join/{code}", workshops::join)
        .get("/diagnosticos/status", diagnosticos::status)
        .post("/barrios/{id}/diagnosticos", diagnosticos::generate)
        .get("/barrios/{id}/diagnosticos", diagnosticos::list)
        .get("/barrios/{id}/diagnosticos/{number}", diagnosticos::one)
        .get("/barrios/{id}/diagnosticos/{number}/compare/{other}", diagnosticos::comparison)
        .get("/barrios/{id}/diagnosticos/{number}/hotspots.geojson", diagnosticos::hotspots_geojson)
        .get("/barrios/{id}/diagnosticos/{number}/hotspots.csv", diagnosticos::hotspots_csv)
        .get("/barrios/{id}/diagnosticos/{number}/diagnostico.gpkg", diagnosticos::gpkg)
        .get("/barrios/{id}/diagnosticos/{number}/marks.geojson", diagnosticos::marks_geojson)
        .get("/barrios/{id}/diagnosticos/{number}/marks.csv", diagnosticos::marks_csv)
        .get("/barrios/{id}/diagnosticos/{number}/archivo.zip", archive::zip)
        .post("/marks/{id}/reviews", diagnosticos::review_mark)
        .get("/barrios/{id}/reviews", diagnosticos::reviews)
        .post("/barrios/{id}/adjustments", corrections::create)
        .get("/barrios/{id}/adjustments", corrections::list)
        .post("/barrios/{id}/adjustments/{seq}/cancel", corrections::cancel)
        .post("/barrios/{id}/notes", corrections::add_note)
        .get("/barrios/{id}/notes", corrections::notes)
        .post("/barrios/{id}/publications/preview", publications::preview)
        .post("/barrios/{id}/publications", publications::publish)
        .get("/barrios/{id}/publications", publications::list)
        .post("/barrios/{id}/publications/{number}/withdraw", publications::withdraw)
        .get("/public/barrios", publications::public_list)
        .get("/public/barrios/{id}", publications::public_one)
        .get("/public/barrios/{id}/publicacion.geojson", publications::public_geojson)
        .get("/public/barrios/{id}/publicacion.csv", publications::public_csv)
        .get("/public/barrios/{id}/media", public_media::list)
        .get("/public/media/{id}", public_media::file)
        .get("/public/media/{id}/thumb", public_media::thumb)
        .get("/ruta", ruta::resumen)
        .get("/ruta/mapa", ruta::mapa)
        .get("/barrios/{id}/ruta", ruta::barrio)
        .post("/barrios/{id}/ciclos", ruta::open)
        .post("/ciclos/{id}/cambios", ruta::change)
        .post("/ciclos/{id}/cierre", ruta::close)
        .get("/registros/{id}/archivo", ruta::download)
        .post("/registros/{id}/retiro", ruta::withdraw)
        .post("/actas", actas::put)
        .post("/intervenciones", intervenciones::put)
        .get("/intervenciones/{id}", intervenciones::one)
        .get("/barrios/{id}/intervenciones", intervenciones::of_barrio)
        .get("/barrios/{id}/intervenciones/contexto", intervenciones::contexto)
        .post("/miniauditorias", miniauditorias::put)
        .get("/miniauditorias/{id}", miniauditorias::one)
        .get("/miniauditorias/{id}/informe", miniauditorias::informe)
        .get("/barrios/{id}/miniauditorias", miniauditorias::of_barrio)
        .get("/barrios/{id}/miniauditorias/contexto", miniauditorias::contexto)
        .get("/barrios/{id}/remapeo", remapeo::get)
        .get("/actas/{id}", actas::one)
        .get("/barrios/{id}/actas", actas::of_barrio)
        .get("/inscripciones", inscripciones::list)
        .post("/inscripciones/{id}/decision", inscripciones::decide)
        .get("/barrios/{id}/cbsc", cbsc::history)
        .post("/barrios/{id}/cbsc", cbsc::add_version)
        .post("/media", media::offer)
        .get("/media/{id}/upload", media::upload_state)
        .get("/media/{id}", media::file)
        .get("/media/{id}/thumb", media::thumb)
        .get("/barrios/{id}/media", media::of_barrio)
        .get("/workshops/{id}/media", media::of_workshop)
        .delete("/media/{id}", media::hide)
        .put("/media/{id}/decision", media_decisions::decide)
        .get("/indicadores", indicadores::catalogo)
        .put("/indicadores/{code}", indicadores::put)
        .get("/indicadores/importaciones/{id}", indicadores::importacion)
        .get("/iscb/definiciones", balance::definiciones)
        .post("/iscb/definiciones", balance::nueva_definicion)
        .get("/balance", balance::balance)
        .get("/balance.csv", balance::balance_csv)
        .get("/oficios/{id}", balance::oficio)
        .get("/instituciones", instituciones::catalogo)
        .put("/instituciones/{codigo}", instituciones::put)
        .get("/instituciones/{codigo}/compromisos", instituciones::compromisos)
        .get("/instituciones/{codigo}/compromisos.csv", instituciones::compromisos_csv)
        .get("/seguimiento", seguimiento::tablero)
        .post("/comites", seguimiento::crear)
        .get("/comites/{id}", seguimiento::uno)
        .get("/barrios/{id}/pactos", pactos::of_barrio)
        .post("/barrios/{id}/pactos", pactos::create)
        .post("/pactos/{id}/firma", pactos::sign)
        .post("/pactos/{id}/otrosi", pactos::otrosi)
        .post("/pactos/{id}/compromisos/{cid}/estados", pactos::estado)
        .post("/pactos/{id}/publicacion/vista", pactos::preview)
        .post("/pactos/{id}/publicacion", pactos::publish)
        .get("/public/barrios/{id}/compromisos", pactos::public_compromisos)
        .within(max_body_bytes);
    public
        .merge(sync)
        .merge(admin)
        .merge(uploads)
        .merge(inscripcion)
        .merge(chunks)
        .merge(indicator_imports)
        .merge(priorizaciones)
        .merge(oficios)
        .merge(pacto_content)
}

/// The versioned JSON API. Old clients keep the URL they were built with, so paths here are
/// fixed and never hashed.
pub fn api_routes(max_body_bytes: usize, max_sync_bytes: usize, max_import_bytes: usize) -> Router<AppState> {
    api(max_body_bytes, max_sync_bytes, max_import_bytes).router
}

/// Every route of the API as `(method, path under /api/v1)`, lower-case methods and paths
/// written as OpenAPI writes them (`/barrios/{id}`).
pub fn api_route_table() -> Vec<(&'static str, &'static str)> {
    api(1, 1, 1).routes
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

pub fn health_routes() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz))
}

pub fn pwa_routes() -> Router<AppState> {
    Router::new().route("/sw.js", get(pwa::service_worker)).route(app::staff_style::HREF, get(pwa::staff_css))
}
