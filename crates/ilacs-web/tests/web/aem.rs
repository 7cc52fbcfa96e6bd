//! Annual engagement meetings: the region's plan, recording a meeting, the letter
//! drafted, issued once and downloaded; and who can never reach a letter.

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use ilacs_domain::aem::{AemRules, Held, Meeting, OfstedAttendee, OfstedRole, Remit, Venue};
use ilacs_domain::authority::LaCode;
use ilacs_domain::user::Username;

const DEVON: &str = "/local-authorities/E10000008/annual-engagement";
const BARKING: &str = "/local-authorities/E09000002/annual-engagement";
const SOUTH_WEST: &str = "/regions/south-west/annual-engagement";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A meeting stored directly: held on `date`, with a drafted letter, issued if asked.
async fn stored_meeting(app: &TestApp, la: &str, date: &str, issued: bool) -> i64 {
    let mut m = Meeting::plan(
        LaCode::parse(la).unwrap(),
        d(date),
        d(date),
        &AemRules::bundled(),
    )
    .unwrap();
    m.record(
        Held {
            date: d(date),
            venue: Venue::OfstedOffice,
            minutes: 150,
            remit: Remit::SocialCareOnly,
            ofsted: vec![
                OfstedAttendee {
                    name: "Ann Lee".into(),
                    role: OfstedRole::RegionalDirector,
                },
                OfstedAttendee {
                    name: "Raj Patel".into(),
                    role: OfstedRole::SeniorHmi,
                },
            ],
            la: vec![],
        },
        d("2026-11-23"),
    )
    .unwrap();
    m.draft_letter(
        "Annual engagement meeting".into(),
        "Dear Director\n\nA private letter.".into(),
    )
    .unwrap();
    if issued {
        m.issue_letter(d(date), Username::parse("hmi.london").unwrap())
            .unwrap();
    }
    app.store.create_aem_meeting(&m, "test").await.unwrap().id
}

async fn row_version(app: &TestApp, id: i64) -> String {
    app.store
        .aem_meeting(id)
        .await
        .unwrap()
        .unwrap()
        .row_version
        .to_string()
}

#[tokio::test]
async fn the_region_plan_flags_overdue_las_and_proposes_dates() {
    let mut app = TestApp::new().await;
    app.sign_in("hmi.southwest").await;
    let page = app.get(SOUTH_WEST).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Devon"));
    assert!(page.body.contains("Overdue"));
    // Proposed dates are never in the past: the first is after today's notice period.
    assert!(page.body.contains("Proposed: "));
    assert!(!page.body.contains("Proposed: 23 November 2026"));
    assert!(
        page.body.contains(r#"name="date" value="08/12/2026""#),
        "the first proposal is a Tuesday after 14 days' notice"
    );

    // The same plan as a spreadsheet.
    let xlsx = app.get(&format!("{SOUTH_WEST}?format=xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK\x03\x04"));
    assert!(page
        .body
        .contains(&format!(r#"href="{SOUTH_WEST}?format=xlsx""#)));

    // Another region's Ofsted team, an LA's leader and anonymous visitors cannot see it.
    app.new_browser();
    app.sign_in("hmi.london").await;
    assert_eq!(app.get(SOUTH_WEST).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("{SOUTH_WEST}?format=xlsx")).await.status,
        StatusCode::FORBIDDEN
    );
    app.new_browser();
    app.sign_in("dcs.devon").await;
    assert_eq!(app.get(SOUTH_WEST).await.status, StatusCode::FORBIDDEN);
    app.new_browser();
    let anonymous = app.get(SOUTH_WEST).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/sign-in"));
    app.sign_in("ofsted.national").await;
    assert_eq!(app.get(SOUTH_WEST).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_meeting_is_planned_recorded_and_its_letter_issued_once() {
    let mut app = TestApp::new().await;
    app.sign_in("hmi.southwest").await;

    // A date in the past is refused, on its field.
    let past = app.submit(DEVON, DEVON, &[("date", "20/11/2026")]).await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains(r##"href="#date""##));
    assert!(past.body.contains("20 November 2026 has passed"));

    let planned = app.submit(DEVON, DEVON, &[("date", "23/11/2026")]).await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let meeting = planned.location().to_string();
    let id: i64 = meeting.rsplit('/').next().unwrap().parse().unwrap();
    let page = app.get(&meeting).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The content of the self-evaluation"));

    // Recording: every problem at once.
    let record = format!("{meeting}/record");
    let v = row_version(&app, id).await;
    let bad = app
        .submit(
            &record,
            &record,
            &[
                ("row_version", v.as_str()),
                ("date", "24/11/2026"),
                ("minutes", "lots"),
                ("ofsted.0.name", "Ann Lee"),
                ("ofsted.0.role", "regional_director"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "date",
        "venue",
        "minutes",
        "remit",
        "ofsted.0.name",
        "la.0.name",
    ] {
        assert!(
            bad.body.contains(&format!("href=\"#{field}\"")),
            "no error for {field}"
        );
    }
    let good = [
        ("row_version", v.as_str()),
        ("date", "23/11/2026"),
        ("venue", "la"),
        ("minutes", "180"),
        ("remit", "social_care_only"),
        ("ofsted.0.name", "Ann Lee"),
        ("ofsted.0.role", "regional_director"),
        ("ofsted.1.name", "Raj Patel"),
        ("ofsted.1.role", "senior_hmi"),
        ("la.0.name", "Bo Hart"),
        ("la.0.post", "Director of Children's Services"),
        ("la.0.purpose", "Leads the service"),
    ];
    let saved = app.submit(&record, &record, &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The same form sent again from the stale page is refused, not lost.
    let stale = app.submit(&record, &record, &good).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("was changed by hmi.southwest"));

    let agenda = format!("{meeting}/agenda");
    let v = row_version(&app, id).await;
    let r = app
        .submit(
            &agenda,
            &agenda,
            &[
                ("row_version", v.as_str()),
                ("items.0.standard", "sef_content"),
                ("items.0.title", "What leaders know"),
                (
                    "items.0.note",
                    "Leaders know their weaknesses in care leavers' work.",
                ),
                ("items.1.title", "Local context"),
                ("items.1.note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let outcomes = format!("{meeting}/outcomes");
    let v = row_version(&app, id).await;
    let r = app
        .submit(
            &outcomes,
            &outcomes,
            &[
                ("row_version", v.as_str()),
                ("focus_theme", "care_leavers"),
                ("focus_reason", "Fewer are in suitable accommodation."),
                ("next_self_evaluation", "in spring 2027"),
                ("next_meeting", "in autumn 2027"),
                ("steps.0.owner", "la"),
                ("steps.0.text", "Share the care leavers audit."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The letter's first draft is filled from the record.
    let letter = format!("{meeting}/letter");
    let draft = app.get(&letter).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(draft.body.contains("Annual engagement meeting with Devon"));
    assert!(draft.body.contains("Share the care leavers audit."));
    assert!(draft.body.contains("is care leavers."));
    // The DCS cannot see a draft.
    app.new_browser();
    app.sign_in("dcs.devon").await;
    assert_eq!(app.get(&letter).await.status, StatusCode::NOT_FOUND);
    app.new_browser();
    app.sign_in("hmi.southwest").await;

    let v = row_version(&app, id).await;
    let r = app
        .submit(
            &letter,
            &letter,
            &[
                ("row_version", v.as_str()),
                ("subject", "Annual engagement meeting with Devon"),
                (
                    "text",
                    "Dear Director\n\nThank you for meeting us.\n\n- Share the audit.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = row_version(&app, id).await;
    let issue = format!("{letter}/issue");
    let issued = app
        .submit(&letter, &issue, &[("row_version", v.as_str())])
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    let shown = app.get(&letter).await;
    assert!(shown
        .body
        .contains("Issued on 23 November 2026 by hmi.southwest"));

    // Issued twice: refused, saying when and by whom.
    let v = row_version(&app, id).await;
    let again = app
        .submit(&letter, &issue, &[("row_version", v.as_str())])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already issued"), "{}", again.body);

    let pdf = app.get(&format!("{letter}.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));

    // Now the DCS reads it, on their LA's pages, as a page, a PDF and through the API.
    app.new_browser();
    app.sign_in("dcs.devon").await;
    let dcs = &mut app;
    let la_page = dcs.get("/local-authorities/E10000008").await;
    assert!(la_page.body.contains(&format!(r#"href="{DEVON}""#)));
    let list = dcs.get(DEVON).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Issued 23 November 2026"),
        "{}",
        list.body
    );
    let read = dcs.get(&letter).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("Thank you for meeting us."));
    assert!(!read.body.contains("<textarea"));
    assert_eq!(
        dcs.get(&format!("{letter}.pdf")).await.status,
        StatusCode::OK
    );
    // Ofsted's working record stays Ofsted's.
    assert_eq!(dcs.get(&meeting).await.status, StatusCode::NOT_FOUND);
    let api = dcs
        .api(
            Method::GET,
            "/api/v1/local-authorities/878/aem-letters",
            None,
            None,
        )
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let letters = api.json();
    assert_eq!(letters.as_array().unwrap().len(), 1);
    assert_eq!(letters[0]["status"], "issued");
    assert_eq!(letters[0]["issued_by"], "hmi.southwest");
}

#[tokio::test]
async fn a_region_cannot_plan_or_record_for_another_regions_la() {
    let mut app = TestApp::new().await;
    app.sign_in("hmi.london").await;
    let r = app.submit(BARKING, DEVON, &[("date", "12/01/2027")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let id = stored_meeting(&app, "878", "2026-11-02", false).await;
    let record = format!("{DEVON}/{id}/record");
    assert_eq!(app.get(&record).await.status, StatusCode::NOT_FOUND);
    // National Ofsted reads every region's meetings but does not plan them.
    app.new_browser();
    app.sign_in("ofsted.national").await;
    assert_eq!(
        app.get(&format!("{DEVON}/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get(&record).await.status, StatusCode::FORBIDDEN);
    assert!(
        app.store
            .aem_meetings_for_la(&LaCode::parse("878").unwrap())
            .await
            .unwrap()
            .len()
            == 1
    );
}

#[tokio::test]
async fn peers_other_las_and_anonymous_never_reach_a_letter() {
    let mut app = TestApp::new().await;
    let id = stored_meeting(&app, "301", "2026-11-02", true).await;
    let letter = format!("{BARKING}/{id}/letter");
    let pdf = format!("{letter}.pdf");
    let api = "/api/v1/local-authorities/E09000002/aem-letters";

    for user in [
        "viewer.barking",
        "qp.barking",
        "teamlead.barking",
        "dcs.devon",
        "hmi.southwest",
        "admin",
    ] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(
            app.get(&letter).await.status,
            StatusCode::NOT_FOUND,
            "{user}: page"
        );
        assert_eq!(
            app.get(&pdf).await.status,
            StatusCode::NOT_FOUND,
            "{user}: download"
        );
        assert_eq!(
            app.get(&format!("{BARKING}/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{user}: meeting"
        );
        let r = app.api(Method::GET, api, None, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}: API");
        let la_page = app.get("/local-authorities/E09000002").await;
        assert!(!la_page.body.contains(BARKING), "{user}: linked");
        let list = app.get(BARKING).await;
        assert_eq!(list.status, StatusCode::FORBIDDEN, "{user}: list");
        assert!(!list.body.contains("A private letter"));
    }

    app.new_browser();
    let page = app.get(&letter).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/sign-in"));
    assert_eq!(app.get(&pdf).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.api(Method::GET, api, None, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Its own leader and Ofsted read it; every read is logged.
    for user in ["dcs.barking", "hmi.london", "ofsted.national"] {
        app.new_browser();
        app.sign_in(user).await;
        let read = app.get(&letter).await;
        assert_eq!(read.status, StatusCode::OK, "{user}");
        assert!(read.body.contains("A private letter"));
        let r = app.api(Method::GET, api, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{user}");
        assert_eq!(r.json().as_array().unwrap().len(), 1);
    }
    // The API answers as its description says.
    let openapi = app.get("/api/v1/openapi.json").await.json();
    assert!(openapi["paths"]["/api/v1/local-authorities/{code}/aem-letters"]["get"].is_object());
    let letters = app.api(Method::GET, api, None, None).await.json();
    for field in openapi["components"]["schemas"]["AemLetter"]["required"]
        .as_array()
        .unwrap()
    {
        let field = field.as_str().unwrap();
        assert!(letters[0].get(field).is_some(), "no {field}");
    }
    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 100)
        .await
        .unwrap();
    assert!(log
        .iter()
        .any(|e| e.entry.record_kind == "aem_letter" && e.entry.username == "dcs.barking"));
}

#[tokio::test]
async fn the_consistency_report_compares_regions_and_names_outliers() {
    let mut app = TestApp::new().await;
    // London, the South West and the North West hold three meetings each; one LA per
    // meeting is enough for the report, which counts meetings, not LAs.
    for (la, minutes) in [("301", 180), ("878", 180), ("340", 60)] {
        for date in ["2026-06-10", "2026-07-08", "2026-09-15"] {
            let mut m = Meeting::plan(
                LaCode::parse(la).unwrap(),
                d(date),
                d(date),
                &AemRules::bundled(),
            )
            .unwrap();
            m.record(
                Held {
                    date: d(date),
                    venue: Venue::La,
                    minutes,
                    remit: Remit::SocialCareOnly,
                    ofsted: vec![],
                    la: vec![],
                },
                d(date),
            )
            .unwrap();
            app.store.create_aem_meeting(&m, "test").await.unwrap();
        }
    }
    let path = "/annual-engagement/consistency";
    for user in ["dcs.barking", "admin"] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(app.get(path).await.status, StatusCode::FORBIDDEN, "{user}");
    }
    app.new_browser();
    assert_eq!(app.get(path).await.status, StatusCode::SEE_OTHER);
    for user in ["ofsted.national", "hmi.southwest"] {
        app.new_browser();
        app.sign_in(user).await;
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert!(
            page.body.contains("East Midlands"),
            "every region is listed"
        );
        assert!(
            page.body.contains(
                "<strong>North West</strong>: length 60 minutes (middle region 180 minutes)"
            ),
            "{}",
            page.body
        );
    }
}
