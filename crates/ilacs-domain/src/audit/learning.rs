//! Learning actions: what an LA does because its audits found something (a training
//! session, a practice standard, a supervision focus...), linked to the audits and
//! themes that raised it and, once done, to the later audits that show whether practice
//! changed (DOMAIN.md "Case audits": themes feed training, then re-audit).
//!
//! The kinds are data (`data/audit/learning.toml`, [`LearningKinds::bundled`]). A form
//! posts a [`NewLearningAction`]; [`NewLearningAction::parse`] checks it against the
//! LA's audits and themes ([`AuditIndex`]) and reports every problem at once.

use super::ids::ThemeKey;
use super::record::{parse_date, uk_date, FieldErrors, Problems};
use super::template::{invalid, AuditDataError};
use super::Audit;
use crate::self_evaluation::AuditRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// The longest owner accepted, in characters.
pub const MAX_OWNER_CHARS: usize = 100;

/// One kind of learning action, as `data/audit/learning.toml` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningKind {
    /// Stored with each action: stable once used.
    pub key: String,
    pub label: String,
    pub hint: String,
}

/// The kinds an LA chooses from, in the order forms offer them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningKinds(Vec<LearningKind>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindsFile {
    kind: Vec<KindEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindEntry {
    key: String,
    label: String,
    hint: String,
}

/// Lower-case ASCII letters, digits and underscores, starting with a letter.
fn is_kind_key(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl LearningKinds {
    pub fn parse_toml(file: &str, text: &str) -> Result<LearningKinds, AuditDataError> {
        let raw: KindsFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        if raw.kind.is_empty() {
            return Err(invalid(file, "there are no kinds of learning action"));
        }
        let mut kinds: Vec<LearningKind> = Vec::new();
        for entry in raw.kind {
            if !is_kind_key(&entry.key) {
                return Err(invalid(
                    file,
                    format!(
                        "'{}' is not a kind key: use lower-case letters, digits and underscores",
                        entry.key
                    ),
                ));
            }
            if kinds.iter().any(|k| k.key == entry.key) {
                return Err(invalid(
                    file,
                    format!("the kind '{}' is repeated", entry.key),
                ));
            }
            if entry.label.trim().is_empty() {
                return Err(invalid(
                    file,
                    format!("the kind '{}' has no label", entry.key),
                ));
            }
            kinds.push(LearningKind {
                key: entry.key,
                label: entry.label.trim().to_string(),
                hint: entry.hint.trim().to_string(),
            });
        }
        Ok(LearningKinds(kinds))
    }

    /// The kinds as shipped in `data/audit/learning.toml`.
    pub fn bundled() -> LearningKinds {
        LearningKinds::parse_toml(
            "learning.toml",
            include_str!("../../../../data/audit/learning.toml"),
        )
        .expect("bundled learning kinds are valid (tested)")
    }

    pub fn all(&self) -> &[LearningKind] {
        &self.0
    }

    pub fn get(&self, key: &str) -> Option<&LearningKind> {
        self.0.iter().find(|k| k.key == key)
    }

    /// A kind by its key or its label, ignoring case.
    pub fn find(&self, input: &str) -> Option<&LearningKind> {
        let wanted = input.trim();
        self.0
            .iter()
            .find(|k| k.key == wanted || k.label.eq_ignore_ascii_case(wanted))
    }

    /// A kind's label, or its key if the kind is no longer offered.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map(|k| k.label.as_str()).unwrap_or(key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl LearningStatus {
    pub const ALL: [LearningStatus; 4] = [
        LearningStatus::Planned,
        LearningStatus::InProgress,
        LearningStatus::Done,
        LearningStatus::Dropped,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LearningStatus::Planned => "planned",
            LearningStatus::InProgress => "in_progress",
            LearningStatus::Done => "done",
            LearningStatus::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LearningStatus::Planned => "Planned",
            LearningStatus::InProgress => "In progress",
            LearningStatus::Done => "Done",
            LearningStatus::Dropped => "Dropped",
        }
    }

    /// A key or a label, ignoring case, spaces, hyphens and underscores.
    pub fn parse(input: &str) -> Option<LearningStatus> {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = squash(input);
        LearningStatus::ALL
            .into_iter()
            .find(|s| squash(s.key()) == wanted)
    }

    /// Planned or in progress: the action is still owed.
    pub fn is_open(self) -> bool {
        matches!(self, LearningStatus::Planned | LearningStatus::InProgress)
    }
}

impl fmt::Display for LearningStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a list shows beside an action that needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningFlag {
    /// Still open after its due date.
    Overdue,
    /// Done, but no later audit is cited to show whether practice changed.
    ImpactNotYetShown,
}

impl LearningFlag {
    pub fn label(self) -> &'static str {
        match self {
            LearningFlag::Overdue => "Overdue",
            LearningFlag::ImpactNotYetShown => "Impact not yet shown",
        }
    }
}

/// The LA's audits as a learning action may cite them: each audit's date, and every
/// theme its audits are tagged with (the themes the audits domain knows for the LA).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditIndex {
    dates: BTreeMap<AuditRef, NaiveDate>,
    themes: BTreeSet<ThemeKey>,
}

impl AuditIndex {
    pub fn add(&mut self, id: AuditRef, audit: &Audit) {
        self.dates.insert(id, audit.date());
        self.themes.extend(audit.themes().iter().cloned());
    }

    pub fn date(&self, id: AuditRef) -> Option<NaiveDate> {
        self.dates.get(&id).copied()
    }

    pub fn themes(&self) -> &BTreeSet<ThemeKey> {
        &self.themes
    }
}

/// A checked learning action. Built only by [`NewLearningAction::parse`] (or read back
/// from storage): it is raised by at least one of the LA's audits or themes, its impact
/// audits are later than the audits that raised it, and only a done action has a date
/// done and evidence of impact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningAction {
    title: String,
    kind: String,
    description: String,
    owner: String,
    due: NaiveDate,
    status: LearningStatus,
    done_on: Option<NaiveDate>,
    raised_by_audits: BTreeSet<AuditRef>,
    raised_by_themes: BTreeSet<ThemeKey>,
    impact_audits: BTreeSet<AuditRef>,
    impact_note: Option<String>,
}

impl LearningAction {
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The kind's key (see [`LearningKinds::label`]).
    pub fn kind(&self) -> &str {
        &self.kind
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn owner(&self) -> &str {
        &self.owner
    }
    pub fn due(&self) -> NaiveDate {
        self.due
    }
    pub fn status(&self) -> LearningStatus {
        self.status
    }
    pub fn done_on(&self) -> Option<NaiveDate> {
        self.done_on
    }
    pub fn raised_by_audits(&self) -> &BTreeSet<AuditRef> {
        &self.raised_by_audits
    }
    pub fn raised_by_themes(&self) -> &BTreeSet<ThemeKey> {
        &self.raised_by_themes
    }
    pub fn impact_audits(&self) -> &BTreeSet<AuditRef> {
        &self.impact_audits
    }
    pub fn impact_note(&self) -> Option<&str> {
        self.impact_note.as_deref()
    }

    /// Every audit it cites, raising or showing impact.
    pub fn cited_audits(&self) -> impl Iterator<Item = AuditRef> + '_ {
        self.raised_by_audits
            .iter()
            .chain(self.impact_audits.iter())
            .copied()
    }

    pub fn cites(&self, audit: AuditRef) -> bool {
        self.raised_by_audits.contains(&audit) || self.impact_audits.contains(&audit)
    }

    /// Still open after its due day; due today is not yet overdue.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due < today
    }

    /// Done, with no later audit cited to show whether practice changed.
    pub fn impact_not_yet_shown(&self) -> bool {
        self.status == LearningStatus::Done && self.impact_audits.is_empty()
    }

    pub fn flags(&self, today: NaiveDate) -> Vec<LearningFlag> {
        let mut flags = Vec::new();
        if self.is_overdue(today) {
            flags.push(LearningFlag::Overdue);
        }
        if self.impact_not_yet_shown() {
            flags.push(LearningFlag::ImpactNotYetShown);
        }
        flags
    }

    /// The form that parses back to this action, dates as a form shows them
    /// (`dd/mm/yyyy`), audit numbers and themes as typed lists.
    pub fn to_new(&self) -> NewLearningAction {
        let form_date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        let numbers = |ids: &BTreeSet<AuditRef>| {
            ids.iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        NewLearningAction {
            title: self.title.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            owner: self.owner.clone(),
            due: form_date(self.due),
            status: self.status.key().to_string(),
            done_on: self.done_on.map(form_date).unwrap_or_default(),
            audits: numbers(&self.raised_by_audits),
            themes: self
                .raised_by_themes
                .iter()
                .map(|t| t.to_string())
                .collect(),
            impact_audits: numbers(&self.impact_audits),
            impact_note: self.impact_note.clone().unwrap_or_default(),
        }
    }
}

/// A learning action as a form posts it, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewLearningAction {
    pub title: String,
    /// A kind's key or label.
    pub kind: String,
    /// What will change in practice.
    pub description: String,
    /// A post or a name.
    pub owner: String,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    pub due: String,
    pub status: String,
    /// When it was done: only for a done action.
    pub done_on: String,
    /// The numbers of the audits that raised it, separated by commas or spaces.
    pub audits: String,
    /// The themes that raised it, one per entry.
    pub themes: Vec<String>,
    /// The numbers of later audits that show its impact: only for a done action.
    pub impact_audits: String,
    pub impact_note: String,
}

/// The audit numbers in a list typed as `12, 15 #17`: each problem is recorded against
/// `field`, and only the LA's audits are kept.
fn audit_numbers(
    problems: &mut Problems,
    field: &str,
    input: &str,
    index: &AuditIndex,
) -> BTreeSet<AuditRef> {
    let mut ids = BTreeSet::new();
    for token in input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match AuditRef::parse(token) {
            Err(_) => problems.add(
                field,
                format!("'{token}' is not an audit number: use numbers such as 12, 15"),
            ),
            Ok(id) if index.date(id).is_none() => problems.add(
                field,
                format!("There is no audit {id} among this local authority's audits"),
            ),
            Ok(id) => {
                ids.insert(id);
            }
        }
    }
    ids
}

fn text(input: &str) -> Option<String> {
    let s = input.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl NewLearningAction {
    /// Checks the form against the kinds, the LA's audits and themes and today's date,
    /// and returns the action or every problem at once, each with its field.
    pub fn parse(
        &self,
        kinds: &LearningKinds,
        index: &AuditIndex,
        today: NaiveDate,
    ) -> Result<LearningAction, FieldErrors> {
        let mut problems = Problems::default();

        let title = text(&self.title);
        match &title {
            None => problems.add("title", "Enter a title"),
            Some(t) if t.chars().count() > MAX_TITLE_CHARS => problems.add(
                "title",
                format!("The title must be {MAX_TITLE_CHARS} characters or fewer"),
            ),
            Some(_) => {}
        }
        let kind = kinds.find(&self.kind).map(|k| k.key.clone());
        if kind.is_none() {
            let labels: Vec<String> = kinds.all().iter().map(|k| k.label.to_lowercase()).collect();
            problems.add(
                "kind",
                format!("Choose the kind of action: {}", labels.join(", ")),
            );
        }
        let description = text(&self.description);
        if description.is_none() {
            problems.add("description", "Describe what will change in practice");
        }
        let owner = text(&self.owner).map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "));
        match &owner {
            None => problems.add("owner", "Enter who owns the action: a post or a name"),
            Some(o) if o.chars().count() > MAX_OWNER_CHARS => problems.add(
                "owner",
                format!("The owner must be {MAX_OWNER_CHARS} characters or fewer"),
            ),
            Some(_) => {}
        }
        let due = parse_date(&self.due);
        if due.is_none() {
            problems.add(
                "due",
                if self.due.trim().is_empty() {
                    "Enter the date the action is due".to_string()
                } else {
                    "The due date must be a real date, such as 31/03/2027".to_string()
                },
            );
        }
        let status = LearningStatus::parse(&self.status);
        if status.is_none() {
            problems.add(
                "status",
                "Choose the status: planned, in progress, done or dropped",
            );
        }
        let done = status == Some(LearningStatus::Done);
        let done_on = match (text(&self.done_on), done) {
            (None, true) => {
                problems.add("done_on", "Enter the date the action was done");
                None
            }
            (None, false) => None,
            (Some(_), false) if status.is_some() => {
                problems.add(
                    "done_on",
                    "Only a done action has a date done: choose Done, or clear the date",
                );
                None
            }
            (Some(raw), _) => match parse_date(&raw) {
                None => {
                    problems.add(
                        "done_on",
                        "The date done must be a real date, such as 14/11/2026",
                    );
                    None
                }
                Some(d) if d > today => {
                    problems.add(
                        "done_on",
                        format!(
                            "The date done must be today ({}) or earlier",
                            uk_date(today)
                        ),
                    );
                    None
                }
                Some(d) => Some(d),
            },
        };

        let raised_by_audits = audit_numbers(&mut problems, "audits", &self.audits, index);
        let mut raised_by_themes = BTreeSet::new();
        let mut theme_problem = false;
        for raw in self.themes.iter().filter(|t| !t.trim().is_empty()) {
            match ThemeKey::parse(raw) {
                Err(e) => {
                    theme_problem = true;
                    problems.add("themes", e.to_string());
                }
                Ok(theme) if !index.themes().contains(&theme) => {
                    theme_problem = true;
                    problems.add(
                        "themes",
                        format!(
                            "No audit of this local authority is tagged '{}': choose one of its audits' themes",
                            raw.trim()
                        ),
                    );
                }
                Ok(theme) => {
                    raised_by_themes.insert(theme);
                }
            }
        }
        let audits_typed = self.audits.split([',', ' ']).any(|t| !t.trim().is_empty());
        if !audits_typed && !theme_problem && raised_by_themes.is_empty() {
            problems.add(
                "audits",
                "Enter the audits or choose the themes that raised this action: at least one",
            );
        }

        let impact_audits =
            audit_numbers(&mut problems, "impact_audits", &self.impact_audits, index);
        let impact_note = text(&self.impact_note);
        if status.is_some() && !done {
            if !self.impact_audits.trim().is_empty() {
                problems.add(
                    "impact_audits",
                    "Only a done action has audits that show its impact: choose Done, or clear them",
                );
            }
            if impact_note.is_some() {
                problems.add(
                    "impact_note",
                    "Only a done action has a note of its impact: choose Done, or clear it",
                );
            }
        }
        // Impact shows in audits after the ones that found the problem.
        if let Some(latest) = raised_by_audits.iter().filter_map(|a| index.date(*a)).max() {
            for id in &impact_audits {
                let date = index.date(*id).expect("kept only if indexed");
                if date <= latest {
                    problems.add(
                        "impact_audits",
                        format!(
                            "Audit {id} ({}) cannot show impact: it is not later than the audits that raised this action (the latest on {})",
                            uk_date(date),
                            uk_date(latest)
                        ),
                    );
                }
            }
        }

        match (title, kind, description, owner, due, status) {
            (Some(title), Some(kind), Some(description), Some(owner), Some(due), Some(status))
                if problems.0.is_empty() =>
            {
                Ok(LearningAction {
                    title,
                    kind,
                    description,
                    owner,
                    due,
                    status,
                    done_on,
                    raised_by_audits,
                    raised_by_themes,
                    impact_audits,
                    impact_note: if done { impact_note } else { None },
                })
            }
            _ => Err(FieldErrors::new(problems.0)),
        }
    }
}

/// An LA's actions that need attention today, in the order given.
pub fn flagged_actions(
    actions: &[LearningAction],
    today: NaiveDate,
) -> Vec<(&LearningAction, Vec<LearningFlag>)> {
    actions
        .iter()
        .map(|a| (a, a.flags(today)))
        .filter(|(_, flags)| !flags.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{d, filled, quality};

    fn id(n: i64) -> AuditRef {
        AuditRef::new(n).unwrap()
    }

    const TODAY: &str = "2026-11-23";

    /// Audits 1 and 2 in March (1 tagged supervision), 3 in September (tagged
    /// voice of the child).
    fn index() -> AuditIndex {
        let template = quality();
        let mut index = AuditIndex::default();
        for (n, date, theme) in [
            (1, "01/03/2026", Some("Supervision")),
            (2, "10/03/2026", None),
            (3, "15/09/2026", Some("Voice of the child")),
        ] {
            let mut draft = filled(&template, "good");
            draft.date = date.into();
            draft.actions.clear();
            draft.themes = theme.map(|t| vec![t.to_string()]).unwrap_or_default();
            index.add(id(n), &draft.parse(&template).unwrap());
        }
        index
    }

    fn form() -> NewLearningAction {
        NewLearningAction {
            title: " Supervision that records decisions ".into(),
            kind: "Training session".into(),
            description: "Managers record the decision and its reason in every supervision.".into(),
            owner: "  Head of   service ".into(),
            due: "31/12/2026".into(),
            status: "in progress".into(),
            audits: "1, #2".into(),
            themes: vec!["supervision".into(), " ".into()],
            ..NewLearningAction::default()
        }
    }

    fn parse(form: &NewLearningAction) -> Result<LearningAction, FieldErrors> {
        form.parse(&LearningKinds::bundled(), &index(), d(TODAY))
    }

    #[test]
    fn bundled_kinds_are_the_five_the_issue_names() {
        let kinds = LearningKinds::bundled();
        let keys: Vec<_> = kinds.all().iter().map(|k| k.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "training",
                "practice_standard",
                "practice_guidance",
                "supervision_focus",
                "briefing"
            ]
        );
        assert_eq!(
            kinds.find("practice STANDARD").unwrap().key,
            "practice_standard"
        );
        assert_eq!(kinds.label("gone"), "gone");
        let text = include_str!("../../../../data/audit/learning.toml");
        let err = |from: &str, to: &str| {
            LearningKinds::parse_toml("learning.toml", &text.replacen(from, to, 1))
                .unwrap_err()
                .to_string()
        };
        assert!(err("key = \"briefing\"", "key = \"training\"").contains("repeated"));
        assert!(err("key = \"briefing\"", "key = \"Brief ing\"").contains("not a kind key"));
        assert!(err("label = \"Briefing\"", "label = \" \"").contains("no label"));
        assert!(LearningKinds::parse_toml("x", "kind = []").is_err());
    }

    #[test]
    fn a_good_form_is_tidied_into_an_action() {
        let action = parse(&form()).unwrap();
        assert_eq!(action.title(), "Supervision that records decisions");
        assert_eq!(action.kind(), "training");
        assert_eq!(action.owner(), "Head of service");
        assert_eq!(action.due(), d("2026-12-31"));
        assert_eq!(action.status(), LearningStatus::InProgress);
        assert_eq!(action.raised_by_audits().len(), 2);
        assert_eq!(
            action.raised_by_themes().iter().next().unwrap().as_str(),
            "supervision"
        );
        assert!(action.cites(id(2)));
        assert!(!action.cites(id(3)));
        assert!(action.flags(d(TODAY)).is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let bad = NewLearningAction {
            title: " ".into(),
            kind: "away day".into(),
            description: "".into(),
            owner: "".into(),
            due: "31/13/2026".into(),
            status: "finished".into(),
            audits: "1, x, 99".into(),
            themes: vec!["neglect".into()],
            ..NewLearningAction::default()
        };
        let errors = parse(&bad).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("title", "Enter a title"),
                ("kind", "Choose the kind of action: training session, practice standard, practice guidance, supervision focus, briefing"),
                ("description", "Describe what will change in practice"),
                ("owner", "Enter who owns the action: a post or a name"),
                ("due", "The due date must be a real date, such as 31/03/2027"),
                ("status", "Choose the status: planned, in progress, done or dropped"),
                ("audits", "'x' is not an audit number: use numbers such as 12, 15"),
                ("audits", "There is no audit 99 among this local authority's audits"),
                ("themes", "No audit of this local authority is tagged 'neglect': choose one of its audits' themes"),
            ]
        );
    }

    #[test]
    fn an_action_is_raised_by_audits_or_themes() {
        let mut f = form();
        f.audits = " , ".into();
        f.themes.clear();
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors
            .get("audits")
            .unwrap()
            .message
            .contains("at least one"));
        f.themes = vec!["Voice of the Child".into()];
        assert!(parse(&f).is_ok(), "a theme alone is enough");
        f.themes.clear();
        f.audits = "3".into();
        assert!(parse(&f).is_ok(), "an audit alone is enough");
    }

    #[test]
    fn done_needs_a_date_and_only_done_has_impact() {
        let mut f = form();
        f.status = "done".into();
        let errors = parse(&f).unwrap_err();
        assert_eq!(
            errors.get("done_on").unwrap().message,
            "Enter the date the action was done"
        );
        f.done_on = "24/11/2026".into();
        assert_eq!(
            parse(&f).unwrap_err().get("done_on").unwrap().message,
            "The date done must be today (23 November 2026) or earlier"
        );
        f.done_on = "2026-06-30".into();
        let done = parse(&f).unwrap();
        assert_eq!(done.flags(d(TODAY)), [LearningFlag::ImpactNotYetShown]);

        f.status = "in_progress".into();
        f.impact_audits = "3".into();
        f.impact_note = "Better".into();
        let errors = parse(&f).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["done_on", "impact_audits", "impact_note"]);
    }

    #[test]
    fn impact_audits_come_after_the_audits_that_raised_the_action() {
        let mut f = form();
        f.status = "Done".into();
        f.done_on = "30/06/2026".into();
        f.impact_audits = "2, 3".into();
        f.impact_note = "Decisions recorded in 9 of 10 supervisions.".into();
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.get("impact_audits").unwrap().message,
            "Audit 2 (10 March 2026) cannot show impact: it is not later than the audits that raised this action (the latest on 10 March 2026)"
        );
        f.impact_audits = "3".into();
        let action = parse(&f).unwrap();
        assert!(!action.impact_not_yet_shown());
        assert_eq!(
            action.impact_note(),
            Some("Decisions recorded in 9 of 10 supervisions.")
        );
        assert_eq!(
            action.cited_audits().collect::<Vec<_>>(),
            [id(1), id(2), id(3)]
        );
    }

    #[test]
    fn overdue_means_open_after_the_due_day() {
        let mut f = form();
        f.due = "23/11/2026".into();
        assert!(!parse(&f).unwrap().is_overdue(d(TODAY)), "due today");
        f.due = "22/11/2026".into();
        let late = parse(&f).unwrap();
        assert_eq!(late.flags(d(TODAY)), [LearningFlag::Overdue]);
        f.status = "dropped".into();
        assert!(parse(&f).unwrap().flags(d(TODAY)).is_empty());
        let actions = [late, parse(&form()).unwrap()];
        assert_eq!(flagged_actions(&actions, d(TODAY)).len(), 1);
    }

    #[test]
    fn an_action_round_trips_through_its_form() {
        let mut f = form();
        f.status = "done".into();
        f.done_on = "1/7/2026".into();
        f.impact_audits = "3".into();
        f.impact_note = " Better ".into();
        let action = parse(&f).unwrap();
        let again = action.to_new();
        assert_eq!(again.due, "31/12/2026");
        assert_eq!(again.audits, "1, 2");
        assert_eq!(again.status, "done");
        assert_eq!(parse(&again), Ok(action));
    }

    #[test]
    fn statuses_parse_from_keys_and_labels() {
        for s in LearningStatus::ALL {
            assert_eq!(LearningStatus::parse(s.key()), Some(s));
            assert_eq!(LearningStatus::parse(s.label()), Some(s));
        }
        assert_eq!(LearningStatus::parse("nope"), None);
    }
}
