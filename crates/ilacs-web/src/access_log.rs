//! Writing reads of restricted records to the access log. A read that cannot be logged
//! is not served.

use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use ilacs_domain::access::Record;
use ilacs_domain::authority::LaCode;
use ilacs_store::NewAccessEntry;

pub(crate) async fn log_read(
    state: &AppState,
    viewer: &Viewer,
    record: &Record<'_>,
    key: &str,
    la: Option<&LaCode>,
) -> Result<(), PageError> {
    let signed_in = viewer.signed_in().ok_or(PageError::Forbidden)?;
    state
        .store
        .log_access(&NewAccessEntry {
            at: chrono::Utc::now().timestamp(),
            user_id: Some(signed_in.user.id),
            username: signed_in.user.username.to_string(),
            action: "read".into(),
            record_kind: record.kind().into(),
            record_key: key.to_string(),
            la: la.cloned(),
        })
        .await?;
    Ok(())
}
