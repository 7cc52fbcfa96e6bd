//! The system's records as [`crate::document::Document`]s, ready for any writer.

mod aem_letter;
mod self_evaluation;

pub use aem_letter::aem_letter_document;
pub use self_evaluation::{self_evaluation_document, AuditLine, SelfEvaluationExport};

use crate::document::{to_docx, to_html, to_pdf, Document, DocumentError};

/// The formats a document is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Word: the form councils take to cabinet and scrutiny.
    Docx,
    /// Tagged PDF, for screen readers.
    Pdf,
    Html,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Docx, ExportFormat::Pdf, ExportFormat::Html];

    /// `docx`, `pdf` or `html`, in any case.
    pub fn parse(input: &str) -> Option<ExportFormat> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(input.trim()))
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Docx => "docx",
            ExportFormat::Pdf => "pdf",
            ExportFormat::Html => "html",
        }
    }

    /// What a download link says the file is.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Docx => "Word (DOCX)",
            ExportFormat::Pdf => "PDF",
            ExportFormat::Html => "HTML",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ExportFormat::Pdf => "application/pdf",
            ExportFormat::Html => "text/html; charset=utf-8",
        }
    }

    pub fn write(self, document: &Document) -> Result<Vec<u8>, DocumentError> {
        match self {
            ExportFormat::Docx => to_docx(document),
            ExportFormat::Pdf => to_pdf(document),
            ExportFormat::Html => Ok(to_html(document).into_bytes()),
        }
    }
}
