//! All the reference data at once: the LA files and Ofsted's workbook, resolved and
//! merged into one bundle for the store.

use crate::local_authorities::{read_local_authorities, ReferenceError, ReferenceFiles};
use crate::outcomes_workbook::{read_outcomes_workbook, WorkbookError};
use ilacs_domain::reference::ReferenceData;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    // The problem is part of the message, not a `source`, so error chains do not
    // print it twice.
    #[error("{file}: {problem}")]
    Workbook {
        file: String,
        problem: WorkbookError,
    },
}

/// Reads the LA files and the outcomes workbook (`workbook_name` names it in errors),
/// matches every activity to an LA and merges the workbook's overlapping sheets.
pub fn read_reference(
    files: &ReferenceFiles<'_>,
    workbook: &[u8],
    workbook_name: &str,
) -> Result<ReferenceData, ImportError> {
    let (regions, local_authorities) = read_local_authorities(files)?;
    let in_workbook = |problem| ImportError::Workbook {
        file: workbook_name.to_string(),
        problem,
    };
    let activities = read_outcomes_workbook(workbook)
        .and_then(|w| w.resolve(&local_authorities))
        .and_then(|r| r.merged())
        .map_err(in_workbook)?;
    Ok(ReferenceData {
        regions: regions.all().to_vec(),
        local_authorities,
        activities,
    })
}
