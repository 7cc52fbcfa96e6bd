//! The start page, which differs by role.

use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{activity, PageFrame};
use axum::extract::State;
use axum::response::Html;
use axum::Extension;
use ilacs_domain::access::{authorize, Action, Record, Role, Scope, SefStage};
use ilacs_domain::grade::Grade;
use ilacs_domain::inspection::Judgement;
use ilacs_domain::self_evaluation::stage_label;
use ilacs_store::LaOverview;
use serde_json::{json, Value};

/// Counts of LAs by latest overall grade, each linking to the filtered list.
fn grade_counts(las: &[&LaOverview], region: Option<&str>) -> Vec<Value> {
    let overall = |o: &LaOverview| {
        o.latest_inspection
            .as_ref()
            .and_then(|a| a.judgements.get(Judgement::OverallEffectiveness))
    };
    let region_query = region.map(|r| format!("&region={r}")).unwrap_or_default();
    let mut rows: Vec<Value> = Grade::ALL
        .iter()
        .map(|g| {
            json!({
                "label": g.label(),
                "count": las.iter().filter(|o| overall(o) == Some(*g)).count(),
                "href": format!("/local-authorities?grade={}{region_query}", g.key()),
            })
        })
        .collect();
    let ungraded = las.iter().filter(|o| overall(o).is_none()).count();
    if ungraded > 0 {
        rows.push(json!({"label": "No overall grade", "count": ungraded, "href": format!("/local-authorities?grade=none{region_query}")}));
    }
    rows.push(json!({"label": "All", "count": las.len(), "href": null}));
    rows
}

pub(crate) async fn home(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
) -> Result<Html<String>, PageError> {
    let all = state.store.local_authorities().await?;
    let current: Vec<&LaOverview> = all.iter().filter(|o| o.authority.current).collect();
    let mut home = json!({
        "heading": "Inspection of local authority children’s services",
        "intro": [],
        "your_la": null,
        "counts_heading": "",
        "grade_counts": [],
        "links": [{"href": "/local-authorities", "text": "See every local authority’s latest judgements"}],
        "shared": [],
    });
    match viewer.signed_in() {
        None => {
            home["intro"] = json!([
                "One place for local authorities, Ofsted and regional alliances to run the inspection of local authority children’s services: self-evaluation, annual engagement meetings, inspections and visits.",
                "Published judgements are open to everyone. Sign in to see your own work.",
            ]);
            home["counts_heading"] = json!("Latest judgements in England");
            home["grade_counts"] = json!(grade_counts(&current, None));
        }
        Some(signed_in) => {
            let principal = &signed_in.principal;
            home["heading"] = json!(format!("Welcome, {}", signed_in.user.display_name));
            match principal.scope() {
                Scope::La { la, .. } => {
                    if let Some(o) = all.iter().find(|o| &o.authority.la_code == la) {
                        let latest = o.latest_inspection.as_ref();
                        home["your_la"] = json!({
                            "code": o.authority.gss_code.as_str(),
                            "name": o.authority.name,
                            "latest": latest.map(|a| activity(&state.catalogue, a)),
                            "days_since": latest.map(|a| (state.today() - a.start_date).num_days()),
                            "can_manage_users": authorize(Some(principal), Action::Read, &Record::LaUsers { la }).is_ok(),
                        });
                    }
                    if principal.role() == Role::AlliancePeer {
                        home["intro"] = json!(["As a regional alliance peer you will see the self-evaluations other local authorities in your region share with the alliance."]);
                    }
                }
                Scope::Region(region) => {
                    let mine: Vec<&LaOverview> = current
                        .iter()
                        .copied()
                        .filter(|o| &o.authority.region == region)
                        .collect();
                    home["intro"] = json!([format!(
                        "Your region: {}.",
                        signed_in.user.scope_name.clone().unwrap_or_default()
                    )]);
                    home["counts_heading"] = json!("Latest judgements in your region");
                    home["grade_counts"] = json!(grade_counts(&mine, Some(region.as_str())));
                    // What the region's LAs have shared with Ofsted, for the annual
                    // engagement meetings.
                    let shared = state
                        .store
                        .shared_self_evaluations(region, SefStage::SharedWithOfsted)
                        .await?;
                    home["shared"] = json!(shared
                        .iter()
                        .map(|s| json!({
                            "href": format!("/local-authorities/{}/self-evaluation/{}/{}", s.la_code, s.summary.year.label(), s.summary.version),
                            "la": s.la_name,
                            "year": s.summary.year.label(),
                            "stage": stage_label(s.summary.stage),
                        }))
                        .collect::<Vec<_>>());
                }
                Scope::National => {
                    home["counts_heading"] = json!("Latest judgements in England");
                    home["grade_counts"] = json!(grade_counts(&current, None));
                }
            }
        }
    }
    PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "home",
    }
    .render("home.html", "Home", json!({"home": home}))
}
