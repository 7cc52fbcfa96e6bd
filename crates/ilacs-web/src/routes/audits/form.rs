//! Recording, changing and moderating an audit: one form, generated from the template.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::NaiveDate;
use ilacs_domain::access::Action;
use ilacs_domain::audit::{
    Audit, AuditTemplate, AuditorId, CaseType, NewAction, NewAudit, NewDomainScore, Scale,
};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::grade::Grade;
use ilacs_store::{NewCaseAudit, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many action rows the form offers.
const ACTION_ROWS: usize = 3;

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

/// Which form: it decides the heading, where the form posts and what it holds fixed.
enum FormKind<'a> {
    New,
    /// Moderations audit a given case: its details are shown, not asked.
    Moderate(&'a StoredAudit),
    Edit {
        record: &'a StoredAudit,
        version: i64,
    },
}

struct FormPage<'a> {
    viewer: &'a Viewer,
    csrf: &'a CsrfToken,
    la: &'a LocalAuthority,
    template: &'a AuditTemplate,
    kind: FormKind<'a>,
}

impl FormPage<'_> {
    fn heading(&self) -> String {
        match &self.kind {
            FormKind::New => "Record a case audit".to_string(),
            FormKind::Moderate(first) => format!("Moderate the audit of {}", first.audit.child()),
            FormKind::Edit { record, .. } => {
                format!("Change the audit of {}", record.audit.child())
            }
        }
    }

    fn action(&self) -> String {
        match &self.kind {
            FormKind::New => format!("{}?template={}", base(self.la), self.template.key()),
            FormKind::Moderate(first) => format!("{}/{}/moderate", base(self.la), first.id),
            FormKind::Edit { record, .. } => format!("{}/{}", base(self.la), record.id),
        }
    }

    /// The form, with any problems in the draft; what was typed is kept.
    fn render(
        &self,
        d: &NewAudit,
        errors: Vec<Value>,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        let page = self;

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
        let errors: Vec<Value> = errors
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
        let locked_case = match &page.kind {
            FormKind::Moderate(first) => Some(&first.audit),
            _ => None,
        };
        let version = match &page.kind {
            FormKind::Edit { version, .. } => Some(*version),
            _ => None,
        };
        let heading = page.heading();
        let locked = locked_case.map(|a| {
            json!({
                "child": a.child().as_str(),
                "team": a.case().team.as_str(),
                "worker": a.case().worker,
                "case_type": a.case().case_type.label(),
            })
        });
        let html = PageFrame { viewer: page.viewer, csrf: page.csrf, current_nav: "audits" }.render(
        "audit_form.html",
        &heading,
        json!({
            "la": {"code": page.la.gss_code.as_str(), "name": page.la.name},
            "heading": heading,
            "action": page.action(),
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
            "version": version,
            "errors": errors,
        }),
    )?;
        Ok((status, html).into_response())
    }
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
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind: FormKind::New,
    };
    form.render(&draft, vec![], StatusCode::OK)
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
    let auditor = auditor_of(&viewer)?;
    let draft = draft_from_form(&fields, template, &auditor);
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind: FormKind::New,
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => return form.render(&draft, field_errors(&e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let stored = state
        .store
        .create_audit(&NewCaseAudit {
            la: la.la_code.clone(),
            audit,
            moderates: None,
            actor: auditor.to_string(),
        })
        .await?;
    Ok(Redirect::to(&format!("{}/{}", base(&la), stored.id)).into_response())
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
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind: FormKind::Moderate(&first),
    };
    form.render(&draft, vec![], StatusCode::OK)
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
    let auditor = auditor_of(&viewer)?;
    let mut draft = draft_from_form(&fields, template, &auditor);
    // The case is the first audit's, whatever the form says.
    let case = first.audit.case();
    draft.child_id = case.child.to_string();
    draft.team = case.team.to_string();
    draft.worker = case.worker.clone();
    draft.case_type = case.case_type.key().to_string();
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind: FormKind::Moderate(&first),
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => return form.render(&draft, field_errors(&e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let created = state
        .store
        .create_audit(&NewCaseAudit {
            la: la.la_code.clone(),
            audit,
            moderates: Some(first.id),
            actor: auditor.to_string(),
        })
        .await;
    match created {
        Ok(m) => Ok(Redirect::to(&format!("{}/{}", base(&la), m.id)).into_response()),
        Err(StoreError::Invalid(message)) | Err(StoreError::Duplicate(message)) => {
            let message = format!("This moderation cannot be saved: {message}.");
            form.render(
                &draft,
                vec![json!({"field": "overall", "message": message})],
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
    let kind = FormKind::Edit {
        record: &record,
        version: record.version,
    };
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind,
    };
    form.render(&draft_from_audit(&record.audit), vec![], StatusCode::OK)
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
        .ok_or_else(|| {
            PageError::BadRequest(
                "The form is missing the audit's version. Open the audit again and make your change.".into(),
            )
        })?;
    // Keep who audited: an edit corrects the audit, it does not change its author.
    let draft = draft_from_form(&fields, template, record.audit.auditor());
    let form = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        template,
        kind: FormKind::Edit {
            record: &record,
            version,
        },
    };
    let audit = match draft.parse(template) {
        Ok(a) => a,
        Err(e) => return form.render(&draft, field_errors(&e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let actor = auditor_of(&viewer)?;
    match state
        .store
        .update_audit(&la.la_code, id, version, &audit, actor.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{id}", base(&la))).into_response()),
        Err(StoreError::Conflict(message)) | Err(StoreError::Invalid(message)) => {
            // Nothing is lost: the user's version is shown again with the reason.
            form.render(
                &draft,
                vec![json!({"field": "child_id", "message": message})],
                StatusCode::CONFLICT,
            )
        }
        Err(e) => Err(e.into()),
    }
}
