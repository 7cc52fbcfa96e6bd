//! DfE's published indicators: the public API and the LA page's charts and tables.

use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::Value;

fn row<'a>(rows: &'a [Value], indicator: &str, period: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["indicator"] == indicator && r["time_period"] == period)
        .unwrap_or_else(|| panic!("no {indicator} for {period}"))
}

#[tokio::test]
async fn the_api_gives_each_indicator_against_england_the_region_and_neighbours() {
    let mut app = TestApp::new().await;
    app.with_published_statistics().await;
    let r = app
        .get("/api/v1/local-authorities/E09000002/indicators")
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "public, like the statistics: {}",
        r.body
    );
    let rows = r.json().as_array().unwrap().clone();
    for id in [
        "re_referral_rate",
        "cpp_subsequent_rate",
        "cla_rate_per_10k",
        "placement_stability",
        "care_leavers_suitable_accommodation",
        "sw_turnover_rate",
        "sw_agency_rate",
        "sw_caseload",
    ] {
        assert!(rows.iter().any(|r| r["indicator"] == id), "{id}");
    }
    // Barking and Dagenham, year to 31 March 2025, as DfE publishes it.
    let rereferrals = row(&rows, "re_referral_rate", "2025");
    assert_eq!(rereferrals["value"], 21.8);
    assert_eq!(rereferrals["england"], 22.6);
    assert_eq!(rereferrals["region"], 19.4);
    assert_eq!(rereferrals["statistical_neighbours_counted"], 10);
    let mean = rereferrals["statistical_neighbours"].as_f64().unwrap();
    assert!((15.0..25.0).contains(&mean), "{mean}");
    // The same answer by three-digit code.
    let by_code = app
        .get("/api/v1/local-authorities/301/indicators")
        .await
        .json();
    assert_eq!(by_code.as_array().unwrap().len(), rows.len());

    // A suppressed figure stays DfE's symbol, never zero: Sunderland's agency rate.
    let sunderland = app
        .get("/api/v1/local-authorities/394/indicators")
        .await
        .json();
    let symbols: Vec<&Value> = sunderland
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["indicator"] == "sw_agency_rate" && r["value"].is_string())
        .collect();
    assert!(symbols.iter().any(|r| r["value"] == "low"), "{symbols:?}");

    assert_eq!(
        app.get("/api/v1/local-authorities/999/indicators")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/local-authorities/barking/indicators")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_la_page_charts_each_indicator_with_a_table_of_the_same_figures() {
    let mut app = TestApp::new().await;
    let before = app.get("/local-authorities/E09000002").await;
    assert!(
        !before.body.contains("Published indicators"),
        "no section until the statistics are imported"
    );
    app.with_published_statistics().await;
    let page = app.get("/local-authorities/E09000002").await;
    assert_eq!(page.status, StatusCode::OK);
    let section = &page.body[page.body.find("id=\"indicators\"").expect("the section")..];
    let latest = &section[..section.find("</table>").unwrap()];
    assert!(
        latest.contains(">Re-referrals within 12 months</a>"),
        "{latest}"
    );
    assert!(
        latest.contains(">21.8%<") && latest.contains(">22.6%<"),
        "{latest}"
    );
    // One chart per indicator, each with its own title id, and a table beside it.
    let charts = section.matches("<svg").count();
    assert!(charts >= 13, "{charts} charts");
    assert!(section.contains(
        r#"aria-labelledby="indicator-re_referral_rate-title indicator-re_referral_rate-desc""#
    ));
    assert_eq!(
        section.matches("govuk-details__summary-text").count(),
        charts,
        "every chart has its figures as a table"
    );
    // Counts are not compared with England's total.
    assert!(section.contains("England (total)"));
}
