//! Accepting connections: hyper driven directly, because `axum::serve` sets no timeouts. A
//! client must send its request headers within a deadline and keep its body moving, so one
//! that stalls mid-request (by accident or to hold connections open) is dropped; on shutdown
//! the server stops accepting, lets requests in flight finish for a short grace period, and
//! returns.

use std::future::Future;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a client may take, and how long shutdown waits.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// From the connection's first byte (or the end of the previous response) to the end of
    /// the request's headers.
    pub header_read: Duration,
    /// How long requests in flight may still take once shutdown begins.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits { header_read: Duration::from_secs(10), shutdown_grace: Duration::from_secs(3) }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then waits at most
/// `limits.shutdown_grace` for the requests in flight. Each request carries the client's
/// address (`ConnectInfo<SocketAddr>`), which attempt limits count by.
pub async fn serve(listener: TcpListener, router: Router, limits: ConnectionLimits, shutdown: impl Future<Output = ()>) {
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            req.map(Body::new)
        });
        // Held by the task until its connection ends: shutdown waits for every one of them.
        let alive = stopping.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read);
            let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).with_upgrades();
            let mut connection = std::pin::pin!(connection);
            let mut watch = alive.clone();
            let stop_asked = async move {
                let _ = watch.wait_for(|s| *s).await;
            };
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = stop_asked => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(alive);
        });
    }
    drop((listener, stopping));
    let _ = stop.send(true);
    // Every connection task holds a receiver until it ends.
    let _ = tokio::time::timeout(limits.shutdown_grace, stop.closed()).await;
}
