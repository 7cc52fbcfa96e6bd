//! Storage for ilacs: one [`Store`] trait, implemented over SQLite (the embedded
//! default: one file, created and migrated on open) and PostgreSQL (for deployments),
//! chosen by the database URL. Every write runs in one transaction.

mod error;
mod migrations;
mod records;
mod sql;

pub use error::StoreError;
pub use ilacs_domain::reference::ReferenceData;
pub use records::{
    AccessEntry, AnnexAHistory, AnnexAList, AnnexAUpload, AnnexAUploadReport, Change,
    ConfirmedProgramme, Counts, ImportSummary, LaOverview, NewAccessEntry, NewAnnexAUpload,
    NewApiToken, NewCaseAudit, NewUser, ProgrammeInputs, PublishedImport, PublishedSummary,
    SefSummary, SharedSef, StoredAudit, StoredLearningAction, StoredMeeting, StoredSef, UserRecord,
};
pub use sql::SqlStore;

use async_trait::async_trait;
use chrono::NaiveDate;
use ilacs_domain::access::{Role, SefStage};
use ilacs_domain::aem::Meeting;
use ilacs_domain::audit::{
    Audit, AuditLogEntry, AuditMonth, LearningAction, OpenCase, ProgrammeAuditor, ProgrammeItem,
};
use ilacs_domain::authority::{AuthorityRef, LaCode, LocalAuthority, Region, RegionId};
use ilacs_domain::indicators::{Observation, PublishedStatistics};
use ilacs_domain::inspection::Activity;
use ilacs_domain::self_evaluation::{FinancialYear, SelfEvaluation};
use ilacs_domain::user::Username;
use std::sync::Arc;

/// Everything the service keeps. Implementations must pass the contract suite in
/// `tests/contract/` on every back end.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which back end this is ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    // Reference data -------------------------------------------------------------

    /// Loads regions, LAs and published activities in one transaction. Existing rows
    /// are updated where they differ and left alone where they do not, so importing the
    /// same data twice changes nothing. Rows are never deleted.
    async fn import_reference_data(
        &self,
        data: &ReferenceData,
        source_name: &str,
        actor: &str,
    ) -> Result<ImportSummary, StoreError>;

    async fn regions(&self) -> Result<Vec<Region>, StoreError>;

    /// Every LA with its latest graded inspection, in name order.
    async fn local_authorities(&self) -> Result<Vec<LaOverview>, StoreError>;

    /// One LA by its three-digit code or any area code it has had.
    async fn local_authority(
        &self,
        code: &AuthorityRef,
    ) -> Result<Option<LocalAuthority>, StoreError>;

    /// An LA's activities, newest first.
    async fn activities(&self, la: &LaCode) -> Result<Vec<Activity>, StoreError>;

    /// Every LA's activities, for national and regional views.
    async fn all_activities(&self) -> Result<Vec<Activity>, StoreError>;

    // Users and sessions ---------------------------------------------------------

    /// Creates a user; a taken username is [`StoreError::Duplicate`].
    async fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError>;
    async fn user_by_username(&self, username: &Username)
        -> Result<Option<UserRecord>, StoreError>;
    /// Users, optionally only those of one LA, in username order.
    async fn users(&self, la: Option<&LaCode>) -> Result<Vec<UserRecord>, StoreError>;
    async fn set_role(
        &self,
        username: &Username,
        role: Role,
        la: Option<&LaCode>,
        region: Option<&RegionId>,
        actor: &str,
    ) -> Result<UserRecord, StoreError>;
    async fn set_password_hash(
        &self,
        username: &Username,
        hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// The user of a live session, if the session exists, has not expired and the user
    /// is not disabled.
    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Records an API token (by its hash) for a user; returns its id.
    async fn create_api_token(&self, token: &NewApiToken) -> Result<i64, StoreError>;
    /// The user of a live API token: not expired, not revoked, user not disabled.
    async fn api_token_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError>;

    // Access log and settings ----------------------------------------------------

    async fn log_access(&self, entry: &NewAccessEntry) -> Result<(), StoreError>;
    /// The newest entries first, optionally for one LA.
    async fn access_log(
        &self,
        la: Option<&LaCode>,
        limit: i64,
    ) -> Result<Vec<AccessEntry>, StoreError>;

    /// A setting's value, creating it with `default` if absent (atomically: two
    /// processes starting together agree on one value).
    async fn setting_or_insert(&self, key: &str, default: &str) -> Result<String, StoreError>;

    // Case audits ------------------------------------------------------------------

    /// Records an audit, at version 1. An audit of an LA that is not known, on a
    /// template the store does not have, or that does not fit its template is
    /// [`StoreError::Invalid`]. A moderation (`moderates` set) must name an audit of the
    /// same LA that is not itself a moderation, of the same child on the same template by
    /// another auditor ([`StoreError::Invalid`]), and an audit has at most one moderation
    /// ([`StoreError::Duplicate`]).
    async fn create_audit(&self, audit: &NewCaseAudit) -> Result<StoredAudit, StoreError>;

    /// One audit of an LA (None if it does not exist or belongs to another LA).
    async fn audit(&self, la: &LaCode, id: i64) -> Result<Option<StoredAudit>, StoreError>;

    /// An LA's audits with audit_date in [from, to] (either bound optional), newest date
    /// first, then id descending. Moderations included (their `moderates` is Some).
    async fn audits(
        &self,
        la: &LaCode,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<StoredAudit>, StoreError>;

    /// Replaces an audit's content if its version is still `expected_version`;
    /// otherwise [`StoreError::Conflict`] saying who changed it and when. Bumps the
    /// version and records `actor` and the time. The moderation rules of
    /// [`Store::create_audit`] must still hold between the audit and its moderation (or
    /// the audit it moderates). An audit not found for the LA is [`StoreError::NotFound`].
    async fn update_audit(
        &self,
        la: &LaCode,
        id: i64,
        expected_version: i64,
        audit: &Audit,
        actor: &str,
    ) -> Result<StoredAudit, StoreError>;

    // Learning actions ---------------------------------------------------------------

    /// Records an LA's learning action, at version 1. An LA that is not known, or an
    /// action citing an audit that is not the LA's, is [`StoreError::Invalid`].
    async fn create_learning_action(
        &self,
        la: &LaCode,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError>;

    /// One learning action of an LA (None if it does not exist or is another LA's).
    async fn learning_action(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<StoredLearningAction>, StoreError>;

    /// An LA's learning actions, soonest due first, then by id.
    async fn learning_actions(&self, la: &LaCode) -> Result<Vec<StoredLearningAction>, StoreError>;

    /// Replaces a learning action if its version is still `expected_version`; otherwise
    /// [`StoreError::Conflict`] saying who changed it and when. Bumps the version and
    /// records `actor` and the time. The audits it cites must be the LA's
    /// ([`StoreError::Invalid`]); an action not found for the LA is
    /// [`StoreError::NotFound`].
    async fn update_learning_action(
        &self,
        la: &LaCode,
        id: i64,
        expected_version: i64,
        action: &LearningAction,
        actor: &str,
    ) -> Result<StoredLearningAction, StoreError>;

    /// Every audit of an LA (moderations too) as the programme sees it: child, auditor
    /// and date, oldest first. Reads three columns, not the audits' bodies.
    async fn audit_log(&self, la: &LaCode) -> Result<Vec<AuditLogEntry>, StoreError>;

    // The audit programme ------------------------------------------------------------

    /// Replaces the LA's open cases with `cases`, in one transaction, and records who
    /// did it. An empty list, a child listed twice or an LA not known is
    /// [`StoreError::Invalid`], and the old list stays as it was.
    async fn replace_open_cases(
        &self,
        la: &LaCode,
        cases: &[OpenCase],
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Replaces the LA's auditors, as [`Store::replace_open_cases`] does its cases (an
    /// empty list is allowed: an LA may stop planning).
    async fn replace_programme_auditors(
        &self,
        la: &LaCode,
        auditors: &[ProgrammeAuditor],
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The LA's open cases and auditors; empty lists if it has loaded none.
    async fn programme_inputs(&self, la: &LaCode) -> Result<ProgrammeInputs, StoreError>;

    /// Stores a month's programme, in one transaction. A month the LA has confirmed
    /// already is [`StoreError::Duplicate`] (a confirmed programme is a record of what
    /// was asked: it is not planned again); no items, an item of another month or a
    /// child given twice is [`StoreError::Invalid`].
    async fn confirm_programme(
        &self,
        la: &LaCode,
        month: AuditMonth,
        items: &[ProgrammeItem],
        actor: &str,
    ) -> Result<ConfirmedProgramme, StoreError>;

    /// Every month the LA has confirmed, newest first.
    async fn programmes(&self, la: &LaCode) -> Result<Vec<ConfirmedProgramme>, StoreError>;

    // Self-evaluations ---------------------------------------------------------------

    /// Saves a new version, at draft (a fresh one from `SelfEvaluation::new`,
    /// `new_version_from` or `next_year_from`), with row_version 1. A version number the
    /// LA's year already has is [`StoreError::Duplicate`] (of two people starting a new
    /// version at once, one wins); a version that is not a draft, or of an LA that is not
    /// known, is [`StoreError::Invalid`].
    async fn create_self_evaluation(
        &self,
        sef: &SelfEvaluation,
        actor: &str,
    ) -> Result<StoredSef, StoreError>;

    /// One version of an LA's self-evaluation for a year; `version: None` means the
    /// newest version of that year.
    async fn self_evaluation(
        &self,
        la: &LaCode,
        year: FinancialYear,
        version: Option<u32>,
    ) -> Result<Option<StoredSef>, StoreError>;

    /// Every version of every year for the LA, newest year then newest version first.
    async fn self_evaluations(&self, la: &LaCode) -> Result<Vec<SefSummary>, StoreError>;

    /// Replaces a stored version (matched by LA, year and version) if its row_version is
    /// still `expected_row_version`; otherwise [`StoreError::Conflict`] saying who changed
    /// it and when. A version that is not a draft keeps its content: only its stage moves
    /// forward, with the steps the domain's lifecycle records added to its history
    /// ([`StoreError::Invalid`] otherwise). Bumps row_version and records `actor` and the
    /// time. A version not stored is [`StoreError::NotFound`].
    async fn save_self_evaluation(
        &self,
        sef: &SelfEvaluation,
        expected_row_version: i64,
        actor: &str,
    ) -> Result<StoredSef, StoreError>;

    /// Self-evaluations at or beyond `at_least` in the LAs of a region (for Ofsted and
    /// alliance readers): the newest such version per LA and year, by LA name, then
    /// newest year first.
    async fn shared_self_evaluations(
        &self,
        region: &RegionId,
        at_least: SefStage,
    ) -> Result<Vec<SharedSef>, StoreError>;

    // Published statistics -----------------------------------------------------------

    /// Replaces every published value with `statistics`, in one transaction: values no
    /// longer there are removed, changed ones updated and the rest left alone, so the
    /// same files imported twice change nothing. The import is recorded (by `actor`,
    /// with its files). An empty set, or values for an LA the store does not know, is
    /// [`StoreError::Invalid`] and leaves the old values as they were.
    async fn replace_published_statistics(
        &self,
        statistics: &PublishedStatistics,
        actor: &str,
    ) -> Result<PublishedSummary, StoreError>;

    /// What comparing an LA needs, in two queries: its own values, England's, its ONS
    /// region's and its statistical neighbours' (for
    /// [`ilacs_domain::indicators::compare`]). An LA not known is [`StoreError::NotFound`].
    async fn published_statistics_for(&self, la: &LaCode) -> Result<Vec<Observation>, StoreError>;

    /// The latest import of published statistics, if there has been one.
    async fn last_published_import(&self) -> Result<Option<PublishedImport>, StoreError>;

    // Annual engagement meetings -----------------------------------------------------

    /// Records a meeting (planned, or already held), at row_version 1. A meeting for an
    /// LA not known is [`StoreError::Invalid`].
    async fn create_aem_meeting(
        &self,
        meeting: &Meeting,
        actor: &str,
    ) -> Result<StoredMeeting, StoreError>;

    /// One meeting by its id.
    async fn aem_meeting(&self, id: i64) -> Result<Option<StoredMeeting>, StoreError>;

    /// An LA's meetings, newest first.
    async fn aem_meetings_for_la(&self, la: &LaCode) -> Result<Vec<StoredMeeting>, StoreError>;

    /// The meetings of a region's LAs (`None`: every region), by LA name, then newest
    /// first.
    async fn aem_meetings_for_region(
        &self,
        region: Option<&RegionId>,
    ) -> Result<Vec<StoredMeeting>, StoreError>;

    /// Replaces a meeting if its row_version is still `expected_row_version`; otherwise
    /// [`StoreError::Conflict`] saying who changed it and when. A meeting moved to
    /// another LA, or a change to an issued letter, is [`StoreError::Invalid`]. A
    /// meeting not stored is [`StoreError::NotFound`].
    async fn save_aem_meeting(
        &self,
        id: i64,
        meeting: &Meeting,
        expected_row_version: i64,
        actor: &str,
    ) -> Result<StoredMeeting, StoreError>;

    /// Issues a meeting's drafted letter on `on` by `by`, in one transaction that reads
    /// the letter as stored: a letter already issued, or not drafted, is
    /// [`StoreError::Invalid`] (so two people issuing at once issue it once); a stale
    /// `expected_row_version` (the draft changed since it was read) is
    /// [`StoreError::Conflict`].
    async fn issue_aem_letter(
        &self,
        id: i64,
        expected_row_version: i64,
        on: NaiveDate,
        by: &Username,
    ) -> Result<StoredMeeting, StoreError>;

    // Annex A ------------------------------------------------------------------------

    /// Records an upload by `actor` and replaces the LA's lists with `lists` (its
    /// history with the upload merged in), in one transaction: if any of it fails,
    /// nothing is saved and the previous lists stay as they were. An LA not known, no
    /// lists, a list number not 1 to 11 or a list given twice is [`StoreError::Invalid`];
    /// an upload merged onto lists another upload has replaced since
    /// (`merged_onto` not the LA's latest) is [`StoreError::Conflict`].
    async fn save_annex_a_upload(
        &self,
        upload: &NewAnnexAUpload,
        lists: &[AnnexAList],
        actor: &str,
    ) -> Result<AnnexAUpload, StoreError>;

    /// The LA's lists as merged so far, in list order; None before its first upload.
    async fn annex_a_history(&self, la: &LaCode) -> Result<Option<AnnexAHistory>, StoreError>;

    /// The LA's uploads, newest first, without their reports.
    async fn annex_a_uploads(&self, la: &LaCode) -> Result<Vec<AnnexAUpload>, StoreError>;

    /// One upload of the LA with its report (None if it does not exist or is another
    /// LA's).
    async fn annex_a_upload(
        &self,
        la: &LaCode,
        id: i64,
    ) -> Result<Option<AnnexAUploadReport>, StoreError>;
}

/// Opens the store a URL names: `sqlite://PATH` (created if missing) or
/// `postgres://...`, and brings its schema up to date.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(Arc::new(SqlStore::open(url).await?))
}
