use crate::audits::record;
use crate::support::TestApp;
use axum::http::StatusCode;
use ilacs_domain::authority::LaCode;

const PROGRAMME: &str = "/local-authorities/E09000002/audits/programme";
const CASES: &str = "/local-authorities/E09000002/audits/programme/cases";
const AUDITORS: &str = "/local-authorities/E09000002/audits/programme/auditors";

const CASES_CSV: &str = "Worker,Child ID,Case type,Team\n\
    Sam,A1,In care,Team A\n\
    Sam,B1,help and protection,Assessment team 2\n\
    Jo,B2,care_leaver,Assessment team 2\n\
    Jo,C1,Child in care,Team C\n";

const AUDITORS_CSV: &str = "auditor,team,cases\n\
    teamlead.barking,Team A,\n\
    tm.c,Team C,1\n";

fn barking() -> LaCode {
    LaCode::parse("301").unwrap()
}

/// Signed in as the quality lead, loads the lists.
async fn load_lists(app: &mut TestApp) {
    app.sign_in("qp.barking").await;
    let r = app.submit(CASES, CASES, &[("csv", CASES_CSV)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .submit(AUDITORS, AUDITORS, &[("csv", AUDITORS_CSV)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// Confirms the month's proposal from the programme page, as the signed-in user.
async fn confirm(app: &mut TestApp, month: &str) -> crate::support::TestResponse {
    let page = format!("{PROGRAMME}?month={month}");
    let body = app.get(&page).await.body;
    let marker = r#"name="fingerprint" value=""#;
    let start = body.find(marker).expect("a confirm button") + marker.len();
    let fingerprint = body[start..].split('"').next().unwrap().to_string();
    app.submit(
        &page,
        PROGRAMME,
        &[("month", month), ("fingerprint", &fingerprint)],
    )
    .await
}

#[tokio::test]
async fn the_programme_is_planned_by_quality_and_leaders_and_read_by_auditors() {
    let mut app = TestApp::new().await;
    let anonymous = app.get(PROGRAMME).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/sign-in?next="));
    for (user, read, write) in [
        (
            "viewer.barking",
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        ("dcs.devon", StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        ("hmi.london", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        (
            "ofsted.national",
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        ("admin", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        ("teamlead.barking", StatusCode::OK, StatusCode::FORBIDDEN),
        ("qp.barking", StatusCode::OK, StatusCode::SEE_OTHER),
        ("dcs.barking", StatusCode::OK, StatusCode::SEE_OTHER),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        for page in [PROGRAMME, CASES, AUDITORS] {
            assert_eq!(app.get(page).await.status, read, "{user} reading {page}");
        }
        let posted = app.submit("/", AUDITORS, &[("csv", AUDITORS_CSV)]).await;
        assert_eq!(posted.status, write, "{user} changing the auditors");
        if read == StatusCode::OK {
            let form = app.get(CASES).await.body.contains(r#"name="csv""#);
            assert_eq!(form, write == StatusCode::SEE_OTHER, "{user} sees the form");
        }
    }
    let log = app.store.access_log(Some(&barking()), 50).await.unwrap();
    let mut readers: Vec<_> = log
        .iter()
        .filter(|e| e.entry.record_kind == "audit_programme")
        .map(|e| e.entry.username.as_str())
        .collect();
    readers.dedup();
    assert_eq!(readers, ["dcs.barking", "qp.barking", "teamlead.barking"]);
}

#[tokio::test]
async fn the_quality_lead_confirms_a_month_and_sees_what_is_done_and_overdue() {
    let mut app = TestApp::new().await;
    load_lists(&mut app).await;

    // Today is 23 November 2026: the page opens on November's proposal.
    let page = app.get(PROGRAMME).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Audit programme for November 2026");
    assert!(page.body.contains("Proposed programme"));
    assert!(page.body.contains("teamlead.barking (Team A): 2 of 2"));
    assert!(page.body.contains("tm.c (Team C): 1 of 1"));
    assert!(page.body.contains("Never audited"));

    // October first: by now, all of it is overdue.
    let r = confirm(&mut app, "2026-10").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = confirm(&mut app, "2026-11").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{PROGRAMME}?month=2026-11"));

    let programmes = app.store.programmes(&barking()).await.unwrap();
    assert_eq!(programmes.len(), 2);
    let november = &programmes[0];
    assert_eq!(november.items.len(), 3);
    assert_eq!(november.confirmed.by, "qp.barking");
    for item in &november.items {
        assert_ne!(
            (item.auditor.as_str(), item.team.as_str()),
            ("teamlead.barking", "Team A"),
            "never their own team"
        );
    }

    // The auditor audits one of their November cases.
    let theirs = november
        .items
        .iter()
        .find(|i| i.auditor.as_str() == "teamlead.barking")
        .unwrap()
        .child
        .to_string();
    app.new_browser();
    app.sign_in("teamlead.barking").await;
    record(&mut app, &theirs, "good", "good").await;

    let page = app.get(&format!("{PROGRAMME}?month=2026-11")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Confirmed by qp.barking"));
    assert!(
        !page.body.contains("Confirm the programme"),
        "an auditor cannot confirm"
    );
    let counts = &page.body[page.body.find(r#"id="counts""#).unwrap()..];
    let count = |label: &str| {
        let at = counts.find(&format!(">{label}</dt>")).unwrap();
        counts[at..]
            .split("summary-list__value\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        (count("Overdue"), count("Due"), count("Done")),
        ("0".into(), "2".into(), "1".into())
    );
    // Due items come before done ones.
    let table = &page.body[page.body.find(r#"id="programme""#).unwrap()..];
    assert!(table.find("Due</strong>").unwrap() < table.find("Done</strong>").unwrap());
    // October's cases not audited since are overdue (23 days after 31 October).
    let earlier = &page.body[page.body.find(r#"id="earlier-overdue""#).unwrap()..];
    assert!(earlier.contains("October 2026"));
    assert!(earlier.contains("23 days ago"));

    // October's own page lists them first, as overdue.
    let october = app.get(&format!("{PROGRAMME}?month=2026-10")).await;
    let table = &october.body[october.body.find(r#"id="programme""#).unwrap()..];
    let first_state = table.find("govuk-tag").unwrap();
    assert!(table[first_state..].starts_with("govuk-tag govuk-tag--red\">Overdue"));
}

#[tokio::test]
async fn a_month_is_confirmed_once() {
    let mut app = TestApp::new().await;
    load_lists(&mut app).await;
    let page = format!("{PROGRAMME}?month=2026-11");
    let body = app.get(&page).await.body;
    let marker = r#"name="fingerprint" value=""#;
    let start = body.find(marker).unwrap() + marker.len();
    let fingerprint = body[start..].split('"').next().unwrap().to_string();
    let fields = [("month", "2026-11"), ("fingerprint", fingerprint.as_str())];
    assert_eq!(
        app.submit(&page, PROGRAMME, &fields).await.status,
        StatusCode::SEE_OTHER
    );
    // The same form sent again (a second tab, a double click).
    let again = app.submit(&page, PROGRAMME, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again
        .body
        .contains("The programme for November 2026 has been confirmed already"));
    assert!(again.body.contains(r##"href="#confirm""##));
    assert_eq!(app.store.programmes(&barking()).await.unwrap().len(), 1);

    // A proposal that changed since the page was read is not confirmed.
    let stale = [("month", "2026-12"), ("fingerprint", "0000000000000000")];
    let r = app.submit(&page, PROGRAMME, &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r
        .body
        .contains("The proposal changed after you opened the page"));
    assert_eq!(app.store.programmes(&barking()).await.unwrap().len(), 1);

    // A month that is not one.
    let r = app.get(&format!("{PROGRAMME}?month=2026-13")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_bad_case_list_names_each_line_and_column_and_replaces_nothing() {
    let mut app = TestApp::new().await;
    load_lists(&mut app).await;
    let before = app.store.programme_inputs(&barking()).await.unwrap();

    let bad = "Child ID,Team,Case type\n\
        N1,Team A,in care\n\
        N2,Team A,adopted\n\
        N3,,care leaver\n";
    let r = app.submit(CASES, CASES, &[("csv", bad)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("There is a problem"));
    assert!(
        r.body.contains(
            "Line 3, column &#x27;Case type&#x27;: &#x27;adopted&#x27; is not a type of case"
        ),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("Line 4, column &#x27;Team&#x27;: Enter the team"));
    assert!(
        r.body.contains(r##"<a href="#cases">"##),
        "the summary links to the field"
    );
    assert!(
        r.body.contains("N2,Team A,adopted"),
        "the text is kept to correct"
    );

    let after = app.store.programme_inputs(&barking()).await.unwrap();
    assert_eq!(after, before, "nothing replaced");

    let r = app
        .submit(CASES, CASES, &[("csv", "child,team\nX,Y\n")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .body
        .contains("The header has no column &#x27;case_type&#x27;"));

    // The auditors page shows the list as text, to edit.
    let page = app.get(AUDITORS).await;
    assert!(page.body.contains("tm.c,Team C,1"));
}
