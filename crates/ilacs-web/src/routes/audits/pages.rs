//! The audit list and one audit.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use ilacs_domain::access::Action;
use ilacs_store::StoredAudit;
use serde_json::{json, Value};
use std::collections::HashMap;

// Listing ---------------------------------------------------------------------------

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Read, &la, &base(&la))?;
    log(&state, &viewer, &la, &format!("{}/audits", la.la_code)).await?;
    let all = state.store.audits(&la.la_code, None, None).await?;
    let moderations: HashMap<i64, &StoredAudit> = all
        .iter()
        .filter_map(|a| a.moderates.map(|first| (first, a)))
        .collect();
    let rows: Vec<Value> = all
        .iter()
        .filter(|a| a.moderates.is_none())
        .map(|a| {
            let moderation = moderations.get(&a.id);
            json!({
                "id": a.id,
                "date": a.audit.date().to_string(),
                "child": a.audit.child().as_str(),
                "team": a.audit.case().team.as_str(),
                "auditor": a.audit.auditor().as_str(),
                "overall": a.audit.overall_grade().key(),
                "moderated": moderation.map(|m| m.audit.overall_grade().key()),
                "moderation_id": moderation.map(|m| m.id),
                "reaudit_due": rules().reaudit.due(&a.audit).map(|d| d.to_string()),
            })
        })
        .collect();
    let can_write = allow(&viewer, Action::Write, &la, &base(&la)).is_ok();
    let templates: Vec<Value> = templates()
        .all()
        .iter()
        .map(|t| json!({"key": t.key().as_str(), "name": t.name()}))
        .collect();
    Ok(PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "audits",
    }
    .render(
        "audits_list.html",
        &format!("Case audits – {}", la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "rows": rows,
            "can_write": can_write,
            "templates": templates,
        }),
    )?
    .into_response())
}

// One audit ----------------------------------------------------------------------------

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Read, &la, &format!("{}/{id}", base(&la)))?;
    let record = stored(&state, &la, id).await?;
    log(&state, &viewer, &la, &format!("{}/audits/{id}", la.la_code)).await?;
    let audit = &record.audit;
    let template = templates().get(audit.template());
    let others = state.store.audits(&la.la_code, None, None).await?;
    let moderation = others.iter().find(|a| a.moderates == Some(record.id));
    let can_write = allow(&viewer, Action::Write, &la, "").is_ok();
    let learning = learning::citing(&state, &viewer, &la, record.id).await?;
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "audits" }.render(
        "audit_view.html",
        &format!("Audit of {}", audit.child()),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "id": record.id,
            "is_moderation": record.moderates.is_some(),
            "moderates": record.moderates,
            "moderation_id": moderation.map(|m| m.id),
            "moderated_overall": moderation.map(|m| score_view(&m.audit.overall())),
            // A moderated first audit is a record of its auditor's judgement: fixed.
            "can_edit": can_write && moderation.is_none(),
            "template_name": template.map(|t| t.name()).unwrap_or(audit.template().as_str()),
            "case": {
                "child": audit.child().as_str(),
                "team": audit.case().team.as_str(),
                "worker": audit.case().worker,
                "case_type": audit.case().case_type.label(),
            },
            "auditor": audit.auditor().as_str(),
            "date": audit.date().to_string(),
            "domains": audit.domains().iter().map(|d| json!({
                "title": domain_title(d.domain.as_str()),
                "score": score_view(&d.score),
                "narrative": d.narrative,
            })).collect::<Vec<_>>(),
            "overall": score_view(&audit.overall()),
            "worked_well": audit.worked_well(),
            "must_change": audit.must_change(),
            "actions": audit.actions().iter().map(|a| json!({
                "description": a.description, "owner": a.owner.key(), "due": a.due.to_string(),
            })).collect::<Vec<_>>(),
            "child_feedback": audit.child_feedback(),
            "family_feedback": audit.family_feedback(),
            "themes": audit.themes().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "reaudit_due": rules().reaudit.due(audit).map(|d| d.to_string()),
            "recorded": {"by": record.created_by, "version": record.version, "updated_by": record.updated_by},
            "learning": learning,
        }),
    )?;
    Ok(html.into_response())
}
