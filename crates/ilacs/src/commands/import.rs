use crate::cli::ImportCommand;
use ilacs_store::Counts;

fn line(what: &str, c: Counts) -> String {
    format!(
        "{what:<20} {:>5} added {:>5} updated {:>5} unchanged",
        c.added, c.updated, c.unchanged
    )
}

pub async fn run(what: ImportCommand) -> anyhow::Result<()> {
    match what {
        ImportCommand::Reference {
            database,
            outcomes,
            local_authorities,
        } => {
            let (data, source) =
                crate::reference::load(local_authorities.as_deref(), outcomes.as_deref())?;
            let store = ilacs_store::open(&database.database).await?;
            let summary = store
                .import_reference_data(&data, &source, "ilacs import")
                .await?;
            println!("Imported {source}:");
            println!("{}", line("regions", summary.regions));
            println!("{}", line("local authorities", summary.local_authorities));
            println!("{}", line("activities", summary.activities));
            Ok(())
        }
        ImportCommand::Published { database, dir } => {
            let store = ilacs_store::open(&database.database).await?;
            let summary = import_published(store.as_ref(), dir.as_deref()).await?;
            let source = match &dir {
                Some(d) => d.display().to_string(),
                None => "the published statistics shipped with ilacs".to_string(),
            };
            println!("Imported {source}:");
            println!("{summary}");
            Ok(())
        }
    }
}

/// What an import of published statistics did, file by file.
pub struct PublishedReport {
    pub summary: ilacs_store::PublishedSummary,
    files: Vec<ilacs_domain::indicators::SourceFile>,
    notes: Vec<String>,
}

impl PublishedReport {
    /// The one-line total: `N added  N updated  N removed  N unchanged`.
    pub fn totals(&self) -> String {
        let s = &self.summary;
        format!(
            "{:>6} added {:>6} updated {:>6} removed {:>6} unchanged",
            s.added, s.updated, s.removed, s.unchanged
        )
    }
}

impl std::fmt::Display for PublishedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for file in &self.files {
            writeln!(
                f,
                "{:<60} {:>6} rows {:>6} values",
                file.name, file.rows, file.values
            )?;
        }
        write!(f, "published values {}", self.totals())?;
        for note in &self.notes {
            write!(f, "\nnote: {note}")?;
        }
        Ok(())
    }
}

/// Reads DfE's files (from `dir`, or the bundled copies) against the LAs in the store
/// and replaces the published values.
pub async fn import_published(
    store: &dyn ilacs_store::Store,
    dir: Option<&std::path::Path>,
) -> anyhow::Result<PublishedReport> {
    use anyhow::Context;
    let authorities: Vec<_> = store
        .local_authorities()
        .await?
        .into_iter()
        .map(|o| o.authority)
        .collect();
    if authorities.is_empty() {
        anyhow::bail!("there are no local authorities yet: run `ilacs import reference` first");
    }
    let definitions = ilacs_domain::indicators::Definitions::bundled();
    let statistics = match dir {
        Some(d) => ilacs_import::read_published_dir(&definitions, &authorities, d)
            .with_context(|| format!("nothing was imported from {}", d.display()))?,
        None => ilacs_import::bundled::published_statistics(&authorities)?,
    };
    let summary = store
        .replace_published_statistics(&statistics, "ilacs import")
        .await?;
    Ok(PublishedReport {
        summary,
        files: statistics.files,
        notes: statistics.notes,
    })
}
