//! The clean workbook in the canonical layout: one sheet per list in list order,
//! canonical headers (bold), canonical codes, dates as date cells (`dd/mm/yyyy`).

use crate::read::AnnexA;
use crate::schema::Schema;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the clean workbook: {0}")]
pub struct WriteError(String);

impl From<rust_xlsxwriter::XlsxError> for WriteError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        WriteError(e.to_string())
    }
}

/// The clean lists as xlsx bytes, written a row at a time ([`crate::xlsx::writer`]).
pub fn write_clean_xlsx(annex: &AnnexA) -> Result<Vec<u8>, WriteError> {
    crate::xlsx::writer::write_annex(annex, Schema::bundled()).map_err(WriteError)
}
