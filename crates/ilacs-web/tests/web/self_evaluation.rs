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

/// The `row_version` a page's forms carry.
fn row_version_of(body: &str) -> String {
    let marker = r#"name="row_version" value=""#;
    let at = body.find(marker).expect("the page has a form") + marker.len();
    body[at..].split('"').next().unwrap().to_string()
}

/// The first id of the given kind (`s-`, `a-`, `p-`) that a page links to.
fn item_id(body: &str, prefix: &str) -> String {
    let marker = format!("/{prefix}");
    let at = body
        .match_indices(&marker)
        .map(|(i, _)| i + 1)
        .find(|i| body[*i..].starts_with(prefix) && body[*i + prefix.len()..].starts_with("20"))
        .unwrap_or_else(|| panic!("no {prefix} id in the page"));
    body[at..].split(['"', '/']).next().unwrap().to_string()
}

async fn add_finding(app: &mut TestApp, kind: &str, text: &str) {
    let page = format!("{V1}/findings");
    let rv = row_version_of(&app.get(&page).await.body);
    let r = app
        .submit(
            &page,
            &page,
            &[("row_version", &rv), ("kind", kind), ("finding.text", text)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn findings_change_and_go_but_an_area_the_plan_answers_stays() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    add_finding(&mut app, "strength", "Children are seen alone.").await;
    add_finding(&mut app, "area", "Supervision is irregular.").await;
    let findings = format!("{V1}/findings");
    let listed = app.get(&findings).await;
    let strength = item_id(&listed.body, "s-");
    let area = item_id(&listed.body, "a-");

    // Changing: the form opens with what was written.
    let change = format!("{findings}/{strength}");
    let form = app.get(&change).await;
    assert_eq!(form.h1(), "Change strength");
    assert!(form.body.contains(">Children are seen alone.</textarea>"));
    let rv = row_version_of(&form.body);
    let blank = app
        .submit(
            &change,
            &change,
            &[("row_version", &rv), ("finding.text", "")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = app
        .submit(
            &change,
            &change,
            &[
                ("row_version", &rv),
                (
                    "finding.text",
                    "Children are seen alone, and their words recorded.",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(app
        .get(&findings)
        .await
        .body
        .contains("their words recorded."));
    // The same form again, from before that save: refused, with what was typed kept.
    let stale = app
        .submit(
            &change,
            &change,
            &[("row_version", &rv), ("finding.text", "A later thought.")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains(">A later thought.</textarea>"));

    // An area the plan answers cannot go until the action changes.
    let plan = format!("{V1}/plan");
    let rv = row_version_of(&app.get(&plan).await.body);
    let action = app
        .submit(
            &plan,
            &plan,
            &[
                ("row_version", &rv),
                ("description", "Monthly supervision audit"),
                ("status", "not_started"),
                ("answers", &area),
            ],
        )
        .await;
    assert_eq!(action.status, StatusCode::SEE_OTHER, "{}", action.body);
    let rv = row_version_of(&app.get(&findings).await.body);
    let refused = app
        .submit(
            &findings,
            &format!("{findings}/{area}/remove"),
            &[("row_version", &rv)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("change or remove ‘Monthly supervision audit’ first"),
        "{}",
        refused.body
    );
    let action_id = item_id(&app.get(&plan).await.body, "p-");
    let removed = app
        .submit(
            &plan,
            &format!("{plan}/{action_id}/remove"),
            &[("row_version", &rv)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    for id in [&area, &strength] {
        let rv = row_version_of(&app.get(&findings).await.body);
        let r = app
            .submit(
                &findings,
                &format!("{findings}/{id}/remove"),
                &[("row_version", &rv)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{id}: {}", r.body);
    }
    let after = app.get(&findings).await;
    assert!(!after.body.contains("Supervision is irregular."));
    assert!(!after.body.contains("their words recorded."));
    assert_eq!(
        app.get(&format!("{findings}/s-2026-99")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_changed_action_may_cite_only_the_las_own_audits_as_evidence() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let audit = an_audit(&mut app).await;
    let plan = format!("{V1}/plan");
    let rv = row_version_of(&app.get(&plan).await.body);
    let added = app
        .submit(
            &plan,
            &plan,
            &[
                ("row_version", &rv),
                ("description", "Train managers in reflective supervision"),
                ("owner", "Principal social worker"),
                ("status", "in_progress"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let id = item_id(&app.get(&plan).await.body, "p-");
    let change = format!("{plan}/{id}");
    let form = app.get(&change).await;
    assert_eq!(form.h1(), "Change action");
    assert!(form.body.contains(r#"value="Principal social worker""#));
    let rv = row_version_of(&form.body);
    let done = |audits: &'static str| {
        [
            ("description", "Train managers in reflective supervision"),
            ("owner", "Principal social worker"),
            ("status", "done"),
            ("date_done", "13/11/2026"),
            ("what_changed", "All 14 managers trained"),
            ("audits", audits),
        ]
    };
    let mut fields = done("99999").to_vec();
    fields.push(("row_version", &rv));
    let unknown = app.submit(&change, &change, &fields).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown
        .body
        .contains("There is no case audit 99999 in Barking and Dagenham"));
    let audit: &'static str = Box::leak(audit.into_boxed_str());
    let mut fields = done(audit).to_vec();
    fields.push(("row_version", &rv));
    let saved = app.submit(&change, &change, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listed = app.get(&plan).await;
    assert!(listed.body.contains("Done"));
    assert!(!listed.body.contains("No evidence it happened"));

    // Another LA's leader cannot open the form.
    app.new_browser();
    app.sign_in("dcs.devon").await;
    assert_eq!(app.get(&change).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_la_adds_orders_and_removes_its_own_sections() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let sections = format!("{V1}/sections");
    let page = app.get(&sections).await;
    assert_eq!(page.h1(), "Arrange sections");
    let rv = row_version_of(&page.body);
    let blank = app
        .submit(
            &sections,
            &sections,
            &[("row_version", &rv), ("op", "add"), ("title", " ")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank
        .body
        .contains(r##"<a href="#title">Enter a title for the section</a>"##));
    let added = app
        .submit(
            &sections,
            &sections,
            &[("row_version", &rv), ("op", "add"), ("title", "Early help")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let order = |body: &str| -> Vec<String> {
        body.split(r#"<th scope="row" class="govuk-table__header">"#)
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_string())
            .collect()
    };
    let page = app.get(&sections).await;
    let before = order(&page.body);
    assert_eq!(before.last().map(String::as_str), Some("Early help"));
    let rv = row_version_of(&page.body);
    let up = app
        .submit(
            &sections,
            &sections,
            &[("row_version", &rv), ("op", "up"), ("key", "early-help")],
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let page = app.get(&sections).await;
    let after = order(&page.body);
    assert_eq!(after[after.len() - 2], "Early help");
    assert_eq!(after.len(), before.len());
    // The version's task list shows it, and its questions can be answered.
    assert!(app.get(V1).await.body.contains("/sections/early-help\""));
    assert_eq!(
        app.get(&format!("{sections}/early-help")).await.status,
        StatusCode::OK
    );
    let rv = row_version_of(&page.body);
    let framework = app
        .submit(
            &sections,
            &sections,
            &[("row_version", &rv), ("op", "remove"), ("key", "context")],
        )
        .await;
    assert_eq!(framework.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(framework.body.contains("cannot be removed"));
    let removed = app
        .submit(
            &sections,
            &sections,
            &[
                ("row_version", &rv),
                ("op", "remove"),
                ("key", "early-help"),
            ],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(
        order(&app.get(&sections).await.body),
        before[..before.len() - 1]
    );

    // Readers who may not write cannot arrange.
    app.new_browser();
    app.sign_in("viewer.barking").await;
    assert_eq!(app.get(&sections).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn this_year_is_compared_with_last_years_signed_off_version() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let last = "/local-authorities/E09000002/self-evaluation/2025-26/1";
    let r = app.submit(SEF, SEF, &[("year", "2025-26")]).await;
    assert_eq!(r.location(), last, "{}", r.body);
    let findings = format!("{last}/findings");
    for (kind, text) in [
        ("strength", "Children are seen alone."),
        ("strength", "Care leavers stay in touch."),
        ("area", "Supervision is irregular."),
    ] {
        let rv = row_version_of(&app.get(&findings).await.body);
        let r = app
            .submit(
                &findings,
                &findings,
                &[("row_version", &rv), ("kind", kind), ("finding.text", text)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let plan = format!("{last}/plan");
    for (description, status) in [
        ("Audit supervision monthly", "in_progress"),
        ("Recruit two IROs", "not_started"),
    ] {
        let rv = row_version_of(&app.get(&plan).await.body);
        let r = app
            .submit(
                &plan,
                &plan,
                &[
                    ("row_version", &rv),
                    ("description", description),
                    ("status", status),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // Nothing signed off yet: nothing to compare this year's with.
    app.new_browser();
    started(&mut app).await;
    assert!(app
        .get(&format!("{V1}/compare"))
        .await
        .body
        .contains("no signed-off self-evaluation for 2025-26"));

    app.new_browser();
    app.sign_in("dcs.barking").await;
    let rv = row_version_of(&app.get(last).await.body);
    let r = app
        .submit(
            last,
            &format!("{last}/stage"),
            &[("transition", "sign_off"), ("row_version", &rv)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let compare = app.get(&format!("{V1}/compare")).await;
    assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
    assert_eq!(compare.h1(), "Year on year");
    let plan_part = &compare.body[compare.body.find("id=\"plan\"").unwrap()..];
    let missing = &plan_part[plan_part.find("id=\"plan-not-carried-over\"").unwrap()..];
    let missing = &missing[..missing.find("</div>").unwrap()];
    assert!(
        missing.contains("Audit supervision monthly") && missing.contains("Recruit two IROs"),
        "this year's draft was started before last year's was signed off, so it carries nothing: {missing}"
    );
    let strengths = &compare.body[compare.body.find("id=\"strengths\"").unwrap()..];
    let strengths = &strengths[..strengths.find("id=\"areas\"").unwrap()];
    let gone = &strengths[strengths.find("No longer listed").unwrap()..];
    assert!(
        gone.contains("Children are seen alone.") && gone.contains("Care leavers stay in touch.")
    );
}

#[tokio::test]
async fn a_version_downloads_as_word_pdf_and_html_for_its_readers_only() {
    let mut app = TestApp::new().await;
    started(&mut app).await;
    let audit = an_audit(&mut app).await;
    let findings = format!("{V1}/findings");
    let r = app
        .submit(
            &findings,
            &findings,
            &[
                ("row_version", "1"),
                ("kind", "strength"),
                ("finding.text", "Children are seen <alone> & heard."),
                ("finding.audits", &audit),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(V1).await;
    for format in ["docx", "pdf", "html"] {
        assert!(
            page.body.contains(&format!("{V1}/download/{format}\"")),
            "the version page offers {format}"
        );
    }

    let docx = app.get(&format!("{V1}/download/docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(
        docx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        docx.headers["content-disposition"],
        "attachment; filename=\"barking-and-dagenham-self-evaluation-2026-27-v1.docx\""
    );
    assert!(docx.bytes.starts_with(b"PK\x03\x04"), "a zip package");
    let pdf = app.get(&format!("{V1}/download/pdf")).await;
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));

    // The LA's own staff see each cited audit's team and grade in the appendix, never
    // the child.
    let html = app.get(&format!("{V1}/download/html")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html
        .body
        .contains("Children are seen &lt;alone&gt; &amp; heard."));
    let appendix = &html.body[html.body.find("Appendix: evidence").expect("an appendix")..];
    assert!(
        appendix.contains(&format!("Case audit {audit}")),
        "{appendix}"
    );
    assert!(
        appendix.contains("Assessment") && appendix.contains("Good"),
        "{appendix}"
    );
    assert!(!html.body.contains("CHILD-100") && !html.body.contains("Sam"));
    assert_eq!(
        app.get(&format!("{V1}/download/exe")).await.status,
        StatusCode::NOT_FOUND
    );

    // A draft is the LA's: Ofsted and other LAs cannot download it; anonymous users
    // are asked to sign in.
    for user in ["hmi.london", "dcs.devon"] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(
            app.get(&format!("{V1}/download/pdf")).await.status,
            StatusCode::NOT_FOUND,
            "{user}"
        );
    }
    app.new_browser();
    assert_eq!(
        app.get(&format!("{V1}/download/docx")).await.status,
        StatusCode::SEE_OTHER
    );

    // Shared with Ofsted: the region's inspector downloads it, seeing which audits are
    // cited but not their details, and the read is logged.
    app.sign_in("dcs.barking").await;
    for transition in ["sign_off", "share_with_ofsted"] {
        let rv = row_version_of(&app.get(V1).await.body);
        let r = app
            .submit(
                V1,
                &format!("{V1}/stage"),
                &[("transition", transition), ("row_version", &rv)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    app.new_browser();
    app.sign_in("hmi.london").await;
    let html = app.get(&format!("{V1}/download/html")).await;
    assert_eq!(html.status, StatusCode::OK);
    let appendix = &html.body[html.body.find("Appendix: evidence").unwrap()..];
    assert!(appendix.contains(&format!("Case audit {audit}")));
    assert!(
        !appendix.contains("Assessment"),
        "audit details are the LA's"
    );
    let la_page = app.get("/local-authorities/E09000002").await;
    assert!(
        la_page
            .body
            .contains(&format!(r#"id="latest-self-evaluation" href="{V1}""#)),
        "the intelligence page links the shared version"
    );
    app.new_browser();
    app.sign_in("hmi.southwest").await;
    assert_eq!(
        app.get(&format!("{V1}/download/html")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app
        .get("/local-authorities/E09000002")
        .await
        .body
        .contains("latest-self-evaluation"));
    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 50)
        .await
        .unwrap();
    assert!(log
        .iter()
        .any(|e| e.entry.username == "hmi.london" && e.entry.record_kind == "self_evaluation"));
}
