//! Writing reads of restricted records to the access log. A read that cannot be logged
//! is not served: callers return the error before showing anything.

use crate::auth::session::Viewer;
use crate::state::AppState;
use ilacs_domain::access::Record;
use ilacs_domain::authority::LaCode;
use ilacs_store::{NewAccessEntry, StoreError};

pub(crate) async fn log_read(
    state: &AppState,
    viewer: &Viewer,
    record: &Record<'_>,
    key: &str,
    la: Option<&LaCode>,
) -> Result<(), StoreError> {
    // Restricted records are only ever read signed in (the rules refuse anyone else),
    // so "anonymous" here would be a fault worth seeing in the log.
    let (user_id, username) = match viewer.signed_in() {
        Some(s) => (Some(s.user.id), s.user.username.to_string()),
        None => (None, "anonymous".to_string()),
    };
    state
        .store
        .log_access(&NewAccessEntry {
            at: chrono::Utc::now().timestamp(),
            user_id,
            username,
            action: "read".into(),
            record_kind: record.kind().into(),
            record_key: key.to_string(),
            la: la.cloned(),
        })
        .await
}
