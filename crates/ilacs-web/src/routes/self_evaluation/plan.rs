//! The improvement plan: actions with an owner and dates, the area for development each
//! answers, and evidence that it has happened.

use super::edit::{editable, form_row_version, save};
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::self_evaluation::{
    actions_without_evidence, overdue_actions, ActionStatus, NewCitation, NewPlanAction,
    SelfEvaluation,
};
use serde_json::{json, Value};
use std::collections::HashMap;

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

fn render(
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    (sef, row_version, today): (&SelfEvaluation, i64, chrono::NaiveDate),
    form: Value,
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
    let html = PageFrame { viewer, csrf, current_nav: "self-evaluation" }.render(
        "sef_plan.html",
        "Improvement plan",
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "path": version_path(la, sef.year(), sef.version()),
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
        empty_form(),
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
    let map: HashMap<&str, &str> = fields.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
    let get = |k: &str| map.get(k).copied().unwrap_or("").to_string();
    let row_version = form_row_version(&map)?;
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
    let details = match draft.parse(&stored.sef) {
        Ok(d) => d,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|e| {
                    let field = if e.field.starts_with("citations") {
                        "audits"
                    } else {
                        e.field.as_str()
                    };
                    json!({"field": field, "message": e.message})
                })
                .collect();
            return render(
                &viewer,
                &csrf,
                &la,
                page,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let mut sef = stored.sef.clone();
    sef.add_action(details)
        .map_err(|e| PageError::BadRequest(e.to_string()))?;
    match save(&state, &viewer, &sef, row_version).await? {
        None => {
            let path = version_path(&la, sef.year(), sef.version());
            Ok(Redirect::to(&format!("{path}/plan")).into_response())
        }
        Some(message) => {
            let errors = vec![json!({"field": "description", "message": message})];
            render(
                &viewer,
                &csrf,
                &la,
                page,
                form,
                errors,
                StatusCode::CONFLICT,
            )
        }
    }
}
