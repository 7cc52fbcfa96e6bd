//! A director's journey through `ilacs demo` in headless Chromium: signing in, finding
//! their local authority, its judgements and its users, and being kept out of another
//! authority's users.

use crate::support::{self, ChromeDriver, Demo};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a page may take to appear after a click.
const PAGE_TIMEOUT: Duration = Duration::from_secs(10);

const BARKING_USERS: &str = "/local-authorities/E09000002/users";
const RI: &str = "Requires improvement to be good";

/// `target/browser-screenshots` at the workspace root, for people to look at.
fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is two levels below the workspace root");
    workspace.join("target").join("browser-screenshots")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_signs_in_finds_their_authority_and_is_kept_out_of_another() {
    let Some(paths) = support::browser_paths() else {
        return;
    };
    // A failure picture from an earlier run would only mislead.
    let _ = std::fs::remove_file(screenshot_dir().join("failure.png"));
    let demo = Demo::start();
    let driver = ChromeDriver::start(&paths.chromedriver);
    let (client, _profile) = driver.session(&paths.chromium).await;

    // The journey runs as its own task so that, pass or fail, the session is closed.
    let browser = Browser {
        client: client.clone(),
        base: demo.base.clone(),
    };
    let outcome = tokio::spawn(journey(browser, demo.password.clone())).await;
    if outcome.is_err() {
        if let Ok(png) = client.screenshot().await {
            let path = screenshot_dir().join("failure.png");
            if std::fs::create_dir_all(screenshot_dir()).is_ok()
                && std::fs::write(&path, png).is_ok()
            {
                eprintln!("The page at the failure: {}", path.display());
            }
        }
    }
    let closed = client.close().await;
    if let Err(failure) = outcome {
        eprintln!("{}\n{}", demo.output(), driver.output());
        match failure.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the browser journey did not finish: {e}"),
        }
    }
    closed.expect("could not close the browser session");
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
    let chart = b.find("svg[role='img']").await;
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

async fn text_of(element: &Element) -> String {
    element
        .text()
        .await
        .unwrap_or_else(|e| panic!("could not read an element's text: {e}"))
}

/// The browser pointed at the demo server. Every helper panics with the address and
/// the text of the page it was on.
struct Browser {
    client: Client,
    base: String,
}

impl Browser {
    async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("could not open {url}: {e}"));
    }

    /// The current path and query.
    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The address and the main text of the current page, for failure messages.
    async fn context(&self) -> String {
        let url = match self.client.current_url().await {
            Ok(u) => u.to_string(),
            Err(e) => format!("(unknown address: {e})"),
        };
        let text = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => self.client.source().await.unwrap_or_default(),
        };
        format!("--- page at {url} ---\n{text}\n---")
    }

    async fn wait_for_url(&self, what: &str, mut ready: impl FnMut(&str) -> bool) {
        let deadline = Instant::now() + PAGE_TIMEOUT;
        loop {
            let url = self.client.current_url().await.unwrap();
            if ready(url.as_str()) {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waited {PAGE_TIMEOUT:?} for {what}\n{}",
                    self.context().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the path (without the query) is `expected`.
    async fn wait_for_path(&self, expected: &str) {
        let base = self.base.clone();
        self.wait_for_url(&format!("the page {expected}"), |url| {
            url.strip_prefix(&base)
                .map(|rest| rest.split(['?', '#']).next() == Some(expected))
                .unwrap_or(false)
        })
        .await;
    }

    async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => panic!(
                "waited {PAGE_TIMEOUT:?} for `{css}`: {e}\n{}",
                self.context().await
            ),
        }
    }

    async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("no `{css}` on the page: {e}\n{}", self.context().await),
        }
    }

    async fn text(&self, css: &str) -> String {
        text_of(&self.find(css).await).await
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            texts.push(text_of(&e).await.trim().to_string());
        }
        texts
    }

    /// The key and value of each row of a GOV.UK summary list.
    async fn summary_rows(&self, css: &str) -> Vec<(String, String)> {
        let list = self.find(css).await;
        let mut rows = Vec::new();
        for row in list
            .find_all(Locator::Css(".govuk-summary-list__row"))
            .await
            .unwrap()
        {
            let key = row.find(Locator::Css("dt")).await.unwrap();
            let value = row.find(Locator::Css("dd")).await.unwrap();
            rows.push((
                text_of(&key).await.trim().to_string(),
                text_of(&value).await.trim().to_string(),
            ));
        }
        rows
    }

    /// Clicks the link inside `within` whose text is `text`.
    async fn click_link(&self, within: &str, text: &str) {
        let container = self.find(within).await;
        let links = container.find_all(Locator::Css("a")).await.unwrap();
        for link in links {
            if text_of(&link).await.trim() == text {
                link.click()
                    .await
                    .unwrap_or_else(|e| panic!("could not click the link {text:?}: {e}"));
                return;
            }
        }
        panic!("no link {text:?} in `{within}`\n{}", self.context().await);
    }

    /// Clicks the button whose text is `text`.
    async fn click_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space()='{text}']");
        let button = match self.client.find(Locator::XPath(&xpath)).await {
            Ok(b) => b,
            Err(e) => panic!("no button {text:?}: {e}\n{}", self.context().await),
        };
        button
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click the button {text:?}: {e}"));
    }

    /// Fills in the sign-in form on the current page and sends it.
    async fn sign_in(&self, username: &str, password: &str) {
        for (field, value) in [("username", username), ("password", password)] {
            let input = self.find(&format!("form input#{field}")).await;
            input.clear().await.unwrap();
            input
                .send_keys(value)
                .await
                .unwrap_or_else(|e| panic!("could not type into #{field}: {e}"));
        }
        self.click_button("Sign in").await;
    }

    /// The HTTP status of the page now shown (the browser's navigation timing entry).
    async fn status(&self) -> u64 {
        let status = self
            .client
            .execute(
                "return performance.getEntriesByType('navigation')[0].responseStatus;",
                vec![],
            )
            .await
            .unwrap();
        status
            .as_u64()
            .unwrap_or_else(|| panic!("the browser did not report a status: {status}"))
    }

    /// Checks what every page should have: a skip link to the main content, which
    /// exists, and exactly one h1, reading `h1`.
    async fn check_page(&self, h1: &str) {
        let headings = self.texts("h1").await;
        assert_eq!(
            headings,
            [h1],
            "the page should have exactly one h1, reading {h1:?}\n{}",
            self.context().await
        );
        let skip = self.find("a.govuk-skip-link").await;
        // The link is visually hidden until focused, so read its text content.
        let skip_text = skip.prop("textContent").await.unwrap().unwrap_or_default();
        assert_eq!(
            (
                skip_text.trim(),
                skip.attr("href").await.unwrap().as_deref()
            ),
            ("Skip to main content", Some("#main-content")),
            "the page should start with a skip link\n{}",
            self.context().await
        );
        self.find("main#main-content").await;
        self.check_accessibility().await;
    }

    /// Runs axe-core's WCAG 2.2 A and AA rules on the page; any violation fails.
    async fn check_accessibility(&self) {
        let Some(axe) = crate::support::axe_source() else {
            return;
        };
        self.client
            .execute(axe, vec![])
            .await
            .unwrap_or_else(|e| panic!("could not load axe-core: {e}"));
        let violations = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")) }))))
                  .catch(e => done([{ id: "axe-error", help: String(e) }]));"#,
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("axe-core did not run: {e}"));
        let list = violations.as_array().cloned().unwrap_or_default();
        assert!(
            list.is_empty(),
            "accessibility violations on {}:\n{}",
            self.path().await,
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }
}
