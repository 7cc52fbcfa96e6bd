//! Year on year: what changed between last year's self-evaluation and this year's in
//! strengths, areas for development and the plan.
//!
//! Items are matched by id first: an item copied into a later version or into next
//! year's self-evaluation ([`super::next_year_from`]) keeps its id, so a
//! reworded strength is still the same strength. Items left over are then matched by
//! their text, normalised (case, punctuation and spacing ignored), one to one in order,
//! so a strength retyped from last year's document is still recognised.

use super::document::{Finding, SelfEvaluation};
use super::ids::{FinancialYear, ItemId};
use super::lifecycle::stage_phrase;
use super::plan::{ActionStatus, PlanAction};
use crate::access::SefStage;
use crate::authority::LaCode;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("These are self-evaluations of two local authorities ({last} and {this})")]
    DifferentLa { last: LaCode, this: LaCode },
    #[error("Compare with an earlier year: {last} is not before {this}")]
    NotEarlier {
        last: FinancialYear,
        this: FinancialYear,
    },
    #[error("Version {version} of {year} is {}: compare with a version that has been signed off", if *.stage == SefStage::Draft { "a draft" } else { stage_phrase(*.stage) })]
    NotSignedOff {
        year: FinancialYear,
        version: u32,
        stage: SefStage,
    },
}

/// How a kept item was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Id,
    Text,
}

/// An item in both years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub last: ItemId,
    pub this: ItemId,
    pub matched_by: MatchedBy,
    /// The wording changed (only possible when matched by id).
    pub reworded: bool,
}

/// Strengths or areas for development, last year against this.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingChanges {
    /// This year's ids, in this year's order.
    pub added: Vec<ItemId>,
    /// Last year's ids, in last year's order.
    pub removed: Vec<ItemId>,
    /// In this year's order.
    pub kept: Vec<Kept>,
}

/// What became of last year's plan, and this year's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    /// Last year's actions now done: done last year, or done in this year's plan.
    pub done: Vec<ItemId>,
    /// Last year's open actions still open in this year's plan.
    pub carried_over: Vec<ItemId>,
    /// Last year's actions dropped, last year or since.
    pub dropped: Vec<ItemId>,
    /// Last year's open actions that are not in this year's plan at all: a commitment
    /// that disappeared without being done or dropped.
    pub not_carried_over: Vec<ItemId>,
    /// This year's actions that were not in last year's plan.
    pub new: Vec<ItemId>,
    /// This year's actions overdue on the day compared.
    pub overdue: Vec<ItemId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearOnYear {
    pub last_year: FinancialYear,
    pub last_version: u32,
    pub this_year: FinancialYear,
    pub this_version: u32,
    pub strengths: FindingChanges,
    pub areas_for_development: FindingChanges,
    pub plan: PlanProgress,
}

/// Text as compared: lower-case words of letters and digits, single-spaced.
fn normalised(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// For each of this year's items, the index of last year's it matches, if any.
fn match_items<T>(
    last: &[T],
    this: &[T],
    id: impl Fn(&T) -> ItemId,
    text: impl Fn(&T) -> &str,
) -> Vec<Option<(usize, MatchedBy)>> {
    let mut taken = vec![false; last.len()];
    let mut matches: Vec<Option<(usize, MatchedBy)>> = this
        .iter()
        .map(|t| {
            let i = last.iter().position(|l| id(l) == id(t))?;
            taken[i] = true;
            Some((i, MatchedBy::Id))
        })
        .collect();
    for (t, slot) in this.iter().zip(matches.iter_mut()) {
        if slot.is_some() {
            continue;
        }
        let wanted = normalised(text(t));
        if let Some(i) =
            (0..last.len()).find(|&i| !taken[i] && normalised(text(&last[i])) == wanted)
        {
            taken[i] = true;
            *slot = Some((i, MatchedBy::Text));
        }
    }
    matches
}

fn finding_changes(last: &[Finding], this: &[Finding]) -> FindingChanges {
    let matches = match_items(last, this, Finding::id, Finding::text);
    let mut changes = FindingChanges::default();
    for (t, m) in this.iter().zip(&matches) {
        match m {
            Some((i, by)) => changes.kept.push(Kept {
                last: last[*i].id(),
                this: t.id(),
                matched_by: *by,
                reworded: normalised(last[*i].text()) != normalised(t.text()),
            }),
            None => changes.added.push(t.id()),
        }
    }
    changes.removed = last
        .iter()
        .enumerate()
        .filter(|(i, _)| !matches.iter().flatten().any(|(j, _)| j == i))
        .map(|(_, f)| f.id())
        .collect();
    changes
}

fn plan_progress(last: &[PlanAction], this: &[PlanAction], today: NaiveDate) -> PlanProgress {
    let matches = match_items(last, this, PlanAction::id, PlanAction::description);
    let mut progress = PlanProgress::default();
    for (i, action) in last.iter().enumerate() {
        let now = matches
            .iter()
            .position(|m| m.is_some_and(|(j, _)| j == i))
            .map(|t| this[t].status());
        let list = match (action.status(), now) {
            (ActionStatus::Done, _) | (_, Some(ActionStatus::Done)) => &mut progress.done,
            (ActionStatus::Dropped, _) | (_, Some(ActionStatus::Dropped)) => &mut progress.dropped,
            (_, Some(_)) => &mut progress.carried_over,
            (_, None) => &mut progress.not_carried_over,
        };
        list.push(action.id());
    }
    for (t, m) in this.iter().zip(&matches) {
        if m.is_none() {
            progress.new.push(t.id());
        }
        if t.is_overdue(today) {
            progress.overdue.push(t.id());
        }
    }
    progress
}

/// Compares this year's self-evaluation with an earlier year's of the same LA. The
/// earlier one must have been signed off (it is the record compared against); this
/// year's may be at any stage, so a draft can be checked against last year's as it is
/// written. `today` decides which actions are overdue.
pub fn compare_years(
    last: &SelfEvaluation,
    this: &SelfEvaluation,
    today: NaiveDate,
) -> Result<YearOnYear, CompareError> {
    if last.la() != this.la() {
        return Err(CompareError::DifferentLa {
            last: last.la().clone(),
            this: this.la().clone(),
        });
    }
    if last.year() >= this.year() {
        return Err(CompareError::NotEarlier {
            last: last.year(),
            this: this.year(),
        });
    }
    if last.stage() < SefStage::SignedOff {
        return Err(CompareError::NotSignedOff {
            year: last.year(),
            version: last.version(),
            stage: last.stage(),
        });
    }
    Ok(YearOnYear {
        last_year: last.year(),
        last_version: last.version(),
        this_year: this.year(),
        this_version: this.version(),
        strengths: finding_changes(last.strengths(), this.strengths()),
        areas_for_development: finding_changes(
            last.areas_for_development(),
            this.areas_for_development(),
        ),
        plan: plan_progress(last.plan(), this.plan(), today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Catalogue;
    use crate::self_evaluation::guide::Structure;
    use crate::self_evaluation::plan::{ActionDetails, Happened};
    use crate::self_evaluation::testing::{at, blank, by, day, para};

    fn signed(mut sef: SelfEvaluation) -> SelfEvaluation {
        sef.sign_off(by("dcs"), at("2025-05-01")).unwrap();
        sef
    }

    fn next(last: &SelfEvaluation) -> SelfEvaluation {
        crate::self_evaluation::next_year_from(last, &Catalogue::bundled(), &Structure::bundled())
            .unwrap()
    }

    #[test]
    fn findings_are_matched_by_id_then_by_text() {
        let mut last = blank(2025);
        let front_door = last.add_strength(para("Strong front door.", true)).unwrap();
        let workforce = last.add_strength(para("Stable workforce", true)).unwrap();
        let voice = last.add_strength(para("Voice of the child", true)).unwrap();
        let last = signed(last);

        let mut this = next(&last);
        // Reworded: still the same strength, by id.
        this.set_finding(front_door, para("A strong, timely front door", true))
            .unwrap();
        // Removed.
        this.remove_finding(workforce).unwrap();
        // Removed and typed again in other case and spacing: the same strength, by text.
        this.remove_finding(voice).unwrap();
        let retyped = this
            .add_strength(para("  voice of the CHILD ", true))
            .unwrap();
        let added = this.add_strength(para("Care leavers' hub", true)).unwrap();

        let yoy = compare_years(&last, &this, day("2026-06-01")).unwrap();
        assert_eq!(yoy.last_year.label(), "2025-26");
        assert_eq!(yoy.this_year.label(), "2026-27");
        assert_eq!(
            yoy.strengths.kept,
            [
                Kept {
                    last: front_door,
                    this: front_door,
                    matched_by: MatchedBy::Id,
                    reworded: true
                },
                Kept {
                    last: voice,
                    this: retyped,
                    matched_by: MatchedBy::Text,
                    reworded: false
                },
            ]
        );
        assert_eq!(yoy.strengths.removed, [workforce]);
        assert_eq!(yoy.strengths.added, [added]);
    }

    #[test]
    fn text_matches_are_one_to_one() {
        let mut last = blank(2025);
        let a = last.add_area_for_development(para("Drift", true)).unwrap();
        let last = signed(last);
        let mut this = blank(2026);
        let first = this.add_area_for_development(para("drift", true)).unwrap();
        let second = this.add_area_for_development(para("DRIFT!", true)).unwrap();
        let yoy = compare_years(&last, &this, day("2026-06-01")).unwrap();
        assert_eq!(yoy.areas_for_development.kept.len(), 1);
        assert_eq!(yoy.areas_for_development.kept[0].last, a);
        assert_eq!(yoy.areas_for_development.kept[0].this, first);
        assert_eq!(yoy.areas_for_development.added, [second]);
        assert!(yoy.areas_for_development.removed.is_empty());
    }

    #[test]
    fn plan_progress_follows_last_years_actions() {
        let mut last = blank(2025);
        let open = |desc: &str, due: &str| ActionDetails {
            status: ActionStatus::InProgress,
            due: Some(day(due)),
            ..ActionDetails::new(desc)
        };
        let done_last_year = last
            .add_action(ActionDetails {
                status: ActionStatus::Done,
                ..ActionDetails::new("Recruit PSW")
            })
            .unwrap();
        let finished_since = last
            .add_action(open("Neglect toolkit", "2026-03-01"))
            .unwrap();
        let still_open = last
            .add_action(open("Legal gateway", "2026-09-01"))
            .unwrap();
        let dropped_since = last
            .add_action(open("New IT system", "2026-01-01"))
            .unwrap();
        let vanished = last.add_action(open("Family hubs", "2026-01-01")).unwrap();
        let dropped_last_year = last
            .add_action(ActionDetails {
                status: ActionStatus::Dropped,
                ..ActionDetails::new("Old idea")
            })
            .unwrap();
        let last = signed(last);

        let mut this = next(&last);
        assert_eq!(
            this.plan().len(),
            4,
            "open actions are carried into next year"
        );
        this.set_action(
            finished_since,
            ActionDetails {
                status: ActionStatus::Done,
                happened: Some(Happened::new(day("2026-04-20"), "In use", vec![]).unwrap()),
                ..ActionDetails::new("Neglect toolkit")
            },
        )
        .unwrap();
        this.set_action(
            dropped_since,
            ActionDetails {
                status: ActionStatus::Dropped,
                ..ActionDetails::new("New IT system")
            },
        )
        .unwrap();
        this.remove_action(vanished).unwrap();
        let fresh = this
            .add_action(open("Adolescent hub", "2026-05-01"))
            .unwrap();

        let yoy = compare_years(&last, &this, day("2026-06-01")).unwrap();
        assert_eq!(yoy.plan.done, [done_last_year, finished_since]);
        assert_eq!(yoy.plan.carried_over, [still_open]);
        assert_eq!(yoy.plan.dropped, [dropped_since, dropped_last_year]);
        assert_eq!(yoy.plan.not_carried_over, [vanished]);
        assert_eq!(yoy.plan.new, [fresh]);
        // Overdue on 1 June 2026: the new hub (due 1 May); the gateway is due in September.
        assert_eq!(yoy.plan.overdue, [fresh]);
        let later = compare_years(&last, &this, day("2026-09-02")).unwrap();
        assert_eq!(later.plan.overdue, [still_open, fresh]);
    }

    #[test]
    fn only_a_signed_off_earlier_year_of_the_same_la_compares() {
        let last = blank(2025);
        let this = blank(2026);
        let err = compare_years(&last, &this, day("2026-06-01")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Version 1 of 2025-26 is a draft: compare with a version that has been signed off"
        );
        let last = signed(last);
        assert!(compare_years(&last, &this, day("2026-06-01")).is_ok());
        assert_eq!(
            compare_years(&this, &last, day("2026-06-01")),
            Err(CompareError::NotEarlier {
                last: this.year(),
                this: last.year()
            })
        );
        let mut elsewhere = SelfEvaluation::new(
            LaCode::parse("301").unwrap(),
            FinancialYear::new(2026).unwrap(),
            &Catalogue::bundled(),
            &Structure::bundled(),
        )
        .unwrap();
        elsewhere.sign_off(by("dcs"), at("2026-05-01")).unwrap();
        assert!(matches!(
            compare_years(&last, &elsewhere, day("2026-06-01")),
            Err(CompareError::DifferentLa { .. })
        ));
    }

    #[test]
    fn text_is_normalised_for_matching() {
        assert_eq!(normalised("  Voice of the CHILD! "), "voice of the child");
        assert_eq!(normalised("care-leavers' hub"), "care leavers hub");
        assert_eq!(normalised("..."), "");
    }
}
