//! The improvement plan: actions with an owner and dates, the area for development each
//! answers, and the evidence that it has happened (seed 002: Ofsted wants to be
//! convinced that something has already happened, not to hear promises).

use super::evidence::Evidence;
use super::ids::{tidy, uk_date, ItemId, ItemKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest owner accepted, in characters.
pub const MAX_OWNER_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    NotStarted,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::NotStarted,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not_started",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Not started",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Dropped => "Dropped",
        }
    }

    /// A key or a label, ignoring case, spaces, hyphens and underscores.
    pub fn parse(input: &str) -> Option<ActionStatus> {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = squash(input);
        ActionStatus::ALL
            .into_iter()
            .find(|s| squash(s.key()) == wanted)
    }

    /// Not started or in progress: the action is still owed.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::NotStarted | ActionStatus::InProgress)
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("Describe the action")]
    BlankDescription,
    #[error("The owner must be {MAX_OWNER_CHARS} characters or fewer")]
    OwnerTooLong,
    #[error("The due date ({}) must be the same as or after the start date ({})", uk_date(*.due), uk_date(*.start))]
    DueBeforeStart { start: NaiveDate, due: NaiveDate },
    #[error("Describe what changed")]
    BlankWhatChanged,
    #[error("Only a done action has evidence that it happened: it is {status}")]
    HappenedButNotDone { status: ActionStatus },
    #[error("'{0}' is not an area for development")]
    NotAnArea(ItemId),
}

/// Evidence that an action has happened: when, what changed for children or practice,
/// and what shows it (re-audits, indicators, feedback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Happened {
    date: NaiveDate,
    what_changed: String,
    evidence: Vec<Evidence>,
}

impl Happened {
    pub fn new(
        date: NaiveDate,
        what_changed: &str,
        evidence: Vec<Evidence>,
    ) -> Result<Happened, PlanError> {
        let what_changed = what_changed.trim();
        if what_changed.is_empty() {
            return Err(PlanError::BlankWhatChanged);
        }
        Ok(Happened {
            date,
            what_changed: what_changed.to_string(),
            evidence,
        })
    }
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    pub fn what_changed(&self) -> &str {
        &self.what_changed
    }
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }
}

/// An action as a user sets it, checked by [`PlanAction::new`]. Owner and due date are
/// optional so a plan can be drafted before they are agreed; the review asks for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDetails {
    pub description: String,
    /// Free text: a post ("Head of service, children in care") or a name.
    pub owner: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    /// The area for development the action answers, if any: an action may also keep
    /// good practice going.
    pub answers: Option<ItemId>,
    /// Only for a done action.
    pub happened: Option<Happened>,
}

impl ActionDetails {
    /// A not-started action with only a description.
    pub fn new(description: &str) -> ActionDetails {
        ActionDetails {
            description: description.to_string(),
            owner: None,
            start: None,
            due: None,
            status: ActionStatus::NotStarted,
            answers: None,
            happened: None,
        }
    }
}

/// One action of the improvement plan. Built by [`PlanAction::new`] (or read back from
/// storage): its description is not blank, it is not due before it starts, only a
/// done action has evidence that it happened, and what it answers is an area for
/// development.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    id: ItemId,
    description: String,
    owner: Option<String>,
    start: Option<NaiveDate>,
    due: Option<NaiveDate>,
    status: ActionStatus,
    answers: Option<ItemId>,
    happened: Option<Happened>,
}

/// Why a done action does not show that it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceGap {
    /// No date done or account of what changed.
    NotRecorded,
    /// What changed is recorded, but nothing shows it.
    NothingCited,
}

impl PlanAction {
    pub fn new(id: ItemId, details: ActionDetails) -> Result<PlanAction, PlanError> {
        let description = details.description.trim();
        if description.is_empty() {
            return Err(PlanError::BlankDescription);
        }
        let owner = details.owner.as_deref().map(tidy).filter(|o| !o.is_empty());
        if owner
            .as_ref()
            .is_some_and(|o| o.chars().count() > MAX_OWNER_CHARS)
        {
            return Err(PlanError::OwnerTooLong);
        }
        if let (Some(start), Some(due)) = (details.start, details.due) {
            if due < start {
                return Err(PlanError::DueBeforeStart { start, due });
            }
        }
        if details.happened.is_some() && details.status != ActionStatus::Done {
            return Err(PlanError::HappenedButNotDone {
                status: details.status,
            });
        }
        if let Some(area) = details.answers {
            if area.kind() != ItemKind::AreaForDevelopment {
                return Err(PlanError::NotAnArea(area));
            }
        }
        Ok(PlanAction {
            id,
            description: description.to_string(),
            owner,
            start: details.start,
            due: details.due,
            status: details.status,
            answers: details.answers,
            happened: details.happened,
        })
    }

    pub fn id(&self) -> ItemId {
        self.id
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }
    pub fn start(&self) -> Option<NaiveDate> {
        self.start
    }
    pub fn due(&self) -> Option<NaiveDate> {
        self.due
    }
    pub fn status(&self) -> ActionStatus {
        self.status
    }
    pub fn answers(&self) -> Option<ItemId> {
        self.answers
    }
    pub fn happened(&self) -> Option<&Happened> {
        self.happened.as_ref()
    }

    /// The details it was built from, to edit and build again.
    pub fn details(&self) -> ActionDetails {
        ActionDetails {
            description: self.description.clone(),
            owner: self.owner.clone(),
            start: self.start,
            due: self.due,
            status: self.status,
            answers: self.answers,
            happened: self.happened.clone(),
        }
    }

    /// Still open after its due day. Due today is not yet overdue; an action without a
    /// due date never is (the review asks for one instead).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|due| due < today)
    }

    /// Why a done action lacks evidence that it happened; `None` when it has it or is
    /// not done.
    pub fn evidence_gap(&self) -> Option<EvidenceGap> {
        if self.status != ActionStatus::Done {
            return None;
        }
        match &self.happened {
            None => Some(EvidenceGap::NotRecorded),
            Some(h) if h.evidence.is_empty() => Some(EvidenceGap::NothingCited),
            Some(_) => None,
        }
    }
}

/// The open actions whose due date has passed, in plan order.
pub fn overdue_actions(plan: &[PlanAction], today: NaiveDate) -> Vec<&PlanAction> {
    plan.iter().filter(|a| a.is_overdue(today)).collect()
}

/// The done actions without evidence that they happened, in plan order.
pub fn actions_without_evidence(plan: &[PlanAction]) -> Vec<(&PlanAction, EvidenceGap)> {
    plan.iter()
        .filter_map(|a| a.evidence_gap().map(|gap| (a, gap)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_evaluation::evidence::Citation;
    use crate::self_evaluation::ids::{DocumentId, FinancialYear};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn id(kind: ItemKind, n: u32) -> ItemId {
        ItemId::new(kind, FinancialYear::new(2026).unwrap(), n).unwrap()
    }

    fn action(n: u32, status: ActionStatus, due: Option<&str>) -> PlanAction {
        PlanAction::new(
            id(ItemKind::Action, n),
            ActionDetails {
                status,
                due: due.map(d),
                ..ActionDetails::new(&format!("Action {n}"))
            },
        )
        .unwrap()
    }

    fn document() -> Evidence {
        Evidence::unlabelled(Citation::Document {
            document: DocumentId::new(1).unwrap(),
        })
    }

    #[test]
    fn due_is_not_before_start() {
        let details = |start: &str, due: &str| ActionDetails {
            start: Some(d(start)),
            due: Some(d(due)),
            ..ActionDetails::new("Train managers")
        };
        let err = PlanAction::new(id(ItemKind::Action, 1), details("2026-05-01", "2026-04-30"))
            .unwrap_err();
        assert_eq!(
            err,
            PlanError::DueBeforeStart {
                start: d("2026-05-01"),
                due: d("2026-04-30")
            }
        );
        assert_eq!(
            err.to_string(),
            "The due date (30 April 2026) must be the same as or after the start date (1 May 2026)"
        );
        assert!(
            PlanAction::new(id(ItemKind::Action, 1), details("2026-05-01", "2026-05-01")).is_ok()
        );
        // One date alone is never out of order.
        let due_only = ActionDetails {
            due: Some(d("2020-01-01")),
            ..ActionDetails::new("x")
        };
        assert!(PlanAction::new(id(ItemKind::Action, 1), due_only).is_ok());
    }

    #[test]
    fn actions_are_checked_on_construction() {
        let new = |details: ActionDetails| PlanAction::new(id(ItemKind::Action, 1), details);
        assert_eq!(
            new(ActionDetails::new("  ")),
            Err(PlanError::BlankDescription)
        );
        let happened =
            Happened::new(d("2026-06-01"), "Plans are reviewed monthly", vec![]).unwrap();
        assert_eq!(
            new(ActionDetails {
                happened: Some(happened.clone()),
                status: ActionStatus::InProgress,
                ..ActionDetails::new("x")
            }),
            Err(PlanError::HappenedButNotDone {
                status: ActionStatus::InProgress
            })
        );
        assert!(new(ActionDetails {
            happened: Some(happened),
            status: ActionStatus::Done,
            ..ActionDetails::new("x")
        })
        .is_ok());
        let strength = id(ItemKind::Strength, 1);
        assert_eq!(
            new(ActionDetails {
                answers: Some(strength),
                ..ActionDetails::new("x")
            }),
            Err(PlanError::NotAnArea(strength))
        );
        assert_eq!(
            new(ActionDetails {
                owner: Some("o".repeat(101)),
                ..ActionDetails::new("x")
            }),
            Err(PlanError::OwnerTooLong)
        );
        let tidy = new(ActionDetails {
            owner: Some("  Head of   service ".into()),
            ..ActionDetails::new(" Recruit ")
        })
        .unwrap();
        assert_eq!(tidy.owner(), Some("Head of service"));
        assert_eq!(tidy.description(), "Recruit");
        let blank_owner = new(ActionDetails {
            owner: Some(" ".into()),
            ..ActionDetails::new("x")
        })
        .unwrap();
        assert_eq!(blank_owner.owner(), None);
        assert_eq!(
            Happened::new(d("2026-01-01"), " ", vec![]),
            Err(PlanError::BlankWhatChanged)
        );
    }

    #[test]
    fn overdue_means_open_and_past_its_due_day() {
        let today = d("2026-09-01");
        let plan = vec![
            action(1, ActionStatus::NotStarted, Some("2026-08-31")),
            action(2, ActionStatus::InProgress, Some("2026-09-01")),
            action(3, ActionStatus::InProgress, Some("2026-01-01")),
            action(4, ActionStatus::Done, Some("2026-01-01")),
            action(5, ActionStatus::Dropped, Some("2026-01-01")),
            action(6, ActionStatus::NotStarted, None),
        ];
        let overdue: Vec<_> = overdue_actions(&plan, today)
            .iter()
            .map(|a| a.id().number())
            .collect();
        assert_eq!(overdue, [1, 3]);
        assert!(overdue_actions(&plan, d("2025-01-01")).is_empty());
    }

    #[test]
    fn done_actions_need_evidence_that_they_happened() {
        let with = |happened: Option<Happened>| {
            PlanAction::new(
                id(ItemKind::Action, 1),
                ActionDetails {
                    status: ActionStatus::Done,
                    happened,
                    ..ActionDetails::new("x")
                },
            )
            .unwrap()
        };
        let recorded = Happened::new(d("2026-06-01"), "Visits are timely", vec![]).unwrap();
        let cited = Happened::new(d("2026-06-01"), "Visits are timely", vec![document()]).unwrap();
        let plan = vec![
            with(None),
            with(Some(recorded)),
            with(Some(cited)),
            action(2, ActionStatus::InProgress, None),
        ];
        let gaps: Vec<_> = actions_without_evidence(&plan)
            .iter()
            .map(|(_, gap)| *gap)
            .collect();
        assert_eq!(gaps, [EvidenceGap::NotRecorded, EvidenceGap::NothingCited]);
    }

    #[test]
    fn statuses_parse_from_keys_and_labels() {
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.key()), Some(s));
            assert_eq!(ActionStatus::parse(s.label()), Some(s));
        }
        assert_eq!(
            ActionStatus::parse("in-progress"),
            Some(ActionStatus::InProgress)
        );
        assert_eq!(ActionStatus::parse("finished"), None);
        assert_eq!(ActionStatus::parse(""), None);
    }

    #[test]
    fn details_rebuild_the_same_action() {
        let a = action(1, ActionStatus::InProgress, Some("2026-12-01"));
        assert_eq!(PlanAction::new(a.id(), a.details()), Ok(a));
    }
}
