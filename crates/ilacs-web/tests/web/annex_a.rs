//! Annex A in the browser: who may upload and read, the upload's report, a failed upload
//! changing nothing, the downloads, and every child-level read logged.

use crate::support::TestApp;
use axum::http::StatusCode;
use ilacs_domain::authority::LaCode;

const BASE: &str = "/local-authorities/E09000002/annex-a";
const UPLOADS: &str = "/local-authorities/E09000002/annex-a/uploads";

fn barking() -> LaCode {
    LaCode::parse("301").unwrap()
}

/// A small synthetic workbook: 40 rows in each list, 5% dirt.
fn workbook(seed: u64) -> Vec<u8> {
    ilacs_annexa::generate(40, seed, 0.05).bytes
}

async fn upload(
    app: &mut TestApp,
    as_at: &str,
    name: &str,
    bytes: &[u8],
) -> crate::support::TestResponse {
    app.upload(
        BASE,
        UPLOADS,
        &[("as_at", as_at)],
        &[("files", name, bytes)],
    )
    .await
}

/// Rows held per list, as the store has them.
async fn held(app: &TestApp) -> Vec<(u8, u64)> {
    app.store
        .annex_a_history(&barking())
        .await
        .unwrap()
        .map(|h| h.lists.iter().map(|l| (l.list, l.rows)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn only_the_las_quality_team_and_leaders_and_inspectors_on_a_visit_see_the_lists() {
    let mut app = TestApp::new().await;
    let anonymous = app.get(BASE).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/sign-in?next="));
    for (user, status) in [
        ("qp.barking", StatusCode::OK),
        ("dcs.barking", StatusCode::OK),
        ("viewer.barking", StatusCode::FORBIDDEN),
        ("teamlead.barking", StatusCode::FORBIDDEN),
        // Another LA's staff are not told whether Barking has uploaded.
        ("dcs.devon", StatusCode::NOT_FOUND),
        // No inspection activity is under way for Barking.
        ("hmi.london", StatusCode::FORBIDDEN),
        ("ofsted.national", StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        let page = app.get(BASE).await;
        assert_eq!(page.status, status, "{user}: {}", page.body);
    }

    // Once a focused visit is under way, London's inspectors read (but never upload);
    // the South West's do not.
    app.with_open_activity("301").await;
    app.new_browser();
    app.sign_in("hmi.london").await;
    let page = app.get(BASE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("Upload and check"),
        "inspectors do not upload"
    );
    app.new_browser();
    app.sign_in("hmi.southwest").await;
    assert_eq!(app.get(BASE).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_upload_is_checked_merged_and_reported_and_every_read_is_logged() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let bytes = workbook(3);
    let expected = ilacs_annexa::read_workbook(&bytes).unwrap();

    let r = upload(&mut app, "30/09/2026", "annex-a.xlsx", &bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let report_url = r.location().to_string();
    assert!(
        report_url.starts_with(&format!("{UPLOADS}/")),
        "{report_url}"
    );

    // What is held is what cleaning kept, merged into nothing as at the reference date
    // (the synthetic rows' dates span years, so retention drops some; merging itself is
    // tested in ilacs-annexa).
    let as_at = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let (merged, _) = ilacs_annexa::merge(&ilacs_annexa::AnnexA::default(), &expected, as_at);
    let kept: Vec<(u8, u64)> = merged
        .lists
        .iter()
        .map(|l| (l.list, l.rows_kept() as u64))
        .collect();
    assert_eq!(held(&app).await, kept);

    let report = app.get(&report_url).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("annex-a.xlsx"));
    assert!(report.body.contains("30 September 2026"));
    let first = &expected.issues[0];
    assert!(
        report.body.contains(&first.reason),
        "the first issue's reason is shown"
    );
    assert!(report.body.contains(&format!("{}", expected.issues.len())));

    // The report as a workbook has every issue, one row each under a title and a header.
    let xlsx = app.get(&format!("{report_url}?format=xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::{DataType, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let issues = book.worksheet_range("Issues").unwrap();
    let data_rows = issues
        .rows()
        .filter(|r| r.first().and_then(|c| c.as_f64()).is_some())
        .count();
    assert_eq!(data_rows, expected.issues.len());

    // The same file again: every row replaces itself, nothing is added.
    let again = upload(&mut app, "30/09/2026", "annex-a.xlsx", &bytes).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(held(&app).await, kept);

    let overview = app.get(BASE).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(
        overview.body.matches("annex-a.xlsx").count(),
        2,
        "two uploads listed"
    );

    let la = barking();
    let log = app.store.access_log(Some(&la), 100).await.unwrap();
    let keys: Vec<&str> = log
        .iter()
        .filter(|e| e.entry.record_kind == "child_level")
        .map(|e| e.entry.record_key.as_str())
        .collect();
    assert!(keys.contains(&"301/annex-a"), "{keys:?}");
    assert!(
        keys.iter().any(|k| k.starts_with("301/annex-a/uploads/")),
        "{keys:?}"
    );
}

#[tokio::test]
async fn a_file_that_cannot_be_read_changes_nothing_and_says_why() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let r = upload(&mut app, "30/09/2026", "first.xlsx", &workbook(5)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let before = held(&app).await;
    let uploads_before = app.store.annex_a_uploads(&barking()).await.unwrap().len();

    // Not a spreadsheet at all.
    let r = upload(&mut app, "30/09/2026", "notes.xlsx", b"these are my notes").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("There is a problem"));
    assert!(r.body.contains("Nothing has been changed"), "{}", r.body);
    // A truncated workbook.
    let truncated = &workbook(6)[..2000];
    let r = upload(&mut app, "30/09/2026", "cut.xlsx", truncated).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cut.xlsx"), "the message names the file");
    // No file, and a date that is not one.
    let r = app
        .upload(BASE, UPLOADS, &[("as_at", "31/02/2026")], &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Select the Annex A workbook"));
    assert!(r.body.contains("like 30/09/2026"));
    assert!(r.body.contains("31/02/2026"), "what was typed is kept");

    assert_eq!(held(&app).await, before);
    assert_eq!(
        app.store.annex_a_uploads(&barking()).await.unwrap().len(),
        uploads_before
    );
}

#[tokio::test]
async fn uploads_need_the_form_token_and_a_sensible_size() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    app.get(BASE).await;
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"as_at\"\r\n\r\n30/09/2026\r\n--{boundary}--\r\n"
    );
    let request = axum::http::Request::post(UPLOADS)
        .header(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);

    // Larger than any Annex A can be: refused before it is read.
    let huge = vec![b'x'; 101 * 1024 * 1024];
    let r = upload(&mut app, "30/09/2026", "huge.xlsx", &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("larger than 100 MB"));
    assert!(held(&app).await.is_empty());

    // Only the quality team and leaders upload.
    app.new_browser();
    app.sign_in("viewer.barking").await;
    let r = app
        .upload(
            "/",
            UPLOADS,
            &[("as_at", "30/09/2026")],
            &[("files", "a.xlsx", &workbook(1))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_clean_and_degraded_workbooks_download_and_pseudonyms_are_stable() {
    let mut app = TestApp::new().await;
    app.sign_in("dcs.barking").await;
    assert_eq!(
        app.get(&format!("{BASE}/clean.xlsx")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = upload(&mut app, "30/09/2026", "a.xlsx", &workbook(8)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let clean = app.get(&format!("{BASE}/clean.xlsx")).await;
    assert_eq!(clean.status, StatusCode::OK);
    let clean = ilacs_annexa::read_workbook(&clean.bytes).unwrap();
    assert!(
        clean.issues.is_empty(),
        "the clean workbook is clean: {:?}",
        clean.issues.first()
    );
    let degraded = app.get(&format!("{BASE}/degraded.xlsx")).await;
    assert_eq!(degraded.status, StatusCode::OK);
    let degraded_again = app.get(&format!("{BASE}/degraded.xlsx")).await;
    assert_eq!(degraded.bytes.len(), degraded_again.bytes.len());
    let first = ilacs_annexa::read_workbook(&degraded.bytes).unwrap();
    let second = ilacs_annexa::read_workbook(&degraded_again.bytes).unwrap();

    let ids = |annex: &ilacs_annexa::AnnexA| -> Vec<String> {
        let list = &annex.lists[0];
        list.rows()
            .map(|row| match &row[0] {
                ilacs_annexa::Value::Text(t) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(
        ids(&first),
        ids(&second),
        "the same key gives the same pseudonyms"
    );
    let clean_ids = ids(&clean);
    assert_eq!(ids(&first).len(), clean_ids.len());
    assert!(
        ids(&first).iter().all(|id| !clean_ids.contains(id)),
        "no child's ID survives degrading"
    );
}

#[tokio::test]
async fn the_indicators_show_beside_the_published_figures_and_drill_down_to_children() {
    let mut app = TestApp::new().await;
    app.with_published_statistics().await;
    app.sign_in("qp.barking").await;
    // Before anything is uploaded there are no indicators to show.
    assert_eq!(
        app.get(&format!("{BASE}/indicators")).await.status,
        StatusCode::NOT_FOUND
    );
    // One list, as CSV: four referrals in the 6 months to 30 September 2026, two of
    // them re-referrals (a referral in the 12 months before): 2 / 4 = 50.0%.
    let referrals = "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of referral,Referral Source,Referral NFA?,Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker\n\
        R1,a) Male,a) WBRI,01/02/2015,11,10/07/2026,6,b) No,1,Team A,Worker 1\n\
        R2,b) Female,a) WBRI,01/03/2016,10,11/08/2026,2A,b) No,0,Team A,Worker 2\n\
        R3,b) Female,n) BCRB,01/04/2017,9,12/08/2026,3A,a) Yes,0,Team B,Worker 3\n\
        R4,a) Male,k) APKN,01/05/2018,8,01/09/2026,6,b) No,2,Team B,Worker 3\n";
    let r = app
        .upload(
            BASE,
            UPLOADS,
            &[("as_at", "30/09/2026")],
            &[("files", "referrals.csv", referrals.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let page = app.get(&format!("{BASE}/indicators")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("30 September 2026"));
    assert!(page.body.contains("50.0%"), "re-referrals from the lists");
    // Barking and Dagenham's published re-referral rate for 2025 (DfE: 21.8%).
    assert!(
        page.body.contains("21.8%"),
        "the published figure is beside ours"
    );
    assert!(page.body.contains("<svg"), "charts are drawn");
    // Lists not uploaded say so rather than showing a zero.
    assert!(page.body.contains("Not available"));

    let first_child = "R1";
    let drill = app
        .get(&format!("{BASE}/indicators/re_referral?as_at=2026-09-30"))
        .await;
    assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
    assert!(drill.body.contains(first_child), "{first_child} is listed");
    assert!(
        drill.body.contains(">R2<"),
        "every referral in the denominator is listed"
    );
    let counted = app
        .get(&format!(
            "{BASE}/indicators/re_referral?as_at=2026-09-30&only=numerator"
        ))
        .await;
    assert!(counted.body.contains(">R4<") && !counted.body.contains(">R2<"));
    assert_eq!(
        app.get(&format!("{BASE}/indicators/no_such_thing"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{BASE}/indicators?as_at=soon"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let la = barking();
    let log = app.store.access_log(Some(&la), 100).await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.entry.record_key == "301/annex-a/indicators/re_referral"));
}
