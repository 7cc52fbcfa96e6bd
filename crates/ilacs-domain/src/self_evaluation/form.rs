//! Text forms: what a web form posts for a paragraph, a strength, an area for
//! development or a plan action, every field as text, parsed with every problem
//! reported at once (as [`crate::audit::NewAudit`] is).

use super::document::SelfEvaluation;
use super::evidence::{parse_quarter, AuditSet, Citation, CitationKind, Evidence, Paragraph};
use super::ids::{uk_date, AuditRef, DocumentId, IndicatorId, ItemId, ItemKind, Period};
use super::plan::{ActionDetails, ActionStatus, Happened, PlanAction, MAX_OWNER_CHARS};
use crate::audit::{parse_date, FieldError, ThemeKey};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every problem with a form, in form order; each names its field (`text`,
/// `citations.1.reference`, `due`) for the error summary's links. The same type as the
/// audit form's, so the web layer shows both alike.
pub type FormErrors = crate::audit::FieldErrors;

/// Collects problems under a field prefix (shared with the meeting forms).
#[derive(Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
    pub(crate) fn take<T, E: fmt::Display>(
        &mut self,
        field: String,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }
    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, FormErrors> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(FormErrors::new(self.0)),
        }
    }
}

fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// An optional date field: blank is `None`; anything else must be a real date.
fn optional_date(
    problems: &mut Problems,
    field: &str,
    what: &str,
    input: &str,
) -> Option<NaiveDate> {
    if input.trim().is_empty() {
        return None;
    }
    let date = parse_date(input);
    if date.is_none() {
        problems.add(
            field,
            format!("{what} must be a real date, such as 23/11/2026"),
        );
    }
    date
}

/// One citation as a form row posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCitation {
    /// A [`CitationKind`] key: `audits`, `audit_theme`, `indicator`, ...
    pub kind: String,
    /// Audits: their numbers (`12, 15 17`). Audit theme: the theme. Indicator: its
    /// key. Document: its number. Other kinds: the number of the uploaded report, if
    /// any.
    pub reference: String,
    /// Audit theme: the quarter (`Q1 2026`). Indicator: the period (`2025-26`).
    pub period: String,
    pub label: String,
}

impl NewCitation {
    fn is_blank(&self) -> bool {
        [&self.kind, &self.reference, &self.period, &self.label]
            .iter()
            .all(|f| f.trim().is_empty())
    }

    /// Parses a row, with fields named under `prefix` (`citations.0.`).
    fn parse_into(&self, prefix: &str, problems: &mut Problems) -> Option<Evidence> {
        let field = |name: &str| format!("{prefix}{name}");
        let Some(kind) = CitationKind::parse_key(&self.kind) else {
            problems.add(field("kind"), "Choose the type of evidence");
            return None;
        };
        let reference = self.reference.trim();
        let period = self.period.trim();
        let uses_period = matches!(kind, CitationKind::AuditTheme | CitationKind::Indicator);
        if !uses_period && !period.is_empty() {
            problems.add(
                field("period"),
                "Leave the period blank: only indicators and audit themes have one",
            );
        }
        let optional_document = |problems: &mut Problems| -> Option<Option<DocumentId>> {
            if reference.is_empty() {
                Some(None)
            } else {
                problems
                    .take(field("reference"), DocumentId::parse(reference))
                    .map(Some)
            }
        };
        let citation = match kind {
            CitationKind::Audits => {
                let tokens: Vec<&str> = reference
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .filter(|t| !t.is_empty())
                    .collect();
                if tokens.is_empty() {
                    problems.add(
                        field("reference"),
                        "Enter the numbers of the audits, such as 12, 15",
                    );
                    None
                } else {
                    let ids: Result<Vec<AuditRef>, _> =
                        tokens.iter().map(|t| AuditRef::parse(t)).collect();
                    problems
                        .take(field("reference"), ids)
                        .and_then(|ids| AuditSet::new(ids).ok())
                        .map(|audits| Citation::Audits { audits })
                }
            }
            CitationKind::AuditTheme => {
                let theme = problems.take(field("reference"), ThemeKey::parse(reference));
                let quarter = if period.is_empty() {
                    problems.add(field("period"), "Enter the quarter, such as Q1 2026");
                    None
                } else {
                    let q = parse_quarter(period);
                    if q.is_none() {
                        problems.add(
                            field("period"),
                            format!("'{period}' is not a quarter: enter it as Q1 2026"),
                        );
                    }
                    q
                };
                theme
                    .zip(quarter)
                    .map(|(theme, quarter)| Citation::AuditTheme { theme, quarter })
            }
            CitationKind::Indicator => {
                let indicator = problems.take(field("reference"), IndicatorId::parse(reference));
                let period = problems.take(field("period"), Period::parse(period));
                indicator
                    .zip(period)
                    .map(|(indicator, period)| Citation::Indicator { indicator, period })
            }
            CitationKind::Document => {
                if reference.is_empty() {
                    problems.add(field("reference"), "Enter the document's number");
                    None
                } else {
                    problems
                        .take(field("reference"), DocumentId::parse(reference))
                        .map(|document| Citation::Document { document })
                }
            }
            CitationKind::StaffSurvey => {
                optional_document(problems).map(|document| Citation::StaffSurvey { document })
            }
            CitationKind::MultiAgencyReview => {
                optional_document(problems).map(|document| Citation::MultiAgencyReview { document })
            }
            CitationKind::Complaints => {
                optional_document(problems).map(|document| Citation::Complaints { document })
            }
            CitationKind::PracticeReview => {
                optional_document(problems).map(|document| Citation::PracticeReview { document })
            }
            CitationKind::Feedback => {
                optional_document(problems).map(|document| Citation::Feedback { document })
            }
        };
        let evidence = citation.map(|c| Evidence::new(c, &self.label));
        match evidence {
            Some(Ok(e)) => Some(e),
            Some(Err(e)) => {
                problems.add(field("label"), e.to_string());
                None
            }
            None => None,
        }
    }
}

impl From<&Evidence> for NewCitation {
    /// The canonical row: what parses back to the same evidence.
    fn from(e: &Evidence) -> NewCitation {
        let (reference, period) = match e.citation() {
            Citation::Audits { audits } => (
                audits
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                String::new(),
            ),
            Citation::AuditTheme { theme, quarter } => (theme.to_string(), quarter.to_string()),
            Citation::Indicator { indicator, period } => {
                (indicator.to_string(), period.to_string())
            }
            Citation::Document { document } => (document.to_string(), String::new()),
            Citation::StaffSurvey { document }
            | Citation::MultiAgencyReview { document }
            | Citation::Complaints { document }
            | Citation::PracticeReview { document }
            | Citation::Feedback { document } => (optional_document(document), String::new()),
        };
        NewCitation {
            kind: e.citation().kind().key().to_string(),
            reference,
            period,
            label: e.label().unwrap_or_default().to_string(),
        }
    }
}

fn optional_document(d: &Option<DocumentId>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Parses citation rows under `prefix`, skipping wholly blank rows (unused lines).
fn parse_citations(rows: &[NewCitation], prefix: &str, problems: &mut Problems) -> Vec<Evidence> {
    rows.iter()
        .enumerate()
        .filter(|(_, row)| !row.is_blank())
        .filter_map(|(j, row)| row.parse_into(&format!("{prefix}citations.{j}."), problems))
        .collect()
}

/// A paragraph, strength or area for development as a form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewParagraph {
    pub text: String,
    pub citations: Vec<NewCitation>,
}

impl NewParagraph {
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.citations.iter().all(NewCitation::is_blank)
    }

    fn parse_into(&self, prefix: &str, problems: &mut Problems) -> Option<Paragraph> {
        let evidence = parse_citations(&self.citations, prefix, problems);
        problems.take(
            format!("{prefix}text"),
            Paragraph::new(&self.text, evidence),
        )
    }

    /// A strength's or an area's form: the text is required.
    pub fn parse(&self) -> Result<Paragraph, FormErrors> {
        let mut problems = Problems::default();
        let paragraph = self.parse_into("", &mut problems);
        problems.finish(paragraph)
    }
}

impl From<&Paragraph> for NewParagraph {
    fn from(p: &Paragraph) -> NewParagraph {
        NewParagraph {
            text: p.text().to_string(),
            citations: p.evidence().iter().map(NewCitation::from).collect(),
        }
    }
}

/// An answer's form: its paragraphs in order, fields named `paragraphs.<i>.text` and
/// `paragraphs.<i>.citations.<j>.reference`. A wholly blank paragraph (an unused box)
/// is skipped; text that is blank while evidence is given is a problem, since the
/// evidence would be lost.
pub fn parse_answer(paragraphs: &[NewParagraph]) -> Result<Vec<Paragraph>, FormErrors> {
    let mut problems = Problems::default();
    let parsed: Vec<Paragraph> = paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_blank())
        .filter_map(|(i, p)| p.parse_into(&format!("paragraphs.{i}."), &mut problems))
        .collect();
    problems.finish(Some(parsed))
}

/// A plan action as its form posts it. Dates are `dd/mm/yyyy` or ISO.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPlanAction {
    pub description: String,
    pub owner: String,
    pub start: String,
    pub due: String,
    /// An [`ActionStatus`] key or label.
    pub status: String,
    /// The id of the area for development it answers; blank for none.
    pub answers: String,
    pub date_done: String,
    pub what_changed: String,
    pub citations: Vec<NewCitation>,
}

impl NewPlanAction {
    /// Checks the form against the self-evaluation it belongs to (the area it answers
    /// must be one of its areas for development) and returns the action's details, or
    /// every problem at once. For a done action, the date done and what changed are
    /// given together or not at all; an action not done has neither.
    pub fn parse(&self, sef: &SelfEvaluation) -> Result<ActionDetails, FormErrors> {
        let mut problems = Problems::default();
        let description = self.description.trim();
        if description.is_empty() {
            problems.add("description", "Describe the action");
        }
        let owner = self.owner.split_whitespace().collect::<Vec<_>>().join(" ");
        if owner.chars().count() > MAX_OWNER_CHARS {
            problems.add(
                "owner",
                format!("The owner must be {MAX_OWNER_CHARS} characters or fewer"),
            );
        }
        let start = optional_date(&mut problems, "start", "The start date", &self.start);
        let due = optional_date(&mut problems, "due", "The due date", &self.due);
        if let (Some(start), Some(due)) = (start, due) {
            if due < start {
                problems.add(
                    "due",
                    format!(
                        "The due date must be the same as or after the start date ({})",
                        uk_date(start)
                    ),
                );
            }
        }
        let status = ActionStatus::parse(&self.status);
        if status.is_none() {
            problems.add(
                "status",
                "Choose the status: not started, in progress, done or dropped",
            );
        }
        let answers = match self.answers.trim() {
            "" => None,
            raw => {
                let area = ItemId::parse(raw)
                    .ok()
                    .filter(|id| id.kind() == ItemKind::AreaForDevelopment)
                    .filter(|id| sef.area_for_development(*id).is_some());
                if area.is_none() {
                    problems.add("answers", "Choose an area for development from the list");
                }
                area
            }
        };

        let evidence = parse_citations(&self.citations, "", &mut problems);
        let given_done = !self.date_done.trim().is_empty()
            || !self.what_changed.trim().is_empty()
            || !evidence.is_empty();
        let happened = match status {
            Some(ActionStatus::Done) if given_done => {
                let date =
                    optional_date(&mut problems, "date_done", "The date done", &self.date_done);
                if self.date_done.trim().is_empty() {
                    problems.add("date_done", "Enter the date the action was done");
                }
                let what = self.what_changed.trim();
                if what.is_empty() {
                    problems.add("what_changed", "Describe what changed");
                }
                date.and_then(|d| Happened::new(d, what, evidence).ok())
            }
            Some(s) if given_done && s != ActionStatus::Done => {
                problems.add(
                    "status",
                    format!(
                        "Only a done action has evidence that it happened: set the status to done, or clear the date done, what changed and evidence (it is {})",
                        s.label().to_lowercase()
                    ),
                );
                None
            }
            _ => None,
        };

        let details = status.map(|status| ActionDetails {
            description: description.to_string(),
            owner: (!owner.is_empty()).then_some(owner),
            start,
            due,
            status,
            answers,
            happened,
        });
        problems.finish(details)
    }
}

impl From<&PlanAction> for NewPlanAction {
    /// The canonical form: what parses back to the same action.
    fn from(a: &PlanAction) -> NewPlanAction {
        let happened = a.happened();
        NewPlanAction {
            description: a.description().to_string(),
            owner: a.owner().unwrap_or_default().to_string(),
            start: a.start().map(iso_date).unwrap_or_default(),
            due: a.due().map(iso_date).unwrap_or_default(),
            status: a.status().key().to_string(),
            answers: a.answers().map(|id| id.to_string()).unwrap_or_default(),
            date_done: happened.map(|h| iso_date(h.date())).unwrap_or_default(),
            what_changed: happened
                .map(|h| h.what_changed().to_string())
                .unwrap_or_default(),
            citations: happened
                .map(|h| h.evidence().iter().map(NewCitation::from).collect())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_evaluation::testing::{blank, day, para};

    fn row(kind: &str, reference: &str, period: &str) -> NewCitation {
        NewCitation {
            kind: kind.into(),
            reference: reference.into(),
            period: period.into(),
            label: String::new(),
        }
    }

    fn fields(errors: &FormErrors) -> Vec<(&str, &str)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect()
    }

    #[test]
    fn every_kind_of_citation_parses() {
        let rows = vec![
            row("audits", " 15, 12;17 12 ", ""),
            row("audit_theme", "Voice of the Child", "Q1 2026"),
            row("indicator", "re_referral", "2025-26"),
            row("staff_survey", "", ""),
            row("multi_agency_review", "#4", ""),
            row("complaints", "", ""),
            row("practice_review", "9", ""),
            row("feedback", "", ""),
            row("document", "3", ""),
            NewCitation::default(),
        ];
        let p = NewParagraph {
            text: " Managers know their children. ".into(),
            citations: rows,
        }
        .parse()
        .unwrap();
        assert_eq!(p.text(), "Managers know their children.");
        let described: Vec<_> = p.evidence().iter().map(|e| e.title()).collect();
        assert_eq!(
            described,
            [
                "Case audits 12, 15 and 17",
                "Audit theme voice-of-the-child, January to March 2026",
                "Indicator re_referral, 2025-26",
                "Staff survey",
                "Multi-agency review (document 4)",
                "Complaints",
                "Child safeguarding practice review (document 9)",
                "Feedback from children and families",
                "Document 3",
            ]
        );
        // The canonical form parses back to the same paragraph.
        assert_eq!(NewParagraph::from(&p).parse(), Ok(p));
    }

    #[test]
    fn citation_problems_are_all_reported() {
        let mut labelled = row("audits", "1", "");
        labelled.label = "x".repeat(101);
        let p = NewParagraph {
            text: " ".into(),
            citations: vec![
                row("", "1", ""),
                row("audits", "", ""),
                row("audits", "3, x", ""),
                row("audit_theme", "!!", ""),
                row("audit_theme", "neglect", "Q5 2026"),
                row("indicator", "Re-Referral", ""),
                row("document", "", "2025"),
                row("feedback", "zero", ""),
                labelled,
            ],
        };
        let errors = p.parse().unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("citations.0.kind", "Choose the type of evidence"),
                ("citations.1.reference", "Enter the numbers of the audits, such as 12, 15"),
                (
                    "citations.2.reference",
                    "'x' is not an audit number: enter the audit's number, such as 42"
                ),
                ("citations.3.reference", "Enter a theme containing letters or numbers"),
                ("citations.3.period", "Enter the quarter, such as Q1 2026"),
                ("citations.4.period", "'Q5 2026' is not a quarter: enter it as Q1 2026"),
                (
                    "citations.5.reference",
                    "'Re-Referral' is not an indicator: use its key, such as re_referral (lower-case letters, digits and underscores)"
                ),
                ("citations.5.period", "Enter the period the indicator is for, such as 2025-26"),
                (
                    "citations.6.period",
                    "Leave the period blank: only indicators and audit themes have one"
                ),
                ("citations.6.reference", "Enter the document's number"),
                (
                    "citations.7.reference",
                    "'zero' is not a document number: enter the document's number, such as 7"
                ),
                ("citations.8.label", "The label must be 100 characters or fewer"),
                ("text", "Enter the text"),
            ]
        );
        assert!(errors.to_string().starts_with("citations.0.kind: Choose"));
    }

    #[test]
    fn answers_skip_blank_boxes_but_keep_evidence_safe() {
        let boxes = vec![
            NewParagraph {
                text: "First".into(),
                citations: vec![row("audits", "1", "")],
            },
            NewParagraph::default(),
            NewParagraph {
                text: "Third".into(),
                citations: vec![NewCitation::default()],
            },
        ];
        let parsed = parse_answer(&boxes).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].text(), "Third");
        assert!(parsed[1].evidence().is_empty());
        let orphaned = vec![NewParagraph {
            text: "".into(),
            citations: vec![row("audits", "1", "")],
        }];
        let errors = parse_answer(&orphaned).unwrap_err();
        assert_eq!(fields(&errors), [("paragraphs.0.text", "Enter the text")]);
        assert_eq!(parse_answer(&[]), Ok(vec![]));
    }

    fn action_form() -> NewPlanAction {
        NewPlanAction {
            description: "Weekly legal gateway".into(),
            owner: " Head of  service ".into(),
            start: "01/04/2026".into(),
            due: "2026-09-30".into(),
            status: "In progress".into(),
            ..NewPlanAction::default()
        }
    }

    #[test]
    fn a_plan_action_form_parses() {
        let mut sef = blank(2026);
        let area = sef.add_area_for_development(para("Drift", true)).unwrap();
        let mut form = action_form();
        form.answers = area.to_string();
        let details = form.parse(&sef).unwrap();
        assert_eq!(details.owner.as_deref(), Some("Head of service"));
        assert_eq!(details.start, Some(day("2026-04-01")));
        assert_eq!(details.due, Some(day("2026-09-30")));
        assert_eq!(details.status, ActionStatus::InProgress);
        assert_eq!(details.answers, Some(area));
        let id = sef.add_action(details).unwrap();
        // Done, with evidence; and the canonical form parses back to the same action.
        let mut done = NewPlanAction::from(sef.action(id).unwrap());
        done.status = "done".into();
        done.date_done = "20/09/2026".into();
        done.what_changed = "Cases reach court 6 weeks sooner".into();
        done.citations = vec![row("audits", "40, 41", "")];
        sef.set_action(id, done.parse(&sef).unwrap()).unwrap();
        let action = sef.action(id).unwrap();
        assert_eq!(action.evidence_gap(), None);
        let canonical = NewPlanAction::from(action);
        assert_eq!(canonical.start, "2026-04-01");
        assert_eq!(
            PlanAction::new(id, canonical.parse(&sef).unwrap()).as_ref(),
            Ok(action)
        );
    }

    #[test]
    fn plan_action_problems_are_all_reported() {
        let sef = blank(2026);
        let form = NewPlanAction {
            description: " ".into(),
            owner: "o".repeat(101),
            start: "01/10/2026".into(),
            due: "30/09/2026".into(),
            status: "finished".into(),
            answers: "a-2026-1".into(),
            ..NewPlanAction::default()
        };
        assert_eq!(
            fields(&form.parse(&sef).unwrap_err()),
            [
                ("description", "Describe the action"),
                ("owner", "The owner must be 100 characters or fewer"),
                (
                    "due",
                    "The due date must be the same as or after the start date (1 October 2026)"
                ),
                (
                    "status",
                    "Choose the status: not started, in progress, done or dropped"
                ),
                ("answers", "Choose an area for development from the list"),
            ]
        );
        let form = NewPlanAction {
            start: "31/02/2026".into(),
            due: "soon".into(),
            ..action_form()
        };
        assert_eq!(
            fields(&form.parse(&sef).unwrap_err()),
            [
                (
                    "start",
                    "The start date must be a real date, such as 23/11/2026"
                ),
                (
                    "due",
                    "The due date must be a real date, such as 23/11/2026"
                ),
            ]
        );
    }

    #[test]
    fn evidence_that_it_happened_belongs_to_done_actions() {
        let sef = blank(2026);
        let form = NewPlanAction {
            what_changed: "Something".into(),
            ..action_form()
        };
        let errors = form.parse(&sef).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors
            .get("status")
            .unwrap()
            .message
            .contains("(it is in progress)"));
        // Done but half recorded.
        let form = NewPlanAction {
            status: "done".into(),
            citations: vec![row("audits", "1", "")],
            ..action_form()
        };
        assert_eq!(
            fields(&form.parse(&sef).unwrap_err()),
            [
                ("date_done", "Enter the date the action was done"),
                ("what_changed", "Describe what changed"),
            ]
        );
        // Done with nothing recorded is allowed: the review asks for the evidence.
        let form = NewPlanAction {
            status: "done".into(),
            ..action_form()
        };
        assert_eq!(form.parse(&sef).unwrap().happened, None);
        // Blank owner and dates are allowed too.
        let form = NewPlanAction {
            description: "x".into(),
            status: "not started".into(),
            ..NewPlanAction::default()
        };
        let details = form.parse(&sef).unwrap();
        assert_eq!(
            (details.owner, details.start, details.due),
            (None, None, None)
        );
    }
}
