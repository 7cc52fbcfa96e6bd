use crate::audits::{audit_form, post, record};
use crate::support::TestApp;
use axum::http::StatusCode;
use ilacs_domain::authority::LaCode;

const AUDITS: &str = "/local-authorities/E09000002/audits";
const LEARNING: &str = "/local-authorities/E09000002/audits/learning";
const NEW: &str = "/local-authorities/E09000002/audits/learning/new";

/// Records an audit dated `date` (tagged voice of the child and supervision); returns
/// its id.
async fn audit_on(app: &mut TestApp, child: &str, date: &str) -> String {
    let mut form = audit_form(child, "good", "good");
    for (k, v) in &mut form {
        if k == "date" {
            *v = date.to_string();
        }
    }
    let r = post(
        app,
        &format!("{AUDITS}/new?template=ilacs-quality"),
        &format!("{AUDITS}?template=ilacs-quality"),
        &form,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().rsplit('/').next().unwrap().to_string()
}

fn fields<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A learning action raised by `audits` and the supervision theme.
fn good_form(audits: &str) -> Vec<(String, String)> {
    fields(&[
        ("title", "Supervision that records decisions"),
        ("kind", "training"),
        (
            "description",
            "Managers record the decision and its reason in every supervision.",
        ),
        ("owner", "Principal social worker"),
        ("due", "31/12/2026"),
        ("status", "planned"),
        ("audits", audits),
        ("themes", "supervision"),
    ])
}

async fn add(app: &mut TestApp, form: &[(String, String)]) -> String {
    let r = post(app, NEW, LEARNING, form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().to_string()
}

#[tokio::test]
async fn the_las_staff_read_learning_actions_and_its_quality_leads_change_them() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let audit = audit_on(&mut app, "CHILD-1", "02/11/2026").await;
    let at = add(&mut app, &good_form(&audit)).await;
    let edit = format!("{at}/edit");
    app.new_browser();

    let anonymous = app.get(LEARNING).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/sign-in?next="));
    for (user, read, write) in [
        ("dcs.barking", StatusCode::OK, StatusCode::OK),
        ("qp.barking", StatusCode::OK, StatusCode::OK),
        ("teamlead.barking", StatusCode::OK, StatusCode::FORBIDDEN),
        ("viewer.barking", StatusCode::OK, StatusCode::FORBIDDEN),
        // Another LA's staff are not told the page exists.
        ("dcs.devon", StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        // Ofsted reads them with the audits, in a notification week only.
        ("hmi.london", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        (
            "ofsted.national",
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        ("admin", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
    ] {
        app.new_browser();
        app.sign_in(user).await;
        assert_eq!(app.get(LEARNING).await.status, read, "{user} listing");
        assert_eq!(app.get(&at).await.status, read, "{user} reading one");
        assert_eq!(app.get(NEW).await.status, write, "{user} opening the form");
        assert_eq!(app.get(&edit).await.status, write, "{user} changing");
        if write != StatusCode::OK {
            // Posting without the form is refused too (with a valid token from home).
            let r = app.submit("/", LEARNING, &[("title", "x")]).await;
            assert_eq!(r.status, write, "{user} adding");
        }
    }

    // The viewer sees the action but no link into the audits they may not read.
    app.new_browser();
    app.sign_in("viewer.barking").await;
    let list = app.get(LEARNING).await;
    assert!(list.body.contains("Supervision that records decisions"));
    assert!(list.body.contains(&format!("Audit {audit}")));
    assert!(!list.body.contains(&format!("href=\"{AUDITS}/{audit}\"")));
    assert!(!list.body.contains("Add a learning action"));
    assert!(
        list.body
            .contains("href=\"/local-authorities/301/audits/learning\""),
        "the viewer's navigation leads here"
    );

    let log = app
        .store
        .access_log(Some(&LaCode::parse("301").unwrap()), 100)
        .await
        .unwrap();
    let readers: std::collections::BTreeSet<_> = log
        .iter()
        .filter(|e| e.entry.record_kind == "learning_action")
        .map(|e| e.entry.username.as_str())
        .collect();
    assert_eq!(
        readers.into_iter().collect::<Vec<_>>(),
        [
            "dcs.barking",
            "qp.barking",
            "teamlead.barking",
            "viewer.barking"
        ]
    );
}

#[tokio::test]
async fn an_action_is_added_with_every_problem_shown_at_once_and_links_its_evidence() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let first = audit_on(&mut app, "CHILD-1", "02/10/2026").await;
    let later = audit_on(&mut app, "CHILD-2", "02/11/2026").await;

    let list = app.get(AUDITS).await;
    assert!(list.body.contains(&format!("href=\"{LEARNING}\"")));
    let summary = app.get(&format!("{AUDITS}/summary?quarter=2026-Q4")).await;
    assert!(summary.body.contains(&format!("href=\"{LEARNING}\"")));

    let form = app.get(NEW).await;
    assert_eq!(form.h1(), "Add a learning action");
    assert!(
        form.body.contains("value=\"supervision\""),
        "the LA's themes to tick"
    );

    let bad = fields(&[
        ("title", " "),
        ("kind", "away day"),
        ("description", "Shared learning."),
        ("owner", "Head of service"),
        ("due", "31/02/2027"),
        ("status", "done"),
        ("audits", "12345, x"),
        ("themes", "neglect"),
    ]);
    let r = post(&mut app, NEW, LEARNING, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["title", "kind", "due", "done_on", "audits", "themes"] {
        assert!(
            r.body.contains(&format!("<a href=\"#{field}\">")),
            "an error linked to {field}:\n{}",
            r.body
        );
    }
    assert!(r
        .body
        .contains("There is no audit 12345 among this local authority"));
    assert!(
        r.body.contains("value=\"Head of service\""),
        "what was typed is kept"
    );
    assert!(
        r.body.contains("id=\"title\""),
        "the summary's links have targets"
    );

    let mut done = good_form(&first);
    done.retain(|(k, _)| k != "status");
    done.extend(fields(&[("status", "done"), ("done_on", "20/11/2026")]));
    let at = add(&mut app, &done).await;
    let page = app.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Supervision that records decisions");
    assert!(page.body.contains("Impact not yet shown"));
    assert!(page.body.contains(&format!("href=\"{AUDITS}/{first}\"")));
    assert!(
        page.body
            .contains(&format!("href=\"{AUDITS}/summary?quarter=2026-Q4#themes\"")),
        "the theme links to its quarter's summary"
    );

    // The audit that raised it, and later the one that shows impact, link back.
    let audit_page = app.get(&format!("{AUDITS}/{first}")).await;
    assert!(audit_page.body.contains(&format!("href=\"{at}\"")));
    assert!(audit_page.body.contains("raised by this audit"));

    let edit = format!("{at}/edit");
    let form = app.get(&edit).await;
    assert!(form.body.contains("value=\"20/11/2026\""), "dates as typed");
    let version = "1";
    let mut with_impact = done.clone();
    with_impact.extend(fields(&[
        ("version", version),
        ("impact_audits", &later),
        ("impact_note", "Decisions are now recorded."),
    ]));
    let r = post(&mut app, &edit, &at, &with_impact).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&at).await;
    assert!(!page.body.contains("Impact not yet shown"));
    assert!(page.body.contains("Decisions are now recorded."));
    assert!(page.body.contains("version 2, last changed by qp.barking"));
    let audit_page = app.get(&format!("{AUDITS}/{later}")).await;
    assert!(audit_page.body.contains("this audit shows its impact"));

    // An impact audit no later than the audits that raised the action is refused.
    let mut too_early = done.clone();
    too_early.extend(fields(&[("version", "2"), ("impact_audits", &first)]));
    let r = post(&mut app, &edit, &at, &too_early).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<a href=\"#impact_audits\">"));
}

#[tokio::test]
async fn the_list_flags_overdue_actions() {
    let mut app = TestApp::new().await;
    app.sign_in("dcs.barking").await;
    let audit = record(&mut app, "CHILD-3", "good", "good").await;
    let audit = audit.rsplit('/').next().unwrap().to_string();
    let mut late = good_form(&audit);
    for (k, v) in &mut late {
        if k == "due" {
            *v = "01/11/2026".into();
        }
    }
    add(&mut app, &late).await;
    let list = app.get(LEARNING).await;
    assert!(list.body.contains(">Overdue</strong>"), "{}", list.body);
    assert!(list.body.contains("Training session"));
    assert!(list.body.contains("Principal social worker"));
    assert!(list.body.contains("1 November 2026"));
}

#[tokio::test]
async fn a_change_saved_first_by_someone_else_is_not_overwritten() {
    let mut app = TestApp::new().await;
    app.sign_in("qp.barking").await;
    let audit = audit_on(&mut app, "CHILD-4", "02/11/2026").await;
    let at = add(&mut app, &good_form(&audit)).await;
    let edit = format!("{at}/edit");

    // Both open the form at version 1; the DCS saves first.
    let mut theirs = good_form(&audit);
    theirs.push(("version".into(), "1".into()));
    theirs.retain(|(k, _)| k != "owner");
    theirs.push(("owner".into(), "Head of service".into()));
    app.new_browser();
    app.sign_in("dcs.barking").await;
    let r = post(&mut app, &edit, &at, &theirs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    app.new_browser();
    app.sign_in("qp.barking").await;
    let mut mine = good_form(&audit);
    mine.push(("version".into(), "1".into()));
    mine.retain(|(k, _)| k != "title");
    mine.push(("title".into(), "My better title".into()));
    let r = post(&mut app, &edit, &at, &mine).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains("This learning action was changed by dcs.barking at"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"My better title\""),
        "what was typed is kept"
    );
    let page = app.get(&at).await;
    assert!(page.body.contains("Head of service"), "theirs stands");
    assert!(!page.body.contains("My better title"));
}
