use crate::support::{TestApp, PASSWORD};
use axum::http::StatusCode;
use ilacs_domain::authority::LaCode;

/// The number in the grade-count table's row for `label`.
fn count_for(body: &str, label: &str) -> usize {
    let at = body
        .find(&format!(">{label}</a></td>"))
        .unwrap_or_else(|| panic!("no row for {label}"));
    let cell = &body[at..];
    let start =
        cell.find("govuk-table__cell--numeric\">").unwrap() + "govuk-table__cell--numeric\">".len();
    cell[start..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_start_page_counts_englands_latest_grades() {
    let mut app = TestApp::new().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        home.h1(),
        "Inspection of local authority children’s services"
    );
    // Ofsted's official statistics at 31 March 2025 (DOMAIN.md).
    assert_eq!(count_for(&home.body, "Outstanding"), 36);
    assert_eq!(count_for(&home.body, "Good"), 67);
    assert_eq!(count_for(&home.body, "Requires improvement to be good"), 31);
    assert_eq!(count_for(&home.body, "Inadequate"), 19);
    assert!(home.body.contains(r#"class="govuk-skip-link""#));
    assert!(home
        .body
        .contains(r#"<html lang="en" class="govuk-template">"#));
}

#[tokio::test]
async fn each_role_gets_its_own_start_page() {
    let mut app = TestApp::new().await;
    app.sign_in("hmi.london").await;
    let home = app.get("/").await;
    assert!(home.body.contains("Latest judgements in your region"));
    assert!(home.body.contains("Your region: London."));
    let total: usize = [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]
    .iter()
    .map(|g| count_for(&home.body, g))
    .sum();
    assert_eq!(total, 33, "London's 33 boroughs");
    app.sign_out().await;

    app.sign_in("dcs.barking").await;
    let home = app.get("/").await;
    assert!(home
        .body
        .contains("<h2 class=\"govuk-heading-m\">Barking and Dagenham</h2>"));
    assert!(home.body.contains("Manage users for Barking and Dagenham"));
    assert!(
        home.body
            .contains(r#"href="/local-authorities/E09000002/users""#),
        "admin navigation"
    );
    app.sign_out().await;

    app.sign_in("viewer.barking").await;
    let home = app.get("/").await;
    assert!(home.body.contains("Barking and Dagenham"));
    assert!(
        !home.body.contains("Manage users"),
        "viewers cannot manage users"
    );
}

#[tokio::test]
async fn the_list_filters_by_region_grade_and_status() {
    let mut app = TestApp::new().await;
    let all = app.get("/local-authorities").await;
    assert!(all
        .body
        .contains("Showing <strong>153</strong> of 153 local authorities"));
    let london = app.get("/local-authorities?region=london").await;
    assert!(london.body.contains("Showing <strong>33</strong> of 153"));
    assert!(london.body.contains(">Barking and Dagenham</a>"));
    assert!(!london.body.contains(">Devon</a>"));
    assert!(london.body.contains(r#"<option value="london" selected>"#));
    let inadequate = app.get("/local-authorities?grade=inadequate").await;
    assert!(inadequate
        .body
        .contains("Showing <strong>19</strong> of 153"));
    let former = app.get("/local-authorities?status=former").await;
    assert!(former.body.contains("Showing <strong>4</strong> of 4"));
    assert!(former.body.contains(">Cumbria</a>"));
    let both = app
        .get("/local-authorities?region=south-west&grade=outstanding")
        .await;
    assert!(both.status.is_success());

    let bad = app.get("/local-authorities?region=atlantis").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body
            .contains("There is no Ofsted region called &#x27;atlantis&#x27;"),
        "{}",
        bad.body
    );
    assert_eq!(
        app.get("/local-authorities?grade=excellent").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn an_la_page_shows_judgements_history_chart_and_neighbours() {
    let mut app = TestApp::new().await;
    let page = app.get("/local-authorities/E09000002").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Barking and Dagenham");
    let latest = &page.body[page.body.find("id=\"latest-judgements\"").unwrap()..];
    let latest = &latest[..latest.find("</dl>").unwrap()];
    assert_eq!(
        latest.matches(">Requires improvement to be good<").count(),
        4
    );
    assert_eq!(latest.matches(">Good<").count(), 1);
    assert!(latest.contains("The experiences and progress of care leavers"));
    assert!(page
        .body
        .contains("Standard inspection starting 10 July 2023, report published 4 September 2023"));
    // 10 July 2023 to the test's fixed today, 23 November 2026.
    assert!(page.body.contains("1,232 days (at 23 November 2026)"));
    let history = &page.body[page.body.find("id=\"judgement-history\"").unwrap()..];
    assert!(history.contains("10 July 2023") && history.contains("18 February 2019"));
    assert!(
        page.body.contains(r#"<svg class="ilacs-chart""#) && page.body.contains(r#"role="img""#)
    );
    let neighbours = &page.body[page.body.find("id=\"neighbours\"").unwrap()..];
    let enfield = neighbours.find(">Enfield</a>").unwrap();
    let luton = neighbours.find(">Luton</a>").unwrap();
    assert!(enfield < luton, "closest neighbour first");
    assert!(
        page.body.contains("Children in need/subject to a plan"),
        "the 2025 focused visit"
    );
    assert!(
        !page.body.contains("Manage users"),
        "not for anonymous visitors"
    );

    let by_la_code = app.get("/local-authorities/301").await;
    assert_eq!(by_la_code.h1(), "Barking and Dagenham");
}

#[tokio::test]
async fn unknown_pages_are_not_found() {
    let mut app = TestApp::new().await;
    for path in [
        "/local-authorities/E09999999",
        "/local-authorities/not-a-code",
        "/nowhere",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.h1(), "Page not found");
    }
}

#[tokio::test]
async fn user_management_is_for_the_las_own_admin_and_every_read_is_logged() {
    let mut app = TestApp::new().await;
    let path = "/local-authorities/E09000002/users";
    let anonymous = app.get(path).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.location(),
        "/sign-in?next=/local-authorities/E09000002/users"
    );

    for (user, expected) in [
        ("dcs.devon", StatusCode::FORBIDDEN),
        ("viewer.barking", StatusCode::FORBIDDEN),
        ("hmi.london", StatusCode::FORBIDDEN),
        ("ofsted.national", StatusCode::FORBIDDEN),
        ("admin", StatusCode::OK),
        ("dcs.barking", StatusCode::OK),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        let r = app.get(path).await;
        assert_eq!(r.status, expected, "{user}");
        if expected == StatusCode::FORBIDDEN {
            assert_eq!(r.h1(), "You do not have permission to see this page");
            assert!(
                !r.body.contains("viewer.barking"),
                "{user} must not see the user list"
            );
        } else {
            assert!(r
                .body
                .contains("<td class=\"govuk-table__cell\">viewer.barking</td>"));
        }
    }
    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 10)
        .await
        .unwrap();
    let readers: Vec<_> = log.iter().map(|e| e.entry.username.as_str()).collect();
    assert_eq!(
        readers,
        ["dcs.barking", "admin"],
        "only allowed reads happen, and each is logged"
    );
    assert!(log
        .iter()
        .all(|e| e.entry.record_kind == "la_users" && e.entry.action == "read"));
}

#[tokio::test]
async fn an_la_admin_adds_a_user_who_can_then_sign_in() {
    let mut app = TestApp::new().await;
    app.sign_in("dcs.barking").await;
    let page = "/local-authorities/E09000002/users";

    let blank = app
        .submit(
            page,
            page,
            &[("username", ""), ("display_name", ""), ("password", "")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("username", "Enter a sign-in name of 3 to 64 characters"),
        ("display_name", "Enter the user’s full name"),
        ("role", "Select the user’s role"),
        ("password", "Enter a password of at least 12 characters"),
    ] {
        assert!(
            blank
                .body
                .contains(&format!("<a href=\"#{field}\">{message}")),
            "{field}: {}",
            blank.body
        );
    }

    let duplicate = app
        .submit(
            page,
            page,
            &[
                ("username", "viewer.barking"),
                ("display_name", "Someone"),
                ("role", "la_viewer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate
        .body
        .contains("A user with this sign-in name already exists"));
    assert!(
        duplicate.body.contains(r#"value="Someone""#),
        "what was typed is kept"
    );

    let other_las_role = app
        .submit(
            page,
            page,
            &[
                ("username", "hmi.sneaky"),
                ("display_name", "Sneaky"),
                ("role", "ofsted_national"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        other_las_role.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an LA admin cannot create Ofsted users"
    );

    let added = app
        .submit(
            page,
            page,
            &[
                ("username", "AUDITOR.Barking"),
                ("display_name", "Ali Auditor"),
                ("role", "la_auditor"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(
        added.location(),
        "/local-authorities/E09000002/users?created=auditor.barking"
    );
    let listed = app.get(added.location()).await;
    assert!(listed.body.contains("auditor.barking can now sign in."));
    assert!(listed.body.contains("Ali Auditor"));

    app.new_browser();
    let signed_in = app
        .submit(
            "/sign-in",
            "/sign-in",
            &[
                ("username", "auditor.barking"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);

    app.new_browser();
    app.sign_in("dcs.devon").await;
    let other = app
        .submit(
            "/local-authorities/E10000008/users",
            page,
            &[
                ("username", "x.y.z"),
                ("display_name", "X"),
                ("role", "la_viewer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::FORBIDDEN,
        "Devon's admin cannot add users to Barking and Dagenham"
    );
}

#[tokio::test]
async fn responses_carry_security_headers_and_assets_are_served() {
    let mut app = TestApp::new().await;
    let page = app.get("/").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["cache-control"], "no-store");
    let css = app.get("/assets/govuk-frontend.min.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert!(
        !css.body.contains("GDS Transport"),
        "Arial, not the GOV.UK font"
    );
    assert_eq!(
        app.get("/assets/govuk-frontend.min.js").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_list_shows_each_las_next_window_sorts_and_downloads() {
    let mut app = TestApp::new().await;
    let london = app.get("/local-authorities?region=london&sort=next").await;
    assert_eq!(london.status, StatusCode::OK);
    let barking = &london.body[london.body.find(">Barking and Dagenham</a>").unwrap()..];
    let barking = &barking[..barking.find("</tr>").unwrap()];
    assert!(
        barking.contains("10 January 2026 to 10 January 2027") && barking.contains(">Open now<"),
        "{barking}"
    );
    assert!(london.body.contains(r#"aria-sort="ascending""#));
    // Soonest window first: each row's window opens no earlier than the one above.
    let opens: Vec<chrono::NaiveDate> = london
        .body
        .match_indices("<span class=\"govuk-!-font-size-16\">")
        .filter_map(|(i, m)| {
            let text = &london.body[i + m.len()..];
            let date = text.split(" to ").next()?;
            chrono::NaiveDate::parse_from_str(date, "%-d %B %Y").ok()
        })
        .collect();
    assert!(opens.len() > 20, "{opens:?}");
    assert!(opens.windows(2).all(|w| w[0] <= w[1]), "{opens:?}");
    assert_eq!(
        app.get("/local-authorities?sort=colour").await.status,
        StatusCode::BAD_REQUEST
    );

    // The same list as a spreadsheet, filtered and sorted alike.
    let link = "/local-authorities?region=london&status=current&sort=next&format=xlsx";
    assert!(
        london.body.contains(&link.replace('&', "&amp;")),
        "the page links to its download"
    );
    let xlsx = app.get(link).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Local authorities").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("LA code"))
        .unwrap();
    assert_eq!(rows.len() - header - 1, 33, "London's 33 LAs");
    let row = rows
        .iter()
        .find(|r| r.get(2).map(String::as_str) == Some("Barking and Dagenham"))
        .unwrap();
    assert_eq!(row[7], "Standard inspection");
    assert_eq!(row[11], "Open now");
}

#[tokio::test]
async fn an_la_page_shows_what_happens_next_on_a_timeline() {
    let mut app = TestApp::new().await;
    let page = app.get("/local-authorities/E09000002").await;
    let next = &page.body[page
        .body
        .find("id=\"next-inspection\"")
        .expect("the section")..];
    let next = &next[..next.find("</dl>").unwrap()];
    assert!(next.contains(r#"aria-labelledby="next-timeline-title next-timeline-desc""#));
    assert!(next.contains("Standard inspection, because the last inspection (10 July 2023) judged it requires improvement to be good"), "{next}");
    assert!(next.contains("10 January 2026 to 10 January 2027 (third anniversary 10 July 2026)"));
    assert!(next.contains(">Open now</strong>"));
}
