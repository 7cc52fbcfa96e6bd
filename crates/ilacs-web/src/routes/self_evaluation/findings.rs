//! Strengths and areas for development, each with the evidence behind it.

use super::edit::{editable, form_row_version, read_block, save, OTHER_EVIDENCE};
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::self_evaluation::SelfEvaluation;
use serde_json::{json, Value};
use std::collections::HashMap;

fn render(
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    (sef, row_version): (&SelfEvaluation, i64),
    form: (&str, Value),
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let texts = |list: &[ilacs_domain::self_evaluation::Finding]| -> Vec<String> {
        list.iter().map(|f| f.text().to_string()).collect()
    };
    let html = PageFrame { viewer, csrf, current_nav: "self-evaluation" }.render(
        "sef_findings.html",
        "Strengths and areas for development",
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": version_path(la, sef.year(), sef.version()),
            "year": sef.year().label(),
            "row_version": row_version,
            "strengths": texts(sef.strengths()),
            "areas": texts(sef.areas_for_development()),
            "kind": form.0,
            "finding": form.1,
            "other_kinds": OTHER_EVIDENCE.iter().map(|k| json!({"key": k.key(), "label": k.label()})).collect::<Vec<_>>(),
            "errors": errors,
        }),
    )?;
    Ok((status, html).into_response())
}

pub(crate) async fn findings_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let empty = json!({"text": "", "audits": "", "other_kind": "", "other_label": ""});
    render(
        &viewer,
        &csrf,
        &la,
        (&stored.sef, stored.row_version),
        ("", empty),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn add_finding(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let map: HashMap<&str, &str> = fields.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
    let row_version = form_row_version(&map)?;
    let kind = map.get("kind").copied().unwrap_or("");
    let block = read_block(&state, &la, &map, "finding").await?;
    let mut errors = block.errors;
    if !matches!(kind, "strength" | "area") {
        errors.insert(0, json!({"field": "kind", "message": "Choose whether it is a strength or an area for development"}));
    }
    if block.paragraph.is_none() && errors.iter().all(|e| e["field"] != "finding.text") {
        errors.push(json!({"field": "finding.text", "message": "Enter what the strength or area for development is"}));
    }
    let refuse = |errors, status| {
        render(
            &viewer,
            &csrf,
            &la,
            (&stored.sef, row_version),
            (kind, block.shown.clone()),
            errors,
            status,
        )
    };
    let Some(paragraph) = block.paragraph.clone().filter(|_| errors.is_empty()) else {
        return refuse(errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let mut sef = stored.sef.clone();
    let added = if kind == "strength" {
        sef.add_strength(paragraph)
    } else {
        sef.add_area_for_development(paragraph)
    };
    added.map_err(|e| PageError::BadRequest(e.to_string()))?;
    match save(&state, &viewer, &sef, row_version).await? {
        None => {
            let path = version_path(&la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/findings")).into_response())
        }
        Some(message) => refuse(
            vec![json!({"field": "finding.text", "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}
