//! Annex A in the browser: an LA's quality and performance team uploads its child-level
//! lists, reads the validation report, fixes and uploads again, and reads the indicators
//! the lists give, with a drill-down to the children behind each; the clean and the
//! degraded (pseudonymised) workbooks download from here.
//!
//! Every page here shows child-level data (IDs in the report and the drill-down, the
//! lists themselves), so every read is a `Record::ChildLevel` read and is logged.

mod dashboard;
mod downloads;
mod pages;
mod report;
mod upload;

pub(crate) use dashboard::{indicator, indicators};
pub(crate) use downloads::{clean_workbook, degraded_workbook};
pub(crate) use pages::overview;
pub(crate) use report::report;
pub(crate) use upload::{upload, MAX_UPLOAD_BYTES};

use crate::access_log::log_read;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use chrono::NaiveDate;
use ilacs_domain::access::{authorize, Action, Record};
use ilacs_domain::authority::LocalAuthority;
use serde_json::{json, Value};

/// How long after a visit or inspection starts it can still be under way when its
/// report is not yet published: longer than any ILACS activity's fieldwork and
/// write-up, so an old record missing its publication date is not "open" for ever.
const ACTIVITY_OPEN_DAYS: i64 = 90;

/// Ofsted's regional staff read the lists only while an inspection activity for the LA
/// is under way: started, and its report not yet published.
async fn activity_open(state: &AppState, la: &LocalAuthority) -> Result<bool, PageError> {
    let today = state.today();
    let activities = state.store.activities(&la.la_code).await?;
    Ok(activities.iter().any(|a| {
        a.start_date <= today
            && (today - a.start_date).num_days() <= ACTIVITY_OPEN_DAYS
            && a.publication_date.is_none_or(|p| p > today)
    }))
}

/// The viewer's right to `action` on the LA's child-level data. Another LA's staff get
/// "not found": whether an LA has uploaded is not theirs to know.
async fn allow(
    state: &AppState,
    viewer: &Viewer,
    action: Action,
    la: &LocalAuthority,
) -> Result<(), PageError> {
    let open = activity_open(state, la).await?;
    let record = Record::ChildLevel {
        la: &la.la_code,
        region: &la.region,
        activity_open: open,
    };
    authorize(viewer.principal(), action, &record).map_err(|denied| {
        match viewer.principal().and_then(|p| p.scope().la()) {
            Some(own) if *own != la.la_code => PageError::NotFound,
            _ => PageError::denied(denied, &base(la)),
        }
    })
}

/// Checks the viewer may read, and logs the read of `what` (a path under the LA's Annex
/// A) before anything is shown.
async fn allow_read_logged(
    state: &AppState,
    viewer: &Viewer,
    la: &LocalAuthority,
    what: &str,
) -> Result<(), PageError> {
    allow(state, viewer, Action::Read, la).await?;
    let record = Record::ChildLevel {
        la: &la.la_code,
        region: &la.region,
        activity_open: false,
    };
    log_read(
        state,
        viewer,
        &record,
        &format!("{}/annex-a{what}", la.la_code),
        Some(&la.la_code),
    )
    .await?;
    Ok(())
}

impl From<crate::annex_a::IngestError> for PageError {
    fn from(e: crate::annex_a::IngestError) -> Self {
        PageError::Internal(e.to_string())
    }
}

/// The LA's lists as held; "not found" before its first upload.
async fn held(state: &AppState, la: &LocalAuthority) -> Result<ilacs_annexa::AnnexA, PageError> {
    let history = crate::annex_a::history(state.store.as_ref(), &la.la_code).await?;
    if history.upload_id.is_none() {
        return Err(PageError::NotFound);
    }
    Ok(history.annex)
}

/// One page of a long table: the rows to show and the pagination the template draws;
/// `link(n)` is page n's query string.
fn paginate(
    total: usize,
    asked: Option<usize>,
    size: usize,
    link: impl Fn(usize) -> String,
) -> (std::ops::Range<usize>, Value) {
    let pages = total.div_ceil(size).max(1);
    let page = asked.unwrap_or(1).clamp(1, pages);
    let start = (page - 1) * size;
    let end = (start + size).min(total);
    let view = json!({
        "page": page,
        "pages": pages,
        "first": start + 1,
        "last": end,
        "previous": (page > 1).then(|| link(page - 1)),
        "next": (page < pages).then(|| link(page + 1)),
    });
    (start..end, view)
}

fn base(la: &LocalAuthority) -> String {
    format!("/local-authorities/{}/annex-a", la.gss_code)
}

fn la_view(la: &LocalAuthority) -> Value {
    json!({"code": la.gss_code.as_str(), "name": la.name})
}

fn parse_as_at(text: Option<&str>) -> Result<Option<NaiveDate>, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
            .map(Some)
            .map_err(|_| {
                format!(
                    "Enter the reference date as a real date, like 30/09/2026 (you entered '{t}')"
                )
            }),
    }
}
