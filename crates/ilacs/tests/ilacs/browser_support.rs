//! The browser side of the journeys: running one against a fresh `ilacs demo` in
//! headless Chromium, and [`Browser`], the steps a journey takes. Every helper panics
//! with the address and the text of the page it was on.

use crate::support::{self, ChromeDriver, Demo};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a page may take to appear after a click.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// `target/browser-screenshots` at the workspace root, for people to look at.
pub fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate is two levels below the workspace root");
    workspace.join("target").join("browser-screenshots")
}

/// Runs `journey` in a new Chromium session against its own `ilacs demo`, given the
/// browser and the demo users' password. Returns at once (the test skipped) when the
/// browser programs are missing and not required. On failure it saves a screenshot as
/// `NAME-failure.png` in [`screenshot_dir`] and prints the server's and the driver's
/// output; pass or fail, the session is closed.
pub async fn run_journey<F, Fut>(name: &str, journey: F)
where
    F: FnOnce(Browser, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(paths) = support::browser_paths() else {
        return;
    };
    let failure_png = screenshot_dir().join(format!("{name}-failure.png"));
    // A failure picture from an earlier run would only mislead.
    let _ = std::fs::remove_file(&failure_png);
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
            if std::fs::create_dir_all(screenshot_dir()).is_ok()
                && std::fs::write(&failure_png, png).is_ok()
            {
                eprintln!("The page at the failure: {}", failure_png.display());
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

pub async fn text_of(element: &Element) -> String {
    element
        .text()
        .await
        .unwrap_or_else(|e| panic!("could not read an element's text: {e}"))
}

/// The browser pointed at the demo server. Every helper panics with the address and
/// the text of the page it was on.
pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("could not open {url}: {e}"));
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The address and the main text of the current page, for failure messages.
    pub async fn context(&self) -> String {
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

    pub async fn wait_for_url(&self, what: &str, mut ready: impl FnMut(&str) -> bool) {
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
    pub async fn wait_for_path(&self, expected: &str) {
        let base = self.base.clone();
        self.wait_for_url(&format!("the page {expected}"), |url| {
            url.strip_prefix(&base)
                .map(|rest| rest.split(['?', '#']).next() == Some(expected))
                .unwrap_or(false)
        })
        .await;
    }

    pub async fn wait_for(&self, css: &str) -> Element {
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

    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("no `{css}` on the page: {e}\n{}", self.context().await),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        text_of(&self.find(css).await).await
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            texts.push(text_of(&e).await.trim().to_string());
        }
        texts
    }

    /// The key and value of each row of a GOV.UK summary list.
    pub async fn summary_rows(&self, css: &str) -> Vec<(String, String)> {
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
    pub async fn click_link(&self, within: &str, text: &str) {
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
    pub async fn click_button(&self, text: &str) {
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
    pub async fn sign_in(&self, username: &str, password: &str) {
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
    pub async fn status(&self) -> u64 {
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
    pub async fn check_page(&self, h1: &str) {
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
    pub async fn check_accessibility(&self) {
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

    /// Waits until the path (without the query) is `prefix` followed by a number, such
    /// as a new record's id, and returns the path.
    pub async fn wait_for_record(&self, prefix: &str) -> String {
        let base = self.base.clone();
        self.wait_for_url(&format!("a page {prefix}N"), |url| {
            url.strip_prefix(&base)
                .and_then(|rest| rest.split(['?', '#']).next())
                .and_then(|path| path.strip_prefix(prefix))
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
        .await;
        self.path().await
    }

    /// The element an XPath expression finds.
    async fn find_xpath(&self, what: &str, xpath: &str) -> Element {
        match self.client.find(Locator::XPath(xpath)).await {
            Ok(e) => e,
            Err(e) => panic!("no {what} ({xpath}): {e}\n{}", self.context().await),
        }
    }

    /// Chooses a radio button as a person does, by clicking its label `label` in the
    /// fieldset whose legend is `legend`.
    pub async fn choose(&self, legend: &str, label: &str) {
        let xpath = format!(
            "//fieldset[legend[normalize-space()=\"{legend}\"]]//label[normalize-space()=\"{label}\"]"
        );
        let what = format!("option {label:?} under {legend:?}");
        self.find_xpath(&what, &xpath)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click the {what}: {e}"));
    }

    /// Types `value` into the text field or text area labelled `label` (exactly one
    /// on the page), replacing what was there.
    pub async fn fill(&self, label: &str, value: &str) {
        let xpath = format!("//label[normalize-space()=\"{label}\"]");
        let found = self.client.find_all(Locator::XPath(&xpath)).await.unwrap();
        let [label_element] = &found[..] else {
            panic!(
                "expected one label {label:?}, found {}\n{}",
                found.len(),
                self.context().await
            );
        };
        let id = label_element
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("the label {label:?} names no field"));
        self.fill_id(&id, value).await;
    }

    /// Types `value` into the field whose id is `id`, replacing what was there.
    pub async fn fill_id(&self, id: &str, value: &str) {
        let field = self.find(&format!("[id=\"{id}\"]")).await;
        field.clear().await.unwrap();
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("could not type into #{id}: {e}"));
    }

    /// Chooses the option `label` in the select whose id is `id`.
    pub async fn select(&self, id: &str, label: &str) {
        self.find(&format!("select[id=\"{id}\"]"))
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("could not choose {label:?} in #{id}: {e}"));
    }

    /// The result of a script that returns a number.
    pub async fn count_by_script(&self, script: &str) -> u64 {
        let value = self.client.execute(script, vec![]).await.unwrap();
        value
            .as_u64()
            .unwrap_or_else(|| panic!("{script} did not return a number: {value}"))
    }

    /// The id of the element that has the focus ("" if none has one).
    pub async fn focused_id(&self) -> String {
        let value = self
            .client
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_string()
    }

    /// The text of each row of the table `css`, a cell (or header cell) per entry.
    pub async fn table_rows(&self, css: &str) -> Vec<Vec<String>> {
        let table = self.find(css).await;
        let mut rows = Vec::new();
        for row in table.find_all(Locator::Css("tbody tr")).await.unwrap() {
            let mut cells = Vec::new();
            for cell in row.find_all(Locator::Css("th, td")).await.unwrap() {
                cells.push(text_of(&cell).await.trim().to_string());
            }
            rows.push(cells);
        }
        rows
    }
}

/// What a download link on the page gave: its status, type, first five bytes (as
/// characters) and size.
#[derive(Debug)]
pub struct Download {
    pub status: u64,
    pub content_type: String,
    pub magic: String,
    pub size: u64,
}

/// Follows the `main` link with this text inside the browser, with its cookies, and
/// reads what comes back (a download does not navigate, so the page cannot show it).
pub async fn download(b: &Browser, link_text: &str) -> Download {
    let link = b
        .client
        .find(fantoccini::Locator::XPath(&format!(
            "//main//a[starts-with(normalize-space(), '{link_text}')]"
        )))
        .await
        .unwrap_or_else(|e| panic!("no '{link_text}' link: {e}"));
    let href = link
        .attr("href")
        .await
        .unwrap()
        .expect("the link has a href");
    let script = r#"
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'})
          .then(r => r.arrayBuffer().then(buf => done([
              r.status, r.headers.get('content-type') || '',
              String.fromCharCode(...new Uint8Array(buf.slice(0, 5))), buf.byteLength])))
          .catch(e => done([0, String(e), '', 0]));
    "#;
    let got = b
        .client
        .execute_async(script, vec![serde_json::json!(href)])
        .await
        .unwrap();
    Download {
        status: got[0].as_u64().unwrap_or(0),
        content_type: got[1].as_str().unwrap_or("").to_string(),
        magic: got[2].as_str().unwrap_or("").to_string(),
        size: got[3].as_u64().unwrap_or(0),
    }
}
