//! An upload's validation report: every list found, every cell cleaning changed or
//! rejected (by list, row, column, value and reason), and what the merge did. Kept with
//! the upload as JSON; shown as a page and downloaded as XLSX.

use super::{allow_read_logged, base, la_view, paginate};
use crate::annex_a::{list_name, Report, ReportIssue};
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use ilacs_render::{table_xlsx, Cell, Table};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

/// Issues on one page of the report; the XLSX has them all.
const PAGE_SIZE: usize = 100;

/// The report as a workbook: the lists found, then every issue.
fn workbook(report: &Report) -> Result<Vec<u8>, PageError> {
    let text = |s: &str| Cell::Text(s.to_string());
    let number = |n: u64| Cell::Number(n as f64);
    let lists = Table {
        sheet_name: "Lists".into(),
        title: format!("Annex A lists found in {}", report.file),
        headers: [
            "List",
            "Name",
            "Sheet or file",
            "Rows read",
            "Rows kept",
            "Rows dropped",
        ]
        .map(String::from)
        .to_vec(),
        rows: report
            .lists
            .iter()
            .map(|l| {
                vec![
                    number(u64::from(l.list)),
                    text(&l.name),
                    text(&l.source),
                    number(l.rows_read),
                    number(l.rows_kept),
                    number(l.rows_read - l.rows_kept),
                ]
            })
            .collect(),
    };
    let issues = Table {
        sheet_name: "Issues".into(),
        title: format!("Every cell cleaning changed or rejected in {}", report.file),
        headers: ["List", "Row", "Column", "Value", "Reason", "Action"]
            .map(String::from)
            .to_vec(),
        rows: report
            .issues
            .iter()
            .map(|i| {
                vec![
                    number(u64::from(i.list)),
                    number(u64::from(i.row)),
                    text(&i.column),
                    text(&i.value),
                    text(&i.reason),
                    text(&i.action),
                ]
            })
            .collect(),
    };
    table_xlsx(&[lists, issues]).map_err(|e| PageError::Internal(e.to_string()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReportQuery {
    page: Option<usize>,
    list: Option<u8>,
    format: Option<String>,
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, &format!("/uploads/{id}")).await?;
    let upload = state
        .store
        .annex_a_upload(&la.la_code, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let stored = Report::parse(&upload.report)
        .map_err(|e| PageError::Internal(format!("a stored Annex A report is damaged: {e}")))?;
    let upload = upload.upload;
    if query.format.as_deref() == Some("xlsx") {
        let bytes = workbook(&stored)?;
        let name = format!("annex-a-report-{}-{}.xlsx", la.gss_code, upload.id);
        return Ok((
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
            .into_response());
    }

    // Counts by list, column, reason and action: what to fix first.
    let mut groups: BTreeMap<(u8, &str, &str, &str), usize> = BTreeMap::new();
    for i in &stored.issues {
        *groups
            .entry((i.list, &i.column, &i.reason, &i.action))
            .or_default() += 1;
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let shown: Vec<&ReportIssue> = stored
        .issues
        .iter()
        .filter(|i| query.list.is_none_or(|l| i.list == l))
        .collect();
    let list_query = query.list.map_or(String::new(), |l| format!("&list={l}"));
    let (rows, pagination) = paginate(shown.len(), query.page, PAGE_SIZE, |n| {
        format!("?page={n}{list_query}")
    });
    let by_action = |action: &str| stored.issues.iter().filter(|i| i.action == action).count();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annex-a",
    }
    .render(
        "annexa_report.html",
        &format!("Annex A validation report – {}", la.name),
        json!({
            "la": la_view(&la),
            "base": base(&la),
            "upload": {
                "id": upload.id,
                "file": stored.file,
                "by": upload.uploaded_by,
                "at": super::pages::uploaded_at(upload.uploaded_at),
                "as_at": upload.as_at.to_string(),
            },
            "lists": stored.lists.iter().map(|l| json!({
                "list": l.list, "name": l.name, "source": l.source,
                "rows_read": l.rows_read, "rows_kept": l.rows_kept,
                "dropped": l.rows_read - l.rows_kept,
            })).collect::<Vec<_>>(),
            "skipped_sheets": stored.skipped_sheets,
            "counts": {
                "total": stored.issues.len(),
                "kept": by_action("kept"),
                "normalised": by_action("normalised"),
                "blanked": by_action("blanked"),
                "dropped": by_action("row dropped"),
            },
            "groups": groups.iter().take(30).map(|((list, column, reason, action), n)| json!({
                "list": list, "column": column, "reason": reason, "action": action, "count": n,
            })).collect::<Vec<_>>(),
            "merge": stored.merge.iter().map(|m| json!({
                "list": m.list, "name": list_name(m.list), "added": m.added, "replaced": m.replaced,
                "unchanged": m.unchanged, "duplicates": m.duplicates, "expired": m.expired, "rows": m.rows,
            })).collect::<Vec<_>>(),
            "filter_list": query.list,
            "issues": shown[rows].iter().map(|i| json!({
                "list": i.list, "row": i.row, "column": i.column, "value": i.value,
                "reason": i.reason, "action": i.action,
            })).collect::<Vec<_>>(),
            "shown_count": shown.len(),
            "pagination": pagination,
        }),
    )?;
    Ok(html.into_response())
}
