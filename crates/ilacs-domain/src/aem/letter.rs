//! The letter's first draft, filled from the meeting's record with the template in
//! `data/aem/letter.toml`.

use super::meeting::Meeting;
use super::rules::AemDataError;
use crate::framework::Theme;
use serde::Deserialize;

/// The letter's wording, with `{placeholders}` filled from the record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterTemplate {
    subject: String,
    salutation: String,
    opening: String,
    attendees: String,
    summary_intro: String,
    summary_item: String,
    focus: String,
    no_focus: String,
    steps_intro: String,
    step: String,
    no_steps: String,
    next: String,
    closing: String,
}

/// A drafted letter: its subject and text (paragraphs separated by blank lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDraft {
    pub subject: String,
    pub text: String,
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

fn uk_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

impl LetterTemplate {
    pub fn parse(text: &str) -> Result<LetterTemplate, AemDataError> {
        toml::from_str(text).map_err(|e| AemDataError::Invalid {
            file: "letter.toml".into(),
            message: e.to_string(),
        })
    }

    pub fn bundled() -> LetterTemplate {
        LetterTemplate::parse(include_str!("../../../../data/aem/letter.toml"))
            .expect("the bundled letter template is valid (tested)")
    }

    /// The first draft for a held meeting (`None` before it is held): a factual summary
    /// from the agenda's notes, the possible focus and the agreed steps.
    pub fn draft(&self, meeting: &Meeting, la_name: &str, themes: &[Theme]) -> Option<LetterDraft> {
        let held = meeting.held()?;
        let names = |list: Vec<String>| {
            if list.is_empty() {
                "none recorded".to_string()
            } else {
                list.join("; ")
            }
        };
        let ofsted = names(
            held.ofsted
                .iter()
                .map(|a| format!("{} ({})", a.name, a.role.label()))
                .collect(),
        );
        let la = names(
            held.la
                .iter()
                .map(|a| format!("{} ({})", a.name, a.post))
                .collect(),
        );
        let minutes = held.minutes.to_string();
        let date = uk_date(held.date);
        let mut paragraphs = vec![
            self.salutation.clone(),
            fill(
                &self.opening,
                &[
                    ("meeting_date", &date),
                    ("venue", held.venue.label()),
                    ("minutes", &minutes),
                    ("remit", held.remit.label()),
                ],
            ),
            fill(
                &self.attendees,
                &[("ofsted_attendees", &ofsted), ("la_attendees", &la)],
            ),
        ];
        let noted: Vec<String> = meeting
            .agenda()
            .iter()
            .filter(|i| !i.note.trim().is_empty())
            .map(|i| {
                let note = i.note.split_whitespace().collect::<Vec<_>>().join(" ");
                format!(
                    "- {}",
                    fill(&self.summary_item, &[("item", &i.title), ("note", &note)])
                )
            })
            .collect();
        if !noted.is_empty() {
            paragraphs.push(format!("{}\n{}", self.summary_intro, noted.join("\n")));
        }
        let outcomes = meeting.outcomes();
        paragraphs.push(match outcomes.and_then(|o| o.focus.as_ref()) {
            Some(focus) => {
                let theme = themes
                    .iter()
                    .find(|t| t.key == focus.theme)
                    .map_or(focus.theme.as_str(), |t| t.name.as_str())
                    .to_lowercase();
                fill(&self.focus, &[("theme", &theme), ("reason", &focus.reason)])
            }
            None => self.no_focus.clone(),
        });
        let steps: Vec<String> = outcomes
            .map(|o| {
                o.steps
                    .iter()
                    .map(|s| {
                        format!(
                            "- {}",
                            fill(&self.step, &[("owner", s.owner.label()), ("text", &s.text)])
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        paragraphs.push(if steps.is_empty() {
            self.no_steps.clone()
        } else {
            format!("{}\n{}", self.steps_intro, steps.join("\n"))
        });
        if let Some(o) = outcomes {
            paragraphs.push(fill(
                &self.next,
                &[
                    ("next_self_evaluation", &o.next_self_evaluation),
                    ("next_meeting", &o.next_meeting),
                ],
            ));
        }
        paragraphs.push(self.closing.clone());
        Some(LetterDraft {
            subject: fill(&self.subject, &[("la_name", la_name)]),
            text: paragraphs.join("\n\n"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aem::meeting::{
        AgreedStep, Focus, Held, LaAttendee, OfstedAttendee, OfstedRole, Outcomes, Remit,
        StepOwner, Venue,
    };
    use crate::aem::AemRules;
    use crate::authority::LaCode;
    use crate::framework::Catalogue;
    use chrono::NaiveDate;

    #[test]
    fn the_draft_carries_the_summary_focus_and_steps() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let rules = AemRules::bundled();
        let mut m = Meeting::plan(LaCode::parse("878").unwrap(), today, today, &rules).unwrap();
        let template = LetterTemplate::bundled();
        let catalogue = Catalogue::bundled();
        assert!(template.draft(&m, "Devon", catalogue.themes()).is_none());
        m.record(
            Held {
                date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
                venue: Venue::La,
                minutes: 180,
                remit: Remit::SocialCareOnly,
                ofsted: vec![OfstedAttendee {
                    name: "Ann Lee".into(),
                    role: OfstedRole::RegionalDirector,
                }],
                la: vec![LaAttendee {
                    name: "Bo Hart".into(),
                    post: "Director of Children's Services".into(),
                    purpose: "Leads the service".into(),
                }],
            },
            today,
        )
        .unwrap();
        let mut agenda = m.agenda().to_vec();
        agenda[0].note = "Leaders know their\nweaknesses.".into();
        m.set_agenda(agenda).unwrap();
        m.set_outcomes(Outcomes {
            focus: Some(Focus {
                theme: "care_leavers".into(),
                reason: "Fewer are in suitable accommodation.".into(),
            }),
            next_self_evaluation: "in spring 2027".into(),
            next_meeting: "in autumn 2027".into(),
            steps: vec![AgreedStep {
                owner: StepOwner::La,
                text: "Share the care leavers audit.".into(),
                followed_up: None,
            }],
        })
        .unwrap();
        let draft = template.draft(&m, "Devon", catalogue.themes()).unwrap();
        assert_eq!(draft.subject, "Annual engagement meeting with Devon");
        for wanted in [
            "3 November 2026",
            "Ann Lee (Regional director)",
            "Bo Hart (Director of Children's Services)",
            "Leaders know their weaknesses.",
            "is care leavers. Fewer are in suitable accommodation.",
            "- The local authority: Share the care leavers audit.",
            "in autumn 2027",
        ] {
            assert!(
                draft.text.contains(wanted),
                "missing {wanted:?} in\n{}",
                draft.text
            );
        }
        assert!(
            !draft.text.contains('{'),
            "an unfilled placeholder:\n{}",
            draft.text
        );
    }
}
