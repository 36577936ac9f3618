//! Peak memory (and wall time) of the merge engine for one data size, in a process of its own
//! so that the peaks of other sizes do not mix in. Linux only (reads `/proc/self/status`).
//!
//!     cargo run --release -p cartobarrio --example merge_memory -- 1m
//!
//! Sizes: `10k`, `100k`, `1m` (point marks over 600 barrios), `5k-one` (one barrio), or a
//! number of marks over 600 barrios. Prints the resident memory after generating the input,
//! the peak while merging (the kernel's high-water mark, reset just before the merge), and
//! the times to merge and to free the result.

use std::time::Instant;

use app::model::MergeParams;
use server::merge::{merge, merge_all, synthetic};

/// A line of `/proc/self/status` in MiB, e.g. `VmRSS` or `VmHWM`.
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "1m".into());
    let (n, one) = match arg.as_str() {
        "10k" => (10_000, false),
        "100k" => (100_000, false),
        "1m" | "1M" => (1_000_000, false),
        "5k-one" => (5_000, true),
        other => match other.parse::<usize>() {
            Ok(n) => (n, false),
            Err(_) => {
                eprintln!("usage: merge_memory 10k|100k|1m|5k-one|N");
                std::process::exit(2);
            }
        },
    };
    let base = status_mib("VmRSS");
    let data = if one { synthetic::one_barrio(n, synthetic::DEFAULT_SEED) } else { synthetic::city(n, synthetic::DEFAULT_SEED) };
    let input = status_mib("VmRSS");
    // "5" resets the high-water mark to the current resident size (Linux 4.0 and later).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let params = MergeParams::default();
    let started = Instant::now();
    let out = if one {
        vec![merge(1, &data.marks, &data.causes, &data.solutions, &params)]
    } else {
        merge_all(&data.marks, &data.causes, &data.solutions, &params)
    };
    let merged = started.elapsed();
    let peak = status_mib("VmHWM");
    let after = status_mib("VmRSS");
    let hotspots: usize = out.iter().map(|d| d.hotspots.len()).sum();
    let barrios = out.len();
    let started = Instant::now();
    drop(out);
    let dropped = started.elapsed();
    println!(
        "{arg}: {n} marks, {barrios} barrios, {hotspots} hotspots; merge {:.1} ms, drop {:.1} ms; \
         RSS {base:.1} MiB at start, {input:.1} MiB with the input, {after:.1} MiB with the result; \
         peak during the merge {peak:.1} MiB{} (+{:.1} MiB over the input)",
        merged.as_secs_f64() * 1e3,
        dropped.as_secs_f64() * 1e3,
        if reset { "" } else { " (high-water mark not reset: includes generating the input)" },
        peak - input,
    );
}
