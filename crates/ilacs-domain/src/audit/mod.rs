//! Case audits: how an LA knows the quality of its practice (DOMAIN.md "Case audits";
//! the self-evaluation's second question).
//!
//! - [`AuditTemplate`]: what an audit asks and how it scores ([`Scale`], [`Score`]), as
//!   data (`data/audit/templates/`), copied and edited by an LA;
//! - [`NewAudit`] → [`Audit`]: a draft checked against its template, every problem
//!   reported at once as [`FieldErrors`];
//! - [`moderation_report`]: agreement between first auditors and moderators;
//! - [`ReauditRule`]: when an audit schedules a re-audit;
//! - [`propose_programme`] and [`overdue_items`]: who audits which case each month;
//! - [`quarterly_summary`]: grades by domain, team and theme, against the last quarter;
//! - [`NewLearningAction`] → [`LearningAction`]: what the LA does about what its audits
//!   found, and the later audits that show whether it worked.
//!
//! The rules' defaults are in `data/audit/rules.toml` ([`AuditRules::bundled`]), the kinds
//! of learning action in `data/audit/learning.toml`.

mod ids;
mod learning;
mod moderation;
mod programme;
mod rate;
mod record;
mod rules;
mod scale;
mod summary;
mod template;
#[cfg(test)]
mod testing;

pub use ids::{AuditorId, ChildId, DomainKey, IdError, Team, TemplateKey, ThemeKey};
pub use learning::{
    flagged_actions, AuditIndex, LearningAction, LearningFlag, LearningKind, LearningKinds,
    LearningStatus, NewLearningAction,
};
pub use moderation::{
    moderation_report, Agreement, AuditorAgreement, Direction, DomainAgreement, ModerationError,
    ModerationPair, ModerationReport, MovedGrade,
};
pub use programme::{
    item_state, overdue_items, programme_status, propose_programme, AuditLogEntry, AuditMonth,
    ItemState, MonthError, OpenCase, OverdueItem, ProgrammeAuditor, ProgrammeError, ProgrammeItem,
    Proposal, Shortfall, ShortfallReason,
};
pub use rate::Rate;
pub use record::{
    parse_date, ActionOwner, Audit, AuditAction, CaseRef, CaseType, DomainScore, FieldError,
    FieldErrors, NewAction, NewAudit, NewDomainScore,
};
pub use rules::{AuditRules, ProgrammeRules, ReauditRule};
pub use scale::{GradeBand, NumericScale, Scale, ScaleError, Score, ScoreError};
pub use summary::{
    quarterly_summary, DomainLine, GradeCounts, Quarter, QuarterComparison, QuarterSummary,
    TeamLine, ThemeLine, Trend,
};
pub use template::{
    AuditDataError, AuditTemplate, AuditTemplates, AuditType, Domain, TemplateError,
};
