//! The Rust column of `bench/compare/run.sh`: reads the generated marks
//! (`id,barrio_id,category,lon,lat`), merges them all with the default parameters, and prints
//! `{"tool":"cartobarrio","n","ms","clusters"}`: the median of 3 timed runs after a warm-up,
//! counting the merge only (turning CSV rows into marks is not timed, as supercluster's and
//! PostGIS's loading is not).
//!
//! `cargo build --release -p cartobarrio --example merge_csv`, then
//! `target/release/examples/merge_csv MARKS.csv`.

use std::time::Instant;

use app::model::{Mark, MergeParams};
use uuid::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: merge_csv MARKS.csv")?;
    let mut reader = csv::Reader::from_path(&path)?;
    let mut marks = Vec::new();
    for row in reader.records() {
        let row = row?;
        let field = |i: usize| row.get(i).ok_or_else(|| format!("row {:?} has no column {i}", row.position()));
        let id: Uuid = field(0)?.parse()?;
        let barrio_id: i64 = field(1)?.parse()?;
        let (lon, lat): (f64, f64) = (field(3)?.parse()?, field(4)?.parse()?);
        marks.push(Mark::new_point(id, barrio_id, field(2)?, lon, lat, 1_764_000_000_000));
    }
    eprintln!("{} marks read from {path}", marks.len());
    let params = MergeParams::default();
    let run = || {
        let start = Instant::now();
        let out = server::merge::merge_all(&marks, &[], &[], &params);
        (start.elapsed().as_secs_f64() * 1000.0, out.iter().map(|d| d.hotspots.len()).sum::<usize>())
    };
    let (_, clusters) = run();
    let mut times: Vec<f64> = (0..3).map(|_| run().0).collect();
    times.sort_by(f64::total_cmp);
    eprintln!("runs (ms): {times:?}");
    println!("{{\"tool\":\"cartobarrio\",\"n\":{},\"ms\":{:.1},\"clusters\":{clusters}}}", marks.len(), times[1]);
    Ok(())
}
