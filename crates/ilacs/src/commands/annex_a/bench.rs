//! `ilacs annex-a bench`: how fast Annex A returns are read, cleaned and taken through
//! the later stages, in rows per second, CPU time and peak memory.
//!
//! Each phase runs in a child process (this program again, with the hidden `--phase`),
//! so the peak memory reported (the kernel's high-water mark, VmHWM) is that phase's
//! alone: not the parent's, not the workbook generated for it, not another phase's.
//! The child prints one JSON line; the parent prints the table.
//!
//! - One file (a workbook, or without one a 110,000-row workbook from
//!   `ilacs_annexa::generate(10_000, 1, 0.02)`, made before anything is timed): `check`
//!   (read_workbook) and `clean` (read_workbook and write_clean_xlsx), each `--runs`
//!   times on one thread.
//! - `--national DIR` (written by `generate --all`): every LA's CSVs read with
//!   read_csvs, LA by LA on `--threads` workers taking LAs from a shared queue (at most
//!   that many LAs in memory at once), then the [`STAGES`], each timed per LA.

use super::generate::thousands;
use super::Unreadable;
use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use ilacs_annexa::{read_csvs, read_workbook, write_clean_xlsx, AnnexA};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

pub(crate) struct Args {
    pub file: Option<PathBuf>,
    pub runs: u32,
    pub national: Option<PathBuf>,
    pub threads: usize,
    pub as_at: NaiveDate,
    pub phase: Option<String>,
}

/// What a stage after reading is given besides the return.
pub(crate) struct StageContext {
    /// The returns' reference date R.
    pub as_at: NaiveDate,
    /// A fixed key, for keyed-hash pseudonymising.
    pub key: [u8; 32],
}

/// A stage each LA's return goes through once read, timed per LA. Its result's size
/// keeps the work from being optimised away.
pub(crate) struct Stage {
    pub name: &'static str,
    pub run: fn(&AnnexA, &StageContext) -> usize,
}

/// The stages after reading, in order: degrading with a fixed key, and every indicator
/// as at the returns' reference date.
pub(crate) const STAGES: &[Stage] = &[
    Stage {
        name: "degrade",
        run: |annex, cx| match ilacs_annexa::Key::from_bytes(&cx.key) {
            Ok(key) => ilacs_annexa::degrade(annex, &key).lists.len(),
            Err(_) => 0,
        },
    },
    Stage {
        name: "indicators",
        run: |annex, cx| {
            ilacs_annexa::indicators::compute(
                annex,
                cx.as_at,
                &ilacs_annexa::indicators::Settings::bundled(),
            )
            .indicators
            .len()
        },
    },
];

/// One phase's measurements, as the child prints them.
#[derive(Debug, Serialize, Deserialize)]
struct Measured {
    phase: String,
    /// Data rows read per run.
    rows: u64,
    lists: usize,
    issues: usize,
    /// Per run: wall and CPU seconds (user and system, every thread).
    wall: Vec<f64>,
    cpu: Vec<f64>,
    /// The child's resident memory before the first run (its input loaded) and its
    /// high-water mark at the end, in kB.
    base_kb: u64,
    peak_kb: u64,
    /// National: LAs read, and per stage the seconds each LA took.
    las: usize,
    threads: usize,
    stages: Vec<(String, Vec<f64>)>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    if let Some(phase) = &args.phase {
        let measured = match phase.as_str() {
            "check" | "clean" => file_phase(phase, args.file.as_deref(), args.runs, args.as_at)?,
            "national" => national_phase(
                args.national
                    .as_deref()
                    .context("--phase national needs --national DIR")?,
                args.threads,
                args.as_at,
            )?,
            other => bail!("no bench phase '{other}'"),
        };
        println!("{}", serde_json::to_string(&measured)?);
        return Ok(());
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    if args.file.is_some() || args.national.is_none() {
        file_bench(&args)?;
    }
    if let Some(dir) = &args.national {
        national_bench(&args, dir)?;
    }
    Ok(())
}

fn file_bench(args: &Args) -> anyhow::Result<()> {
    let (path, made) = match &args.file {
        Some(f) => (f.clone(), None),
        None => {
            let generated = ilacs_annexa::generate(10_000, 1, 0.02);
            let path = std::env::temp_dir().join(format!(
                "ilacs-bench-{}-110000-rows.xlsx",
                std::process::id()
            ));
            std::fs::write(&path, &generated.bytes)
                .with_context(|| format!("could not write {}", path.display()))?;
            (path.clone(), Some(path))
        }
    };
    let result = (|| -> anyhow::Result<()> {
        let size = std::fs::metadata(&path)
            .map_err(|e| Unreadable(format!("{}: {e}", path.display())))?
            .len();
        let source = if made.is_some() {
            "generate(10000, 1, 0.02), made before timing".to_string()
        } else {
            path.display().to_string()
        };
        let check = child(&["--phase", "check"], Some(&path), args)?;
        println!(
            "Annex A bench: {source}: {} rows in {} lists, {:.1} MB, {} issues; {} runs per phase on one thread.",
            thousands(check.rows),
            check.lists,
            size as f64 / 1e6,
            thousands(check.issues as u64),
            check.wall.len()
        );
        let clean = child(&["--phase", "clean"], Some(&path), args)?;
        header();
        line("check (read_workbook)", &check);
        line("clean (read + write_clean_xlsx)", &clean);
        println!(
            "  Peak: each phase's own process (the input file loaded: {:.0} MB resident before the first run).",
            check.base_kb as f64 / 1024.0
        );
        stage_lines(&check.stages, "once read");
        Ok(())
    })();
    if let Some(p) = made {
        let _ = std::fs::remove_file(p);
    }
    result
}

fn header() {
    println!(
        "  {:<32} {:>10} {:>10} {:>10} {:>12} {:>9}",
        "phase", "wall med.", "wall min", "CPU med.", "rows/s", "peak"
    );
}

fn line(name: &str, m: &Measured) {
    let wall = median(&m.wall);
    println!(
        "  {:<32} {:>8.3} s {:>8.3} s {:>8.3} s {:>12} {:>6.0} MB",
        name,
        wall,
        m.wall.iter().copied().fold(f64::INFINITY, f64::min),
        median(&m.cpu),
        thousands((m.rows as f64 / wall.max(1e-9)) as u64),
        m.peak_kb as f64 / 1024.0
    );
}

fn national_bench(args: &Args, dir: &Path) -> anyhow::Result<()> {
    let m = child(&["--phase", "national", "--national"], Some(dir), args)?;
    let wall = m.wall.first().copied().unwrap_or(0.0);
    let cpu = m.cpu.first().copied().unwrap_or(0.0);
    println!(
        "National: {} LAs from {}, {} rows in all, {} issues, on {} threads (LAs from a shared queue, at most {} in memory at once).",
        m.las,
        dir.display(),
        thousands(m.rows),
        thousands(m.issues as u64),
        m.threads,
        m.threads
    );
    println!(
        "  read_csvs{}: {wall:.2} s wall, {cpu:.2} s CPU, {} rows/s, peak {:.0} MB.",
        if STAGES.is_empty() {
            String::new()
        } else {
            format!(
                " then {}",
                STAGES.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            )
        },
        thousands((m.rows as f64 / wall.max(1e-9)) as u64),
        m.peak_kb as f64 / 1024.0
    );
    stage_lines(&m.stages, "per LA once read");
    Ok(())
}

/// Each stage's times: per run of one workbook, or per LA.
fn stage_lines(stages: &[(String, Vec<f64>)], what: &str) {
    if STAGES.is_empty() {
        println!(
            "  Degrading and the indicators are not on this branch: no stages after reading (bench.rs, STAGES)."
        );
    }
    for (name, times) in stages {
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            continue;
        }
        let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize] * 1000.0;
        println!(
            "  {name}, {what}: median {:.1} ms, 90th percentile {:.1} ms, largest {:.1} ms; {:.2} s in all.",
            at(0.5),
            at(0.9),
            at(1.0),
            times.iter().sum::<f64>()
        );
    }
}

/// Runs a phase in a child process and reads its measurements.
fn child(phase: &[&str], path: Option<&Path>, args: &Args) -> anyhow::Result<Measured> {
    let exe = std::env::current_exe().context("cannot find this program to run a phase")?;
    let mut command = std::process::Command::new(exe);
    command.args(["annex-a", "bench"]).args(phase);
    if let Some(p) = path {
        command.arg(p);
    }
    command
        .args(["--runs", &args.runs.to_string()])
        .args(["--threads", &args.threads.to_string()])
        .args(["--as-at", &args.as_at.format("%Y-%m-%d").to_string()])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    let output = command.output().context("could not run a bench phase")?;
    if !output.status.success() {
        let message = format!("the bench phase {} failed", phase[1]);
        return Err(if output.status.code() == Some(2) {
            Unreadable(message).into()
        } else {
            anyhow::anyhow!(message)
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).context("a bench phase printed no measurements")
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// CPU seconds this process has used, every thread, user and system.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes only into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// A field of /proc/self/status in kB (VmHWM: the peak resident set; VmRSS: now).
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn file_phase(
    phase: &str,
    file: Option<&Path>,
    runs: u32,
    as_at: NaiveDate,
) -> anyhow::Result<Measured> {
    let file = file.context("a file phase needs FILE")?;
    let bytes = std::fs::read(file).map_err(|e| Unreadable(format!("{}: {e}", file.display())))?;
    let base_kb = status_kb("VmRSS");
    let mut m = Measured {
        phase: phase.to_string(),
        rows: 0,
        lists: 0,
        issues: 0,
        wall: Vec::new(),
        cpu: Vec::new(),
        base_kb,
        peak_kb: 0,
        las: 1,
        threads: 1,
        stages: Vec::new(),
    };
    let mut last = None;
    for _ in 0..runs.max(1) {
        // The last run's lists go before this run reads: one run's memory at a time.
        drop(last.take());
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let annex =
            read_workbook(&bytes).map_err(|e| Unreadable(format!("{}: {e}", file.display())))?;
        if phase == "clean" {
            let clean = write_clean_xlsx(&annex)?;
            std::hint::black_box(clean.len());
        }
        m.wall.push(wall.elapsed().as_secs_f64());
        m.cpu.push(cpu_seconds() - cpu);
        m.rows = annex.lists.iter().map(|l| l.rows_read as u64).sum();
        m.lists = annex.lists.len();
        m.issues = annex.issues.len();
        last = Some(annex);
    }
    // The stages after reading, on the workbook once read, as many times.
    if let (Some(annex), "check") = (last, phase) {
        let cx = StageContext {
            as_at,
            key: [7; 32],
        };
        for stage in STAGES {
            let times = (0..runs.max(1))
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box((stage.run)(&annex, &cx));
                    t.elapsed().as_secs_f64()
                })
                .collect();
            m.stages.push((stage.name.to_string(), times));
        }
    }
    m.peak_kb = status_kb("VmHWM");
    Ok(m)
}

/// One LA's CSV files, read from its directory.
fn la_files(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
            Ok((p.display().to_string(), bytes))
        })
        .collect()
}

fn national_phase(dir: &Path, threads: usize, as_at: NaiveDate) -> anyhow::Result<Measured> {
    let mut las: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Unreadable(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    las.sort();
    if las.is_empty() {
        return Err(Unreadable(format!(
            "{}: no LA directories (write them with `ilacs annex-a generate --all --out DIR`)",
            dir.display()
        ))
        .into());
    }
    let threads = threads.clamp(1, las.len());
    let base_kb = status_kb("VmRSS");
    let cx = StageContext {
        as_at,
        key: [7; 32],
    };
    let next = AtomicUsize::new(0);
    let totals = Mutex::new((0u64, 0usize));
    let stage_times: Mutex<Vec<Vec<f64>>> = Mutex::new(vec![Vec::new(); STAGES.len()]);
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= las.len() || failure.lock().expect("not poisoned").is_some() {
                    break;
                }
                let one = || -> anyhow::Result<()> {
                    let files = la_files(&las[i])?;
                    let named: Vec<(&str, &[u8])> = files
                        .iter()
                        .map(|(n, b)| (n.as_str(), b.as_slice()))
                        .collect();
                    let annex = read_csvs(&named)
                        .map_err(|e| Unreadable(format!("{}: {e}", las[i].display())))?;
                    drop(files);
                    let mut times = Vec::with_capacity(STAGES.len());
                    for stage in STAGES {
                        let t = Instant::now();
                        std::hint::black_box((stage.run)(&annex, &cx));
                        times.push(t.elapsed().as_secs_f64());
                    }
                    let rows: u64 = annex.lists.iter().map(|l| l.rows_read as u64).sum();
                    let mut t = totals.lock().expect("not poisoned");
                    t.0 += rows;
                    t.1 += annex.issues.len();
                    drop(t);
                    let mut st = stage_times.lock().expect("not poisoned");
                    for (k, secs) in times.into_iter().enumerate() {
                        st[k].push(secs);
                    }
                    Ok(())
                };
                if let Err(e) = one() {
                    *failure.lock().expect("not poisoned") = Some(e);
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let (rows, issues) = totals.into_inner().expect("not poisoned");
    Ok(Measured {
        phase: "national".to_string(),
        rows,
        lists: 11,
        issues,
        wall: vec![wall],
        cpu: vec![cpu],
        base_kb,
        peak_kb: status_kb("VmHWM"),
        las: las.len(),
        threads,
        stages: STAGES
            .iter()
            .map(|s| s.name.to_string())
            .zip(stage_times.into_inner().expect("not poisoned"))
            .collect(),
    })
}
