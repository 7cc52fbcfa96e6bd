//! The self-evaluation: the LA writes it, signs it off and shares it; Ofsted and the
//! regional alliance read it once shared. Every stage widens the readers, as the
//! permission rules say; every read of an unpublished version is logged.
//!
//! - `pages`: the LA's versions, one version as a task list and as a read view, and the
//!   review's advice;
//! - `edit`: starting a version, answering a section's three questions, and moving it
//!   through its stages.

mod edit;
mod export;
mod findings;
mod pages;
mod plan;
mod sections;

pub(crate) use edit::{advance, answer_form, save_answers, start};
pub(crate) use export::download;
pub(crate) use findings::{
    add_finding, change_finding, finding_form, findings_form, remove_finding,
};
pub(crate) use pages::{compare_page, overview, review_page, show};
pub(crate) use plan::{action_form, add_action, change_action, plan_form, remove_action};
pub(crate) use sections::{arrange_sections, sections_page};

use super::authority;
use crate::access_log::log_read;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::self_evaluation::{FinancialYear, Questions, ReviewRules, Structure};
use ilacs_store::StoredSef;

pub(super) fn questions() -> &'static Questions {
    crate::exports::questions()
}

pub(super) fn structure() -> &'static Structure {
    static S: std::sync::OnceLock<Structure> = std::sync::OnceLock::new();
    S.get_or_init(Structure::bundled)
}

pub(super) fn review_rules() -> &'static ReviewRules {
    static R: std::sync::OnceLock<ReviewRules> = std::sync::OnceLock::new();
    R.get_or_init(ReviewRules::bundled)
}

pub(super) fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/self-evaluation", la.gss_code)
}

pub(super) fn version_path(la: &LocalAuthority, year: FinancialYear, version: u32) -> String {
    format!("{}/{}/{version}", base(la), year.label())
}

pub(super) fn record<'a>(la: &'a LocalAuthority, stored: &StoredSef) -> Record<'a> {
    Record::SelfEvaluation {
        la: &la.la_code,
        region: &la.region,
        stage: stored.sef.stage(),
    }
}

/// A version the viewer may do `action` to, or the reason they may not. A version the
/// viewer may not read is "not found" to them, so its existence is not revealed.
pub(super) async fn version(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    year: &str,
    version: u32,
    action: Action,
) -> Result<StoredSef, PageError> {
    let year = FinancialYear::parse(year).map_err(|_| PageError::NotFound)?;
    let path = version_path(la, year, version);
    let stored = state
        .store
        .self_evaluation(&la.la_code, year, Some(version))
        .await?
        .ok_or(PageError::NotFound)?;
    if authorize(viewer.principal(), Action::Read, &record(la, &stored)).is_err() {
        return Err(match viewer.signed_in() {
            None => PageError::SignInRequired { next: path },
            Some(_) => PageError::NotFound,
        });
    }
    authorize(viewer.principal(), action, &record(la, &stored))
        .map_err(|d| PageError::denied(d, &path))?;
    if record(la, &stored).is_restricted() {
        log_read(
            state,
            viewer,
            &record(la, &stored),
            &format!("{}/self-evaluation/{}/{version}", la.la_code, year.label()),
            Some(&la.la_code),
        )
        .await?;
    }
    Ok(stored)
}

/// Whether the viewer may open the LA's case audits a version cites.
pub(super) fn audits_readable(viewer: &Viewer, la: &LocalAuthority) -> bool {
    let audits = Record::CaseAudit {
        la: &la.la_code,
        region: &la.region,
        notification_week: false,
    };
    authorize(viewer.principal(), Action::Read, &audits).is_ok()
}

/// Whether the viewer may read the LA's versions at `stage`.
pub(crate) fn may_read_stage(
    viewer: &Viewer,
    la: &LocalAuthority,
    stage: ilacs_domain::access::SefStage,
) -> bool {
    let record = Record::SelfEvaluation {
        la: &la.la_code,
        region: &la.region,
        stage,
    };
    authorize(viewer.principal(), Action::Read, &record).is_ok()
}
