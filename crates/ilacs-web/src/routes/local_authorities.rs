//! The list of local authorities and one LA's page.

use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{activity, PageFrame};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Extension;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::RegionId;
use ilacs_domain::grade::Grade;
use ilacs_domain::inspection::Judgement;
use ilacs_render::{judgement_history_svg, ChartPoint};
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
}

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
) -> Result<Html<String>, PageError> {
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
    let all = state.store.local_authorities().await?;
    let in_status = |o: &&LaOverview| match status {
        "current" => o.authority.current,
        "former" => !o.authority.current,
        _ => true,
    };
    let total = all.iter().filter(in_status).count();
    let rows: Vec<Value> = all
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
        .map(|o| overview_row(&state, o, &region_names))
        .collect();
    let grades: Vec<Value> = Grade::ALL
        .iter()
        .map(|g| json!({"key": g.key(), "label": g.label()}))
        .collect();
    let region_options: Vec<Value> = regions
        .iter()
        .map(|r| json!({"id": r.id.as_str(), "name": r.name}))
        .collect();
    PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "local-authorities" }.render(
        "la_list.html",
        "Local authorities",
        json!({
            "rows": rows,
            "total": total,
            "regions": region_options,
            "grades": grades,
            "filters": {"region": region.map(|r| r.to_string()), "grade": filters.grade.trim(), "status": status},
        }),
    )
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
            "can_manage_users": can_manage_users,
            "can_read_aem": can_read_aem,
        }),
    )
}
