//! The real `cartobarrio` binary under what a hostile probe tried (issue 18): a diagnóstico of
//! a barrio loaded with hundreds of detailed zones generated while devices sync, zones of
//! growing size, SIGTERM with a request in flight, and a binary started without its site.
//! The figures printed (`# figure …`) are docs/benchmarks.md's ("Under a hostile load").

mod binary;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use app::model::sync::{change_json, PROTOCOL};
use app::model::{Hlc, Mark, Record};
use binary::{bin, Server};
use serde_json::{json, Value};
use uuid::Uuid;

/// The id, the centre of the bounding box and the box's smaller half-side (degrees) of the
/// seeded barrio `code`.
async fn barrio(server: &Server, code: &str) -> (i64, (f64, f64), f64) {
    let list: Vec<Value> = server.client.get(server.api("/barrios")).send().await.expect("barrios").json().await.expect("json");
    let id = list.iter().find(|b| b["code"] == code).and_then(|b| b["id"].as_i64()).expect("barrio");
    let barrio: app::model::Barrio =
        server.client.get(server.api(&format!("/barrios/{id}"))).send().await.expect("barrio").json().await.expect("json");
    let [x0, y0, x1, y1] = barrio.bbox().expect("bbox");
    (id, ((x0 + x1) / 2.0, (y0 + y1) / 2.0), ((x1 - x0).min(y1 - y0)) / 2.0)
}

/// Sends `records` as one batch of `device`; the HTTP status and the reply.
async fn sync(server: &Server, device: Uuid, records: &[Record]) -> (u16, Value) {
    let batch = json!({
        "protocol": PROTOCOL, "submission_id": Uuid::new_v4(), "device_id": device,
        "changes": records.iter().map(change_json).collect::<Vec<_>>(),
    });
    let res = server.client.post(server.api("/sync")).json(&batch).send().await.expect("sync");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

/// A zone: a ring of `n` vertices on a circle of `radius_m` metres around `(lon, lat)`, with
/// 7 decimals as a phone's GPS gives them, drawn by `device` at `ms`.
fn zone(device: Uuid, barrio: i64, (lon, lat): (f64, f64), radius_m: f64, n: usize, ms: i64) -> Record {
    let round = |x: f64| (x * 1e7).round() / 1e7;
    let (dx, dy) = (radius_m / (111_320.0 * lat.to_radians().cos()), radius_m / 110_540.0);
    let mut ring: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            vec![round(lon + dx * a.cos()), round(lat + dy * a.sin())]
        })
        .collect();
    ring.push(ring[0].clone());
    let geometry = geojson::Geometry::new(geojson::Value::Polygon(vec![ring]));
    let mark = Mark::new_shape(Uuid::new_v4(), barrio, "lote_baldio", geometry, ms);
    Record::Mark(mark).stamped(Hlc::tick(None, ms, &device.to_string()), None)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Loads a barrio as the probe did — hundreds of detailed, overlapping zones of one category
/// — then generates its diagnóstico while a device syncs and the health check is asked.
/// Neither waits for the merge: it runs off the database lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn syncs_and_the_health_check_go_on_while_a_large_diagnostico_is_generated() {
    let server = Server::start("warn").await;
    let (barrio, (lon, lat), half) = barrio(&server, "pescaito").await;
    let device = Uuid::new_v4();
    let ms = now_ms();
    // 750 zones of 140 vertices, in 5 batches (each under 1 MiB), scattered over the middle of
    // the barrio, each overlapping some others: the probe's load, once zones of 38,000
    // vertices are refused. (A debug build takes 300: the release figure is docs/benchmarks.md's.)
    let batches = if cfg!(debug_assertions) { 2 } else { 5 };
    let mut sent = 0;
    for batch in 0..batches {
        let zones: Vec<Record> = (0..150)
            .map(|i| {
                let k = (batch * 150 + i) as f64;
                let centre = (lon + half * 0.5 * (k * 0.37).sin(), lat + half * 0.5 * (k * 0.61).cos());
                zone(device, barrio, centre, 40.0 + (k % 7.0) * 10.0, 140, ms)
            })
            .collect();
        let (status, reply) = sync(&server, device, &zones).await;
        assert_eq!(status, 200, "{reply}");
        sent += reply["results"].as_array().expect("results").iter().filter(|r| r["status"] == "created").count();
    }
    assert_eq!(sent, 150 * batches);

    let started = Instant::now();
    let generation = tokio::spawn({
        let (client, url) = (server.client.clone(), server.api(&format!("/barrios/{barrio}/diagnosticos")));
        async move {
            let res = client.post(url).json(&json!({})).send().await.expect("generate");
            (res.status().as_u16(), started.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let t = Instant::now();
    let health = reqwest::get(format!("{}/healthz", server.url)).await.expect("healthz").status().as_u16();
    let health_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let small = [zone(device, barrio, (lon, lat), 30.0, 12, now_ms())];
    let (status, reply) = sync(&server, device, &small).await;
    let sync_ms = t.elapsed().as_secs_f64() * 1e3;
    let sync_done = started.elapsed();
    assert_eq!((health, status, reply["results"][0]["status"].as_str()), (200, 200, Some("created")), "{reply}");
    let (generated, took) = generation.await.expect("generation task");
    assert_eq!(generated, 201);
    println!(
        "# figure generation of {sent} zones of 140 vertices: {:.0} ms; meanwhile /healthz {health_ms:.0} ms, a sync of one zone {sync_ms:.0} ms",
        took.as_secs_f64() * 1e3
    );
    // Only where the merge took long enough to tell: the sync did not wait for it.
    if took > Duration::from_millis(1500) {
        assert!(sync_done < took, "the sync answered at {sync_done:?}, the generation at {took:?}");
    }
}

/// Zones of growing size: each is checked in time that grows about linearly, and one over the
/// limit is refused for its size, quickly, whatever its size.
#[tokio::test]
async fn zone_checks_grow_linearly_and_a_zone_over_the_limit_is_refused() {
    let server = Server::start("warn").await;
    let (barrio, centre, _) = barrio(&server, "pescaito").await;
    let device = Uuid::new_v4();
    let mut figures = Vec::new();
    // (n vertices are n + 1 positions: the ring closes on its first.)
    for n in [500, 1_000, 2_000, 4_000, 4_999] {
        let z = zone(device, barrio, centre, 120.0, n, now_ms());
        let t = Instant::now();
        let (status, reply) = sync(&server, device, &[z]).await;
        figures.push(format!("{n} vertices {:.0} ms", t.elapsed().as_secs_f64() * 1e3));
        assert_eq!((status, reply["results"][0]["status"].as_str()), (200, Some("created")), "{n}: {reply}");
    }
    // Under 1 MiB, as the probe sent it: refused for its vertices, not checked pair by pair.
    let z = zone(device, barrio, centre, 600.0, 38_000, now_ms());
    let t = Instant::now();
    let (status, reply) = sync(&server, device, &[z]).await;
    figures.push(format!("38,000 vertices refused in {:.0} ms", t.elapsed().as_secs_f64() * 1e3));
    assert_eq!((status, reply["results"][0]["status"].as_str()), (200, Some("refused")), "{reply}");
    assert_eq!(reply["results"][0]["error"]["code"], "too_many_vertices", "{reply}");
    println!("# figure sync of one zone: {}", figures.join(", "));
}

/// SIGTERM while a long diagnóstico is being merged and a client stalls mid-body: the server
/// stops accepting, gives requests a short grace period, and exits within seconds instead of
/// waiting for the merge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_within_seconds_even_with_work_in_flight() {
    use tokio::io::AsyncWriteExt;
    let mut server = Server::start("warn").await;
    let (barrio, (lon, lat), half) = barrio(&server, "pescaito").await;
    let device = Uuid::new_v4();
    for batch in 0..2 {
        let zones: Vec<Record> = (0..150)
            .map(|i| {
                let k = f64::from(batch * 150 + i);
                zone(device, barrio, (lon + half * 0.5 * (k * 0.37).sin(), lat + half * 0.5 * (k * 0.61).cos()), 60.0, 140, now_ms())
            })
            .collect();
        assert_eq!(sync(&server, device, &zones).await.0, 200);
    }
    let generation = tokio::spawn({
        let (client, url) = (server.client.clone(), server.api(&format!("/barrios/{barrio}/diagnosticos")));
        async move { client.post(url).json(&json!({})).send().await.map(|r| r.status().as_u16()) }
    });
    let mut stalled = tokio::net::TcpStream::connect(server.url.trim_start_matches("http://")).await.expect("connect");
    stalled
        .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!generation.is_finished(), "the merge is still running when the server is told to stop");
    let sent = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill");
    assert!(sent.success());
    let t = Instant::now();
    let exited = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break Some(status);
        }
        if t.elapsed() > Duration::from_secs(30) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = t.elapsed();
    assert!(exited.is_some(), "still running {took:?} after SIGTERM");
    println!("# figure SIGTERM during a generation, with a stalled request: exited in {:.1} s", took.as_secs_f64());
    assert!(took < Duration::from_secs(8), "{took:?}");
    drop(stalled);
    let _ = generation.await;
}

/// A binary pointed at a folder without the built app refuses to start and says what is missing.
#[test]
fn a_server_without_its_site_refuses_to_start_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("x.sqlite3"))
        .arg("--site-root")
        .arg(dir.path().join("no-hay-sitio"))
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--site-root") && said.contains("cartobarrio.*.wasm"), "{said}");
    assert!(!Path::new(&dir.path().join("x.sqlite3")).exists(), "nothing was created before refusing");
}
