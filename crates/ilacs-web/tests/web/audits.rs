use crate::support::{TestApp, TestResponse};
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use ilacs_domain::authority::LaCode;

const AUDITS: &str = "/local-authorities/E09000002/audits";
const NEW: &str = "/local-authorities/E09000002/audits/new?template=ilacs-quality";
const DOMAINS: [&str; 9] = [
    "history_and_chronology",
    "assessment_of_need_and_risk",
    "planning_and_review",
    "voice_of_the_child",
    "multi_agency_work",
    "management_oversight_and_supervision",
    "impact_and_outcomes",
    "recording",
    "family_feedback",
];

/// A complete audit form: every domain graded `grade`, overall `overall`.
fn audit_form(child: &str, grade: &str, overall: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("child_id", child),
        ("team", "Assessment team 2"),
        ("worker", "Sam Worker"),
        ("case_type", "help_and_protection"),
        ("date", "02/11/2026"),
        ("overall", overall),
        (
            "worked_well",
            "The child's views are clear and drive the plan.",
        ),
        ("must_change", "Supervision notes do not record decisions."),
        (
            "actions.0.description",
            "Record supervision decisions on the file",
        ),
        ("actions.0.owner", "manager"),
        ("actions.0.due", "30/11/2026"),
        ("themes", "Voice of the child, supervision"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for d in DOMAINS {
        f.push((format!("domains.{d}.score"), grade.to_string()));
        f.push((
            format!("domains.{d}.narrative"),
            format!("Evidence for {d}."),
        ));
    }
    f
}

async fn post(
    app: &mut TestApp,
    page: &str,
    action: &str,
    fields: &[(String, String)],
) -> TestResponse {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.submit(page, action, &borrowed).await
}

pub(crate) async fn record(app: &mut TestApp, child: &str, grade: &str, overall: &str) -> String {
    let r = post(
        app,
        NEW,
        "/local-authorities/E09000002/audits?template=ilacs-quality",
        &audit_form(child, grade, overall),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().to_string()
}

#[tokio::test]
async fn audits_are_for_the_las_quality_staff_and_every_read_is_logged() {
    let mut app = TestApp::new().await;
    assert_eq!(
        app.get(AUDITS).await.status,
        StatusCode::SEE_OTHER,
        "anonymous"
    );
    for (user, expected) in [
        ("viewer.barking", StatusCode::FORBIDDEN),
        ("dcs.devon", StatusCode::FORBIDDEN),
        ("hmi.london", StatusCode::FORBIDDEN),
        ("ofsted.national", StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN),
        ("teamlead.barking", StatusCode::OK),
        ("qp.barking", StatusCode::OK),
        ("dcs.barking", StatusCode::OK),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(app.get(AUDITS).await.status, expected, "{user} reading");
        let form = app.get(NEW).await.status;
        assert_eq!(form, expected, "{user} opening the form");
    }
    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 20)
        .await
        .unwrap();
    let readers: Vec<_> = log
        .iter()
        .filter(|e| e.entry.record_kind == "case_audit")
        .map(|e| e.entry.username.as_str())
        .collect();
    assert_eq!(readers, ["dcs.barking", "qp.barking", "teamlead.barking"]);
}

#[tokio::test]
async fn an_auditor_records_an_audit_and_sees_every_problem_at_once() {
    let mut app = TestApp::new().await;
    app.sign_in("teamlead.barking").await;
    let form = app.get(NEW).await;
    assert_eq!(form.h1(), "Record a case audit");
    assert!(
        form.body.contains("What a good case shows"),
        "guidance from the template"
    );

    let mut bad = audit_form(" ", "excellent", "good");
    bad.retain(|(k, _)| k != "domains.recording.score");
    bad.push(("actions.0.due".into(), "01/01/2020".into()));
    bad.retain(|(k, v)| !(k == "actions.0.due" && v == "30/11/2026"));
    let r = post(
        &mut app,
        NEW,
        "/local-authorities/E09000002/audits?template=ilacs-quality",
        &bad,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "child_id",
        "domains.voice_of_the_child.score",
        "domains.recording.score",
        "actions.0.due",
    ] {
        assert!(
            r.body.contains(&format!("<a href=\"#{field}\">")),
            "an error linked to {field}:\n{}",
            r.body
        );
    }
    assert!(
        r.body.contains("Evidence for voice_of_the_child."),
        "what was typed is kept"
    );

    let at = record(&mut app, "CHILD-001", "good", "requires_improvement").await;
    let page = app.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Audit of CHILD-001");
    assert!(page.body.contains("Requires improvement to be good"));
    assert!(page
        .body
        .contains("Record supervision decisions on the file"));
    assert!(
        page.body.contains(">Voice of the child</strong>"),
        "themes are normalised, and shown as words"
    );
    let list = app.get(AUDITS).await;
    assert!(list.body.contains(">CHILD-001</a>"));
}

#[tokio::test]
async fn an_inadequate_audit_schedules_a_re_audit() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let at = record(&mut app, "CHILD-009", "inadequate", "inadequate").await;
    let page = app.get(&at).await;
    // 2 November 2026 plus the default three months.
    assert!(
        page.body.contains("re-audit this case by 2 February 2027"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn moderation_is_blind_by_another_auditor_and_feeds_the_agreement_report() {
    let mut app = TestApp::new().await;
    app.sign_in("teamlead.barking").await;
    let first = record(&mut app, "CHILD-002", "good", "good").await;
    let id = first.rsplit('/').next().unwrap().to_string();
    let moderate = format!("{AUDITS}/{id}/moderate");

    // The first auditor cannot moderate their own audit.
    let own = post(
        &mut app,
        &moderate,
        &moderate,
        &audit_form("ignored", "good", "good"),
    )
    .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        own.body.contains("This moderation cannot be saved"),
        "{}",
        own.body
    );

    app.new_browser();
    app.sign_in("qp.barking").await;
    let queue = app.get(&format!("{AUDITS}/moderation")).await;
    let waiting = &queue.body[queue.body.find("id=\"waiting\"").unwrap()..];
    assert!(
        waiting.contains(&format!("href=\"{moderate}\">Moderate CHILD-002</a>")),
        "{waiting}"
    );
    let first_page = app.get(&first).await;
    assert!(
        !first_page.body.contains("/moderate\""),
        "no way into moderation from the graded audit"
    );
    let form = app.get(&moderate).await;
    assert!(form.body.contains("CHILD-002"));
    assert!(
        !form.body.contains(" checked"),
        "blind: nothing is pre-selected from the first audit"
    );
    let mut grades = audit_form("ignored", "good", "requires_improvement");
    grades.push((
        "domains.recording.score".into(),
        "requires_improvement".into(),
    ));
    grades.retain(|(k, v)| !(k == "domains.recording.score" && v == "good"));
    let done = post(&mut app, &moderate, &moderate, &grades).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let moderation = app.get(done.location()).await;
    assert!(moderation.body.contains("This is a moderation of"));
    assert!(
        moderation.body.contains("CHILD-002"),
        "the case comes from the first audit, not the form"
    );

    let again = post(&mut app, &moderate, &moderate, &grades).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one moderation per audit"
    );

    let report = app.get(&format!("{AUDITS}/moderation")).await;
    assert_eq!(report.status, StatusCode::OK);
    let agreement = &report.body[report.body.find("id=\"agreement\"").unwrap()..];
    assert!(
        agreement.contains("0 of 1 (0%)"),
        "the overall grade moved: {agreement}"
    );
    assert!(agreement.contains("1 of 1 (100%)"), "but within one grade");
    assert!(
        report.body.contains(">Recording</th>"),
        "agreement per domain"
    );
    let moved = &report.body[report.body.find("id=\"moved\"").unwrap()..];
    assert!(moved.contains("CHILD-002") && moved.contains("(worse)"));
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_the_users_changes_are_kept() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let at = record(&mut app, "CHILD-003", "good", "good").await;
    let edit = format!("{at}/edit");
    let form = app.get(&edit).await;
    assert!(form.body.contains(r#"name="version" value="1""#));
    assert!(
        form.body.contains(r#"value="02/11/2026""#),
        "dates shown as typed"
    );

    let mut first = audit_form("CHILD-003", "good", "outstanding");
    first.push(("version".into(), "1".into()));
    let saved = post(&mut app, &edit, &at, &first).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // A second person who opened version 1 saves later.
    let mut second = audit_form("CHILD-003", "good", "inadequate");
    second.push(("version".into(), "1".into()));
    second.push(("worked_well".into(), "My careful rewrite".into()));
    second.retain(|(k, v)| !(k == "worked_well" && v.starts_with("The child")));
    let refused = post(&mut app, &edit, &at, &second).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("since you opened it"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("My careful rewrite"),
        "nothing the user typed is lost"
    );
    let page = app.get(&at).await;
    assert!(page.body.contains("Outstanding"), "the first save stands");
}

#[tokio::test]
async fn the_audit_list_downloads_as_a_spreadsheet() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    record(&mut app, "CHILD-004", "good", "good").await;
    let r = app.get("/local-authorities/E09000002/audits.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("case-audits-301-2026-11-23.xlsx"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes)).unwrap();
    let range = book.worksheet_range("Case audits").unwrap();
    assert_eq!(
        range.get_value((2, 1)),
        Some(&Data::String("Child ID".into()))
    );
    assert_eq!(
        range.get_value((3, 1)),
        Some(&Data::String("CHILD-004".into()))
    );
    assert_eq!(range.get_value((3, 7)), Some(&Data::String("Good".into())));
}

#[tokio::test]
async fn a_numeric_template_scores_zero_to_ten() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let page = "/local-authorities/E09000002/audits/new?template=signs-of-safety";
    let form = app.get(page).await;
    assert!(form.body.contains("A whole number from 0 to 10"));
    let r = app
        .submit(
            page,
            "/local-authorities/E09000002/audits?template=signs-of-safety",
            &[("overall", "11")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r##"<a href="#overall">"##));
    assert_eq!(
        app.get("/local-authorities/E09000002/audits/new?template=nope")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_quarterly_summary_compares_grades_and_themes_with_the_quarter_before() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let action = "/local-authorities/E09000002/audits?template=ilacs-quality";
    for (child, date, overall) in [
        ("CHILD-010", "02/11/2026", "good"),
        ("CHILD-011", "10/10/2026", "outstanding"),
        ("CHILD-012", "15/08/2026", "inadequate"),
    ] {
        let mut form = audit_form(child, "good", overall);
        form.retain(|(k, _)| k != "date");
        form.push(("date".into(), date.into()));
        let r = post(&mut app, NEW, action, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = app.get(&format!("{AUDITS}/summary")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Audit summary: October to December 2026");
    assert!(page
        .body
        .contains("2 audits this quarter; 1 in July to September 2026"));
    let overall = &page.body[page.body.find("id=\"overall\"").unwrap()..];
    let overall = &overall[..overall.find("</table>").unwrap()];
    assert!(
        overall.contains("100% (2 of 2)") && overall.contains("0% (0 of 1)"),
        "{overall}"
    );
    assert!(overall.contains(">Better<"));
    let themes = &page.body[page.body.find("id=\"themes\"").unwrap()..];
    assert!(themes.contains(">Voice of the child</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">1</td>"), "{themes}");

    let earlier = app.get(&format!("{AUDITS}/summary?quarter=2026-Q3")).await;
    assert_eq!(earlier.h1(), "Audit summary: July to September 2026");
    let bad = app.get(&format!("{AUDITS}/summary?quarter=autumn")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("is not a quarter"));
}

fn upload(child: &str, overall: &str) -> String {
    let domains: Vec<serde_json::Value> = DOMAINS
        .iter()
        .map(|d| serde_json::json!({"domain": d, "score": "good", "narrative": format!("Evidence for {d}.")}))
        .collect();
    serde_json::json!({
        "template": "ilacs-quality",
        "audit": {
            "child_id": child, "team": "Assessment team 2", "worker": "Sam Worker",
            "case_type": "help_and_protection", "auditor": "tm.mosaic", "date": "2026-11-02",
            "domains": domains, "overall": overall,
            "worked_well": "Clear plan.", "must_change": "Record supervision.",
            "actions": [{"description": "Update the chronology", "owner": "worker", "due": "2026-11-30"}],
            "themes": ["chronologies"]
        }
    })
    .to_string()
}

#[tokio::test]
async fn a_case_management_system_loads_audits_with_an_api_token() {
    use axum::http::Method;
    let mut app = TestApp::new().await;
    let path = "/api/v1/local-authorities/E09000002/audits";
    let anonymous = app.api(Method::GET, path, None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.json()["error"]
        .as_str()
        .unwrap()
        .contains("Bearer"));
    let bad = app
        .api(Method::GET, path, Some("ilacs_not-a-token"), None)
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.json()["error"].as_str().unwrap().contains("not valid"));

    let devon = app.api_token("dcs.devon").await;
    assert_eq!(
        app.api(Method::GET, path, Some(&devon), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::POST,
            path,
            Some(&devon),
            Some(&upload("C-1", "good"))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let token = app.api_token("qp.barking").await;
    let created = app
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(&upload("MOSAIC-77", "good")),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert_eq!(body["audit"]["child_id"], "MOSAIC-77");
    assert_eq!(body["audit"]["auditor"], "tm.mosaic");
    assert_eq!(body["created_by"], "qp.barking");
    assert_eq!(body["version"], 1);
    let openapi = app.get("/api/v1/openapi.json").await.json();
    for field in openapi["components"]["schemas"]["StoredAudit"]["required"]
        .as_array()
        .unwrap()
    {
        assert!(
            body.get(field.as_str().unwrap()).is_some(),
            "the response lacks {field}"
        );
    }

    let invalid = app
        .api(
            Method::POST,
            path,
            Some(&token),
            Some(&upload("MOSAIC-78", "superb")),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.json()["fields"][0]["field"], "overall");
    let malformed = app
        .api(Method::POST, path, Some(&token), Some("{\"template\": 3"))
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("the body is not an audit upload"));

    let listed = app
        .api(
            Method::GET,
            &format!("{path}?from=2026-11-01&to=2026-11-30"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let wrong_date = app
        .api(
            Method::GET,
            &format!("{path}?from=1/11/2026"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(wrong_date.status, StatusCode::BAD_REQUEST);

    // A browser session reads the API, but a cookie alone never changes anything
    // through it: that is what keeps the API safe from cross-site requests.
    app.sign_in("qp.barking").await;
    assert_eq!(
        app.api(Method::GET, path, None, None).await.status,
        StatusCode::OK
    );
    let by_cookie = app
        .api(Method::POST, path, None, Some(&upload("C-2", "good")))
        .await;
    assert_eq!(by_cookie.status, StatusCode::UNAUTHORIZED);
    let log = app
        .store
        .access_log(
            Some(&ilacs_domain::authority::LaCode::parse("301").unwrap()),
            10,
        )
        .await
        .unwrap();
    assert!(log
        .iter()
        .any(|e| e.entry.username == "qp.barking" && e.entry.record_kind == "case_audit"));
}
