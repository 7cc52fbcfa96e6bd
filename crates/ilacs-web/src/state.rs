use crate::auth::csrf::CsrfKey;
use crate::auth::rate_limit::SignInLimiter;
use chrono::NaiveDate;
use ilacs_domain::authority::RegionId;
use ilacs_domain::framework::Catalogue;
use ilacs_domain::indicators::Definitions;
use ilacs_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Settings the binary chooses.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (on whenever the service is reached over HTTPS).
    pub secure_cookies: bool,
    /// A fixed "today", for demonstrations and tests; `None` uses the clock.
    pub today: Option<NaiveDate>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) catalogue: Arc<Catalogue>,
    pub(crate) indicators: Arc<Definitions>,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) limiter: Arc<SignInLimiter>,
    pub(crate) csrf: Arc<CsrfKey>,
}

impl AppState {
    /// Builds the state; the CSRF key is kept in the store so every server process
    /// (and every restart) agrees on it.
    pub async fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<AppState, StoreError> {
        let csrf = CsrfKey::load(store.as_ref()).await?;
        Ok(AppState {
            store,
            catalogue: Arc::new(Catalogue::bundled()),
            indicators: Arc::new(Definitions::bundled()),
            config: Arc::new(config),
            limiter: Arc::new(SignInLimiter::default()),
            csrf: Arc::new(csrf),
        })
    }

    /// Region names by id, for display.
    pub(crate) async fn region_names(&self) -> Result<HashMap<RegionId, String>, StoreError> {
        Ok(self
            .store
            .regions()
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect())
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.config
            .today
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }
}
