//! The improvement plan: actions with an owner and dates, the area for development each
//! answers, and evidence that it has happened.

use super::edit::{editable, save};
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::self_evaluation::{
    actions_without_evidence, overdue_actions, ActionDetails, ActionStatus, Citation, ItemId,
    NewCitation, NewPlanAction, SelfEvaluation,
};
use ilacs_store::StoredSef;
use serde_json::{json, Value};

const FIELDS: [&str; 9] = [
    "description",
    "owner",
    "start",
    "due",
    "status",
    "answers",
    "date_done",
    "what_changed",
    "audits",
];

/// The plan page: its actions, then a form to add one, or to change `change`.
fn render(
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    (sef, row_version, today): (&SelfEvaluation, i64, chrono::NaiveDate),
    (change, form): (Option<ItemId>, Value),
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let overdue: Vec<_> = overdue_actions(sef.plan(), today)
        .iter()
        .map(|a| a.id())
        .collect();
    let unevidenced: Vec<_> = actions_without_evidence(sef.plan())
        .iter()
        .map(|(a, _)| a.id())
        .collect();
    let actions: Vec<Value> = sef
        .plan()
        .iter()
        .map(|a| {
            json!({
                "id": a.id().to_string(),
                "description": a.description(),
                "owner": a.owner(),
                "due": a.due().map(|d| d.to_string()),
                "status": a.status().label(),
                "answers": a.answers().and_then(|id| sef.area_for_development(id)).map(|f| f.text().to_string()),
                "overdue": overdue.contains(&a.id()),
                "no_evidence": unevidenced.contains(&a.id()),
            })
        })
        .collect();
    let path = version_path(la, sef.year(), sef.version());
    let (title, form_action) = match change {
        Some(id) => ("Change action".to_string(), format!("{path}/plan/{id}")),
        None => ("Improvement plan".to_string(), format!("{path}/plan")),
    };
    let html = PageFrame { viewer, csrf, current_nav: "self-evaluation" }.render(
        "sef_plan.html",
        &title,
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": path,
            "change": change.map(|id| id.to_string()),
            "form_action": form_action,
            "year": sef.year().label(),
            "row_version": row_version,
            "actions": actions,
            "areas": sef.areas_for_development().iter().map(|f| json!({"id": f.id().to_string(), "text": f.text()})).collect::<Vec<_>>(),
            "statuses": ActionStatus::ALL.iter().map(|s| json!({"key": s.key(), "label": s.label()})).collect::<Vec<_>>(),
            "form": form,
            "errors": errors,
        }),
    )?;
    Ok((status, html).into_response())
}

fn empty_form() -> Value {
    Value::Object(FIELDS.iter().map(|f| (f.to_string(), json!(""))).collect())
}

/// The action `id` names in this version.
fn action(sef: &SelfEvaluation, id: &str) -> Result<ItemId, PageError> {
    ItemId::parse(id)
        .ok()
        .filter(|id| sef.action(*id).is_some())
        .ok_or(PageError::NotFound)
}

pub(crate) async fn plan_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let page = (&stored.sef, stored.row_version, state.today());
    render(
        &viewer,
        &csrf,
        &la,
        page,
        (None, empty_form()),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn action_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let id = action(&stored.sef, &id)?;
    let written = stored
        .sef
        .action(id)
        .map(NewPlanAction::from)
        .ok_or(PageError::NotFound)?;
    let audits = written
        .citations
        .iter()
        .find(|c| c.kind == "audits")
        .map(|c| c.reference.clone())
        .unwrap_or_default();
    let form = json!({
        "description": written.description,
        "owner": written.owner,
        "start": written.start,
        "due": written.due,
        "status": written.status,
        "answers": written.answers,
        "date_done": written.date_done,
        "what_changed": written.what_changed,
        "audits": audits,
    });
    let page = (&stored.sef, stored.row_version, state.today());
    render(
        &viewer,
        &csrf,
        &la,
        page,
        (Some(id), form),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn add_action(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number)): Path<(String, String, u32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    submit((&state, &viewer, &csrf, &la), &stored, None, &fields).await
}

pub(crate) async fn change_action(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let id = action(&stored.sef, &id)?;
    submit((&state, &viewer, &csrf, &la), &stored, Some(id), &fields).await
}

/// Checks a posted action and saves it as added or changed; a refusal shows the form
/// again with what was typed.
async fn submit(
    (state, viewer, csrf, la): (&AppState, &Viewer, &CsrfToken, &LocalAuthority),
    stored: &StoredSef,
    change: Option<ItemId>,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let map = posted::trimmed_fields(fields);
    let get = |k: &str| map.get(k).copied().unwrap_or("").to_string();
    let row_version = posted::row_version(&map)?;
    let form = Value::Object(
        FIELDS
            .iter()
            .map(|f| (f.to_string(), json!(get(f))))
            .collect(),
    );
    let audits = get("audits");
    let draft = NewPlanAction {
        description: get("description"),
        owner: get("owner"),
        start: get("start"),
        due: get("due"),
        status: get("status"),
        answers: get("answers"),
        date_done: get("date_done"),
        what_changed: get("what_changed"),
        citations: if audits.is_empty() {
            vec![]
        } else {
            vec![NewCitation {
                kind: "audits".into(),
                reference: audits,
                period: String::new(),
                label: String::new(),
            }]
        },
    };
    let page = (&stored.sef, row_version, state.today());
    let mut errors: Vec<Value> = Vec::new();
    let details = match draft.parse(&stored.sef) {
        Ok(d) => Some(d),
        Err(problems) => {
            errors.extend(problems.iter().map(|e| {
                let field = if e.field.starts_with("citations") {
                    "audits"
                } else {
                    e.field.as_str()
                };
                json!({"field": field, "message": e.message})
            }));
            None
        }
    };
    // Evidence must be this LA's own audits, as for a paragraph's citations.
    for audit in draft_audits(&details) {
        if state.store.audit(&la.la_code, audit).await?.is_none() {
            errors.push(json!({"field": "audits", "message": format!("There is no case audit {audit} in {}: check the number", la.name)}));
        }
    }
    let details = match details.filter(|_| errors.is_empty()) {
        Some(d) => d,
        None => {
            return render(
                viewer,
                csrf,
                la,
                page,
                (change, form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let mut sef = stored.sef.clone();
    match change {
        Some(id) => sef.set_action(id, details),
        None => sef.add_action(details).map(|_| ()),
    }
    .map_err(|e| PageError::BadRequest(e.to_string()))?;
    match save(state, viewer, &sef, row_version).await? {
        None => {
            let path = version_path(la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/plan")).into_response())
        }
        Some(message) => {
            let errors = vec![json!({"field": "description", "message": message})];
            render(
                viewer,
                csrf,
                la,
                page,
                (change, form),
                errors,
                StatusCode::CONFLICT,
            )
        }
    }
}

/// The case audits an action's evidence cites.
fn draft_audits(details: &Option<ActionDetails>) -> Vec<i64> {
    details
        .iter()
        .filter_map(|d| d.happened.as_ref())
        .flat_map(|h| h.evidence())
        .filter_map(|e| match e.citation() {
            Citation::Audits { audits } => Some(audits.iter().map(|a| a.get()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

pub(crate) async fn remove_action(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, id)): Path<(String, String, u32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let id = action(&stored.sef, &id)?;
    let map = posted::trimmed_fields(&fields);
    let row_version = posted::row_version(&map)?;
    let mut sef = stored.sef.clone();
    sef.remove_action(id)
        .map_err(|e| PageError::BadRequest(e.to_string()))?;
    match save(&state, &viewer, &sef, row_version).await? {
        None => {
            let path = version_path(&la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/plan")).into_response())
        }
        Some(message) => render(
            &viewer,
            &csrf,
            &la,
            (&stored.sef, row_version, state.today()),
            (None, empty_form()),
            vec![json!({"field": id.to_string(), "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}
