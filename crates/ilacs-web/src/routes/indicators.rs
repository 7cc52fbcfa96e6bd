//! DfE's published indicators for an LA beside England, its region and its
//! statistical neighbours: public, like the statistics themselves.

use crate::auth::session::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::indicators::{compare, Comparison, Indicator, Value};
use ilacs_store::StoreError;
use serde_json::{json, Value as JsonValue};

/// Every indicator and year DfE publishes for the LA, oldest year first.
pub(crate) async fn comparisons(
    state: &AppState,
    la: &LocalAuthority,
) -> Result<Vec<Comparison>, StoreError> {
    let observations = state.store.published_statistics_for(&la.la_code).await?;
    Ok(compare(&state.indicators, la, &observations))
}

/// A value as JSON: a number, or DfE's own symbol (`c` suppressed, `x` not available,
/// `z` not applicable, `low`, `k`, `u`) as a string, never a zero.
pub(crate) fn value_json(value: Option<Value>) -> JsonValue {
    match value {
        Some(Value::Number(n)) => json!(n),
        Some(Value::Symbol(s)) => json!(s.as_str()),
        None => JsonValue::Null,
    }
}

/// The neighbours' mean, to one more decimal place than DfE publishes.
pub(crate) fn mean_json(indicator: Option<&Indicator>, mean: Option<f64>) -> JsonValue {
    let places = indicator.map_or(1, |i| i32::from(i.decimals) + 1);
    let scale = 10f64.powi(places);
    mean.map_or(JsonValue::Null, |m| json!((m * scale).round() / scale))
}

pub(crate) async fn api_indicators(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(code): Path<String>,
) -> Result<Json<JsonValue>, ApiError> {
    authorize(viewer.principal(), Action::Read, &Record::PublishedOutcomes)?;
    let la = super::api::api_authority(&state, &code).await?;
    let rows: Vec<JsonValue> = comparisons(&state, &la)
        .await?
        .into_iter()
        .map(|c| {
            let indicator = state.indicators.get(&c.indicator);
            json!({
                "indicator": c.indicator.as_str(),
                "label": indicator.map(|i| i.label.clone()),
                "unit": indicator.map(|i| i.unit.key()),
                "time_period": c.time_period.as_str(),
                "value": value_json(c.la),
                "england": value_json(c.england),
                "region": value_json(c.region),
                "statistical_neighbours": mean_json(indicator, c.neighbours.mean),
                "statistical_neighbours_counted": c.neighbours.contributing,
            })
        })
        .collect();
    Ok(Json(JsonValue::Array(rows)))
}

/// A figure as a table cell shows it: `22.6%`, `67 per 10,000`, or what DfE's symbol
/// means ("suppressed"); a dash where there is no figure at all.
pub(crate) fn shown(indicator: &Indicator, value: Option<Value>) -> String {
    match value {
        Some(Value::Number(n)) => {
            format!("{}{}", indicator.format_number(n), indicator.unit.suffix())
        }
        Some(Value::Symbol(s)) => format!("{} ({})", s.as_str(), s.label()),
        None => "–".to_string(),
    }
}

pub(crate) fn shown_mean(indicator: &Indicator, mean: Option<f64>) -> String {
    mean.map_or("–".to_string(), |m| {
        format!("{}{}", indicator.format_number(m), indicator.unit.suffix())
    })
}

/// The LA page's indicators: per indicator, the latest year against England, the
/// region and the neighbours, a chart over time and the same figures as a table.
pub(crate) fn page_view(
    state: &AppState,
    la: &LocalAuthority,
    comparisons: &[Comparison],
) -> JsonValue {
    use ilacs_domain::indicators::Unit;
    use ilacs_render::{trend_svg, TrendSeries};
    let region_name = state
        .indicators
        .region_named(&la.ons_region)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| la.ons_region.clone());
    let items: Vec<JsonValue> = state
        .indicators
        .indicators()
        .iter()
        .filter_map(|indicator| {
            let rows: Vec<&Comparison> = comparisons
                .iter()
                .filter(|c| c.indicator == indicator.id)
                .collect();
            let latest = rows.last()?;
            let periods: Vec<String> = rows.iter().map(|c| c.time_period.label()).collect();
            let number = |v: Option<Value>| v.and_then(Value::number);
            let mut series = vec![TrendSeries {
                name: la.name.clone(),
                values: rows.iter().map(|c| number(c.la)).collect(),
            }];
            // England's and a region's counts are totals: only rates compare.
            if indicator.unit != Unit::Count {
                series.extend([
                    TrendSeries {
                        name: "England".into(),
                        values: rows.iter().map(|c| number(c.england)).collect(),
                    },
                    TrendSeries {
                        name: region_name.clone(),
                        values: rows.iter().map(|c| number(c.region)).collect(),
                    },
                    TrendSeries {
                        name: "Statistical neighbours (average)".into(),
                        values: rows.iter().map(|c| c.neighbours.mean).collect(),
                    },
                ]);
            }
            let chart = trend_svg(
                &format!("indicator-{}", indicator.id.as_str()),
                &format!("{}: {}", indicator.label, la.name),
                &format!(
                    "{} from {} to {}, one line each for {}.",
                    indicator.label,
                    periods.first().cloned().unwrap_or_default(),
                    periods.last().cloned().unwrap_or_default(),
                    series
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                &periods,
                &series,
            );
            let row = |c: &Comparison| {
                json!({
                    "period": c.time_period.label(),
                    "la": shown(indicator, c.la),
                    "england": shown(indicator, c.england),
                    "region": shown(indicator, c.region),
                    "neighbours": shown_mean(indicator, c.neighbours.mean),
                    "counted": c.neighbours.contributing,
                })
            };
            Some(json!({
                "id": indicator.id.as_str(),
                "label": indicator.label,
                "description": indicator.description,
                "count": indicator.unit == Unit::Count,
                "latest": row(latest),
                "chart": chart,
                "rows": rows.iter().rev().map(|c| row(c)).collect::<Vec<_>>(),
            }))
        })
        .collect();
    json!({"region": region_name, "items": items})
}
