mod demo;
mod import;
mod serve;
mod users;

use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { serve, demo: false } => serve::run(&serve).await,
        Command::Serve { serve, demo: true } | Command::Demo { serve } => demo::run(&serve).await,
        Command::Migrate { database } => {
            let store = ilacs_store::open(&database.database).await?;
            println!(
                "The {} database at {} is up to date.",
                store.backend(),
                database.database
            );
            Ok(())
        }
        Command::Import { what } => import::run(what).await,
        Command::Users { what } => users::run(what).await,
    }
}
