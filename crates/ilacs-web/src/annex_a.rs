//! An LA's Annex A as the service keeps it: the merged history of its uploads (one
//! canonical CSV per list in the store) and each upload's validation report. Uploads
//! from the web and the demo go through [`ingest`], so both merge and record alike.

use chrono::NaiveDate;
use ilacs_annexa::{merge, read_csvs, write_list_csv, AnnexA, MergeSummary, Schema};
use ilacs_domain::authority::LaCode;
use ilacs_store::{AnnexAList, AnnexAUpload, NewAnnexAUpload, Store, StoreError};
use serde::{Deserialize, Serialize};

/// Why an upload could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the LA's stored Annex A lists cannot be read: {0}")]
    Corrupt(String),
    #[error("the lists could not be merged: {0}")]
    Task(String),
}

/// The LA's lists as merged so far (empty before the first upload), with the upload
/// that made them.
pub(crate) struct History {
    pub(crate) annex: AnnexA,
    pub(crate) upload_id: Option<i64>,
}

pub(crate) async fn history(store: &dyn Store, la: &LaCode) -> Result<History, IngestError> {
    let Some(stored) = store.annex_a_history(la).await? else {
        return Ok(History {
            annex: AnnexA::default(),
            upload_id: None,
        });
    };
    let upload_id = Some(stored.upload_id);
    let annex = tokio::task::spawn_blocking(move || {
        let names: Vec<String> = stored
            .lists
            .iter()
            .map(|l| format!("list-{}.csv", l.list))
            .collect();
        let named: Vec<(&str, &[u8])> = names
            .iter()
            .zip(&stored.lists)
            .map(|(n, l)| (n.as_str(), l.data.as_slice()))
            .collect();
        read_csvs(&named)
    })
    .await
    .map_err(|e| IngestError::Task(e.to_string()))?
    .map_err(|e| IngestError::Corrupt(e.to_string()))?;
    Ok(History { annex, upload_id })
}

/// Merges a read upload into the LA's history as at `as_at` and records it with its
/// report, in one transaction. Another upload saved meanwhile is merged onto, not lost:
/// the merge is redone on the newer history.
pub async fn ingest(
    store: &dyn Store,
    la: &LaCode,
    filename: &str,
    upload: AnnexA,
    as_at: NaiveDate,
    actor: &str,
) -> Result<AnnexAUpload, IngestError> {
    let upload = std::sync::Arc::new(upload);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let history = history(store, la).await?;
        let merging = upload.clone();
        let (lists, summary) = tokio::task::spawn_blocking(move || {
            let (merged, summary) = merge(&history.annex, &merging, as_at);
            let lists: Vec<AnnexAList> = merged
                .lists
                .iter()
                .map(|l| AnnexAList {
                    list: l.list,
                    rows: l.rows_kept() as u64,
                    data: write_list_csv(l),
                })
                .collect();
            (lists, summary)
        })
        .await
        .map_err(|e| IngestError::Task(e.to_string()))?;
        let report = Report::new(filename, &upload, &summary);
        let record = NewAnnexAUpload {
            la: la.clone(),
            filename: filename.to_string(),
            as_at,
            lists_found: upload.lists.iter().map(|l| l.list).collect(),
            rows_read: upload.lists.iter().map(|l| l.rows_read as u64).sum(),
            rows_kept: upload.lists.iter().map(|l| l.rows_kept() as u64).sum(),
            issue_count: upload.issues.len() as u64,
            report: report.to_bytes(),
            merge_summary: serde_json::to_string(&summary).expect("a summary is plain data"),
            merged_onto: history.upload_id,
        };
        match store.save_annex_a_upload(&record, &lists, actor).await {
            Err(StoreError::Conflict(_)) if attempts < 3 => continue,
            other => return Ok(other?),
        }
    }
}

/// An upload's validation report as kept with it (JSON): every list found, every issue
/// and what merging did.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Report {
    pub(crate) file: String,
    pub(crate) lists: Vec<ReportList>,
    pub(crate) skipped_sheets: Vec<String>,
    pub(crate) issues: Vec<ReportIssue>,
    pub(crate) merge: Vec<ReportMerge>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ReportList {
    pub(crate) list: u8,
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) rows_read: u64,
    pub(crate) rows_kept: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ReportIssue {
    pub(crate) list: u8,
    pub(crate) row: u32,
    pub(crate) column: String,
    pub(crate) value: String,
    pub(crate) reason: String,
    pub(crate) action: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ReportMerge {
    pub(crate) list: u8,
    pub(crate) added: u64,
    pub(crate) replaced: u64,
    pub(crate) unchanged: u64,
    pub(crate) duplicates: u64,
    pub(crate) expired: u64,
    pub(crate) rows: u64,
}

pub(crate) fn list_name(list: u8) -> String {
    Schema::bundled()
        .list(list)
        .map_or_else(|| format!("List {list}"), |d| d.name.clone())
}

impl Report {
    fn new(file: &str, annex: &AnnexA, merge: &MergeSummary) -> Report {
        Report {
            file: file.to_string(),
            lists: annex
                .lists
                .iter()
                .map(|l| ReportList {
                    list: l.list,
                    name: list_name(l.list),
                    source: l.source.clone(),
                    rows_read: l.rows_read as u64,
                    rows_kept: l.rows_kept() as u64,
                })
                .collect(),
            skipped_sheets: annex.skipped_sheets.clone(),
            issues: annex
                .issues
                .iter()
                .map(|i| ReportIssue {
                    list: i.list,
                    row: i.row,
                    column: i.column.clone(),
                    value: i.value.clone(),
                    reason: i.reason.clone(),
                    action: i.action.as_str().to_string(),
                })
                .collect(),
            merge: merge
                .lists
                .iter()
                .map(|m| ReportMerge {
                    list: m.list,
                    added: m.added as u64,
                    replaced: m.replaced as u64,
                    unchanged: m.unchanged as u64,
                    duplicates: m.duplicates_in_upload as u64,
                    expired: m.expired as u64,
                    rows: m.rows as u64,
                })
                .collect(),
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a report is plain data")
    }

    pub(crate) fn parse(bytes: &[u8]) -> Result<Report, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
