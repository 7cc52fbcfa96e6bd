//! Writing a self-evaluation: starting a version, answering a section's questions, and
//! moving a version through its stages.

use super::pages::transition_key;
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::access::SefStage;

use ilacs_domain::self_evaluation::{
    new_version_from, next_year_from, Citation, CitationKind, FinancialYear, NewCitation,
    NewParagraph, Paragraph, Question, SectionKey, SelfEvaluation, Transition,
};
use ilacs_store::StoreError;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Paragraph blocks the form offers per question, beyond those already written.
const SPARE_PARAGRAPHS: usize = 1;
const MIN_PARAGRAPHS: usize = 2;

/// Evidence other than audits that a paragraph may cite from this form.
pub(super) const OTHER_EVIDENCE: [CitationKind; 5] = [
    CitationKind::StaffSurvey,
    CitationKind::MultiAgencyReview,
    CitationKind::Complaints,
    CitationKind::PracticeReview,
    CitationKind::Feedback,
];

/// The numbers of the case audits a paragraph cites.
fn cited_audits(p: &Paragraph) -> Vec<i64> {
    p.evidence()
        .iter()
        .filter_map(|e| match e.citation() {
            Citation::Audits { audits } => Some(audits.iter().map(|a| a.get()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Starts a year's self-evaluation (this year's unless the form names one), or a new
/// draft version of it after sign-off. A new year carries last year's signed-off
/// findings and open plan actions forward, so progress can be followed year on year.
pub(crate) async fn start(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let draft = Record::SelfEvaluation {
        la: &la.la_code,
        region: &la.region,
        stage: SefStage::Draft,
    };
    authorize(viewer.principal(), Action::Write, &draft)
        .map_err(|d| PageError::denied(d, &base(&la)))?;
    let year = match fields.iter().find(|(k, _)| k == "year") {
        Some((_, y)) => FinancialYear::parse(y)
            .map_err(|_| PageError::BadRequest(format!("'{y}' is not a year such as 2026-27.")))?,
        None => FinancialYear::containing(state.today()),
    };
    let latest = state.store.self_evaluation(&la.la_code, year, None).await?;
    let sef = match &latest {
        Some(existing) if existing.sef.is_draft() => {
            return Ok(
                Redirect::to(&version_path(&la, year, existing.sef.version())).into_response(),
            )
        }
        Some(existing) => new_version_from(&existing.sef),
        None => {
            let last_year = match year.previous() {
                Some(previous) => {
                    state
                        .store
                        .self_evaluation(&la.la_code, previous, None)
                        .await?
                }
                None => None,
            };
            match last_year.filter(|l| !l.sef.is_draft()) {
                Some(last) => next_year_from(&last.sef, &state.catalogue, structure()),
                None => {
                    SelfEvaluation::new(la.la_code.clone(), year, &state.catalogue, structure())
                }
            }
            .map_err(|e| PageError::Internal(e.to_string()))?
        }
    };
    let actor = viewer.actor()?.clone();
    let created = match state
        .store
        .create_self_evaluation(&sef, actor.as_str())
        .await
    {
        Ok(c) => c,
        // Someone else started it a moment ago: theirs is the one to work on.
        Err(StoreError::Duplicate(_)) => state
            .store
            .self_evaluation(&la.la_code, year, None)
            .await?
            .ok_or(PageError::NotFound)?,
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&version_path(&la, year, created.sef.version())).into_response())
}

/// The form's blocks for one question: what is written, then spares.
fn blocks(paragraphs: &[Paragraph]) -> Vec<Value> {
    let mut out: Vec<Value> = paragraphs.iter().map(shown_block).collect();
    let wanted = (out.len() + SPARE_PARAGRAPHS).max(MIN_PARAGRAPHS);
    out.resize(wanted, empty_block());
    out
}

/// A blank paragraph block, as a form shows it.
pub(super) fn empty_block() -> Value {
    json!({"text": "", "audits": "", "other_kind": "", "other_label": ""})
}

/// A written paragraph as its form block shows it, to change it.
pub(super) fn shown_block(p: &Paragraph) -> Value {
    let form = NewParagraph::from(p);
    let audits = form
        .citations
        .iter()
        .find(|c| c.kind == "audits")
        .map(|c| c.reference.clone())
        .unwrap_or_default();
    let other = form.citations.iter().find(|c| c.kind != "audits");
    json!({
        "text": form.text,
        "audits": audits,
        "other_kind": other.map(|c| c.kind.clone()).unwrap_or_default(),
        "other_label": other.map(|c| c.label.clone()).unwrap_or_default(),
    })
}

struct AnswerPage<'a> {
    la: &'a LocalAuthority,
    sef: &'a SelfEvaluation,
    key: &'a SectionKey,
    row_version: i64,
}

fn render_answers(
    viewer: &Viewer,
    csrf: &CsrfToken,
    page: AnswerPage<'_>,
    values: HashMap<Question, Vec<Value>>,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let section = page.sef.section(page.key).ok_or(PageError::NotFound)?;
    let path = version_path(page.la, page.sef.year(), page.sef.version());
    let html = PageFrame { viewer, csrf, current_nav: "self-evaluation" }.render(
        "sef_section.html",
        section.title(),
        json!({
            "la": {"code": page.la.gss_code.as_str(), "name": page.la.name},
            "path": path,
            "action": format!("{path}/sections/{}", page.key),
            "title": section.title(),
            "year": page.sef.year().label(),
            "row_version": page.row_version,
            "other_kinds": OTHER_EVIDENCE.iter().map(|k| json!({"key": k.key(), "label": k.label()})).collect::<Vec<_>>(),
            "questions": Question::ALL.iter().map(|q| {
                let text = questions().get(*q);
                json!({
                    "key": q.key(),
                    "text": text.text,
                    "guidance": text.guidance,
                    "blocks": values.get(q).cloned().unwrap_or_default(),
                })
            }).collect::<Vec<_>>(),
            "errors": errors,
        }),
    )?;
    Ok((status, html).into_response())
}

pub(super) async fn editable(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    year: &str,
    number: u32,
) -> Result<ilacs_store::StoredSef, PageError> {
    let stored = version(state, viewer, la, year, number, Action::Write).await?;
    if !stored.sef.is_draft() {
        return Err(PageError::BadRequest(
            "This version has been signed off, so it cannot change. Start a new version from the self-evaluation's page to make changes.".into(),
        ));
    }
    Ok(stored)
}

pub(crate) async fn answer_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, key)): Path<(String, String, u32, String)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let key = SectionKey::parse(&key).map_err(|_| PageError::NotFound)?;
    let section = stored.sef.section(&key).ok_or(PageError::NotFound)?;
    let values: HashMap<Question, Vec<Value>> = Question::ALL
        .iter()
        .map(|q| (*q, blocks(section.answer(*q))))
        .collect();
    let page = AnswerPage {
        la: &la,
        sef: &stored.sef,
        key: &key,
        row_version: stored.row_version,
    };
    render_answers(&viewer, &csrf, page, values, vec![], StatusCode::OK)
}

/// Saves a changed draft. `Ok(Some(message))` is a refusal to show on the form (someone
/// saved since it was opened, or the change is not allowed); nothing is lost.
pub(super) async fn save(
    state: &AppState,
    viewer: &Viewer,
    sef: &SelfEvaluation,
    row_version: i64,
) -> Result<Option<String>, PageError> {
    let actor = viewer.actor()?.clone();
    match state
        .store
        .save_self_evaluation(sef, row_version, actor.as_str())
        .await
    {
        Ok(_) => Ok(None),
        Err(StoreError::Conflict(message)) | Err(StoreError::Invalid(message)) => Ok(Some(message)),
        Err(e) => Err(e.into()),
    }
}

/// One paragraph block of a form: its text and the evidence it cites, named
/// `{prefix}.text`, `{prefix}.audits`, `{prefix}.other_kind` and `{prefix}.other_label`.
pub(super) struct Block {
    /// What was typed, to show again.
    pub(super) shown: Value,
    /// The paragraph, if the block was filled in and is valid.
    pub(super) paragraph: Option<Paragraph>,
    pub(super) errors: Vec<Value>,
}

pub(super) async fn read_block(
    state: &AppState,
    la: &LocalAuthority,
    map: &HashMap<&str, &str>,
    prefix: &str,
) -> Result<Block, PageError> {
    let field = |name: &str| {
        map.get(format!("{prefix}.{name}").as_str())
            .copied()
            .unwrap_or("")
            .to_string()
    };
    let (text, audits, other_kind, other_label) = (
        field("text"),
        field("audits"),
        field("other_kind"),
        field("other_label"),
    );
    let shown = json!({"text": text, "audits": audits, "other_kind": other_kind, "other_label": other_label});
    let mut block = Block {
        shown,
        paragraph: None,
        errors: Vec::new(),
    };
    if text.is_empty() && audits.is_empty() && other_kind.is_empty() {
        return Ok(block);
    }
    let mut citations = Vec::new();
    if !audits.is_empty() {
        citations.push(NewCitation {
            kind: "audits".into(),
            reference: audits.clone(),
            period: String::new(),
            label: String::new(),
        });
    }
    if !other_kind.is_empty() {
        citations.push(NewCitation {
            kind: other_kind,
            reference: String::new(),
            period: String::new(),
            label: other_label,
        });
    }
    let audits_field = format!("{prefix}.audits");
    match (NewParagraph { text, citations }).parse() {
        Ok(p) => {
            // Every audit cited must be one of this LA's: a citation to anything else
            // would show a reader what they may not see.
            for audit in cited_audits(&p) {
                if state.store.audit(&la.la_code, audit).await?.is_none() {
                    let message = format!(
                        "There is no case audit {audit} in {}: check the number",
                        la.name
                    );
                    block
                        .errors
                        .push(json!({"field": audits_field, "message": message}));
                }
            }
            block.paragraph = Some(p);
        }
        Err(problems) => {
            for e in problems.iter() {
                let field = if e.field.starts_with("citations.0") && !audits.is_empty() {
                    audits_field.clone()
                } else if e.field.starts_with("citations") {
                    format!("{prefix}.other_kind")
                } else {
                    format!("{prefix}.text")
                };
                block
                    .errors
                    .push(json!({"field": field, "message": e.message}));
            }
        }
    }
    Ok(block)
}

pub(crate) async fn save_answers(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, year, number, key)): Path<(String, String, u32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = editable(&state, &viewer, &la, &year, number).await?;
    let key = SectionKey::parse(&key).map_err(|_| PageError::NotFound)?;
    stored.sef.section(&key).ok_or(PageError::NotFound)?;
    let map = posted::trimmed_fields(&fields);
    let row_version = posted::row_version(&map)?;

    let mut sef = stored.sef.clone();
    let mut errors = Vec::new();
    let mut values = HashMap::new();
    for q in Question::ALL {
        let mut shown = Vec::new();
        let mut paragraphs = Vec::new();
        let mut i = 0;
        while map.contains_key(format!("{}.{i}.text", q.key()).as_str()) {
            let block = read_block(&state, &la, &map, &format!("{}.{i}", q.key())).await?;
            shown.push(block.shown);
            errors.extend(block.errors);
            paragraphs.extend(block.paragraph);
            i += 1;
        }
        values.insert(q, shown);
        if errors.is_empty() {
            sef.set_answer(&key, q, paragraphs)
                .map_err(|e| PageError::BadRequest(e.to_string()))?;
        }
    }
    let page = AnswerPage {
        la: &la,
        sef: &stored.sef,
        key: &key,
        row_version,
    };
    if !errors.is_empty() {
        return render_answers(
            &viewer,
            &csrf,
            page,
            values,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match save(&state, &viewer, &sef, row_version).await? {
        None => Ok(Redirect::to(&version_path(&la, sef.year(), sef.version())).into_response()),
        Some(message) => {
            let field = format!("{}.0.text", Question::WhatYouKnow.key());
            let errors = vec![json!({"field": field, "message": message})];
            render_answers(&viewer, &csrf, page, values, errors, StatusCode::CONFLICT)
        }
    }
}

/// Moves a version to its next stage: signed off, shared with Ofsted, shared with the
/// alliance, published. Each is the LA's decision, recorded with who and when.
pub(crate) async fn advance(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((code, year, number)): Path<(String, String, u32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = version(&state, &viewer, &la, &year, number, Action::Decide).await?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let wanted = Transition::ALL
        .into_iter()
        .find(|t| transition_key(*t) == field("transition"))
        .ok_or_else(|| PageError::BadRequest("Choose what to do with this version.".into()))?;
    let row_version: i64 = field("row_version").parse().map_err(|_| {
        PageError::BadRequest(
            "The form is missing its version. Open the self-evaluation again.".into(),
        )
    })?;
    let mut sef = stored.sef.clone();
    let actor = viewer.actor()?.clone();
    sef.advance(wanted, actor.clone(), chrono::Utc::now())
        .map_err(|e| PageError::BadRequest(format!("{e}.")))?;
    match state
        .store
        .save_self_evaluation(&sef, row_version, actor.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&version_path(&la, sef.year(), sef.version())).into_response()),
        Err(StoreError::Conflict(message)) => Err(PageError::BadRequest(message)),
        Err(e) => Err(e.into()),
    }
}
