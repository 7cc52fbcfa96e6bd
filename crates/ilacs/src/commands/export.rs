//! `ilacs export`: records as documents, for operators and scripts.

use super::find_la;
use crate::cli::ExportCommand;
use anyhow::{bail, Context};
use ilacs_domain::self_evaluation::FinancialYear;
use ilacs_web::exports::{self_evaluation_document, ExportFormat};
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
    }
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
