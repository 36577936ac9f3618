//! Cartobarrio's server: configuration, the SQLite store, seed import, the JSON API and the
//! server-side rendering of the Leptos app. `main.rs` only parses arguments and calls in here.

#![recursion_limit = "256"]

pub mod assets;
pub mod auth;
pub mod balance;
mod catalog;
pub mod config;
pub mod error;
pub mod export;
pub mod files;
pub mod http;
pub mod import;
pub mod indicadores;
pub mod listen;
pub mod media;
pub mod merge;
pub mod outline;
pub mod pactos;
pub mod seed;
pub mod store;
pub mod time;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::data::SharedCatalog;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::trace::TraceLayer;

use crate::config::{LogFormat, ServerConfig};
use crate::http::AppState;
use crate::store::Store;

/// The name cargo-leptos gives the app's files in `pkg/`.
const OUTPUT_NAME: &str = "cartobarrio";
/// The split points opened in a hall with no signal (`app::pages::lazy`): the room's pages
/// (the facilitator's, "Envío de datos" and a workshop's page). Out of a participant's first
/// load, so the worker fetches their chunks after it (on install) instead.
const PRECACHED_SPLITS: &[&str] = &["room_pages"];

/// Builds the whole application router for a store; tests call this without opening a port.
pub fn router(store: Store, config: &ServerConfig) -> Router {
    // A missing build is refused by `serve`; the API alone (in tests) works without one.
    let site = assets::SiteAssets::find(&config.site_root, OUTPUT_NAME).ok();
    let manifest = site.as_ref().and_then(|s| s.manifest().cloned());
    let hash_file = manifest.as_ref().and_then(|m| match assets::write_hash_file(&config.site_root, m) {
        Ok(path) => Some(path),
        Err(e) => {
            tracing::error!(error = %e, "cannot write the hash file the pages name their assets by");
            None
        }
    });
    let manifest = manifest.filter(|_| hash_file.is_some());
    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .env(if std::env::var("LEPTOS_ENV").is_ok_and(|v| v.eq_ignore_ascii_case("dev")) { Env::DEV } else { Env::PROD })
        .site_addr(config.addr)
        .hash_files(manifest.is_some())
        // Absolute, so leptos finds it whatever folder the binary was copied to.
        .hash_file(hash_file.map_or_else(|| "hash.txt".into(), |p| p.to_string_lossy().into()))
        .build();
    let version = assets::deployment_version(manifest.as_ref(), &config.build_id);
    let mut precache: Vec<String> = [
        "/",
        "/talleres",
        "/unirse",
        "/envios",
        "/acerca-de-los-datos",
        "/manifest.webmanifest",
        "/sw-register.js",
        "/icons/icon.svg",
        "/icons/icon-192.png",
        "/icons/icon-512.png",
    ]
    .map(String::from)
    .to_vec();
    match &manifest {
        Some(m) => {
            precache.extend(m.pkg_files(OUTPUT_NAME));
            if let Some(split) = &m.split {
                precache.extend(assets::chunks_of(&config.site_root, split, PRECACHED_SPLITS));
            }
        }
        None => precache.extend(["/pkg/cartobarrio.js", "/pkg/cartobarrio.wasm", "/pkg/cartobarrio.css"].map(String::from)),
    }
    let state = AppState {
        leptos_options: leptos_options.clone(),
        store: store.clone(),
        max_body_bytes: config.max_body_bytes,
        max_sync_bytes: config.max_sync_bytes,
        join_limiter: Arc::default(),
        login_limiter: Arc::default(),
        login_backoff: Arc::default(),
        inscripcion_limiter: Arc::new(auth::limiter::AttemptLimiter::with_max(http::inscripciones::PER_ADDRESS)),
        max_import_bytes: config.max_import_bytes,
        files: files::FileStore::beside(&config.db),
        max_upload_bytes: config.max_upload_bytes,
        upload_locks: Arc::default(),
        service_worker: assets::service_worker(&version, &precache).into(),
        version: version.into(),
        hashed_assets: manifest.is_some(),
    };
    let catalog: SharedCatalog = Arc::new(catalog::StoreCatalog(store));
    let routes = generate_route_list(app::App);
    // Every page: the store's catalogue for rendering, and a policy naming the page's nonce.
    let page_context = move || {
        provide_context(catalog.clone());
        http::security::page_policy();
    };
    Router::new()
        .merge(http::health_routes())
        .merge(http::pwa_routes())
        .nest("/api/v1", http::api_routes(config.max_body_bytes, config.max_sync_bytes, config.max_import_bytes))
        .leptos_routes_with_context(&state, routes, page_context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        // The build's files, precompressed at build time (scripts/compress-pkg.mjs writes a
        // `.br` and a `.gz` beside each): the smallest the browser accepts, never compressed
        // again per request. A file without them is compressed on the fly below.
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(config.site_root.join("pkg")).precompressed_br().precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, app::shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::pwa::cache_headers))
        // Pages and API answers are compressed per request (gzip); `/pkg` comes precompressed
        // (the layer leaves a response that already has a Content-Encoding alone).
        // Audio is not: it is compressed already, and players read it by ranges of its bytes
        // as kept (photos are left alone by the default rule, as every image). Nor are ZIP
        // archives, compressed already.
        .layer(tower_http::compression::CompressionLayer::new().compress_when({
            use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
            DefaultPredicate::new().and(NotForContentType::const_new("audio/")).and(NotForContentType::const_new("application/zip"))
        }))
        .layer(axum::middleware::from_fn(http::security::headers))
        // A client that stops sending its body is refused, and no request may hold a worker
        // past the deadline, however slowly it was sent or however much it asked for.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(Duration::from_secs(config.body_timeout_s)))
        .layer(axum::middleware::from_fn_with_state(Duration::from_secs(config.request_timeout_s), http::deadline))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Opens (and on first start, seeds) the store, then serves until Ctrl-C or SIGTERM.
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    // Pages that name files the server does not have would leave every device with a broken
    // app (and a service worker caching 404s): better not to start.
    match assets::SiteAssets::find(&config.site_root, OUTPUT_NAME)? {
        assets::SiteAssets::Hashed(m) => tracing::info!(site = %config.site_root.display(), wasm = %m.wasm, "serving the release build"),
        assets::SiteAssets::Plain => tracing::warn!(site = %config.site_root.display(), "serving a development build (unhashed files)"),
    }
    let store = Store::open(&config.db).with_context(|| format!("opening the database {}", config.db.display()))?;
    let seeded = seed::seed_if_empty(&store).await.context("seeding the demo barrios")?;
    if seeded > 0 {
        tracing::info!(barrios = seeded, "new database seeded with the Santa Marta barrios");
    }
    let packs = seed::fill_missing_layers(&store).await.context("generating demo layers")?;
    if packs > 0 {
        tracing::info!(packs, "demo base layers generated for barrios without layers");
    }
    // After the layers: a renamed barrio's pack is rebuilt with the layers it already has.
    let renamed = seed::repair_names(&store).await.context("correcting the demo barrios' names")?;
    if renamed > 0 {
        tracing::info!(barrios = renamed, "demo barrios given their reviewed names");
    }
    // After the barrios: each city without indicator data gets demo data, marked as such.
    let sembrado = indicadores::demo::seed(&store, http::now_ms()).await.context("seeding the indicator catalogue and demo data")?;
    if sembrado.indicadores > 0 {
        tracing::info!(indicadores = sembrado.indicadores, "indicator catalogue seeded");
    }
    for (municipio, values) in &sembrado.ciudades {
        tracing::info!(%municipio, values, "demo indicator data generated (marked as ejemplo)");
    }
    if store.ensure_initial_definition(http::now_ms()).await.context("storing the first ISCB definition")? {
        tracing::info!("first ISCB definition stored as version 1");
    }
    let instituciones = seed::seed_instituciones(&store, http::now_ms()).await.context("seeding the catalogue of institutions")?;
    if instituciones > 0 {
        tracing::info!(instituciones, "catalogue of institutions seeded");
    }
    let no_accounts = store.user_count().await? == 0;
    let listener = tokio::net::TcpListener::bind(config.addr).await.with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %config.db.display(), "listening");
    // One plain line on stdout for people and for the test harness, which may ask for port 0.
    println!("Cartobarrio escuchando en http://{addr}");
    if no_accounts {
        tracing::warn!("no accounts yet: make the first admin with `cartobarrio create-admin --username NAME`");
        println!("Aún no hay cuentas: cree la primera con `cartobarrio create-admin --username NOMBRE` (la contraseña, en CARTOBARRIO_NEW_PASSWORD).");
    }
    let limits = config.connection_limits();
    listen::serve(listener, router(store, &config), limits, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

/// Structured logs on stderr; the filter comes from the configuration.
pub fn init_tracing(filter: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// `cartobarrio create-admin`: an admin account in the database (made and seeded if new).
pub async fn create_admin(config: &ServerConfig, username: &str, display_name: Option<&str>, password: String) -> anyhow::Result<app::model::account::User> {
    use app::model::account::{Role, UserDraft};
    let store = Store::open(&config.db).with_context(|| format!("opening the database {}", config.db.display()))?;
    seed::seed_if_empty(&store).await.context("seeding the demo barrios")?;
    let draft = UserDraft {
        username: username.into(),
        display_name: display_name.unwrap_or(username).into(),
        role: Role::Admin,
        barrios: Vec::new(),
        municipios: Vec::new(),
        password: Some(password),
        disabled: false,
    }
    .checked(true)
    .map_err(|e| anyhow::anyhow!(app::model::Bilingual::es(&e)))?;
    let hash = auth::password::hash(draft.password.clone().unwrap_or_default()).await.map_err(|e| anyhow::anyhow!(e))?;
    let now = http::now_ms();
    let user = store
        .create_user(draft, hash, now)
        .await?
        .map_err(|_| anyhow::anyhow!("Ya hay una cuenta con el usuario {username}."))?;
    store.audit(None, "user_create", user.username.clone(), "administración, desde la línea de comandos".into(), now).await?;
    Ok(user)
}

/// `cartobarrio derive-seed`: dissolves a barrio file and writes the seed and its report.
pub fn derive_seed(
    input: &Path,
    output: &Path,
    report_path: Option<&Path>,
    options: &import::DissolveOptions,
) -> anyhow::Result<import::ImportReport> {
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let (mut barrios, report) = import::dissolve_barrios(&bytes, options)?;
    // The seed is Santa Marta's: it carries the reviewed names, the source's stay in `source_name`.
    import::name_fixes::apply(app::model::SANTA_MARTA_MUNICIPIO, &mut barrios);
    std::fs::write(output, seed::to_geojson(&barrios)).with_context(|| format!("writing {}", output.display()))?;
    if let Some(path) = report_path {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n").with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(report)
}

/// `cartobarrio import`: plans the import from the files, then applies it in one transaction
/// (unless it is a dry run, which reads the database without creating or changing it).
/// Returns the report, also written to `--report` when given; a refused import writes its
/// report too, and fails.
pub async fn import_command(config: &ServerConfig, args: &config::ImportArgs) -> anyhow::Result<import::plan::ImportSummary> {
    use import::plan::{plan_import, ImportFiles, ImportOptions};
    let read = |p: &Option<std::path::PathBuf>| -> anyhow::Result<Option<Vec<u8>>> {
        p.as_ref().map(|p| std::fs::read(p).with_context(|| format!("reading {}", p.display()))).transpose()
    };
    let (barrios, streets, blocks, landmarks) = (read(&args.barrios)?, read(&args.streets)?, read(&args.blocks)?, read(&args.landmarks)?);
    let options = ImportOptions {
        municipio: args.municipio.clone(),
        barrios: import::DissolveOptions {
            name_property: args.name_property.clone(),
            comuna_property: args.comuna_property.clone(),
            code_property: args.code_property.clone(),
            ..Default::default()
        },
        layers: import::layers::LayerOptions {
            margin_m: args.margin_m,
            street_name_property: args.street_name_property.clone(),
            landmark_kind_property: args.landmark_kind_property.clone(),
            landmark_name_property: args.landmark_name_property.clone(),
            source: args.layer_source.clone(),
            ..Default::default()
        },
        barrio_source: args.barrio_source.clone(),
        demo_for_missing: !args.no_demo,
        max_move_m: args.max_move_m,
        replace: args.replace,
    };
    anyhow::ensure!((0.0..=500.0).contains(&args.margin_m), "--margin-m must be between 0 and 500");
    anyhow::ensure!(args.max_move_m.is_finite() && args.max_move_m >= 0.0, "--max-move-m must be a distance in metres");
    let store = if args.dry_run {
        Store::open_detached(&config.db).with_context(|| format!("reading the database {}", config.db.display()))?
    } else {
        Store::open(&config.db).with_context(|| format!("opening the database {}", config.db.display()))?
    };
    let stored = store.stored_barrios(&args.municipio).await?;
    let files = ImportFiles {
        barrios: barrios.as_deref(),
        layers: import::layers::LayerFiles { streets: streets.as_deref(), blocks: blocks.as_deref(), landmarks: landmarks.as_deref() },
    };
    let write_report = |summary: &import::plan::ImportSummary| -> anyhow::Result<()> {
        if let Some(path) = &args.report {
            std::fs::write(path, serde_json::to_string_pretty(summary)? + "\n").with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    };
    let plan = match plan_import(files, &options, &stored) {
        Ok(plan) => plan,
        Err(e) => {
            if let import::ImportError::Refused(_, summary) = &e {
                write_report(summary)?;
                anyhow::bail!("{}{}\n{e}", describe_import(summary), error::import_es(&e));
            }
            anyhow::bail!("{}\n{e}", error::import_es(&e))
        }
    };
    let mut summary = plan.summary.clone();
    summary.dry_run = args.dry_run;
    if !args.dry_run {
        summary.packs = store.apply_import(plan).await?.packs_written;
    }
    write_report(&summary)?;
    Ok(summary)
}

/// `cartobarrio import-indicators`: reads and checks the file, then keeps it in one
/// transaction (unless it is a dry run, which reads the database without creating or
/// changing it). Returns the report; a file of which no row could be taken is kept nowhere
/// and its report has no `importacion` (the command then exits non-zero).
pub async fn import_indicators_command(
    config: &ServerConfig,
    args: &config::ImportIndicatorsArgs,
) -> anyhow::Result<app::model::balance::importacion::ReporteImportacion> {
    use app::model::Bilingual;
    let size = std::fs::metadata(&args.file).with_context(|| format!("reading {}", args.file.display()))?.len();
    anyhow::ensure!(
        size <= config.max_import_bytes as u64,
        "El archivo pesa {size} bytes; el máximo es {} (CARTOBARRIO_MAX_IMPORT). / The file is over the import limit.",
        config.max_import_bytes
    );
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let store = if args.dry_run {
        Store::open_detached(&config.db).with_context(|| format!("reading the database {}", config.db.display()))?
    } else {
        Store::open(&config.db).with_context(|| format!("opening the database {}", config.db.display()))?
    };
    // A database the server never started: its barrios and catalogue, as a start gives them.
    seed::seed_if_empty(&store).await.context("seeding the demo barrios")?;
    store.seed_indicadores(http::now_ms()).await?;
    let municipio = match &args.municipio {
        Some(m) => m.clone(),
        None => match store.cities().await?.as_slice() {
            [only] => only.clone(),
            cities => anyhow::bail!(
                "La base de datos tiene {} ciudades ({}): indique cuál con --municipio. / Name the city with --municipio.",
                cities.len(),
                cities.join(", ")
            ),
        },
    };
    let (barrios, catalogo) = (store.city_barrios(&municipio).await?, store.indicadores().await?);
    let archivo = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let city = municipio.clone();
    let revision = tokio::task::spawn_blocking(move || indicadores::revisar_archivo(&bytes, &archivo, &city, &barrios, &catalogo))
        .await?
        .map_err(|e| anyhow::anyhow!("{}
{e}", e.es()))?;
    let mut reporte = revision.reporte;
    if args.dry_run || reporte.aceptadas == 0 {
        reporte.reemplaza = store.replaced_periods(&municipio, reporte.periodos.clone()).await?;
        return Ok(reporte);
    }
    let nueva = store::NuevaImportacion {
        id: uuid::Uuid::new_v4(),
        reporte,
        valores: revision.valores,
        ejemplo: false,
        at_ms: http::now_ms(),
        by: None,
        by_name: "línea de comandos".into(),
    };
    store.store_indicator_import(nueva, false).await?.context("the import was not kept")
}

/// The import report for people: totals, then every repaired or skipped feature.
pub fn describe_import(s: &import::plan::ImportSummary) -> String {
    use std::fmt::Write;
    fn details(out: &mut String, repaired: &[import::FeatureNote], skipped: &[import::FeatureNote], notes: &[String]) {
        for (what, list) in [("repaired", repaired), ("skipped", skipped)] {
            for n in list {
                let _ = writeln!(out, "  {what} feature {} ({}): {}", n.feature, n.name, n.reason);
            }
        }
        for n in notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "municipio {}", s.municipio);
    if let Some(b) = &s.barrios {
        let _ = writeln!(
            out,
            "barrios: {} features read, {} barrios, {} repaired, {} skipped",
            b.features_read,
            b.barrios,
            b.repaired.len(),
            b.skipped.len()
        );
        details(&mut out, &b.repaired, &b.skipped, &b.notes);
    }
    for l in &s.layers {
        let _ = writeln!(
            out,
            "{}: {} features read, {} used, {} outside every barrio, {} repaired, {} skipped",
            l.layer,
            l.features_read,
            l.used,
            l.outside,
            l.repaired.len(),
            l.skipped.len()
        );
        details(&mut out, &l.repaired, &l.skipped, &l.notes);
    }
    for (what, list) in [("refused", &s.refused), ("replaced", &s.replaced)] {
        for c in list {
            let _ = writeln!(out, "  {what} boundary of {} ({}): {}", c.code, c.name, c.reason);
        }
    }
    let _ = writeln!(
        out,
        "{}{} barrios added, {} updated, {} packs written, {} with demo layers",
        if s.dry_run { "dry run, nothing written: " } else { "" },
        s.barrios_added,
        s.barrios_updated,
        s.packs,
        s.demo_layers
    );
    out
}
