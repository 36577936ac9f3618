//! The build's files under `/pkg`: sent precompressed (brotli or gzip, as written beside each
//! file by scripts/compress-pkg.mjs), by what the browser accepts, with headers that let caches
//! keep the encodings apart and keep the hashed files forever.

use axum::body::Body;
use axum::http::{header, Request};
use tower::ServiceExt;

use crate::helpers::{config, server_runtime};

const JS: &[u8] = b"export function hydrate() { /* the plain file */ }\n";
const JS_BR: &[u8] = b"brotli bytes of the js";
const JS_GZ: &[u8] = b"\x1f\x8b gzip bytes of the js";
const WASM: &[u8] = b"\0asm\x01\0\0\0 plain wasm";
const WASM_BR: &[u8] = b"brotli bytes of the wasm";

/// A release build's `pkg/`, with precompressed copies (the wasm has no `.gz`).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    for (name, bytes) in [
        ("cartobarrio.AAA.js", JS),
        ("cartobarrio.AAA.js.br", JS_BR),
        ("cartobarrio.AAA.js.gz", JS_GZ),
        ("cartobarrio.BBB.wasm", WASM),
        ("cartobarrio.BBB.wasm.br", WASM_BR),
        ("cartobarrio.CCC.css", b"body{margin:0}".as_slice()),
    ] {
        std::fs::write(pkg.join(name), bytes).unwrap();
    }
    dir
}

async fn get(router: &axum::Router, path: &str, accept_encoding: Option<&str>) -> (axum::http::response::Parts, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(accept) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec();
    (parts, body)
}

/// The app's router over `site()` and a new database; the temp dirs live as long as it is used.
fn served() -> (axum::Router, tempfile::TempDir, tempfile::TempDir) {
    let site = site();
    let db = tempfile::tempdir().unwrap();
    let store = server::store::Store::open(&db.path().join("db.sqlite3")).unwrap();
    let mut config = config(db.path().join("db.sqlite3"));
    config.site_root = site.path().to_path_buf();
    (server::router(store, &config), site, db)
}

fn vary_names_accept_encoding(parts: &axum::http::response::Parts) -> bool {
    parts.headers.get_all(header::VARY).iter().any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"))
}

#[tokio::test]
async fn pkg_files_are_sent_precompressed_by_what_the_browser_accepts() {
    // On the runtime every test server runs on (see `server_runtime`).
    server_runtime().spawn(precompressed()).await.expect("the checks pass");
}

async fn precompressed() {
    let (router, _site, _db) = served();

    // A browser's usual header: brotli wins.
    let (parts, body) = get(&router, "/pkg/cartobarrio.AAA.js", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(parts.status, 200);
    assert_eq!(parts.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(body, JS_BR);
    assert!(parts.headers[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"), "{:?}", parts.headers);
    assert_eq!(parts.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(vary_names_accept_encoding(&parts), "{:?}", parts.headers);
    assert_eq!(parts.headers.get_all(header::CONTENT_ENCODING).iter().count(), 1, "never compressed twice");

    // Only gzip: the `.gz`.
    let (parts, body) = get(&router, "/pkg/cartobarrio.AAA.js", Some("gzip")).await;
    assert_eq!(parts.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, JS_GZ);
    assert!(vary_names_accept_encoding(&parts));

    // Nothing accepted: the file itself, and still a Vary so no cache hands it a `.br`.
    let (parts, body) = get(&router, "/pkg/cartobarrio.AAA.js", None).await;
    assert_eq!(parts.status, 200);
    assert!(parts.headers.get(header::CONTENT_ENCODING).is_none(), "{:?}", parts.headers);
    assert_eq!(body, JS);
    assert!(vary_names_accept_encoding(&parts), "{:?}", parts.headers);

    // The wasm keeps its type under any encoding (streaming compilation needs it).
    let (parts, body) = get(&router, "/pkg/cartobarrio.BBB.wasm", Some("br")).await;
    assert_eq!(parts.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(parts.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(body, WASM_BR);

    // A file with no precompressed copy for the accepted encoding is compressed on the fly,
    // once, or sent as it is.
    let (parts, body) = get(&router, "/pkg/cartobarrio.BBB.wasm", Some("identity")).await;
    assert!(parts.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, WASM);

    // A file that is not there is a 404, not a page.
    let (parts, _) = get(&router, "/pkg/cartobarrio.ZZZ.js", Some("br")).await;
    assert_eq!(parts.status, 404);
}

#[tokio::test]
async fn the_on_demand_stylesheet_is_linked_only_by_pages_off_the_participants_path() {
    server_runtime().spawn(on_demand_stylesheet()).await.expect("the checks pass");
}

async fn on_demand_stylesheet() {
    let (router, _site, _db) = served();
    let href = app::staff_style::HREF;

    let (parts, body) = get(&router, href, None).await;
    assert_eq!(parts.status, 200);
    assert!(parts.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    assert_eq!(parts.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(body, app::staff_style::CSS.as_bytes());
    let (parts, _) = get(&router, href, Some("gzip")).await;
    assert_eq!(parts.headers[header::CONTENT_ENCODING], "gzip");
    assert!(vary_names_accept_encoding(&parts));

    // A participant's pages never link it; a staff or public page does, from the server's
    // first answer (no flash of an unstyled page).
    for path in ["/", "/barrio/1", "/unirse"] {
        let (parts, body) = get(&router, path, None).await;
        assert_eq!(parts.status, 200, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains(href), "{path} links the on-demand stylesheet");
    }
    for path in ["/equipo", "/balance", "/publico"] {
        let (_, body) = get(&router, path, None).await;
        assert!(String::from_utf8_lossy(&body).contains(href), "{path} does not link the on-demand stylesheet");
    }
}
