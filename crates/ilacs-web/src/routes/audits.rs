//! Case audits: the LA's own record of practice quality. Audits name children, so every
//! read is logged, and only the LA's quality, audit and admin staff see them.

use crate::access_log::log_read;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::{ApiError, PageError};
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use chrono::{Months, NaiveDate};
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::audit::{
    moderation_report, quarterly_summary, Audit, AuditRules, AuditTemplate, AuditTemplates,
    AuditorId, CaseType, GradeCounts, ModerationPair, NewAction, NewAudit, NewDomainScore, Quarter,
    QuarterComparison, Rate, Scale, Score, TemplateKey, Trend,
};
use ilacs_domain::authority::{AuthorityRef, LocalAuthority};
use ilacs_domain::grade::Grade;
use ilacs_render::{table_xlsx, Cell, Table};
use ilacs_store::{NewCaseAudit, StoreError, StoredAudit};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many action rows the form offers.
const ACTION_ROWS: usize = 3;

fn templates() -> &'static AuditTemplates {
    static TEMPLATES: std::sync::OnceLock<AuditTemplates> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(AuditTemplates::bundled)
}

fn rules() -> &'static AuditRules {
    static RULES: std::sync::OnceLock<AuditRules> = std::sync::OnceLock::new();
    RULES.get_or_init(AuditRules::bundled)
}

fn template(key: &str) -> Result<&'static AuditTemplate, PageError> {
    let key = TemplateKey::parse(key).map_err(|_| PageError::NotFound)?;
    templates().get(&key).ok_or(PageError::NotFound)
}

async fn authority(state: &AppState, code: &str) -> Result<LocalAuthority, PageError> {
    let reference = AuthorityRef::parse(code).map_err(|_| PageError::NotFound)?;
    state
        .store
        .local_authority(&reference)
        .await?
        .ok_or(PageError::NotFound)
}

/// Checks the viewer may do `action` to this LA's audits.
fn allow(
    viewer: &Viewer,
    action: Action,
    la: &LocalAuthority,
    path: &str,
) -> Result<(), PageError> {
    let record = Record::CaseAudit {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    };
    authorize(viewer.principal(), action, &record).map_err(|d| PageError::denied(d, path))
}

async fn log(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    key: &str,
) -> Result<(), PageError> {
    let record = Record::CaseAudit {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    };
    Ok(log_read(state, viewer, &record, key, Some(&la.la_code)).await?)
}

fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/audits", la.gss_code)
}

/// A score as the auditor gave it: "7 (good)", or a grade key for tags.
fn score_view(score: &Score) -> Value {
    match score {
        Score::Grade(g) => json!({"grade": g.key(), "text": g.label()}),
        Score::Scaled { value, band } => {
            json!({"grade": band.key(), "text": format!("{value} ({})", band.label().to_lowercase())})
        }
        Score::NotApplicable => json!({"grade": null, "text": "Not applicable"}),
    }
}

fn rate_text(rate: Rate) -> String {
    match rate.percent() {
        Some(p) => format!("{rate} ({p}%)"),
        None => "No moderated audits yet".to_string(),
    }
}

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

// The form ---------------------------------------------------------------------------

/// The form's fields, as posted: every field is text and named by its error path.
fn draft_from_form(
    fields: &[(String, String)],
    template: &AuditTemplate,
    auditor: &AuditorId,
) -> NewAudit {
    let map: HashMap<&str, &str> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: &str| map.get(k).copied().unwrap_or("").to_string();
    NewAudit {
        child_id: get("child_id"),
        team: get("team"),
        worker: get("worker"),
        case_type: get("case_type"),
        auditor: auditor.to_string(),
        date: get("date"),
        domains: template
            .domains()
            .iter()
            .map(|d| NewDomainScore {
                domain: d.key.to_string(),
                score: get(&format!("domains.{}.score", d.key)),
                narrative: get(&format!("domains.{}.narrative", d.key)),
            })
            .collect(),
        overall: get("overall"),
        worked_well: get("worked_well"),
        must_change: get("must_change"),
        actions: (0..ACTION_ROWS)
            .map(|i| NewAction {
                description: get(&format!("actions.{i}.description")),
                owner: get(&format!("actions.{i}.owner")),
                due: get(&format!("actions.{i}.due")),
            })
            .collect(),
        child_feedback: get("child_feedback"),
        family_feedback: get("family_feedback"),
        themes: get("themes")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// A draft for an existing audit, with dates as a form shows them.
fn draft_from_audit(audit: &Audit) -> NewAudit {
    let uk = |iso: &str| {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|_| iso.to_string())
    };
    let mut draft = NewAudit::from(audit);
    draft.date = uk(&draft.date);
    for action in &mut draft.actions {
        action.due = uk(&action.due);
    }
    draft
}

fn scale_view(scale: &Scale) -> Value {
    match scale {
        Scale::OfstedGrades => json!({"numeric": false, "text": scale.describe(), "bands": []}),
        Scale::Numeric(n) => json!({
            "numeric": true,
            "text": scale.describe(),
            "bands": n.bands().iter().map(|b| json!({"from": b.from, "to": b.to, "grade": b.grade.label()})).collect::<Vec<_>>(),
        }),
    }
}

struct FormPage<'a> {
    la: &'a LocalAuthority,
    template: &'a AuditTemplate,
    heading: String,
    action: String,
    draft: NewAudit,
    errors: Vec<Value>,
    /// Moderations audit a given case: its details are shown, not asked.
    locked_case: Option<&'a Audit>,
    version: Option<i64>,
}

fn render_form(
    viewer: &Viewer,
    csrf: &CsrfToken,
    page: FormPage<'_>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = &page.draft;
    let domains: Vec<Value> = page
        .template
        .domains()
        .iter()
        .map(|domain| {
            let entered = d.domains.iter().find(|s| s.domain == domain.key.as_str());
            json!({
                "key": domain.key.as_str(),
                "title": domain.title,
                "guidance": domain.guidance,
                "na_allowed": domain.not_applicable_allowed,
                "score": entered.map(|s| s.score.as_str()).unwrap_or(""),
                "narrative": entered.map(|s| s.narrative.as_str()).unwrap_or(""),
            })
        })
        .collect();
    let mut actions: Vec<Value> = d
        .actions
        .iter()
        .map(|a| json!({"description": a.description, "owner": a.owner, "due": a.due}))
        .collect();
    actions.resize(
        ACTION_ROWS.max(actions.len()),
        json!({"description": "", "owner": "", "due": ""}),
    );
    // Errors on themes.N point at the one themes field.
    let errors: Vec<Value> = page
        .errors
        .into_iter()
        .map(|mut e| {
            if e["field"]
                .as_str()
                .is_some_and(|f| f.starts_with("themes."))
            {
                e["field"] = json!("themes");
            }
            e
        })
        .collect();
    let locked = page.locked_case.map(|a| {
        json!({
            "child": a.child().as_str(),
            "team": a.case().team.as_str(),
            "worker": a.case().worker,
            "case_type": a.case().case_type.label(),
        })
    });
    let html = PageFrame { viewer, csrf, current_nav: "audits" }.render(
        "audit_form.html",
        &page.heading,
        json!({
            "la": {"code": page.la.gss_code.as_str(), "name": page.la.name},
            "heading": page.heading,
            "action": page.action,
            "template": {"key": page.template.key().as_str(), "name": page.template.name(), "scale": scale_view(page.template.scale())},
            "values": {
                "child_id": d.child_id, "team": d.team, "worker": d.worker, "case_type": d.case_type,
                "date": d.date, "overall": d.overall, "worked_well": d.worked_well, "must_change": d.must_change,
                "child_feedback": d.child_feedback, "family_feedback": d.family_feedback,
                "themes": d.themes.join(", "),
            },
            "case_types": CaseType::ALL.iter().map(|t| json!({"key": t.key(), "label": t.label()})).collect::<Vec<_>>(),
            "grades": Grade::ALL.iter().map(|g| json!({"key": g.key(), "label": g.label()})).collect::<Vec<_>>(),
            "domains": domains,
            "actions": actions,
            "locked_case": locked,
            "version": page.version,
            "errors": errors,
        }),
    )?;
    Ok((status, html).into_response())
}

fn field_errors(errors: &ilacs_domain::audit::FieldErrors) -> Vec<Value> {
    errors
        .iter()
        .map(|e| json!({"field": e.field, "message": e.message}))
        .collect()
}

fn auditor_of(viewer: &Viewer) -> Result<AuditorId, PageError> {
    let user = viewer.signed_in().ok_or(PageError::Forbidden)?;
    AuditorId::parse(user.user.username.as_str()).map_err(|e| PageError::Internal(e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct TemplateQuery {
    template: String,
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Write, &la, &format!("{}/new", base(&la)))?;
    let key = if query.template.is_empty() {
        rules().default_template.as_str().to_string()
    } else {
        query.template
    };
    let template = template(&key)?;
    let mut draft = NewAudit::for_template(template);
    draft.date = state.today().format("%d/%m/%Y").to_string();
    render_form(
        &viewer,
        &csrf,
        FormPage {
            la: &la,
            template,
            heading: "Record a case audit".into(),
            action: format!("{}?template={}", base(&la), template.key()),
            draft,
            errors: vec![],
            locked_case: None,
            version: None,
        },
        StatusCode::OK,
    )
}

pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<TemplateQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Write, &la, &base(&la))?;
    let template = template(&query.template)?;
    let draft = draft_from_form(&fields, template, &auditor_of(&viewer)?);
    let page = |draft: NewAudit, errors| FormPage {
        la: &la,
        template,
        heading: "Record a case audit".into(),
        action: format!("{}?template={}", base(&la), template.key()),
        draft,
        errors,
        locked_case: None,
        version: None,
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => {
            return render_form(
                &viewer,
                &csrf,
                page(draft, field_errors(&e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let stored = state
        .store
        .create_audit(&NewCaseAudit {
            la: la.la_code.clone(),
            audit,
            moderates: None,
            actor: auditor_of(&viewer)?.to_string(),
        })
        .await?;
    Ok(Redirect::to(&format!("{}/{}", base(&la), stored.id)).into_response())
}

// One audit ----------------------------------------------------------------------------

async fn stored(state: &AppState, la: &LocalAuthority, id: i64) -> Result<StoredAudit, PageError> {
    state
        .store
        .audit(&la.la_code, id)
        .await?
        .ok_or(PageError::NotFound)
}

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
    let title_of = |key: &str| {
        template
            .and_then(|t| t.domains().iter().find(|d| d.key.as_str() == key))
            .map(|d| d.title.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let others = state.store.audits(&la.la_code, None, None).await?;
    let moderation = others.iter().find(|a| a.moderates == Some(record.id));
    let can_write = allow(&viewer, Action::Write, &la, "").is_ok();
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
            "can_moderate": can_write && record.moderates.is_none() && moderation.is_none(),
            "can_edit": can_write,
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
                "title": title_of(d.domain.as_str()),
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
        }),
    )?;
    Ok(html.into_response())
}

// Moderation ---------------------------------------------------------------------------

pub(crate) async fn moderate_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Write,
        &la,
        &format!("{}/{id}/moderate", base(&la)),
    )?;
    let first = stored(&state, &la, id).await?;
    let template = template(first.audit.template().as_str())?;
    let mut draft = NewAudit::for_template(template);
    draft.date = state.today().format("%d/%m/%Y").to_string();
    // Blind: the moderator sees the case, never the first auditor's grades.
    render_form(
        &viewer,
        &csrf,
        FormPage {
            la: &la,
            template,
            heading: format!("Moderate the audit of {}", first.audit.child()),
            action: format!("{}/{id}/moderate", base(&la)),
            draft,
            errors: vec![],
            locked_case: Some(&first.audit),
            version: None,
        },
        StatusCode::OK,
    )
}

pub(crate) async fn moderate(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Write, &la, &base(&la))?;
    let first = stored(&state, &la, id).await?;
    let template = template(first.audit.template().as_str())?;
    let mut draft = draft_from_form(&fields, template, &auditor_of(&viewer)?);
    let case = first.audit.case();
    draft.child_id = case.child.to_string();
    draft.team = case.team.to_string();
    draft.worker = case.worker.clone();
    draft.case_type = case.case_type.key().to_string();
    let page = |draft: NewAudit, errors| FormPage {
        la: &la,
        template,
        heading: format!("Moderate the audit of {}", first.audit.child()),
        action: format!("{}/{id}/moderate", base(&la)),
        draft,
        errors,
        locked_case: Some(&first.audit),
        version: None,
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => {
            return render_form(
                &viewer,
                &csrf,
                page(draft, field_errors(&e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    let created = state
        .store
        .create_audit(&NewCaseAudit {
            la: la.la_code.clone(),
            audit,
            moderates: Some(first.id),
            actor: auditor_of(&viewer)?.to_string(),
        })
        .await;
    match created {
        Ok(m) => Ok(Redirect::to(&format!("{}/{}", base(&la), m.id)).into_response()),
        Err(StoreError::Invalid(message)) | Err(StoreError::Duplicate(message)) => {
            let errors = vec![
                json!({"field": "overall", "message": format!("This moderation cannot be saved: {message}.")}),
            ];
            render_form(
                &viewer,
                &csrf,
                page(draft, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

// Editing ------------------------------------------------------------------------------

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Write,
        &la,
        &format!("{}/{id}/edit", base(&la)),
    )?;
    let record = stored(&state, &la, id).await?;
    log(&state, &viewer, &la, &format!("{}/audits/{id}", la.la_code)).await?;
    let template = template(record.audit.template().as_str())?;
    render_form(
        &viewer,
        &csrf,
        FormPage {
            la: &la,
            template,
            heading: format!("Change the audit of {}", record.audit.child()),
            action: format!("{}/{id}", base(&la)),
            draft: draft_from_audit(&record.audit),
            errors: vec![],
            locked_case: None,
            version: Some(record.version),
        },
        StatusCode::OK,
    )
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Write, &la, &base(&la))?;
    let record = stored(&state, &la, id).await?;
    let template = template(record.audit.template().as_str())?;
    let version: i64 = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| PageError::BadRequest("The form is missing the audit's version. Open the audit again and make your change.".into()))?;
    // Keep who audited: an edit corrects the audit, it does not change its author.
    let draft = draft_from_form(&fields, template, record.audit.auditor());
    let page = |draft: NewAudit, errors| FormPage {
        la: &la,
        template,
        heading: format!("Change the audit of {}", record.audit.child()),
        action: format!("{}/{id}", base(&la)),
        draft,
        errors,
        locked_case: None,
        version: Some(version),
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => {
            return render_form(
                &viewer,
                &csrf,
                page(draft, field_errors(&e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    match state
        .store
        .update_audit(
            &la.la_code,
            id,
            version,
            &audit,
            auditor_of(&viewer)?.as_str(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{id}", base(&la))).into_response()),
        Err(StoreError::Conflict(message)) | Err(StoreError::Invalid(message)) => {
            // Nothing is lost: the user's version is shown again with the reason.
            let errors = vec![json!({"field": "child_id", "message": message})];
            render_form(&viewer, &csrf, page(draft, errors), StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

// Moderation report and the audit list download ------------------------------------------

pub(crate) async fn moderation(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Read,
        &la,
        &format!("{}/moderation", base(&la)),
    )?;
    log(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/moderation", la.la_code),
    )
    .await?;
    let all = state.store.audits(&la.la_code, None, None).await?;
    let by_id: HashMap<i64, &StoredAudit> = all.iter().map(|a| (a.id, a)).collect();
    let mut pair_ids = Vec::new();
    let pairs: Vec<ModerationPair> = all
        .iter()
        .filter_map(|m| {
            let first = by_id.get(&m.moderates?)?;
            let pair = ModerationPair::new(&first.audit, &m.audit).ok()?;
            pair_ids.push(first.id);
            Some(pair)
        })
        .collect();
    let report = moderation_report(&pairs);
    let title_of = |key: &str| {
        templates()
            .all()
            .iter()
            .flat_map(|t| t.domains())
            .find(|d| d.key.as_str() == key)
            .map(|d| d.title.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let agreement = |a: &ilacs_domain::audit::Agreement| json!({"exact": rate_text(a.exact), "within_one": rate_text(a.within_one)});
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "audits" }.render(
        "audit_moderation.html",
        &format!("Moderation – {}", la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "pairs": report.pairs,
            "overall": agreement(&report.overall),
            "domains": report.domains.iter().map(|d| json!({"title": title_of(d.domain.as_str()), "agreement": agreement(&d.agreement)})).collect::<Vec<_>>(),
            "auditors": report.auditors.iter().map(|a| json!({"auditor": a.auditor.as_str(), "overall": agreement(&a.overall), "domains": agreement(&a.domains)})).collect::<Vec<_>>(),
            "moved": report.moved.iter().map(|m| json!({
                "id": pair_ids.get(m.pair),
                "child": m.child.as_str(),
                "auditor": m.auditor.as_str(),
                "moderator": m.moderator.as_str(),
                "from": m.from.key(),
                "to": m.to.key(),
                "direction": match m.direction { ilacs_domain::audit::Direction::Better => "better", ilacs_domain::audit::Direction::Worse => "worse" },
            })).collect::<Vec<_>>(),
        }),
    )?;
    Ok(html.into_response())
}

/// Every audit of the previous six months, as a focused visit's notification asks.
pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Read, &la, &format!("{}.xlsx", base(&la)))?;
    let today = state.today();
    let from = today.checked_sub_months(Months::new(6)).unwrap_or(today);
    log(&state, &viewer, &la, &format!("{}/audits.xlsx", la.la_code)).await?;
    let all = state
        .store
        .audits(&la.la_code, Some(from), Some(today))
        .await?;
    let moderated: HashMap<i64, &StoredAudit> =
        all.iter().filter_map(|a| Some((a.moderates?, a))).collect();
    // Domain columns: every domain of the templates used, in template order.
    let mut domain_keys: Vec<(String, String)> = Vec::new();
    for a in all.iter().filter(|a| a.moderates.is_none()) {
        if let Some(t) = templates().get(a.audit.template()) {
            for d in t.domains() {
                if !domain_keys.iter().any(|(k, _)| k == d.key.as_str()) {
                    domain_keys.push((d.key.to_string(), d.title.clone()));
                }
            }
        }
    }
    let mut headers: Vec<String> = [
        "Audit date",
        "Child ID",
        "Team",
        "Allocated worker",
        "Case type",
        "Auditor",
        "Audit",
        "Overall grade",
        "Moderated overall grade",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers.extend(domain_keys.iter().map(|(_, title)| title.clone()));
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .filter(|a| a.moderates.is_none())
        .map(|a| {
            let audit = &a.audit;
            let mut row: Vec<Cell> = vec![
                audit.date().into(),
                audit.child().as_str().into(),
                audit.case().team.as_str().into(),
                audit.case().worker.clone().into(),
                audit.case().case_type.label().into(),
                audit.auditor().as_str().into(),
                templates()
                    .get(audit.template())
                    .map(|t| t.name().to_string())
                    .unwrap_or_default()
                    .into(),
                audit.overall_grade().label().into(),
                moderated
                    .get(&a.id)
                    .map(|m| m.audit.overall_grade().label().to_string())
                    .into(),
            ];
            row.extend(domain_keys.iter().map(|(key, _)| {
                audit
                    .domains()
                    .iter()
                    .find(|d| d.domain.as_str() == key)
                    .map(|d| {
                        score_view(&d.score)["text"]
                            .as_str()
                            .unwrap_or("")
                            .to_string()
                    })
                    .into()
            }));
            row
        })
        .collect();
    let bytes = table_xlsx(&[Table {
        sheet_name: "Case audits".into(),
        title: format!(
            "{}: case audits from {} to {}",
            la.name,
            ilacs_render::uk_date(&from.to_string()),
            ilacs_render::uk_date(&today.to_string())
        ),
        headers,
        rows,
    }])
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let file = format!("case-audits-{}-{}.xlsx", la.la_code, today);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// Quarterly summary and themes --------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct QuarterQuery {
    quarter: String,
}

/// `2026-Q4` (as links write it) or `Q4 2026`.
fn parse_quarter(input: &str) -> Option<Quarter> {
    let s = input.trim().to_ascii_uppercase();
    let (year, number) = match s.split_once("-Q") {
        Some((y, n)) => (y.to_string(), n.to_string()),
        None => {
            let (q, y) = s.split_once(' ')?;
            (y.to_string(), q.strip_prefix('Q')?.to_string())
        }
    };
    Quarter::new(year.parse().ok()?, number.parse().ok()?)
}

fn quarter_key(q: Quarter) -> String {
    format!("{}-Q{}", q.year(), q.number())
}

fn comparison_view(c: &QuarterComparison) -> Value {
    let share = |counts: &GradeCounts| {
        let rate = counts.good_or_better();
        match rate.percent() {
            Some(p) => format!("{p}% ({rate})"),
            None => "No grades".to_string(),
        }
    };
    json!({
        "counts": Grade::ALL.iter().map(|g| c.current.get(*g)).collect::<Vec<_>>(),
        "current": share(&c.current),
        "previous": share(&c.previous),
        "trend": match c.trend {
            Trend::Better => "Better",
            Trend::Worse => "Worse",
            Trend::Same => "Same",
            Trend::NoComparison => "No comparison",
        },
    })
}

pub(crate) async fn summary(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<QuarterQuery>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Read,
        &la,
        &format!("{}/summary", base(&la)),
    )?;
    let quarter = if query.quarter.trim().is_empty() {
        Quarter::containing(state.today())
    } else {
        parse_quarter(&query.quarter).ok_or_else(|| {
            PageError::BadRequest(format!(
                "'{}' is not a quarter: use the form 2026-Q4.",
                query.quarter
            ))
        })?
    };
    log(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/summary", la.la_code),
    )
    .await?;
    let first_audits: Vec<Audit> = state
        .store
        .audits(
            &la.la_code,
            Some(quarter.previous().first_day()),
            Some(quarter.last_day()),
        )
        .await?
        .into_iter()
        .filter(|a| a.moderates.is_none())
        .map(|a| a.audit)
        .collect();
    let report = quarterly_summary(&first_audits, quarter);
    let title_of = |key: &str| {
        templates()
            .all()
            .iter()
            .flat_map(|t| t.domains())
            .find(|d| d.key.as_str() == key)
            .map(|d| d.title.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "audits" }.render(
        "audit_summary.html",
        &format!("Audit summary, {} – {}", quarter.label(), la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "quarter": quarter.label(),
            "previous_quarter": quarter.previous().label(),
            "previous_key": quarter_key(quarter.previous()),
            "next_key": quarter_key(quarter.next()),
            "audits": report.audits,
            "previous_audits": report.previous_audits,
            "grades": Grade::ALL.iter().map(|g| g.short_label()).collect::<Vec<_>>(),
            "overall": comparison_view(&report.overall),
            "domains": report.domains.iter().map(|d| json!({"title": title_of(d.domain.as_str()), "line": comparison_view(&d.grades)})).collect::<Vec<_>>(),
            "teams": report.teams.iter().map(|t| json!({"title": t.team.as_str(), "line": comparison_view(&t.grades)})).collect::<Vec<_>>(),
            "themes": report.themes.iter().map(|t| json!({"theme": t.theme.as_str(), "current": t.current, "previous": t.previous})).collect::<Vec<_>>(),
        }),
    )?;
    Ok(html.into_response())
}

// The JSON API: an LA's case management system loads audits with an API token --------

async fn api_authority(state: &AppState, code: &str) -> Result<LocalAuthority, ApiError> {
    let reference = AuthorityRef::parse(code)
        .map_err(|_| ApiError::BadRequest(format!("'{code}' is not an LA code")))?;
    state
        .store
        .local_authority(&reference)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no local authority has the code '{code}'")))
}

fn audit_record(la: &LocalAuthority) -> Record<'_> {
    Record::CaseAudit {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    }
}

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
