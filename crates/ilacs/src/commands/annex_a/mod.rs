//! `ilacs annex-a`: check, clean and degrade Annex A files, compute their indicators,
//! generate synthetic ones, time them. Scripts rely on the exit status (0 done, 2 files
//! unreadable, 1 anything else) and on `check --format json`'s shape.

mod bench;
mod check;
mod degrade;
mod generate;
mod indicators;
pub(crate) mod profile;

pub(crate) use indicators::parse_as_at;

use crate::cli::AnnexACommand;
use anyhow::Context;
use ilacs_annexa::{read_csvs, read_workbook, AnnexA};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Larger files are refused before reading: a full Annex A workbook is a few megabytes.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The files could not be read; the binary exits with status 2.
#[derive(Debug)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

pub fn run(what: AnnexACommand) -> anyhow::Result<()> {
    match what {
        AnnexACommand::Check { files, format } => {
            let annex = read(&files)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if format == "json" {
                serde_json::to_writer(&mut out, &check::json(&annex))?;
                writeln!(out)?;
            } else {
                check::write_summary(&mut out, &annex)?;
            }
            out.flush()?;
            Ok(())
        }
        AnnexACommand::Indicators {
            files,
            as_at,
            format,
            thresholds,
        } => {
            let settings = indicators::settings(&thresholds)?;
            let annex = read(&files)?;
            let report = ilacs_annexa::indicators::compute(&annex, as_at, &settings);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if format == "json" {
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
            } else {
                indicators::write_text(&mut out, &report)?;
            }
            out.flush()?;
            Ok(())
        }
        AnnexACommand::Clean { files, out } => {
            let annex = read(&files)?;
            let bytes = ilacs_annexa::write_clean_xlsx(&annex)?;
            super::export::write_whole(&out, &bytes)?;
            let read: usize = annex.lists.iter().map(|l| l.rows_read).sum();
            let kept: usize = annex.lists.iter().map(|l| l.rows_kept()).sum();
            println!(
                "Wrote {} ({} bytes): {} lists, {kept} rows kept of {read} ({} dropped), {} issues (`ilacs annex-a check` lists them).",
                out.display(),
                bytes.len(),
                annex.lists.len(),
                read - kept,
                annex.issues.len()
            );
            Ok(())
        }
        AnnexACommand::Degrade {
            files,
            key_file,
            out,
        } => degrade::run(&files, &key_file, &out),
        AnnexACommand::Generate {
            la,
            all,
            seed,
            dirt,
            as_at,
            format,
            scale,
            jobs,
            out,
        } => generate::run(generate::Args {
            la,
            all,
            seed,
            dirt,
            as_at,
            format,
            scale,
            jobs,
            out,
        }),
        AnnexACommand::Bench {
            file,
            runs,
            national,
            threads,
            as_at,
            phase,
        } => bench::run(bench::Args {
            file,
            runs,
            national,
            threads,
            as_at,
            phase,
        }),
    }
}

/// One workbook, or CSV files (one list each).
pub(crate) fn read(files: &[PathBuf]) -> anyhow::Result<AnnexA> {
    let mut contents = Vec::new();
    for f in files {
        let bytes = read_file(f).map_err(|e| Unreadable(format!("{e:#}")))?;
        contents.push((f.display().to_string(), bytes));
    }
    let is_csv = |p: &PathBuf| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let annex = if files.iter().all(is_csv) {
        let named: Vec<(&str, &[u8])> = contents
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        read_csvs(&named).map_err(|e| Unreadable(e.to_string()))?
    } else if let [(name, bytes)] = &contents[..] {
        read_workbook(bytes).map_err(|e| Unreadable(format!("{name}: {e}")))?
    } else {
        return Err(Unreadable(
            "give one workbook (xlsx, xls or ods), or one CSV file per list".into(),
        )
        .into());
    };
    Ok(annex)
}

fn read_file(f: &Path) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(f)
        .with_context(|| format!("cannot read {}", f.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        anyhow::bail!(
            "{} is {} MB, larger than any Annex A return can be ({} MB at most)",
            f.display(),
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))
}
