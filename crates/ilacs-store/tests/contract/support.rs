use ilacs_store::Store;
use rand::Rng;
use sqlx::Executor;
use std::sync::Arc;

pub struct TestDb {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    drop_database: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        TestDb {
            store,
            _dir: Some(dir),
            drop_database: None,
        }
    }

    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("ILACS_TEST_POSTGRES_URL") else {
            if std::env::var("ILACS_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("ILACS_REQUIRE_POSTGRES=1 but ILACS_TEST_POSTGRES_URL is not set");
            }
            eprintln!("skipped: set ILACS_TEST_POSTGRES_URL to run the PostgreSQL contract tests");
            return None;
        };
        let name = format!("ilacs_test_{:016x}", rand::thread_rng().gen::<u64>());
        sqlx::any::install_default_drivers();
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .expect("connect to ILACS_TEST_POSTGRES_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let url = with_database(&admin_url, &name);
        let store = ilacs_store::open(&url).await.unwrap();
        Some(TestDb {
            store,
            _dir: None,
            drop_database: Some((admin_url, name)),
        })
    }

    pub async fn finish(self) {
        let TestDb {
            store,
            drop_database,
            ..
        } = self;
        drop(store);
        if let Some((admin_url, name)) = drop_database {
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .unwrap();
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .unwrap();
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_end = base["postgres://".len()..]
        .find('/')
        .map(|i| i + "postgres://".len())
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..authority_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
