//! Annex A in headless Chromium: Devon's quality lead uploads a workbook (the page shows
//! its progress), reads the validation report, opens the indicators beside DfE's
//! published figures and drills down to the children behind one, and downloads the
//! clean workbook; the South West's HMI, with no visit under way, is refused.

use crate::browser_support::{download, run_journey, Browser};

const DEVON: &str = "/local-authorities/E10000008/annex-a";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quality_lead_uploads_annex_a_and_reads_its_indicators() {
    run_journey("annexa", journey).await;
}

async fn sign_in_as(b: &Browser, user: &str, password: &str) {
    b.client.delete_all_cookies().await.unwrap();
    b.goto("/sign-in").await;
    b.sign_in(user, password).await;
    b.wait_for_path("/").await;
}

async fn journey(b: Browser, password: String) {
    sign_in_as(&b, "qp.devon", &password).await;
    b.click_link("nav", "Annex A").await;
    b.wait_for_url("Devon's Annex A", |url| url.ends_with("/annex-a"))
        .await;
    b.check_page("Annex A").await;
    // The demo's return is held already.
    assert!(
        b.text("#uploads").await.contains("devon-annex-a.xlsx"),
        "{}",
        b.context().await
    );

    // A new workbook: 30 rows a list with some dirt.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("devon-october.xlsx");
    std::fs::write(&file, ilacs_annexa::generate(30, 4, 0.05).bytes).unwrap();
    b.fill_id("as_at", "31/10/2026").await;
    b.find("input#files")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    b.click_button("Upload and check").await;
    b.wait_for_url("the validation report", |url| {
        url.contains("/annex-a/uploads/")
    })
    .await;
    b.check_page("Validation report").await;
    let summary = b.text("main").await;
    assert!(summary.contains("devon-october.xlsx"), "{summary}");
    assert!(summary.contains("31 October 2026"), "{summary}");
    let report = download(&b, "Download the report (XLSX)").await;
    assert!(
        report.status == 200 && report.magic.starts_with("PK\u{3}\u{4}"),
        "{report:?}"
    );

    // The indicators, as at the upload's reference date, beside the published figures.
    b.click_link("main", "Back to Annex A").await;
    b.wait_for_path(DEVON).await;
    b.click_link("main", "See the indicators at 31 October 2026")
        .await;
    b.wait_for_url("the indicators", |url| url.contains("/annex-a/indicators"))
        .await;
    b.check_page("Indicators").await;
    let page = b.text("main").await;
    assert!(page.contains("31 October 2026"), "{page}");
    assert!(page.contains("Published"), "{page}");
    b.click_link("main", "Re-referrals within 12 months").await;
    b.wait_for_url("the drill-down", |url| {
        url.contains("/indicators/re_referral")
    })
    .await;
    b.check_page("Re-referrals within 12 months").await;
    b.find("#children").await;

    b.goto(DEVON).await;
    let clean = download(&b, "Download the clean workbook").await;
    assert_eq!(clean.status, 200);
    assert!(clean.magic.starts_with("PK"), "{clean:?}");

    // Ofsted's regional staff read Annex A only while a visit is under way.
    sign_in_as(&b, "hmi.southwest", &password).await;
    b.goto(DEVON).await;
    b.check_page("You do not have permission to see this page")
        .await;
}
