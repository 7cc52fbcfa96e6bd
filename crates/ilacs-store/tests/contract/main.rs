//! The store contract: every test runs on SQLite and on PostgreSQL.
//!
//! PostgreSQL tests need `ILACS_TEST_POSTGRES_URL`, a server URL whose user may create
//! databases; each test gets a fresh database. Without it they are skipped with a
//! message, unless `ILACS_REQUIRE_POSTGRES=1` (the test script sets it), when they fail.

mod aem;
mod annex_a;
mod audit_programme;
mod audits;
mod learning;
mod published;
mod reference;
mod self_evaluations;
mod support;
mod users;

/// Declares one contract test, run once per back end.
#[macro_export]
macro_rules! contract {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::support::TestDb::sqlite().await;
                ($body)(db.store.clone()).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::support::TestDb::postgres().await else {
                    return;
                };
                ($body)(db.store.clone()).await;
                db.finish().await;
            }
        }
    };
}
