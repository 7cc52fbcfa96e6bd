//! The LA's lists as workbooks in the canonical layout: clean (as held, for the LA and
//! for inspectors while a visit is open) and degraded (pseudonymised by the LA's key,
//! for sharing beyond them, e.g. with a regional benchmarking group).

use super::{allow_read_logged, held};
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use ilacs_annexa::write_clean_xlsx;
use ilacs_annexa::{degrade, Key};
use ilacs_domain::authority::LocalAuthority;

/// The store setting holding an LA's degrading key: generated on first use, never shown
/// or exported, so pseudonyms stay stable across downloads but cannot be reversed by
/// anyone holding only the degraded file.
fn key_setting(la: &LocalAuthority) -> String {
    format!("annex_a_key:{}", la.la_code)
}

fn workbook(name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) async fn clean_workbook(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, "/clean.xlsx").await?;
    let annex = held(&state, &la).await?;
    let bytes = tokio::task::spawn_blocking(move || write_clean_xlsx(&annex))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(workbook(
        format!("annex-a-{}-clean.xlsx", la.gss_code),
        bytes,
    ))
}

pub(crate) async fn degraded_workbook(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, "/degraded.xlsx").await?;
    let annex = held(&state, &la).await?;
    let secret = state
        .store
        .setting_or_insert(&key_setting(&la), &crate::auth::cookies::random_token())
        .await?;
    let key = Key::from_bytes(secret.as_bytes())
        .map_err(|e| PageError::Internal(format!("the LA's degrading key: {e}")))?;
    let bytes = tokio::task::spawn_blocking(move || write_clean_xlsx(&degrade(&annex, &key)))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(workbook(
        format!("annex-a-{}-degraded.xlsx", la.gss_code),
        bytes,
    ))
}
