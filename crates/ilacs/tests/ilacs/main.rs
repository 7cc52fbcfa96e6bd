//! End-to-end tests of the `ilacs` program as users and operators meet it: the
//! command line run as a process (`cli`), and a browser journey through `ilacs demo`
//! driven by headless Chromium over WebDriver (`browser`).
//!
//! The browser test needs ChromeDriver and Chromium (`CHROMEDRIVER` and `CHROMIUM`,
//! else /usr/bin/chromedriver and /usr/bin/chromium). Without them it is skipped,
//! unless `ILACS_REQUIRE_BROWSER=1`, when it fails.

mod browser;
mod cli;
mod support;
