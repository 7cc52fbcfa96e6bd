//! The annual engagement meeting between an LA and Ofsted, and its letter to the DCS
//! (DOMAIN.md "Annual engagement meeting"; issue 4).
//!
//! - [`AemRules`]: the standard agenda and the rules' numbers, as data
//!   (`data/aem/meeting.toml`, and the letter's month from `activities.toml`);
//! - [`Meeting`]: planned (never in the past), held ([`Held`]: venue, length, remit,
//!   attendees), its agenda with a note per item, the self-evaluation in force
//!   ([`SefLink`]), the [`Outcomes`], and the [`Letter`], issued once
//!   ([`AemError::LetterAlreadyIssued`]) and due within a month of the meeting;
//! - [`LetterTemplate`]: the letter's first draft filled from the record
//!   (`data/aem/letter.toml`);
//! - [`plan_region`]: who in a region is due or overdue, with proposed dates;
//! - [`consistency_report`]: the regions compared, outliers named;
//! - [`NewPlan`], [`NewRecord`], [`NewAgenda`], [`NewOutcomes`], [`NewLetter`]: the
//!   forms, every problem reported at once.
//!
//! Who may plan, record, issue and read is [`crate::access::authorize`]'s business
//! ([`crate::access::Record::AemMeeting`] and [`crate::access::Record::AemLetter`]).

mod consistency;
mod form;
mod letter;
mod meeting;
mod plan;
mod rules;

pub use consistency::{consistency_report, ConsistencyReport, Measure, Outlier, RegionFigures};
pub use form::{
    NewAgenda, NewAgendaItem, NewLaAttendee, NewLetter, NewOfstedAttendee, NewOutcomes, NewPlan,
    NewRecord, NewStep, MAX_LETTER_CHARS, MAX_MINUTES, MAX_TEXT_CHARS,
};
pub use letter::{LetterDraft, LetterTemplate};
pub use meeting::{
    AemError, AgendaItem, AgreedStep, Focus, Held, Issue, LaAttendee, Letter, Meeting,
    OfstedAttendee, OfstedRole, Outcomes, Remit, SefLink, StepOwner, Venue,
};
pub use plan::{plan_region, PlanInput, PlanLine, PlanStatus};
pub use rules::{AemDataError, AemRules, OutlierRules, StandardItem};
