//! One LA's annual engagement meeting: planned, held, its agenda and notes, its
//! outcomes, and the letter to the DCS.

use super::rules::{AemRules, StandardItem};
use crate::authority::LaCode;
use crate::self_evaluation::FinancialYear;
use crate::user::Username;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where the meeting took place; seed 001 found regions varied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Venue {
    OfstedOffice,
    La,
    Online,
}

/// What the meeting covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remit {
    SocialCareOnly,
    WithEducationAndEarlyYears,
}

/// Ofsted's regional staff, most senior first (the order the consistency report uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfstedRole {
    RegionalDirector,
    SeniorHmi,
    Hmi,
}

/// Who an agreed step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOwner {
    Ofsted,
    La,
}

macro_rules! keyed {
    ($t:ident { $($v:ident => $key:literal, $label:literal;)* }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),*];
            pub fn key(self) -> &'static str {
                match self { $($t::$v => $key),* }
            }
            pub fn label(self) -> &'static str {
                match self { $($t::$v => $label),* }
            }
            pub fn parse_key(key: &str) -> Option<$t> {
                Self::ALL.iter().copied().find(|v| v.key() == key.trim())
            }
        }
    };
}

keyed!(Venue {
    OfstedOffice => "ofsted_office", "Ofsted office";
    La => "la", "the local authority";
    Online => "online", "online";
});
keyed!(Remit {
    SocialCareOnly => "social_care_only", "children's social care only";
    WithEducationAndEarlyYears => "with_education_and_early_years", "children's social care with education and early years";
});
keyed!(OfstedRole {
    RegionalDirector => "regional_director", "Regional director";
    SeniorHmi => "senior_hmi", "Senior HMI";
    Hmi => "hmi", "HMI";
});
keyed!(StepOwner {
    Ofsted => "ofsted", "Ofsted";
    La => "la", "The local authority";
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfstedAttendee {
    pub name: String,
    pub role: OfstedRole,
}

/// Chosen by the DCS, each with a clear purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaAttendee {
    pub name: String,
    pub post: String,
    pub purpose: String,
}

/// An agenda item: a standard one (with its key) or one added for this meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub standard: Option<String>,
    pub title: String,
    pub note: String,
}

impl From<&StandardItem> for AgendaItem {
    fn from(item: &StandardItem) -> Self {
        AgendaItem {
            standard: Some(item.key.clone()),
            title: item.title.clone(),
            note: String::new(),
        }
    }
}

/// The self-evaluation version in force at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SefLink {
    pub year: FinancialYear,
    pub version: u32,
}

/// The meeting as it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub date: NaiveDate,
    pub venue: Venue,
    pub minutes: u32,
    pub remit: Remit,
    pub ofsted: Vec<OfstedAttendee>,
    pub la: Vec<LaAttendee>,
}

/// The possible focus of a future focused visit: a theme key from
/// `data/framework/activities.toml`, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Focus {
    pub theme: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedStep {
    pub owner: StepOwner,
    pub text: String,
    /// When the step was seen to be done, if it has been.
    pub followed_up: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcomes {
    pub focus: Option<Focus>,
    /// Approximate, as agreed: "in spring 2027".
    pub next_self_evaluation: String,
    pub next_meeting: String,
    pub steps: Vec<AgreedStep>,
}

/// When a letter was issued, and by whom: once only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub on: NaiveDate,
    pub by: Username,
}

/// The letter to the DCS: drafted from the record, edited, issued once. Paragraphs are
/// separated by blank lines; a line starting `- ` is a list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub issued: Option<Issue>,
}

/// What a change to a meeting may run into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AemError {
    #[error("A planned meeting must be today or later: {date} is before {today}")]
    PlannedInPast { date: NaiveDate, today: NaiveDate },
    #[error("A meeting cannot be recorded as held on {date}, which is after today ({today})")]
    HeldInFuture { date: NaiveDate, today: NaiveDate },
    #[error("Record the meeting as held before its outcomes or letter")]
    NotHeld,
    #[error("Draft the letter before issuing it")]
    NoLetter,
    #[error(
        "The letter was already issued on {on} by {by}: it is issued once and cannot be changed"
    )]
    LetterAlreadyIssued { on: NaiveDate, by: Username },
}

/// One LA's annual engagement meeting. Changes go through methods that keep its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    la: LaCode,
    planned: NaiveDate,
    held: Option<Held>,
    agenda: Vec<AgendaItem>,
    sef: Option<SefLink>,
    outcomes: Option<Outcomes>,
    letter: Option<Letter>,
}

impl Meeting {
    /// A meeting planned for `date`, with the standard agenda.
    pub fn plan(
        la: LaCode,
        date: NaiveDate,
        today: NaiveDate,
        rules: &AemRules,
    ) -> Result<Meeting, AemError> {
        check_planned(date, today)?;
        Ok(Meeting {
            la,
            planned: date,
            held: None,
            agenda: rules.agenda().iter().map(AgendaItem::from).collect(),
            sef: None,
            outcomes: None,
            letter: None,
        })
    }

    pub fn la(&self) -> &LaCode {
        &self.la
    }
    pub fn planned(&self) -> NaiveDate {
        self.planned
    }
    pub fn held(&self) -> Option<&Held> {
        self.held.as_ref()
    }
    pub fn agenda(&self) -> &[AgendaItem] {
        &self.agenda
    }
    pub fn sef(&self) -> Option<&SefLink> {
        self.sef.as_ref()
    }
    pub fn outcomes(&self) -> Option<&Outcomes> {
        self.outcomes.as_ref()
    }
    pub fn letter(&self) -> Option<&Letter> {
        self.letter.as_ref()
    }

    /// The meeting's date: when it was held, else when it is planned.
    pub fn date(&self) -> NaiveDate {
        self.held.as_ref().map_or(self.planned, |h| h.date)
    }

    /// The calendar year the meeting belongs to (the CLI's `--year`).
    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.date().year()
    }

    pub fn is_issued(&self) -> bool {
        self.letter.as_ref().is_some_and(|l| l.issued.is_some())
    }

    fn not_issued(&self) -> Result<(), AemError> {
        match self.letter.as_ref().and_then(|l| l.issued.as_ref()) {
            Some(issue) => Err(AemError::LetterAlreadyIssued {
                on: issue.on,
                by: issue.by.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Moves a meeting not yet held to another date, today or later.
    pub fn reschedule(&mut self, date: NaiveDate, today: NaiveDate) -> Result<(), AemError> {
        check_planned(date, today)?;
        self.planned = date;
        Ok(())
    }

    /// Records how the meeting went; a record once the letter is issued stays as it was.
    pub fn record(&mut self, held: Held, today: NaiveDate) -> Result<(), AemError> {
        if held.date > today {
            return Err(AemError::HeldInFuture {
                date: held.date,
                today,
            });
        }
        self.not_issued()?;
        self.held = Some(held);
        Ok(())
    }

    pub fn set_agenda(&mut self, agenda: Vec<AgendaItem>) -> Result<(), AemError> {
        self.not_issued()?;
        self.agenda = agenda;
        Ok(())
    }

    pub fn link_self_evaluation(&mut self, sef: Option<SefLink>) -> Result<(), AemError> {
        self.not_issued()?;
        self.sef = sef;
        Ok(())
    }

    /// Sets the outcomes. After the letter is issued only follow-ups may change: the
    /// steps the letter names stay as agreed.
    pub fn set_outcomes(&mut self, outcomes: Outcomes) -> Result<(), AemError> {
        if self.held.is_none() {
            return Err(AemError::NotHeld);
        }
        if let (true, Some(current)) = (self.is_issued(), &self.outcomes) {
            let same = |a: &Outcomes, b: &Outcomes| {
                let strip = |o: &Outcomes| {
                    let mut o = o.clone();
                    o.steps.iter_mut().for_each(|s| s.followed_up = None);
                    o
                };
                strip(a) == strip(b)
            };
            if !same(current, &outcomes) {
                self.not_issued()?;
            }
        }
        self.outcomes = Some(outcomes);
        Ok(())
    }

    /// Writes or rewrites the letter's draft.
    pub fn draft_letter(&mut self, subject: String, text: String) -> Result<(), AemError> {
        if self.held.is_none() {
            return Err(AemError::NotHeld);
        }
        self.not_issued()?;
        self.letter = Some(Letter {
            subject,
            text,
            issued: None,
        });
        Ok(())
    }

    /// Issues the letter: once only.
    pub fn issue_letter(&mut self, on: NaiveDate, by: Username) -> Result<(), AemError> {
        self.not_issued()?;
        let letter = self.letter.as_mut().ok_or(AemError::NoLetter)?;
        letter.issued = Some(Issue { on, by });
        Ok(())
    }

    /// The letter is due within `rules.letter_due_months` of the meeting.
    pub fn letter_due(&self, rules: &AemRules) -> Option<NaiveDate> {
        let held = self.held.as_ref()?;
        held.date
            .checked_add_months(Months::new(rules.letter_due_months()))
    }

    /// Whether the letter is late: not issued by its due date (issued late counts too).
    pub fn letter_overdue(&self, rules: &AemRules, today: NaiveDate) -> bool {
        let Some(due) = self.letter_due(rules) else {
            return false;
        };
        match self.letter.as_ref().and_then(|l| l.issued.as_ref()) {
            Some(issue) => issue.on > due,
            None => today > due,
        }
    }
}

fn check_planned(date: NaiveDate, today: NaiveDate) -> Result<(), AemError> {
    if date < today {
        Err(AemError::PlannedInPast { date, today })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn today() -> NaiveDate {
        d("2026-11-23")
    }
    fn held(date: &str) -> Held {
        Held {
            date: d(date),
            venue: Venue::La,
            minutes: 180,
            remit: Remit::SocialCareOnly,
            ofsted: vec![
                OfstedAttendee {
                    name: "A Director".into(),
                    role: OfstedRole::RegionalDirector,
                },
                OfstedAttendee {
                    name: "B Senior".into(),
                    role: OfstedRole::SeniorHmi,
                },
            ],
            la: vec![],
        }
    }
    fn meeting() -> Meeting {
        Meeting::plan(
            LaCode::parse("878").unwrap(),
            today(),
            today(),
            &AemRules::bundled(),
        )
        .unwrap()
    }

    #[test]
    fn a_planned_date_in_the_past_is_refused() {
        let rules = AemRules::bundled();
        let la = LaCode::parse("878").unwrap();
        let err = Meeting::plan(la, d("2026-11-22"), today(), &rules).unwrap_err();
        assert_eq!(
            err,
            AemError::PlannedInPast {
                date: d("2026-11-22"),
                today: today()
            }
        );
        let mut m = meeting();
        assert!(m.reschedule(d("2025-01-01"), today()).is_err());
        m.reschedule(d("2027-01-12"), today()).unwrap();
        assert_eq!(m.planned(), d("2027-01-12"));
    }

    #[test]
    fn starts_with_the_eight_standard_items() {
        let m = meeting();
        assert_eq!(m.agenda().len(), 8);
        assert!(m.agenda().iter().all(|i| i.note.is_empty()));
    }

    #[test]
    fn a_letter_is_issued_once_and_then_fixed() {
        let mut m = meeting();
        assert_eq!(
            m.draft_letter("s".into(), "t".into()),
            Err(AemError::NotHeld)
        );
        m.record(held("2026-11-20"), today()).unwrap();
        assert_eq!(
            m.issue_letter(today(), Username::parse("hmi.sw").unwrap()),
            Err(AemError::NoLetter)
        );
        m.draft_letter("s".into(), "t".into()).unwrap();
        let by = Username::parse("hmi.sw").unwrap();
        m.issue_letter(today(), by.clone()).unwrap();
        assert!(m.is_issued());
        let again = m.issue_letter(today(), by.clone()).unwrap_err();
        assert_eq!(
            again,
            AemError::LetterAlreadyIssued {
                on: today(),
                by: by.clone()
            }
        );
        assert!(m.draft_letter("s".into(), "changed".into()).is_err());
        assert!(m.record(held("2026-11-19"), today()).is_err());
    }

    #[test]
    fn only_follow_ups_change_after_issue() {
        let mut m = meeting();
        m.record(held("2026-11-20"), today()).unwrap();
        let step = AgreedStep {
            owner: StepOwner::La,
            text: "Share the audit programme".into(),
            followed_up: None,
        };
        let outcomes = Outcomes {
            steps: vec![step],
            ..Outcomes::default()
        };
        m.set_outcomes(outcomes.clone()).unwrap();
        m.draft_letter("s".into(), "t".into()).unwrap();
        m.issue_letter(today(), Username::parse("hmi.sw").unwrap())
            .unwrap();
        let mut done = outcomes.clone();
        done.steps[0].followed_up = Some(today());
        m.set_outcomes(done).unwrap();
        let mut changed = outcomes;
        changed.steps[0].text = "Something else".into();
        assert!(matches!(
            m.set_outcomes(changed),
            Err(AemError::LetterAlreadyIssued { .. })
        ));
    }

    #[test]
    fn held_in_the_future_is_refused() {
        let mut m = meeting();
        assert!(matches!(
            m.record(held("2026-11-24"), today()),
            Err(AemError::HeldInFuture { .. })
        ));
    }

    #[test]
    fn the_letter_is_due_within_a_month() {
        let rules = AemRules::bundled();
        let mut m = meeting();
        assert_eq!(m.letter_due(&rules), None);
        assert!(!m.letter_overdue(&rules, today()));
        m.record(held("2026-10-20"), today()).unwrap();
        assert_eq!(m.letter_due(&rules), Some(d("2026-11-20")));
        assert!(m.letter_overdue(&rules, today()));
        assert!(!m.letter_overdue(&rules, d("2026-11-20")));
        m.draft_letter("s".into(), "t".into()).unwrap();
        m.issue_letter(d("2026-11-10"), Username::parse("hmi.sw").unwrap())
            .unwrap();
        assert!(!m.letter_overdue(&rules, today()));
    }

    #[test]
    fn keys_round_trip() {
        for v in Venue::ALL {
            assert_eq!(Venue::parse_key(v.key()), Some(*v));
        }
        for r in OfstedRole::ALL {
            assert_eq!(OfstedRole::parse_key(r.key()), Some(*r));
        }
        assert_eq!(Remit::parse_key("nope"), None);
    }
}
