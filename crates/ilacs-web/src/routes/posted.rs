//! Reading a posted form: its fields by name, and the row version it was opened at.

use crate::error::PageError;
use std::collections::HashMap;

/// The fields by name, as sent (for text whose spacing matters, such as a letter).
pub(crate) fn fields(posted: &[(String, String)]) -> HashMap<&str, &str> {
    posted
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The fields by name, with surrounding spaces trimmed.
pub(crate) fn trimmed_fields(posted: &[(String, String)]) -> HashMap<&str, &str> {
    posted.iter().map(|(k, v)| (k.as_str(), v.trim())).collect()
}

/// The `row_version` a form was opened at: the store refuses a save from a stale one.
pub(crate) fn row_version(map: &HashMap<&str, &str>) -> Result<i64, PageError> {
    map.get("row_version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            PageError::BadRequest("The form is missing its version. Open the page again.".into())
        })
}
