//! Devon's Annex A: a synthetic return, its volumes and rates from Devon's published
//! figures, uploaded by its quality lead as at the end of last month, so the indicators
//! page has Devon's lists beside DfE's figures from the start.

use super::audits::DEVON;
use crate::commands::annex_a::profile::Sources;
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use ilacs_annexa::generate::generate_linked;
use ilacs_store::Store;

/// The same return on every start: a fixed seed, and the share of real-world dirt a
/// case management system's export typically has.
const SEED: u64 = 2026;
const DIRT: f64 = 0.01;
const FILE: &str = "devon-annex-a.xlsx";

/// The last day of the month before `today`'s.
fn end_of_last_month(today: NaiveDate) -> NaiveDate {
    today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today)
}

pub async fn ensure(store: &dyn Store, today: NaiveDate) -> anyhow::Result<String> {
    let sources = Sources::load()?;
    let la = sources.find(DEVON)?;
    if !store.annex_a_uploads(&la.la_code).await?.is_empty() {
        return Ok("Annex A: Devon's return is held already.".into());
    }
    let as_at = end_of_last_month(today);
    let made = sources.profile(la, as_at)?;
    let workbook = generate_linked(&made.profile, SEED, DIRT)
        .context("could not make Devon's demo Annex A")?;
    let annex = ilacs_annexa::read_workbook(&workbook.bytes)
        .context("could not read Devon's demo Annex A")?;
    let saved = ilacs_web::annex_a::ingest(store, &la.la_code, FILE, annex, as_at, "qp.devon")
        .await
        .context("could not store Devon's demo Annex A")?;
    Ok(format!(
        "Annex A: Devon's return as at {} uploaded ({} rows kept, {} issues in its report).",
        as_at.format("%-d %B %Y"),
        saved.rows_kept,
        saved.issue_count
    ))
}
