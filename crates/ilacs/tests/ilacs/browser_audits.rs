//! Case audits in headless Chromium: Devon's quality lead finds the demo's year of
//! audits and records one (after meeting the error summary); a team manager moderates
//! it blind, a grade lower, and the moderation report shows the grade moved; another
//! authority's director is kept out.

use crate::browser_support::{run_journey, screenshot_dir, Browser};
use chrono::{TimeDelta, Utc};
use fantoccini::Locator;

const DEVON: &str = "/local-authorities/E10000008";
/// The audited child: the demo's own IDs have six digits from 100000, so never this.
const CHILD: &str = "DCC-000417";
const GOOD: &str = "Good";
const RI: &str = "Requires improvement to be good";

/// The grade the first auditor gives a domain, by title: good, but for two.
fn first_grade(title: &str) -> &'static str {
    match title {
        "History and chronology" => RI,
        "Voice of the child" => "Outstanding",
        _ => GOOD,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quality_lead_records_an_audit_and_a_team_manager_moderates_it() {
    run_journey("audits", journey).await;
}

async fn journey(b: Browser, password: String) {
    // Devon's quality lead finds the demo's audits from the navigation.
    b.goto("/sign-in").await;
    b.sign_in("qp.devon", &password).await;
    b.wait_for_path("/").await;
    b.click_link("#navigation", "Case audits").await;
    b.wait_for_url("Devon's case audits", |url| url.ends_with("/audits"))
        .await;
    b.check_page("Case audits").await;
    assert_eq!(b.text("main .govuk-caption-l").await, "Devon");
    let rows = b.table_rows("#audits").await;
    assert!(
        rows.len() >= 90,
        "the demo should have about 100 Devon audits, not {}\n{}",
        rows.len(),
        b.context().await
    );
    assert!(
        rows.iter().all(|r| r[1].starts_with("DCC-")),
        "every audit should name a Devon child ID: {rows:?}"
    );
    let moderated = rows.iter().filter(|r| r[5] != "Not moderated").count();
    assert!(
        (10..=30).contains(&moderated),
        "about one in five demo audits should be moderated, not {moderated}"
    );
    std::fs::create_dir_all(screenshot_dir()).unwrap();
    let png = b.client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("audits-list.png"), png).unwrap();

    // The learning the audits raised, and this month's programme: reached from the list,
    // each checked for accessibility as every page is.
    b.click_link("main", "Learning actions: what the audits have changed")
        .await;
    b.wait_for_path(&format!("{DEVON}/audits/learning")).await;
    b.check_page("Learning actions").await;
    assert!(
        b.table_rows("main table").await.len() >= 3,
        "the demo's learning actions\n{}",
        b.context().await
    );
    b.goto(&format!("{DEVON}/audits")).await;
    b.click_link(
        "main",
        "This month’s audit programme: who audits which case, and what is overdue",
    )
    .await;
    b.wait_for_url("the audit programme", |url| {
        url.contains("/audits/programme")
    })
    .await;
    let heading = b.text("h1").await;
    assert!(heading.starts_with("Audit programme for"), "{heading}");
    b.check_page(&heading).await;
    b.goto(&format!("{DEVON}/audits")).await;

    // A blank audit is refused with the GOV.UK error summary.
    b.click_link("main", "Record an audit: Quality of practice audit")
        .await;
    b.wait_for_path(&format!("{DEVON}/audits/new")).await;
    b.check_page("Record a case audit").await;
    assert_eq!(checked_radios(&b).await, 0, "a new audit has no grades yet");
    b.click_button("Save audit").await;
    b.wait_for(".govuk-error-summary").await;
    assert_eq!(b.status().await, 422, "{}", b.context().await);
    let title = b.client.title().await.unwrap();
    assert!(
        title.starts_with("Error: "),
        "a page with errors should say so in its title, not {title:?}"
    );
    let problems = b.texts(".govuk-error-summary__list a").await;
    for expected in [
        "Enter the child's ID",
        "Choose a grade for voice of the child",
        "Choose a grade for the case overall",
        "Enter what worked well",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "the error summary should say {expected:?}: {problems:?}"
        );
    }
    let messages = b.texts(".govuk-error-message").await;
    assert_eq!(
        messages.len(),
        problems.len(),
        "each problem in the summary should also be shown at its field: {messages:?}"
    );
    b.check_page("Record a case audit").await;
    // The summary's first link takes the user to the field.
    b.click_link(".govuk-error-summary", &problems[0]).await;
    let mut focused = String::new();
    for _ in 0..40 {
        focused = b.focused_id().await;
        if focused == "child_id" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        focused, "child_id",
        "the first error link should move the focus to the child's ID"
    );

    // Every field filled in, the radios by their labels.
    b.fill("Child’s ID", CHILD).await;
    b.fill("Team", "Exeter assessment").await;
    b.fill("Allocated worker", "Rosa Quick").await;
    b.choose("Type of case", "Help and protection").await;
    let titles = b.texts(".ilacs-domain h3").await;
    assert_eq!(titles.len(), 9, "the quality template has nine domains");
    for title in &titles {
        let grade = first_grade(title);
        grade_domain(
            &b,
            title,
            grade,
            &format!("{title}: {grade} on the evidence."),
        )
        .await;
    }
    b.choose("Overall score for the case", GOOD).await;
    b.fill(
        "What worked well",
        "The worker visits every week and the child talks to her.",
    )
    .await;
    b.fill(
        "What must change",
        "The chronology stops in the spring: bring it up to date.",
    )
    .await;
    let due = (Utc::now().date_naive() + TimeDelta::days(28))
        .format("%d/%m/%Y")
        .to_string();
    b.fill_id(
        "actions.0.description",
        "Update the chronology with this year's events",
    )
    .await;
    b.select("actions.0.owner", "Allocated worker").await;
    b.fill_id("actions.0.due", &due).await;
    b.fill(
        "What the child said (optional)",
        "She listens to me and comes when she says.",
    )
    .await;
    b.fill(
        "What the family said (optional)",
        "We know what the plan is.",
    )
    .await;
    b.fill("Themes (optional)", "chronologies, voice of the child")
        .await;
    b.click_button("Save audit").await;

    // The audit's page shows the case and the grades.
    let audit = b.wait_for_record(&format!("{DEVON}/audits/")).await;
    b.check_page(&format!("Audit of {CHILD}")).await;
    let case = b.summary_rows("#audit-case").await;
    for (key, value) in [
        ("Child", CHILD),
        ("Team", "Exeter assessment"),
        ("Type of case", "Help and protection"),
        ("Auditor", "qp.devon"),
        ("Overall", GOOD),
    ] {
        assert!(
            case.iter().any(|(k, v)| k == key && v == value),
            "the audit should show {key}: {value}: {case:?}"
        );
    }
    let grades = b.table_rows("#domains").await;
    let shown: Vec<(&str, &str)> = grades
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = titles
        .iter()
        .map(|t| (t.as_str(), first_grade(t)))
        .collect();
    assert_eq!(shown, expected, "the domain grades as given");
    let main = b.text("main").await;
    assert!(
        main.contains("Update the chronology with this year's events")
            && main.contains("Chronologies"),
        "the audit should show its action and themes\n{main}"
    );

    // A team manager from another team moderates it without seeing the grades.
    b.click_button("Sign out").await;
    b.wait_for_path("/").await;
    b.click_link("#navigation", "Sign in").await;
    b.wait_for_path("/sign-in").await;
    b.sign_in("tm.north.devon", &password).await;
    b.wait_for_path("/").await;
    b.click_link("#navigation", "Case audits").await;
    b.wait_for_url("Devon's case audits", |url| url.ends_with("/audits"))
        .await;
    // Moderators start from the queue, which does not show the first grades.
    b.click_link("main", "Moderation: how often auditors agree")
        .await;
    b.wait_for_path(&format!("{DEVON}/audits/moderation")).await;
    b.click_link("#waiting", &format!("Moderate {CHILD}")).await;
    b.wait_for_path(&format!("{audit}/moderate")).await;
    b.check_page(&format!("Moderate the audit of {CHILD}"))
        .await;
    assert_eq!(
        checked_radios(&b).await,
        0,
        "the moderation form should not show the first auditor's grades\n{}",
        b.context().await
    );
    let filled = b
        .count_by_script(
            "return [...document.querySelectorAll('main textarea')].filter(t => t.value).length;",
        )
        .await;
    assert_eq!(
        filled, 0,
        "the moderation form should not show the first auditor's reasons"
    );
    let form = b.text("main").await;
    assert!(
        form.contains(CHILD) && !form.contains("on the evidence") && !form.contains("qp.devon"),
        "the form should name the case but not the first audit's content\n{form}"
    );
    for title in &titles {
        grade_domain(
            &b,
            title,
            first_grade(title),
            "Agree with the evidence on file.",
        )
        .await;
    }
    b.choose("Overall score for the case", RI).await;
    b.fill(
        "What worked well",
        "Regular visits and a good relationship with the child.",
    )
    .await;
    b.fill(
        "What must change",
        "The plan has no timescales, so drift is likely.",
    )
    .await;
    b.click_button("Save audit").await;
    let moderation = b.wait_for_record(&format!("{DEVON}/audits/")).await;
    assert_ne!(moderation, audit, "the moderation is a record of its own");
    b.check_page(&format!("Audit of {CHILD}")).await;
    assert!(
        b.text("main").await.contains("This is a moderation of"),
        "the page should say it is a moderation\n{}",
        b.context().await
    );

    // The moderation report lists the case among those whose grade moved.
    b.click_link(".govuk-breadcrumbs", "Case audits").await;
    b.wait_for_path(&format!("{DEVON}/audits")).await;
    b.click_link("main", "Moderation: how often auditors agree")
        .await;
    b.wait_for_path(&format!("{DEVON}/audits/moderation")).await;
    b.check_page("Moderation").await;
    let caption = b.text("#moved caption").await;
    assert_eq!(caption, "Audits whose grade moved");
    let moved = b.table_rows("#moved").await;
    let row = moved.iter().find(|r| r[0] == CHILD).unwrap_or_else(|| {
        panic!("{CHILD} should be among the audits whose grade moved: {moved:?}")
    });
    assert_eq!(
        row[1..],
        [
            GOOD.to_string(),
            format!("{RI} (worse)"),
            "qp.devon, tm.north.devon".to_string()
        ],
        "the moved grade, its direction and who graded it"
    );

    // Another authority's director cannot see Devon's audits.
    b.click_button("Sign out").await;
    b.wait_for_path("/").await;
    b.goto("/sign-in").await;
    b.sign_in("dcs.barking", &password).await;
    b.wait_for_path("/").await;
    b.goto(&format!("{DEVON}/audits")).await;
    b.check_page("You do not have permission to see this page")
        .await;
    assert_eq!(b.status().await, 403, "{}", b.context().await);
    assert!(
        b.client
            .find_all(Locator::Css("#audits"))
            .await
            .unwrap()
            .is_empty(),
        "no audit list should be shown"
    );
}

/// Grades one domain of the audit form and gives the reason.
async fn grade_domain(b: &Browser, title: &str, grade: &str, why: &str) {
    let lower = title.to_lowercase();
    b.choose(&format!("Score for {lower}"), grade).await;
    b.fill(&format!("Why ({lower})"), why).await;
}

/// How many radio buttons on the page are chosen.
async fn checked_radios(b: &Browser) -> u64 {
    b.count_by_script("return document.querySelectorAll('input[type=radio]:checked').length;")
        .await
}
