//! Case audits: the LA's own record of practice quality. Audits name children, so every
//! read is logged, and only the LA's quality, audit and admin staff see them.
//!
//! - `pages`: the list and one audit;
//! - `form`: recording, changing and moderating an audit;
//! - `programme`: the monthly audit programme, and the lists it is planned from;
//! - `reports`: agreement between auditors, the quarterly summary, the XLSX list;
//! - `learning`: the learning actions the audits raise, and their impact;
//! - `api`: the JSON API a case management system loads audits through.

mod api;
mod form;
mod learning;
mod pages;
mod programme;
mod reports;

pub(crate) use api::{api_create, api_list};
pub(crate) use form::{create, edit_form, moderate, moderate_form, new_form, update};
pub(crate) use learning::{
    learning_create, learning_edit_form, learning_list, learning_new_form, learning_show,
    learning_update,
};
pub(crate) use pages::{list, show};
pub(crate) use programme::{
    auditors_page, cases_page, confirm as confirm_programme, load_cases, programme_page,
    save_auditors,
};
use reports::quarter_key;
pub(crate) use reports::{download, moderation, summary};

use super::authority;
use crate::access_log::log_read;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::audit::{AuditRules, AuditTemplate, AuditTemplates, Score, TemplateKey};
use ilacs_domain::authority::LocalAuthority;
use ilacs_store::StoredAudit;
use serde_json::{json, Value};

pub(super) fn templates() -> &'static AuditTemplates {
    static TEMPLATES: std::sync::OnceLock<AuditTemplates> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(AuditTemplates::bundled)
}

pub(super) fn rules() -> &'static AuditRules {
    static RULES: std::sync::OnceLock<AuditRules> = std::sync::OnceLock::new();
    RULES.get_or_init(AuditRules::bundled)
}

pub(super) fn template(key: &str) -> Result<&'static AuditTemplate, PageError> {
    let key = TemplateKey::parse(key).map_err(|_| PageError::NotFound)?;
    templates().get(&key).ok_or(PageError::NotFound)
}

/// Checks the viewer may do `action` to this LA's audits.
pub(super) fn allow(
    viewer: &Viewer,
    action: Action,
    la: &LocalAuthority,
    path: &str,
) -> Result<(), PageError> {
    authorize(viewer.principal(), action, &audit_record(la)).map_err(|d| PageError::denied(d, path))
}

pub(super) async fn log(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    key: &str,
) -> Result<(), PageError> {
    Ok(log_read(state, viewer, &audit_record(la), key, Some(&la.la_code)).await?)
}

pub(super) fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/audits", la.gss_code)
}

/// A score as the auditor gave it: "7 (good)", or a grade key for tags.
pub(super) fn score_view(score: &Score) -> Value {
    match score {
        Score::Grade(g) => json!({"grade": g.key(), "text": g.label()}),
        Score::Scaled { value, band } => {
            json!({"grade": band.key(), "text": format!("{value} ({})", band.label().to_lowercase())})
        }
        Score::NotApplicable => json!({"grade": null, "text": "Not applicable"}),
    }
}

pub(super) async fn stored(
    state: &AppState,
    la: &LocalAuthority,
    id: i64,
) -> Result<StoredAudit, PageError> {
    state
        .store
        .audit(&la.la_code, id)
        .await?
        .ok_or(PageError::NotFound)
}

pub(super) fn audit_record(la: &LocalAuthority) -> Record<'_> {
    Record::CaseAudit {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    }
}

/// A domain's title from whichever template has it (audits on different templates can
/// share keys; titles for a key agree).
pub(super) fn domain_title(key: &str) -> String {
    templates()
        .all()
        .iter()
        .flat_map(|t| t.domains())
        .find(|d| d.key.as_str() == key)
        .map(|d| d.title.clone())
        .unwrap_or_else(|| key.to_string())
}
