//! Moderation agreement, the quarterly summary and the six-month audit list.

use super::*;
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::Months;
use ilacs_domain::access::Action;
use ilacs_domain::audit::{
    moderation_report, quarterly_summary, Audit, GradeCounts, ModerationPair, Quarter,
    QuarterComparison, Rate, Trend,
};
use ilacs_domain::grade::Grade;
use ilacs_render::{table_xlsx, Cell, Table};
use ilacs_store::StoredAudit;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

fn rate_text(rate: Rate) -> String {
    match rate.percent() {
        Some(p) => format!("{rate} ({p}%)"),
        None => "No moderated audits yet".to_string(),
    }
}

// Moderation report and the audit list download ------------------------------------------

pub(crate) async fn moderation(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Read,
        &la,
        &format!("{}/moderation", base(&la)),
    )?;
    log(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/moderation", la.la_code),
    )
    .await?;
    let all = state.store.audits(&la.la_code, None, None).await?;
    let by_id: HashMap<i64, &StoredAudit> = all.iter().map(|a| (a.id, a)).collect();
    let mut pair_ids = Vec::new();
    let pairs: Vec<ModerationPair> = all
        .iter()
        .filter_map(|m| {
            let first = by_id.get(&m.moderates?)?;
            let pair = ModerationPair::new(&first.audit, &m.audit).ok()?;
            pair_ids.push(first.id);
            Some(pair)
        })
        .collect();
    let report = moderation_report(&pairs);
    // Audits still to moderate, without their grades, so a moderator starts blind; an
    // auditor never moderates their own.
    let me = viewer
        .signed_in()
        .map(|s| s.user.username.to_string())
        .unwrap_or_default();
    let moderated: std::collections::HashSet<i64> =
        all.iter().filter_map(|a| a.moderates).collect();
    let waiting: Vec<Value> = all
        .iter()
        .filter(|a| {
            a.moderates.is_none() && !moderated.contains(&a.id) && a.audit.auditor().as_str() != me
        })
        .map(|a| {
            json!({
                "id": a.id,
                "date": a.audit.date().to_string(),
                "child": a.audit.child().as_str(),
                "team": a.audit.case().team.as_str(),
                "auditor": a.audit.auditor().as_str(),
            })
        })
        .collect();
    let can_moderate = allow(&viewer, Action::Write, &la, "").is_ok();
    let agreement = |a: &ilacs_domain::audit::Agreement| json!({"exact": rate_text(a.exact), "within_one": rate_text(a.within_one)});
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "audits" }.render(
        "audit_moderation.html",
        &format!("Moderation – {}", la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "pairs": report.pairs,
            "waiting": if can_moderate { waiting } else { Vec::new() },
            "overall": agreement(&report.overall),
            "domains": report.domains.iter().map(|d| json!({"title": domain_title(d.domain.as_str()), "agreement": agreement(&d.agreement)})).collect::<Vec<_>>(),
            "auditors": report.auditors.iter().map(|a| json!({"auditor": a.auditor.as_str(), "overall": agreement(&a.overall), "domains": agreement(&a.domains)})).collect::<Vec<_>>(),
            "moved": report.moved.iter().map(|m| json!({
                "id": pair_ids.get(m.pair),
                "child": m.child.as_str(),
                "auditor": m.auditor.as_str(),
                "moderator": m.moderator.as_str(),
                "from": m.from.key(),
                "to": m.to.key(),
                "direction": match m.direction { ilacs_domain::audit::Direction::Better => "better", ilacs_domain::audit::Direction::Worse => "worse" },
            })).collect::<Vec<_>>(),
        }),
    )?;
    Ok(html.into_response())
}

/// Every audit of the previous six months, as a focused visit's notification asks.
pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(&viewer, Action::Read, &la, &format!("{}.xlsx", base(&la)))?;
    let today = state.today();
    let from = today.checked_sub_months(Months::new(6)).unwrap_or(today);
    log(&state, &viewer, &la, &format!("{}/audits.xlsx", la.la_code)).await?;
    let all = state
        .store
        .audits(&la.la_code, Some(from), Some(today))
        .await?;
    let moderated: HashMap<i64, &StoredAudit> =
        all.iter().filter_map(|a| Some((a.moderates?, a))).collect();
    // Domain columns: every domain of the templates used, in template order.
    let mut domain_keys: Vec<(String, String)> = Vec::new();
    for a in all.iter().filter(|a| a.moderates.is_none()) {
        if let Some(t) = templates().get(a.audit.template()) {
            for d in t.domains() {
                if !domain_keys.iter().any(|(k, _)| k == d.key.as_str()) {
                    domain_keys.push((d.key.to_string(), d.title.clone()));
                }
            }
        }
    }
    let mut headers: Vec<String> = [
        "Audit date",
        "Child ID",
        "Team",
        "Allocated worker",
        "Case type",
        "Auditor",
        "Audit",
        "Overall grade",
        "Moderated overall grade",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers.extend(domain_keys.iter().map(|(_, title)| title.clone()));
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .filter(|a| a.moderates.is_none())
        .map(|a| {
            let audit = &a.audit;
            let mut row: Vec<Cell> = vec![
                audit.date().into(),
                audit.child().as_str().into(),
                audit.case().team.as_str().into(),
                audit.case().worker.clone().into(),
                audit.case().case_type.label().into(),
                audit.auditor().as_str().into(),
                templates()
                    .get(audit.template())
                    .map(|t| t.name().to_string())
                    .unwrap_or_default()
                    .into(),
                audit.overall_grade().label().into(),
                moderated
                    .get(&a.id)
                    .map(|m| m.audit.overall_grade().label().to_string())
                    .into(),
            ];
            row.extend(domain_keys.iter().map(|(key, _)| {
                audit
                    .domains()
                    .iter()
                    .find(|d| d.domain.as_str() == key)
                    .map(|d| {
                        score_view(&d.score)["text"]
                            .as_str()
                            .unwrap_or("")
                            .to_string()
                    })
                    .into()
            }));
            row
        })
        .collect();
    let bytes = table_xlsx(&[Table {
        sheet_name: "Case audits".into(),
        title: format!(
            "{}: case audits from {} to {}",
            la.name,
            ilacs_render::uk_date(&from.to_string()),
            ilacs_render::uk_date(&today.to_string())
        ),
        headers,
        rows,
    }])
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let file = format!("case-audits-{}-{}.xlsx", la.la_code, today);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// Quarterly summary and themes --------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct QuarterQuery {
    quarter: String,
}

/// `2026-Q4` (as links write it) or `Q4 2026`.
fn parse_quarter(input: &str) -> Option<Quarter> {
    let s = input.trim().to_ascii_uppercase();
    let (year, number) = match s.split_once("-Q") {
        Some((y, n)) => (y.to_string(), n.to_string()),
        None => {
            let (q, y) = s.split_once(' ')?;
            (y.to_string(), q.strip_prefix('Q')?.to_string())
        }
    };
    Quarter::new(year.parse().ok()?, number.parse().ok()?)
}

pub(super) fn quarter_key(q: Quarter) -> String {
    format!("{}-Q{}", q.year(), q.number())
}

fn comparison_view(c: &QuarterComparison) -> Value {
    let share = |counts: &GradeCounts| {
        let rate = counts.good_or_better();
        match rate.percent() {
            Some(p) => format!("{p}% ({rate})"),
            None => "No grades".to_string(),
        }
    };
    json!({
        "counts": Grade::ALL.iter().map(|g| c.current.get(*g)).collect::<Vec<_>>(),
        "current": share(&c.current),
        "previous": share(&c.previous),
        "trend": match c.trend {
            Trend::Better => "Better",
            Trend::Worse => "Worse",
            Trend::Same => "Same",
            Trend::NoComparison => "No comparison",
        },
    })
}

pub(crate) async fn summary(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<QuarterQuery>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    allow(
        &viewer,
        Action::Read,
        &la,
        &format!("{}/summary", base(&la)),
    )?;
    let quarter = if query.quarter.trim().is_empty() {
        Quarter::containing(state.today())
    } else {
        parse_quarter(&query.quarter).ok_or_else(|| {
            PageError::BadRequest(format!(
                "'{}' is not a quarter: use the form 2026-Q4.",
                query.quarter
            ))
        })?
    };
    log(
        &state,
        &viewer,
        &la,
        &format!("{}/audits/summary", la.la_code),
    )
    .await?;
    let first_audits: Vec<Audit> = state
        .store
        .audits(
            &la.la_code,
            Some(quarter.previous().first_day()),
            Some(quarter.last_day()),
        )
        .await?
        .into_iter()
        .filter(|a| a.moderates.is_none())
        .map(|a| a.audit)
        .collect();
    let report = quarterly_summary(&first_audits, quarter);
    let html = PageFrame { viewer: &viewer, csrf: &csrf, current_nav: "audits" }.render(
        "audit_summary.html",
        &format!("Audit summary, {} – {}", quarter.label(), la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "quarter": quarter.label(),
            "previous_quarter": quarter.previous().label(),
            "previous_key": quarter_key(quarter.previous()),
            "next_key": quarter_key(quarter.next()),
            "audits": report.audits,
            "previous_audits": report.previous_audits,
            "grades": Grade::ALL.iter().map(|g| g.short_label()).collect::<Vec<_>>(),
            "overall": comparison_view(&report.overall),
            "domains": report.domains.iter().map(|d| json!({"title": domain_title(d.domain.as_str()), "line": comparison_view(&d.grades)})).collect::<Vec<_>>(),
            "teams": report.teams.iter().map(|t| json!({"title": t.team.as_str(), "line": comparison_view(&t.grades)})).collect::<Vec<_>>(),
            "themes": report.themes.iter().map(|t| json!({"theme": t.theme.as_str(), "current": t.current, "previous": t.previous})).collect::<Vec<_>>(),
        }),
    )?;
    Ok(html.into_response())
}
