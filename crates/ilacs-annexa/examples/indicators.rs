//! Times the indicators on a synthetic workbook once it is read: `cargo run --release
//! -p ilacs-annexa --example indicators -- [ROWS_PER_LIST] [YYYY-MM-DD]` (10,000 rows
//! per list, 110,000 in all, and 31 March 2026 by default). The goal is well under
//! 50 ms.

use ilacs_annexa::indicators::{compute, Settings};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .map_or(10_000, |a| a.parse().expect("a number of rows"));
    let as_at = args.next().map_or_else(
        || chrono::NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date"),
        |a| chrono::NaiveDate::parse_from_str(&a, "%Y-%m-%d").expect("a date as YYYY-MM-DD"),
    );
    let generated = ilacs_annexa::generate(rows, 1, 0.02);
    let annex =
        ilacs_annexa::read_workbook(&generated.bytes).expect("the generated workbook reads");
    let kept: usize = annex.lists.iter().map(|l| l.rows_kept()).sum();
    let settings = Settings::bundled();
    // The first run builds the bundled definitions and calendar once; time the next.
    let _ = compute(&annex, as_at, &settings);
    // The fastest of several runs: the machine's other work only ever adds time.
    let runs: u32 = std::env::var("RUNS").map_or(20, |r| r.parse().expect("RUNS is a number"));
    let mut times = Vec::new();
    let mut children = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let report = compute(&annex, as_at, &settings);
        times.push(t.elapsed());
        children = report.indicators.iter().map(|i| i.children.len()).sum();
    }
    times.sort();
    println!(
        "{} indicators at {as_at} from {kept} rows ({} lists): fastest {:?}, median {:?} of {runs} ({children} drill-down rows)",
        compute(&annex, as_at, &settings).indicators.len(),
        annex.lists.len(),
        times[0],
        times[times.len() / 2],
    );
}
