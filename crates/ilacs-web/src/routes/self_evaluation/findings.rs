//! Strengths and areas for development, each with the evidence behind it: added,
//! changed and removed while the version is a draft.

use super::edit::{editable, empty_block, read_block, save, shown_block, OTHER_EVIDENCE};
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::self_evaluation::{EditError, Finding, ItemId, ItemKind, SelfEvaluation};
use ilacs_store::StoredSef;
use serde_json::{json, Value};

/// What the page's form does: add a finding (of the kind chosen on the form, if any
/// yet), or change one already written.
#[derive(Clone, Copy)]
enum Editing<'a> {
    Add(&'a str),
    Change(ItemId),
}

fn kind_label(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Strength => "strength",
        _ => "area for development",
    }
}

fn listed(sef: &SelfEvaluation, list: &[Finding]) -> Vec<Value> {
    list.iter()
        .map(|f| {
            json!({
                "id": f.id().to_string(),
                "text": f.text(),
                "evidence": f.evidence().iter().map(|e| e.title()).collect::<Vec<_>>(),
                "answered_by": sef.actions_for(f.id()).count(),
            })
        })
        .collect()
}

struct Page<'a> {
    viewer: &'a Viewer,
    csrf: &'a CsrfToken,
    la: &'a LocalAuthority,
    sef: &'a SelfEvaluation,
    row_version: i64,
}

impl Page<'_> {
    fn render(
        &self,
        editing: Editing<'_>,
        shown: Value,
        errors: Vec<Value>,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        let (sef, la) = (self.sef, self.la);
        let path = version_path(la, sef.year(), sef.version());
        let (title, form_action, kind, change) = match editing {
            Editing::Add(kind) => (
                "Strengths and areas for development".to_string(),
                format!("{path}/findings"),
                kind.to_string(),
                Value::Null,
            ),
            Editing::Change(id) => (
                format!("Change {}", kind_label(id.kind())),
                format!("{path}/findings/{id}"),
                String::new(),
                json!({"id": id.to_string(), "label": kind_label(id.kind())}),
            ),
        };
        let html = PageFrame {
            viewer: self.viewer,
            csrf: self.csrf,
            current_nav: "self-evaluation",
        }
        .render(
            "sef_findings.html",
            &title,
            json!({
                "la": {"code": la.gss_code.as_str(), "name": la.name},
                "path": path,
                "year": sef.year().label(),
                "row_version": self.row_version,
                "strengths": listed(sef, sef.strengths()),
                "areas": listed(sef, sef.areas_for_development()),
                "kind": kind,
                "change": change,
                "form_action": form_action,
                "finding": shown,
                "other_kinds": OTHER_EVIDENCE.iter().map(|k| json!({"key": k.key(), "label": k.label()})).collect::<Vec<_>>(),
                "errors": errors,
            }),
        )?;
        Ok((status, html).into_response())
    }
}

/// The strength or area for development `id` names in this version.
fn finding(sef: &SelfEvaluation, id: &str) -> Result<(ItemId, Finding), PageError> {
    let id = ItemId::parse(id).map_err(|_| PageError::NotFound)?;
    let found = match id.kind() {
        ItemKind::Strength => sef.strength(id),
        ItemKind::AreaForDevelopment => sef.area_for_development(id),
        ItemKind::Action => None,
    };
    found.cloned().map(|f| (id, f)).ok_or(PageError::NotFound)
}

pub(crate) async fn findings_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let page = Page {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        sef: &stored.sef,
        row_version: stored.row_version,
    };
    page.render(Editing::Add(""), empty_block(), vec![], StatusCode::OK)
}

pub(crate) async fn finding_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let (id, found) = finding(&stored.sef, &id)?;
    let page = Page {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        sef: &stored.sef,
        row_version: stored.row_version,
    };
    page.render(
        Editing::Change(id),
        shown_block(found.paragraph()),
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
    let kind = fields
        .iter()
        .find(|(k, _)| k == "kind")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    submit(
        (&state, &viewer, &csrf, &la),
        &stored,
        Editing::Add(&kind),
        &fields,
    )
    .await
}

pub(crate) async fn change_finding(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let (id, _) = finding(&stored.sef, &id)?;
    submit(
        (&state, &viewer, &csrf, &la),
        &stored,
        Editing::Change(id),
        &fields,
    )
    .await
}

/// Checks a posted finding and saves it as added or changed; a refusal shows the form
/// again with what was typed, so nothing is lost.
async fn submit(
    (state, viewer, csrf, la): (&AppState, &Viewer, &CsrfToken, &LocalAuthority),
    stored: &StoredSef,
    editing: Editing<'_>,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let map = posted::trimmed_fields(fields);
    let row_version = posted::row_version(&map)?;
    let block = read_block(state, la, &map, "finding").await?;
    let mut errors = block.errors;
    if let Editing::Add(kind) = editing {
        if !matches!(kind, "strength" | "area") {
            errors.insert(0, json!({"field": "kind", "message": "Choose whether it is a strength or an area for development"}));
        }
    }
    if block.paragraph.is_none() && errors.iter().all(|e| e["field"] != "finding.text") {
        errors.push(json!({"field": "finding.text", "message": "Enter what the strength or area for development is"}));
    }
    let page = Page {
        viewer,
        csrf,
        la,
        sef: &stored.sef,
        row_version,
    };
    let Some(paragraph) = block.paragraph.clone().filter(|_| errors.is_empty()) else {
        return page.render(
            editing,
            block.shown,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let mut sef = stored.sef.clone();
    let changed = match editing {
        Editing::Add("strength") => sef.add_strength(paragraph).map(|_| ()),
        Editing::Add(_) => sef.add_area_for_development(paragraph).map(|_| ()),
        Editing::Change(id) => sef.set_finding(id, paragraph),
    };
    changed.map_err(|e| PageError::BadRequest(e.to_string()))?;
    match save(state, viewer, &sef, row_version).await? {
        None => {
            let path = version_path(la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/findings")).into_response())
        }
        Some(message) => page.render(
            editing,
            block.shown,
            vec![json!({"field": "finding.text", "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}

/// Removes a finding. An area for development that plan actions answer stays, and the
/// page says which actions to change first.
pub(crate) async fn remove_finding(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let (id, _) = finding(&stored.sef, &id)?;
    let map = posted::trimmed_fields(&fields);
    let row_version = posted::row_version(&map)?;
    let page = Page {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        sef: &stored.sef,
        row_version,
    };
    let refuse = |message: String, status| {
        let errors = vec![json!({"field": id.to_string(), "message": message})];
        page.render(Editing::Add(""), empty_block(), errors, status)
    };
    let mut sef = stored.sef.clone();
    match sef.remove_finding(id) {
        Ok(()) => {}
        Err(EditError::AreaAnswered { actions, .. }) => {
            let actions: Vec<String> = actions
                .iter()
                .filter_map(|a| sef.action(*a))
                .map(|a| format!("‘{}’", a.description()))
                .collect();
            let message = format!(
                "This area for development cannot be removed while the plan answers it: change or remove {} first",
                actions.join(", ")
            );
            return refuse(message, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return Err(PageError::BadRequest(e.to_string())),
    }
    match save(&state, &viewer, &sef, row_version).await? {
        None => {
            let path = version_path(&la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/findings")).into_response())
        }
        Some(message) => refuse(message, StatusCode::CONFLICT),
    }
}
