//! The letter to the DCS: drafted from the record, edited and issued once by the
//! region's Ofsted team; read (and downloaded as a tagged PDF) by Ofsted and, once
//! issued, by the LA's leaders; listed by the API for those who may read it.

use super::pages::meeting_json;
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::error::ApiError;
use crate::exports::{aem_letter_document, aem_letter_file_name, ExportFormat};
use crate::routes::api_authority;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use ilacs_domain::aem::NewLetter;
use serde_json::{json, Value};

fn letter_path(la: &LocalAuthority, id: i64) -> String {
    format!("{}/letter", meeting_path(la, id))
}

struct LetterPage<'a> {
    state: &'a AppState,
    viewer: &'a Viewer,
    csrf: &'a CsrfToken,
    la: &'a LocalAuthority,
    stored: &'a StoredMeeting,
}

impl LetterPage<'_> {
    /// The letter: a form while the viewer may still change it, else to read.
    fn render(
        &self,
        form: Option<(String, String)>,
        errors: Vec<Value>,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        let m = &self.stored.meeting;
        let can_write = authorize(
            self.viewer.principal(),
            Action::Write,
            &record(self.la, self.stored, Part::Letter),
        )
        .is_ok();
        let editing = can_write && !m.is_issued() && m.held().is_some();
        let form = form.or_else(|| {
            m.letter()
                .map(|l| (l.subject.clone(), l.text.clone()))
                .or_else(|| {
                    template()
                        .draft(m, &self.la.name, self.state.catalogue.themes())
                        .map(|d| (d.subject, d.text))
                })
        });
        let ofsted = authorize(
            self.viewer.principal(),
            Action::Read,
            &record(self.la, self.stored, Part::Meeting),
        )
        .is_ok();
        let html = PageFrame {
            viewer: self.viewer,
            csrf: self.csrf,
            current_nav: "annual-engagement",
        }
        .render(
            "aem_letter.html",
            &format!("Annual engagement meeting letter – {}", self.la.name),
            json!({
                "m": meeting_json(&self.state.catalogue, self.la, self.stored, self.state.today()),
                "path": letter_path(self.la, self.stored.id),
                "meeting_path": meeting_path(self.la, self.stored.id),
                "la_path": base(self.la),
                "ofsted": ofsted,
                "editing": editing,
                "can_issue": editing && m.letter().is_some(),
                "form": form.map(|(subject, text)| json!({"subject": subject, "text": text})),
                "row_version": self.stored.row_version,
                "errors": errors,
            }),
        )?;
        Ok((status, html).into_response())
    }
}

pub(crate) async fn letter_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Letter, Action::Read).await?;
    LetterPage {
        state: &state,
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        stored: &stored,
    }
    .render(None, vec![], StatusCode::OK)
}

/// Saves the draft; `redraft` refills it from the record instead (not saved).
pub(crate) async fn save_letter(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Letter, Action::Write).await?;
    let map = posted::fields(&fields);
    let version = posted::row_version(&map)?;
    let page = LetterPage {
        state: &state,
        viewer: &viewer,
        csrf: &csrf,
        la: &la,
        stored: &stored,
    };
    if map.get("action") == Some(&"redraft") {
        let draft = template()
            .draft(&stored.meeting, &la.name, state.catalogue.themes())
            .map(|d| (d.subject, d.text));
        return page.render(draft, vec![], StatusCode::OK);
    }
    let form = NewLetter {
        subject: map.get("subject").copied().unwrap_or("").to_string(),
        text: map.get("text").copied().unwrap_or("").to_string(),
    };
    let typed = Some((form.subject.clone(), form.text.clone()));
    let (subject, text) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| json!({"field": e.field, "message": e.message}))
                .collect();
            return page.render(typed, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let mut changed = stored.meeting.clone();
    if let Err(e) = changed.draft_letter(subject, text) {
        let errors = vec![json!({"field": "text", "message": e.to_string()})];
        return page.render(typed, errors, StatusCode::CONFLICT);
    }
    match save(&state, &viewer, &stored, &changed, version).await? {
        None => Ok(Redirect::to(&letter_path(&la, id)).into_response()),
        Some(message) => {
            let errors = vec![json!({"field": "text", "message": message})];
            page.render(typed, errors, StatusCode::CONFLICT)
        }
    }
}

/// Issues the letter as saved: once only, and only the draft the issuer last saw.
pub(crate) async fn issue(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Letter, Action::Write).await?;
    let map = posted::fields(&fields);
    let version = posted::row_version(&map)?;
    let by = viewer.actor()?.clone();
    match state
        .store
        .issue_aem_letter(id, version, state.today(), &by)
        .await
    {
        Ok(_) => Ok(Redirect::to(&letter_path(&la, id)).into_response()),
        Err(StoreError::Invalid(message)) | Err(StoreError::Conflict(message)) => {
            // Show the letter as it now is, with why it was not issued.
            let current = state.store.aem_meeting(id).await?.unwrap_or(stored);
            LetterPage {
                state: &state,
                viewer: &viewer,
                csrf: &csrf,
                la: &la,
                stored: &current,
            }
            .render(
                None,
                vec![json!({"field": "issue", "message": message})],
                StatusCode::CONFLICT,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The letter as a tagged PDF, for whoever may read it.
pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Letter, Action::Read).await?;
    let document = aem_letter_document(&la.name, &stored.meeting).ok_or(PageError::NotFound)?;
    let bytes = tokio::task::spawn_blocking(move || ExportFormat::Pdf.write(&document))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let name = aem_letter_file_name(&la, &stored.meeting);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/v1/local-authorities/{code}/aem-letters`: the letters the caller may read,
/// newest first. 401 anonymous, 403 for a caller who may read none of the LA's letters.
pub(crate) async fn api_letters(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let la = api_authority(&state, &code).await?;
    let issued = Record::AemLetter {
        la: &la.la_code,
        region: &la.region,
        issued: true,
    };
    authorize(viewer.principal(), Action::Read, &issued)?;
    let meetings = state.store.aem_meetings_for_la(&la.la_code).await?;
    let today = state.today();
    let mut out = Vec::new();
    for stored in &meetings {
        let Some(letter) = stored.meeting.letter() else {
            continue;
        };
        let record = record(&la, stored, Part::Letter);
        if authorize(viewer.principal(), Action::Read, &record).is_err() {
            continue;
        }
        log_read(
            &state,
            &viewer,
            &record,
            &format!("{}/annual-engagement/{}/letter", la.la_code, stored.id),
            Some(&la.la_code),
        )
        .await?;
        out.push(json!({
            "meeting_id": stored.id,
            "meeting_date": stored.meeting.date().to_string(),
            "subject": letter.subject,
            "text": letter.text,
            "status": if letter.issued.is_some() { "issued" } else { "draft" },
            "issued_on": letter.issued.as_ref().map(|i| i.on.to_string()),
            "issued_by": letter.issued.as_ref().map(|i| i.by.as_str()),
            "due": stored.meeting.letter_due(rules()).map(|d| d.to_string()),
            "overdue": stored.meeting.letter_overdue(rules(), today),
        }));
    }
    Ok(Json(Value::Array(out)))
}
