//! Downloading a version as Word, tagged PDF or HTML, for whoever may read it.

use super::*;
use crate::exports::{self_evaluation_document, self_evaluation_file_name, ExportFormat};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((code, year, number, format)): Path<(String, String, u32, String)>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(&format).ok_or(PageError::NotFound)?;
    let la = authority(&state, &code).await?;
    // Reading the version checks the viewer may, and logs the read if it is unpublished.
    let stored = version(&state, &viewer, &la, &year, number, Action::Read).await?;
    let detail = audits_readable(&viewer, &la);
    let document = self_evaluation_document(
        state.store.as_ref(),
        &la,
        &stored.sef,
        detail,
        state.today(),
    )
    .await?;
    // Laying out a long PDF is CPU work: keep it off the request threads.
    let bytes = tokio::task::spawn_blocking(move || format.write(&document))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let name = self_evaluation_file_name(&la, &stored.sef, format);
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
