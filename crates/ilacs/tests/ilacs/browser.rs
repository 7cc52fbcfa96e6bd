//! A director's journey through `ilacs demo` in headless Chromium: signing in, finding
//! their local authority, its judgements and its users, and being kept out of another
//! authority's users.

use crate::browser_support::{run_journey, screenshot_dir, text_of, Browser};
use fantoccini::Locator;

const BARKING_USERS: &str = "/local-authorities/E09000002/users";
const RI: &str = "Requires improvement to be good";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_signs_in_finds_their_authority_and_is_kept_out_of_another() {
    run_journey("director", journey).await;
}

async fn journey(b: Browser, password: String) {
    // Anonymous: the start page offers to sign in.
    b.goto("/").await;
    b.check_page("Inspection of local authority children’s services")
        .await;
    b.click_link("main", "Sign in").await;
    b.wait_for_path("/sign-in").await;
    b.check_page("Sign in").await;

    // A wrong password gets the GOV.UK error summary and no session.
    b.sign_in("dcs.barking", "not the password").await;
    let summary = b.wait_for(".govuk-error-summary").await;
    let summary = text_of(&summary).await;
    assert!(
        summary.contains("There is a problem")
            && summary.contains("The sign-in name or password is not right"),
        "the error summary should explain the refusal, not {summary:?}\n{}",
        b.context().await
    );
    assert_eq!(b.status().await, 422, "{}", b.context().await);
    assert_eq!(b.path().await, "/sign-in", "{}", b.context().await);
    b.check_page("Sign in").await;
    let title = b.client.title().await.unwrap();
    assert!(
        title.starts_with("Error: "),
        "a page with errors should say so in its title, not {title:?}"
    );

    // The right password lands on the home page, about their own LA.
    b.sign_in("dcs.barking", &password).await;
    b.wait_for_path("/").await;
    b.check_page("Welcome, Dana Clarke (DCS)").await;
    let main = b.text("main").await;
    assert!(
        main.contains("Barking and Dagenham") && main.contains("Latest inspection"),
        "the home page should be about Barking and Dagenham\n{}",
        b.context().await
    );
    let signed_in = b.text(".ilacs-signed-in").await;
    assert!(
        signed_in.contains("Dana Clarke (DCS)"),
        "the page should say who is signed in, not {signed_in:?}"
    );

    // The list of LAs, filtered to London.
    b.click_link("#navigation", "Local authorities").await;
    b.wait_for_path("/local-authorities").await;
    b.check_page("Local authorities").await;
    let (_, all_total) = result_count(&b).await;
    b.find("select#region")
        .await
        .select_by_label("London")
        .await
        .unwrap_or_else(|e| panic!("could not choose London as the region: {e}"));
    b.click_button("Apply filters").await;
    b.wait_for_url("the London filter in the address", |url| {
        url.contains("region=london")
    })
    .await;
    b.check_page("Local authorities").await;
    let (shown, total) = result_count(&b).await;
    assert_eq!(
        (shown, total),
        (33, all_total),
        "London has 33 local authorities, out of all {all_total}\n{}",
        b.context().await
    );
    let names = b.texts("table tbody th a").await;
    assert_eq!(
        names.len(),
        33,
        "the table should have a row per authority counted"
    );
    assert!(
        names.iter().any(|n| n == "Barking and Dagenham") && !names.iter().any(|n| n == "Devon"),
        "London's authorities include Barking and Dagenham but not Devon: {names:?}"
    );
    let regions = b.texts("table tbody td:nth-of-type(1)").await;
    assert!(
        regions.iter().all(|r| r == "London"),
        "every row should be in London: {regions:?}"
    );
    let region = b.find("select#region").await;
    assert_eq!(
        region.prop("value").await.unwrap().as_deref(),
        Some("london"),
        "the filter should stay chosen after applying it"
    );

    // Barking and Dagenham's page.
    b.click_link("table", "Barking and Dagenham").await;
    b.wait_for_path("/local-authorities/E09000002").await;
    b.check_page("Barking and Dagenham").await;
    let overview = b.text("main .govuk-summary-list").await;
    assert!(
        overview.contains("Standard inspection starting 10 July 2023"),
        "the latest inspection should be the standard inspection of 10 July 2023\n{overview}"
    );

    let judgements = b.summary_rows("#latest-judgements").await;
    let grades: Vec<&str> = judgements.iter().map(|(_, g)| g.as_str()).collect();
    assert_eq!(
        grades.iter().filter(|g| **g == RI).count(),
        4,
        "four judgements should require improvement: {judgements:#?}"
    );
    assert_eq!(
        grades.iter().filter(|g| **g == "Good").count(),
        1,
        "one judgement should be good: {judgements:#?}"
    );
    assert_eq!(judgements.len(), 5, "{judgements:#?}");
    assert_eq!(
        judgements[0],
        ("Overall effectiveness".to_string(), RI.to_string())
    );
    assert!(
        judgements
            .iter()
            .any(|(j, g)| j.contains("care leavers") && g == "Good"),
        "care leavers should be the good judgement: {judgements:#?}"
    );

    let history = b.texts("#judgement-history tbody th").await;
    assert!(
        history.len() == 2
            && history[0].contains("10 July 2023")
            && history[1].contains("18 February 2019"),
        "the history should list the inspections of 10 July 2023 and 18 February 2019, newest first: {history:?}"
    );
    let chart = b
        .find("svg[aria-labelledby='chart-title chart-desc']")
        .await;
    let chart_title = chart
        .find(Locator::Css("title"))
        .await
        .unwrap()
        .prop("textContent")
        .await
        .unwrap();
    assert_eq!(
        chart_title.as_deref(),
        Some("Judgements for Barking and Dagenham over time"),
        "the chart should have an accessible name"
    );

    let days = b.text("#days-since").await;
    let expected = (chrono::Utc::now().date_naive()
        - chrono::NaiveDate::from_ymd_opt(2023, 7, 10).unwrap())
    .num_days();
    let shown: i64 = days
        .split_whitespace()
        .next()
        .map(|n| n.replace(',', ""))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("#days-since should start with a number of days: {days:?}"));
    assert!(
        (shown - expected).abs() <= 1 && days.contains(" days (at "),
        "#days-since should count about {expected} days since 10 July 2023: {days:?}"
    );

    // DfE's published indicators against England, the region and the neighbours.
    let indicators = b.table_rows("#indicators-latest").await;
    let rereferrals = indicators
        .iter()
        .find(|r| r[0] == "Re-referrals within 12 months")
        .unwrap_or_else(|| panic!("re-referrals should be listed: {indicators:?}"));
    assert_eq!(
        rereferrals[1..5],
        ["2025", "21.8%", "22.6%", "19.4%"][..],
        "Barking and Dagenham's published re-referral rate against England and London: {rereferrals:?}"
    );
    assert!(indicators.len() >= 13, "{indicators:?}");

    let neighbours = b.texts("#neighbours tbody th").await;
    assert_eq!(
        neighbours.first().map(String::as_str),
        Some("Enfield"),
        "Enfield is Barking and Dagenham's closest statistical neighbour: {neighbours:?}"
    );

    std::fs::create_dir_all(screenshot_dir()).unwrap();
    let png = b.client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("la-page.png"), png).unwrap();

    // Their LA's users.
    b.click_link("main", "Manage users for Barking and Dagenham")
        .await;
    b.wait_for_path(BARKING_USERS).await;
    b.check_page("Users").await;
    assert_eq!(b.status().await, 200);
    let users = b.texts("#users tbody td:first-child").await;
    for name in ["dcs.barking", "qp.barking", "viewer.barking"] {
        assert!(
            users.iter().any(|u| u == name),
            "{name} should be listed: {users:?}"
        );
    }
    assert!(
        !users.iter().any(|u| u == "dcs.devon"),
        "Devon's users are not Barking and Dagenham's: {users:?}"
    );

    // Signed out, the users page asks them to sign in, and brings them back after.
    b.click_button("Sign out").await;
    b.wait_for_path("/").await;
    b.check_page("Inspection of local authority children’s services")
        .await;
    assert!(
        b.client
            .find_all(Locator::Css(".ilacs-signed-in"))
            .await
            .unwrap()
            .is_empty(),
        "nobody should be signed in any more\n{}",
        b.context().await
    );
    b.goto(BARKING_USERS).await;
    b.wait_for_path("/sign-in").await;
    b.check_page("Sign in").await;
    let url = b.client.current_url().await.unwrap();
    let next = url
        .query_pairs()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned());
    assert_eq!(
        next.as_deref(),
        Some(BARKING_USERS),
        "the sign-in page should remember where to go next: {url}"
    );

    // Another LA's director is refused Barking and Dagenham's users...
    b.sign_in("dcs.devon", &password).await;
    b.wait_for_path(BARKING_USERS).await;
    b.check_page("You do not have permission to see this page")
        .await;
    assert_eq!(b.status().await, 403, "{}", b.context().await);
    assert!(
        b.client
            .find_all(Locator::Css("#users"))
            .await
            .unwrap()
            .is_empty(),
        "no user list should be shown"
    );

    // ...but can see their own.
    b.goto("/local-authorities/E10000008/users").await;
    b.check_page("Users").await;
    assert_eq!(b.status().await, 200, "{}", b.context().await);
    assert_eq!(b.text("main .govuk-caption-l").await, "Devon");
    let users = b.texts("#users tbody td:first-child").await;
    assert!(
        users.iter().any(|u| u == "dcs.devon") && !users.iter().any(|u| u == "dcs.barking"),
        "Devon's users page should list dcs.devon and not dcs.barking: {users:?}"
    );
}

/// "Showing N of M local authorities".
async fn result_count(b: &Browser) -> (usize, usize) {
    let text = b.text("#result-count").await;
    let numbers: Vec<usize> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers[..] {
        [shown, total] if text.starts_with("Showing") => (shown, total),
        _ => panic!("#result-count should read 'Showing N of M local authorities', not {text:?}"),
    }
}
