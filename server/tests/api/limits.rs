//! Clients that stall: a request whose headers never end, or whose body stops coming, is
//! dropped after the configured timeouts instead of holding a connection open.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app_with, AppOptions};

/// Sends `head` and nothing more, then reads until the server closes the connection (at most
/// ten seconds: a server that never closes fails the test).
async fn stall(url: &str, head: &[u8]) -> String {
    let mut stream = TcpStream::connect(url.trim_start_matches("http://")).await.expect("connect");
    stream.write_all(head).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server closes a stalled connection")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_stalls_mid_headers_or_mid_body_is_dropped() {
    let configure = |c: &mut server::config::ServerConfig| {
        c.header_timeout_s = 1;
        c.body_timeout_s = 1;
    };
    let app = spawn_app_with(AppOptions { configure: Some(configure), ..Default::default() }).await;
    // Headers that never end: the connection is closed without an answer being waited for.
    let answer = stall(&app.url, b"GET /healthz HTTP/1.1\r\nHost: prueba\r\nX-Lento: ").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    // A body announced as 200 bytes of which 10 arrive: refused, and the connection closed.
    let head =
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: prueba\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"username";
    let answer = stall(&app.url, head).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    // The server still answers everyone else.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
