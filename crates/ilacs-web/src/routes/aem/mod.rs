//! Annual engagement meetings: the region's Ofsted team plans them, records them with
//! their agenda, notes and outcomes, and drafts and issues the letter to the DCS; the
//! LA's leaders read the issued letter. Never published: every read is logged, and a
//! meeting or letter the viewer may not read is "not found" to them.
//!
//! - `pages`: the region's plan, an LA's meetings, one meeting, and the regions compared;
//! - `forms`: planning, recording, the agenda and the outcomes;
//! - `letter`: the letter's draft, issue and download, and the API.

mod forms;
mod letter;
mod pages;

pub(crate) use forms::{
    agenda_form, outcomes_form, plan, record_form, save_agenda, save_outcomes, save_record,
};
pub(crate) use letter::{api_letters, download, issue, letter_page, save_letter};
pub(crate) use pages::{consistency, la_meetings, region_plan, show};

use super::authority;
use crate::access_log::log_read;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::aem::{AemRules, LetterTemplate};
use ilacs_domain::authority::LocalAuthority;
use ilacs_store::{StoreError, StoredMeeting};
use std::collections::HashMap;

pub(super) fn rules() -> &'static AemRules {
    crate::exports::aem_rules()
}

pub(super) fn template() -> &'static LetterTemplate {
    static T: std::sync::OnceLock<LetterTemplate> = std::sync::OnceLock::new();
    T.get_or_init(LetterTemplate::bundled)
}

pub(super) fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/annual-engagement", la.gss_code)
}

pub(super) fn meeting_path(la: &LocalAuthority, id: i64) -> String {
    format!("{}/{id}", base(la))
}

/// Which part of a meeting a page shows: Ofsted's record, or the letter (with the
/// outcomes it reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Meeting,
    Letter,
}

pub(super) fn record<'a>(la: &'a LocalAuthority, stored: &StoredMeeting, part: Part) -> Record<'a> {
    match part {
        Part::Meeting => Record::AemMeeting {
            la: &la.la_code,
            region: &la.region,
        },
        Part::Letter => Record::AemLetter {
            la: &la.la_code,
            region: &la.region,
            issued: stored.meeting.is_issued(),
        },
    }
}

/// The record for any meeting of the LA: what planning one needs.
pub(super) fn any_meeting(la: &LocalAuthority) -> Record<'_> {
    Record::AemMeeting {
        la: &la.la_code,
        region: &la.region,
    }
}

/// A meeting of the LA the viewer may do `action` to (on `part`), with the read logged.
/// One the viewer may not read is "not found" to them, so its existence is not
/// revealed; anonymous visitors are sent to sign in.
pub(super) async fn meeting(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    id: i64,
    part: Part,
    action: Action,
) -> Result<StoredMeeting, PageError> {
    let path = meeting_path(la, id);
    let stored = state
        .store
        .aem_meeting(id)
        .await?
        .filter(|m| m.meeting.la() == &la.la_code)
        .ok_or(PageError::NotFound)?;
    let record = record(la, &stored, part);
    if authorize(viewer.principal(), Action::Read, &record).is_err() {
        return Err(match viewer.signed_in() {
            None => PageError::SignInRequired { next: path },
            Some(_) => PageError::NotFound,
        });
    }
    authorize(viewer.principal(), action, &record).map_err(|d| PageError::denied(d, &path))?;
    log_read(
        state,
        viewer,
        &record,
        &format!("{}/annual-engagement/{id}", la.la_code),
        Some(&la.la_code),
    )
    .await?;
    Ok(stored)
}

/// Saves a changed meeting. `Ok(Some(message))` is a refusal to show on the form
/// (someone saved since it was opened, or the change is not allowed).
pub(super) async fn save(
    state: &AppState,
    viewer: &Viewer,
    stored: &StoredMeeting,
    meeting: &ilacs_domain::aem::Meeting,
    row_version: i64,
) -> Result<Option<String>, PageError> {
    let actor = viewer.actor()?.clone();
    match state
        .store
        .save_aem_meeting(stored.id, meeting, row_version, actor.as_str())
        .await
    {
        Ok(_) => Ok(None),
        Err(StoreError::Conflict(message)) | Err(StoreError::Invalid(message)) => Ok(Some(message)),
        Err(e) => Err(e.into()),
    }
}
