//! Planning a meeting, recording it as held, its agenda and notes, and its outcomes.
//! Each form shows every problem at once, linked to its field, and keeps what was
//! typed; a save from a stale page is refused with who changed it.

use super::pages::meeting_json;
use super::*;
use crate::auth::csrf::CsrfToken;
use crate::routes::posted;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::aem::{
    Meeting, NewAgenda, NewAgendaItem, NewLaAttendee, NewOfstedAttendee, NewOutcomes, NewPlan,
    NewRecord, NewStep, OfstedRole, Remit, StepOwner, Venue,
};
use ilacs_domain::audit::FieldErrors;
use serde_json::{json, Value};

fn errors_json(errors: &FieldErrors) -> Vec<Value> {
    errors
        .iter()
        .map(|e| json!({"field": e.field, "message": e.message}))
        .collect()
}

fn uk(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn get(map: &HashMap<&str, &str>, key: &str) -> String {
    map.get(key).copied().unwrap_or("").to_string()
}

/// Rows `{prefix}.{i}.{field}` as posted, in order, while any of their fields is there.
fn rows(map: &HashMap<&str, &str>, prefix: &str, fields: &[&str]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for i in 0.. {
        let keys: Vec<String> = fields.iter().map(|f| format!("{prefix}.{i}.{f}")).collect();
        if !keys.iter().any(|k| map.contains_key(k.as_str())) {
            break;
        }
        out.push(keys.iter().map(|k| get(map, k)).collect());
    }
    out
}

/// What a form page needs besides its own fields.
struct FormPage<'a> {
    viewer: &'a Viewer,
    csrf: &'a CsrfToken,
    state: &'a AppState,
    la: &'a LocalAuthority,
    stored: &'a StoredMeeting,
}

impl FormPage<'_> {
    fn render(
        &self,
        template: &str,
        title: &str,
        mut extra: Value,
        errors: Vec<Value>,
        status: StatusCode,
    ) -> Result<Response, PageError> {
        if let Value::Object(map) = &mut extra {
            map.insert(
                "m".into(),
                meeting_json(
                    &self.state.catalogue,
                    self.la,
                    self.stored,
                    self.state.today(),
                ),
            );
            map.insert("path".into(), json!(meeting_path(self.la, self.stored.id)));
            map.insert("row_version".into(), json!(self.stored.row_version));
            map.insert("errors".into(), json!(errors));
        }
        let html = PageFrame {
            viewer: self.viewer,
            csrf: self.csrf,
            current_nav: "annual-engagement",
        }
        .render(template, title, extra)?;
        Ok((status, html).into_response())
    }
}

/// Plans a meeting for the LA on the date posted (today or later).
pub(crate) async fn plan(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    authorize(viewer.principal(), Action::Write, &any_meeting(&la))
        .map_err(|d| PageError::denied(d, &base(&la)))?;
    let map = posted::fields(&fields);
    let form = NewPlan {
        date: get(&map, "date"),
    };
    let date = match form.parse(state.today()) {
        Ok(date) => date,
        Err(errors) => {
            let html = PageFrame {
                viewer: &viewer,
                csrf: &csrf,
                current_nav: "annual-engagement",
            }
            .render(
                "aem_la.html",
                &format!("Annual engagement meetings – {}", la.name),
                json!({
                    "la": {"code": la.gss_code.as_str(), "name": la.name, "region": la.region.as_str()},
                    "path": base(&la),
                    "ofsted": true,
                    "can_plan": true,
                    "meetings": [],
                    "form": {"date": form.date},
                    "errors": errors_json(&errors),
                }),
            )?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    let meeting = Meeting::plan(la.la_code.clone(), date, state.today(), rules())
        .map_err(|e| PageError::BadRequest(e.to_string()))?;
    let actor = viewer.actor()?.clone();
    let created = state
        .store
        .create_aem_meeting(&meeting, actor.as_str())
        .await?;
    Ok(Redirect::to(&meeting_path(&la, created.id)).into_response())
}

fn record_values(form: &NewRecord) -> Value {
    let mut ofsted: Vec<Value> = form
        .ofsted
        .iter()
        .map(|a| json!({"name": a.name, "role": a.role}))
        .collect();
    ofsted.resize((ofsted.len() + 1).max(3), json!({"name": "", "role": ""}));
    let mut la: Vec<Value> = form
        .la
        .iter()
        .map(|a| json!({"name": a.name, "post": a.post, "purpose": a.purpose}))
        .collect();
    la.resize(
        (la.len() + 1).max(4),
        json!({"name": "", "post": "", "purpose": ""}),
    );
    json!({
        "form": {"date": form.date, "venue": form.venue, "minutes": form.minutes, "remit": form.remit},
        "ofsted_rows": ofsted,
        "la_rows": la,
        "venues": Venue::ALL.iter().map(|v| json!({"key": v.key(), "label": v.label()})).collect::<Vec<_>>(),
        "remits": Remit::ALL.iter().map(|v| json!({"key": v.key(), "label": v.label()})).collect::<Vec<_>>(),
        "roles": OfstedRole::ALL.iter().map(|v| json!({"key": v.key(), "label": v.label()})).collect::<Vec<_>>(),
    })
}

pub(crate) async fn record_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    let form = match stored.meeting.held() {
        Some(h) => NewRecord {
            date: uk(h.date),
            venue: h.venue.key().into(),
            minutes: h.minutes.to_string(),
            remit: h.remit.key().into(),
            ofsted: h
                .ofsted
                .iter()
                .map(|a| NewOfstedAttendee {
                    name: a.name.clone(),
                    role: a.role.key().into(),
                })
                .collect(),
            la: h
                .la
                .iter()
                .map(|a| NewLaAttendee {
                    name: a.name.clone(),
                    post: a.post.clone(),
                    purpose: a.purpose.clone(),
                })
                .collect(),
        },
        None => NewRecord {
            date: uk(stored.meeting.planned()),
            ..NewRecord::default()
        },
    };
    let page = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    };
    page.render(
        "aem_record.html",
        "Record the meeting",
        record_values(&form),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn save_record(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    let map = posted::fields(&fields);
    let version = posted::row_version(&map)?;
    let form = NewRecord {
        date: get(&map, "date"),
        venue: get(&map, "venue"),
        minutes: get(&map, "minutes"),
        remit: get(&map, "remit"),
        ofsted: rows(&map, "ofsted", &["name", "role"])
            .into_iter()
            .map(|r| NewOfstedAttendee {
                name: r[0].clone(),
                role: r[1].clone(),
            })
            .collect(),
        la: rows(&map, "la", &["name", "post", "purpose"])
            .into_iter()
            .map(|r| NewLaAttendee {
                name: r[0].clone(),
                post: r[1].clone(),
                purpose: r[2].clone(),
            })
            .collect(),
    };
    let page = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    };
    let refuse = |errors: Vec<Value>, status| {
        page.render(
            "aem_record.html",
            "Record the meeting",
            record_values(&form),
            errors,
            status,
        )
    };
    let held = match form.parse(state.today(), rules()) {
        Ok(h) => h,
        Err(errors) => return refuse(errors_json(&errors), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut changed = stored.meeting.clone();
    if let Err(e) = changed.record(held, state.today()) {
        return refuse(
            vec![json!({"field": "date", "message": e.to_string()})],
            StatusCode::CONFLICT,
        );
    }
    match save(&state, &viewer, &stored, &changed, version).await? {
        None => Ok(Redirect::to(&meeting_path(&la, id)).into_response()),
        Some(message) => refuse(
            vec![json!({"field": "date", "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}

fn agenda_values(form: &NewAgenda) -> Value {
    let mut items: Vec<Value> = form
        .items
        .iter()
        .map(|i| json!({"standard": i.standard, "title": i.title, "note": i.note}))
        .collect();
    // One spare row to add an item.
    items.push(json!({"standard": "", "title": "", "note": ""}));
    json!({
        "items": items,
        "form": {"sef_year": form.sef_year, "sef_version": form.sef_version},
    })
}

pub(crate) async fn agenda_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    let m = &stored.meeting;
    let form = NewAgenda {
        items: m
            .agenda()
            .iter()
            .map(|i| NewAgendaItem {
                standard: i.standard.clone().unwrap_or_default(),
                title: i.title.clone(),
                note: i.note.clone(),
            })
            .collect(),
        sef_year: m.sef().map(|s| s.year.label()).unwrap_or_default(),
        sef_version: m.sef().map(|s| s.version.to_string()).unwrap_or_default(),
    };
    FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    }
    .render(
        "aem_agenda.html",
        "Agenda and notes",
        agenda_values(&form),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn save_agenda(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    let map = posted::fields(&fields);
    let version = posted::row_version(&map)?;
    let form = NewAgenda {
        items: rows(&map, "items", &["standard", "title", "note"])
            .into_iter()
            .map(|r| NewAgendaItem {
                standard: r[0].clone(),
                title: r[1].clone(),
                note: r[2].clone(),
            })
            .collect(),
        sef_year: get(&map, "sef_year"),
        sef_version: get(&map, "sef_version"),
    };
    let page = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    };
    let refuse = |errors: Vec<Value>, status| {
        page.render(
            "aem_agenda.html",
            "Agenda and notes",
            agenda_values(&form),
            errors,
            status,
        )
    };
    let (items, sef) = match form.parse(rules()) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(errors_json(&errors), StatusCode::UNPROCESSABLE_ENTITY),
    };
    // The version linked must exist for this LA.
    if let Some(link) = &sef {
        let found = state
            .store
            .self_evaluation(&la.la_code, link.year, Some(link.version))
            .await?;
        if found.is_none() {
            let message = format!(
                "{} has no self-evaluation {} version {}: check the year and version",
                la.name,
                link.year.label(),
                link.version
            );
            return refuse(
                vec![json!({"field": "sef_year", "message": message})],
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    }
    let mut changed = stored.meeting.clone();
    let applied = changed
        .set_agenda(items)
        .and_then(|()| changed.link_self_evaluation(sef));
    if let Err(e) = applied {
        return refuse(
            vec![json!({"field": "items.0.title", "message": e.to_string()})],
            StatusCode::CONFLICT,
        );
    }
    match save(&state, &viewer, &stored, &changed, version).await? {
        None => Ok(Redirect::to(&meeting_path(&la, id)).into_response()),
        Some(message) => refuse(
            vec![json!({"field": "items.0.title", "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}

fn outcomes_values(state: &AppState, form: &NewOutcomes) -> Value {
    let mut steps: Vec<Value> = form
        .steps
        .iter()
        .map(|s| json!({"owner": s.owner, "text": s.text, "followed_up": s.followed_up}))
        .collect();
    steps.resize(
        (steps.len() + 1).max(3),
        json!({"owner": "", "text": "", "followed_up": ""}),
    );
    json!({
        "form": {
            "focus_theme": form.focus_theme,
            "focus_reason": form.focus_reason,
            "next_self_evaluation": form.next_self_evaluation,
            "next_meeting": form.next_meeting,
        },
        "steps": steps,
        "themes": state.catalogue.themes().iter().map(|t| json!({"key": t.key, "label": t.name})).collect::<Vec<_>>(),
        "owners": StepOwner::ALL.iter().map(|o| json!({"key": o.key(), "label": o.label()})).collect::<Vec<_>>(),
    })
}

pub(crate) async fn outcomes_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    if stored.meeting.held().is_none() {
        return Ok(Redirect::to(&format!("{}/record", meeting_path(&la, id))).into_response());
    }
    let form = match stored.meeting.outcomes() {
        Some(o) => NewOutcomes {
            focus_theme: o
                .focus
                .as_ref()
                .map(|f| f.theme.clone())
                .unwrap_or_default(),
            focus_reason: o
                .focus
                .as_ref()
                .map(|f| f.reason.clone())
                .unwrap_or_default(),
            next_self_evaluation: o.next_self_evaluation.clone(),
            next_meeting: o.next_meeting.clone(),
            steps: o
                .steps
                .iter()
                .map(|s| NewStep {
                    owner: s.owner.key().into(),
                    text: s.text.clone(),
                    followed_up: s.followed_up.map(uk).unwrap_or_default(),
                })
                .collect(),
        },
        None => NewOutcomes::default(),
    };
    FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    }
    .render(
        "aem_outcomes.html",
        "Outcomes",
        outcomes_values(&state, &form),
        vec![],
        StatusCode::OK,
    )
}

pub(crate) async fn save_outcomes(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Write).await?;
    let map = posted::fields(&fields);
    let version = posted::row_version(&map)?;
    let form = NewOutcomes {
        focus_theme: get(&map, "focus_theme"),
        focus_reason: get(&map, "focus_reason"),
        next_self_evaluation: get(&map, "next_self_evaluation"),
        next_meeting: get(&map, "next_meeting"),
        steps: rows(&map, "steps", &["owner", "text", "followed_up"])
            .into_iter()
            .map(|r| NewStep {
                owner: r[0].clone(),
                text: r[1].clone(),
                followed_up: r[2].clone(),
            })
            .collect(),
    };
    let page = FormPage {
        viewer: &viewer,
        csrf: &csrf,
        state: &state,
        la: &la,
        stored: &stored,
    };
    let refuse = |errors: Vec<Value>, status| {
        page.render(
            "aem_outcomes.html",
            "Outcomes",
            outcomes_values(&state, &form),
            errors,
            status,
        )
    };
    let outcomes = match form.parse(state.catalogue.themes()) {
        Ok(o) => o,
        Err(errors) => return refuse(errors_json(&errors), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut changed = stored.meeting.clone();
    if let Err(e) = changed.set_outcomes(outcomes) {
        return refuse(
            vec![json!({"field": "focus_theme", "message": e.to_string()})],
            StatusCode::CONFLICT,
        );
    }
    match save(&state, &viewer, &stored, &changed, version).await? {
        None => Ok(Redirect::to(&meeting_path(&la, id)).into_response()),
        Some(message) => refuse(
            vec![json!({"field": "focus_theme", "message": message})],
            StatusCode::CONFLICT,
        ),
    }
}
