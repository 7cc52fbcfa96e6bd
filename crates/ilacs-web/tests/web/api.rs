use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::Value;

/// The `required` fields of a schema in the served OpenAPI document, following allOf.
fn required(openapi: &Value, schema: &str) -> Vec<String> {
    let s = &openapi["components"]["schemas"][schema];
    let mut fields: Vec<String> = s["required"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    for part in s["allOf"].as_array().into_iter().flatten() {
        match part["$ref"].as_str() {
            Some(r) => fields.extend(required(openapi, r.rsplit('/').next().unwrap())),
            None => fields.extend(
                part["required"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string()),
            ),
        }
    }
    assert!(!fields.is_empty(), "schema {schema} has required fields");
    fields
}

fn assert_has(object: &Value, fields: &[String], what: &str) {
    for f in fields {
        assert!(object.get(f).is_some(), "{what} lacks '{f}': {object}");
    }
}

#[tokio::test]
async fn lists_every_local_authority_as_the_openapi_document_says() {
    let mut app = TestApp::new().await;
    let openapi = app.get("/api/v1/openapi.json").await.json();
    assert_eq!(openapi["openapi"], "3.1.0");
    let response = app.get("/api/v1/local-authorities").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers["content-type"], "application/json");
    let list = response.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 157);
    assert_eq!(list.iter().filter(|la| la["current"] == true).count(), 153);
    let la_fields = required(&openapi, "LocalAuthority");
    let inspection_fields = required(&openapi, "Inspection");
    let judgement_fields = required(&openapi, "Judgements");
    for la in list {
        assert_has(la, &la_fields, "local authority");
        if !la["latest_inspection"].is_null() {
            assert_has(&la["latest_inspection"], &inspection_fields, "inspection");
            assert_has(
                &la["latest_inspection"]["judgements"],
                &judgement_fields,
                "judgements",
            );
        }
    }
    // Every current LA has a published judgement (the latest-judgements sheet).
    assert!(list
        .iter()
        .filter(|la| la["current"] == true)
        .all(|la| !la["latest_inspection"].is_null()));
    let barking = list.iter().find(|la| la["code"] == "E09000002").unwrap();
    assert_eq!(barking["la_code"], "301");
    assert_eq!(barking["ofsted_region"], "London");
    let latest = &barking["latest_inspection"];
    assert_eq!(latest["start_date"], "2023-07-10");
    assert_eq!(latest["type"], "standard_inspection");
    assert_eq!(latest["framework_version"], "2023");
    for key in [
        "overall_effectiveness",
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
    ] {
        assert_eq!(latest["judgements"][key], "requires_improvement", "{key}");
    }
    assert_eq!(latest["judgements"]["care_leavers"], "good");
}

#[tokio::test]
async fn one_local_authority_with_its_history_by_any_code() {
    let mut app = TestApp::new().await;
    let openapi = app.get("/api/v1/openapi.json").await.json();
    let by_gss = app.get("/api/v1/local-authorities/E09000002").await.json();
    assert_has(
        &by_gss,
        &required(&openapi, "LocalAuthorityDetail"),
        "detail",
    );
    let by_la = app.get("/api/v1/local-authorities/301").await.json();
    assert_eq!(by_gss, by_la);
    let inspections = by_gss["inspections"].as_array().unwrap();
    let dates: Vec<_> = inspections
        .iter()
        .map(|i| i["start_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2023-07-10", "2019-02-18"]);
    assert!(
        inspections[1]["judgements"]["care_leavers"].is_null(),
        "no care leavers judgement before 2023"
    );
    assert_eq!(by_gss["statistical_neighbours"][0]["name"], "Enfield");
    assert_eq!(by_gss["visits"][0]["type"], "focused_visit");
    assert_eq!(
        by_gss["visits"][0]["theme"],
        "Children in need/subject to a plan"
    );

    let barnsley = app.get("/api/v1/local-authorities/E08000038").await.json();
    assert_eq!(
        barnsley["name"], "Barnsley",
        "a newer area code finds the LA"
    );
    let bournemouth = app.get("/api/v1/local-authorities/837").await.json();
    assert_eq!(bournemouth["current"], false);
    assert_eq!(bournemouth["inspections"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_and_malformed_codes_get_clear_json_errors() {
    let mut app = TestApp::new().await;
    let missing = app.get("/api/v1/local-authorities/E09999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.json()["error"],
        "no local authority has the code 'E09999999'"
    );
    let malformed = app.get("/api/v1/local-authorities/barking").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.json()["error"]
        .as_str()
        .unwrap()
        .contains("'barking' is not an LA code"));
}
