//! One version of an LA's self-evaluation for a year, and every change a user can make
//! to it. Only a draft changes: a version that has been signed off is the LA's record,
//! so a change means a new draft version copied from it ([`new_version_from`]).

use super::evidence::{Evidence, Paragraph};
use super::guide::{Question, Structure};
use super::ids::{tidy, uk_date, FinancialYear, ItemId, ItemKind, SectionKey};
use super::lifecycle::{stage_phrase, stage_serde, StageChange};
use super::plan::{ActionDetails, PlanAction, PlanError};
use super::section::{Section, SectionKind};
use crate::access::SefStage;
use crate::authority::LaCode;
use crate::framework::Catalogue;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest section title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 150;

/// A strength or an area for development: a claim with its evidence, and an id that
/// follows it into later versions and years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    id: ItemId,
    paragraph: Paragraph,
}

impl Finding {
    pub fn id(&self) -> ItemId {
        self.id
    }
    pub fn paragraph(&self) -> &Paragraph {
        &self.paragraph
    }
    pub fn text(&self) -> &str {
        self.paragraph.text()
    }
    pub fn evidence(&self) -> &[Evidence] {
        self.paragraph.evidence()
    }
}

/// The last number given to each kind of item in this self-evaluation's year, so a new
/// item never takes the id of one removed in an earlier version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Counters {
    strengths: u32,
    areas: u32,
    actions: u32,
}

/// One version of an LA's self-evaluation for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfEvaluation {
    pub(super) la: LaCode,
    pub(super) year: FinancialYear,
    /// 1 for the first version of the year.
    pub(super) version: u32,
    /// The version this one was copied from.
    pub(super) based_on: Option<u32>,
    /// The framework version its default sections came from.
    pub(super) framework: String,
    #[serde(with = "stage_serde")]
    pub(super) stage: SefStage,
    pub(super) sections: Vec<Section>,
    pub(super) strengths: Vec<Finding>,
    pub(super) areas_for_development: Vec<Finding>,
    pub(super) plan: Vec<PlanAction>,
    pub(super) history: Vec<StageChange>,
    pub(super) counters: Counters,
}

/// Why a self-evaluation could not be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error(
        "No ILACS framework was in force on {}: a self-evaluation for {year} cannot be started",
        uk_date(*.date)
    )]
    NoFramework {
        year: FinancialYear,
        date: chrono::NaiveDate,
    },
    #[error("There is no year after {0}")]
    NoNextYear(FinancialYear),
}

/// Why a change to a self-evaluation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("Version {version} has been {}, so it cannot be changed: make a new version from it", stage_phrase(*.stage))]
    NotDraft { version: u32, stage: SefStage },
    #[error("There is no section '{0}'")]
    NoSection(SectionKey),
    #[error("There is no {0} in this self-evaluation")]
    NoItem(ItemId),
    #[error("'{0}' follows the framework's judgement areas or context, so it cannot be removed: rename or move it instead")]
    NotCustom(SectionKey),
    #[error("Enter a title for the section")]
    BlankTitle,
    #[error("The title must be {MAX_TITLE_CHARS} characters or fewer")]
    TitleTooLong,
    #[error("Area for development {area} is answered by plan actions ({}): link them to another area or remove them first", list(actions))]
    AreaAnswered { area: ItemId, actions: Vec<ItemId> },
    #[error("There is no area for development {0} for the action to answer")]
    NoArea(ItemId),
    #[error(transparent)]
    Plan(#[from] PlanError),
}

fn list(ids: &[ItemId]) -> String {
    ids.iter()
        .map(ItemId::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A place in a self-evaluation: what the review's advice points at and where a
/// citation is used. Its [`Display`](fmt::Display) is a stable path such as
/// `sections.care_leavers.how_you_know.2` or `plan.p-2026-4.owner`: keys and ids, not
/// positions, except a paragraph's place in its answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub enum Location {
    /// The whole document.
    Document,
    Section(SectionKey),
    Answer(SectionKey, Question),
    /// A paragraph of an answer, by its place (from 0).
    Paragraph(SectionKey, Question, usize),
    /// The list of areas for development.
    AreasForDevelopment,
    Strength(ItemId),
    AreaForDevelopment(ItemId),
    Action(ItemId),
    ActionField(ItemId, ActionField),
}

/// The parts of a plan action the review may point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionField {
    Owner,
    Due,
    /// The evidence that it happened.
    Evidence,
}

impl ActionField {
    pub fn key(self) -> &'static str {
        match self {
            ActionField::Owner => "owner",
            ActionField::Due => "due",
            ActionField::Evidence => "evidence",
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Document => f.write_str("document"),
            Location::Section(k) => write!(f, "sections.{k}"),
            Location::Answer(k, q) => write!(f, "sections.{k}.{q}"),
            Location::Paragraph(k, q, i) => write!(f, "sections.{k}.{q}.{i}"),
            Location::AreasForDevelopment => f.write_str("areas_for_development"),
            Location::Strength(id) => write!(f, "strengths.{id}"),
            Location::AreaForDevelopment(id) => write!(f, "areas_for_development.{id}"),
            Location::Action(id) => write!(f, "plan.{id}"),
            Location::ActionField(id, field) => write!(f, "plan.{id}.{}", field.key()),
        }
    }
}

impl From<Location> for String {
    fn from(value: Location) -> String {
        value.to_string()
    }
}

impl SelfEvaluation {
    /// Version 1 of a year's self-evaluation, at draft, with the default sections of the
    /// framework in force on the year's first day.
    pub fn new(
        la: LaCode,
        year: FinancialYear,
        catalogue: &Catalogue,
        structure: &Structure,
    ) -> Result<SelfEvaluation, StartError> {
        let date = year.first_day();
        let version = catalogue
            .version_on(date)
            .ok_or(StartError::NoFramework { year, date })?;
        Ok(SelfEvaluation {
            la,
            year,
            version: 1,
            based_on: None,
            framework: version.id.clone(),
            stage: SefStage::Draft,
            sections: structure.default_sections(version),
            strengths: Vec::new(),
            areas_for_development: Vec::new(),
            plan: Vec::new(),
            history: Vec::new(),
            counters: Counters::default(),
        })
    }

    pub fn la(&self) -> &LaCode {
        &self.la
    }
    pub fn year(&self) -> FinancialYear {
        self.year
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn based_on(&self) -> Option<u32> {
        self.based_on
    }
    /// The id of the framework version its default sections follow.
    pub fn framework(&self) -> &str {
        &self.framework
    }
    pub fn stage(&self) -> SefStage {
        self.stage
    }
    pub fn is_draft(&self) -> bool {
        self.stage == SefStage::Draft
    }
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }
    pub fn section(&self, key: &SectionKey) -> Option<&Section> {
        self.sections.iter().find(|s| s.key() == key)
    }
    pub fn strengths(&self) -> &[Finding] {
        &self.strengths
    }
    pub fn areas_for_development(&self) -> &[Finding] {
        &self.areas_for_development
    }
    pub fn plan(&self) -> &[PlanAction] {
        &self.plan
    }
    /// Every stage change, oldest first.
    pub fn history(&self) -> &[StageChange] {
        &self.history
    }

    pub fn strength(&self, id: ItemId) -> Option<&Finding> {
        self.strengths.iter().find(|f| f.id == id)
    }
    pub fn area_for_development(&self, id: ItemId) -> Option<&Finding> {
        self.areas_for_development.iter().find(|f| f.id == id)
    }
    pub fn action(&self, id: ItemId) -> Option<&PlanAction> {
        self.plan.iter().find(|a| a.id() == id)
    }

    /// The plan actions that answer an area for development, in plan order.
    pub fn actions_for(&self, area: ItemId) -> impl Iterator<Item = &PlanAction> + '_ {
        self.plan.iter().filter(move |a| a.answers() == Some(area))
    }

    /// Every citation with the claim that makes it, in document order: sections'
    /// paragraphs, strengths, areas for development, then evidence that actions
    /// happened. This is the evidence appendix, and what a reader's permissions are
    /// checked against before it is shown.
    pub fn citations(&self) -> Vec<(Location, &Evidence)> {
        let mut out = Vec::new();
        for s in &self.sections {
            for (q, i, p) in s.answers().paragraphs() {
                for e in p.evidence() {
                    out.push((Location::Paragraph(s.key().clone(), q, i), e));
                }
            }
        }
        for f in &self.strengths {
            out.extend(f.evidence().iter().map(|e| (Location::Strength(f.id), e)));
        }
        for f in &self.areas_for_development {
            out.extend(
                f.evidence()
                    .iter()
                    .map(|e| (Location::AreaForDevelopment(f.id), e)),
            );
        }
        for a in &self.plan {
            if let Some(h) = a.happened() {
                out.extend(
                    h.evidence()
                        .iter()
                        .map(|e| (Location::ActionField(a.id(), ActionField::Evidence), e)),
                );
            }
        }
        out
    }

    /// Refuses any change unless this version is a draft.
    fn check_draft(&self) -> Result<(), EditError> {
        if self.stage == SefStage::Draft {
            Ok(())
        } else {
            Err(EditError::NotDraft {
                version: self.version,
                stage: self.stage,
            })
        }
    }

    fn section_index(&self, key: &SectionKey) -> Result<usize, EditError> {
        self.sections
            .iter()
            .position(|s| s.key() == key)
            .ok_or_else(|| EditError::NoSection(key.clone()))
    }

    fn counter(&mut self, kind: ItemKind) -> &mut u32 {
        match kind {
            ItemKind::Strength => &mut self.counters.strengths,
            ItemKind::AreaForDevelopment => &mut self.counters.areas,
            ItemKind::Action => &mut self.counters.actions,
        }
    }

    /// The id the next item of a kind will get.
    fn peek_id(&mut self, kind: ItemKind) -> ItemId {
        let next = *self.counter(kind) + 1;
        ItemId::new(kind, self.year, next).expect("above zero")
    }

    /// Gives out the next id of a kind.
    fn next_id(&mut self, kind: ItemKind) -> ItemId {
        let id = self.peek_id(kind);
        *self.counter(kind) += 1;
        id
    }

    /// Adds a section of the LA's own at the end. Its key comes from the title, made
    /// unique with a number (`early-help-2`).
    pub fn add_section(&mut self, title: &str) -> Result<SectionKey, EditError> {
        self.check_draft()?;
        let title = section_title(title)?;
        let base = SectionKey::from_title(&title);
        let key = (1..)
            .map(|n| numbered(&base, n))
            .find(|k| self.section(k).is_none())
            .expect("some number is free");
        self.sections
            .push(Section::new(key.clone(), SectionKind::Custom, title));
        Ok(key)
    }

    /// Renames any section; its key stays.
    pub fn rename_section(&mut self, key: &SectionKey, title: &str) -> Result<(), EditError> {
        self.check_draft()?;
        let title = section_title(title)?;
        let i = self.section_index(key)?;
        self.sections[i].set_title(title);
        Ok(())
    }

    /// Removes a section the LA added. Context and judgement sections stay: they are
    /// what Ofsted reads a self-evaluation for.
    pub fn remove_section(&mut self, key: &SectionKey) -> Result<(), EditError> {
        self.check_draft()?;
        let i = self.section_index(key)?;
        if self.sections[i].kind() != SectionKind::Custom {
            return Err(EditError::NotCustom(key.clone()));
        }
        self.sections.remove(i);
        Ok(())
    }

    /// Moves a section to a place (from 0); a place past the end means last.
    pub fn move_section(&mut self, key: &SectionKey, to: usize) -> Result<(), EditError> {
        self.check_draft()?;
        let from = self.section_index(key)?;
        let section = self.sections.remove(from);
        let to = to.min(self.sections.len());
        self.sections.insert(to, section);
        Ok(())
    }

    /// Replaces a section's answer to one question.
    pub fn set_answer(
        &mut self,
        key: &SectionKey,
        question: Question,
        paragraphs: Vec<Paragraph>,
    ) -> Result<(), EditError> {
        self.check_draft()?;
        let i = self.section_index(key)?;
        self.sections[i].answers_mut().set(question, paragraphs);
        Ok(())
    }

    pub fn add_strength(&mut self, paragraph: Paragraph) -> Result<ItemId, EditError> {
        self.check_draft()?;
        let id = self.next_id(ItemKind::Strength);
        self.strengths.push(Finding { id, paragraph });
        Ok(id)
    }

    pub fn add_area_for_development(&mut self, paragraph: Paragraph) -> Result<ItemId, EditError> {
        self.check_draft()?;
        let id = self.next_id(ItemKind::AreaForDevelopment);
        self.areas_for_development.push(Finding { id, paragraph });
        Ok(id)
    }

    /// Replaces the text and evidence of a strength or an area for development.
    pub fn set_finding(&mut self, id: ItemId, paragraph: Paragraph) -> Result<(), EditError> {
        self.check_draft()?;
        let list = match id.kind() {
            ItemKind::Strength => &mut self.strengths,
            ItemKind::AreaForDevelopment => &mut self.areas_for_development,
            ItemKind::Action => return Err(EditError::NoItem(id)),
        };
        let finding = list
            .iter_mut()
            .find(|f| f.id == id)
            .ok_or(EditError::NoItem(id))?;
        finding.paragraph = paragraph;
        Ok(())
    }

    /// Removes a strength or an area for development. An area that plan actions answer
    /// stays until they answer another or are removed: never a silent unlinking.
    pub fn remove_finding(&mut self, id: ItemId) -> Result<(), EditError> {
        self.check_draft()?;
        if id.kind() == ItemKind::AreaForDevelopment {
            let actions: Vec<ItemId> = self.actions_for(id).map(PlanAction::id).collect();
            if !actions.is_empty() {
                return Err(EditError::AreaAnswered { area: id, actions });
            }
        }
        let list = match id.kind() {
            ItemKind::Strength => &mut self.strengths,
            ItemKind::AreaForDevelopment => &mut self.areas_for_development,
            ItemKind::Action => return Err(EditError::NoItem(id)),
        };
        let i = list
            .iter()
            .position(|f| f.id == id)
            .ok_or(EditError::NoItem(id))?;
        list.remove(i);
        Ok(())
    }

    fn checked_action(&self, id: ItemId, details: ActionDetails) -> Result<PlanAction, EditError> {
        if let Some(area) = details.answers {
            if self.area_for_development(area).is_none() {
                return Err(EditError::NoArea(area));
            }
        }
        Ok(PlanAction::new(id, details)?)
    }

    pub fn add_action(&mut self, details: ActionDetails) -> Result<ItemId, EditError> {
        self.check_draft()?;
        // Check before taking the number, so a refused action uses none.
        let id = self.peek_id(ItemKind::Action);
        let action = self.checked_action(id, details)?;
        self.next_id(ItemKind::Action);
        self.plan.push(action);
        Ok(id)
    }

    pub fn set_action(&mut self, id: ItemId, details: ActionDetails) -> Result<(), EditError> {
        self.check_draft()?;
        let i = self
            .plan
            .iter()
            .position(|a| a.id() == id)
            .ok_or(EditError::NoItem(id))?;
        self.plan[i] = self.checked_action(id, details)?;
        Ok(())
    }

    pub fn remove_action(&mut self, id: ItemId) -> Result<(), EditError> {
        self.check_draft()?;
        let i = self
            .plan
            .iter()
            .position(|a| a.id() == id)
            .ok_or(EditError::NoItem(id))?;
        self.plan.remove(i);
        Ok(())
    }
}

/// `base` for 1, else `base-n`, cutting `base` short to keep within the key length.
fn numbered(base: &SectionKey, n: u32) -> SectionKey {
    if n == 1 {
        return base.clone();
    }
    let suffix = format!("-{n}");
    let room = super::ids::MAX_KEY_CHARS - suffix.len();
    let stem: String = base.as_str().chars().take(room).collect();
    let stem = stem.trim_end_matches(['-', '_']);
    SectionKey::parse(&format!("{stem}{suffix}")).expect("a valid key with a number")
}

fn section_title(input: &str) -> Result<String, EditError> {
    let title = tidy(input);
    if title.is_empty() {
        Err(EditError::BlankTitle)
    } else if title.chars().count() > MAX_TITLE_CHARS {
        Err(EditError::TitleTooLong)
    } else {
        Ok(title)
    }
}

/// A new draft version copied from another (usually signed off, or later): the next
/// version number, the same content and item ids, and a history of its own. The store
/// must refuse a second version with the same LA, year and number, so that two people
/// copying the same version at once cannot both save.
pub fn new_version_from(previous: &SelfEvaluation) -> SelfEvaluation {
    SelfEvaluation {
        version: previous.version + 1,
        based_on: Some(previous.version),
        stage: SefStage::Draft,
        history: Vec::new(),
        ..previous.clone()
    }
}

/// Starts next year's self-evaluation from this one. It has the default sections
/// of the framework in force next year, then this year's own sections, all
/// unanswered (what the LA knows must be this year's); this year's strengths and
/// areas for development, and its plan actions that are neither done nor dropped,
/// keep their ids, so the year-on-year comparison can follow them.
pub fn next_year_from(
    last: &SelfEvaluation,
    catalogue: &Catalogue,
    structure: &Structure,
) -> Result<SelfEvaluation, StartError> {
    let year = last.year.next().ok_or(StartError::NoNextYear(last.year))?;
    let mut next = SelfEvaluation::new(last.la.clone(), year, catalogue, structure)?;
    for s in last
        .sections
        .iter()
        .filter(|s| s.kind() == SectionKind::Custom)
    {
        if next.section(s.key()).is_none() {
            next.sections.push(Section::new(
                s.key().clone(),
                SectionKind::Custom,
                s.title().to_string(),
            ));
        }
    }
    next.strengths = last.strengths.clone();
    next.areas_for_development = last.areas_for_development.clone();
    next.plan = last
        .plan
        .iter()
        .filter(|a| a.status().is_open())
        .cloned()
        .collect();
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_evaluation::evidence::Citation;
    use crate::self_evaluation::ids::DocumentId;
    use crate::self_evaluation::plan::ActionStatus;
    use crate::self_evaluation::testing::{at, blank, by, para};

    fn key(k: &str) -> SectionKey {
        SectionKey::parse(k).unwrap()
    }

    #[test]
    fn a_new_self_evaluation_follows_the_framework_of_its_year() {
        let sef = blank(2026);
        assert_eq!(sef.version(), 1);
        assert_eq!(sef.framework(), "2026");
        assert!(sef.is_draft());
        assert_eq!(sef.sections().len(), 5);
        // 2022-23 starts on 1 April 2022, under the 2018 framework.
        let old = SelfEvaluation::new(
            LaCode::parse("878").unwrap(),
            FinancialYear::new(2022).unwrap(),
            &Catalogue::bundled(),
            &Structure::bundled(),
        )
        .unwrap();
        assert_eq!(old.framework(), "2018");
        assert!(old.section(&key("care_leavers")).is_none());
        let err = SelfEvaluation::new(
            LaCode::parse("878").unwrap(),
            FinancialYear::new(2016).unwrap(),
            &Catalogue::bundled(),
            &Structure::bundled(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "No ILACS framework was in force on 1 April 2016: a self-evaluation for 2016-17 cannot be started"
        );
    }

    #[test]
    fn sections_can_be_added_renamed_moved_and_removed() {
        let mut sef = blank(2026);
        let early = sef.add_section("  Early   help ").unwrap();
        assert_eq!(early.as_str(), "early-help");
        let again = sef.add_section("Early help").unwrap();
        assert_eq!(again.as_str(), "early-help-2");
        assert_eq!(sef.add_section(" "), Err(EditError::BlankTitle));
        assert_eq!(
            sef.add_section(&"t".repeat(151)),
            Err(EditError::TitleTooLong)
        );
        sef.move_section(&early, 0).unwrap();
        sef.move_section(&key("context"), 99).unwrap();
        let order: Vec<_> = sef.sections().iter().map(|s| s.key().as_str()).collect();
        assert_eq!(
            order,
            [
                "early-help",
                "help_and_protection",
                "children_in_care",
                "care_leavers",
                "impact_of_leaders",
                "early-help-2",
                "context"
            ]
        );
        sef.rename_section(&key("care_leavers"), "Care leavers")
            .unwrap();
        assert_eq!(
            sef.section(&key("care_leavers")).unwrap().title(),
            "Care leavers"
        );
        assert_eq!(
            sef.remove_section(&key("care_leavers")),
            Err(EditError::NotCustom(key("care_leavers")))
        );
        assert_eq!(
            sef.remove_section(&key("context")),
            Err(EditError::NotCustom(key("context")))
        );
        sef.remove_section(&again).unwrap();
        assert_eq!(
            sef.remove_section(&again),
            Err(EditError::NoSection(again.clone()))
        );
        assert_eq!(sef.sections().len(), 6);
    }

    #[test]
    fn long_titles_still_get_unique_keys() {
        let mut sef = blank(2026);
        let title = "word ".repeat(29);
        let first = sef.add_section(&title).unwrap();
        let second = sef.add_section(&title).unwrap();
        assert_ne!(first, second);
        assert!(second.as_str().ends_with("-2") && second.as_str().len() <= 64);
        for _ in 0..9 {
            sef.add_section(&title).unwrap();
        }
        assert!(sef
            .section(&key(&format!("{}-11", &first.as_str()[..61])))
            .is_some());
    }

    #[test]
    fn answers_are_set_per_question() {
        let mut sef = blank(2026);
        let hp = key("help_and_protection");
        sef.set_answer(&hp, Question::HowYouKnow, vec![para("Audits", true)])
            .unwrap();
        let section = sef.section(&hp).unwrap();
        assert_eq!(section.answer(Question::HowYouKnow).len(), 1);
        assert!(section.answer(Question::WhatYouKnow).is_empty());
        assert_eq!(
            sef.set_answer(&key("nowhere"), Question::Plans, vec![]),
            Err(EditError::NoSection(key("nowhere")))
        );
    }

    #[test]
    fn items_get_ids_that_are_never_reused() {
        let mut sef = blank(2026);
        let s1 = sef.add_strength(para("Strong front door", true)).unwrap();
        let s2 = sef.add_strength(para("Stable workforce", true)).unwrap();
        assert_eq!(
            (s1.to_string().as_str(), s2.to_string().as_str()),
            ("s-2026-1", "s-2026-2")
        );
        sef.remove_finding(s2).unwrap();
        let s3 = sef.add_strength(para("Good supervision", false)).unwrap();
        assert_eq!(
            s3.to_string(),
            "s-2026-3",
            "a removed id is not given again"
        );
        let a1 = sef
            .add_area_for_development(para("Drift in PLO", true))
            .unwrap();
        assert_eq!(a1.to_string(), "a-2026-1");
        // A refused action takes no number.
        let missing_area = ItemId::parse("a-2026-9").unwrap();
        assert_eq!(
            sef.add_action(ActionDetails {
                answers: Some(missing_area),
                ..ActionDetails::new("Track PLO")
            }),
            Err(EditError::NoArea(missing_area))
        );
        let p1 = sef
            .add_action(ActionDetails {
                answers: Some(a1),
                ..ActionDetails::new("Track PLO")
            })
            .unwrap();
        assert_eq!(p1.to_string(), "p-2026-1");
        assert_eq!(sef.actions_for(a1).count(), 1);
        sef.set_finding(s1, para("Very strong front door", true))
            .unwrap();
        assert_eq!(sef.strength(s1).unwrap().text(), "Very strong front door");
        assert_eq!(
            sef.set_finding(p1, para("x", false)),
            Err(EditError::NoItem(p1))
        );
        assert_eq!(
            sef.set_finding(s2, para("x", false)),
            Err(EditError::NoItem(s2))
        );
    }

    #[test]
    fn an_area_answered_by_actions_is_not_removed_silently() {
        let mut sef = blank(2026);
        let a1 = sef.add_area_for_development(para("Drift", true)).unwrap();
        let p1 = sef
            .add_action(ActionDetails {
                answers: Some(a1),
                ..ActionDetails::new("Tracker")
            })
            .unwrap();
        let err = sef.remove_finding(a1).unwrap_err();
        assert_eq!(
            err,
            EditError::AreaAnswered {
                area: a1,
                actions: vec![p1]
            }
        );
        assert!(err.to_string().contains("(p-2026-1)"), "{err}");
        sef.set_action(p1, ActionDetails::new("Tracker")).unwrap();
        sef.remove_finding(a1).unwrap();
        assert!(sef.areas_for_development().is_empty());
    }

    #[test]
    fn actions_are_checked_when_set() {
        let mut sef = blank(2026);
        let p1 = sef.add_action(ActionDetails::new("Recruit")).unwrap();
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let bad = ActionDetails {
            start: Some(d("2026-06-01")),
            due: Some(d("2026-05-01")),
            ..ActionDetails::new("Recruit")
        };
        assert_eq!(
            sef.set_action(p1, bad.clone()),
            Err(EditError::Plan(PlanError::DueBeforeStart {
                start: d("2026-06-01"),
                due: d("2026-05-01")
            }))
        );
        assert_eq!(
            sef.add_action(bad),
            Err(EditError::Plan(PlanError::DueBeforeStart {
                start: d("2026-06-01"),
                due: d("2026-05-01")
            }))
        );
        assert_eq!(sef.plan().len(), 1);
        sef.remove_action(p1).unwrap();
        assert_eq!(sef.remove_action(p1), Err(EditError::NoItem(p1)));
    }

    #[test]
    fn a_signed_off_version_refuses_every_change() {
        let mut sef = blank(2026);
        let s1 = sef.add_strength(para("x", true)).unwrap();
        let p1 = sef.add_action(ActionDetails::new("y")).unwrap();
        sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
        let refused = EditError::NotDraft {
            version: 1,
            stage: SefStage::SignedOff,
        };
        let hp = key("help_and_protection");
        assert_eq!(sef.add_section("More"), Err(refused.clone()));
        assert_eq!(sef.rename_section(&hp, "x"), Err(refused.clone()));
        assert_eq!(sef.move_section(&hp, 0), Err(refused.clone()));
        assert_eq!(sef.remove_section(&hp), Err(refused.clone()));
        assert_eq!(
            sef.set_answer(&hp, Question::Plans, vec![]),
            Err(refused.clone())
        );
        assert_eq!(sef.add_strength(para("z", true)), Err(refused.clone()));
        assert_eq!(
            sef.add_area_for_development(para("z", true)),
            Err(refused.clone())
        );
        assert_eq!(sef.set_finding(s1, para("z", true)), Err(refused.clone()));
        assert_eq!(sef.remove_finding(s1), Err(refused.clone()));
        assert_eq!(
            sef.add_action(ActionDetails::new("z")),
            Err(refused.clone())
        );
        assert_eq!(
            sef.set_action(p1, ActionDetails::new("z")),
            Err(refused.clone())
        );
        assert_eq!(sef.remove_action(p1), Err(refused.clone()));
        assert_eq!(
            refused.to_string(),
            "Version 1 has been signed off, so it cannot be changed: make a new version from it"
        );

        let mut next = new_version_from(&sef);
        assert_eq!(next.version(), 2);
        assert_eq!(next.based_on(), Some(1));
        assert!(next.is_draft());
        assert!(next.history().is_empty());
        assert_eq!(next.strengths(), sef.strengths());
        next.set_finding(s1, para("changed", true)).unwrap();
        // The signed-off version is untouched, and new ids continue from it.
        assert_eq!(sef.strength(s1).unwrap().text(), "x");
        assert_eq!(
            next.add_strength(para("n", true)).unwrap().to_string(),
            "s-2026-2"
        );
        assert_eq!(sef.history().len(), 1);
    }

    #[test]
    fn citations_are_listed_with_where_they_are_used() {
        let mut sef = blank(2026);
        let hp = key("help_and_protection");
        sef.set_answer(
            &hp,
            Question::WhatYouKnow,
            vec![para("uncited", false), para("cited", true)],
        )
        .unwrap();
        let s1 = sef.add_strength(para("s", true)).unwrap();
        let done = ActionDetails {
            status: ActionStatus::Done,
            happened: Some(
                crate::self_evaluation::plan::Happened::new(
                    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
                    "changed",
                    vec![Evidence::unlabelled(Citation::Document {
                        document: DocumentId::new(3).unwrap(),
                    })],
                )
                .unwrap(),
            ),
            ..ActionDetails::new("done")
        };
        let p1 = sef.add_action(done).unwrap();
        let places: Vec<String> = sef.citations().iter().map(|(l, _)| l.to_string()).collect();
        assert_eq!(
            places,
            [
                "sections.help_and_protection.what_you_know.1".to_string(),
                format!("strengths.{s1}"),
                format!("plan.{p1}.evidence"),
            ]
        );
    }

    #[test]
    fn next_year_starts_from_this_years_findings_and_open_actions() {
        let mut sef = blank(2025);
        sef.add_section("Early help").unwrap();
        sef.set_answer(
            &key("context"),
            Question::WhatYouKnow,
            vec![para("old", false)],
        )
        .unwrap();
        let s1 = sef.add_strength(para("s", true)).unwrap();
        let a1 = sef.add_area_for_development(para("a", true)).unwrap();
        let open = sef
            .add_action(ActionDetails {
                answers: Some(a1),
                status: ActionStatus::InProgress,
                ..ActionDetails::new("open")
            })
            .unwrap();
        sef.add_action(ActionDetails {
            status: ActionStatus::Dropped,
            ..ActionDetails::new("dropped")
        })
        .unwrap();
        let next = next_year_from(&sef, &Catalogue::bundled(), &Structure::bundled()).unwrap();
        assert_eq!(next.year().label(), "2026-27");
        assert_eq!(next.version(), 1);
        assert_eq!(next.framework(), "2026");
        assert_eq!(next.sections().len(), 6);
        assert!(next.section(&key("early-help")).is_some());
        assert!(next
            .sections()
            .iter()
            .all(|s| s.answers() == &Default::default()));
        assert_eq!(next.strength(s1).unwrap().text(), "s");
        assert!(next.area_for_development(a1).is_some());
        let plan: Vec<_> = next.plan().iter().map(|a| a.id()).collect();
        assert_eq!(plan, [open]);
        let mut next = next;
        assert_eq!(
            next.add_strength(para("new", true)).unwrap().to_string(),
            "s-2026-1",
            "new ids carry the new year"
        );
    }

    #[test]
    fn a_whole_self_evaluation_round_trips_through_serde() {
        use crate::self_evaluation::testing::{audits, cites, indicator};
        let mut sef = blank(2026);
        sef.add_section("Early help").unwrap();
        sef.set_answer(
            &key("help_and_protection"),
            Question::WhatYouKnow,
            vec![cites(
                "Plans are timely",
                vec![audits(&[3, 4]), indicator("cin_seen")],
            )],
        )
        .unwrap();
        let area = sef.add_area_for_development(para("Drift", true)).unwrap();
        sef.add_action(ActionDetails {
            answers: Some(area),
            owner: Some("PSW".into()),
            ..ActionDetails::new("Tracker")
        })
        .unwrap();
        sef.sign_off(by("dcs"), at("2026-05-01")).unwrap();
        let text = toml::to_string(&sef).unwrap();
        assert!(text.contains("stage = \"signed_off\""), "{text}");
        assert!(text.contains("year = \"2026-27\""), "{text}");
        let back: SelfEvaluation = toml::from_str(&text).unwrap();
        assert_eq!(back, sef);
        let bad = text.replace("stage = \"signed_off\"", "stage = \"final\"");
        assert!(toml::from_str::<SelfEvaluation>(&bad).is_err());
    }

    #[test]
    fn locations_are_paths() {
        let id = ItemId::parse("p-2026-4").unwrap();
        assert_eq!(
            Location::ActionField(id, ActionField::Owner).to_string(),
            "plan.p-2026-4.owner"
        );
        assert_eq!(
            Location::Paragraph(key("care_leavers"), Question::HowYouKnow, 2).to_string(),
            "sections.care_leavers.how_you_know.2"
        );
        assert_eq!(Location::Document.to_string(), "document");
    }
}
