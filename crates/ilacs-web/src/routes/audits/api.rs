//! The JSON API for audits.

use super::*;
use crate::access_log::log_read;
use crate::auth::session::Viewer;
use crate::error::ApiError;
use crate::routes::api_authority;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::NaiveDate;
use ilacs_domain::access::{authorize, Action};
use ilacs_domain::audit::{NewAudit, TemplateKey};
use ilacs_store::{NewCaseAudit, StoreError, StoredAudit};
use serde::Deserialize;
use serde_json::{json, Value};

// The JSON API: an LA's case management system loads audits with an API token --------

fn audit_json(a: &StoredAudit) -> Value {
    json!({
        "id": a.id,
        "moderates": a.moderates,
        "version": a.version,
        "template": a.audit.template().as_str(),
        "overall_grade": a.audit.overall_grade().key(),
        "created_by": a.created_by,
        "updated_by": a.updated_by,
        "audit": NewAudit::from(&a.audit),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DateRange {
    from: String,
    to: String,
}

pub(crate) async fn api_list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
    Query(range): Query<DateRange>,
) -> Result<Json<Value>, ApiError> {
    let la = api_authority(&state, &code).await?;
    authorize(viewer.principal(), Action::Read, &audit_record(&la))?;
    let date = |name: &str, value: &str| -> Result<Option<NaiveDate>, ApiError> {
        if value.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ApiError::BadRequest(format!("{name} '{value}' is not a date: use YYYY-MM-DD"))
            })
    };
    let (from, to) = (date("from", &range.from)?, date("to", &range.to)?);
    log_read(
        &state,
        &viewer,
        &audit_record(&la),
        &format!("{}/audits", la.la_code),
        Some(&la.la_code),
    )
    .await?;
    let audits = state.store.audits(&la.la_code, from, to).await?;
    Ok(Json(Value::Array(audits.iter().map(audit_json).collect())))
}

/// What a system posts: the template, the audit in its text form (dates ISO or
/// dd/mm/yyyy), and for a moderation the id of the audit it moderates.
#[derive(Deserialize)]
pub(crate) struct AuditUpload {
    template: String,
    #[serde(default)]
    moderates: Option<i64>,
    audit: NewAudit,
}

pub(crate) async fn api_create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
    body: Result<Json<AuditUpload>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let la = api_authority(&state, &code).await?;
    authorize(viewer.principal(), Action::Write, &audit_record(&la))?;
    let Json(upload) = body.map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not an audit upload: {}",
            e.body_text()
        ))
    })?;
    let key = TemplateKey::parse(&upload.template)
        .map_err(|e| ApiError::BadRequest(format!("template: {e}")))?;
    let template = templates()
        .get(&key)
        .ok_or_else(|| ApiError::BadRequest(format!("there is no audit template '{key}'")))?;
    let audit = upload
        .audit
        .parse(template)
        .map_err(|errors| ApiError::Unprocessable(errors.iter().cloned().collect()))?;
    let actor = viewer
        .signed_in()
        .map(|s| s.user.username.to_string())
        .unwrap_or_default();
    let stored = state
        .store
        .create_audit(&NewCaseAudit {
            la: la.la_code.clone(),
            audit,
            moderates: upload.moderates,
            actor,
        })
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) | StoreError::Duplicate(m) => ApiError::BadRequest(m),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(audit_json(&stored))))
}
