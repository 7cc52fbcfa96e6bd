//! The review before sign-off: "is this evaluative?" A checker whose rules and
//! settings are data (`data/self_evaluation/review.toml`). It advises, never blocks:
//! [`review`] returns advice, and nothing in the lifecycle looks at it.

use super::document::{ActionField, Location, SelfEvaluation};
use super::evidence::{EvidenceKind, Paragraph};
use super::guide::{invalid, Question, Questions, SefDataError};
use super::ids::SectionKey;
use super::plan::{ActionStatus, EvidenceGap};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The review's rules. Each is documented here and in `review.toml`, with its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    /// A section has no paragraph answering one of the three questions. One item per
    /// unanswered question, at the answer (`sections.<key>.<question>`).
    MissingAnswer,
    /// A section's paragraphs, across its three answers, cite at least one indicator
    /// and no practice evidence ([`EvidenceKind::Practice`]). Documents and surveys
    /// ([`EvidenceKind::Other`]) neither raise nor settle it; a section citing nothing
    /// is left to [`RuleId::UncitedClaim`]. Sections named in `skip_sections` (context)
    /// are not looked at. At the section.
    NoPracticeEvidence,
    /// A claim that cites nothing: a paragraph of a section's "What you know" answer,
    /// a strength, or an area for development. At the paragraph or the item.
    UncitedClaim,
    /// There are no areas for development at all. At `areas_for_development`.
    WeaknessNotNamed,
    /// An area for development that no plan action answers, not counting dropped
    /// actions. At the area.
    WeaknessNotPlanned,
    /// A plan action that is not dropped and has no owner. At `plan.<id>.owner`.
    ActionWithoutOwner,
    /// A plan action that is not dropped and has no due date. At `plan.<id>.due`.
    ActionWithoutDueDate,
    /// A done action with no record that it happened, or a record citing nothing
    /// ([`EvidenceGap`]). At `plan.<id>.evidence`.
    DoneWithoutEvidence,
    /// A paragraph of "What you know" containing one of the `phrases` ("we will"), as
    /// whole words, ignoring case and apostrophe style. One item per paragraph naming
    /// every phrase found. It flags; it does not judge.
    PromiseLanguage,
    /// The document's words ([`word_count`]) are more than `target_words`. At
    /// `document`.
    Length,
}

impl RuleId {
    pub const ALL: [RuleId; 10] = [
        RuleId::MissingAnswer,
        RuleId::NoPracticeEvidence,
        RuleId::UncitedClaim,
        RuleId::WeaknessNotNamed,
        RuleId::WeaknessNotPlanned,
        RuleId::ActionWithoutOwner,
        RuleId::ActionWithoutDueDate,
        RuleId::DoneWithoutEvidence,
        RuleId::PromiseLanguage,
        RuleId::Length,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RuleId::MissingAnswer => "missing_answer",
            RuleId::NoPracticeEvidence => "no_practice_evidence",
            RuleId::UncitedClaim => "uncited_claim",
            RuleId::WeaknessNotNamed => "weakness_not_named",
            RuleId::WeaknessNotPlanned => "weakness_not_planned",
            RuleId::ActionWithoutOwner => "action_without_owner",
            RuleId::ActionWithoutDueDate => "action_without_due_date",
            RuleId::DoneWithoutEvidence => "done_without_evidence",
            RuleId::PromiseLanguage => "promise_language",
            RuleId::Length => "length",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth weighing up.
    Advice,
    /// What Ofsted has said it looks for.
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Advice => "advice",
            Severity::Warning => "warning",
        }
    }
    fn parse(key: &str) -> Option<Severity> {
        [Severity::Advice, Severity::Warning]
            .into_iter()
            .find(|s| s.key() == key.trim())
    }
}

/// A rule as the data file sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub id: RuleId,
    pub severity: Severity,
    /// What the rule checks and why, for the page explaining the review.
    pub summary: String,
}

/// The rules with their settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRules {
    /// In [`RuleId::ALL`] order.
    specs: Vec<RuleSpec>,
    skip_sections: Vec<SectionKey>,
    /// Each phrase as typed, and as words to match.
    phrases: Vec<(String, Vec<String>)>,
    target_words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    missing_answer: Plain,
    no_practice_evidence: PracticeFile,
    uncited_claim: Plain,
    weakness_not_named: Plain,
    weakness_not_planned: Plain,
    action_without_owner: Plain,
    action_without_due_date: Plain,
    done_without_evidence: Plain,
    promise_language: PromiseFile,
    length: LengthFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Plain {
    severity: String,
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PracticeFile {
    severity: String,
    summary: String,
    skip_sections: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromiseFile {
    severity: String,
    summary: String,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LengthFile {
    severity: String,
    summary: String,
    target_words: usize,
}

/// Bounds that catch a slip (40,000 for 4,000) without second-guessing the LA.
const MIN_TARGET_WORDS: usize = 500;
const MAX_TARGET_WORDS: usize = 30_000;

/// Lower-case words: runs of letters, digits and apostrophes (curly ones made
/// straight), so "We’ll," is the word `we'll`.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl ReviewRules {
    pub fn parse_toml(file: &str, text: &str) -> Result<ReviewRules, SefDataError> {
        let raw: ReviewFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let spec = |id: RuleId, severity: &str, summary: &str| -> Result<RuleSpec, SefDataError> {
            let severity = Severity::parse(severity).ok_or_else(|| {
                invalid(
                    file,
                    format!("{id}.severity '{severity}': expected advice or warning"),
                )
            })?;
            let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
            if summary.is_empty() {
                return Err(invalid(file, format!("{id}.summary is blank")));
            }
            Ok(RuleSpec {
                id,
                severity,
                summary,
            })
        };
        let plain = |id, p: &Plain| spec(id, &p.severity, &p.summary);
        let specs = vec![
            plain(RuleId::MissingAnswer, &raw.missing_answer)?,
            spec(
                RuleId::NoPracticeEvidence,
                &raw.no_practice_evidence.severity,
                &raw.no_practice_evidence.summary,
            )?,
            plain(RuleId::UncitedClaim, &raw.uncited_claim)?,
            plain(RuleId::WeaknessNotNamed, &raw.weakness_not_named)?,
            plain(RuleId::WeaknessNotPlanned, &raw.weakness_not_planned)?,
            plain(RuleId::ActionWithoutOwner, &raw.action_without_owner)?,
            plain(RuleId::ActionWithoutDueDate, &raw.action_without_due_date)?,
            plain(RuleId::DoneWithoutEvidence, &raw.done_without_evidence)?,
            spec(
                RuleId::PromiseLanguage,
                &raw.promise_language.severity,
                &raw.promise_language.summary,
            )?,
            spec(RuleId::Length, &raw.length.severity, &raw.length.summary)?,
        ];
        let skip_sections = raw
            .no_practice_evidence
            .skip_sections
            .iter()
            .map(|k| {
                SectionKey::parse(k)
                    .map_err(|e| invalid(file, format!("no_practice_evidence.skip_sections: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut phrases: Vec<(String, Vec<String>)> = Vec::new();
        for p in &raw.promise_language.phrases {
            let w = words(p);
            if w.is_empty() {
                return Err(invalid(
                    file,
                    format!("promise_language.phrases: '{p}' has no words"),
                ));
            }
            if !phrases.iter().any(|(_, existing)| existing == &w) {
                phrases.push((w.join(" "), w));
            }
        }
        let target_words = raw.length.target_words;
        if !(MIN_TARGET_WORDS..=MAX_TARGET_WORDS).contains(&target_words) {
            return Err(invalid(
                file,
                format!(
                    "length.target_words is {target_words}: expected {MIN_TARGET_WORDS} to {MAX_TARGET_WORDS}"
                ),
            ));
        }
        Ok(ReviewRules {
            specs,
            skip_sections,
            phrases,
            target_words,
        })
    }

    /// The rules as shipped in `data/self_evaluation/review.toml`.
    pub fn bundled() -> ReviewRules {
        ReviewRules::parse_toml(
            "review.toml",
            include_str!("../../../../data/self_evaluation/review.toml"),
        )
        .expect("bundled review rules are valid (tested)")
    }

    pub fn specs(&self) -> &[RuleSpec] {
        &self.specs
    }

    pub fn spec(&self, id: RuleId) -> &RuleSpec {
        &self.specs[RuleId::ALL
            .iter()
            .position(|r| *r == id)
            .expect("every rule is in ALL")]
    }

    pub fn target_words(&self) -> usize {
        self.target_words
    }

    /// The promise phrases, as words joined by single spaces.
    pub fn promise_phrases(&self) -> impl Iterator<Item = &str> + '_ {
        self.phrases.iter().map(|(p, _)| p.as_str())
    }

    pub fn skip_sections(&self) -> &[SectionKey] {
        &self.skip_sections
    }

    /// The phrases a text contains, in the rules' order.
    fn promises_in(&self, text: &str) -> Vec<&str> {
        let w = words(text);
        self.phrases
            .iter()
            .filter(|(_, phrase)| w.windows(phrase.len()).any(|win| win == phrase.as_slice()))
            .map(|(p, _)| p.as_str())
            .collect()
    }
}

/// One piece of advice: which rule, where, what to do, and how much it matters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub rule: RuleId,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

/// The words the length rule counts: every paragraph of every answer, every strength
/// and area for development, and each plan action's description and account of what
/// changed. Titles and evidence labels are not counted.
pub fn word_count(sef: &SelfEvaluation) -> usize {
    let count = |t: &str| t.split_whitespace().count();
    let answers: usize = sef
        .sections()
        .iter()
        .flat_map(|s| s.answers().paragraphs())
        .map(|(_, _, p)| count(p.text()))
        .sum();
    let findings: usize = sef
        .strengths()
        .iter()
        .chain(sef.areas_for_development())
        .map(|f| count(f.text()))
        .sum();
    let plan: usize = sef
        .plan()
        .iter()
        .map(|a| count(a.description()) + a.happened().map_or(0, |h| count(h.what_changed())))
        .sum();
    answers + findings + plan
}

/// 4000 as "4,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    // The first group has 1 to 3 digits; every later group has 3.
    let first = match digits.len() % 3 {
        0 => 3,
        r => r,
    };
    let mut out = digits[..first].to_string();
    for group in digits.as_bytes()[first..].chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).expect("ASCII digits"));
    }
    out
}

fn quoted(phrases: &[&str]) -> String {
    let q: Vec<String> = phrases
        .iter()
        .map(|p| format!("\u{201c}{p}\u{201d}"))
        .collect();
    match q.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Reviews a self-evaluation at any stage. The advice comes in document order: each
/// section's (missing answers, evidence, then paragraph by paragraph), then strengths,
/// areas for development, plan actions, and length. The same document always gets the
/// same advice.
pub fn review(sef: &SelfEvaluation, rules: &ReviewRules, questions: &Questions) -> Vec<Advice> {
    let mut out = Vec::new();
    let mut add = |rule: RuleId, location: Location, message: String| {
        out.push(Advice {
            rule,
            severity: rules.spec(rule).severity,
            location,
            message,
        });
    };
    let know = questions.get(Question::WhatYouKnow).short.clone();

    for section in sef.sections() {
        let key = section.key();
        let title = section.title();
        for q in Question::ALL {
            if section.answer(q).is_empty() {
                add(
                    RuleId::MissingAnswer,
                    Location::Answer(key.clone(), q),
                    format!("{title}: answer \u{201c}{}\u{201d}", questions.get(q).text),
                );
            }
        }

        if !rules.skip_sections.contains(key) {
            let paragraphs: Vec<&Paragraph> =
                section.answers().paragraphs().map(|(_, _, p)| p).collect();
            let count = |kind: EvidenceKind| -> usize {
                paragraphs
                    .iter()
                    .flat_map(|p| p.evidence())
                    .filter(|e| e.kind() == kind)
                    .count()
            };
            let indicators = count(EvidenceKind::Performance);
            if indicators > 0 && count(EvidenceKind::Practice) == 0 {
                add(
                    RuleId::NoPracticeEvidence,
                    Location::Section(key.clone()),
                    format!(
                        "{title} cites {} but no practice evidence: add what case audits, audit themes, practice reviews or feedback from children and families show about practice and its impact",
                        plural(indicators, "indicator", "indicators")
                    ),
                );
            }
        }

        for (i, p) in section.answer(Question::WhatYouKnow).iter().enumerate() {
            let here = || Location::Paragraph(key.clone(), Question::WhatYouKnow, i);
            if !p.is_cited() {
                add(
                    RuleId::UncitedClaim,
                    here(),
                    format!(
                        "{title}, {know}, paragraph {}: cite the evidence for this claim",
                        i + 1
                    ),
                );
            }
            let found = rules.promises_in(p.text());
            if !found.is_empty() {
                add(
                    RuleId::PromiseLanguage,
                    here(),
                    format!(
                        "{title}, {know}, paragraph {}: {} may be a promise. Show what has already happened and its impact here, and put plans under \u{201c}{}\u{201d}",
                        i + 1,
                        quoted(&found),
                        questions.get(Question::Plans).short
                    ),
                );
            }
        }
    }

    for (n, s) in sef.strengths().iter().enumerate() {
        if s.evidence().is_empty() {
            add(
                RuleId::UncitedClaim,
                Location::Strength(s.id()),
                format!("Strength {}: cite the evidence for it", n + 1),
            );
        }
    }

    if sef.areas_for_development().is_empty() {
        add(
            RuleId::WeaknessNotNamed,
            Location::AreasForDevelopment,
            "Name the areas for development: a weakness you have found yourself, with a credible plan, shows leaders know their service".to_string(),
        );
    }
    for (n, a) in sef.areas_for_development().iter().enumerate() {
        if a.evidence().is_empty() {
            add(
                RuleId::UncitedClaim,
                Location::AreaForDevelopment(a.id()),
                format!(
                    "Area for development {}: cite the evidence that shows it",
                    n + 1
                ),
            );
        }
        let planned = sef
            .actions_for(a.id())
            .any(|action| action.status() != ActionStatus::Dropped);
        if !planned {
            add(
                RuleId::WeaknessNotPlanned,
                Location::AreaForDevelopment(a.id()),
                format!(
                    "Area for development {}: add a plan action that answers it",
                    n + 1
                ),
            );
        }
    }

    for (n, action) in sef.plan().iter().enumerate() {
        if action.status() == ActionStatus::Dropped {
            continue;
        }
        let id = action.id();
        let n = n + 1;
        if action.owner().is_none() {
            add(
                RuleId::ActionWithoutOwner,
                Location::ActionField(id, ActionField::Owner),
                format!("Plan action {n}: say who owns it"),
            );
        }
        if action.due().is_none() {
            add(
                RuleId::ActionWithoutDueDate,
                Location::ActionField(id, ActionField::Due),
                format!("Plan action {n}: give the date it is due"),
            );
        }
        match action.evidence_gap() {
            Some(EvidenceGap::NotRecorded) => add(
                RuleId::DoneWithoutEvidence,
                Location::ActionField(id, ActionField::Evidence),
                format!(
                    "Plan action {n} is done: record when, what changed, and the evidence that shows it"
                ),
            ),
            Some(EvidenceGap::NothingCited) => add(
                RuleId::DoneWithoutEvidence,
                Location::ActionField(id, ActionField::Evidence),
                format!(
                    "Plan action {n} is done: cite the evidence that shows what changed, such as re-audits or feedback"
                ),
            ),
            None => {}
        }
    }

    let words = word_count(sef);
    if words > rules.target_words {
        add(
            RuleId::Length,
            Location::Document,
            format!(
                "The self-evaluation is {} words, over the target of {}: keep it succinct, focused and evaluative, cutting description that does not say what practice is like or how you know",
                thousands(words),
                thousands(rules.target_words)
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_evaluation::evidence::{Citation, Evidence};
    use crate::self_evaluation::ids::{DocumentId, ItemId};
    use crate::self_evaluation::plan::{ActionDetails, Happened};
    use crate::self_evaluation::section::SectionKind;
    use crate::self_evaluation::testing::{audits, blank, cites, day, document, indicator, para};
    use proptest::prelude::*;

    fn key(k: &str) -> SectionKey {
        SectionKey::parse(k).unwrap()
    }

    /// A self-evaluation the review has nothing to say about: every question answered
    /// with practice evidence, one area for development with an owned, dated action.
    fn good() -> SelfEvaluation {
        let mut sef = blank(2026);
        let keys: Vec<SectionKey> = sef.sections().iter().map(|s| s.key().clone()).collect();
        for k in &keys {
            for q in Question::ALL {
                sef.set_answer(k, q, vec![para("Children are seen and heard.", true)])
                    .unwrap();
            }
        }
        sef.add_strength(para("Strong front door", true)).unwrap();
        let a = sef
            .add_area_for_development(para("Drift in pre-proceedings", true))
            .unwrap();
        sef.add_action(ActionDetails {
            owner: Some("Head of service".into()),
            due: Some(day("2026-12-01")),
            answers: Some(a),
            ..ActionDetails::new("Weekly legal gateway panel")
        })
        .unwrap();
        sef
    }

    fn run(sef: &SelfEvaluation) -> Vec<Advice> {
        review(sef, &ReviewRules::bundled(), &Questions::bundled())
    }

    fn found(sef: &SelfEvaluation, rule: RuleId) -> Vec<String> {
        run(sef)
            .into_iter()
            .filter(|a| a.rule == rule)
            .map(|a| a.location.to_string())
            .collect()
    }

    #[test]
    fn a_good_self_evaluation_gets_no_advice() {
        assert_eq!(run(&good()), []);
    }

    #[test]
    fn bundled_rules_cover_every_rule() {
        let rules = ReviewRules::bundled();
        let ids: Vec<_> = rules.specs().iter().map(|s| s.id).collect();
        assert_eq!(ids, RuleId::ALL);
        assert_eq!(rules.target_words(), 4000);
        assert_eq!(rules.spec(RuleId::Length).severity, Severity::Advice);
        assert_eq!(
            rules.spec(RuleId::MissingAnswer).severity,
            Severity::Warning
        );
        assert!(rules.promise_phrases().any(|p| p == "we plan to"));
        assert_eq!(rules.skip_sections(), [key("context")]);
        assert!(rules
            .spec(RuleId::NoPracticeEvidence)
            .summary
            .contains("seeds 000, 001"));
    }

    #[test]
    fn missing_answers_are_found_per_question() {
        let mut sef = good();
        let cl = key("care_leavers");
        sef.set_answer(&cl, Question::HowYouKnow, vec![]).unwrap();
        sef.set_answer(&cl, Question::Plans, vec![]).unwrap();
        let advice: Vec<_> = run(&sef)
            .into_iter()
            .filter(|a| a.rule == RuleId::MissingAnswer)
            .collect();
        assert_eq!(advice.len(), 2);
        assert_eq!(
            advice[0].location.to_string(),
            "sections.care_leavers.how_you_know"
        );
        assert_eq!(
            advice[0].message,
            "The experiences and progress of care leavers: answer \u{201c}How do you know it?\u{201d}"
        );
        assert_eq!(
            advice[1].location.to_string(),
            "sections.care_leavers.plans"
        );
        assert_eq!(advice[0].severity, Severity::Warning);
        // A new section the LA adds is held to the same three questions.
        let early = sef.add_section("Early help").unwrap();
        assert_eq!(found(&sef, RuleId::MissingAnswer).len(), 2 + 3, "{early}");
        assert_eq!(sef.section(&early).unwrap().kind(), SectionKind::Custom);
    }

    #[test]
    fn indicators_alone_are_not_enough() {
        let mut sef = good();
        let hp = key("help_and_protection");
        let only_kpis = || {
            vec![cites(
                "Re-referrals fell to 18%.",
                vec![indicator("re_referral"), indicator("assessment_45wd")],
            )]
        };
        for q in Question::ALL {
            sef.set_answer(&hp, q, only_kpis()).unwrap();
        }
        let advice: Vec<_> = run(&sef)
            .into_iter()
            .filter(|a| a.rule == RuleId::NoPracticeEvidence)
            .collect();
        assert_eq!(advice.len(), 1);
        assert_eq!(
            advice[0].location.to_string(),
            "sections.help_and_protection"
        );
        assert!(advice[0]
            .message
            .starts_with("The experiences and progress of children who need help and protection cites 6 indicators but no practice evidence"));
        // A document or survey does not settle it...
        sef.set_answer(
            &hp,
            Question::HowYouKnow,
            vec![cites(
                "QA report",
                vec![document(4), indicator("re_referral")],
            )],
        )
        .unwrap();
        assert_eq!(found(&sef, RuleId::NoPracticeEvidence).len(), 1);
        // ...one piece of practice evidence anywhere in the section does.
        sef.set_answer(
            &hp,
            Question::Plans,
            vec![cites(
                "Feedback",
                vec![Evidence::unlabelled(Citation::Feedback { document: None })],
            )],
        )
        .unwrap();
        assert_eq!(
            found(&sef, RuleId::NoPracticeEvidence),
            Vec::<String>::new()
        );
        // Documents alone do not raise it.
        for q in Question::ALL {
            sef.set_answer(&hp, q, vec![cites("Report", vec![document(1)])])
                .unwrap();
        }
        assert!(found(&sef, RuleId::NoPracticeEvidence).is_empty());
        // Context is skipped: it is rightly told in figures.
        for q in Question::ALL {
            sef.set_answer(&key("context"), q, only_kpis()).unwrap();
        }
        assert!(found(&sef, RuleId::NoPracticeEvidence).is_empty());
    }

    #[test]
    fn claims_without_evidence_are_found() {
        let mut sef = good();
        let cic = key("children_in_care");
        sef.set_answer(
            &cic,
            Question::WhatYouKnow,
            vec![para("cited", true), para("not cited", false)],
        )
        .unwrap();
        // Only "what you know" paragraphs are claims: plans may cite nothing.
        sef.set_answer(&cic, Question::Plans, vec![para("plan", false)])
            .unwrap();
        let s = sef.add_strength(para("uncited strength", false)).unwrap();
        let a = sef
            .add_area_for_development(para("uncited area", false))
            .unwrap();
        sef.add_action(ActionDetails {
            owner: Some("x".into()),
            due: Some(day("2026-12-01")),
            answers: Some(a),
            ..ActionDetails::new("y")
        })
        .unwrap();
        assert_eq!(
            found(&sef, RuleId::UncitedClaim),
            [
                "sections.children_in_care.what_you_know.1".to_string(),
                format!("strengths.{s}"),
                format!("areas_for_development.{a}"),
            ]
        );
        let advice = run(&sef);
        let first = advice
            .iter()
            .find(|a| a.rule == RuleId::UncitedClaim)
            .unwrap();
        assert_eq!(
            first.message,
            "The experiences and progress of children in care, What you know, paragraph 2: cite the evidence for this claim"
        );
    }

    #[test]
    fn weaknesses_must_be_named_and_planned_for() {
        let mut sef = blank(2026);
        assert_eq!(
            found(&sef, RuleId::WeaknessNotNamed),
            ["areas_for_development"]
        );
        let a1 = sef
            .add_area_for_development(para("PLO drift", true))
            .unwrap();
        let a2 = sef
            .add_area_for_development(para("Missing episodes", true))
            .unwrap();
        assert!(found(&sef, RuleId::WeaknessNotNamed).is_empty());
        assert_eq!(
            found(&sef, RuleId::WeaknessNotPlanned),
            [
                format!("areas_for_development.{a1}"),
                format!("areas_for_development.{a2}")
            ]
        );
        let p = sef
            .add_action(ActionDetails {
                answers: Some(a1),
                ..ActionDetails::new("Tracker")
            })
            .unwrap();
        // A dropped action plans for nothing; a done one did.
        sef.add_action(ActionDetails {
            answers: Some(a2),
            status: ActionStatus::Dropped,
            ..ActionDetails::new("Abandoned")
        })
        .unwrap();
        assert_eq!(
            found(&sef, RuleId::WeaknessNotPlanned),
            [format!("areas_for_development.{a2}")]
        );
        sef.set_action(
            p,
            ActionDetails {
                answers: Some(a1),
                status: ActionStatus::Done,
                ..ActionDetails::new("Tracker")
            },
        )
        .unwrap();
        assert_eq!(found(&sef, RuleId::WeaknessNotPlanned).len(), 1);
    }

    #[test]
    fn plan_actions_need_an_owner_a_date_and_when_done_evidence() {
        let mut sef = good();
        let bare = sef.add_action(ActionDetails::new("Recruit")).unwrap();
        let dropped = sef
            .add_action(ActionDetails {
                status: ActionStatus::Dropped,
                ..ActionDetails::new("Old idea")
            })
            .unwrap();
        let owned = |status, happened| ActionDetails {
            owner: Some("PSW".into()),
            due: Some(day("2026-06-01")),
            status,
            happened,
            ..ActionDetails::new("Practice week")
        };
        let done_bare = sef.add_action(owned(ActionStatus::Done, None)).unwrap();
        let recorded = Happened::new(day("2026-05-20"), "Managers attended", vec![]).unwrap();
        let done_uncited = sef
            .add_action(owned(ActionStatus::Done, Some(recorded)))
            .unwrap();
        let shown =
            Happened::new(day("2026-05-20"), "Re-audits improved", vec![audits(&[9])]).unwrap();
        sef.add_action(owned(ActionStatus::Done, Some(shown)))
            .unwrap();
        assert_eq!(
            found(&sef, RuleId::ActionWithoutOwner),
            [format!("plan.{bare}.owner")]
        );
        assert_eq!(
            found(&sef, RuleId::ActionWithoutDueDate),
            [format!("plan.{bare}.due")]
        );
        assert_eq!(
            found(&sef, RuleId::DoneWithoutEvidence),
            [
                format!("plan.{done_bare}.evidence"),
                format!("plan.{done_uncited}.evidence")
            ]
        );
        let messages: Vec<_> = run(&sef)
            .into_iter()
            .filter(|a| a.rule == RuleId::DoneWithoutEvidence)
            .map(|a| a.message)
            .collect();
        assert!(
            messages[0].starts_with("Plan action 4 is done: record when"),
            "{}",
            messages[0]
        );
        assert!(messages[1].contains("cite the evidence"), "{}", messages[1]);
        let all = run(&sef);
        assert!(all
            .iter()
            .all(|a| !a.location.to_string().contains(&dropped.to_string())));
    }

    #[test]
    fn promises_are_flagged_not_judged() {
        let mut sef = good();
        let leaders = key("impact_of_leaders");
        sef.set_answer(
            &leaders,
            Question::WhatYouKnow,
            vec![
                para(
                    "Supervision is regular. We Will  review it, and we\u{2019}ll audit.",
                    true,
                ),
                para("Willow team: we willingly took on more cases.", true),
                para("The plan to recruit worked: we plan well.", true),
            ],
        )
        .unwrap();
        // Promises are at home under plans.
        sef.set_answer(
            &leaders,
            Question::Plans,
            vec![para("We will recruit.", true)],
        )
        .unwrap();
        let advice: Vec<_> = run(&sef)
            .into_iter()
            .filter(|a| a.rule == RuleId::PromiseLanguage)
            .collect();
        assert_eq!(advice.len(), 1);
        assert_eq!(
            advice[0].location.to_string(),
            "sections.impact_of_leaders.what_you_know.0"
        );
        assert_eq!(advice[0].severity, Severity::Advice);
        assert!(
            advice[0]
                .message
                .contains("\u{201c}we will\u{201d} and \u{201c}we'll\u{201d} may be a promise"),
            "{}",
            advice[0].message
        );
        assert!(advice[0]
            .message
            .ends_with("put plans under \u{201c}Your plans\u{201d}"));
    }

    #[test]
    fn length_is_measured_against_the_target() {
        let mut sef = good();
        let before = word_count(&sef);
        // 5 sections x 3 answers x 5 words, a strength, an area, an action.
        assert_eq!(before, 5 * 3 * 5 + 3 + 3 + 4);
        let rules = ReviewRules::bundled();
        let room = rules.target_words() - before;
        let filler = |n: usize| Paragraph::new(&"word ".repeat(n), vec![audits(&[1])]).unwrap();
        let ctx = key("context");
        sef.set_answer(
            &ctx,
            Question::HowYouKnow,
            vec![para("x y z w v", true), filler(room)],
        )
        .unwrap();
        assert_eq!(word_count(&sef), 4000);
        assert!(
            found(&sef, RuleId::Length).is_empty(),
            "at the target is fine"
        );
        sef.set_answer(
            &ctx,
            Question::HowYouKnow,
            vec![para("x y z w v", true), filler(room + 1)],
        )
        .unwrap();
        let advice: Vec<_> = run(&sef)
            .into_iter()
            .filter(|a| a.rule == RuleId::Length)
            .collect();
        assert_eq!(advice.len(), 1);
        assert_eq!(advice[0].location, Location::Document);
        assert!(advice[0]
            .message
            .starts_with("The self-evaluation is 4,001 words, over the target of 4,000"));
        // What changed counts too.
        let mut small = good();
        let n = word_count(&small);
        small
            .add_action(ActionDetails {
                status: ActionStatus::Done,
                happened: Some(Happened::new(day("2026-05-01"), "one two three", vec![]).unwrap()),
                ..ActionDetails::new("a b")
            })
            .unwrap();
        assert_eq!(word_count(&small), n + 5);
    }

    #[test]
    fn bad_rule_files_are_refused() {
        let text = include_str!("../../../../data/self_evaluation/review.toml");
        let err = |from: &str, to: &str| {
            let changed = text.replacen(from, to, 1);
            assert_ne!(changed, text, "{from}");
            ReviewRules::parse_toml("review.toml", &changed)
                .unwrap_err()
                .to_string()
        };
        assert!(err("target_words = 4000", "target_words = 40").contains("expected 500 to 30000"));
        assert!(err("severity = \"advice\"", "severity = \"blocker\"")
            .contains("expected advice or warning"));
        assert!(err(
            "skip_sections = [\"context\"]",
            "skip_sections = [\"Context!\"]"
        )
        .contains("skip_sections"));
        assert!(err("  \"we will\",\n", "  \"!!\",\n").contains("has no words"));
        assert!(err("[length]", "[lengthy]").starts_with("review.toml:"));
        let without = text.replace("[uncited_claim]", "[uncited_claim_x]");
        assert!(ReviewRules::parse_toml("review.toml", &without).is_err());
    }

    #[test]
    fn numbers_and_words_read_well() {
        assert_eq!(thousands(4000), "4,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(
            words("We\u{2019}ll, ‘see’ WE-WILL"),
            ["we'll", "see", "we", "will"]
        );
    }

    /// Whether a location names something in the document.
    fn resolves(sef: &SelfEvaluation, location: &Location) -> bool {
        match location {
            Location::Document | Location::AreasForDevelopment => true,
            Location::Section(k) | Location::Answer(k, _) => sef.section(k).is_some(),
            Location::Paragraph(k, q, i) => sef.section(k).is_some_and(|s| *i < s.answer(*q).len()),
            Location::Strength(id) => sef.strength(*id).is_some(),
            Location::AreaForDevelopment(id) => sef.area_for_development(*id).is_some(),
            Location::Action(id) | Location::ActionField(id, _) => sef.action(*id).is_some(),
        }
    }

    fn any_evidence() -> impl Strategy<Value = Evidence> {
        prop_oneof![
            (1i64..50).prop_map(|i| audits(&[i])),
            Just(indicator("re_referral")),
            (1i64..50).prop_map(document),
            Just(Evidence::unlabelled(Citation::StaffSurvey {
                document: DocumentId::new(2)
            })),
        ]
    }

    fn any_paragraph() -> impl Strategy<Value = Option<Paragraph>> {
        (
            "\\PC{0,60}|(we will|We’ll|plan) \\PC{0,20}",
            prop::collection::vec(any_evidence(), 0..3),
        )
            .prop_map(|(text, evidence)| Paragraph::new(&text, evidence).ok())
    }

    fn any_sef() -> impl Strategy<Value = SelfEvaluation> {
        let answers = prop::collection::vec(prop::collection::vec(any_paragraph(), 0..3), 15);
        let findings = prop::collection::vec((any::<bool>(), any_paragraph()), 0..5);
        let actions = prop::collection::vec(
            (
                any::<bool>(),
                any::<bool>(),
                0usize..4,
                any::<bool>(),
                "\\PC{0,30}",
            ),
            0..6,
        );
        (answers, findings, actions, "\\PC{0,40}").prop_map(
            |(answers, findings, actions, title)| {
                let mut sef = blank(2026);
                let _ = sef.add_section(&title);
                let keys: Vec<SectionKey> =
                    sef.sections().iter().map(|s| s.key().clone()).collect();
                for (n, paragraphs) in answers.into_iter().enumerate() {
                    let k = &keys[n % keys.len()];
                    let q = Question::ALL[n % 3];
                    sef.set_answer(k, q, paragraphs.into_iter().flatten().collect())
                        .unwrap();
                }
                let mut areas: Vec<ItemId> = Vec::new();
                for (is_area, p) in findings {
                    if let Some(p) = p {
                        if is_area {
                            areas.push(sef.add_area_for_development(p).unwrap());
                        } else {
                            sef.add_strength(p).unwrap();
                        }
                    }
                }
                for (owned, dated, status, link, text) in actions {
                    let status = ActionStatus::ALL[status];
                    let _ = sef.add_action(ActionDetails {
                        owner: owned.then(|| text.clone()),
                        due: dated.then(|| day("2026-10-01")),
                        status,
                        answers: if link { areas.first().copied() } else { None },
                        ..ActionDetails::new(&text)
                    });
                }
                sef
            },
        )
    }

    proptest! {
        /// For any content the review does not panic, gives the same advice twice, and
        /// points only at places that exist.
        #[test]
        fn review_is_total_stable_and_points_at_real_places(sef in any_sef()) {
            let first = run(&sef);
            prop_assert_eq!(&first, &run(&sef.clone()));
            for advice in &first {
                prop_assert!(resolves(&sef, &advice.location), "{}", advice.location);
                prop_assert!(!advice.message.is_empty());
                prop_assert_eq!(advice.severity, ReviewRules::bundled().spec(advice.rule).severity);
            }
            // Every section's unanswered questions are each reported once.
            let unanswered: usize = sef
                .sections()
                .iter()
                .map(|s| Question::ALL.iter().filter(|q| s.answer(**q).is_empty()).count())
                .sum();
            prop_assert_eq!(first.iter().filter(|a| a.rule == RuleId::MissingAnswer).count(), unanswered);
            // And the advice on a signed-off copy is the same: stage does not matter.
            let mut signed = sef.clone();
            signed.sign_off(crate::self_evaluation::testing::by("dcs"), crate::self_evaluation::testing::at("2026-05-01")).unwrap();
            prop_assert_eq!(first, run(&signed));
        }
    }
}
