//! The JSON API, version 1. Published facts are public, as on Ofsted's site. Described
//! in `openapi.json`, served at `/api/v1/openapi.json`.

use crate::auth::session::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::{AuthorityRef, LocalAuthority, RegionId};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::inspection::{Activity, Judgement};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const OPENAPI: &str = include_str!("../openapi.json");

pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

fn inspection(catalogue: &Catalogue, a: &Activity) -> Value {
    let judgements: Map<String, Value> = Judgement::ALL
        .iter()
        .map(|j| {
            (
                j.key().to_string(),
                json!(a.judgements.get(*j).map(|g| g.key())),
            )
        })
        .collect();
    json!({
        "start_date": a.start_date.to_string(),
        "publication_date": a.publication_date.map(|d| d.to_string()),
        "type": a.kind.key(),
        "framework_version": catalogue.version_on(a.start_date).map(|v| v.id.clone()),
        "judgements": judgements,
    })
}

fn summary(
    catalogue: &Catalogue,
    la: &LocalAuthority,
    regions: &HashMap<RegionId, String>,
    latest: Option<&Activity>,
) -> Value {
    json!({
        "code": la.gss_code.as_str(),
        "la_code": la.la_code.as_str(),
        "name": la.name,
        "ofsted_region": regions.get(&la.region),
        "ofsted_region_id": la.region.as_str(),
        "current": la.current,
        "latest_inspection": latest.map(|a| inspection(catalogue, a)),
    })
}

pub(crate) async fn local_authorities(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Json<Value>, ApiError> {
    authorize(viewer.principal(), Action::Read, &Record::PublishedOutcomes)?;
    let regions = state.region_names().await?;
    let list: Vec<Value> = state
        .store
        .local_authorities()
        .await?
        .iter()
        .map(|o| {
            summary(
                &state.catalogue,
                &o.authority,
                &regions,
                o.latest_inspection.as_ref(),
            )
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

/// The LA a three-digit or area code names, or the API's error saying what is wrong.
pub(crate) async fn api_authority(
    state: &AppState,
    code: &str,
) -> Result<LocalAuthority, ApiError> {
    let reference = AuthorityRef::parse(code).map_err(|_| {
        ApiError::BadRequest(format!("'{code}' is not an LA code: use a three-digit code such as 301 or an area code such as E09000002"))
    })?;
    state
        .store
        .local_authority(&reference)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no local authority has the code '{code}'")))
}

pub(crate) async fn local_authority(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    authorize(viewer.principal(), Action::Read, &Record::PublishedOutcomes)?;
    let la = api_authority(&state, &code).await?;
    let regions = state.region_names().await?;
    let activities = state.store.activities(&la.la_code).await?;
    let (inspections, visits): (Vec<&Activity>, Vec<&Activity>) =
        activities.iter().partition(|a| a.kind.is_graded());
    let latest = inspections.iter().max_by_key(|a| a.start_date).copied();
    let names: HashMap<String, (String, String)> = state
        .store
        .local_authorities()
        .await?
        .into_iter()
        .map(|o| {
            (
                o.authority.la_code.to_string(),
                (o.authority.gss_code.to_string(), o.authority.name),
            )
        })
        .collect();
    let mut body = summary(&state.catalogue, &la, &regions, latest);
    body["other_codes"] = json!(la
        .other_codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>());
    body["la_type"] = json!(la.la_type);
    body["population_0_25"] = json!(la.population_0_25);
    body["statistical_neighbours"] = json!(la
        .statistical_neighbours
        .iter()
        .filter_map(|n| names
            .get(n.as_str())
            .map(|(code, name)| json!({"code": code, "la_code": n.as_str(), "name": name})))
        .collect::<Vec<_>>());
    body["inspections"] = json!(inspections
        .iter()
        .map(|a| inspection(&state.catalogue, a))
        .collect::<Vec<_>>());
    body["visits"] = json!(visits
        .iter()
        .map(|a| json!({
            "start_date": a.start_date.to_string(),
            "publication_date": a.publication_date.map(|d| d.to_string()),
            "type": a.kind.key(),
            "theme": a.theme,
        }))
        .collect::<Vec<_>>());
    Ok(Json(body))
}
