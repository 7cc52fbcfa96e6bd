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
    }
}
