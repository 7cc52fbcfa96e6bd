//! Documents built from the store, shared by the web's downloads and the CLI's
//! `export` command so both give the same file. Callers check permissions first.

use chrono::NaiveDate;
use ilacs_domain::aem::Meeting;
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::self_evaluation::{Citation, Questions, SelfEvaluation};
use ilacs_render::exports::{self_evaluation_document as build, AuditLine, SelfEvaluationExport};
use ilacs_render::Document;
use ilacs_store::{Store, StoreError};

pub use ilacs_render::exports::{aem_letter_document, ExportFormat};

pub(crate) fn questions() -> &'static Questions {
    static Q: std::sync::OnceLock<Questions> = std::sync::OnceLock::new();
    Q.get_or_init(Questions::bundled)
}

/// A self-evaluation as a document with its evidence appendix. With `audit_detail`,
/// the appendix lists each cited case audit's date, team, case type and grade (never
/// the child or the worker); without it, only which audits were cited.
pub async fn self_evaluation_document(
    store: &dyn Store,
    la: &LocalAuthority,
    sef: &SelfEvaluation,
    audit_detail: bool,
    today: NaiveDate,
) -> Result<Document, StoreError> {
    let mut audits = Vec::new();
    if audit_detail {
        let mut ids: Vec<i64> = sef
            .citations()
            .iter()
            .filter_map(|(_, e)| match e.citation() {
                Citation::Audits { audits } => {
                    Some(audits.iter().map(|a| a.get()).collect::<Vec<_>>())
                }
                _ => None,
            })
            .flatten()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if let Some(stored) = store.audit(&la.la_code, id).await? {
                let audit = &stored.audit;
                audits.push(AuditLine {
                    id,
                    date: audit.date(),
                    team: audit.case().team.to_string(),
                    case_type: audit.case().case_type.label().to_string(),
                    overall: audit.overall_grade().label().to_string(),
                });
            }
        }
    }
    Ok(build(&SelfEvaluationExport {
        la_name: &la.name,
        sef,
        questions: questions(),
        audits: &audits,
        generated_on: today,
    }))
}

/// An LA's name as a file name part: `barking-and-dagenham`.
fn slug(la: &LocalAuthority) -> String {
    la.name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A file name for a letter: `devon-aem-letter-2026-11-03.pdf`.
pub fn aem_letter_file_name(la: &LocalAuthority, meeting: &Meeting) -> String {
    format!("{}-aem-letter-{}.pdf", slug(la), meeting.date())
}

/// A file name for a download: `barking-and-dagenham-self-evaluation-2026-27-v1.pdf`.
pub fn self_evaluation_file_name(
    la: &LocalAuthority,
    sef: &SelfEvaluation,
    format: ExportFormat,
) -> String {
    let slug = slug(la);
    format!(
        "{slug}-self-evaluation-{}-v{}.{}",
        sef.year().label(),
        sef.version(),
        format.extension()
    )
}
