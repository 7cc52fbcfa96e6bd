use crate::support::TestApp;
use axum::http::StatusCode;
use ilacs_domain::authority::LaCode;

const SEF: &str = "/local-authorities/E09000002/self-evaluation";
const V1: &str = "/local-authorities/E09000002/self-evaluation/2026-27/1";

/// Starts Barking and Dagenham's 2026-27 self-evaluation as its quality lead.
async fn started(app: &mut TestApp) {
    app.sign_in("qp.barking").await;
    let r = app.submit(SEF, SEF, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), V1);
}

/// Records an audit and returns its number.
async fn an_audit(app: &mut TestApp) -> String {
    let mut fields: Vec<(String, String)> = [
        ("child_id", "CHILD-100"),
        ("team", "Assessment"),
        ("worker", "Sam"),
        ("case_type", "help_and_protection"),
        ("date", "02/11/2026"),
        ("overall", "good"),
        ("worked_well", "Clear plan"),
        ("must_change", "Supervision"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for d in [
        "history_and_chronology",
        "assessment_of_need_and_risk",
        "planning_and_review",
        "voice_of_the_child",
        "multi_agency_work",
        "management_oversight_and_supervision",
        "impact_and_outcomes",
        "recording",
        "family_feedback",
    ] {
        fields.push((format!("domains.{d}.score"), "good".into()));
        fields.push((format!("domains.{d}.narrative"), "Evidence.".into()));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = "/local-authorities/E09000002/audits/new?template=ilacs-quality";
    let r = app
        .submit(
            page,
            "/local-authorities/E09000002/audits?template=ilacs-quality",
            &borrowed,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn an_la_writes_its_self_evaluation_with_evidence_and_the_review_advises() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let page = app.get(V1).await;
    assert_eq!(page.h1(), "Self-evaluation 2026-27");
    assert!(page.body.contains(">Draft</strong>"));
    let tasks = &page.body[page.body.find("id=\"tasks\"").unwrap()..];
    for title in [
        "Context",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of care leavers",
    ] {
        assert!(tasks.contains(title), "a task for {title}: {tasks}");
    }
    // Starting again goes back to the same draft.
    assert_eq!(app.submit(SEF, SEF, &[]).await.location(), V1);

    let audit = an_audit(&mut app).await;
    let section = format!("{V1}/sections/help_and_protection");
    let form = app.get(&section).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="row_version" value="1""#));

    let bad = app
        .submit(
            &section,
            &section,
            &[
                ("row_version", "1"),
                ("what_you_know.0.text", "Thresholds are applied well."),
                ("what_you_know.0.audits", "999"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("There is no case audit 999 in Barking and Dagenham"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("Thresholds are applied well."),
        "what was typed is kept"
    );

    let saved = app
        .submit(
            &section,
            &section,
            &[
                ("row_version", "1"),
                (
                    "what_you_know.0.text",
                    "Thresholds are applied well at the front door.",
                ),
                ("what_you_know.0.audits", &audit),
                (
                    "how_you_know.0.text",
                    "Monthly audits and feedback from families.",
                ),
                ("how_you_know.0.other_kind", "feedback"),
                ("how_you_know.0.other_label", "Family survey, autumn 2026"),
                ("plans.0.text", "We will embed the new practice model."),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(V1).await;
    assert!(page
        .body
        .contains("Thresholds are applied well at the front door."));
    assert!(
        page.body.contains(&format!(
            r#"href="/local-authorities/E09000002/audits/{audit}">audit {audit}</a>"#
        )),
        "the claim opens its evidence"
    );
    assert!(page.body.contains("Family survey, autumn 2026"));

    let review = app.get(&format!("{V1}/review")).await;
    assert_eq!(review.status, StatusCode::OK);
    assert_eq!(review.h1(), "Is this evaluative?");
    assert!(
        review.body.contains("id=\"advice\""),
        "an unfinished draft gets advice"
    );
    assert!(
        review
            .body
            .contains("Change The experiences and progress of care leavers")
            || review.body.contains("Change Context")
    );

    // A stale form is refused and keeps what was typed.
    let stale = app
        .submit(
            &section,
            &section,
            &[
                ("row_version", "1"),
                ("what_you_know.0.text", "A later rewrite."),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("A later rewrite."));
}

#[tokio::test]
async fn sharing_widens_the_readers_one_stage_at_a_time() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    // A draft: the LA only.
    for (user, expected) in [
        ("hmi.london", StatusCode::NOT_FOUND),
        ("dcs.devon", StatusCode::NOT_FOUND),
        ("viewer.barking", StatusCode::OK),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(app.get(V1).await.status, expected, "{user} reading a draft");
    }
    app.new_browser();
    assert_eq!(
        app.get(V1).await.status,
        StatusCode::SEE_OTHER,
        "anonymous: sign in"
    );

    // Only the LA's leaders sign off and share: the quality lead prepares.
    app.sign_in("qp.barking").await;
    assert!(
        !app.get(V1).await.body.contains("/stage\""),
        "no sign-off button for the quality lead"
    );
    let refused = app
        .submit(
            V1,
            &format!("{V1}/stage"),
            &[("transition", "sign_off"), ("row_version", "1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.new_browser();
    app.sign_in("dcs.barking").await;
    for (transition, stage) in [
        ("sign_off", "Signed off"),
        ("share_with_ofsted", "Shared with Ofsted"),
    ] {
        let row_version = {
            let page = app.get(V1).await;
            let marker = r#"name="row_version" value=""#;
            let at = page.body.find(marker).unwrap() + marker.len();
            page.body[at..].split('"').next().unwrap().to_string()
        };
        let r = app
            .submit(
                V1,
                &format!("{V1}/stage"),
                &[("transition", transition), ("row_version", &row_version)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{transition}: {}", r.body);
        assert!(
            app.get(V1)
                .await
                .body
                .contains(&format!(">{stage}</strong>")),
            "{transition}"
        );
    }
    // A signed-off version cannot change: a new version is the way.
    let edit = app.get(&format!("{V1}/sections/context")).await;
    assert_eq!(edit.status, StatusCode::BAD_REQUEST);
    assert!(edit.body.contains("Start a new version"));

    for (user, expected) in [
        ("hmi.london", StatusCode::OK),
        ("ofsted.national", StatusCode::OK),
        ("hmi.southwest", StatusCode::NOT_FOUND),
        ("dcs.devon", StatusCode::NOT_FOUND),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(
            app.get(V1).await.status,
            expected,
            "{user} reading a version shared with Ofsted"
        );
    }
    app.new_browser();
    app.sign_in("hmi.london").await;
    let home = app.get("/").await;
    let shared = &home.body[home
        .body
        .find("id=\"shared-self-evaluations\"")
        .expect("the region's shared self-evaluations")..];
    assert!(
        shared.contains(">Barking and Dagenham</a>") && shared.contains("Shared with Ofsted"),
        "{shared}"
    );
    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 50)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.entry.username == "hmi.london" && e.entry.record_kind == "self_evaluation"),
        "Ofsted's read is logged"
    );

    // The LA starts version 2 from the shared one.
    app.new_browser();
    app.sign_in("qp.barking").await;
    let r = app.submit(V1, SEF, &[]).await;
    assert_eq!(
        r.location(),
        "/local-authorities/E09000002/self-evaluation/2026-27/2"
    );
    assert!(app.get(r.location()).await.body.contains(">Draft</strong>"));

    // Next year starts from this one, not from a blank page.
    let next = app.submit(V1, SEF, &[("year", "2027-28")]).await;
    assert_eq!(
        next.location(),
        "/local-authorities/E09000002/self-evaluation/2027-28/1"
    );
    let bad = app.submit(V1, SEF, &[("year", "next year")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn strengths_and_areas_for_development_carry_their_evidence() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let audit = an_audit(&mut app).await;
    let page = format!("{V1}/findings");
    let form = app.get(&page).await;
    assert_eq!(form.h1(), "Strengths and areas for development");

    let blank = app.submit(&page, &page, &[("row_version", "1")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains(
        r##"<a href="#kind">Choose whether it is a strength or an area for development</a>"##
    ));
    assert!(blank.body.contains(r##"<a href="#finding.text">"##));

    let added = app
        .submit(
            &page,
            &page,
            &[
                ("row_version", "1"),
                ("kind", "area"),
                (
                    "finding.text",
                    "Management oversight is not recorded consistently.",
                ),
                ("finding.audits", &audit),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let strength = app
        .submit(
            &page,
            &page,
            &[
                ("row_version", "2"),
                ("kind", "strength"),
                ("finding.text", "Children are seen, and seen alone."),
            ],
        )
        .await;
    assert_eq!(strength.status, StatusCode::SEE_OTHER, "{}", strength.body);
    let listed = app.get(&page).await;
    let areas = &listed.body[listed.body.find("id=\"areas\"").unwrap()..];
    assert!(areas.contains("Management oversight is not recorded consistently."));
    let version = app.get(V1).await;
    assert!(version.body.contains("Children are seen, and seen alone."));
    assert!(
        version.body.contains(&format!(">audit {audit}</a>")),
        "the area opens its evidence"
    );
}

#[tokio::test]
async fn the_plan_answers_areas_for_development_and_shows_its_loose_ends() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let findings = format!("{V1}/findings");
    let area = app
        .submit(
            &findings,
            &findings,
            &[
                ("row_version", "1"),
                ("kind", "area"),
                ("finding.text", "Plans drift for children in need."),
            ],
        )
        .await;
    assert_eq!(area.status, StatusCode::SEE_OTHER, "{}", area.body);
    let plan = format!("{V1}/plan");
    let form = app.get(&plan).await;
    assert_eq!(form.h1(), "Improvement plan");
    let area_id = {
        let marker = "<option value=\"a-";
        let at = form.body.find(marker).expect("the area is offered") + "<option value=\"".len();
        form.body[at..].split('"').next().unwrap().to_string()
    };

    let bad = app
        .submit(
            &plan,
            &plan,
            &[
                ("row_version", "2"),
                ("description", "Review every CIN plan"),
                ("start", "01/12/2026"),
                ("due", "01/11/2026"),
                ("status", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains(
            r##"<a href="#due">The due date must be the same as or after the start date"##
        ),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(r##"<a href="#status">"##));
    assert!(
        bad.body.contains(r#"value="Review every CIN plan""#),
        "what was typed is kept"
    );

    let added = app
        .submit(
            &plan,
            &plan,
            &[
                ("row_version", "2"),
                ("description", "Review every CIN plan monthly"),
                ("owner", "Head of service"),
                ("start", "01/06/2026"),
                ("due", "01/10/2026"),
                ("status", "in_progress"),
                ("answers", &area_id),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let listed = app.get(&plan).await;
    let table = &listed.body[listed.body.find("id=\"plan\"").unwrap()..];
    assert!(
        table.contains("Review every CIN plan monthly")
            && table.contains("Answers: Plans drift for children in need.")
    );
    assert!(
        table.contains(">Overdue</strong>"),
        "due 1 October 2026, and today is 23 November 2026"
    );
}
