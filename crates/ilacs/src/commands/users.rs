use super::find_la;
use crate::cli::UsersCommand;
use anyhow::{bail, Context};
use ilacs_domain::access::{Role, Scope};
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::user::{NewPassword, Username};
use ilacs_store::{NewApiToken, NewUser, Store};
use std::io::Read;

/// Checks a role's scope and resolves the LA code given in either form.
pub async fn scope_for(
    store: &dyn Store,
    role: Role,
    la: Option<&str>,
    region: Option<&str>,
) -> anyhow::Result<(Option<LaCode>, Option<RegionId>)> {
    let la = match la {
        Some(code) => Some(find_la(store, code).await?),
        None => None,
    };
    let region = match region {
        Some(r) => {
            let id = RegionId::parse(r)?;
            let regions = store.regions().await?;
            if !regions.iter().any(|x| x.id == id) {
                let known: Vec<&str> = regions.iter().map(|x| x.id.as_str()).collect();
                bail!(
                    "there is no Ofsted region '{r}': use one of {}",
                    known.join(", ")
                );
            }
            Some(id)
        }
        None => None,
    };
    let scope = match (&la, &region) {
        (Some(la), None) => Scope::La {
            la: la.la_code.clone(),
            region: la.region.clone(),
        },
        (None, Some(r)) => Scope::Region(r.clone()),
        (None, None) => Scope::National,
        (Some(_), Some(_)) => bail!("give --la or --region, not both"),
    };
    scope.check_for(role)?;
    Ok((la.map(|l| l.la_code), region))
}

fn read_password() -> anyhow::Result<NewPassword> {
    let raw = match std::env::var("ILACS_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Type the new password, then press Ctrl-D:");
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s.trim_end_matches(['\n', '\r']).to_string()
        }
    };
    Ok(NewPassword::parse(&raw)?)
}

pub async fn run(what: UsersCommand) -> anyhow::Result<()> {
    match what {
        UsersCommand::Add {
            database,
            username,
            name,
            role,
            la,
            region,
        } => {
            let username = Username::parse(&username)?;
            let role = Role::parse_key(&role)?;
            if name.trim().is_empty() {
                bail!("--name must not be blank");
            }
            let store = ilacs_store::open(&database.database).await?;
            let (la, region) =
                scope_for(store.as_ref(), role, la.as_deref(), region.as_deref()).await?;
            let password = read_password()?;
            let user = store
                .create_user(&NewUser {
                    username,
                    display_name: name.trim().to_string(),
                    password_hash: ilacs_web::password::hash(&password)?,
                    role,
                    la,
                    region,
                    actor: "ilacs users add".into(),
                })
                .await?;
            println!("Added {} ({}).", user.username, user.role.label());
            Ok(())
        }
        UsersCommand::List { database, la } => {
            let store = ilacs_store::open(&database.database).await?;
            let la = match la {
                Some(code) => Some(find_la(store.as_ref(), &code).await?.la_code),
                None => None,
            };
            let users = store.users(la.as_ref()).await?;
            println!("{:<24} {:<26} {:<32} scope", "sign-in name", "role", "name");
            for u in &users {
                println!(
                    "{:<24} {:<26} {:<32} {}{}",
                    u.username.as_str(),
                    u.role.key(),
                    u.display_name,
                    u.scope_name.as_deref().unwrap_or("national"),
                    if u.disabled { " (disabled)" } else { "" }
                );
            }
            println!("{} users", users.len());
            Ok(())
        }
        UsersCommand::Token {
            database,
            username,
            name,
            days,
        } => {
            let username = Username::parse(&username)?;
            if name.trim().is_empty() {
                bail!("--name must say what the token is for");
            }
            let store = ilacs_store::open(&database.database).await?;
            let user = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("there is no user called {username}"))?;
            let issued = ilacs_web::api_token::issue();
            let now = chrono::Utc::now().timestamp();
            store
                .create_api_token(&NewApiToken {
                    token_hash: issued.hash,
                    user_id: user.id,
                    name: name.trim().to_string(),
                    created_at: now,
                    expires_at: now + i64::from(days) * 24 * 60 * 60,
                    actor: "ilacs users token".into(),
                })
                .await?;
            println!(
                "API token for {username} ({}), valid for {days} days:",
                name.trim()
            );
            println!("{}", issued.token);
            println!("Send it as the header 'Authorization: Bearer TOKEN'. It is not shown again.");
            Ok(())
        }
        UsersCommand::SetRole {
            database,
            username,
            role,
            la,
            region,
        } => {
            let username = Username::parse(&username)?;
            let role = Role::parse_key(&role)?;
            let store = ilacs_store::open(&database.database).await?;
            let (la, region) =
                scope_for(store.as_ref(), role, la.as_deref(), region.as_deref()).await?;
            let user = store
                .set_role(
                    &username,
                    role,
                    la.as_ref(),
                    region.as_ref(),
                    "ilacs users set-role",
                )
                .await?;
            println!(
                "{} is now {}{}.",
                user.username,
                user.role.label(),
                user.scope_name
                    .map(|s| format!(" for {s}"))
                    .unwrap_or_default()
            );
            Ok(())
        }
    }
}
