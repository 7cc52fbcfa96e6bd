//! `ilacs demo`: the real reference data, a handful of users across the roles, and a
//! year of Devon's case audits ([`audits`]) and its 2025-26 self-evaluation, shared with
//! Ofsted ([`self_evaluation`]).

mod aem;
mod annex_a;
mod audits;
mod learning;
mod programme;
mod self_evaluation;

use super::serve::serve_with;
use super::users::scope_for;
use crate::cli::ServeArgs;
use anyhow::Context;
use ilacs_domain::access::Role;
use ilacs_domain::user::{NewPassword, Username};
use ilacs_store::{NewUser, Store, StoreError};
use rand::distributions::{Alphanumeric, DistString};

struct DemoUser {
    name: &'static str,
    full_name: &'static str,
    role: Role,
    la: Option<&'static str>,
    region: Option<&'static str>,
}

const fn user(
    name: &'static str,
    full_name: &'static str,
    role: Role,
    la: Option<&'static str>,
    region: Option<&'static str>,
) -> DemoUser {
    DemoUser {
        name,
        full_name,
        role,
        la,
        region,
    }
}

const DEMO_USERS: &[DemoUser] = &[
    user(
        "dcs.barking",
        "Dana Clarke (DCS)",
        Role::LaAdmin,
        Some("301"),
        None,
    ),
    user(
        "qp.barking",
        "Quinn Patel (quality and performance)",
        Role::LaQualityPerformance,
        Some("301"),
        None,
    ),
    user(
        "viewer.barking",
        "Vic Brown",
        Role::LaViewer,
        Some("301"),
        None,
    ),
    user(
        "dcs.devon",
        "Devi Okafor (DCS)",
        Role::LaAdmin,
        Some("878"),
        None,
    ),
    user(
        "qp.devon",
        "Morgan Ellis (quality and performance lead)",
        Role::LaQualityPerformance,
        Some("878"),
        None,
    ),
    // The team managers who audit Devon's cases (audits::AUDITORS).
    user(
        "auditor.devon",
        "Alex Moore (team manager)",
        Role::LaAuditor,
        Some("878"),
        None,
    ),
    user(
        "tm.exeter.devon",
        "Kit Harrow (team manager)",
        Role::LaAuditor,
        Some("878"),
        None,
    ),
    user(
        "tm.north.devon",
        "Jude Penhale (team manager)",
        Role::LaAuditor,
        Some("878"),
        None,
    ),
    user(
        "peer.bristol",
        "Pat Evans (alliance peer)",
        Role::AlliancePeer,
        Some("801"),
        None,
    ),
    user(
        "hmi.london",
        "Harriet Lee (senior HMI)",
        Role::OfstedRegional,
        None,
        Some("london"),
    ),
    user(
        "hmi.southwest",
        "Sam Hughes (regional director)",
        Role::OfstedRegional,
        None,
        Some("south-west"),
    ),
    user(
        "ofsted.national",
        "Nat Reid (national director)",
        Role::OfstedNational,
        None,
        None,
    ),
    user(
        "admin",
        "System administrator",
        Role::SystemAdmin,
        None,
        None,
    ),
];

/// Loads the shipped reference data and DfE's published statistics, creates (or resets) the demo users with one fresh
/// password, which it returns, records Devon's year of case audits if Devon has none,
/// its audit programme unless this month's is confirmed, its 2025-26 self-evaluation if
/// it has no self-evaluation, and a year of annual engagement meetings in the South West
/// (Devon's among them) if the region has none.
pub async fn prepare(store: &dyn Store) -> anyhow::Result<String> {
    let (data, source) = crate::reference::load(None, None)?;
    let summary = store
        .import_reference_data(&data, &source, "ilacs demo")
        .await?;
    println!(
        "Reference data: {} local authorities, {} inspections and visits ({} changed).",
        data.local_authorities.len(),
        data.activities.len(),
        summary.changed()
    );
    let published = super::import::import_published(store, None).await?;
    println!(
        "DfE published statistics: {}.",
        published
            .totals()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 16);
    let hash = ilacs_web::password::hash(&NewPassword::parse(&password)?)?;
    for demo in DEMO_USERS {
        let username = Username::parse(demo.name)?;
        let role = &demo.role;
        let (la, region) = scope_for(store, demo.role, demo.la, demo.region).await?;
        let created = store
            .create_user(&NewUser {
                username: username.clone(),
                display_name: demo.full_name.to_string(),
                password_hash: hash.clone(),
                role: *role,
                la: la.clone(),
                region: region.clone(),
                actor: "ilacs demo".into(),
            })
            .await;
        match created {
            Ok(_) => {}
            Err(StoreError::Duplicate(_)) => {
                store
                    .set_role(&username, *role, la.as_ref(), region.as_ref(), "ilacs demo")
                    .await?;
                store
                    .set_password_hash(&username, &hash, "ilacs demo")
                    .await?;
            }
            Err(e) => return Err(e).context("could not create the demo users"),
        }
    }
    let today = chrono::Utc::now().date_naive();
    println!("{}", audits::ensure(store, today).await?);
    println!("{}", learning::ensure(store, today).await?);
    println!("{}", programme::ensure(store, today).await?);
    println!("{}", self_evaluation::ensure(store).await?);
    println!("{}", aem::ensure(store, today).await?);
    println!("{}", annex_a::ensure(store, today).await?);
    Ok(password)
}

pub async fn run(serve: &ServeArgs) -> anyhow::Result<()> {
    let store = ilacs_store::open(&serve.database.database)
        .await
        .with_context(|| format!("could not open the database {}", serve.database.database))?;
    let password = prepare(store.as_ref()).await?;
    println!();
    println!("Demo users (all with the password {password}):");
    for demo in DEMO_USERS {
        println!(
            "  {:<16} {:<28} {}",
            demo.name,
            demo.role.label(),
            demo.full_name
        );
    }
    println!();
    serve_with(serve, store).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_auditor_is_a_devon_user_who_may_record_audits() {
        for auditor in audits::MODERATORS {
            let user = DEMO_USERS
                .iter()
                .find(|u| u.name == auditor.username)
                .unwrap_or_else(|| panic!("{} is not a demo user", auditor.username));
            assert_eq!(user.la, Some(audits::DEVON), "{}", user.name);
            assert!(
                matches!(user.role, Role::LaAuditor | Role::LaQualityPerformance),
                "{}",
                user.name
            );
        }
    }
}
