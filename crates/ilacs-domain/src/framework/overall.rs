use crate::grade::Grade;
use crate::inspection::{Judgement, Judgements};

/// How a version derives overall effectiveness from the sub-judgements: it is never
/// better than the best nor worse than the worst of them, and it is inadequate whenever
/// a limiting judgement (help and protection) is inadequate. Within that range the
/// inspectors decide; the rule says what is permitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverallRule {
    limiting: Vec<Judgement>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverallViolation {
    #[error("overall effectiveness needs at least one other judgement")]
    NoSubJudgements,
    #[error("overall effectiveness is {overall} but must lie between {best} and {worst}")]
    OutsideRange {
        overall: Grade,
        best: Grade,
        worst: Grade,
    },
    #[error("overall effectiveness must be inadequate when {limiting} is inadequate")]
    LimitingJudgementInadequate { limiting: Judgement },
    #[error("overall effectiveness is missing")]
    Missing,
}

impl OverallRule {
    pub(super) fn new(limiting: Vec<Judgement>) -> Self {
        OverallRule { limiting }
    }

    pub fn limiting(&self) -> &[Judgement] {
        &self.limiting
    }

    fn sub_judgements(judgements: &Judgements) -> impl Iterator<Item = (Judgement, Grade)> + '_ {
        judgements
            .iter()
            .filter(|(j, _)| *j != Judgement::OverallEffectiveness)
    }

    /// The grades overall effectiveness may take, best first, given the sub-judgements.
    pub fn permitted(&self, judgements: &Judgements) -> Vec<Grade> {
        let grades: Vec<Grade> = Self::sub_judgements(judgements).map(|(_, g)| g).collect();
        let (Some(best), Some(worst)) = (grades.iter().min(), grades.iter().max()) else {
            return Vec::new();
        };
        let limited = self
            .limiting
            .iter()
            .any(|l| judgements.get(*l) == Some(Grade::Inadequate));
        Grade::ALL
            .into_iter()
            .filter(|g| g >= best && g <= worst)
            .filter(|g| !limited || *g == Grade::Inadequate)
            .collect()
    }

    /// Checks a complete set of judgements against the rule.
    pub fn check(&self, judgements: &Judgements) -> Result<(), OverallViolation> {
        let overall = judgements
            .get(Judgement::OverallEffectiveness)
            .ok_or(OverallViolation::Missing)?;
        let grades: Vec<Grade> = Self::sub_judgements(judgements).map(|(_, g)| g).collect();
        let (Some(&best), Some(&worst)) = (grades.iter().min(), grades.iter().max()) else {
            return Err(OverallViolation::NoSubJudgements);
        };
        if let Some(limiting) = self
            .limiting
            .iter()
            .find(|l| judgements.get(**l) == Some(Grade::Inadequate))
        {
            if overall != Grade::Inadequate {
                return Err(OverallViolation::LimitingJudgementInadequate {
                    limiting: *limiting,
                });
            }
        }
        if overall < best || overall > worst {
            return Err(OverallViolation::OutsideRange {
                overall,
                best,
                worst,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Catalogue;
    use Grade::*;
    use Judgement::*;

    fn rule(version: &str) -> OverallRule {
        Catalogue::bundled()
            .version(version)
            .unwrap()
            .overall_rule()
            .unwrap()
            .clone()
    }

    fn set(pairs: &[(Judgement, Grade)]) -> Judgements {
        pairs
            .iter()
            .fold(Judgements::new(), |acc, (j, g)| acc.with(*j, *g))
    }

    #[test]
    fn barking_and_dagenham_2023_is_consistent() {
        let j = set(&[
            (OverallEffectiveness, RequiresImprovement),
            (ImpactOfLeaders, RequiresImprovement),
            (HelpAndProtection, RequiresImprovement),
            (ChildrenInCare, RequiresImprovement),
            (CareLeavers, Good),
        ]);
        assert_eq!(rule("2023").check(&j), Ok(()));
        assert_eq!(rule("2023").permitted(&j), vec![Good, RequiresImprovement]);
    }

    #[test]
    fn never_above_the_best_nor_below_the_worst() {
        let j = set(&[
            (OverallEffectiveness, Outstanding),
            (ImpactOfLeaders, Good),
            (HelpAndProtection, Good),
            (ChildrenInCare, RequiresImprovement),
        ]);
        assert_eq!(
            rule("2018").check(&j),
            Err(OverallViolation::OutsideRange {
                overall: Outstanding,
                best: Good,
                worst: RequiresImprovement
            })
        );
        let j = j.with(OverallEffectiveness, Inadequate);
        assert!(matches!(
            rule("2018").check(&j),
            Err(OverallViolation::OutsideRange { .. })
        ));
    }

    #[test]
    fn inadequate_help_and_protection_limits_overall() {
        for version in ["2018", "2023"] {
            let j = set(&[
                (OverallEffectiveness, RequiresImprovement),
                (ImpactOfLeaders, Good),
                (HelpAndProtection, Inadequate),
                (ChildrenInCare, Good),
            ]);
            assert_eq!(
                rule(version).check(&j),
                Err(OverallViolation::LimitingJudgementInadequate {
                    limiting: HelpAndProtection
                })
            );
            assert_eq!(rule(version).permitted(&j), vec![Inadequate]);
            assert_eq!(
                rule(version).check(&j.with(OverallEffectiveness, Inadequate)),
                Ok(())
            );
        }
    }

    #[test]
    fn inadequate_elsewhere_does_not_force_inadequate() {
        let j = set(&[
            (OverallEffectiveness, RequiresImprovement),
            (ImpactOfLeaders, RequiresImprovement),
            (HelpAndProtection, Good),
            (ChildrenInCare, Inadequate),
        ]);
        assert_eq!(rule("2018").check(&j), Ok(()));
    }

    #[test]
    fn missing_or_lonely_overall_is_reported() {
        assert_eq!(
            rule("2023").check(&set(&[(HelpAndProtection, Good)])),
            Err(OverallViolation::Missing)
        );
        assert_eq!(
            rule("2023").check(&set(&[(OverallEffectiveness, Good)])),
            Err(OverallViolation::NoSubJudgements)
        );
        assert!(rule("2023").permitted(&Judgements::new()).is_empty());
    }

    #[test]
    fn the_2026_version_has_no_overall_grade() {
        let c = Catalogue::bundled();
        let v = c.version("2026").unwrap();
        assert!(v.overall_rule().is_none());
        assert!(!v.has(OverallEffectiveness));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn grade() -> impl Strategy<Value = Grade> {
            prop::sample::select(Grade::ALL.to_vec())
        }

        proptest! {
            #[test]
            fn every_permitted_grade_passes_and_no_other(subs in prop::collection::vec(grade(), 4)) {
                let r = rule("2023");
                let base = set(&[
                    (ImpactOfLeaders, subs[0]),
                    (HelpAndProtection, subs[1]),
                    (ChildrenInCare, subs[2]),
                    (CareLeavers, subs[3]),
                ]);
                let permitted = r.permitted(&base);
                prop_assert!(!permitted.is_empty());
                for g in Grade::ALL {
                    let ok = r.check(&base.clone().with(OverallEffectiveness, g)).is_ok();
                    prop_assert_eq!(ok, permitted.contains(&g));
                }
            }
        }
    }
}
