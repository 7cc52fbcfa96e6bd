//! `ilacs export`: records as documents, for operators and scripts.

use super::find_la;
use crate::cli::ExportCommand;
use anyhow::{bail, Context};
use ilacs_domain::self_evaluation::FinancialYear;
use ilacs_web::exports::{
    aem_letter_document, region_plan, region_plan_table, self_evaluation_document, ExportFormat,
};
use std::io::Write;
use std::path::Path;

pub async fn run(what: ExportCommand) -> anyhow::Result<()> {
    match what {
        ExportCommand::SelfEvaluation {
            database,
            la,
            year,
            version,
            format,
            out,
        } => {
            let Some(format) = ExportFormat::parse(&format) else {
                bail!("--format must be docx, pdf or html, not '{format}'");
            };
            let store = ilacs_store::open(&database.database).await?;
            let la = find_la(store.as_ref(), &la).await?;
            let year = match year {
                Some(y) => FinancialYear::parse(&y).map_err(|_| {
                    anyhow::anyhow!("--year must be a year such as 2026 or 2026-27, not '{y}'")
                })?,
                None => match store.self_evaluations(&la.la_code).await?.first() {
                    Some(newest) => newest.year,
                    None => bail!("{} has no self-evaluation yet", la.name),
                },
            };
            let stored = store
                .self_evaluation(&la.la_code, year, version)
                .await?
                .with_context(|| match version {
                    Some(v) => format!(
                        "{} has no version {v} of its {} self-evaluation",
                        la.name,
                        year.label()
                    ),
                    None => format!("{} has no self-evaluation for {}", la.name, year.label()),
                })?;
            let today = chrono::Local::now().date_naive();
            let document =
                self_evaluation_document(store.as_ref(), &la, &stored.sef, true, today).await?;
            let bytes = format
                .write(&document)
                .context("could not write the document")?;
            write_whole(&out, &bytes)?;
            println!(
                "Wrote {} ({} bytes): {}'s self-evaluation {}, version {}.",
                out.display(),
                bytes.len(),
                la.name,
                year.label(),
                stored.sef.version()
            );
            Ok(())
        }
        ExportCommand::AemLetter {
            database,
            la,
            year,
            out,
        } => {
            let store = ilacs_store::open(&database.database).await?;
            let la = find_la(store.as_ref(), &la).await?;
            let meetings = store.aem_meetings_for_la(&la.la_code).await?;
            // Newest first: the latest issued letter of the year asked for, if any.
            let issued = meetings
                .iter()
                .filter(|m| m.meeting.is_issued())
                .find(|m| year.is_none_or(|y| m.meeting.year() == y));
            let Some(stored) = issued else {
                let drafts = meetings
                    .iter()
                    .filter(|m| year.is_none_or(|y| m.meeting.year() == y))
                    .any(|m| m.meeting.letter().is_some());
                let when = year.map(|y| format!(" for {y}")).unwrap_or_default();
                if drafts {
                    bail!(
                        "{}'s annual engagement meeting letter{when} has not been issued yet: \
                         only issued letters are exported",
                        la.name
                    );
                }
                bail!(
                    "{} has no issued annual engagement meeting letter{when}",
                    la.name
                );
            };
            let document = aem_letter_document(&la.name, &stored.meeting)
                .context("the meeting has no letter")?;
            let bytes = ExportFormat::Pdf
                .write(&document)
                .context("could not write the document")?;
            write_whole(&out, &bytes)?;
            println!(
                "Wrote {} ({} bytes): {}'s annual engagement meeting letter of {} (not for \
                 publication).",
                out.display(),
                bytes.len(),
                la.name,
                stored.meeting.date().format("%-d %B %Y")
            );
            Ok(())
        }
        ExportCommand::AemPlan {
            database,
            region,
            out,
        } => {
            let region_id = ilacs_domain::authority::RegionId::parse(&region)?;
            let store = ilacs_store::open(&database.database).await?;
            let names = store.regions().await?;
            let Some(name) = names
                .iter()
                .find(|r| r.id == region_id)
                .map(|r| r.name.clone())
            else {
                let known: Vec<&str> = names.iter().map(|r| r.id.as_str()).collect();
                bail!(
                    "there is no Ofsted region '{region}': use one of {}",
                    known.join(", ")
                );
            };
            let extension = out
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            if !matches!(extension.as_str(), "xlsx" | "csv") {
                bail!("--out must end in .xlsx or .csv, not '{}'", out.display());
            }
            let today = chrono::Local::now().date_naive();
            let plan = region_plan(store.as_ref(), &region_id, today)
                .await?
                .with_context(|| format!("{name} has no current local authorities"))?;
            let table = region_plan_table(&name, &plan, today);
            let bytes = if extension == "xlsx" {
                ilacs_render::table_xlsx(&[table])?
            } else {
                table_csv(&table)?
            };
            write_whole(&out, &bytes)?;
            println!(
                "Wrote {} ({} bytes): {name}'s plan of annual engagement meetings, {} local authorities.",
                out.display(),
                bytes.len(),
                plan.len()
            );
            Ok(())
        }
    }
}

/// A table as CSV: the header row, then one row per line, dates as ISO.
fn table_csv(table: &ilacs_render::Table) -> anyhow::Result<Vec<u8>> {
    use ilacs_render::Cell;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.headers)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|c| match c {
            Cell::Text(t) => t.clone(),
            Cell::Date(d) => d.to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    Ok(writer.into_inner()?)
}

/// Writes beside the target then renames, so a failure never leaves half a file where
/// a reader expects a whole one.
pub(super) fn write_whole(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (part, mut file) =
        tempfile_in(dir).with_context(|| format!("could not write to {}", dir.display()))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&part, out));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e).with_context(|| format!("could not write {}", out.display()));
    }
    Ok(())
}

/// A new file in `dir` with a name no other process is using.
fn tempfile_in(dir: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    for n in 0..100u32 {
        let path = dir.join(format!(".ilacs-export-{}-{n}.part", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}
