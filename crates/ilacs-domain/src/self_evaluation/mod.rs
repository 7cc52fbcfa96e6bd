//! The self-evaluation: an LA's yearly answer to Ofsted's three questions, with the
//! evidence behind every claim (DOMAIN.md "Self-evaluation"; issue 3).
//!
//! - [`Questions`] and [`Structure`]: the three questions and the default sections,
//!   as data (`data/self_evaluation/questions.toml`, `template.toml`); sections follow
//!   the judgement areas of the framework in force, plus context, and the LA may add,
//!   rename and reorder them;
//! - [`SelfEvaluation`]: one version for one LA and [`FinancialYear`], with sections
//!   answering each [`Question`] in [`Paragraph`]s that cite [`Evidence`], strengths
//!   and areas for development ([`Finding`]), and the improvement plan
//!   ([`PlanAction`]). Only a draft changes ([`EditError::NotDraft`]); a change to a
//!   signed-off version is a [`new_version_from`] it, and [`next_year_from`] starts
//!   next year's from it;
//! - the lifecycle ([`Transition`]): draft → signed off → shared with Ofsted → shared
//!   with the alliance → published, one step at a time, each recorded
//!   ([`StageChange`]);
//! - [`review`]: "is this evaluative?", rules in `data/self_evaluation/review.toml`
//!   ([`ReviewRules`]); it advises and never blocks;
//! - [`overdue_actions`] and [`actions_without_evidence`]: the plan's loose ends;
//! - [`compare_years`]: strengths, areas and plan progress against last year;
//! - [`NewParagraph`], [`NewPlanAction`] and [`parse_answer`]: text forms, every
//!   problem reported at once ([`FormErrors`]).
//!
//! Who may read or change a self-evaluation at each stage is
//! [`crate::access::authorize`]'s business; whether a reader may open each citation
//! is checked by the store and web layers against [`SelfEvaluation::citations`].

mod compare;
mod document;
mod evidence;
mod form;
mod guide;
mod ids;
mod lifecycle;
mod plan;
mod review;
mod section;
#[cfg(test)]
mod testing;

pub use compare::{
    compare_years, CompareError, FindingChanges, Kept, MatchedBy, PlanProgress, YearOnYear,
};
pub use document::{
    new_version_from, next_year_from, ActionField, EditError, Finding, Location, SelfEvaluation,
    StartError, MAX_TITLE_CHARS,
};
pub use evidence::{
    parse_quarter, AuditSet, Citation, CitationKind, ContentError, Evidence, EvidenceKind,
    Paragraph, MAX_LABEL_CHARS,
};
pub(crate) use form::Problems;
pub use form::{parse_answer, FormErrors, NewCitation, NewParagraph, NewPlanAction};
pub use guide::{Question, QuestionText, Questions, SefDataError, Structure, CONTEXT_KEY};
pub use ids::{
    AuditRef, DocumentId, FinancialYear, IndicatorId, ItemId, ItemKind, Period, SectionKey,
    SefIdError,
};
pub use lifecycle::{
    parse_stage, stage_key, stage_label, LifecycleError, StageChange, Transition, STAGES,
};
pub use plan::{
    actions_without_evidence, overdue_actions, ActionDetails, ActionStatus, EvidenceGap, Happened,
    PlanAction, PlanError, MAX_OWNER_CHARS,
};
pub use review::{review, word_count, Advice, ReviewRules, RuleId, RuleSpec, Severity};
pub use section::{Answers, Section, SectionKind};
