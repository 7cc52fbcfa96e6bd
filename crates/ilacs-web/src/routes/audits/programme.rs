//! The monthly audit programme: the lists it is planned from (open cases, pasted from a
//! case management system's CSV export, and auditors, edited as CSV text), the month's
//! proposal and its confirmation, and a confirmed month's progress.
//!
//! Pasted text, not a file upload: the CSRF check reads URL-encoded forms only, and a
//! textarea works in every browser without JavaScript.
//!
//! A confirmed month is not planned again: it records what each auditor was asked to
//! do, and "overdue" is measured against it. An auditor away or a case closed is handled
//! by next month's plan (and the overdue list says what was missed).

use super::{authority, rules};
use crate::access_log::log_read;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::audit::{
    programme_status, propose_programme, AuditLogEntry, AuditMonth, ItemState, ProgrammeItem,
    Proposal,
};
use ilacs_domain::authority::LocalAuthority;
use ilacs_import::{read_open_cases, read_programme_auditors, write_programme_auditors, ListError};
use ilacs_store::{ConfirmedProgramme, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};

fn record(la: &LocalAuthority) -> Record<'_> {
    Record::AuditProgramme { la: &la.la_code }
}

/// Checks the viewer may do `action` to the LA's programme. Another LA's staff get "not
/// found": the programme is not theirs to know about.
fn allow(
    viewer: &Viewer,
    action: Action,
    la: &LocalAuthority,
    path: &str,
) -> Result<(), PageError> {
    authorize(viewer.principal(), action, &record(la)).map_err(|denied| {
        match viewer.principal().and_then(|p| p.scope().la()) {
            Some(own) if *own != la.la_code => PageError::NotFound,
            _ => PageError::denied(denied, path),
        }
    })
}

async fn log(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    key: &str,
) -> Result<(), PageError> {
    Ok(log_read(
        state,
        viewer,
        &record(la),
        &format!("{}/audits/programme{key}", la.la_code),
        Some(&la.la_code),
    )
    .await?)
}

fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/audits/programme", la.gss_code)
}

fn la_view(la: &LocalAuthority) -> Value {
    json!({"code": la.gss_code.as_str(), "name": la.name})
}

/// Which proposal a confirmation was made from: FNV-1a over its assignments. Confirming
/// a proposal that has changed since the page was read (the lists or audits changed) is
/// refused, so what is stored is what was shown.
fn fingerprint(proposal: &Proposal) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for item in &proposal.items {
        let text = format!("{}\u{1f}{}\u{1e}", item.auditor, item.child);
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Audits before the month starts: what the month is planned from (audits after it,
/// for a month planned late, are not history it could have known).
fn history(log: &[AuditLogEntry], month: AuditMonth) -> Vec<AuditLogEntry> {
    log.iter()
        .filter(|e| e.date < month.first_day())
        .cloned()
        .collect()
}

fn why(item: &ProgrammeItem) -> Value {
    match item.last_audited {
        Some(date) => json!({"last_audited": date.to_string()}),
        None => json!({"last_audited": null}),
    }
}

fn item_view(item: &ProgrammeItem) -> Value {
    json!({
        "month": item.month.key(),
        "month_label": item.month.to_string(),
        "auditor": item.auditor.as_str(),
        "child": item.child.as_str(),
        "team": item.team.as_str(),
        "case_type": item.case_type.label(),
        "why": why(item),
    })
}

fn state_view(item: &ProgrammeItem, state: &ItemState) -> Value {
    let mut view = item_view(item);
    let extra = match state {
        ItemState::Done { on } => json!({"state": "done", "date": on.to_string()}),
        ItemState::Due { due } => json!({"state": "due", "date": due.to_string()}),
        ItemState::Overdue { due, days_overdue } => {
            json!({"state": "overdue", "date": due.to_string(), "days_overdue": days_overdue})
        }
    };
    if let (Value::Object(view), Value::Object(extra)) = (&mut view, extra) {
        view.extend(extra);
    }
    view
}

#[derive(Debug, Deserialize)]
pub(crate) struct MonthQuery {
    month: Option<String>,
}

fn parse_month(state: &AppState, text: Option<&str>) -> Result<AuditMonth, PageError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(AuditMonth::containing(state.today())),
        Some(text) => AuditMonth::parse(text).map_err(|e| PageError::BadRequest(e.to_string())),
    }
}

/// Renders the programme page for a month, with `errors` from a refused confirmation.
async fn render_programme(
    state: &AppState,
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    month: AuditMonth,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let today = state.today();
    let rules = &rules().programme;
    let inputs = state.store.programme_inputs(&la.la_code).await?;
    let audit_log = state.store.audit_log(&la.la_code).await?;
    let programmes = state.store.programmes(&la.la_code).await?;
    let confirmed: Option<&ConfirmedProgramme> = programmes.iter().find(|p| p.month == month);

    let confirmed_view = confirmed.map(|p| {
        let status = programme_status(&p.items, &audit_log, today, rules);
        let count = |key: &str| status.iter().filter(|(_, s)| s.key() == key).count();
        json!({
            "by": p.confirmed.by,
            "due": rules.due_date(month).to_string(),
            "counts": {"done": count("done"), "due": count("due"), "overdue": count("overdue")},
            "items": status.iter().map(|(i, s)| state_view(i, s)).collect::<Vec<_>>(),
        })
    });
    let earlier: Vec<ProgrammeItem> = programmes
        .iter()
        .filter(|p| p.month < month)
        .flat_map(|p| p.items.iter().cloned())
        .collect();
    let earlier_overdue: Vec<Value> = programme_status(&earlier, &audit_log, today, rules)
        .iter()
        .filter(|(_, s)| matches!(s, ItemState::Overdue { .. }))
        .map(|(i, s)| state_view(i, s))
        .collect();

    let proposal_view = match confirmed {
        Some(_) => Value::Null,
        None => {
            let proposal = propose_programme(
                month,
                &inputs.auditors,
                &inputs.open_cases,
                &history(&audit_log, month),
                rules,
                month.programme_seed(),
            )
            .map_err(|e| PageError::Internal(e.to_string()))?;
            let by_auditor: Vec<Value> = inputs
                .auditors
                .iter()
                .map(|a| {
                    let cases: Vec<Value> = proposal
                        .items
                        .iter()
                        .filter(|i| i.auditor == a.auditor)
                        .map(item_view)
                        .collect();
                    json!({
                        "auditor": a.auditor.as_str(),
                        "team": a.team.as_str(),
                        "wanted": a.cases.unwrap_or(rules.cases_per_auditor),
                        "cases": cases,
                    })
                })
                .collect();
            json!({
                "items": proposal.items.len(),
                "auditors": by_auditor,
                "shortfalls": proposal.shortfalls.iter().map(|s| s.message(rules)).collect::<Vec<_>>(),
                "fingerprint": fingerprint(&proposal),
            })
        }
    };
    let can_write = allow(viewer, Action::Write, la, "").is_ok();
    let html = PageFrame {
        viewer,
        csrf,
        current_nav: "audits",
    }
    .render(
        "audit_programme.html",
        &format!("Audit programme for {month} – {}", la.name),
        json!({
            "la": la_view(la),
            "errors": errors,
            "month": {"key": month.key(), "label": month.to_string()},
            "previous": {"key": month.previous().key(), "label": month.previous().to_string()},
            "next": {"key": month.next().key(), "label": month.next().to_string()},
            "can_write": can_write,
            "inputs": {
                "cases": inputs.open_cases.len(),
                "auditors": inputs.auditors.len(),
            },
            "rules": {
                "cases_per_auditor": rules.cases_per_auditor,
                "other_team_only": rules.other_team_only,
                "no_repeat_months": rules.no_repeat_months,
            },
            "confirmed": confirmed_view,
            "proposal": proposal_view,
            "earlier_overdue": earlier_overdue,
        }),
    )?;
    Ok((status, html).into_response())
}

pub(crate) async fn programme_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Read, &la, &base(&la))?;
    let month = parse_month(&state, query.month.as_deref())?;
    log(&state, &viewer, &la, &format!("/{}", month.key())).await?;
    render_programme(
        &state,
        &viewer,
        &csrf,
        &la,
        month,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ConfirmForm {
    month: String,
    #[serde(default)]
    fingerprint: String,
}

pub(crate) async fn confirm(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Write, &la, &base(&la))?;
    let month = parse_month(&state, Some(&form.month))?;
    let actor = viewer.actor()?.to_string();
    let rules = &rules().programme;
    let inputs = state.store.programme_inputs(&la.la_code).await?;
    let audit_log = state.store.audit_log(&la.la_code).await?;
    let proposal = propose_programme(
        month,
        &inputs.auditors,
        &inputs.open_cases,
        &history(&audit_log, month),
        rules,
        month.programme_seed(),
    )
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let refuse = |message: String, status| {
        let errors = vec![json!({"field": "confirm", "message": message})];
        render_programme(&state, &viewer, &csrf, &la, month, errors, status)
    };
    if form.fingerprint != fingerprint(&proposal) {
        return refuse(
            "The proposal changed after you opened the page (the open cases, the auditors or the audits changed). Nothing has been confirmed: check the proposal below and confirm it again.".into(),
            StatusCode::CONFLICT,
        )
        .await;
    }
    match state
        .store
        .confirm_programme(&la.la_code, month, &proposal.items, &actor)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?month={}", base(&la), month.key())).into_response()),
        Err(StoreError::Duplicate(_)) => {
            refuse(
                format!("The programme for {month} has been confirmed already. A confirmed month is not planned again: plan next month instead."),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(StoreError::Invalid(message)) => refuse(message, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(e.into()),
    }
}

// The lists ------------------------------------------------------------------------------

/// Which list a page edits.
#[derive(Clone, Copy)]
enum List {
    OpenCases,
    Auditors,
}

impl List {
    fn field(self) -> &'static str {
        match self {
            List::OpenCases => "cases",
            List::Auditors => "auditors",
        }
    }
}

/// A list the store did not take: the text as pasted, to correct, and why.
struct Refused {
    text: String,
    errors: Vec<Value>,
}

async fn render_list(
    state: &AppState,
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    list: List,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    let (status, text, errors) = match refused {
        Some(r) => (StatusCode::UNPROCESSABLE_ENTITY, Some(r.text), r.errors),
        None => (StatusCode::OK, None, Vec::new()),
    };
    let inputs = state.store.programme_inputs(&la.la_code).await?;
    let can_write = allow(viewer, Action::Write, la, "").is_ok();
    let frame = PageFrame {
        viewer,
        csrf,
        current_nav: "audits",
    };
    let (template, title, data) = match list {
        List::OpenCases => (
            "audit_programme_cases.html",
            "Open cases",
            json!({
                "cases": inputs.open_cases.iter().map(|c| json!({
                    "child": c.child.as_str(), "team": c.team.as_str(), "case_type": c.case_type.label(),
                })).collect::<Vec<_>>(),
                "updated": inputs.open_cases_updated.map(|c| c.by),
                "text": text.unwrap_or_default(),
            }),
        ),
        List::Auditors => (
            "audit_programme_auditors.html",
            "Auditors",
            json!({
                "auditors": inputs.auditors.iter().map(|a| json!({
                    "auditor": a.auditor.as_str(), "team": a.team.as_str(), "cases": a.cases,
                })).collect::<Vec<_>>(),
                "updated": inputs.auditors_updated.map(|c| c.by),
                "text": text.unwrap_or_else(|| write_programme_auditors(&inputs.auditors)),
                "cases_per_auditor": rules().programme.cases_per_auditor,
            }),
        ),
    };
    let mut data = data;
    if let Value::Object(map) = &mut data {
        map.insert("la".into(), la_view(la));
        map.insert("errors".into(), json!(errors));
        map.insert("can_write".into(), json!(can_write));
        map.insert("field".into(), json!(list.field()));
    }
    let html = frame.render(template, &format!("{title} – {}", la.name), data)?;
    Ok((status, html).into_response())
}

async fn show_list(
    state: AppState,
    viewer: Viewer,
    csrf: CsrfToken,
    code: String,
    list: List,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let path = format!("{}/{}", base(&la), list.field());
    allow(&viewer, Action::Read, &la, &path)?;
    log(&state, &viewer, &la, &format!("/{}", list.field())).await?;
    render_list(&state, &viewer, &csrf, &la, list, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListForm {
    #[serde(default)]
    csv: String,
}

async fn replace_list(
    state: AppState,
    viewer: Viewer,
    csrf: CsrfToken,
    code: String,
    list: List,
    text: String,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let path = format!("{}/{}", base(&la), list.field());
    allow(&viewer, Action::Write, &la, &path)?;
    let actor = viewer.actor()?.to_string();
    // The reader's problems (each with its line and column) or the store's refusal are
    // shown on the form with the text as pasted; nothing is replaced.
    let refused = match list {
        List::OpenCases => match read_open_cases(&text) {
            Ok(cases) => refusal(
                state
                    .store
                    .replace_open_cases(&la.la_code, &cases, &actor)
                    .await,
            )?,
            Err(e) => list_messages(&e),
        },
        List::Auditors => match read_programme_auditors(&text) {
            Ok(auditors) => refusal(
                state
                    .store
                    .replace_programme_auditors(&la.la_code, &auditors, &actor)
                    .await,
            )?,
            Err(e) => list_messages(&e),
        },
    };
    if refused.is_empty() {
        return Ok(Redirect::to(&path).into_response());
    }
    let errors = refused
        .into_iter()
        .map(|m| json!({"field": list.field(), "message": m}))
        .collect();
    let refused = Refused { text, errors };
    render_list(&state, &viewer, &csrf, &la, list, Some(refused)).await
}

/// A store's refusal to show on the form; faults stay errors.
fn refusal(result: Result<(), StoreError>) -> Result<Vec<String>, PageError> {
    match result {
        Ok(()) => Ok(Vec::new()),
        Err(StoreError::Invalid(message)) => Ok(vec![message]),
        Err(e) => Err(e.into()),
    }
}

fn list_messages(error: &ListError) -> Vec<String> {
    let mut messages: Vec<String> = error.problems.iter().map(|p| p.to_string()).collect();
    if error.total > error.problems.len() {
        messages.push(format!(
            "And {} more problems: fix these and load the list again to see them",
            error.total - error.problems.len()
        ));
    }
    messages
}

pub(crate) async fn cases_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    show_list(state, viewer, csrf, code, List::OpenCases).await
}

pub(crate) async fn auditors_page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    show_list(state, viewer, csrf, code, List::Auditors).await
}

pub(crate) async fn load_cases(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(form): Form<ListForm>,
) -> Result<Response, PageError> {
    replace_list(state, viewer, csrf, code, List::OpenCases, form.csv).await
}

pub(crate) async fn save_auditors(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(form): Form<ListForm>,
) -> Result<Response, PageError> {
    replace_list(state, viewer, csrf, code, List::Auditors, form.csv).await
}
