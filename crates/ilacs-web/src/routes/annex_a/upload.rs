//! Uploading Annex A: one workbook (xlsx, xls, ods) or one CSV per list. The upload is
//! read and cleaned, merged into the LA's history (new data wins) and stored with its
//! validation report in one transaction; a file that cannot be read changes nothing.

use super::{allow, base, pages, parse_as_at};
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ilacs_annexa::{read_csvs, read_workbook, AnnexA};
use ilacs_domain::access::Action;
use serde_json::{json, Value};

/// The largest upload accepted. A whole Annex A workbook is a few megabytes; one CSV per
/// list for a large LA some tens.
pub(crate) const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;

/// What the form sent.
#[derive(Default)]
struct Posted {
    files: Vec<(String, Vec<u8>)>,
    as_at: String,
}

async fn posted(mut multipart: Multipart) -> Result<Posted, String> {
    let mut posted = Posted::default();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        format!("The upload did not arrive whole ({e}); try again")
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("as_at") => posted.as_at = field.text().await.map_err(unreadable)?,
            Some("files") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                // A file input left empty still sends a part, with no name and no bytes.
                if !name.is_empty() || !bytes.is_empty() {
                    posted.files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok(posted)
}

fn is_csv(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("csv"))
}

/// Reads what was uploaded, or says in one sentence why it cannot be read.
fn read(files: &[(String, Vec<u8>)]) -> Result<AnnexA, String> {
    if files.iter().all(|(name, _)| is_csv(name)) {
        let named: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        return read_csvs(&named).map_err(|e| e.to_string());
    }
    match files {
        [(name, bytes)] => read_workbook(bytes).map_err(|e| format!("{name}: {e}")),
        _ => Err("Select one workbook (xlsx, xls or ods), or one CSV file per list".into()),
    }
}

fn error(field: &str, message: String) -> Value {
    json!({"field": field, "message": message})
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow(&state, &viewer, Action::Write, &la).await?;
    let actor = viewer.actor()?.to_string();
    let refuse = |errors: Vec<Value>, as_at: String| {
        let state = state.clone();
        let viewer = viewer.clone();
        let csrf = csrf.clone();
        let la = la.clone();
        async move {
            let page = pages::render(&state, &viewer, &csrf, &la, errors, &as_at).await?;
            Ok::<Response, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let posted = match posted(multipart).await {
        Ok(p) => p,
        Err(message) => return refuse(vec![error("files", message)], String::new()).await,
    };
    let mut errors = Vec::new();
    let as_at = match parse_as_at(Some(&posted.as_at)) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(error(
                "as_at",
                "Enter the reference date: the last day the lists cover".into(),
            ));
            None
        }
        Err(message) => {
            errors.push(error("as_at", message));
            None
        }
    };
    if posted.files.is_empty() {
        errors.push(error(
            "files",
            "Select the Annex A workbook, or one CSV file per list".into(),
        ));
    }
    let (Some(as_at), true) = (as_at, errors.is_empty()) else {
        return refuse(errors, posted.as_at).await;
    };
    let file_label = posted
        .files
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let files = posted.files;
    let outcome = tokio::task::spawn_blocking(move || read(&files))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let annex = match outcome {
        Ok(annex) => annex,
        Err(message) => {
            return refuse(
                vec![error(
                    "files",
                    format!("{message}. Nothing has been changed."),
                )],
                posted.as_at,
            )
            .await
        }
    };
    let saved = crate::annex_a::ingest(
        state.store.as_ref(),
        &la.la_code,
        &file_label,
        annex,
        as_at,
        &actor,
    )
    .await?;
    let id = saved.id;
    Ok(Redirect::to(&format!("{}/uploads/{id}", base(&la))).into_response())
}
