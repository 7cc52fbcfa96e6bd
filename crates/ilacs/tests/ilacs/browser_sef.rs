//! The self-evaluation in headless Chromium: Devon's quality lead finds the demo's
//! 2025-26 self-evaluation shared with Ofsted, starts this year's, answers a section
//! citing a case audit (after meeting the error summary), reviews it; the director
//! signs it off, downloads it as Word and PDF and shares it with Ofsted; Ofsted's South
//! West director reads and downloads it, and London's is told it is not there.

use crate::browser_support::{download, run_journey, Browser};
use chrono::Utc;
use ilacs_domain::self_evaluation::FinancialYear;

const DEVON: &str = "/local-authorities/E10000008";
const SHARED_YEAR: &str = "2025-26";
const HELP_AND_PROTECTION: &str =
    "The experiences and progress of children who need help and protection";
/// No demo audit has a number this large.
const NO_SUCH_AUDIT: &str = "999999";
const CLAIM: &str = "Children in need are seen alone and their words shape their plans.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quality_lead_writes_and_signs_off_a_self_evaluation_that_ofsted_reads() {
    run_journey("sef", journey).await;
}

async fn sign_in_as(b: &Browser, user: &str, password: &str) {
    if !b
        .client
        .find_all(fantoccini::Locator::XPath(
            "//button[normalize-space()='Sign out']",
        ))
        .await
        .unwrap()
        .is_empty()
    {
        b.click_button("Sign out").await;
        b.wait_for_path("/").await;
    }
    b.goto("/sign-in").await;
    b.sign_in(user, password).await;
    b.wait_for_path("/").await;
}

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn journey(b: Browser, password: String) {
    sign_in_as(&b, "qp.devon", &password).await;

    // A real Devon audit, from the case audits table.
    b.click_link("#navigation", "Case audits").await;
    b.wait_for_url("Devon's case audits", |url| url.ends_with("/audits"))
        .await;
    let link = b.find("#audits tbody tr th a").await;
    let href = link.attr("href").await.unwrap().unwrap();
    let child = link.text().await.unwrap().trim().to_string();
    let audit = href
        .rsplit('/')
        .next()
        .filter(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("the first audit's link should end in its number: {href}"))
        .to_string();

    // The demo's 2025-26 self-evaluation is listed, shared with Ofsted.
    let sef = format!("{DEVON}/self-evaluation");
    b.click_link("#navigation", "Self-evaluation").await;
    b.wait_for_url("Devon's self-evaluation", |url| {
        url.ends_with("/self-evaluation")
    })
    .await;
    b.check_page("Self-evaluation of social work practice")
        .await;
    let versions = b.table_rows("#versions").await;
    assert!(
        versions
            .iter()
            .any(|r| r[..3] == [SHARED_YEAR, "1", "Shared with Ofsted"]),
        "the demo's {SHARED_YEAR} version should be listed as shared with Ofsted: {versions:?}"
    );

    // Starting this year's makes version 1, a draft.
    let year = FinancialYear::containing(Utc::now().date_naive()).label();
    b.click_button(&format!("Work on the {year} self-evaluation"))
        .await;
    let version = format!("{sef}/{year}/1");
    b.wait_for_path(&version).await;
    b.check_page(&format!("Self-evaluation {year}")).await;
    assert_eq!(b.text("#stage").await, "Draft");

    // A paragraph citing an audit that does not exist is refused.
    b.click_link("#tasks", HELP_AND_PROTECTION).await;
    b.wait_for_path(&format!("{version}/sections/help_and_protection"))
        .await;
    b.check_page(HELP_AND_PROTECTION).await;
    b.fill_id("what_you_know.0.text", CLAIM).await;
    b.fill_id("what_you_know.0.audits", NO_SUCH_AUDIT).await;
    b.click_button("Save section").await;
    b.wait_for(".govuk-error-summary").await;
    assert_eq!(b.status().await, 422, "{}", b.context().await);
    let problems = b.texts(".govuk-error-summary__list a").await;
    assert_eq!(
        problems,
        [format!(
            "There is no case audit {NO_SUCH_AUDIT} in Devon: check the number"
        )],
        "{}",
        b.context().await
    );
    b.check_page(HELP_AND_PROTECTION).await;

    // With a real audit it saves, and the version shows the paragraph and its audit.
    b.fill_id("what_you_know.0.audits", &audit).await;
    b.click_button("Save section").await;
    b.wait_for_path(&version).await;
    b.check_page(&format!("Self-evaluation {year}")).await;
    let section = b.text("main").await;
    assert!(section.contains(CLAIM), "{}", b.context().await);
    b.click_link("main", &format!("audit {audit}")).await;
    b.wait_for_path(&format!("{DEVON}/audits/{audit}")).await;
    b.check_page(&format!("Audit of {child}")).await;

    // The review advises on what is still missing.
    b.goto(&version).await;
    b.click_link("main", "Review: is this evaluative?").await;
    b.wait_for_path(&format!("{version}/review")).await;
    b.check_page("Is this evaluative?").await;
    let advice = b.texts("#advice li").await;
    // The year starts from last year's signed-off version, so its areas for
    // development are carried over; what is unanswered this year is advised on.
    assert!(
        advice.iter().any(|a| a.contains("Context: answer")),
        "a draft with one paragraph should be advised on the questions still unanswered: {advice:?}"
    );

    // The quality lead prepares it; the director signs it off.
    b.click_link(".govuk-breadcrumbs", &format!("Self-evaluation {year}"))
        .await;
    b.wait_for_path(&version).await;
    assert!(
        !b.text("main").await.contains("Sign off"),
        "only the LA's leaders sign off\n{}",
        b.context().await
    );
    sign_in_as(&b, "dcs.devon", &password).await;
    b.goto(&version).await;
    b.click_button("Sign off").await;
    b.wait_for_path(&version).await;
    b.wait_for("#stage").await;
    assert_eq!(
        b.text("#stage").await,
        "Signed off",
        "{}",
        b.context().await
    );
    b.check_page(&format!("Self-evaluation {year}")).await;

    // Cabinet and scrutiny take it as a Word document; the PDF is tagged for screen
    // readers. Both come from the links on the version's page, with the director's
    // session.
    let docx = download(&b, "Word document (DOCX)").await;
    assert!(
        docx.status == 200
            && docx.content_type == DOCX_TYPE
            && docx.magic.starts_with("PK\u{3}\u{4}"),
        "a Word package: {docx:?}"
    );
    let pdf = download(&b, "Accessible PDF").await;
    assert_eq!(
        (pdf.status, pdf.content_type.as_str(), pdf.magic.as_str()),
        (200, "application/pdf", "%PDF-"),
        "{pdf:?}"
    );
    assert!(docx.size > 5_000 && pdf.size > 20_000, "{docx:?} {pdf:?}");

    // The director shares it with Ofsted.
    b.click_button("Share with Ofsted").await;
    b.wait_for_path(&version).await;
    b.wait_for("#stage").await;
    assert_eq!(b.text("#stage").await, "Shared with Ofsted");

    // Ofsted's South West director reads this year's, with the claim, and downloads it.
    sign_in_as(&b, "hmi.southwest", &password).await;
    b.goto(&version).await;
    assert_eq!(b.status().await, 200, "{}", b.context().await);
    assert!(
        b.text("main").await.contains(CLAIM),
        "{}",
        b.context().await
    );
    let pdf = download(&b, "Accessible PDF").await;
    assert_eq!((pdf.status, pdf.magic.as_str()), (200, "%PDF-"), "{pdf:?}");

    // And the demo's shared version of last year.
    let shared = format!("{sef}/{SHARED_YEAR}/1");
    b.goto(&shared).await;
    assert_eq!(b.status().await, 200, "{}", b.context().await);
    b.check_page(&format!("Self-evaluation {SHARED_YEAR}"))
        .await;
    assert_eq!(b.text("#stage").await, "Shared with Ofsted");
    let text = b.text("main").await;
    for part in ["Strengths", "Areas for development", "Improvement plan"] {
        assert!(text.contains(part), "{part} should be shown\n{text}");
    }

    // London's may not see it, and is not told it exists.
    sign_in_as(&b, "hmi.london", &password).await;
    b.goto(&shared).await;
    assert_eq!(b.status().await, 404, "{}", b.context().await);
    b.check_page("Page not found").await;
    assert!(
        !b.text("main").await.contains("Strengths"),
        "nothing of the version should be shown"
    );
    b.goto(&version).await;
    assert_eq!(b.status().await, 404, "{}", b.context().await);
}
