//! What a self-evaluation asks and how a new one is laid out, as data:
//! `data/self_evaluation/questions.toml` (the three questions) and `template.toml` (the
//! default sections).

use super::ids::SectionKey;
use super::section::{Section, SectionKind};
use crate::framework::FrameworkVersion;
use crate::inspection::Judgement;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A data file under `data/self_evaluation/` that does not hold what it should.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SefDataError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

pub(super) fn invalid(file: &str, message: impl Into<String>) -> SefDataError {
    SefDataError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// Ofsted's three questions. Every section answers each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    /// What do you know about the quality and impact of social work practice?
    WhatYouKnow,
    /// How do you know it?
    HowYouKnow,
    /// What are your plans for the next 12 months?
    Plans,
}

impl Question {
    pub const ALL: [Question; 3] = [Question::WhatYouKnow, Question::HowYouKnow, Question::Plans];

    /// The stable key, used in paths and forms.
    pub fn key(self) -> &'static str {
        match self {
            Question::WhatYouKnow => "what_you_know",
            Question::HowYouKnow => "how_you_know",
            Question::Plans => "plans",
        }
    }

    pub fn parse_key(key: &str) -> Option<Question> {
        Question::ALL.into_iter().find(|q| q.key() == key.trim())
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One question's wording and guidance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionText {
    pub question: Question,
    /// The question in full, as Ofsted asks it.
    pub text: String,
    /// A short heading: "How you know".
    pub short: String,
    pub guidance: String,
}

/// The three questions' wording, in [`Question::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questions([QuestionText; 3]);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    questions: Vec<QuestionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionEntry {
    key: String,
    text: String,
    short: String,
    guidance: String,
}

/// Trims each line and joins the lines of a paragraph, so TOML's multi-line strings
/// read as prose.
fn prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Questions {
    pub fn parse_toml(file: &str, text: &str) -> Result<Questions, SefDataError> {
        let raw: QuestionsFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let mut found: [Option<QuestionText>; 3] = [None, None, None];
        for entry in raw.questions {
            let question = Question::parse_key(&entry.key).ok_or_else(|| {
                invalid(
                    file,
                    format!(
                        "unknown question '{}': expected what_you_know, how_you_know or plans",
                        entry.key
                    ),
                )
            })?;
            let slot = &mut found[question as usize];
            if slot.is_some() {
                return Err(invalid(
                    file,
                    format!("question '{}' appears twice", entry.key),
                ));
            }
            let q = QuestionText {
                question,
                text: prose(&entry.text),
                short: prose(&entry.short),
                guidance: prose(&entry.guidance),
            };
            if q.text.is_empty() || q.short.is_empty() {
                return Err(invalid(
                    file,
                    format!("question '{}' needs a text and a short title", entry.key),
                ));
            }
            *slot = Some(q);
        }
        let [Some(a), Some(b), Some(c)] = found else {
            let missing: Vec<_> = Question::ALL
                .into_iter()
                .zip(&found)
                .filter(|(_, f)| f.is_none())
                .map(|(q, _)| q.key())
                .collect();
            return Err(invalid(
                file,
                format!("missing question(s): {}", missing.join(", ")),
            ));
        };
        Ok(Questions([a, b, c]))
    }

    /// The questions as shipped in `data/self_evaluation/questions.toml`.
    pub fn bundled() -> Questions {
        Questions::parse_toml(
            "questions.toml",
            include_str!("../../../../data/self_evaluation/questions.toml"),
        )
        .expect("bundled questions are valid (tested)")
    }

    pub fn get(&self, question: Question) -> &QuestionText {
        &self.0[question as usize]
    }

    pub fn all(&self) -> &[QuestionText] {
        &self.0
    }
}

/// The default layout of a new self-evaluation (`template.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    /// `None` stands for the context section; `Some` for a judgement's section.
    order: Vec<Option<Judgement>>,
    context_title: String,
    context_guidance: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureFile {
    order: Vec<String>,
    context: ContextFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    title: String,
    guidance: String,
}

/// The context section's key.
pub const CONTEXT_KEY: &str = "context";

impl Structure {
    pub fn parse_toml(file: &str, text: &str) -> Result<Structure, SefDataError> {
        let raw: StructureFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let mut order = Vec::new();
        for key in &raw.order {
            let entry = if key.trim() == CONTEXT_KEY {
                None
            } else {
                match Judgement::parse_key(key) {
                    Some(Judgement::OverallEffectiveness) => {
                        return Err(invalid(
                            file,
                            "overall_effectiveness cannot be a section: it is derived from the other judgements",
                        ))
                    }
                    Some(j) => Some(j),
                    None => {
                        return Err(invalid(
                            file,
                            format!("order: '{key}' is neither context nor a judgement"),
                        ))
                    }
                }
            };
            if order.contains(&entry) {
                return Err(invalid(file, format!("order: '{key}' appears twice")));
            }
            order.push(entry);
        }
        if !order.contains(&None) {
            return Err(invalid(file, "order: the context section is missing"));
        }
        let context_title = prose(&raw.context.title);
        if context_title.is_empty() {
            return Err(invalid(file, "context.title is blank"));
        }
        Ok(Structure {
            order,
            context_title,
            context_guidance: prose(&raw.context.guidance),
        })
    }

    /// The structure as shipped in `data/self_evaluation/template.toml`.
    pub fn bundled() -> Structure {
        Structure::parse_toml(
            "template.toml",
            include_str!("../../../../data/self_evaluation/template.toml"),
        )
        .expect("bundled structure is valid (tested)")
    }

    pub fn context_guidance(&self) -> &str {
        &self.context_guidance
    }

    /// The sections a new self-evaluation starts with under a framework version, all
    /// unanswered: context, then one per judgement area (never overall effectiveness),
    /// titled as the version titles its judgements.
    pub fn default_sections(&self, version: &FrameworkVersion) -> Vec<Section> {
        let judgements = version
            .judgements
            .iter()
            .map(|j| j.judgement)
            .filter(|j| *j != Judgement::OverallEffectiveness);
        let listed = self
            .order
            .iter()
            .copied()
            .filter(|entry| entry.is_none_or(|j| version.has(j)));
        let unlisted = judgements
            .filter(|j| !self.order.contains(&Some(*j)))
            .map(Some);
        listed
            .chain(unlisted)
            .map(|entry| match entry {
                None => Section::new(
                    SectionKey::parse(CONTEXT_KEY).expect("a valid key"),
                    SectionKind::Context,
                    self.context_title.clone(),
                ),
                Some(j) => Section::new(
                    SectionKey::parse(j.key()).expect("judgement keys are valid section keys"),
                    SectionKind::Judgement(j),
                    version.title_of(j).unwrap_or(j.short_title()).to_string(),
                ),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Catalogue;

    fn keys(sections: &[Section]) -> Vec<String> {
        sections.iter().map(|s| s.key().to_string()).collect()
    }

    #[test]
    fn bundled_questions_are_the_three() {
        let q = Questions::bundled();
        assert_eq!(q.get(Question::HowYouKnow).text, "How do you know it?");
        assert_eq!(q.get(Question::Plans).short, "Your plans");
        assert_eq!(q.get(Question::Plans).question, Question::Plans);
        assert!(q
            .get(Question::WhatYouKnow)
            .guidance
            .contains("Name weaknesses precisely"));
        // Multi-line TOML reads as one paragraph.
        assert!(!q.get(Question::WhatYouKnow).guidance.contains('\n'));
        for question in Question::ALL {
            assert_eq!(Question::parse_key(question.key()), Some(question));
        }
    }

    #[test]
    fn question_files_must_hold_each_question_once() {
        let entry =
            |k: &str| format!("[[questions]]\nkey='{k}'\ntext='t'\nshort='s'\nguidance='g'\n");
        let two = format!("{}{}", entry("what_you_know"), entry("plans"));
        let err = Questions::parse_toml("q.toml", &two)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "q.toml: missing question(s): how_you_know");
        let twice = format!("{two}{}", entry("plans"));
        assert!(Questions::parse_toml("q.toml", &twice)
            .unwrap_err()
            .to_string()
            .contains("'plans' appears twice"));
        let odd = entry("why");
        assert!(Questions::parse_toml("q.toml", &odd)
            .unwrap_err()
            .to_string()
            .contains("unknown question 'why'"));
        let all = format!("{two}{}", entry("how_you_know"));
        assert!(Questions::parse_toml("q.toml", &all).is_ok());
    }

    #[test]
    fn default_sections_follow_the_framework_in_force() {
        let c = Catalogue::bundled();
        let s = Structure::bundled();
        let v2026 = s.default_sections(c.version("2026").unwrap());
        assert_eq!(
            keys(&v2026),
            [
                "context",
                "help_and_protection",
                "children_in_care",
                "care_leavers",
                "impact_of_leaders"
            ]
        );
        assert_eq!(v2026[0].title(), "Context");
        assert_eq!(v2026[0].kind(), SectionKind::Context);
        assert_eq!(
            v2026[3].title(),
            "The experiences and progress of care leavers"
        );
        // 2023 has overall effectiveness, which is never a section.
        assert_eq!(
            keys(&s.default_sections(c.version("2023").unwrap())),
            keys(&v2026)
        );
        // 2018 has no care leavers judgement: children in care covered both.
        assert_eq!(
            keys(&s.default_sections(c.version("2018").unwrap())),
            [
                "context",
                "help_and_protection",
                "children_in_care",
                "impact_of_leaders"
            ]
        );
    }

    #[test]
    fn judgements_the_order_leaves_out_still_get_sections() {
        let c = Catalogue::bundled();
        let s = Structure::parse_toml(
            "t.toml",
            "order=['care_leavers','context']\n[context]\ntitle='Our context'\nguidance=''\n",
        )
        .unwrap();
        let sections = s.default_sections(c.version("2026").unwrap());
        assert_eq!(
            keys(&sections),
            [
                "care_leavers",
                "context",
                "impact_of_leaders",
                "help_and_protection",
                "children_in_care"
            ]
        );
        assert_eq!(sections[1].title(), "Our context");
    }

    #[test]
    fn bad_structures_are_refused() {
        let file = |order: &str| format!("order={order}\n[context]\ntitle='C'\nguidance=''\n");
        let err = |order: &str| {
            Structure::parse_toml("t.toml", &file(order))
                .unwrap_err()
                .to_string()
        };
        assert!(err("['context','overall_effectiveness']").contains("cannot be a section"));
        assert!(err("['context','happiness']").contains("'happiness' is neither"));
        assert!(err("['context','context']").contains("appears twice"));
        assert!(err("['care_leavers']").contains("context section is missing"));
        assert!(Structure::parse_toml(
            "t.toml",
            "order=['context']\n[context]\ntitle=' '\nguidance=''\n"
        )
        .is_err());
    }
}
