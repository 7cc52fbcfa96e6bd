//! The region's plan, an LA's meetings, and one meeting.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::views::PageFrame;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use ilacs_domain::aem::{consistency_report, Measure, Meeting, PlanStatus, RegionFigures};
use ilacs_domain::authority::RegionId;
use ilacs_domain::framework::Catalogue;
use serde_json::{json, Value};
use std::collections::HashMap;

fn iso(date: NaiveDate) -> String {
    date.to_string()
}

/// A meeting for templates: dates in ISO (templates format them), labels not keys.
pub(super) fn meeting_json(
    catalogue: &Catalogue,
    la: &LocalAuthority,
    stored: &StoredMeeting,
    today: NaiveDate,
) -> Value {
    let m: &Meeting = &stored.meeting;
    let theme_name = |key: &str| {
        catalogue
            .themes()
            .iter()
            .find(|t| t.key == key)
            .map_or(key.to_string(), |t| t.name.clone())
    };
    json!({
        "id": stored.id,
        "href": meeting_path(la, stored.id),
        "la": {"code": la.gss_code.as_str(), "name": la.name},
        "date": iso(m.date()),
        "planned": iso(m.planned()),
        "year": m.year(),
        "row_version": stored.row_version,
        "held": m.held().map(|h| json!({
            "date": iso(h.date),
            "venue": h.venue.label(),
            "minutes": h.minutes,
            "remit": h.remit.label(),
            "ofsted": h.ofsted.iter().map(|a| json!({"name": a.name, "role": a.role.label()})).collect::<Vec<_>>(),
            "la": h.la.iter().map(|a| json!({"name": a.name, "post": a.post, "purpose": a.purpose})).collect::<Vec<_>>(),
        })),
        "agenda": m.agenda().iter().map(|i| json!({"title": i.title, "note": i.note, "standard": i.standard.is_some()})).collect::<Vec<_>>(),
        "sef": m.sef().map(|s| json!({
            "label": format!("{} version {}", s.year.label(), s.version),
            "href": format!("/local-authorities/{}/self-evaluation/{}/{}", la.gss_code, s.year.label(), s.version),
        })),
        "outcomes": m.outcomes().map(|o| json!({
            "focus": o.focus.as_ref().map(|f| json!({"theme": theme_name(&f.theme), "reason": f.reason})),
            "next_self_evaluation": o.next_self_evaluation,
            "next_meeting": o.next_meeting,
            "steps": o.steps.iter().map(|s| json!({
                "owner": s.owner.label(),
                "text": s.text,
                "followed_up": s.followed_up.map(iso),
            })).collect::<Vec<_>>(),
        })),
        "letter": m.letter().map(|l| json!({
            "subject": l.subject,
            "paragraphs": l.text.split("\n\n").collect::<Vec<_>>(),
            "issued": l.issued.as_ref().map(|i| json!({"on": iso(i.on), "by": i.by.as_str()})),
        })),
        "letter_due": m.letter_due(rules()).map(iso),
        "letter_overdue": m.letter_overdue(rules(), today),
        "issued": m.is_issued(),
    })
}

/// The region's plan: every current LA with its last meeting, whether one is due or
/// overdue, and a proposed date for those without one planned.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct PlanQuery {
    /// `xlsx` downloads the plan.
    format: String,
}

pub(crate) async fn region_plan(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(region): Path<String>,
    axum::extract::Query(query): axum::extract::Query<PlanQuery>,
) -> Result<Response, PageError> {
    let region = RegionId::parse(&region).map_err(|_| PageError::NotFound)?;
    let regions = state.region_names().await?;
    let region_name = regions.get(&region).ok_or(PageError::NotFound)?.clone();
    let path = format!("/regions/{region}/annual-engagement");
    let today = state.today();
    let plan = crate::exports::region_plan(state.store.as_ref(), &region, today)
        .await?
        .ok_or(PageError::NotFound)?;
    let first = &plan[0].la;
    authorize(viewer.principal(), Action::Read, &any_meeting(first))
        .map_err(|d| PageError::denied(d, &path))?;
    let can_plan = authorize(viewer.principal(), Action::Write, &any_meeting(first)).is_ok();
    if query.format == "xlsx" {
        let table = crate::exports::region_plan_table(&region_name, &plan, today);
        let bytes =
            ilacs_render::table_xlsx(&[table]).map_err(|e| PageError::Internal(e.to_string()))?;
        return Ok((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"aem-plan-{region}-{today}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let lines: Vec<_> = plan.iter().map(|r| r.line.clone()).collect();
    let rows: Vec<Value> = plan
        .iter()
        .map(|r| {
            json!({
                "name": r.la.name,
                "href": base(&r.la),
                "last_held": r.input.last_held.map(iso),
                "planned": r.input.planned.map(iso),
                "status": match r.line.status {
                    PlanStatus::Planned => "planned",
                    PlanStatus::Due => "due",
                    PlanStatus::Overdue => "overdue",
                },
                "due": iso(r.line.due),
                "proposed": r.line.proposed.map(iso),
                "proposed_form": r.line.proposed.map(|d| d.format("%d/%m/%Y").to_string()),
                "late_letters": r.late_letters,
            })
        })
        .collect();
    let count = |status: PlanStatus| lines.iter().filter(|l| l.status == status).count();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annual-engagement",
    }
    .render(
        "aem_region.html",
        &format!("Annual engagement meetings – {region_name}"),
        json!({
            "region": region_name,
            "rows": rows,
            "can_plan": can_plan,
            "planned": count(PlanStatus::Planned),
            "due": count(PlanStatus::Due),
            "overdue": count(PlanStatus::Overdue),
            "due_after_months": rules().due_after_months(),
            "download": format!("{path}?format=xlsx"),
        }),
    )?;
    Ok(html.into_response())
}

/// An LA's meetings: all of them for Ofsted, with a form to plan one; the issued
/// letters for the LA's leaders.
pub(crate) async fn la_meetings(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let today = state.today();
    let all = state.store.aem_meetings_for_la(&la.la_code).await?;
    let ofsted = authorize(viewer.principal(), Action::Read, &any_meeting(&la)).is_ok();
    let can_plan = authorize(viewer.principal(), Action::Write, &any_meeting(&la)).is_ok();
    let readable: Vec<&StoredMeeting> = all
        .iter()
        .filter(|m| {
            let part = if ofsted { Part::Meeting } else { Part::Letter };
            authorize(viewer.principal(), Action::Read, &record(&la, m, part)).is_ok()
        })
        .collect();
    // Whether anyone could read a letter here: the page itself is for those people.
    let issued_letter = Record::AemLetter {
        la: &la.la_code,
        region: &la.region,
        issued: true,
    };
    if let Err(denied) = authorize(viewer.principal(), Action::Read, &issued_letter) {
        return Err(PageError::denied(denied, &base(&la)));
    }
    for m in &readable {
        let part = if ofsted { Part::Meeting } else { Part::Letter };
        log_read(
            &state,
            &viewer,
            &record(&la, m, part),
            &format!("{}/annual-engagement/{}", la.la_code, m.id),
            Some(&la.la_code),
        )
        .await?;
    }
    let meetings: Vec<Value> = readable
        .iter()
        .map(|m| meeting_json(&state.catalogue, &la, m, today))
        .collect();
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
            "ofsted": ofsted,
            "can_plan": can_plan,
            "meetings": meetings,
            "form": {"date": ""},
        }),
    )?;
    Ok(html.into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    let stored = meeting(&state, &viewer, &la, id, Part::Meeting, Action::Read).await?;
    let can_write = authorize(
        viewer.principal(),
        Action::Write,
        &record(&la, &stored, Part::Meeting),
    )
    .is_ok();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annual-engagement",
    }
    .render(
        "aem_meeting.html",
        &format!("Annual engagement meeting – {}", la.name),
        json!({
            "m": meeting_json(&state.catalogue, &la, &stored, state.today()),
            "path": meeting_path(&la, stored.id),
            "la_path": base(&la),
            "can_write": can_write,
        }),
    )?;
    Ok(html.into_response())
}

/// A measure's value as the report shows it.
fn shown(measure: Measure, value: f64) -> String {
    const MONTHS: [&str; 12] = [
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "January",
        "February",
        "March",
    ];
    match measure {
        Measure::Timing => MONTHS[(value.round() as usize).min(11)].to_string(),
        Measure::Length => format!("{value:.0} minutes"),
        _ => format!("{:.0}%", value * 100.0),
    }
}

/// The 8 regions compared on their meetings of the last 12 months, outliers named.
pub(crate) async fn consistency(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
) -> Result<Response, PageError> {
    let path = "/annual-engagement/consistency";
    authorize(viewer.principal(), Action::Read, &Record::AemConsistency)
        .map_err(|d| PageError::denied(d, path))?;
    log_read(
        &state,
        &viewer,
        &Record::AemConsistency,
        "aem/consistency",
        None,
    )
    .await?;
    let today = state.today();
    let from = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today)
        .succ_opt()
        .unwrap_or(today);
    let regions = state.store.regions().await?;
    let names: HashMap<&RegionId, &str> =
        regions.iter().map(|r| (&r.id, r.name.as_str())).collect();
    let meetings: Vec<(RegionId, Meeting)> = state
        .store
        .aem_meetings_for_region(None)
        .await?
        .into_iter()
        .map(|m| (m.region, m.meeting))
        .collect();
    let ids: Vec<RegionId> = regions.iter().map(|r| r.id.clone()).collect();
    let report = consistency_report(&ids, &meetings, from, today, rules(), today);
    let name = |id: &RegionId| names.get(id).copied().unwrap_or(id.as_str()).to_string();
    let cell = |line: &RegionFigures, measure: Measure, value: Option<f64>| {
        let outlier = report
            .outliers
            .iter()
            .any(|o| o.region == line.region && o.measure == measure);
        json!({"text": value.map(|v| shown(measure, v)).unwrap_or_else(|| "–".into()), "outlier": outlier})
    };
    let rows: Vec<Value> = report
        .regions
        .iter()
        .map(|l| {
            json!({
                "region": name(&l.region),
                "meetings": l.meetings,
                "by_quarter": l.by_quarter,
                "timing": cell(l, Measure::Timing, l.median_month),
                "length": cell(l, Measure::Length, l.median_minutes),
                "remit": cell(l, Measure::Remit, l.with_education_share),
                "seniority": cell(l, Measure::Seniority, l.regional_director_share),
                "attendees": l.mean_ofsted_attendees.map(|v| format!("{v:.1}")),
                "online": cell(l, Measure::Venue, l.online_share),
                "la_venue": l.la_share.map(|v| shown(Measure::Venue, v)),
                "office": l.ofsted_office_share.map(|v| shown(Measure::Venue, v)),
                "on_time": cell(l, Measure::LettersOnTime, l.letters_on_time_share),
                "followed_up": cell(l, Measure::StepsFollowedUp, l.steps_followed_up_share),
            })
        })
        .collect();
    let outliers: Vec<Value> = report
        .outliers
        .iter()
        .map(|o| {
            json!({
                "region": name(&o.region),
                "measure": o.measure.label(),
                "value": shown(o.measure, o.value),
                "middle": shown(o.measure, o.middle),
            })
        })
        .collect();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annual-engagement",
    }
    .render(
        "aem_consistency.html",
        "Annual engagement meetings across the regions",
        json!({
            "from": iso(report.from),
            "to": iso(report.to),
            "rows": rows,
            "outliers": outliers,
            "min_meetings": rules().outliers().min_meetings,
        }),
    )?;
    Ok(html.into_response())
}
