//! Schema migrations, one list per back end, applied in order inside a transaction
//! each and recorded in `schema_migrations`.

use crate::sql::Dialect;
use crate::StoreError;
use sqlx::AnyPool;

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_initial.sql")),
    (2, include_str!("../migrations/sqlite/0002_case_audits.sql")),
    (3, include_str!("../migrations/sqlite/0003_api_tokens.sql")),
    (
        4,
        include_str!("../migrations/sqlite/0004_self_evaluations.sql"),
    ),
    (
        5,
        include_str!("../migrations/sqlite/0005_published_statistics.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_learning_actions.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/0007_audit_programme.sql"),
    ),
    (
        8,
        include_str!("../migrations/sqlite/0008_annual_engagement.sql"),
    ),
    (9, include_str!("../migrations/sqlite/0009_annex_a.sql")),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_initial.sql")),
    (
        2,
        include_str!("../migrations/postgres/0002_case_audits.sql"),
    ),
    (
        3,
        include_str!("../migrations/postgres/0003_api_tokens.sql"),
    ),
    (
        4,
        include_str!("../migrations/postgres/0004_self_evaluations.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/0005_published_statistics.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_learning_actions.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_audit_programme.sql"),
    ),
    (
        8,
        include_str!("../migrations/postgres/0008_annual_engagement.sql"),
    ),
    (9, include_str!("../migrations/postgres/0009_annex_a.sql")),
];

pub(crate) async fn migrate(pool: &AnyPool, dialect: Dialect) -> Result<(), StoreError> {
    let migrations = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(pool)
    .await?;
    for (version, sql) in migrations {
        let mut tx = pool.begin().await?;
        if dialect == Dialect::Postgres {
            // Two servers starting at once must not both migrate.
            sqlx::raw_sql("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *tx)
                .await?;
        if applied.is_some() {
            continue;
        }
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(*version)
            .bind(chrono::Utc::now().timestamp())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied migration");
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(pool)
        .await?;
    let known = migrations.last().map(|m| m.0).unwrap_or(0);
    if newest.unwrap_or(0) > known {
        return Err(StoreError::Corrupt(format!(
            "schema version {} is newer than this program's {known}",
            newest.unwrap_or(0)
        )));
    }
    Ok(())
}
