//! One case audit: the draft an auditor fills in ([`NewAudit`]) and the audit it becomes
//! once checked against its template ([`Audit`]).

use super::ids::{AuditorId, ChildId, DomainKey, Team, TemplateKey, ThemeKey};
use super::scale::{Scale, Score, ScoreError};
use super::template::AuditTemplate;
use crate::grade::Grade;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The kind of case, as the LA's services divide them (and as Ofsted's judgements do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    HelpAndProtection,
    InCare,
    CareLeaver,
}

impl CaseType {
    pub const ALL: [CaseType; 3] = [
        CaseType::HelpAndProtection,
        CaseType::InCare,
        CaseType::CareLeaver,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CaseType::HelpAndProtection => "help_and_protection",
            CaseType::InCare => "in_care",
            CaseType::CareLeaver => "care_leaver",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseType::HelpAndProtection => "Help and protection",
            CaseType::InCare => "Child in care",
            CaseType::CareLeaver => "Care leaver",
        }
    }

    /// Parses a key or a label, ignoring case, spaces, hyphens and underscores.
    pub fn parse(input: &str) -> Option<CaseType> {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = squash(input);
        CaseType::ALL.into_iter().find(|t| {
            squash(t.key()) == wanted || squash(t.label()) == wanted || {
                // "In care" as well as "Child in care".
                *t == CaseType::InCare && wanted == "incare"
            }
        })
    }
}

impl fmt::Display for CaseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The case audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub child: ChildId,
    pub team: Team,
    /// The allocated worker, as the LA names them.
    pub worker: String,
    pub case_type: CaseType,
}

/// One domain's score with the auditor's narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainScore {
    pub domain: DomainKey,
    pub score: Score,
    pub narrative: String,
}

/// Who is to carry out an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionOwner {
    Worker,
    Manager,
}

impl ActionOwner {
    pub fn key(self) -> &'static str {
        match self {
            ActionOwner::Worker => "worker",
            ActionOwner::Manager => "manager",
        }
    }

    pub fn parse(input: &str) -> Option<ActionOwner> {
        match input.trim().to_ascii_lowercase().as_str() {
            "worker" | "social worker" | "allocated worker" => Some(ActionOwner::Worker),
            "manager" | "team manager" => Some(ActionOwner::Manager),
            _ => None,
        }
    }
}

/// Something that must happen on the case, by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAction {
    pub description: String,
    pub owner: ActionOwner,
    pub due: NaiveDate,
}

/// A checked audit. Built only by [`NewAudit::parse`] (or read back from storage), so
/// its scores fit its template's scale, every domain is scored once and every action is
/// due on or after the audit date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    template: TemplateKey,
    case: CaseRef,
    auditor: AuditorId,
    date: NaiveDate,
    /// In the template's order.
    domains: Vec<DomainScore>,
    overall: Score,
    worked_well: String,
    must_change: String,
    actions: Vec<AuditAction>,
    child_feedback: Option<String>,
    family_feedback: Option<String>,
    themes: BTreeSet<ThemeKey>,
}

impl Audit {
    pub fn template(&self) -> &TemplateKey {
        &self.template
    }
    pub fn case(&self) -> &CaseRef {
        &self.case
    }
    pub fn child(&self) -> &ChildId {
        &self.case.child
    }
    pub fn auditor(&self) -> &AuditorId {
        &self.auditor
    }
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    pub fn domains(&self) -> &[DomainScore] {
        &self.domains
    }
    pub fn domain(&self, key: &DomainKey) -> Option<&DomainScore> {
        self.domains.iter().find(|d| &d.domain == key)
    }
    pub fn overall(&self) -> Score {
        self.overall
    }
    /// The overall grade: the grade given, or the band of the overall score.
    pub fn overall_grade(&self) -> Grade {
        self.overall
            .grade()
            .expect("the overall score is never not applicable: checked in NewAudit::parse")
    }
    pub fn worked_well(&self) -> &str {
        &self.worked_well
    }
    pub fn must_change(&self) -> &str {
        &self.must_change
    }
    pub fn actions(&self) -> &[AuditAction] {
        &self.actions
    }
    pub fn child_feedback(&self) -> Option<&str> {
        self.child_feedback.as_deref()
    }
    pub fn family_feedback(&self) -> Option<&str> {
        self.family_feedback.as_deref()
    }
    pub fn themes(&self) -> &BTreeSet<ThemeKey> {
        &self.themes
    }

    /// Tags the audit with a theme; themes often emerge after audits are done.
    /// Returns false if it already had it.
    pub fn tag(&mut self, theme: ThemeKey) -> bool {
        self.themes.insert(theme)
    }

    /// Returns false if it did not have the theme.
    pub fn untag(&mut self, theme: &ThemeKey) -> bool {
        self.themes.remove(theme)
    }
}

/// One problem with a draft: the field it is in (a path such as
/// `domains.voice_of_the_child.score` or `actions.0.due`, for the error summary's link)
/// and what the user should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem with a draft, in form order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.summary())]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub(crate) fn new(errors: Vec<FieldError>) -> Self {
        FieldErrors(errors)
    }
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The first problem with a field, if any.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
    fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// An audit as the auditor entered it, every field as text: what a form posts and what
/// a half-finished draft is saved as. [`NewAudit::parse`] checks it against a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAudit {
    pub child_id: String,
    pub team: String,
    pub worker: String,
    pub case_type: String,
    pub auditor: String,
    /// `dd/mm/yyyy` as typed in a form, or ISO `yyyy-mm-dd` from the API.
    pub date: String,
    pub domains: Vec<NewDomainScore>,
    pub overall: String,
    pub worked_well: String,
    pub must_change: String,
    pub actions: Vec<NewAction>,
    pub child_feedback: String,
    pub family_feedback: String,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewDomainScore {
    pub domain: String,
    pub score: String,
    pub narrative: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAction {
    pub description: String,
    pub owner: String,
    pub due: String,
}

/// Parses `dd/mm/yyyy` (day and month may be one digit) or `yyyy-mm-dd`. A four-digit
/// year is required: "1/2/26" is more likely 2026 than year 26, so it is refused.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    let number = |part: &str, max_len: usize| -> Option<u32> {
        (!part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = s.split('/').collect();
    if let [day, month, year] = parts[..] {
        if year.len() != 4 {
            return None;
        }
        return NaiveDate::from_ymd_opt(
            number(year, 4)? as i32,
            number(month, 2)?,
            number(day, 2)?,
        );
    }
    let parts: Vec<&str> = s.split('-').collect();
    if let [year, month, day] = parts[..] {
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        return NaiveDate::from_ymd_opt(
            number(year, 4)? as i32,
            number(month, 2)?,
            number(day, 2)?,
        );
    }
    None
}

/// A date as the interface shows it: `23 November 2026`.
pub(crate) fn uk_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A title inside a sentence: "Voice of the child" becomes "voice of the child", but
/// "LADO involvement" keeps its capitals.
fn mid_sentence(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(title.chars().skip(1)).collect()
        }
        _ => title.to_string(),
    }
}

fn optional_text(input: &str) -> Option<String> {
    let s = input.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Collects problems in form order (for the learning action form too).
#[derive(Default)]
pub(super) struct Problems(pub(super) Vec<FieldError>);

impl Problems {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Keeps a parsed value, or records the problem and keeps nothing.
    pub(super) fn take<T, E: fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }
}

/// What a score should look like, for messages: the four grades, or "a whole number
/// from 0 to 10".
fn expected(scale: &Scale, not_applicable: bool) -> String {
    let base = match scale {
        Scale::OfstedGrades => {
            "outstanding, good, requires improvement to be good or inadequate".to_string()
        }
        Scale::Numeric(n) => format!("a whole number from {} to {}", n.min(), n.max()),
    };
    if not_applicable {
        format!("{base}, or not applicable")
    } else {
        base
    }
}

fn score_message(scale: &Scale, what: &str, error: &ScoreError, not_applicable: bool) -> String {
    let verb = match scale {
        Scale::OfstedGrades => "Choose a grade",
        Scale::Numeric(_) => "Enter a score",
    };
    match error {
        ScoreError::Blank => format!("{verb} for {what}"),
        _ => format!("{verb} for {what}: {}", expected(scale, not_applicable)),
    }
}

impl NewAudit {
    /// An empty draft with a line for each of the template's domains, for a new form.
    pub fn for_template(template: &AuditTemplate) -> NewAudit {
        NewAudit {
            domains: template
                .domains()
                .iter()
                .map(|d| NewDomainScore {
                    domain: d.key.to_string(),
                    ..NewDomainScore::default()
                })
                .collect(),
            ..NewAudit::default()
        }
    }

    /// Checks the draft against its template and returns the audit, or every problem at
    /// once. Blank feedback means none was given; themes are normalised and deduplicated.
    pub fn parse(&self, template: &AuditTemplate) -> Result<Audit, FieldErrors> {
        let mut problems = Problems::default();
        let scale = template.scale();

        let child = problems.take("child_id", ChildId::parse(&self.child_id));
        let team = problems.take("team", Team::parse(&self.team));
        let worker = optional_text(&self.worker);
        if worker.is_none() {
            problems.add("worker", "Enter the allocated worker");
        }
        let case_type = CaseType::parse(&self.case_type);
        if case_type.is_none() {
            problems.add(
                "case_type",
                "Choose the type of case: help and protection, child in care or care leaver",
            );
        }
        let auditor = problems.take("auditor", AuditorId::parse(&self.auditor));
        let date = parse_date(&self.date);
        match (date, self.date.trim().is_empty()) {
            (Some(_), _) => {}
            (None, true) => problems.add("date", "Enter the date of the audit"),
            (None, false) => problems.add(
                "date",
                "The date of the audit must be a real date, such as 23/11/2026",
            ),
        }

        let domains = self.parse_domains(template, &mut problems);

        let overall = match scale.parse_score(&self.overall) {
            Ok(Score::NotApplicable) => {
                problems.add(
                    "overall",
                    format!(
                        "The case overall cannot be not applicable: {}",
                        expected(scale, false)
                    ),
                );
                None
            }
            Ok(score) => Some(score),
            Err(e) => {
                problems.add(
                    "overall",
                    score_message(scale, "the case overall", &e, false),
                );
                None
            }
        };

        let worked_well = optional_text(&self.worked_well);
        if worked_well.is_none() {
            problems.add("worked_well", "Enter what worked well");
        }
        let must_change = optional_text(&self.must_change);
        if must_change.is_none() {
            problems.add("must_change", "Enter what must change");
        }

        let actions = self.parse_actions(date, &mut problems);

        let mut themes = BTreeSet::new();
        for (i, raw) in self.themes.iter().enumerate() {
            // A blank line in a list of themes is nothing, not a problem.
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(theme) = problems.take(&format!("themes.{i}"), ThemeKey::parse(raw)) {
                themes.insert(theme);
            }
        }

        match (
            child,
            team,
            worker,
            case_type,
            auditor,
            date,
            overall,
            worked_well,
            must_change,
        ) {
            (
                Some(child),
                Some(team),
                Some(worker),
                Some(case_type),
                Some(auditor),
                Some(date),
                Some(overall),
                Some(worked_well),
                Some(must_change),
            ) if problems.0.is_empty() => Ok(Audit {
                template: template.key().clone(),
                case: CaseRef {
                    child,
                    team,
                    worker,
                    case_type,
                },
                auditor,
                date,
                domains,
                overall,
                worked_well,
                must_change,
                actions,
                child_feedback: optional_text(&self.child_feedback),
                family_feedback: optional_text(&self.family_feedback),
                themes,
            }),
            _ => Err(FieldErrors(problems.0)),
        }
    }

    /// The domain scores in the template's order. Problems: unknown or repeated domains,
    /// missing or unparsable scores, not applicable where the domain forbids it, and a
    /// scored domain without narrative.
    fn parse_domains(&self, template: &AuditTemplate, problems: &mut Problems) -> Vec<DomainScore> {
        let scale = template.scale();
        for (i, entry) in self.domains.iter().enumerate() {
            let known = DomainKey::parse(&entry.domain)
                .ok()
                .and_then(|k| template.domain(&k));
            match known {
                None => problems.add(
                    format!("domains.{}", entry.domain.trim()),
                    format!(
                        "'{}' is not a domain of the template '{}': remove it",
                        entry.domain.trim(),
                        template.name()
                    ),
                ),
                Some(domain) => {
                    let earlier = self.domains[..i]
                        .iter()
                        .any(|e| DomainKey::parse(&e.domain).ok().as_ref() == Some(&domain.key));
                    if earlier {
                        problems.add(
                            format!("domains.{}", domain.key),
                            format!("{} is scored more than once: keep one score", domain.title),
                        );
                    }
                }
            }
        }

        let mut scores = Vec::new();
        for domain in template.domains() {
            let entry = self
                .domains
                .iter()
                .find(|e| DomainKey::parse(&e.domain).ok().as_ref() == Some(&domain.key));
            let field = format!("domains.{}.score", domain.key);
            let what = mid_sentence(&domain.title);
            let raw = entry.map(|e| e.score.as_str()).unwrap_or("");
            let narrative = entry.map(|e| e.narrative.trim()).unwrap_or("").to_string();
            match scale.parse_score(raw) {
                Err(e) => problems.add(
                    field,
                    score_message(scale, &what, &e, domain.not_applicable_allowed),
                ),
                Ok(Score::NotApplicable) if !domain.not_applicable_allowed => problems.add(
                    field,
                    format!(
                        "{} cannot be not applicable in this template: {}",
                        capitalised(&what),
                        expected(scale, false)
                    ),
                ),
                Ok(score) => {
                    if narrative.is_empty() && !score.is_not_applicable() {
                        problems.add(
                            format!("domains.{}.narrative", domain.key),
                            format!("Describe the evidence for the score for {what}"),
                        );
                    }
                    scores.push(DomainScore {
                        domain: domain.key.clone(),
                        score,
                        narrative,
                    });
                }
            }
        }
        scores
    }

    fn parse_actions(&self, date: Option<NaiveDate>, problems: &mut Problems) -> Vec<AuditAction> {
        let mut actions = Vec::new();
        for (i, raw) in self.actions.iter().enumerate() {
            // A wholly blank row (an unused line on the form) is not an action.
            if raw.description.trim().is_empty()
                && raw.owner.trim().is_empty()
                && raw.due.trim().is_empty()
            {
                continue;
            }
            let n = i + 1;
            let description = optional_text(&raw.description);
            if description.is_none() {
                problems.add(
                    format!("actions.{i}.description"),
                    format!("Describe action {n}"),
                );
            }
            let owner = ActionOwner::parse(&raw.owner);
            if owner.is_none() {
                problems.add(
                    format!("actions.{i}.owner"),
                    format!("Choose who owns action {n}: the worker or the manager"),
                );
            }
            let due = parse_date(&raw.due);
            let field = format!("actions.{i}.due");
            match (due, date) {
                (None, _) if raw.due.trim().is_empty() => {
                    problems.add(field, format!("Enter the date action {n} is due"))
                }
                (None, _) => problems.add(
                    field,
                    format!("The date action {n} is due must be a real date, such as 23/11/2026"),
                ),
                (Some(due), Some(date)) if due < date => problems.add(
                    field,
                    format!(
                        "Action {n} must be due on or after the date of the audit ({})",
                        uk_date(date)
                    ),
                ),
                _ => {}
            }
            if let (Some(description), Some(owner), Some(due)) = (description, owner, due) {
                actions.push(AuditAction {
                    description,
                    owner,
                    due,
                });
            }
        }
        actions
    }
}

/// A score as [`Scale::parse_score`] reads it back: a grade's key, a number, or `n/a`
/// (the value the audit form's "not applicable" option posts).
fn score_text(score: &Score) -> String {
    match score {
        Score::Grade(grade) => grade.key().to_string(),
        Score::Scaled { value, .. } => value.to_string(),
        Score::NotApplicable => "n/a".to_string(),
    }
}

/// A date in the ISO form [`parse_date`] accepts.
fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl Audit {
    /// The audit's canonical draft: what [`NewAudit::parse`] turns back into this audit
    /// on its template. Dates are ISO, scores are grade keys, numbers or `n/a`, the case
    /// type and action owners are keys and themes their normalised keys. A numeric
    /// score's band is not kept: parsing gives the band the template has then.
    pub fn to_new(&self) -> NewAudit {
        NewAudit {
            child_id: self.case.child.to_string(),
            team: self.case.team.to_string(),
            worker: self.case.worker.clone(),
            case_type: self.case.case_type.key().to_string(),
            auditor: self.auditor.to_string(),
            date: iso_date(self.date),
            domains: self
                .domains
                .iter()
                .map(|d| NewDomainScore {
                    domain: d.domain.to_string(),
                    score: score_text(&d.score),
                    narrative: d.narrative.clone(),
                })
                .collect(),
            overall: score_text(&self.overall),
            worked_well: self.worked_well.clone(),
            must_change: self.must_change.clone(),
            actions: self
                .actions
                .iter()
                .map(|a| NewAction {
                    description: a.description.clone(),
                    owner: a.owner.key().to_string(),
                    due: iso_date(a.due),
                })
                .collect(),
            child_feedback: self.child_feedback.clone().unwrap_or_default(),
            family_feedback: self.family_feedback.clone().unwrap_or_default(),
            themes: self.themes.iter().map(ToString::to_string).collect(),
        }
    }
}

impl From<&Audit> for NewAudit {
    fn from(audit: &Audit) -> NewAudit {
        audit.to_new()
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{d, filled, quality, signs_of_safety};
    use Grade::*;

    #[test]
    fn a_complete_draft_becomes_an_audit() {
        let template = quality();
        let mut draft = filled(&template, "good");
        draft.overall = "Requires improvement".into();
        draft.child_feedback = "  I like my worker ".into();
        draft.family_feedback = "   ".into();
        draft.themes = vec![
            "Voice of the Child".into(),
            "voice_of_the_child".into(),
            "".into(),
            "Drift".into(),
        ];
        draft.actions.push(NewAction::default()); // an unused form row
        let audit = draft.parse(&template).unwrap();
        assert_eq!(audit.template().as_str(), "ilacs-quality");
        assert_eq!(audit.child().as_str(), "C1");
        assert_eq!(audit.case().case_type, CaseType::InCare);
        assert_eq!(audit.date(), d("2026-03-10"));
        assert_eq!(audit.domains().len(), 9);
        assert!(audit
            .domains()
            .iter()
            .zip(template.domains())
            .all(|(s, t)| s.domain == t.key && s.score == Score::Grade(Good)));
        assert_eq!(audit.overall_grade(), RequiresImprovement);
        assert_eq!(audit.actions().len(), 1);
        assert_eq!(audit.actions()[0].owner, ActionOwner::Manager);
        assert_eq!(audit.child_feedback(), Some("I like my worker"));
        assert_eq!(audit.family_feedback(), None);
        let themes: Vec<_> = audit.themes().iter().map(|t| t.as_str()).collect();
        assert_eq!(themes, ["drift", "voice-of-the-child"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let template = quality();
        let mut draft = filled(&template, "good");
        draft.child_id = "  ".into();
        draft.case_type = "adoption".into();
        draft.date = "31/02/2026".into();
        draft.overall = "".into();
        draft.worked_well = "".into();
        // Voice of the child: missing. Recording: not applicable, not allowed.
        // Family feedback: not applicable, allowed (and needs no narrative).
        draft.domains.retain(|e| e.domain != "voice_of_the_child");
        for e in &mut draft.domains {
            match e.domain.as_str() {
                "recording" => e.score = "n/a".into(),
                "family_feedback" => {
                    e.score = "Not applicable".into();
                    e.narrative.clear();
                }
                "planning_and_review" => e.score = "excellent".into(),
                "history_and_chronology" => e.narrative = " ".into(),
                _ => {}
            }
        }
        draft.domains.push(NewDomainScore {
            domain: "happiness".into(),
            score: "good".into(),
            narrative: "x".into(),
        });
        let errors = draft.parse(&template).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "child_id",
                "case_type",
                "date",
                "domains.happiness",
                "domains.history_and_chronology.narrative",
                "domains.planning_and_review.score",
                "domains.voice_of_the_child.score",
                "domains.recording.score",
                "overall",
                "worked_well",
            ]
        );
        let message = |f: &str| errors.get(f).unwrap().message.as_str();
        assert_eq!(message("child_id"), "Enter the child's ID");
        assert_eq!(
            message("domains.voice_of_the_child.score"),
            "Choose a grade for voice of the child"
        );
        assert_eq!(
            message("domains.recording.score"),
            "Recording cannot be not applicable in this template: outstanding, good, requires improvement to be good or inadequate"
        );
        assert_eq!(
            message("domains.planning_and_review.score"),
            "Choose a grade for planning and review: outstanding, good, requires improvement to be good or inadequate"
        );
        assert!(message("domains.happiness")
            .contains("not a domain of the template 'Quality of practice audit'"));
        assert_eq!(message("overall"), "Choose a grade for the case overall");
        assert!(message("date").contains("real date"));
        assert_eq!(errors.len(), 10);
        assert!(errors
            .to_string()
            .starts_with("child_id: Enter the child's ID; case_type:"));
    }

    #[test]
    fn actions_are_due_on_or_after_the_audit() {
        let template = quality();
        let mut draft = filled(&template, "good");
        draft.actions = vec![
            NewAction {
                description: "Update the chronology".into(),
                owner: "worker".into(),
                due: "10/03/2026".into(), // the audit date itself: allowed
            },
            NewAction {
                description: "Supervise".into(),
                owner: "Team manager".into(),
                due: "09/03/2026".into(),
            },
            NewAction {
                description: " ".into(),
                owner: "director".into(),
                due: "".into(),
            },
            NewAction {
                description: "Visit".into(),
                owner: "worker".into(),
                due: "2026-3-1".into(),
            },
        ];
        let errors = draft.parse(&template).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "actions.1.due",
                    "Action 2 must be due on or after the date of the audit (10 March 2026)"
                ),
                ("actions.2.description", "Describe action 3"),
                (
                    "actions.2.owner",
                    "Choose who owns action 3: the worker or the manager"
                ),
                ("actions.2.due", "Enter the date action 3 is due"),
                (
                    "actions.3.due",
                    "The date action 4 is due must be a real date, such as 23/11/2026"
                ),
            ]
        );
        draft.actions.truncate(1);
        assert_eq!(
            draft.parse(&template).unwrap().actions()[0].due,
            d("2026-03-10")
        );
    }

    #[test]
    fn numeric_templates_score_numbers_and_band_them() {
        let template = signs_of_safety();
        let mut draft = filled(&template, "7");
        draft.overall = "3".into();
        let audit = draft.parse(&template).unwrap();
        assert_eq!(
            audit.domains()[0].score,
            Score::Scaled {
                value: 7,
                band: Good
            }
        );
        assert_eq!(
            audit.overall(),
            Score::Scaled {
                value: 3,
                band: Inadequate
            }
        );
        assert_eq!(audit.overall_grade(), Inadequate);

        draft.domains[0].score = "11".into();
        draft.domains[1].score = "good".into();
        draft.overall = "n/a".into();
        let errors = draft.parse(&template).unwrap_err();
        assert_eq!(
            errors.get("domains.danger_and_harm.score").unwrap().message,
            "Enter a score for harm and danger statements: a whole number from 0 to 10"
        );
        assert_eq!(
            errors
                .get("domains.strengths_and_safety.score")
                .unwrap()
                .message,
            "Enter a score for existing strengths and safety: a whole number from 0 to 10"
        );
        assert_eq!(
            errors.get("overall").unwrap().message,
            "The case overall cannot be not applicable: a whole number from 0 to 10"
        );
    }

    #[test]
    fn repeated_domains_are_reported() {
        let template = quality();
        let mut draft = filled(&template, "good");
        let again = draft.domains[3].clone();
        draft.domains.push(again);
        let errors = draft.parse(&template).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.get("domains.voice_of_the_child").unwrap().message,
            "Voice of the child is scored more than once: keep one score"
        );
    }

    #[test]
    fn dates_parse_in_uk_and_iso_forms() {
        assert_eq!(parse_date("23/11/2026"), Some(d("2026-11-23")));
        assert_eq!(parse_date(" 1/2/2026 "), Some(d("2026-02-01")));
        assert_eq!(parse_date("2026-11-23"), Some(d("2026-11-23")));
        for bad in [
            "",
            "23/11/26",
            "2026-1-5",
            "29/02/2025",
            "23.11.2026",
            "a/b/cdef",
            "23/11/2026/1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(uk_date(d("2026-03-01")), "1 March 2026");
    }

    #[test]
    fn case_types_and_owners_parse_from_keys_and_labels() {
        for t in CaseType::ALL {
            assert_eq!(CaseType::parse(t.key()), Some(t));
            assert_eq!(CaseType::parse(t.label()), Some(t));
        }
        assert_eq!(CaseType::parse("In care"), Some(CaseType::InCare));
        assert_eq!(CaseType::parse("care-leaver"), Some(CaseType::CareLeaver));
        assert_eq!(CaseType::parse("adoption"), None);
        assert_eq!(ActionOwner::parse(" Manager "), Some(ActionOwner::Manager));
        assert_eq!(ActionOwner::parse("worker"), Some(ActionOwner::Worker));
        assert_eq!(ActionOwner::parse("nobody"), None);
    }

    #[test]
    fn titles_read_well_mid_sentence() {
        assert_eq!(mid_sentence("Voice of the child"), "voice of the child");
        assert_eq!(mid_sentence("LADO involvement"), "LADO involvement");
        assert_eq!(mid_sentence("The child's voice"), "the child's voice");
        assert_eq!(capitalised("voice"), "Voice");
    }

    #[test]
    fn themes_can_be_added_later() {
        let template = quality();
        let mut audit = filled(&template, "good").parse(&template).unwrap();
        let neglect = ThemeKey::parse("Neglect").unwrap();
        assert!(audit.tag(neglect.clone()));
        assert!(!audit.tag(neglect.clone()));
        assert!(audit.untag(&neglect));
        assert!(!audit.untag(&neglect));
        let mut draft = filled(&template, "good");
        draft.themes = vec!["!!".into()];
        assert_eq!(
            draft
                .parse(&template)
                .unwrap_err()
                .get("themes.0")
                .unwrap()
                .message,
            "Enter a theme containing letters or numbers"
        );
    }

    /// A draft as a user might type it: labels, UK dates, stray spaces, repeated themes.
    fn untidy(template: &AuditTemplate, scores: &[&str], overall: &str) -> NewAudit {
        let mut draft = filled(template, "");
        for (entry, score) in draft.domains.iter_mut().zip(scores.iter().cycle()) {
            entry.score = score.to_string();
            entry.narrative = format!("  {}  ", entry.narrative);
        }
        draft.overall = overall.into();
        draft.team = " Assessment   1 ".into();
        draft.worker = " Sam Worker ".into();
        draft.case_type = "Child in care".into();
        draft.auditor = "  auditor.a".into();
        draft.date = "9/3/2026".into();
        draft.actions = vec![
            NewAction {
                description: " Update the chronology ".into(),
                owner: "Team manager".into(),
                due: "10/04/2026".into(),
            },
            NewAction::default(),
            NewAction {
                description: "Visit with the child's sister".into(),
                owner: "social worker".into(),
                due: "2026-03-09".into(),
            },
        ];
        draft.child_feedback = " I like my worker ".into();
        draft.family_feedback = "Mum feels listened to.".into();
        draft.themes = vec!["Voice of the Child".into(), "drift".into(), "DRIFT".into()];
        draft
    }

    fn round_trips(template: &AuditTemplate, audit: &Audit) {
        let canonical = audit.to_new();
        assert_eq!(canonical.parse(template).as_ref(), Ok(audit));
        assert_eq!(NewAudit::from(audit), canonical);
        // Canonical means settled: the form of the audit it parses to is itself.
        assert_eq!(canonical.parse(template).unwrap().to_new(), canonical);
    }

    #[test]
    fn an_audit_round_trips_through_its_canonical_draft_on_grades() {
        let template = quality();
        // Every grade, in each of its spellings, and not applicable where allowed.
        let scores = [
            "Outstanding",
            "good",
            "Requires improvement to be good",
            "4",
            "RI",
            "requires_improvement",
            "2",
            "Inadequate",
            " N/A ",
        ];
        assert_eq!(template.domains().len(), scores.len());
        assert_eq!(template.domains()[8].key.as_str(), "family_feedback");
        let audit = untidy(&template, &scores, "Requires improvement")
            .parse(&template)
            .unwrap();
        assert_eq!(audit.domains()[8].score, Score::NotApplicable);
        assert_eq!(audit.actions().len(), 2);
        assert_eq!(audit.themes().len(), 2);
        round_trips(&template, &audit);

        let canonical = audit.to_new();
        assert_eq!(canonical.date, "2026-03-09");
        assert_eq!(canonical.team, "Assessment 1");
        assert_eq!(canonical.case_type, "in_care");
        assert_eq!(canonical.auditor, "auditor.a");
        let scores: Vec<_> = canonical.domains.iter().map(|d| d.score.as_str()).collect();
        assert_eq!(
            scores,
            [
                "outstanding",
                "good",
                "requires_improvement",
                "inadequate",
                "requires_improvement",
                "requires_improvement",
                "good",
                "inadequate",
                "n/a"
            ]
        );
        assert_eq!(canonical.overall, "requires_improvement");
        assert_eq!(
            canonical.domains[0].narrative,
            "Evidence for History and chronology"
        );
        assert_eq!(
            canonical.actions,
            [
                NewAction {
                    description: "Update the chronology".into(),
                    owner: "manager".into(),
                    due: "2026-04-10".into(),
                },
                NewAction {
                    description: "Visit with the child's sister".into(),
                    owner: "worker".into(),
                    due: "2026-03-09".into(),
                },
            ]
        );
        assert_eq!(canonical.child_feedback, "I like my worker");
        assert_eq!(canonical.themes, ["drift", "voice-of-the-child"]);

        // No actions, feedback or themes: blank, and still the same audit.
        let mut bare = filled(&template, "outstanding");
        bare.actions.clear();
        let bare = bare.parse(&template).unwrap();
        assert_eq!(bare.to_new().child_feedback, "");
        round_trips(&template, &bare);
    }

    #[test]
    fn an_audit_round_trips_through_its_canonical_draft_on_numbers() {
        let template = signs_of_safety();
        let na_allowed: Vec<_> = template
            .domains()
            .iter()
            .map(|d| d.not_applicable_allowed)
            .collect();
        assert!(na_allowed.contains(&true), "the test covers not applicable");
        // Every number on the scale, at each position in turn.
        for start in 0..=10u32 {
            let scores: Vec<String> = template
                .domains()
                .iter()
                .enumerate()
                .map(|(i, d)| match (i, d.not_applicable_allowed) {
                    (_, true) if start % 2 == 0 => "n/a".to_string(),
                    _ => format!(" {} ", (start + i as u32) % 11),
                })
                .collect();
            let scores: Vec<&str> = scores.iter().map(String::as_str).collect();
            let overall = (10 - start).to_string();
            let audit = untidy(&template, &scores, &overall)
                .parse(&template)
                .unwrap();
            round_trips(&template, &audit);
            let canonical = audit.to_new();
            assert_eq!(canonical.overall, overall);
            assert_eq!(canonical.domains[0].score, start.to_string());
        }
    }

    #[test]
    fn a_blank_form_for_a_template_lists_its_domains() {
        let template = quality();
        let blank = NewAudit::for_template(&template);
        assert_eq!(blank.domains.len(), 9);
        assert_eq!(blank.domains[3].domain, "voice_of_the_child");
        let errors = blank.parse(&template).unwrap_err();
        // Case details, auditor, date, 9 scores, overall, worked well, must change.
        assert_eq!(errors.len(), 5 + 1 + 9 + 3);
    }
}
