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

pub(crate) fn aem_rules() -> &'static ilacs_domain::aem::AemRules {
    static R: std::sync::OnceLock<ilacs_domain::aem::AemRules> = std::sync::OnceLock::new();
    R.get_or_init(ilacs_domain::aem::AemRules::bundled)
}

pub(crate) fn calendar() -> &'static ilacs_domain::calendar::WorkingDayCalendar {
    static C: std::sync::OnceLock<ilacs_domain::calendar::WorkingDayCalendar> =
        std::sync::OnceLock::new();
    C.get_or_init(ilacs_domain::calendar::WorkingDayCalendar::bundled)
}

/// One LA's line in its region's plan of annual engagement meetings.
pub struct RegionPlanRow {
    pub la: LocalAuthority,
    pub input: ilacs_domain::aem::PlanInput,
    pub line: ilacs_domain::aem::PlanLine,
    /// Letters of its meetings not issued within the month they are due in.
    pub late_letters: usize,
}

/// Every current LA of the region with its last and planned meetings, whether one is
/// due or overdue, and a proposed date for those without one: what the region's page
/// shows and `ilacs export aem-plan` writes. `None` for a region with no current LA.
pub async fn region_plan(
    store: &dyn Store,
    region: &ilacs_domain::authority::RegionId,
    today: NaiveDate,
) -> Result<Option<Vec<RegionPlanRow>>, StoreError> {
    use ilacs_domain::aem::{plan_region, PlanInput};
    let las: Vec<LocalAuthority> = store
        .local_authorities()
        .await?
        .into_iter()
        .map(|o| o.authority)
        .filter(|a| a.current && &a.region == region)
        .collect();
    if las.is_empty() {
        return Ok(None);
    }
    let meetings = store.aem_meetings_for_region(Some(region)).await?;
    let inputs: Vec<PlanInput> = las
        .iter()
        .map(|la| {
            let own = meetings.iter().filter(|m| m.meeting.la() == &la.la_code);
            PlanInput {
                la: la.la_code.clone(),
                last_held: own
                    .clone()
                    .filter_map(|m| m.meeting.held().map(|h| h.date))
                    .max(),
                planned: own
                    .filter(|m| m.meeting.held().is_none() && m.meeting.planned() >= today)
                    .map(|m| m.meeting.planned())
                    .min(),
            }
        })
        .collect();
    let lines = plan_region(&inputs, today, aem_rules(), calendar());
    Ok(Some(
        las.into_iter()
            .zip(inputs)
            .zip(lines)
            .map(|((la, input), line)| {
                let late_letters = meetings
                    .iter()
                    .filter(|m| m.meeting.la() == &la.la_code)
                    .filter(|m| {
                        !m.meeting.is_issued() && m.meeting.letter_overdue(aem_rules(), today)
                    })
                    .count();
                RegionPlanRow {
                    la,
                    input,
                    line,
                    late_letters,
                }
            })
            .collect(),
    ))
}

/// What a plan line's status says.
pub fn plan_status_label(status: ilacs_domain::aem::PlanStatus) -> &'static str {
    use ilacs_domain::aem::PlanStatus;
    match status {
        PlanStatus::Planned => "Planned",
        PlanStatus::Due => "Due",
        PlanStatus::Overdue => "Overdue",
    }
}

/// The region's plan as a spreadsheet table.
pub fn region_plan_table(
    region_name: &str,
    rows: &[RegionPlanRow],
    today: NaiveDate,
) -> ilacs_render::Table {
    use ilacs_render::Cell;
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    ilacs_render::Table {
        sheet_name: "Plan".into(),
        title: format!(
            "Annual engagement meetings in {region_name}: the plan at {}",
            today.format("%-d %B %Y")
        ),
        headers: [
            "LA code",
            "Local authority",
            "Last meeting held",
            "Next meeting planned",
            "Status",
            "Next due",
            "Proposed date",
            "Letters overdue",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::from(r.la.la_code.as_str()),
                    Cell::from(r.la.name.as_str()),
                    date(r.input.last_held),
                    date(r.input.planned),
                    Cell::from(plan_status_label(r.line.status)),
                    Cell::Date(r.line.due),
                    date(r.line.proposed),
                    Cell::Number(r.late_letters as f64),
                ]
            })
            .collect(),
    }
}
