//! The indicators from the LA's own lists, for a reference date: by area, each with its
//! numerator and denominator, a chart and a table, DfE's published figure for the same
//! measure beside it where there is one, and a drill-down to the children behind it.

use super::{allow_read_logged, base, held, la_view, paginate, parse_as_at};
use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::routes::indicators::{comparisons, shown, shown_mean};
use crate::state::AppState;
use crate::views::PageFrame;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use ilacs_annexa::indicators::{compute, ChildRow, Indicator, Report, Settings, Unit};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::indicators::{Comparison, IndicatorId};
use ilacs_render::{bar_chart_svg, Bar};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Children listed on one page of a drill-down.
const PAGE_SIZE: usize = 200;

#[derive(Debug, Deserialize)]
pub(crate) struct DashboardQuery {
    as_at: Option<String>,
    page: Option<usize>,
    /// `numerator`: only the rows counted in the numerator.
    only: Option<String>,
}

/// A value as the page shows it, by the indicator's unit.
fn value_text(unit: Unit, value: Option<f64>) -> String {
    match (unit, value) {
        (_, None) => "–".into(),
        (Unit::Percent, Some(v)) => format!("{v:.1}%"),
        (Unit::Count, Some(v)) => thousands(v),
        (Unit::Days, Some(v)) => format!("{} days", thousands(v)),
        (Unit::Children, Some(v)) => format!("{v:.1}"),
    }
}

fn thousands(v: f64) -> String {
    ilacs_render::thousands(v.round() as i64)
}

/// The held lists and the indicators' reference date: the one asked for, or the latest
/// upload's.
async fn inputs(
    state: &AppState,
    la: &LocalAuthority,
    asked: Option<&str>,
) -> Result<(ilacs_annexa::AnnexA, NaiveDate), PageError> {
    let annex = held(state, la).await?;
    let asked = parse_as_at(asked).map_err(PageError::BadRequest)?;
    let as_at = match asked {
        Some(d) => d,
        None => state
            .store
            .annex_a_uploads(&la.la_code)
            .await?
            .first()
            .map(|u| u.as_at)
            .ok_or(PageError::NotFound)?,
    };
    Ok((annex, as_at))
}

/// DfE's latest published year for each of its indicators, for the LA.
fn latest_published(all: Vec<Comparison>) -> HashMap<String, Comparison> {
    let mut latest = HashMap::new();
    for c in all {
        // Comparisons come oldest year first: later ones replace earlier.
        latest.insert(c.indicator.as_str().to_string(), c);
    }
    latest
}

fn published_view(
    state: &AppState,
    la: &LocalAuthority,
    indicator: &Indicator<'_>,
    published: &HashMap<String, Comparison>,
) -> Value {
    let Some(id) = indicator.published else {
        return Value::Null;
    };
    let (Some(c), Ok(key)) = (published.get(id), IndicatorId::parse(id)) else {
        return Value::Null;
    };
    let Some(definition) = state.indicators.get(&key) else {
        return Value::Null;
    };
    let number = |v: Option<ilacs_domain::indicators::Value>| v.and_then(|v| v.number());
    let region = state
        .indicators
        .region_named(&la.ons_region)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| la.ons_region.clone());
    let period = c.time_period.label();
    let mut bars = vec![Bar {
        label: "From your lists".into(),
        value: indicator.value.unwrap_or(0.0),
        text: value_text(indicator.unit, indicator.value),
        own: true,
    }];
    for (label, value, text) in [
        (
            format!("Published, {period}"),
            number(c.la),
            shown(definition, c.la),
        ),
        (
            format!("England, {period}"),
            number(c.england),
            shown(definition, c.england),
        ),
        (
            format!("{region}, {period}"),
            number(c.region),
            shown(definition, c.region),
        ),
        (
            "Statistical neighbours".to_string(),
            c.neighbours.mean,
            shown_mean(definition, c.neighbours.mean),
        ),
    ] {
        if let Some(value) = value {
            bars.push(Bar {
                label,
                value,
                text,
                own: false,
            });
        }
    }
    let chart = if indicator.value.is_some() && indicator.unit == Unit::Percent {
        bar_chart_svg(
            indicator.id,
            &format!("{}: from your lists and as published", definition.label),
            "Your lists' figure beside DfE's published figures for your LA, England, your region and your statistical neighbours' average; the table gives the same figures.",
            &bars,
            100.0,
        )
    } else {
        String::new()
    };
    json!({
        "label": definition.label,
        "period": period,
        "la": shown(definition, c.la),
        "england": shown(definition, c.england),
        "region_name": region,
        "region": shown(definition, c.region),
        "neighbours": shown_mean(definition, c.neighbours.mean),
        "chart": chart,
    })
}

fn indicator_view(indicator: &Indicator<'_>, published: Value) -> Value {
    json!({
        "id": indicator.id,
        "name": indicator.name,
        "definition": indicator.definition,
        "value": value_text(indicator.unit, indicator.value),
        "percent": indicator.unit == Unit::Percent,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "children": indicator.children.len(),
        "unavailable": indicator.unavailable,
        "notes": indicator.notes,
        "figures": indicator.figures.iter().map(|f| json!({
            "label": f.label,
            "value": f.value.map_or("–".to_string(), |v| if v.fract() == 0.0 { thousands(v) } else { format!("{v:.1}") }),
        })).collect::<Vec<_>>(),
        "breakdown": indicator.breakdown.iter().map(|b| json!({
            "label": b.label,
            "numerator": b.numerator,
            "denominator": b.denominator,
            "value": value_text(indicator.unit, b.value),
        })).collect::<Vec<_>>(),
        "published": published,
    })
}

fn report_heading(report: &Report<'_>) -> Value {
    json!({
        "as_at": report.as_at.to_string(),
        "window_start": report.window_start.to_string(),
        "as_at_input": report.as_at.format("%d/%m/%Y").to_string(),
    })
}

pub(crate) async fn indicators(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, "/indicators").await?;
    let (annex, as_at) = inputs(&state, &la, query.as_at.as_deref()).await?;
    let published = latest_published(comparisons(&state, &la).await?);
    let report = compute(&annex, as_at, &Settings::bundled());

    let mut groups: Vec<(&'static str, Vec<Value>, Vec<Bar>)> = Vec::new();
    let mut compared = Vec::new();
    for indicator in &report.indicators {
        let group = indicator.group.as_str();
        if groups.last().is_none_or(|(g, _, _)| *g != group) {
            groups.push((group, Vec::new(), Vec::new()));
        }
        let (_, items, bars) = groups.last_mut().expect("pushed above");
        let published = published_view(&state, &la, indicator, &published);
        if !published.is_null() {
            compared.push(indicator.id);
        }
        if let (Unit::Percent, Some(value)) = (indicator.unit, indicator.value) {
            bars.push(Bar {
                label: indicator.name.chars().take(40).collect(),
                value,
                text: value_text(Unit::Percent, Some(value)),
                own: true,
            });
        }
        items.push(indicator_view(indicator, published));
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(group, items, bars)| {
            let mut title = group.to_string();
            title[..1].make_ascii_uppercase();
            let chart = bar_chart_svg(
                &group.replace(' ', "-"),
                &format!("{title}: percentages from your lists"),
                "One bar per percentage indicator in this area; the table above gives each figure with its numerator and denominator.",
                &bars,
                100.0,
            );
            json!({"id": group.replace(' ', "-"), "title": title, "items": items, "chart": chart})
        })
        .collect();
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annex-a",
    }
    .render(
        "annexa_indicators.html",
        &format!("Annex A indicators – {}", la.name),
        json!({
            "la": la_view(&la),
            "base": base(&la),
            "report": report_heading(&report),
            "groups": groups,
            "compared": compared,
        }),
    )?;
    Ok(html.into_response())
}

fn child_view(row: &ChildRow<'_>) -> Value {
    let detail = row.detail.map(|d| {
        use ilacs_annexa::indicators::Detail;
        match d {
            Detail::WorkingDays(n) => format!("{n} working days"),
            Detail::Days(n) => format!("{n} days"),
            Detail::Count(n) => n.to_string(),
            Detail::Worker(w) => w.to_string(),
            Detail::Age(a) => format!("aged {a}"),
        }
    });
    json!({
        "child": row.child,
        "list": row.list,
        // The clean workbook's row: its header is row 1.
        "row": row.index + 2,
        "counted": row.numerator,
        "detail": detail.unwrap_or_default(),
    })
}

pub(crate) async fn indicator(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path((code, id)): Path<(String, String)>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let la = super::super::authority(&state, &code).await?;
    allow_read_logged(&state, &viewer, &la, &format!("/indicators/{id}")).await?;
    let (annex, as_at) = inputs(&state, &la, query.as_at.as_deref()).await?;
    let published = latest_published(comparisons(&state, &la).await?);
    let report = compute(&annex, as_at, &Settings::bundled());
    let indicator = report.get(&id).ok_or(PageError::NotFound)?;
    let only_counted = query.only.as_deref() == Some("numerator");
    let rows: Vec<&ChildRow<'_>> = indicator
        .children
        .iter()
        .filter(|r| !only_counted || r.numerator)
        .collect();
    let query_base = format!(
        "?as_at={}{}",
        as_at.format("%Y-%m-%d"),
        if only_counted { "&only=numerator" } else { "" }
    );
    let (shown, pagination) = paginate(rows.len(), query.page, PAGE_SIZE, |n| {
        format!("{query_base}&page={n}")
    });
    let html = PageFrame {
        viewer: &viewer,
        csrf: &csrf,
        current_nav: "annex-a",
    }
    .render(
        "annexa_indicator.html",
        &format!("{} – Annex A – {}", indicator.name, la.name),
        json!({
            "la": la_view(&la),
            "base": base(&la),
            "report": report_heading(&report),
            "indicator": indicator_view(indicator, published_view(&state, &la, indicator, &published)),
            "only_counted": only_counted,
            "rows": rows[shown].iter().map(|r| child_view(r)).collect::<Vec<_>>(),
            "shown_count": rows.len(),
            "pagination": pagination,
        }),
    )?;
    Ok(html.into_response())
}
