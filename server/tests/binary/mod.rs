//! The `cartobarrio` binary for the tests that run it: a built site's stand-in (the server
//! refuses to start without the app's files in `{site-root}/pkg`, and these tests need only
//! the API), and a server on a fresh database with an admin signed in.

#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// The admin's password in every test server.
pub const PASSWORD: &str = "clave de las pruebas del binario";

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cartobarrio"))
}

/// Writes `pkg/cartobarrio.{js,wasm,css}` (empty, unhashed, as a development build names them)
/// under `dir/site` and returns that folder, for `--site-root`.
pub fn stub_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("creating the stub site");
    for ext in ["js", "wasm", "css"] {
        std::fs::write(site.join("pkg").join(format!("cartobarrio.{ext}")), "").expect("writing a stub asset");
    }
    site
}

/// The server binary on a fresh database in its own folder, with an admin, and a client
/// signed in as it (sending the session cookie and anti-forgery token). Killed on drop.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// Logging at `log` into `dir/server.log`.
    pub async fn start(log: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("cartobarrio.sqlite3");
        let made = bin()
            .args(["create-admin", "--username", "admin", "--db"])
            .arg(&db)
            .env("CARTOBARRIO_NEW_PASSWORD", PASSWORD)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .status()
            .expect("create-admin");
        assert!(made.success());
        let log_file = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let mut child = bin()
            .args(["serve", "--addr", "127.0.0.1:0", "--log", log, "--db"])
            .arg(&db)
            .arg("--site-root")
            .arg(stub_site(dir.path()))
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the listening line");
        // The rest of stdout is drained so the server never blocks writing to it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = line.trim().rsplit(' ').next().expect("url").to_string();
        assert!(url.starts_with("http://"), "{line}");
        let login = reqwest::Client::new()
            .post(format!("{url}/api/v1/auth/login"))
            .json(&json!({ "username": "admin", "password": PASSWORD }))
            .send()
            .await
            .expect("login");
        let cookie = login.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string();
        let session: Value = login.json().await.expect("json");
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("cookie", cookie.parse().expect("cookie"));
        headers.insert("x-csrf-token", session["csrf_token"].as_str().expect("csrf").parse().expect("csrf"));
        let client = reqwest::Client::builder().default_headers(headers).build().expect("client");
        Server { child, url, client, dir }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).expect("the log")
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
