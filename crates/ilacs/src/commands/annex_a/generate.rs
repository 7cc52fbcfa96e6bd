//! `ilacs annex-a generate`: a synthetic Annex A return for one LA, as a workbook or a
//! directory of CSVs, or for every LA (a directory each), sized and shaped by DfE's
//! published figures (see `profile`).

use super::profile::{Made, Sources};
use anyhow::{bail, Context};
use chrono::NaiveDate;
use ilacs_annexa::{csv_file_name, generate_linked, generate_linked_csv, Linked, Profile, Schema};
use ilacs_domain::authority::LocalAuthority;
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

pub(crate) struct Args {
    pub la: Option<String>,
    pub all: bool,
    pub seed: u64,
    pub dirt: f64,
    pub as_at: NaiveDate,
    pub format: Option<String>,
    pub scale: f64,
    pub jobs: Option<usize>,
    pub out: PathBuf,
}

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.dirt) {
        bail!(
            "--dirt must be a share from 0 to 1, such as 0.02, not {}",
            args.dirt
        );
    }
    if !(args.scale > 0.0 && args.scale <= 1000.0) {
        bail!(
            "--scale must be above 0 and at most 1000, not {}",
            args.scale
        );
    }
    let sources = Sources::load()?;
    if args.all {
        if args.format.as_deref() == Some("xlsx") {
            bail!("--all writes CSV (a directory per LA): leave out --format xlsx");
        }
        return all(&sources, &args);
    }
    let code = args.la.as_deref().context("give --la CODE or --all")?;
    let la = sources.find(code)?;
    let made = sources.profile(la, args.as_at)?;
    let profile = made.profile.scaled(args.scale);
    let seed = la_seed(args.seed, la);
    let started = Instant::now();
    let (linked, what) = match args.format.as_deref().unwrap_or("xlsx") {
        "csv" => {
            let linked = write_csv_dir(&args.out, &profile, seed, args.dirt)?;
            (linked, "11 CSV files".to_string())
        }
        _ => {
            let workbook = generate_linked(&profile, seed, args.dirt)
                .context("could not make the workbook")?;
            super::super::export::write_whole(&args.out, &workbook.bytes)?;
            (workbook.linked, format!("{} bytes", workbook.bytes.len()))
        }
    };
    println!(
        "Wrote {} ({what}): a synthetic Annex A for {} ({}), reference date {}, from DfE's {} figures{}; seed {}, dirt {}, in {:.1} s.",
        args.out.display(),
        la.name,
        la.la_code.as_str(),
        ilacs_annexa::uk_date(args.as_at),
        made.year.as_deref().unwrap_or("latest"),
        scale_note(args.scale),
        args.seed,
        args.dirt,
        started.elapsed().as_secs_f64()
    );
    print_rows(&linked.rows, linked.injected.len());
    print_fallbacks(&made);
    Ok(())
}

fn scale_note(scale: f64) -> String {
    if scale == 1.0 {
        String::new()
    } else {
        format!(" at {scale} times their volumes")
    }
}

/// Each LA's seed: the same LA and --seed give the same return, alone or in --all.
fn la_seed(seed: u64, la: &LocalAuthority) -> u64 {
    let code: u64 = la.la_code.as_str().parse().unwrap_or(0);
    seed ^ code.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn print_rows(rows: &[(u8, usize)], injected: usize) {
    let schema = Schema::bundled();
    for (list, n) in rows {
        let name = schema.list(*list).map_or("", |d| d.name.as_str());
        println!("  List {list:>2} {name:<32} {:>12}", thousands(*n as u64));
    }
    let total: usize = rows.iter().map(|(_, n)| n).sum();
    println!(
        "  {:<40} {:>12}   ({} pieces of dirt injected; `ilacs annex-a check` reports them)",
        "Total",
        thousands(total as u64),
        thousands(injected as u64)
    );
}

fn print_fallbacks(made: &Made) {
    if !made.fallbacks.is_empty() {
        println!(
            "  Not published for the LA (suppressed or missing), England's used instead: {}.",
            made.fallbacks.join(", ")
        );
    }
}

pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The 11 CSVs into `dir`, each written under a temporary name and renamed when all are
/// complete, so a failed run leaves no half-written list behind.
fn write_csv_dir(dir: &Path, profile: &Profile, seed: u64, dirt: f64) -> anyhow::Result<Linked> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let mut parts: Vec<(PathBuf, PathBuf)> = Vec::new();
    let made = generate_linked_csv(profile, seed, dirt, |def| {
        let name = csv_file_name(def);
        let part = dir.join(format!(".{name}.part"));
        let file = std::fs::File::create(&part)?;
        parts.push((part, dir.join(name)));
        Ok(BufWriter::with_capacity(1 << 16, file))
    });
    let renamed = match made {
        Ok(linked) => parts
            .iter()
            .try_for_each(|(part, file)| std::fs::rename(part, file))
            .map(|()| linked)
            .with_context(|| format!("could not write into {}", dir.display())),
        Err(e) => Err(anyhow::Error::new(e).context(format!("in {}", dir.display()))),
    };
    if renamed.is_err() {
        for (part, _) in &parts {
            let _ = std::fs::remove_file(part);
        }
    }
    renamed
}

/// A directory name for an LA: `878-devon`.
fn la_dir(la: &LocalAuthority) -> String {
    let mut slug = String::new();
    for ch in la.name.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("{}-{}", la.la_code.as_str(), slug.trim_matches('-'))
}

/// Every current LA, on `--jobs` threads, a directory each.
fn all(sources: &Sources, args: &Args) -> anyhow::Result<()> {
    let las: Vec<&LocalAuthority> = sources.current().collect();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("could not create {}", args.out.display()))?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, las.len().max(1));
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(las.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} LAs, {elapsed} (about {eta} left) {msg}",
            )
            .expect("a valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let done: Mutex<Vec<(usize, Linked, usize)>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<anyhow::Error>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= las.len() || failed.load(Ordering::Relaxed) {
                    break;
                }
                let la = las[i];
                let one = || -> anyhow::Result<(Linked, usize)> {
                    let made = sources.profile(la, args.as_at)?;
                    let profile = made.profile.scaled(args.scale);
                    let dir = args.out.join(la_dir(la));
                    let linked = write_csv_dir(&dir, &profile, la_seed(args.seed, la), args.dirt)?;
                    Ok((linked, made.fallbacks.len()))
                };
                match one() {
                    Ok((linked, fallbacks)) => {
                        bar.set_message(la.name.clone());
                        bar.inc(1);
                        done.lock()
                            .expect("not poisoned")
                            .push((i, linked, fallbacks));
                    }
                    Err(e) => {
                        failed.store(true, Ordering::Relaxed);
                        errors.lock().expect("not poisoned").push(e.context(format!(
                            "{} ({})",
                            la.name,
                            la.la_code.as_str()
                        )));
                    }
                }
            });
        }
    });
    bar.finish_and_clear();
    if let Some(e) = errors
        .into_inner()
        .expect("not poisoned")
        .into_iter()
        .next()
    {
        return Err(e);
    }
    let done = done.into_inner().expect("not poisoned");
    let mut totals: Vec<(u8, usize)> = Vec::new();
    let mut injected = 0;
    let mut largest: Option<(usize, &LocalAuthority)> = None;
    for (i, linked, _) in &done {
        for (list, n) in &linked.rows {
            match totals.iter_mut().find(|(l, _)| l == list) {
                Some((_, t)) => *t += n,
                None => totals.push((*list, *n)),
            }
        }
        injected += linked.injected.len();
        let rows = linked.total_rows();
        if largest.is_none_or(|(n, _)| rows > n) {
            largest = Some((rows, las[*i]));
        }
    }
    let with_fallbacks = done.iter().filter(|(_, _, f)| *f > 0).count();
    println!(
        "Wrote {} LAs' synthetic Annex A returns to {} (a directory each, 11 CSV files), reference date {}{}; seed {}, dirt {}, on {jobs} threads in {:.1} s.",
        done.len(),
        args.out.display(),
        ilacs_annexa::uk_date(args.as_at),
        scale_note(args.scale),
        args.seed,
        args.dirt,
        started.elapsed().as_secs_f64()
    );
    print_rows(&totals, injected);
    if let Some((rows, la)) = largest {
        println!(
            "  The largest: {} ({}), {} rows. {with_fallbacks} LAs have some figure DfE suppressed or does not publish; England's stood in.",
            la.name,
            la.la_code.as_str(),
            thousands(rows as u64)
        );
    }
    Ok(())
}
