//! Learning actions: the list, adding one, one action and changing it. They cite audits
//! by number and themes but name no child, so the LA's viewers read them too; see
//! `Record::LearningAction` for who may change them.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::NaiveDate;
use ilacs_domain::access::Action;
use ilacs_domain::audit::{
    AuditIndex, LearningAction, LearningKinds, LearningStatus, NewLearningAction, Quarter, ThemeKey,
};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::self_evaluation::AuditRef;
use ilacs_store::{StoreError, StoredAudit, StoredLearningAction};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn kinds() -> &'static LearningKinds {
    static KINDS: std::sync::OnceLock<LearningKinds> = std::sync::OnceLock::new();
    KINDS.get_or_init(LearningKinds::bundled)
}

pub(super) fn learning_base(la: &LocalAuthority) -> String {
    format!("{}/learning", base(la))
}

pub(super) fn learning_record(la: &LocalAuthority) -> Record<'_> {
    Record::LearningAction {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    }
}

/// Checks the viewer may do `action` to this LA's learning actions. Another LA's staff
/// are told there is nothing here, not that it is theirs to be refused.
pub(super) fn allow_learning(
    viewer: &Viewer,
    action: Action,
    la: &LocalAuthority,
    path: &str,
) -> Result<(), PageError> {
    authorize(viewer.principal(), action, &learning_record(la)).map_err(|denied| {
        let other_la = viewer
            .principal()
            .and_then(|p| p.scope().la())
            .is_some_and(|own| own != &la.la_code);
        if other_la {
            PageError::NotFound
        } else {
            PageError::denied(denied, path)
        }
    })
}

async fn log_learning(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    key: &str,
) -> Result<(), PageError> {
    Ok(log_read(state, viewer, &learning_record(la), key, Some(&la.la_code)).await?)
}

/// What citing the LA's audits needs: their dates and themes, and for links, the
/// quarter of the latest audit tagged with each theme.
struct LaAudits {
    index: AuditIndex,
    latest_quarter: BTreeMap<ThemeKey, Quarter>,
}

impl LaAudits {
    async fn load(state: &AppState, la: &LocalAuthority) -> Result<LaAudits, PageError> {
        let audits: Vec<StoredAudit> = state.store.audits(&la.la_code, None, None).await?;
        let mut index = AuditIndex::default();
        let mut latest_quarter = BTreeMap::new();
        // Newest first, so the first quarter seen for a theme is its latest.
        for a in &audits {
            if let Some(id) = AuditRef::new(a.id) {
                index.add(id, &a.audit);
            }
            for theme in a.audit.themes() {
                latest_quarter
                    .entry(theme.clone())
                    .or_insert_with(|| Quarter::containing(a.audit.date()));
            }
        }
        Ok(LaAudits {
            index,
            latest_quarter,
        })
    }

    fn theme_view(&self, theme: &ThemeKey) -> Value {
        json!({
            "key": theme.as_str(),
            "quarter": self.latest_quarter.get(theme).map(|q| quarter_key(*q)),
        })
    }

    fn audit_view(&self, id: AuditRef) -> Value {
        json!({"id": id.get(), "date": self.index.date(id).map(|d| d.to_string())})
    }
}

fn action_view(stored: &StoredLearningAction, audits: &LaAudits, today: NaiveDate) -> Value {
    let a = &stored.action;
    json!({
        "id": stored.id,
        "title": a.title(),
        "kind": kinds().label(a.kind()),
        "description": a.description(),
        "owner": a.owner(),
        "due": a.due().to_string(),
        "status": a.status().label(),
        "done_on": a.done_on().map(|d| d.to_string()),
        "audits": a.raised_by_audits().iter().map(|id| audits.audit_view(*id)).collect::<Vec<_>>(),
        "themes": a.raised_by_themes().iter().map(|t| audits.theme_view(t)).collect::<Vec<_>>(),
        "impact_audits": a.impact_audits().iter().map(|id| audits.audit_view(*id)).collect::<Vec<_>>(),
        "impact_note": a.impact_note(),
        "flags": a.flags(today).iter().map(|f| f.label()).collect::<Vec<_>>(),
    })
}

fn la_view(la: &LocalAuthority) -> Value {
    json!({"code": la.gss_code.as_str(), "name": la.name})
}

// The list -----------------------------------------------------------------------------

pub(crate) async fn learning_list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(&viewer, Action::Read, &la, &learning_base(&la))?;
    log_learning(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/learning", la.la_code),
    )
    .await?;
    let audits = LaAudits::load(&state, &la).await?;
    let today = state.today();
    let rows: Vec<Value> = state
        .store
        .learning_actions(&la.la_code)
        .await?
        .iter()
        .map(|s| action_view(s, &audits, today))
        .collect();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "audits",
    }
    .render(
        "learning_list.html",
        &format!("Learning actions – {}", la.name),
        json!({
            "la": la_view(&la),
            "rows": rows,
            "can_write": allow_learning(&viewer, Action::Write, &la, "").is_ok(),
            "can_read_audits": allow(&viewer, Action::Read, &la, "").is_ok(),
        }),
    )?;
    Ok(html.into_response())
}

// The form ---------------------------------------------------------------------------

/// The form's fields as posted; themes are checkboxes, so they may repeat.
fn form_from_fields(fields: &[(String, String)]) -> NewLearningAction {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    NewLearningAction {
        title: get("title"),
        kind: get("kind"),
        description: get("description"),
        owner: get("owner"),
        due: get("due"),
        status: get("status"),
        done_on: get("done_on"),
        audits: get("audits"),
        themes: fields
            .iter()
            .filter(|(k, _)| k == "themes")
            .map(|(_, v)| v.clone())
            .collect(),
        impact_audits: get("impact_audits"),
        impact_note: get("impact_note"),
    }
}

struct LearningForm<'a> {
    viewer: &'a Viewer,
    csrf: &'a CsrfToken,
    la: &'a LocalAuthority,
    /// The action being changed and the version the form was opened at.
    editing: Option<(&'a StoredLearningAction, i64)>,
}

impl LearningForm<'_> {
    fn render(
        &self,
        audits: &LaAudits,
        form: &NewLearningAction,
        errors: Vec<Value>,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        let heading = match self.editing {
            Some((stored, _)) => format!("Change ‘{}’", stored.action.title()),
            None => "Add a learning action".to_string(),
        };
        let action = match self.editing {
            Some((stored, _)) => format!("{}/{}", learning_base(self.la), stored.id),
            None => learning_base(self.la),
        };
        // What was ticked, as theme keys, so a re-shown form keeps it.
        let ticked: Vec<String> = form
            .themes
            .iter()
            .filter_map(|t| ThemeKey::parse(t).ok())
            .map(|t| t.to_string())
            .collect();
        let html = PageFrame {
            viewer: self.viewer,
            csrf: self.csrf,
            current_nav: "audits",
        }
        .render(
            "learning_form.html",
            &heading,
            json!({
                "la": la_view(self.la),
                "heading": heading,
                "action": action,
                "version": self.editing.map(|(_, v)| v),
                "cancel": match self.editing {
                    Some((stored, _)) => format!("{}/{}", learning_base(self.la), stored.id),
                    None => learning_base(self.la),
                },
                "values": form,
                "ticked": ticked,
                "kinds": kinds().all().iter().map(|k| json!({"key": k.key, "label": k.label, "hint": k.hint})).collect::<Vec<_>>(),
                "statuses": LearningStatus::ALL.iter().map(|s| json!({"key": s.key(), "label": s.label()})).collect::<Vec<_>>(),
                "themes": audits.index.themes().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
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

pub(crate) async fn learning_new_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(
        &viewer,
        Action::Write,
        &la,
        &format!("{}/new", learning_base(&la)),
    )?;
    let audits = LaAudits::load(&state, &la).await?;
    let blank = NewLearningAction {
        status: LearningStatus::Planned.key().to_string(),
        ..NewLearningAction::default()
    };
    LearningForm {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        editing: None,
    }
    .render(&audits, &blank, vec![], StatusCode::OK)
}

pub(crate) async fn learning_create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(&viewer, Action::Write, &la, &learning_base(&la))?;
    let audits = LaAudits::load(&state, &la).await?;
    let form = form_from_fields(&fields);
    let page = LearningForm {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        editing: None,
    };
    let action = match form.parse(kinds(), &audits.index, state.today()) {
        Ok(a) => a,
        Err(e) => {
            return page.render(
                &audits,
                &form,
                field_errors(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    match state
        .store
        .create_learning_action(&la.la_code, &action, viewer.actor()?.as_str())
        .await
    {
        Ok(stored) => {
            Ok(Redirect::to(&format!("{}/{}", learning_base(&la), stored.id)).into_response())
        }
        Err(StoreError::Invalid(message)) => page.render(
            &audits,
            &form,
            vec![json!({"field": "audits", "message": message})],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

// One action ---------------------------------------------------------------------------

async fn stored_learning(
    state: &AppState,
    la: &LocalAuthority,
    id: i64,
) -> Result<StoredLearningAction, PageError> {
    state
        .store
        .learning_action(&la.la_code, id)
        .await?
        .ok_or(PageError::NotFound)
}

pub(crate) async fn learning_show(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(
        &viewer,
        Action::Read,
        &la,
        &format!("{}/{id}", learning_base(&la)),
    )?;
    let stored = stored_learning(&state, &la, id).await?;
    log_learning(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/learning/{id}", la.la_code),
    )
    .await?;
    let audits = LaAudits::load(&state, &la).await?;
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "audits",
    }
    .render(
        "learning_view.html",
        stored.action.title(),
        json!({
            "la": la_view(&la),
            "a": action_view(&stored, &audits, state.today()),
            "can_write": allow_learning(&viewer, Action::Write, &la, "").is_ok(),
            "can_read_audits": allow(&viewer, Action::Read, &la, "").is_ok(),
            "recorded": {"by": stored.created_by, "version": stored.version, "updated_by": stored.updated_by},
        }),
    )?;
    Ok(html.into_response())
}

pub(crate) async fn learning_edit_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(
        &viewer,
        Action::Write,
        &la,
        &format!("{}/{id}/edit", learning_base(&la)),
    )?;
    let stored = stored_learning(&state, &la, id).await?;
    let audits = LaAudits::load(&state, &la).await?;
    LearningForm {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        editing: Some((&stored, stored.version)),
    }
    .render(&audits, &stored.action.to_new(), vec![], StatusCode::OK)
}

pub(crate) async fn learning_update(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow_learning(&viewer, Action::Write, &la, &learning_base(&la))?;
    let stored = stored_learning(&state, &la, id).await?;
    let version: i64 = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| {
            PageError::BadRequest(
                "The form is missing the learning action's version. Open the action again and make your change.".into(),
            )
        })?;
    let audits = LaAudits::load(&state, &la).await?;
    let form = form_from_fields(&fields);
    let page = LearningForm {
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        editing: Some((&stored, version)),
    };
    let action: LearningAction = match form.parse(kinds(), &audits.index, state.today()) {
        Ok(a) => a,
        Err(e) => {
            return page.render(
                &audits,
                &form,
                field_errors(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    match state
        .store
        .update_learning_action(&la.la_code, id, version, &action, viewer.actor()?.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{id}", learning_base(&la))).into_response()),
        // Nothing is lost: what the user typed is shown again with the reason.
        Err(StoreError::Conflict(message)) => page.render(
            &audits,
            &form,
            vec![json!({"field": "title", "message": message})],
            StatusCode::CONFLICT,
        ),
        Err(StoreError::Invalid(message)) => page.render(
            &audits,
            &form,
            vec![json!({"field": "audits", "message": message})],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

/// The learning actions that cite an audit, for the audit's page; empty if the viewer
/// may not read them.
pub(super) async fn citing(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    audit: i64,
) -> Result<Vec<Value>, PageError> {
    let Some(audit) = AuditRef::new(audit) else {
        return Ok(Vec::new());
    };
    if allow_learning(viewer, Action::Read, la, "").is_err() {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .learning_actions(&la.la_code)
        .await?
        .iter()
        .filter(|s| s.action.cites(audit))
        .map(|s| {
            json!({
                "id": s.id,
                "title": s.action.title(),
                "status": s.action.status().label(),
                "shows_impact": s.action.impact_audits().contains(&audit),
            })
        })
        .collect())
}
