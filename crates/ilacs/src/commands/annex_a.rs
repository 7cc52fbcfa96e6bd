//! `ilacs annex-a`: check and clean Annex A files. Scripts rely on the exit status
//! (0 read, 2 unreadable) and on `check --format json`'s shape.

use crate::cli::AnnexACommand;
use anyhow::Context;
use ilacs_annexa::{read_csvs, read_workbook, Action, AnnexA, Schema};
use std::collections::BTreeMap;
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
                serde_json::to_writer(&mut out, &check_json(&annex))?;
                writeln!(out)?;
            } else {
                write_summary(&mut out, &annex)?;
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
    }
}

/// One workbook, or CSV files (one list each).
fn read(files: &[PathBuf]) -> anyhow::Result<AnnexA> {
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

/// `check --format json`: exactly the contract's keys, lists in list order and issues
/// by list and row. Borrowed, so a large report is written without a copy.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    lists: Vec<ListJson>,
    issues: Vec<IssueJson<'a>>,
}

#[derive(serde::Serialize)]
struct ListJson {
    list: u8,
    rows: usize,
}

#[derive(serde::Serialize)]
struct IssueJson<'a> {
    list: u8,
    row: u32,
    column: &'a str,
    value: &'a str,
    reason: &'a str,
    action: &'static str,
}

fn check_json(annex: &AnnexA) -> CheckJson<'_> {
    CheckJson {
        lists: annex
            .lists
            .iter()
            .map(|l| ListJson {
                list: l.list,
                rows: l.rows_read,
            })
            .collect(),
        issues: annex
            .issues
            .iter()
            .map(|i| IssueJson {
                list: i.list,
                row: i.row,
                column: &i.column,
                value: &i.value,
                reason: &i.reason,
                action: i.action.as_str(),
            })
            .collect(),
    }
}

/// Issues shown in the text summary; the JSON has them all.
const SHOWN_ISSUES: usize = 20;

fn write_summary(out: &mut impl Write, annex: &AnnexA) -> std::io::Result<()> {
    let schema = Schema::bundled();
    for l in &annex.lists {
        let name = schema.list(l.list).map_or("", |d| d.name.as_str());
        writeln!(
            out,
            "List {:>2} {name:<32} from '{}': {} rows read, {} kept",
            l.list,
            l.source,
            l.rows_read,
            l.rows_kept()
        )?;
    }
    for s in &annex.skipped_sheets {
        writeln!(out, "'{s}': not an Annex A list, skipped")?;
    }
    if annex.issues.is_empty() {
        return writeln!(out, "No issues: every cell is clean.");
    }
    let mut by_action: BTreeMap<Action, usize> = BTreeMap::new();
    for i in &annex.issues {
        *by_action.entry(i.action).or_default() += 1;
    }
    let counts: Vec<String> = by_action
        .iter()
        .map(|(a, n)| format!("{n} {}", a.as_str()))
        .collect();
    writeln!(out, "{} issues: {}.", annex.issues.len(), counts.join(", "))?;
    for i in annex.issues.iter().take(SHOWN_ISSUES) {
        writeln!(
            out,
            "  List {}, row {}, {}: '{}': {} ({})",
            i.list,
            i.row,
            i.column,
            i.value,
            i.reason,
            i.action.as_str()
        )?;
    }
    if annex.issues.len() > SHOWN_ISSUES {
        writeln!(
            out,
            "  ... and {} more (`--format json` lists every one).",
            annex.issues.len() - SHOWN_ISSUES
        )?;
    }
    Ok(())
}
