//! The annual engagement meeting in headless Chromium: the South West's HMI plans a
//! meeting with Devon, records it with attendees, agenda notes and outcomes, issues the
//! letter and downloads it as PDF, and reads the consistency report; Devon's director
//! reads the letter; Barking and Dagenham's is told it is not there.

use crate::browser_support::{download, run_journey, Browser};
use fantoccini::Locator;

const DEVON: &str = "/local-authorities/E10000008";
const STEP: &str = "Share the care leavers audit with Ofsted by March.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hmi_records_a_meeting_and_issues_its_letter_that_only_the_la_reads() {
    run_journey("aem", journey).await;
}

async fn sign_in_as(b: &Browser, user: &str, password: &str) {
    b.client.delete_all_cookies().await.unwrap();
    b.goto("/sign-in").await;
    b.sign_in(user, password).await;
    b.wait_for_path("/").await;
}

/// Chooses `value` in the select whose id is `id` (ids here contain dots).
async fn select_value(b: &Browser, id: &str, value: &str) {
    b.find(&format!("select[id=\"{id}\"]"))
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("could not choose {value:?} in #{id}: {e}"));
}

async fn click_css(b: &Browser, css: &str) {
    b.find(css).await.click().await.unwrap();
}

async fn journey(b: Browser, password: String) {
    sign_in_as(&b, "hmi.southwest", &password).await;

    // The region's plan lists Devon, with its meetings.
    b.goto("/regions/south-west/annual-engagement").await;
    b.check_page("Annual engagement meetings").await;
    assert!(
        b.text("main").await.contains("Devon"),
        "{}",
        b.context().await
    );

    // A meeting planned for today.
    let today = chrono::Utc::now().date_naive();
    b.goto(&format!("{DEVON}/annual-engagement")).await;
    b.fill_id("date", &today.format("%d/%m/%Y").to_string())
        .await;
    b.click_button("Plan meeting").await;
    b.wait_for_url("the new meeting", |url| {
        url.rsplit('/')
            .next()
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
    })
    .await;
    let meeting = b.path().await;
    let heading = format!("Annual engagement meeting, {}", today.format("%-d %B %Y"));
    b.check_page(&heading).await;

    // Recorded as held: where, how long, what it covered, who came and why.
    b.click_link("main", "Record the meeting as held").await;
    b.wait_for_path(&format!("{meeting}/record")).await;
    b.check_page("Record the meeting").await;
    b.fill_id("date", &today.format("%d/%m/%Y").to_string())
        .await;
    click_css(&b, "input[name=venue][value=la]").await;
    b.fill_id("minutes", "180").await;
    click_css(&b, "input[name=remit][value=social_care_only]").await;
    b.fill_id("ofsted.0.name", "Ann Lee").await;
    select_value(&b, "ofsted.0.role", "regional_director").await;
    b.fill_id("ofsted.1.name", "Raj Patel").await;
    select_value(&b, "ofsted.1.role", "senior_hmi").await;
    b.fill_id("la.0.name", "Bo Hart").await;
    b.fill_id("la.0.post", "Director of Children's Services")
        .await;
    b.fill_id("la.0.purpose", "Leads the service").await;
    b.click_button("Save the record").await;
    b.wait_for_path(&meeting).await;
    b.check_page(&heading).await;

    // A note against the first standard agenda item.
    b.click_link("main", "Change the agenda and notes").await;
    b.wait_for_path(&format!("{meeting}/agenda")).await;
    b.check_page("Agenda and notes").await;
    b.fill_id(
        "items.0.note",
        "Leaders know their care leavers' accommodation well.",
    )
    .await;
    b.click_button("Save agenda and notes").await;
    b.wait_for_path(&meeting).await;

    // Outcomes: a possible focused-visit focus and an agreed step.
    b.click_link("main", "Record the outcomes").await;
    b.wait_for_path(&format!("{meeting}/outcomes")).await;
    b.check_page("Outcomes").await;
    select_value(&b, "focus_theme", "care_leavers").await;
    b.fill_id(
        "focus_reason",
        "Fewer care leavers are in suitable accommodation.",
    )
    .await;
    b.fill_id("next_self_evaluation", "in spring 2027").await;
    b.fill_id("next_meeting", "in autumn 2027").await;
    select_value(&b, "steps.0.owner", "la").await;
    b.fill_id("steps.0.text", STEP).await;
    b.click_button("Save outcomes").await;
    b.wait_for_path(&meeting).await;
    assert!(b.text("main").await.contains(STEP), "{}", b.context().await);

    // The letter is drafted from the record, then issued and downloaded.
    b.click_link("main", "Draft, change or issue the letter")
        .await;
    let letter = format!("{meeting}/letter");
    b.wait_for_path(&letter).await;
    b.check_page("Letter to the director of children's services")
        .await;
    let draft = b
        .find("textarea#text")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        draft.contains(STEP),
        "the draft carries the agreed step: {draft}"
    );
    b.click_button("Save draft").await;
    b.wait_for_path(&letter).await;
    b.click_button("Issue the letter").await;
    b.wait_for_path(&letter).await;
    assert!(
        b.text("main").await.contains("Issued on"),
        "{}",
        b.context().await
    );
    let pdf = download(&b, "Download the letter (PDF)").await;
    assert!(
        pdf.status == 200 && pdf.content_type == "application/pdf" && pdf.magic == "%PDF-",
        "{pdf:?}"
    );

    // The consistency report across the regions.
    b.goto("/annual-engagement/consistency").await;
    b.check_page("Consistency across the regions").await;

    // Devon's director reads the issued letter; it is not for anyone else.
    sign_in_as(&b, "dcs.devon", &password).await;
    b.goto(&letter).await;
    assert_eq!(b.status().await, 200, "{}", b.context().await);
    b.check_page("Letter to the director of children's services")
        .await;
    assert!(b.text("main").await.contains(STEP), "{}", b.context().await);
    assert!(
        b.client
            .find_all(Locator::Css("textarea"))
            .await
            .unwrap()
            .is_empty(),
        "the LA reads, it does not edit"
    );
    sign_in_as(&b, "dcs.barking", &password).await;
    b.goto(&letter).await;
    assert_eq!(b.status().await, 404, "{}", b.context().await);
    b.check_page("Page not found").await;
}
