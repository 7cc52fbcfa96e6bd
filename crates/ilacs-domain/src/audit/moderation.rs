//! Moderation: a second auditor grades the same case blind, and the LA tracks how often
//! the two agree. Scores compare as grades: a numeric score by its band.

use super::ids::{AuditorId, ChildId, DomainKey};
use super::rate::Rate;
use super::record::Audit;
use crate::grade::Grade;
use serde::Serialize;

/// A first audit and its moderation: the same case on the same template, graded again
/// by someone else without seeing the first grades (the blindness is the form's job).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModerationPair<'a> {
    first: &'a Audit,
    moderation: &'a Audit,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    #[error("the moderation is of child {moderation}, not {first}: a moderation grades the same case again")]
    DifferentChild { first: ChildId, moderation: ChildId },
    #[error(
        "the moderation uses another template: grade the case again on the first audit's template"
    )]
    DifferentTemplate,
    #[error("{0} carried out the first audit, so cannot moderate it")]
    SameAuditor(AuditorId),
}

impl<'a> ModerationPair<'a> {
    pub fn new(first: &'a Audit, moderation: &'a Audit) -> Result<Self, ModerationError> {
        if first.child() != moderation.child() {
            return Err(ModerationError::DifferentChild {
                first: first.child().clone(),
                moderation: moderation.child().clone(),
            });
        }
        if first.template() != moderation.template() {
            return Err(ModerationError::DifferentTemplate);
        }
        if first.auditor() == moderation.auditor() {
            return Err(ModerationError::SameAuditor(first.auditor().clone()));
        }
        Ok(ModerationPair { first, moderation })
    }

    pub fn first(&self) -> &'a Audit {
        self.first
    }

    pub fn moderation(&self) -> &'a Audit {
        self.moderation
    }
}

/// How often two gradings agreed: exactly, and within one grade (exact counts as within).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Agreement {
    pub exact: Rate,
    pub within_one: Rate,
}

impl Agreement {
    fn count(&mut self, first: Option<Grade>, second: Option<Grade>) {
        // Both not applicable: no grades to agree on, so not counted. One not
        // applicable: the auditors disagree about the case, which counts against both
        // rates.
        let steps = match (first, second) {
            (None, None) => return,
            (Some(a), Some(b)) => Some(distance(a, b)),
            _ => None,
        };
        self.exact.count(steps == Some(0));
        self.within_one.count(steps.is_some_and(|s| s <= 1));
    }
}

/// Agreement on one domain across all pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainAgreement {
    pub domain: DomainKey,
    pub agreement: Agreement,
}

/// Agreement with the moderators for one first auditor: on the overall grade, and on
/// all their domain grades together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditorAgreement {
    pub auditor: AuditorId,
    pub overall: Agreement,
    pub domains: Agreement,
}

/// The moderated grade compared with the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Better,
    Worse,
}

/// A case whose overall grade moved on moderation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedGrade {
    /// The pair's position in the list given, so the caller can find its own records.
    pub pair: usize,
    pub child: ChildId,
    pub auditor: AuditorId,
    pub moderator: AuditorId,
    pub from: Grade,
    pub to: Grade,
    pub direction: Direction,
    /// How many grades it moved: 1 to 3.
    pub steps: u8,
}

/// Agreement across a set of moderated audits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ModerationReport {
    pub pairs: u32,
    /// On the overall grade.
    pub overall: Agreement,
    /// Per domain, in the order the audits list them (their template's order).
    pub domains: Vec<DomainAgreement>,
    /// Per first auditor, by auditor.
    pub auditors: Vec<AuditorAgreement>,
    /// The cases whose overall grade moved, in the order given.
    pub moved: Vec<MovedGrade>,
}

/// Grades apart: 0 for the same grade, 3 from outstanding to inadequate.
fn distance(a: Grade, b: Grade) -> u8 {
    let rank = |g: Grade| Grade::ALL.iter().position(|x| *x == g).expect("in ALL") as i32;
    (rank(a) - rank(b)).unsigned_abs() as u8
}

/// Computes agreement for a set of moderated audits. With no pairs every rate is
/// `0 of 0`.
pub fn moderation_report(pairs: &[ModerationPair<'_>]) -> ModerationReport {
    let mut report = ModerationReport {
        pairs: pairs.len() as u32,
        ..ModerationReport::default()
    };
    for (index, pair) in pairs.iter().enumerate() {
        let (first, second) = (pair.first, pair.moderation);
        let (from, to) = (first.overall_grade(), second.overall_grade());
        report.overall.count(Some(from), Some(to));

        let position = match report
            .auditors
            .binary_search_by(|a| a.auditor.cmp(first.auditor()))
        {
            Ok(i) => i,
            Err(i) => {
                report.auditors.insert(
                    i,
                    AuditorAgreement {
                        auditor: first.auditor().clone(),
                        overall: Agreement::default(),
                        domains: Agreement::default(),
                    },
                );
                i
            }
        };
        report.auditors[position]
            .overall
            .count(Some(from), Some(to));

        // The first audit's domains, then any only the moderation has (a domain missing
        // from one side is compared as "not scored", so it counts only if the other
        // side graded it).
        let keys = first
            .domains()
            .iter()
            .chain(second.domains())
            .map(|d| &d.domain);
        let mut seen: Vec<&DomainKey> = Vec::new();
        for key in keys {
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let grade = |audit: &Audit| audit.domain(key).and_then(|d| d.score.grade());
            let (a, b) = (grade(first), grade(second));
            let line = match report.domains.iter().position(|d| &d.domain == key) {
                Some(i) => i,
                None => {
                    report.domains.push(DomainAgreement {
                        domain: key.clone(),
                        agreement: Agreement::default(),
                    });
                    report.domains.len() - 1
                }
            };
            report.domains[line].agreement.count(a, b);
            report.auditors[position].domains.count(a, b);
        }

        if from != to {
            report.moved.push(MovedGrade {
                pair: index,
                child: first.child().clone(),
                auditor: first.auditor().clone(),
                moderator: second.auditor().clone(),
                from,
                to,
                // Better grades order first.
                direction: if to < from {
                    Direction::Better
                } else {
                    Direction::Worse
                },
                steps: distance(from, to),
            });
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{filled, signs_of_safety, Build};
    use Grade::*;

    fn agreement(exact: (u32, u32), within: (u32, u32)) -> Agreement {
        Agreement {
            exact: Rate::new(exact.0, exact.1).unwrap(),
            within_one: Rate::new(within.0, within.1).unwrap(),
        }
    }

    #[test]
    fn no_pairs_give_empty_rates_not_a_division_by_zero() {
        let report = moderation_report(&[]);
        assert_eq!(report.pairs, 0);
        assert_eq!(report.overall.exact.to_string(), "0 of 0");
        assert_eq!(report.overall.exact.fraction(), None);
        assert!(report.domains.is_empty() && report.auditors.is_empty() && report.moved.is_empty());
    }

    #[test]
    fn pairs_must_be_the_same_case_by_someone_else() {
        let a = Build::new("C1").auditor("amy").build();
        let b = Build::new("C2").auditor("ben").build();
        let c = Build::new("C1").auditor("amy").build();
        assert!(matches!(
            ModerationPair::new(&a, &b),
            Err(ModerationError::DifferentChild { .. })
        ));
        assert_eq!(
            ModerationPair::new(&a, &c),
            Err(ModerationError::SameAuditor(
                AuditorId::parse("amy").unwrap()
            ))
        );
        let template = signs_of_safety();
        let mut draft = filled(&template, "7");
        draft.auditor = "ben".into();
        let other_template = draft.parse(&template).unwrap();
        assert_eq!(
            ModerationPair::new(&a, &other_template),
            Err(ModerationError::DifferentTemplate)
        );
    }

    #[test]
    fn agreement_per_domain_overall_and_auditor() {
        let audits = [
            // Amy, C1: moderated good -> requires improvement; voice of the child differs
            // by two grades.
            Build::new("C1")
                .auditor("amy")
                .overall(Good)
                .score("voice_of_the_child", "outstanding")
                .build(),
            Build::new("C1")
                .auditor("mo")
                .overall(RequiresImprovement)
                .score("voice_of_the_child", "requires improvement")
                .build(),
            // Amy, C2: full agreement.
            Build::new("C2").auditor("amy").overall(Good).build(),
            Build::new("C2").auditor("mo").overall(Good).build(),
            // Zed, C3: moderated inadequate -> requires improvement (better); family
            // feedback not applicable for both, so not counted.
            Build::new("C3")
                .auditor("zed")
                .overall(Inadequate)
                .score("family_feedback", "n/a")
                .build(),
            Build::new("C3")
                .auditor("mo")
                .overall(RequiresImprovement)
                .score("family_feedback", "n/a")
                .build(),
        ];
        let pairs: Vec<_> = audits
            .chunks(2)
            .map(|p| ModerationPair::new(&p[0], &p[1]).unwrap())
            .collect();
        let report = moderation_report(&pairs);
        assert_eq!(report.pairs, 3);
        assert_eq!(report.overall, agreement((1, 3), (3, 3)));

        let domain = |key: &str| {
            report
                .domains
                .iter()
                .find(|d| d.domain.as_str() == key)
                .unwrap()
                .agreement
        };
        assert_eq!(report.domains.len(), 9);
        assert_eq!(
            report.domains[0].domain.as_str(),
            "history_and_chronology",
            "template order"
        );
        assert_eq!(domain("voice_of_the_child"), agreement((2, 3), (2, 3)));
        assert_eq!(
            domain("family_feedback"),
            agreement((2, 2), (2, 2)),
            "both n/a is not counted"
        );
        assert_eq!(domain("recording"), agreement((3, 3), (3, 3)));

        let names: Vec<_> = report.auditors.iter().map(|a| a.auditor.as_str()).collect();
        assert_eq!(names, ["amy", "zed"], "sorted by auditor");
        assert_eq!(report.auditors[0].overall, agreement((1, 2), (2, 2)));
        // Amy: 18 domain comparisons, one (voice, two grades apart) missed.
        assert_eq!(report.auditors[0].domains, agreement((17, 18), (17, 18)));
        assert_eq!(report.auditors[1].domains, agreement((8, 8), (8, 8)));

        assert_eq!(report.moved.len(), 2);
        let moved = &report.moved[0];
        assert_eq!(
            (moved.pair, moved.child.as_str(), moved.moderator.as_str()),
            (0, "C1", "mo")
        );
        assert_eq!(
            (moved.from, moved.to, moved.direction, moved.steps),
            (Good, RequiresImprovement, Direction::Worse, 1)
        );
        let moved = &report.moved[1];
        assert_eq!(
            (moved.pair, moved.direction, moved.steps),
            (2, Direction::Better, 1)
        );
    }

    #[test]
    fn not_applicable_against_a_grade_is_a_disagreement() {
        let a = Build::new("C1")
            .auditor("amy")
            .score("family_feedback", "good")
            .build();
        let b = Build::new("C1")
            .auditor("mo")
            .score("family_feedback", "n/a")
            .build();
        let report = moderation_report(&[ModerationPair::new(&a, &b).unwrap()]);
        let family = report
            .domains
            .iter()
            .find(|d| d.domain.as_str() == "family_feedback")
            .unwrap();
        assert_eq!(family.agreement, agreement((0, 1), (0, 1)));
    }

    #[test]
    fn numeric_scores_compare_by_band() {
        let template = signs_of_safety();
        let audit = |auditor: &str, score: &str| {
            let mut draft = filled(&template, score);
            draft.auditor = auditor.into();
            draft.parse(&template).unwrap()
        };
        // 7 and 8 are both good: exact agreement though the numbers differ. 6 is
        // requires improvement: within one. 2 is inadequate: two grades from good.
        let (seven, eight, six, two) = (
            audit("amy", "7"),
            audit("mo", "8"),
            audit("mo", "6"),
            audit("mo", "2"),
        );
        let same_band = moderation_report(&[ModerationPair::new(&seven, &eight).unwrap()]);
        assert_eq!(same_band.overall, agreement((1, 1), (1, 1)));
        assert!(same_band.moved.is_empty());
        let next_band = moderation_report(&[ModerationPair::new(&seven, &six).unwrap()]);
        assert_eq!(next_band.overall, agreement((0, 1), (1, 1)));
        let far = moderation_report(&[ModerationPair::new(&seven, &two).unwrap()]);
        assert_eq!(far.overall, agreement((0, 1), (0, 1)));
        assert_eq!(
            (far.moved[0].direction, far.moved[0].steps),
            (Direction::Worse, 2)
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn grade() -> impl Strategy<Value = Grade> {
            prop::sample::select(Grade::ALL.to_vec())
        }

        type Grading = (Grade, Grade, Grade, Grade, usize);

        /// Each grading: first and moderated overall grade, first and moderated grade
        /// for voice of the child, and which of three first auditors.
        fn check(gradings: &[Grading]) -> Result<(), TestCaseError> {
            let auditors = ["amy", "ben", "cat"];
            let audits: Vec<(Audit, Audit)> = gradings
                .iter()
                .enumerate()
                .map(|(i, (o1, o2, v1, v2, who))| {
                    let child = format!("C{i}");
                    let build = |auditor: &str, overall: Grade, voice: Grade| {
                        Build::new(&child)
                            .auditor(auditor)
                            .overall(overall)
                            .score("voice_of_the_child", voice.key())
                            .build()
                    };
                    (
                        build(auditors[*who], *o1, *v1),
                        build("moderator", *o2, *v2),
                    )
                })
                .collect();
            let pairs: Vec<_> = audits
                .iter()
                .map(|(a, b)| ModerationPair::new(a, b).unwrap())
                .collect();
            let report = moderation_report(&pairs);
            let n = gradings.len() as u32;
            prop_assert_eq!(report.overall.exact.denominator(), n);
            let mut all = vec![report.overall];
            all.extend(report.domains.iter().map(|d| d.agreement));
            all.extend(report.auditors.iter().flat_map(|a| [a.overall, a.domains]));
            for a in all {
                prop_assert!(a.exact.numerator() <= a.within_one.numerator());
                prop_assert_eq!(a.exact.denominator(), a.within_one.denominator());
                for rate in [a.exact, a.within_one] {
                    match rate.fraction() {
                        Some(f) => prop_assert!((0.0..=1.0).contains(&f)),
                        None => prop_assert_eq!(rate.denominator(), 0),
                    }
                }
            }
            let by_auditor: u32 = report
                .auditors
                .iter()
                .map(|a| a.overall.exact.denominator())
                .sum();
            prop_assert_eq!(by_auditor, n);
            let moved = gradings.iter().filter(|g| g.0 != g.1).count();
            prop_assert_eq!(report.moved.len(), moved);
            prop_assert_eq!(report.overall.exact.numerator(), n - moved as u32);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn rates_are_fractions_and_within_one_includes_exact(
                gradings in prop::collection::vec((grade(), grade(), grade(), grade(), 0usize..3), 0..8)
            ) {
                check(&gradings)?;
            }
        }
    }
}
