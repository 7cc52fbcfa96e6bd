//! The list of local authorities and one LA's page.

use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{activity, PageFrame};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::RegionId;
use ilacs_domain::grade::Grade;
use ilacs_domain::inspection::Judgement;
use ilacs_domain::inspection::{next_inspection, Activity, NextInspection, WindowState};
use ilacs_render::{
    judgement_history_svg, table_xlsx, timeline_svg, Cell, ChartPoint, Table, TimelineBand,
    TimelineEvent,
};
use ilacs_store::LaOverview;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ListFilters {
    region: String,
    grade: String,
    status: String,
    /// `name` (default), `region`, `last`, `next` or `days`.
    sort: String,
    /// `xlsx` downloads the list as filtered and sorted.
    format: String,
}

/// The list's sort orders: (key, what the column header says).
const SORTS: [(&str, &str); 4] = [
    ("name", "Local authority"),
    ("region", "Ofsted region"),
    ("last", "Latest inspection"),
    ("next", "Next inspection window"),
];

/// An LA's row in lists.
fn overview_row(
    state: &AppState,
    o: &LaOverview,
    region_names: &HashMap<RegionId, String>,
) -> Value {
    json!({
        "code": o.authority.gss_code.as_str(),
        "la_code": o.authority.la_code.as_str(),
        "name": o.authority.name,
        "current": o.authority.current,
        "region_name": region_names.get(&o.authority.region).cloned().unwrap_or_default(),
        "latest": o.latest_inspection.as_ref().map(|a| activity(&state.catalogue, a)),
    })
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Query(filters): Query<ListFilters>,
) -> Result<Response, PageError> {
    authorize(viewer.principal(), Action::Read, &Record::PublishedOutcomes)
        .map_err(|d| PageError::denied(d, "/local-authorities"))?;
    let regions = state.store.regions().await?;
    let region = match filters.region.trim() {
        "" => None,
        r => Some(
            regions
                .iter()
                .find(|x| x.id.as_str() == r)
                .map(|x| x.id.clone())
                .ok_or_else(|| {
                    PageError::BadRequest(format!(
                        "There is no Ofsted region called '{r}'. Choose one from the list."
                    ))
                })?,
        ),
    };
    let grade: Option<Option<Grade>> = match filters.grade.trim() {
        "" => None,
        "none" => Some(None),
        g => Some(Some(
            Grade::parse(g).map_err(|e| PageError::BadRequest(format!("{e}.")))?,
        )),
    };
    let status = match filters.status.trim() {
        "" | "current" => "current",
        "former" => "former",
        "all" => "all",
        other => {
            return Err(PageError::BadRequest(format!(
                "'{other}' is not a status: choose current, former or all."
            )))
        }
    };
    let region_names: HashMap<RegionId, String> = regions
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let sort = match filters.sort.trim() {
        "" => "name",
        key => SORTS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(k, _)| *k)
            .ok_or_else(|| {
                PageError::BadRequest(format!(
                    "'{key}' is not a column to sort by: choose name, region, last or next."
                ))
            })?,
    };
    let all = state.store.local_authorities().await?;
    let mut activities: HashMap<String, Vec<Activity>> = HashMap::new();
    for a in state.store.all_activities().await? {
        activities.entry(a.la_code.to_string()).or_default().push(a);
    }
    let today = state.today();
    let in_status = |o: &&LaOverview| match status {
        "current" => o.authority.current,
        "former" => !o.authority.current,
        _ => true,
    };
    let total = all.iter().filter(in_status).count();
    let mut listed: Vec<(&LaOverview, Option<NextInspection>)> = all
        .iter()
        .filter(in_status)
        .filter(|o| region.as_ref().is_none_or(|r| &o.authority.region == r))
        .filter(|o| {
            grade.is_none_or(|wanted| {
                o.latest_inspection
                    .as_ref()
                    .and_then(|a| a.judgements.get(Judgement::OverallEffectiveness))
                    == wanted
            })
        })
        .map(|o| {
            let mine = activities
                .get(o.authority.la_code.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            // A former LA is never inspected again.
            let next = o
                .authority
                .current
                .then(|| next_inspection(&state.catalogue, mine, today))
                .flatten();
            (o, next)
        })
        .collect();
    let region_name = |o: &LaOverview| {
        region_names
            .get(&o.authority.region)
            .cloned()
            .unwrap_or_default()
    };
    match sort {
        "region" => listed.sort_by_key(|(o, _)| (region_name(o), o.authority.name.clone())),
        "last" => listed.sort_by_key(|(o, _)| {
            (
                o.latest_inspection.as_ref().map(|a| a.start_date),
                o.authority.name.clone(),
            )
        }),
        // Soonest window first; LAs with none at the end.
        "next" => listed.sort_by_key(|(o, n)| {
            (
                n.is_none(),
                n.as_ref().map(|n| n.opens),
                o.authority.name.clone(),
            )
        }),
        _ => listed.sort_by_key(|(o, _)| o.authority.name.clone()),
    }
    if filters.format.trim() == "xlsx" {
        return list_xlsx(&state, &listed, &region_names, today);
    }
    let rows: Vec<Value> = listed
        .iter()
        .map(|(o, next)| {
            let mut row = overview_row(&state, o, &region_names);
            row["next"] = next.as_ref().map_or(Value::Null, |n| {
                json!({
                    "kind": n.kind.key(),
                    "opens": n.opens.to_string(),
                    "closes": n.closes.to_string(),
                    "state": n.state,
                    "state_label": n.state.label(),
                    "monitoring": n.next_monitoring_visit.is_some(),
                })
            });
            row
        })
        .collect();
    let grades: Vec<Value> = Grade::ALL
        .iter()
        .map(|g| json!({"key": g.key(), "label": g.label()}))
        .collect();
    let region_options: Vec<Value> = regions
        .iter()
        .map(|r| json!({"id": r.id.as_str(), "name": r.name}))
        .collect();
    let query = |sort: &str, format: &str| {
        let mut parts: Vec<String> = Vec::new();
        for (k, v) in [
            (
                "region",
                region.as_ref().map(|r| r.to_string()).unwrap_or_default(),
            ),
            ("grade", filters.grade.trim().to_string()),
            ("status", status.to_string()),
            ("sort", sort.to_string()),
            ("format", format.to_string()),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={v}"));
            }
        }
        format!("/local-authorities?{}", parts.join("&"))
    };
    let sorts: Vec<Value> = SORTS
        .iter()
        .map(|(key, label)| json!({"key": key, "label": label, "href": query(key, ""), "current": *key == sort}))
        .collect();
    PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "local-authorities" }.render(
        "la_list.html",
        "Local authorities",
        json!({
            "rows": rows,
            "total": total,
            "regions": region_options,
            "grades": grades,
            "sorts": sorts,
            "sort": sort,
            "download": query(sort, "xlsx"),
            "overdue": listed.iter().filter(|(_, n)| n.as_ref().is_some_and(|n| n.state == WindowState::Overdue)).count(),
            "filters": {"region": region.map(|r| r.to_string()), "grade": filters.grade.trim(), "status": status},
        }),
    )
    .map(IntoResponse::into_response)
}

/// The list as a spreadsheet, as filtered and sorted on the page.
fn list_xlsx(
    state: &AppState,
    listed: &[(&LaOverview, Option<NextInspection>)],
    region_names: &HashMap<RegionId, String>,
    today: chrono::NaiveDate,
) -> Result<Response, PageError> {
    let headers: Vec<String> = [
        "LA code",
        "Area code",
        "Local authority",
        "Ofsted region",
        "Latest inspection",
        "Type",
        "Overall effectiveness",
        "Next inspection",
        "Window opens",
        "Third anniversary",
        "Window closes",
        "Window",
        "Next monitoring visit due",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<Cell>> = listed
        .iter()
        .map(|(o, next)| {
            let latest = o.latest_inspection.as_ref();
            let date = |d: Option<chrono::NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
            vec![
                Cell::from(o.authority.la_code.as_str()),
                Cell::from(o.authority.gss_code.as_str()),
                Cell::from(o.authority.name.as_str()),
                Cell::from(
                    region_names
                        .get(&o.authority.region)
                        .map_or("", String::as_str),
                ),
                date(latest.map(|a| a.start_date)),
                latest.map_or(Cell::Empty, |a| {
                    Cell::from(state.catalogue.activity(a.kind).name.as_str())
                }),
                latest
                    .and_then(|a| a.judgements.get(Judgement::OverallEffectiveness))
                    .map_or(Cell::Empty, |g| Cell::from(g.label())),
                next.as_ref().map_or(Cell::Empty, |n| {
                    Cell::from(state.catalogue.activity(n.kind).name.as_str())
                }),
                date(next.as_ref().map(|n| n.opens)),
                date(next.as_ref().map(|n| n.due)),
                date(next.as_ref().map(|n| n.closes)),
                next.as_ref()
                    .map_or(Cell::Empty, |n| Cell::from(n.state.label())),
                date(next.as_ref().and_then(|n| n.next_monitoring_visit)),
            ]
        })
        .collect();
    let bytes = table_xlsx(&[Table {
        sheet_name: "Local authorities".into(),
        title: format!(
            "Local authorities, their latest inspection and the next inspection window, at {}",
            today.format("%-d %B %Y")
        ),
        headers,
        rows,
    }])
    .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"local-authorities-{today}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Html<String>, PageError> {
    authorize(viewer.principal(), Action::Read, &Record::PublishedOutcomes)
        .map_err(|d| PageError::denied(d, &format!("/local-authorities/{code}")))?;
    let la = super::authority(&state, &code).await?;
    let activities = state.store.activities(&la.la_code).await?;
    let region_names = state.region_names().await?;
    let (inspections, visits): (Vec<_>, Vec<_>) =
        activities.iter().partition(|a| a.kind.is_graded());
    let latest = inspections.iter().max_by_key(|a| a.start_date).copied();
    let today = state.today();
    let days_since = latest.map(|a| (today - a.start_date).num_days());

    let present: Vec<Judgement> = Judgement::ALL
        .into_iter()
        .filter(|j| inspections.iter().any(|a| a.judgements.get(*j).is_some()))
        .collect();
    let history: Vec<Value> = inspections
        .iter()
        .map(|a| {
            let mut v = activity(&state.catalogue, a);
            v["grades"] = json!(present
                .iter()
                .map(|j| a.judgements.get(*j).map(|g| g.key()))
                .collect::<Vec<_>>());
            v
        })
        .collect();
    let points: Vec<ChartPoint> = inspections
        .iter()
        .flat_map(|a| {
            a.judgements.iter().map(|(j, grade)| ChartPoint {
                date: a.start_date,
                series: j.short_title().to_string(),
                grade,
            })
        })
        .collect();
    let chart = judgement_history_svg(
        &format!("Judgements for {} over time", la.name),
        &format!(
            "Grades from {} graded inspections, one line per judgement, outstanding at the top and inadequate at the bottom.",
            inspections.len()
        ),
        &points,
        today,
    );

    let overviews: HashMap<String, LaOverview> = state
        .store
        .local_authorities()
        .await?
        .into_iter()
        .map(|o| (o.authority.la_code.to_string(), o))
        .collect();
    let neighbours: Vec<Value> = la
        .statistical_neighbours
        .iter()
        .filter_map(|n| overviews.get(n.as_str()))
        .map(|o| overview_row(&state, o, &region_names))
        .collect();
    let next = next_view(&state, &la, &activities, today);
    // The newest version this viewer may read: for Ofsted, the one the LA shared.
    let self_evaluation = state
        .store
        .self_evaluations(&la.la_code)
        .await?
        .into_iter()
        .find(|v| super::self_evaluation::may_read_stage(&viewer, &la, v.stage))
        .map(|v| {
            json!({
                "href": format!("/local-authorities/{}/self-evaluation/{}/{}", la.gss_code, v.year.label(), v.version),
                "year": v.year.label(),
                "version": v.version,
                "stage": ilacs_domain::self_evaluation::stage_label(v.stage),
            })
        });
    let comparisons = super::indicators::comparisons(&state, &la).await?;
    let indicators = super::indicators::page_view(&state, &la, &comparisons);
    let can_manage_users = authorize(
        viewer.principal(),
        Action::Read,
        &Record::LaUsers { la: &la.la_code },
    )
    .is_ok();
    // The LA's leaders and Ofsted: unpublished letters are never linked for others.
    let can_read_aem = authorize(
        viewer.principal(),
        Action::Read,
        &Record::AemLetter {
            la: &la.la_code,
            region: &la.region,
            issued: true,
        },
    )
    .is_ok();

    PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "local-authorities",
    }
    .render(
        "la_page.html",
        &la.name,
        json!({
            "la": {
                "code": la.gss_code.as_str(),
                "la_code": la.la_code.as_str(),
                "name": la.name,
                "current": la.current,
                "region_name": region_names.get(&la.region).cloned().unwrap_or_default(),
                "la_type": la.la_type,
                "population": la.population_0_25,
                "other_codes": la.other_codes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            },
            "latest": latest.map(|a| activity(&state.catalogue, a)),
            "days_since": days_since,
            "today": today.to_string(),
            "inspections": history,
            "judgement_headings": present.iter().map(|j| j.short_title()).collect::<Vec<_>>(),
            "chart": chart,
            "visits": visits.iter().map(|a| activity(&state.catalogue, a)).collect::<Vec<_>>(),
            "neighbours": neighbours,
            "indicators": indicators,
            "next": next,
            "self_evaluation": self_evaluation,
            "can_manage_users": can_manage_users,
            "can_read_aem": can_read_aem,
        }),
    )
}

/// The next inspection's window on a timeline of the LA's inspections and visits, and
/// the same facts as a summary list.
fn next_view(
    state: &AppState,
    la: &ilacs_domain::authority::LocalAuthority,
    activities: &[ilacs_domain::inspection::Activity],
    today: chrono::NaiveDate,
) -> Value {
    let Some(next) = next_inspection(&state.catalogue, activities, today) else {
        return Value::Null;
    };
    let events: Vec<TimelineEvent> = activities
        .iter()
        .map(|a| TimelineEvent {
            date: a.start_date,
            series: state.catalogue.activity(a.kind).name.clone(),
        })
        .collect();
    let band = TimelineBand {
        from: next.opens,
        to: next.closes,
        label: if next.decided_by == Grade::Inadequate {
            "Until re-inspection".to_string()
        } else {
            "Next inspection window".to_string()
        },
    };
    let timeline = timeline_svg(
        "next-timeline",
        &format!(
            "{}: inspections, visits and the next inspection window",
            la.name
        ),
        &format!(
            "{} activities since {}; the window runs from {} to {}.",
            activities.len(),
            activities
                .iter()
                .map(|a| a.start_date)
                .min()
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
            next.opens.format("%-d %B %Y"),
            next.closes.format("%-d %B %Y")
        ),
        &events,
        Some(&band),
        today,
    );
    let mut view = json!(next);
    view["kind"] = json!(next.kind.key());
    view["decided_by"] = json!(next.decided_by.key());
    view["state_label"] = json!(next.state.label());
    view["timeline"] = json!(timeline);
    view
}
