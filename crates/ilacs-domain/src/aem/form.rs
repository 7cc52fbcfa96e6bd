//! What the meeting's web forms post, every field as text, parsed with every problem
//! reported at once against its field (as the audit and self-evaluation forms are).

use super::meeting::{
    AgendaItem, AgreedStep, Focus, Held, LaAttendee, OfstedAttendee, OfstedRole, Outcomes, Remit,
    SefLink, StepOwner, Venue,
};
use super::rules::AemRules;
use crate::audit::parse_date;
use crate::framework::Theme;
use crate::self_evaluation::{FinancialYear, FormErrors, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest note, reason or step; a letter may be longer.
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_LETTER_CHARS: usize = 30_000;
/// A meeting is usually an afternoon; a day is the most that makes sense.
pub const MAX_MINUTES: u32 = 8 * 60;

fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps line breaks (notes and letters have paragraphs); trims each line's end.
fn text_block(input: &str) -> String {
    input
        .trim()
        .replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn long_text(problems: &mut Problems, field: &str, what: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        problems.add(field, format!("{what} must be {max} characters or fewer"));
    }
}

fn required_date(
    problems: &mut Problems,
    field: &str,
    what: &str,
    input: &str,
) -> Option<NaiveDate> {
    if input.trim().is_empty() {
        problems.add(field, format!("Enter {what}"));
        return None;
    }
    let date = parse_date(input);
    if date.is_none() {
        problems.add(
            field,
            format!(
                "{} must be a real date, such as 23/11/2026",
                capitalise(what)
            ),
        );
    }
    date
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Planning or moving a meeting: its date, today or later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPlan {
    pub date: String,
}

impl NewPlan {
    pub fn parse(&self, today: NaiveDate) -> Result<NaiveDate, FormErrors> {
        let mut problems = Problems::default();
        let date = required_date(&mut problems, "date", "the date of the meeting", &self.date);
        if let Some(d) = date.filter(|d| *d < today) {
            problems.add(
                "date",
                format!(
                    "The date of the meeting must be today or in the future: {} has passed",
                    d.format("%-d %B %Y")
                ),
            );
        }
        problems.finish(date)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewOfstedAttendee {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewLaAttendee {
    pub name: String,
    pub post: String,
    pub purpose: String,
}

/// Recording the meeting as held. Blank attendee rows are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewRecord {
    pub date: String,
    pub venue: String,
    pub minutes: String,
    pub remit: String,
    pub ofsted: Vec<NewOfstedAttendee>,
    pub la: Vec<NewLaAttendee>,
}

impl NewRecord {
    pub fn parse(&self, today: NaiveDate, rules: &AemRules) -> Result<Held, FormErrors> {
        let mut p = Problems::default();
        let date = required_date(&mut p, "date", "the date the meeting was held", &self.date);
        if let Some(d) = date.filter(|d| *d > today) {
            p.add(
                "date",
                format!(
                    "The date the meeting was held must be today or in the past: {} is in the future",
                    d.format("%-d %B %Y")
                ),
            );
        }
        let venue = Venue::parse_key(&self.venue);
        if venue.is_none() {
            p.add("venue", "Choose where the meeting took place");
        }
        let minutes = match self.minutes.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_MINUTES).contains(&m) => Some(m),
            _ if self.minutes.trim().is_empty() => {
                p.add("minutes", "Enter how long the meeting lasted, in minutes");
                None
            }
            _ => {
                p.add(
                    "minutes",
                    format!(
                        "Enter the length as a whole number of minutes, from 1 to {MAX_MINUTES}"
                    ),
                );
                None
            }
        };
        let remit = Remit::parse_key(&self.remit);
        if remit.is_none() {
            p.add("remit", "Choose what the meeting covered");
        }
        let mut ofsted = Vec::new();
        for (i, row) in self.ofsted.iter().enumerate() {
            let (name, role) = (tidy(&row.name), row.role.trim());
            if name.is_empty() && role.is_empty() {
                continue;
            }
            if name.is_empty() {
                p.add(format!("ofsted.{i}.name"), "Enter the attendee's name");
            }
            match OfstedRole::parse_key(role) {
                Some(role) if !name.is_empty() => ofsted.push(OfstedAttendee { name, role }),
                Some(_) => {}
                None => p.add(format!("ofsted.{i}.role"), "Choose the attendee's role"),
            }
        }
        let min = rules.min_ofsted_attendees();
        if ofsted.len() < min
            && !self
                .ofsted
                .iter()
                .any(|r| !r.name.trim().is_empty() && OfstedRole::parse_key(&r.role).is_none())
        {
            p.add(
                "ofsted.0.name",
                format!("Enter at least {min} Ofsted attendees: Ofsted attends with at least {min} senior regional staff"),
            );
        }
        let mut la = Vec::new();
        for (i, row) in self.la.iter().enumerate() {
            let (name, post, purpose) = (tidy(&row.name), tidy(&row.post), tidy(&row.purpose));
            if name.is_empty() && post.is_empty() && purpose.is_empty() {
                continue;
            }
            let mut complete = true;
            for (field, value, message) in [
                ("name", &name, "Enter the attendee's name"),
                (
                    "post",
                    &post,
                    "Enter the attendee's post, such as Principal social worker",
                ),
                (
                    "purpose",
                    &purpose,
                    "Enter why the attendee is coming, as the DCS decided",
                ),
            ] {
                if value.is_empty() {
                    p.add(format!("la.{i}.{field}"), message);
                    complete = false;
                }
            }
            if complete {
                la.push(LaAttendee {
                    name,
                    post,
                    purpose,
                });
            }
        }
        if la.is_empty() && !self.la.iter().any(|r| !tidy(&r.name).is_empty()) {
            p.add(
                "la.0.name",
                "Enter at least one attendee for the local authority",
            );
        }
        let held = match (date, venue, minutes, remit) {
            (Some(date), Some(venue), Some(minutes), Some(remit)) => Some(Held {
                date,
                venue,
                minutes,
                remit,
                ofsted,
                la,
            }),
            _ => None,
        };
        p.finish(held)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAgendaItem {
    /// The standard item's key, kept from the form so the item stays recognised.
    pub standard: String,
    pub title: String,
    pub note: String,
}

/// The agenda with its notes, and the self-evaluation in force. An item with a blank
/// title is removed; a new one added in a spare row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAgenda {
    pub items: Vec<NewAgendaItem>,
    /// `2026-27` or blank for none.
    pub sef_year: String,
    pub sef_version: String,
}

impl NewAgenda {
    pub fn parse(
        &self,
        rules: &AemRules,
    ) -> Result<(Vec<AgendaItem>, Option<SefLink>), FormErrors> {
        let mut p = Problems::default();
        let mut items = Vec::new();
        for (i, row) in self.items.iter().enumerate() {
            let title = tidy(&row.title);
            let note = text_block(&row.note);
            if title.is_empty() {
                if !note.is_empty() {
                    p.add(
                        format!("items.{i}.title"),
                        "Enter the item's title, or remove its note",
                    );
                }
                continue;
            }
            long_text(
                &mut p,
                &format!("items.{i}.note"),
                "The note",
                &note,
                MAX_TEXT_CHARS,
            );
            let standard = rules
                .agenda()
                .iter()
                .find(|s| s.key == row.standard.trim())
                .map(|s| s.key.clone());
            items.push(AgendaItem {
                standard,
                title,
                note,
            });
        }
        if items.is_empty() {
            p.add("items.0.title", "Keep at least one item on the agenda");
        }
        let (year, version) = (self.sef_year.trim(), self.sef_version.trim());
        let sef = match (year.is_empty(), version.is_empty()) {
            (true, true) => Some(None),
            _ => {
                let year = p.take("sef_year".into(), FinancialYear::parse(year));
                let version = match version.parse::<u32>() {
                    Ok(v) if v >= 1 => Some(v),
                    _ => {
                        p.add("sef_version", "Enter the version number, such as 2");
                        None
                    }
                };
                year.zip(version)
                    .map(|(year, version)| Some(SefLink { year, version }))
            }
        };
        p.finish(sef.map(|sef| (items, sef)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewStep {
    pub owner: String,
    pub text: String,
    /// `dd/mm/yyyy`, blank until followed up.
    pub followed_up: String,
}

/// The outcomes. Blank step rows are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewOutcomes {
    /// A focused-visit theme key, or blank for none.
    pub focus_theme: String,
    pub focus_reason: String,
    pub next_self_evaluation: String,
    pub next_meeting: String,
    pub steps: Vec<NewStep>,
}

impl NewOutcomes {
    pub fn parse(&self, themes: &[Theme]) -> Result<Outcomes, FormErrors> {
        let mut p = Problems::default();
        let theme = self.focus_theme.trim();
        let reason = text_block(&self.focus_reason);
        let focus = if theme.is_empty() {
            if !reason.is_empty() {
                p.add(
                    "focus_theme",
                    "Choose the possible focus, or remove the reason",
                );
            }
            None
        } else if !themes.iter().any(|t| t.key == theme) {
            p.add("focus_theme", "Choose one of the focused visit themes");
            None
        } else {
            if reason.is_empty() {
                p.add("focus_reason", "Enter why this could be the focus");
            }
            long_text(
                &mut p,
                "focus_reason",
                "The reason",
                &reason,
                MAX_TEXT_CHARS,
            );
            Some(Focus {
                theme: theme.to_string(),
                reason,
            })
        };
        let next_self_evaluation = tidy(&self.next_self_evaluation);
        if next_self_evaluation.is_empty() {
            p.add(
                "next_self_evaluation",
                "Enter when the next self-evaluation is expected, such as in spring 2027",
            );
        }
        let next_meeting = tidy(&self.next_meeting);
        if next_meeting.is_empty() {
            p.add(
                "next_meeting",
                "Enter when the next meeting is expected, such as in autumn 2027",
            );
        }
        let mut steps = Vec::new();
        for (i, row) in self.steps.iter().enumerate() {
            let text = text_block(&row.text);
            if text.is_empty() && row.owner.trim().is_empty() && row.followed_up.trim().is_empty() {
                continue;
            }
            let owner = StepOwner::parse_key(&row.owner);
            if owner.is_none() {
                p.add(format!("steps.{i}.owner"), "Choose who will take the step");
            }
            if text.is_empty() {
                p.add(format!("steps.{i}.text"), "Enter the step agreed");
            }
            long_text(
                &mut p,
                &format!("steps.{i}.text"),
                "The step",
                &text,
                MAX_TEXT_CHARS,
            );
            let followed_up = if row.followed_up.trim().is_empty() {
                None
            } else {
                let d = parse_date(&row.followed_up);
                if d.is_none() {
                    p.add(
                        format!("steps.{i}.followed_up"),
                        "The date followed up must be a real date, such as 23/11/2026",
                    );
                }
                d
            };
            if let Some(owner) = owner.filter(|_| !text.is_empty()) {
                steps.push(AgreedStep {
                    owner,
                    text,
                    followed_up,
                });
            }
        }
        p.finish(Some(Outcomes {
            focus,
            next_self_evaluation,
            next_meeting,
            steps,
        }))
    }
}

/// The letter's subject and text as edited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewLetter {
    pub subject: String,
    pub text: String,
}

impl NewLetter {
    pub fn parse(&self) -> Result<(String, String), FormErrors> {
        let mut p = Problems::default();
        let subject = tidy(&self.subject);
        if subject.is_empty() {
            p.add("subject", "Enter the letter's subject");
        }
        long_text(&mut p, "subject", "The subject", &subject, 200);
        let text = text_block(&self.text);
        if text.is_empty() {
            p.add("text", "Enter the letter's text");
        }
        long_text(&mut p, "text", "The letter", &text, MAX_LETTER_CHARS);
        p.finish(Some((subject, text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Catalogue;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_plan_in_the_past_is_an_error_on_its_field() {
        let err = NewPlan {
            date: "22/11/2026".into(),
        }
        .parse(today())
        .unwrap_err();
        assert!(err
            .get("date")
            .unwrap()
            .message
            .contains("22 November 2026 has passed"));
        assert!(NewPlan {
            date: "31/02/2027".into()
        }
        .parse(today())
        .is_err());
        assert_eq!(
            NewPlan {
                date: "23/11/2026".into()
            }
            .parse(today())
            .unwrap(),
            today()
        );
    }

    #[test]
    fn a_record_reports_every_problem_at_once() {
        let form = NewRecord {
            date: "1/12/2026".into(),
            venue: "pub".into(),
            minutes: "lots".into(),
            remit: String::new(),
            ofsted: vec![NewOfstedAttendee {
                name: "Ann".into(),
                role: "hmi".into(),
            }],
            la: vec![NewLaAttendee {
                name: "Bo".into(),
                post: String::new(),
                purpose: "Practice".into(),
            }],
        };
        let err = form.parse(today(), &AemRules::bundled()).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "date",
                "venue",
                "minutes",
                "remit",
                "ofsted.0.name",
                "la.0.post"
            ]
        );
    }

    #[test]
    fn a_good_record_parses() {
        let form = NewRecord {
            date: "20/11/2026".into(),
            venue: "online".into(),
            minutes: "150".into(),
            remit: "social_care_only".into(),
            ofsted: vec![
                NewOfstedAttendee {
                    name: "Ann  Lee".into(),
                    role: "regional_director".into(),
                },
                NewOfstedAttendee {
                    name: "Raj".into(),
                    role: "senior_hmi".into(),
                },
                NewOfstedAttendee::default(),
            ],
            la: vec![NewLaAttendee {
                name: "Bo".into(),
                post: "DCS".into(),
                purpose: "Leads".into(),
            }],
        };
        let held = form.parse(today(), &AemRules::bundled()).unwrap();
        assert_eq!(held.ofsted.len(), 2);
        assert_eq!(held.ofsted[0].name, "Ann Lee");
        assert_eq!(held.minutes, 150);
    }

    #[test]
    fn outcomes_need_a_known_theme_with_a_reason() {
        let catalogue = Catalogue::bundled();
        let form = NewOutcomes {
            focus_theme: "front_door".into(),
            focus_reason: String::new(),
            next_self_evaluation: "spring 2027".into(),
            next_meeting: String::new(),
            steps: vec![NewStep {
                owner: "nobody".into(),
                text: "Do it".into(),
                followed_up: "soon".into(),
            }],
        };
        let err = form.parse(catalogue.themes()).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "focus_reason",
                "next_meeting",
                "steps.0.owner",
                "steps.0.followed_up"
            ]
        );
        let bad = NewOutcomes {
            focus_theme: "gardening".into(),
            ..form.clone()
        };
        assert!(bad
            .parse(catalogue.themes())
            .unwrap_err()
            .get("focus_theme")
            .is_some());
    }

    #[test]
    fn agenda_items_with_blank_titles_are_removed() {
        let rules = AemRules::bundled();
        let form = NewAgenda {
            items: vec![
                NewAgendaItem {
                    standard: "sef_content".into(),
                    title: "What leaders know".into(),
                    note: "Strong grip.\r\n\r\nAudits cited. ".into(),
                },
                NewAgendaItem::default(),
            ],
            sef_year: "2026-27".into(),
            sef_version: "2".into(),
        };
        let (items, sef) = form.parse(&rules).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].standard.as_deref(), Some("sef_content"));
        assert_eq!(items[0].note, "Strong grip.\n\nAudits cited.");
        assert_eq!(sef.unwrap().version, 2);
        let none = NewAgenda::default().parse(&rules).unwrap_err();
        assert!(none.get("items.0.title").is_some());
    }
}
