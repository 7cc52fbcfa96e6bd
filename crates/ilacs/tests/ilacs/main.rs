//! End-to-end tests of the `ilacs` program as users and operators meet it: the
//! command line run as a process (`cli`), and browser journeys through `ilacs demo`
//! driven by headless Chromium over WebDriver (`browser`: a director; `browser_audits`:
//! case audits and their moderation; `browser_sef`: the self-evaluation; the shared
//! steps are in `browser_support`).
//!
//! The browser tests need ChromeDriver and Chromium (`CHROMEDRIVER` and `CHROMIUM`,
//! else /usr/bin/chromedriver and /usr/bin/chromium). Without them they are skipped,
//! unless `ILACS_REQUIRE_BROWSER=1`, when they fail.

mod browser;
mod browser_aem;
mod browser_annexa;
mod browser_audits;
mod browser_sef;
mod browser_support;
mod cli;
mod support;
