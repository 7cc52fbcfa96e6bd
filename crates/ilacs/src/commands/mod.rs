pub mod annex_a;
mod demo;
mod export;
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
        Command::Export { what } => export::run(what).await,
        Command::AnnexA { what } => annex_a::run(what),
    }
}

/// The LA a three-digit or area code names.
async fn find_la(
    store: &dyn ilacs_store::Store,
    code: &str,
) -> anyhow::Result<ilacs_domain::authority::LocalAuthority> {
    use anyhow::Context;
    store
        .local_authority(&ilacs_domain::authority::AuthorityRef::parse(code)?)
        .await?
        .with_context(|| {
            format!(
                "no local authority has the code '{code}' (has the reference data been imported?)"
            )
        })
}
