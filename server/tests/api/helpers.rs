//! Spawns the application for a test and builds request bodies.

use std::path::PathBuf;

use serde_json::{json, Value};
use server::config::{LogFormat, ServerConfig};
use server::store::Store;

pub struct TestApp {
    pub url: String,
    /// Signed in as the admin (who may do everything): most tests are not about access.
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    // Kept alive for the test's duration; the folder is removed on drop.
    _dir: tempfile::TempDir,
}

pub fn config(db: PathBuf) -> ServerConfig {
    ServerConfig {
        addr: "127.0.0.1:0".parse().expect("literal address"),
        db,
        log: "warn".into(),
        log_format: LogFormat::Text,
        site_root: PathBuf::from("target/site"),
        max_body_bytes: 64 * 1024,
        max_sync_bytes: 1024 * 1024,
        max_import_bytes: 8 * 1024 * 1024,
        max_upload_bytes: 2 * 1024 * 1024,
        build_id: String::new(),
        header_timeout_s: 10,
        body_timeout_s: 15,
        request_timeout_s: 60,
    }
}

/// The arguments of `cartobarrio import --barrios FILE`, with every default.
pub fn import_args(barrios: PathBuf) -> server::config::ImportArgs {
    server::config::ImportArgs {
        municipio: "47001".into(),
        barrios: Some(barrios),
        replace: false,
        max_move_m: 1000.0,
        streets: None,
        blocks: None,
        landmarks: None,
        name_property: "name".into(),
        comuna_property: None,
        code_property: None,
        street_name_property: "name".into(),
        landmark_kind_property: "kind".into(),
        landmark_name_property: "name".into(),
        margin_m: 30.0,
        barrio_source: "prueba".into(),
        layer_source: "prueba".into(),
        no_demo: false,
        report: None,
        dry_run: false,
    }
}

/// How a test wants its server: whether the barrios get their demo packs on start (as
/// `serve` does; slower, so only where needed).
#[derive(Clone, Default)]
pub struct AppOptions {
    pub with_packs: bool,
    /// The indicator catalogue and the demo indicator data a start gives each city.
    pub with_indicators: bool,
    /// Changes to the server's configuration (e.g. short timeouts).
    pub configure: Option<fn(&mut ServerConfig)>,
}

/// Every test account's password.
pub const PASSWORD: &str = "clave de prueba larga";
/// The barrios the test facilitators work in: `facilita` in the first, `facilita2` in the
/// second (by code).
pub const FACILITATOR_BARRIO: &str = "pescaito";
pub const OTHER_FACILITATOR_BARRIO: &str = "bastidas";

/// The city of the staff account `equipo_bq`: Barranquilla, where the test barrios are not.
pub const OTHER_CITY: &str = "08001";

/// The accounts every test server has: `admin`, `equipo` (staff), `equipo_bq` (staff of
/// another city), and two facilitators.
async fn create_accounts(store: &Store) {
    use app::model::account::{Role, UserDraft};
    let barrios = store.list_barrios().await.expect("barrios");
    // A database a test made by hand may have other barrios: the facilitators get its first ones.
    let id_of = |code: &str, n: usize| barrios.iter().find(|b| b.code == code).or_else(|| barrios.get(n)).map(|b| b.id);
    let hash = server::auth::password::hash(PASSWORD.into()).await.expect("hash");
    for (username, role, barrios, municipios) in [
        ("admin", Role::Admin, vec![], vec![]),
        ("equipo", Role::Staff, vec![], vec![]),
        ("equipo_bq", Role::Staff, vec![], vec![OTHER_CITY.to_string()]),
        ("facilita", Role::Facilitator, id_of(FACILITATOR_BARRIO, 0).into_iter().collect(), vec![]),
        ("facilita2", Role::Facilitator, id_of(OTHER_FACILITATOR_BARRIO, 1).into_iter().collect(), vec![]),
    ] {
        if role == Role::Facilitator && barrios.is_empty() {
            continue;
        }
        let draft =
            UserDraft { username: username.into(), display_name: format!("Cuenta {username}"), role, barrios, municipios, password: None, disabled: false };
        store.create_user(draft, hash.clone(), 1_764_000_000_000).await.expect("store").expect("new account");
    }
}

/// A client signed in as `username` (with `PASSWORD`): it sends the session cookie and the
/// anti-forgery token on every request, as the app does.
pub async fn signed_in(url: &str, username: &str) -> reqwest::Client {
    let res = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
        .expect("login request");
    assert_eq!(res.status().as_u16(), 200, "login as {username}");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|c| c.starts_with("cb_sesion=")).map(String::from))
        .expect("session cookie");
    let info: Value = res.json().await.expect("session json");
    let csrf = info["csrf_token"].as_str().expect("csrf token").to_string();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().expect("cookie header"));
    headers.insert("x-csrf-token", csrf.parse().expect("csrf header"));
    reqwest::Client::builder().default_headers(headers).build().expect("client")
}

/// Starts the app on a free port with a fresh, seeded database.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("cartobarrio.sqlite3");
    let url = serve_on(&db_path).await;
    let client = signed_in(&url, "admin").await;
    TestApp { url, client, db_path, _dir: dir }
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("cartobarrio.sqlite3");
    let url = serve_with(&db_path, options).await;
    let client = signed_in(&url, "admin").await;
    TestApp { url, client, db_path, _dir: dir }
}

/// Starts the app on a database file made beforehand in `dir` (seeded only if it has no
/// barrios, as on a real start).
pub async fn spawn_app_on(dir: tempfile::TempDir, db_path: PathBuf) -> TestApp {
    let url = serve_on(&db_path).await;
    let client = signed_in(&url, "admin").await;
    TestApp { url, client, db_path, _dir: dir }
}

/// One runtime for every server the tests start, alive for the whole test process. Each
/// `#[tokio::test]` has its own runtime, dropped when the test ends; the server-side rendering
/// keeps process-wide state tied to the runtime it first ran on, so servers spawned on
/// per-test runtimes sometimes hung once an earlier test's runtime was gone.
pub fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("server runtime"))
}

/// Serves the database at `db_path` (opening and seeding it as `serve` does) on a free port.
pub async fn serve_on(db_path: &std::path::Path) -> String {
    serve_with(db_path, AppOptions::default()).await
}

pub async fn serve_with(db_path: &std::path::Path, options: AppOptions) -> String {
    let db_path = db_path.to_path_buf();
    let (ready, url) = tokio::sync::oneshot::channel();
    server_runtime().spawn(async move {
        let store = Store::open(&db_path).expect("open store");
        server::seed::seed_if_empty(&store).await.expect("seed");
        store.ensure_initial_definition(1_764_000_000_000).await.expect("first ISCB definition");
        server::seed::seed_instituciones(&store, 1_764_000_000_000).await.expect("catalogue of institutions");
        // A database made by an earlier server of the test already has them.
        if store.user_count().await.expect("users") == 0 {
            create_accounts(&store).await;
        }
        if options.with_packs {
            server::seed::fill_missing_layers(&store).await.expect("demo layers");
        }
        if options.with_indicators {
            server::indicadores::demo::seed(&store, server::http::now_ms()).await.expect("indicators");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = config(db_path);
        if let Some(configure) = options.configure {
            configure(&mut config);
        }
        let router = server::router(store, &config);
        let _ = ready.send(format!("http://{addr}"));
        server::listen::serve(listener, router, config.connection_limits(), std::future::pending()).await;
    });
    url.await.expect("server started")
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.url)).send().await.expect("request")
    }

    pub async fn post_mark(&self, body: impl Into<reqwest::Body>) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}/api/v1/marks", self.url))
            .header("Content-Type", "application/geo+json")
            .body(body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let json = res.json().await.unwrap_or(Value::Null);
        (status, json)
    }

    /// POSTs a body to an API path with a content type (none when `None`).
    pub async fn post(&self, path: &str, content_type: Option<&str>, body: impl Into<reqwest::Body>) -> (u16, Value) {
        let mut req = self.client.post(format!("{}/api/v1{path}", self.url)).body(body);
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// GETs an API path as JSON, with its status.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let res = self.get(&format!("/api/v1{path}")).await;
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Every stored version of a record, as the history endpoint lists them.
    pub async fn versions(&self, kind: &str, id: &str) -> Vec<Value> {
        let (status, body) = self.get_json(&format!("/records/{kind}/{id}/versions")).await;
        assert_eq!(status, 200, "{body}");
        body["versions"].as_array().cloned().unwrap_or_default()
    }

    pub async fn barrio_id(&self, code: &str) -> i64 {
        let list: Vec<Value> = self.get("/api/v1/barrios").await.json().await.expect("json");
        list.iter().find(|b| b["code"] == code).and_then(|b| b["id"].as_i64()).expect("barrio in seed")
    }

    pub async fn stored_marks(&self, barrio_id: i64) -> Vec<Value> {
        let fc: Value = self.get(&format!("/api/v1/barrios/{barrio_id}/marks")).await.json().await.expect("json");
        fc["features"].as_array().cloned().unwrap_or_default()
    }
}

/// A point mark Feature for `barrio_id`, in the middle of Santa Marta's Pescaíto area.
pub struct MarkBuilder {
    pub id: String,
    pub barrio_id: i64,
    pub category: String,
    pub coordinates: Value,
}

impl MarkBuilder {
    pub fn new(barrio_id: i64, lon: f64, lat: f64) -> Self {
        MarkBuilder {
            id: "01937f3a-1b2c-7d4e-8f50-6a7b8c9d0e1f".into(),
            barrio_id,
            category: "hurto_personas".into(),
            coordinates: json!([lon, lat]),
        }
    }
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.into();
        self
    }
    pub fn category(mut self, c: &str) -> Self {
        self.category = c.into();
        self
    }
    pub fn json(&self) -> Value {
        json!({
            "type": "Feature",
            "id": self.id,
            "geometry": { "type": "Point", "coordinates": self.coordinates },
            "properties": { "barrio_id": self.barrio_id, "category": self.category, "description": "", "created_at_ms": 1_764_000_000_000_i64 }
        })
    }
    pub fn body(&self) -> String {
        self.json().to_string()
    }
}

/// The centre of a barrio's bounding box, from the API.
pub async fn centre_of(app: &TestApp, barrio_id: i64) -> (f64, f64) {
    let b: Value = app.get(&format!("/api/v1/barrios/{barrio_id}")).await.json().await.expect("json");
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    collect(&b["boundary"]["coordinates"], &mut xs, &mut ys);
    let mid = |v: &[f64]| (v.iter().cloned().fold(f64::INFINITY, f64::min) + v.iter().cloned().fold(f64::NEG_INFINITY, f64::max)) / 2.0;
    (mid(&xs), mid(&ys))
}

fn collect(v: &Value, xs: &mut Vec<f64>, ys: &mut Vec<f64>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() => {
            xs.push(a[0].as_f64().unwrap_or_default());
            ys.push(a[1].as_f64().unwrap_or_default());
        }
        Some(a) => a.iter().for_each(|x| collect(x, xs, ys)),
        None => {}
    }
}

/// Sends an import (`POST /api/v1/admin/import`) with `client`: the status and the report.
pub async fn import_with(app: &TestApp, client: &reqwest::Client, body: &Value) -> (u16, Value) {
    let res = client.post(format!("{}/api/v1/admin/import", app.url)).json(body).send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A square area feature with `props`, its south-west corner at `(x0, y0)`, `size` degrees wide.
pub fn square(props: Value, x0: f64, y0: f64, size: f64) -> Value {
    let (x1, y1) = (x0 + size, y0 + size);
    json!({"type": "Feature", "properties": props,
           "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}})
}

pub fn fc(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}
