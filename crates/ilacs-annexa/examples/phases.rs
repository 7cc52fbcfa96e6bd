//! Times each phase of checking and cleaning a workbook:
//! `phases FILE.xlsx [calamine] [read] [repeat=N]`. With `calamine`, also times
//! calamine's own reading (the fallback path) to compare; with `read`, only reads (for
//! profiling the reader); `repeat=N` does it all N times.

use std::time::{Duration, Instant};

/// This thread's CPU time so far (Linux), to report beside wall time: the machine is
/// shared, and wall time alone says as much about the neighbours as about this code.
fn cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Wall and CPU time since `(t, c)`.
fn since((t, c): (Instant, Duration)) -> String {
    format!(
        "{:.3} s wall, {:.3} s CPU",
        t.elapsed().as_secs_f64(),
        (cpu() - c).as_secs_f64()
    )
}

fn start() -> (Instant, Duration) {
    (Instant::now(), cpu())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .expect("usage: phases FILE.xlsx [calamine] [read] [repeat=N]");
    let compare = args.iter().any(|a| a == "calamine");
    let read_only = args.iter().any(|a| a == "read");
    let repeat = args
        .iter()
        .find_map(|a| a.strip_prefix("repeat=")?.parse().ok())
        .unwrap_or(1);
    let bytes = std::fs::read(path).expect("readable");
    for _ in 0..repeat {
        phases(&bytes, compare, read_only);
    }
}

fn phases(bytes: &[u8], compare: bool, read_only: bool) {
    if compare {
        let t = start();
        let annex = ilacs_annexa::testing::read_workbook_with_calamine(bytes).unwrap();
        println!(
            "calamine read and clean ({} issues): {}",
            annex.issues.len(),
            since(t)
        );
    }
    let t = start();
    let annex = ilacs_annexa::read_workbook(bytes).unwrap();
    let cells: usize = annex
        .lists
        .iter()
        .map(|l| l.rows_read * l.columns.len())
        .sum();
    println!(
        "read_workbook ({} lists, ~{cells} cells, {} issues): {}",
        annex.lists.len(),
        annex.issues.len(),
        since(t)
    );
    if compare && ilacs_annexa::testing::read_xlsx_fast(bytes).is_err() {
        println!("  (the fast reader left this workbook to calamine)");
    }
    if read_only {
        return;
    }
    let t = start();
    let out = ilacs_annexa::write_clean_xlsx(&annex).unwrap();
    println!("write_clean_xlsx ({} bytes): {}", out.len(), since(t));
}
