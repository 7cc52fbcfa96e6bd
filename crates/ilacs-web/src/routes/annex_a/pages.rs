//! The LA's Annex A page: what is held (each list's rows), the uploads with their
//! reports, the upload form, and links to the indicators and the downloads.

use super::{allow, allow_read_logged, base, la_view};
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use ilacs_annexa::{ListMerge, MergeSummary, Schema};
use ilacs_domain::access::Action;
use ilacs_domain::authority::LocalAuthority;
use serde_json::{json, Value};

/// The date and time an upload was made, as the interface shows it.
pub(super) fn uploaded_at(timestamp: i64) -> String {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .map(|t| t.format("%-d %B %Y at %H:%M").to_string())
        .unwrap_or_default()
}

pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    errors: Vec<Value>,
    as_at: &str,
) -> Result<Html<String>, PageError> {
    let schema = Schema::bundled();
    let uploads = state.store.annex_a_uploads(&la.la_code).await?;
    // What is held is what the latest upload's merge left: its summary has each list's
    // rows, so the lists themselves (megabytes for a large LA) are not read here.
    let held: Vec<ListMerge> = match uploads.first() {
        Some(latest) => {
            serde_json::from_str::<MergeSummary>(&latest.merge_summary)
                .map_err(|e| {
                    PageError::Internal(format!("a stored merge summary is damaged: {e}"))
                })?
                .lists
        }
        None => Vec::new(),
    };
    let history_as_at = uploads.first().map(|u| u.as_at);
    let can_write = allow(state, viewer, Action::Write, la).await.is_ok();
    let default_as_at = history_as_at
        .unwrap_or_else(|| state.today())
        .format("%d/%m/%Y")
        .to_string();
    let lists: Vec<Value> = schema
        .lists
        .iter()
        .map(|def| {
            let rows = held.iter().find(|l| l.list == def.number).map(|l| l.rows);
            json!({"list": def.number, "name": def.name, "rows": rows})
        })
        .collect();
    PageFrame {
        viewer,
        csrf,
        current_nav: "annex-a",
    }
    .render(
        "annexa_overview.html",
        &format!("Annex A – {}", la.name),
        json!({
            "la": la_view(la),
            "base": base(la),
            "errors": errors,
            "can_write": can_write,
            "as_at": if as_at.is_empty() { default_as_at } else { as_at.to_string() },
            "held": !held.is_empty(),
            "history_as_at": history_as_at.map(|d| d.to_string()),
            "lists": lists,
            "uploads": uploads.iter().map(|u| json!({
                "id": u.id,
                "file": u.filename,
                "by": u.uploaded_by,
                "at": uploaded_at(u.uploaded_at),
                "as_at": u.as_at.to_string(),
                "lists": u.lists_found.len(),
                "rows_read": u.rows_read,
                "rows_kept": u.rows_kept,
                "issues": u.issue_count,
            })).collect::<Vec<_>>(),
        }),
    )
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, "").await?;
    Ok(render(&state, &viewer, &csrf, &la, Vec::new(), "")
        .await?
        .into_response())
}
