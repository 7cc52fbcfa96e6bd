//! Arranging a draft's sections: the framework's sections are a default, not a rule
//! (the sector rejected a fixed template), so the LA adds its own, reorders any, and
//! removes those it added.

use super::edit::{editable, save};
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::self_evaluation::{EditError, SectionKey, SectionKind, SelfEvaluation};
use serde_json::{json, Value};

fn kind_label(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Context => "Context",
        SectionKind::Judgement(_) => "Judgement area",
        SectionKind::Custom => "Added by you",
    }
}

fn render(
    (viewer, csrf, la): (&Viewer, &CsrfToken, &LocalAuthority),
    (sef, row_version): (&SelfEvaluation, i64),
    title: &str,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let count = sef.sections().len();
    let sections: Vec<Value> = sef
        .sections()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "key": s.key().as_str(),
                "title": s.title(),
                "kind": kind_label(s.kind()),
                "removable": s.kind() == SectionKind::Custom,
                "first": i == 0,
                "last": i + 1 == count,
            })
        })
        .collect();
    let html = PageFrame {
        viewer,
        csrf,
        current_nav: "self-evaluation",
    }
    .render(
        "sef_sections.html",
        "Arrange sections",
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": version_path(la, sef.year(), sef.version()),
            "year": sef.year().label(),
            "row_version": row_version,
            "sections": sections,
            "title": title,
            "errors": errors,
        }),
    )?;
    Ok((status, html).into_response())
}

pub(crate) async fn sections_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    render(
        (&viewer, &csrf, &la),
        (&stored.sef, stored.row_version),
        "",
        vec![],
        StatusCode::OK,
    )
}

/// One change to the sections: `op` is `add` (with `title`), or `up`, `down` or
/// `remove` for the section `key`.
pub(crate) async fn arrange_sections(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let map = posted::trimmed_fields(&fields);
    let row_version = posted::row_version(&map)?;
    let field = |k: &str| map.get(k).copied().unwrap_or("");
    let title = field("title");
    let mut sef = stored.sef.clone();
    let key = || SectionKey::parse(field("key")).map_err(|_| PageError::NotFound);
    let place = |sef: &SelfEvaluation, key: &SectionKey| {
        sef.sections()
            .iter()
            .position(|s| s.key() == key)
            .ok_or(PageError::NotFound)
    };
    let changed: Result<(), EditError> = match field("op") {
        "add" => sef.add_section(title).map(|_| ()),
        "remove" => sef.remove_section(&key()?),
        "up" => {
            let key = key()?;
            let at = place(&sef, &key)?;
            sef.move_section(&key, at.saturating_sub(1))
        }
        "down" => {
            let key = key()?;
            let at = place(&sef, &key)?;
            sef.move_section(&key, at + 1)
        }
        _ => {
            return Err(PageError::BadRequest(
                "Choose what to do with the sections.".into(),
            ))
        }
    };
    let refuse = |message: String, status| {
        let errors = vec![json!({"field": "title", "message": message})];
        render(
            (&viewer, &csrf, &la),
            (&stored.sef, row_version),
            title,
            errors,
            status,
        )
    };
    if let Err(e) = changed {
        return refuse(e.to_string(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    match save(&state, &viewer, &sef, row_version).await? {
        None => {
            let path = version_path(&la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/sections")).into_response())
        }
        Some(message) => refuse(message, StatusCode::CONFLICT),
    }
}
