//! Load test of `POST /api/v1/sync`: simulated devices send batches of new marks to a loopback
//! server as fast as it answers, for a bounded time; prints marks/s, batches/s, batch latency
//! percentiles and the database's size.
//!
//!     cargo run --release -p cartobarrio --example load -- [--seconds 20] [--devices 16] [--marks 100]
//!
//! Without `--url` it serves a fresh database in this process, through `server::serve` (what
//! `cartobarrio serve` runs); with `--url` it loads a server already running (give `--db` to
//! have that server's file measured).

#[path = "../tests/device_sim/mod.rs"]
mod device_sim;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use device_sim::{Device, Place, Rng, Sent};

#[derive(Debug, Parser)]
#[command(about = "Load test of the sync endpoint")]
struct Options {
    /// A running server to load, e.g. http://127.0.0.1:3000; without it one is started here.
    #[arg(long)]
    url: Option<String>,
    /// The database file: where the server started here keeps it (default: a temporary
    /// folder, removed at the end), or the file of the `--url` server, to report its size.
    #[arg(long)]
    db: Option<PathBuf>,
    /// How long devices keep sending.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Devices sending at the same time, each one batch after the other.
    #[arg(long, default_value_t = 16)]
    devices: usize,
    /// Marks per batch (at most 250, the protocol's limit).
    #[arg(long, default_value_t = 100)]
    marks: usize,
    /// Log filter of the server started here. `info` is what `serve` logs by default (a line
    /// per batch), `warn` keeps the terminal readable.
    #[arg(long, default_value = "warn")]
    log: String,
    /// Seed of the ids (the schedule itself is as fast as the server).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// What one device did.
#[derive(Debug, Default)]
struct DeviceStats {
    batches: u64,
    marks: u64,
    latencies: Vec<Duration>,
    failures: u64,
    first_failure: Option<String>,
}

/// A device: new marks in batches, each sent once its previous one is answered, until the
/// deadline. Every mark of a reply must be confirmed, as the app requires.
async fn device(client: reqwest::Client, url: String, place: Place, per_batch: usize, deadline: Instant, seed: u64) -> DeviceStats {
    let mut rng = Rng::new(seed);
    let mut device = Device::new(rng.uuid());
    let mut stats = DeviceStats::default();
    while Instant::now() < deadline {
        let records: Vec<_> = (0..per_batch).map(|_| device.mark(rng.uuid(), place)).collect();
        let submission = rng.uuid();
        let body = device.batch(submission, &records);
        let sent_at = Instant::now();
        let sent = device_sim::send(&client, &url, body).await;
        let took = sent_at.elapsed();
        let problem = match sent {
            Sent::Reply(reply) => match device_sim::settle(&records, &reply, submission) {
                Ok(_) => {
                    stats.batches += 1;
                    stats.marks += records.len() as u64;
                    stats.latencies.push(took);
                    continue;
                }
                Err(e) => e,
            },
            Sent::Status(status, body) => format!("{status}: {}", body.chars().take(300).collect::<String>()),
            Sent::Transport(e) => e,
        };
        stats.failures += 1;
        stats.first_failure.get_or_insert(problem);
        // A failing server is not hammered by a tight loop.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stats
}

/// Starts `server::serve` on its own runtime and thread, on a free loopback port, and waits
/// until it answers `/healthz`.
async fn serve_here(db: &Path, log: &str, client: &reqwest::Client) -> anyhow::Result<String> {
    // The port is found free, then released for the server to take: a race only with another
    // program binding loopback ports in the same instant.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let db = db.to_str().context("a database path in UTF-8")?;
    // Parsed like the binary's arguments, so every other setting is serve's default.
    let cli = server::config::Cli::try_parse_from(["cartobarrio", "serve", "--addr", &addr.to_string(), "--db", db, "--log", log])?;
    server::init_tracing(&cli.server.log, cli.server.log_format);
    let config = cli.server;
    std::thread::Builder::new().name("server".into()).spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the server's runtime");
        if let Err(e) = runtime.block_on(server::serve(config)) {
            eprintln!("the server stopped: {e:#}");
            std::process::exit(1);
        }
    })?;
    let url = format!("http://{addr}");
    // A fresh database is seeded first: a few seconds at most.
    let started = Instant::now();
    loop {
        if let Ok(res) = client.get(format!("{url}/healthz")).send().await {
            if res.status().is_success() {
                return Ok(url);
            }
        }
        if started.elapsed() > Duration::from_secs(120) {
            bail!("the server did not answer /healthz within 2 minutes");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|m| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into())
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0))
}

/// The `p`-th percentile of sorted latencies (nearest rank).
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    if options.marks == 0 || options.marks > app::model::sync::MAX_BATCH_CHANGES || options.devices == 0 || options.seconds == 0 {
        bail!("--marks must be 1 to {}, --devices and --seconds at least 1", app::model::sync::MAX_BATCH_CHANGES);
    }
    let client = device_sim::http_client(Duration::from_secs(60));
    // Kept until the end: the temporary database is removed with it.
    let mut _temp = None;
    let (url, db) = match &options.url {
        Some(url) => (url.trim_end_matches('/').to_string(), options.db.clone()),
        None => {
            let db = match &options.db {
                Some(db) => db.clone(),
                None => {
                    let dir = tempfile::tempdir()?;
                    let db = dir.path().join("load.sqlite3");
                    _temp = Some(dir);
                    db
                }
            };
            let url = serve_here(&db, &options.log, &client).await?;
            (url, Some(db))
        }
    };
    // Devices of different workshops draw in different barrios.
    let places = device_sim::places(&client, &url, None, options.devices).await.map_err(anyhow::Error::msg)?;
    if places.is_empty() {
        bail!("the server has no barrios");
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("machine: {cores} CPUs, {}", cpu_model());
    println!(
        "server: {} ({}), database {}",
        url,
        if options.url.is_some() { "already running" } else { "started here with server::serve" },
        db.as_ref().map_or("unknown".into(), |d| d.display().to_string())
    );
    println!(
        "load: {} devices over {} barrios, {} marks per batch, for {} s",
        options.devices,
        places.len().min(options.devices),
        options.marks,
        options.seconds
    );

    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let tasks: Vec<_> = (0..options.devices)
        .map(|i| {
            let seed = options.seed.wrapping_mul(1_000_003).wrapping_add(i as u64);
            tokio::spawn(device(client.clone(), url.clone(), places[i % places.len()], options.marks, deadline, seed))
        })
        .collect();
    let mut all = DeviceStats::default();
    for task in tasks {
        let s = task.await?;
        all.batches += s.batches;
        all.marks += s.marks;
        all.latencies.extend(s.latencies);
        all.failures += s.failures;
        if all.first_failure.is_none() {
            all.first_failure = s.first_failure;
        }
    }
    // Until the last batch begun before the deadline was answered.
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let l = &all.latencies;
    println!(
        "ingested: {} marks in {} batches over {elapsed:.1} s: {:.0} marks/s, {:.1} batches/s",
        all.marks,
        all.batches,
        all.marks as f64 / elapsed,
        all.batches as f64 / elapsed
    );
    println!(
        "batch latency: p50 {}, p95 {}, p99 {}, max {}",
        ms(percentile(l, 50.0)),
        ms(percentile(l, 95.0)),
        ms(percentile(l, 99.0)),
        ms(l.last().copied().unwrap_or_default())
    );
    println!("failed or unconfirmed batches: {}{}", all.failures, all.first_failure.map_or(String::new(), |f| format!(" (first: {f})")));
    if let Some(db) = &db {
        let side = |ext: &str| PathBuf::from(format!("{}-{ext}", db.display()));
        println!("database: {:.1} MiB + WAL {:.1} MiB + shm {:.1} MiB", mib(db), mib(&side("wal")), mib(&side("shm")));
        // Read beside the running server (WAL lets a reader in): everything confirmed is there.
        if let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) {
            let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap_or(-1);
            println!(
                "rows: {} marks, {} versions, {} submissions",
                count("SELECT count(*) FROM marks"),
                count("SELECT count(*) FROM record_versions"),
                count("SELECT count(*) FROM submissions")
            );
        }
    }
    Ok(())
}
