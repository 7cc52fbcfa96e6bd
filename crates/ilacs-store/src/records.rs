//! The records the store reads and writes, beyond the domain's own types.

use chrono::NaiveDate;
use ilacs_domain::access::{Role, SefStage};
use ilacs_domain::aem::Meeting;
use ilacs_domain::audit::{
    Audit, AuditMonth, LearningAction, OpenCase, ProgrammeAuditor, ProgrammeItem,
};
use ilacs_domain::authority::{LaCode, LocalAuthority, RegionId};
use ilacs_domain::indicators::SourceFile;
use ilacs_domain::inspection::Activity;
use ilacs_domain::self_evaluation::{FinancialYear, SelfEvaluation};
use ilacs_domain::user::Username;
use serde_json::json;

/// Added, updated and unchanged rows of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Counts {
    pub fn changed(&self) -> u64 {
        self.added + self.updated
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub regions: Counts,
    pub local_authorities: Counts,
    pub activities: Counts,
}

impl ImportSummary {
    pub fn changed(&self) -> u64 {
        self.regions.changed() + self.local_authorities.changed() + self.activities.changed()
    }

    pub(crate) fn to_json(self) -> String {
        let c =
            |c: Counts| json!({"added": c.added, "updated": c.updated, "unchanged": c.unchanged});
        json!({
            "regions": c(self.regions),
            "local_authorities": c(self.local_authorities),
            "activities": c(self.activities),
        })
        .to_string()
    }
}

/// What replacing the published statistics changed: values added, changed, removed
/// (no longer in the files) and left as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishedSummary {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
}

impl PublishedSummary {
    pub fn changed(&self) -> u64 {
        self.added + self.updated + self.removed
    }
}

/// An import of published statistics: when, by whom, what it changed, and the files
/// read (with their data rows and the values taken from each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedImport {
    pub imported_at: i64,
    pub imported_by: String,
    pub summary: PublishedSummary,
    pub files: Vec<SourceFile>,
}

/// An LA with its latest graded inspection, for lists.
#[derive(Debug, Clone, PartialEq)]
pub struct LaOverview {
    pub authority: LocalAuthority,
    pub latest_inspection: Option<Activity>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub la: Option<LaCode>,
    pub region: Option<RegionId>,
    pub actor: String,
}

/// A stored user. `region` is the user's own region, or for LA staff their LA's region.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub la: Option<LaCode>,
    pub region: Option<RegionId>,
    /// The name of the user's LA or region, for display.
    pub scope_name: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("la", &self.la)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// A read of a restricted record, to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccessEntry {
    pub at: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub record_kind: String,
    pub record_key: String,
    pub la: Option<LaCode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub id: i64,
    pub entry: NewAccessEntry,
}

/// A case audit to record for an LA; `moderates` names the audit it grades again, if
/// it is a moderation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCaseAudit {
    pub la: LaCode,
    pub audit: Audit,
    pub moderates: Option<i64>,
    pub actor: String,
}

/// A recorded case audit. `version` starts at 1 and goes up with each save; pass it back
/// to [`crate::Store::update_audit`] to save over this copy.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAudit {
    pub id: i64,
    pub la: LaCode,
    pub audit: Audit,
    pub moderates: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

/// A recorded learning action. `version` starts at 1 and goes up with each save; pass it
/// back to [`crate::Store::update_learning_action`] to save over this copy.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLearningAction {
    pub id: i64,
    pub la: LaCode,
    pub action: LearningAction,
    pub version: i64,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

/// An API token to record. The token itself is never stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    pub token_hash: String,
    pub user_id: i64,
    pub name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub actor: String,
}

/// A stored version of a self-evaluation. `row_version` starts at 1 and goes up with
/// each save; pass it back to [`crate::Store::save_self_evaluation`] to save over this
/// copy.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSef {
    pub id: i64,
    pub sef: SelfEvaluation,
    pub row_version: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

/// One version of a self-evaluation, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SefSummary {
    pub id: i64,
    pub year: FinancialYear,
    pub version: u32,
    pub stage: SefStage,
    pub updated_at: i64,
    pub updated_by: String,
}

/// A version shared beyond its LA, with the LA it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSef {
    pub la_code: LaCode,
    pub la_name: String,
    pub summary: SefSummary,
}

/// Who last changed something, and when (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub by: String,
    pub at: i64,
}

/// What an LA's audit programme is planned from: its open cases (by team, then child)
/// and its auditors (by name), each with who last replaced the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeInputs {
    pub open_cases: Vec<OpenCase>,
    pub open_cases_updated: Option<Change>,
    pub auditors: Vec<ProgrammeAuditor>,
    pub auditors_updated: Option<Change>,
}

/// A month's programme as confirmed: what each auditor was asked to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedProgramme {
    pub month: AuditMonth,
    /// By auditor, then child.
    pub items: Vec<ProgrammeItem>,
    pub confirmed: Change,
}

/// An annual engagement meeting as stored, with its LA's name and region for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: i64,
    pub meeting: Meeting,
    pub la_name: String,
    pub region: RegionId,
    pub row_version: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

/// An Annex A upload to record: the file, what reading it found, and what merging it
/// into the LA's history did. The store keeps the report and summary as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnnexAUpload {
    pub la: LaCode,
    pub filename: String,
    /// The date the upload was merged as at (retention counts back from it).
    pub as_at: NaiveDate,
    /// The lists the file had, by number.
    pub lists_found: Vec<u8>,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub issue_count: u64,
    /// The issues report, in the form the caller keeps it (CSV, JSON...).
    pub report: Vec<u8>,
    /// What merging did, as JSON.
    pub merge_summary: String,
    /// The upload whose lists this one was merged onto: [`AnnexAHistory::upload_id`] as
    /// read before merging, None if the LA had no history. A save after which another
    /// upload has been saved is refused, so that no upload's rows are lost.
    pub merged_onto: Option<i64>,
}

/// A recorded Annex A upload, without its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexAUpload {
    pub id: i64,
    pub la: LaCode,
    pub filename: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
    pub as_at: NaiveDate,
    pub lists_found: Vec<u8>,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub issue_count: u64,
    pub merge_summary: String,
}

/// A recorded upload with its issues report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexAUploadReport {
    pub upload: AnnexAUpload,
    pub report: Vec<u8>,
}

/// One of an LA's Annex A lists: its number (1 to 11), its rows and their bytes
/// (`ilacs_annexa::write_list_csv`; the store does not read them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexAList {
    pub list: u8,
    pub rows: u64,
    pub data: Vec<u8>,
}

/// An LA's Annex A lists as merged from every upload so far, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexAHistory {
    /// The upload that made them: a merge onto these lists names it as its
    /// [`NewAnnexAUpload::merged_onto`].
    pub upload_id: i64,
    pub updated_at: i64,
    pub lists: Vec<AnnexAList>,
}
