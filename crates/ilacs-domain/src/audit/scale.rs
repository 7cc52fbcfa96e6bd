//! How a template scores a domain: on Ofsted's four grades, or on a numeric scale
//! whose bands translate each number into a grade for reporting and moderation.

use crate::grade::Grade;
use serde::{Deserialize, Serialize};

/// A template's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Scale {
    /// Outstanding, good, requires improvement to be good, inadequate.
    OfstedGrades,
    /// Whole numbers from `min` to `max`, such as Signs of Safety's 0 to 10.
    Numeric(NumericScale),
}

/// A numeric scale and its grade bands. Every number on the scale falls in exactly one
/// band, and a better grade's band lies above a worse one's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumericScale {
    min: u32,
    max: u32,
    /// Best grade first; contiguous, covering `min..=max`.
    bands: Vec<GradeBand>,
}

/// The numbers `from..=to` that report as `grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GradeBand {
    pub grade: Grade,
    pub from: u32,
    pub to: u32,
}

/// One domain's (or the case's overall) score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    Grade(Grade),
    /// A number on a numeric scale, with the grade its band gave it when scored: the
    /// score keeps meaning the same even if the LA later moves its bands.
    Scaled {
        value: u32,
        band: Grade,
    },
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaleError {
    #[error("the scale's minimum ({min}) must be below its maximum ({max})")]
    EmptyRange { min: u32, max: u32 },
    #[error("the scale needs at least one grade band")]
    NoBands,
    #[error("the {grade} band appears twice")]
    DuplicateBand { grade: Grade },
    #[error("the {grade} band starts at {from}, outside the scale ({min} to {max})")]
    BandOutsideScale {
        grade: Grade,
        from: u32,
        min: u32,
        max: u32,
    },
    #[error("the {better} band must start above the {worse} band ({better} starts at {better_from}, {worse} at {worse_from})")]
    BandsOutOfOrder {
        better: Grade,
        better_from: u32,
        worse: Grade,
        worse_from: u32,
    },
    #[error("the worst band ({grade}) must start at the scale's minimum, {min}, so that every score has a grade")]
    GapAtBottom { grade: Grade, min: u32 },
}

/// Why a score did not parse. The audit form turns these into messages naming the domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("no score given")]
    Blank,
    #[error("not a grade")]
    NotAGrade,
    #[error("not a whole number")]
    NotANumber,
    #[error("outside the scale ({min} to {max})")]
    OutOfRange { min: u32, max: u32 },
}

impl NumericScale {
    /// Builds a scale from each band's lowest score, checking that the bands cover the
    /// whole scale in grade order.
    pub fn new(min: u32, max: u32, band_starts: &[(Grade, u32)]) -> Result<Self, ScaleError> {
        if min >= max {
            return Err(ScaleError::EmptyRange { min, max });
        }
        if band_starts.is_empty() {
            return Err(ScaleError::NoBands);
        }
        let mut starts = band_starts.to_vec();
        starts.sort_by_key(|(grade, _)| *grade);
        for pair in starts.windows(2) {
            let ((better, better_from), (worse, worse_from)) = (pair[0], pair[1]);
            if better == worse {
                return Err(ScaleError::DuplicateBand { grade: better });
            }
            if better_from <= worse_from {
                return Err(ScaleError::BandsOutOfOrder {
                    better,
                    better_from,
                    worse,
                    worse_from,
                });
            }
        }
        if let Some(&(grade, from)) = starts.iter().find(|(_, from)| *from > max || *from < min) {
            return Err(ScaleError::BandOutsideScale {
                grade,
                from,
                min,
                max,
            });
        }
        let &(worst, worst_from) = starts.last().expect("not empty: checked above");
        if worst_from != min {
            return Err(ScaleError::GapAtBottom { grade: worst, min });
        }
        let bands = starts
            .iter()
            .enumerate()
            .map(|(i, &(grade, from))| GradeBand {
                grade,
                from,
                // A band runs up to the next better band's start; the best band to max.
                to: if i == 0 { max } else { starts[i - 1].1 - 1 },
            })
            .collect();
        Ok(NumericScale { min, max, bands })
    }

    pub fn min(&self) -> u32 {
        self.min
    }

    pub fn max(&self) -> u32 {
        self.max
    }

    /// The bands, best grade first.
    pub fn bands(&self) -> &[GradeBand] {
        &self.bands
    }

    /// The grade a number reports as, or `None` off the scale.
    pub fn band(&self, value: u32) -> Option<Grade> {
        self.bands
            .iter()
            .find(|b| (b.from..=b.to).contains(&value))
            .map(|b| b.grade)
    }

    /// A score for a number on this scale.
    pub fn score(&self, value: u32) -> Result<Score, ScoreError> {
        self.band(value)
            .map(|band| Score::Scaled { value, band })
            .ok_or(ScoreError::OutOfRange {
                min: self.min,
                max: self.max,
            })
    }
}

/// The words an auditor may use for "not applicable".
fn is_not_applicable(input: &str) -> bool {
    let s: String = input
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    matches!(s.as_str(), "na" | "notapplicable")
}

impl Scale {
    /// Parses what an auditor entered: a grade (key, label or 1 to 4) on Ofsted's
    /// scale, a whole number on a numeric one, or "not applicable" / "n/a" on either.
    /// Whether not applicable is allowed is the domain's business, not the scale's.
    pub fn parse_score(&self, input: &str) -> Result<Score, ScoreError> {
        if input.trim().is_empty() {
            return Err(ScoreError::Blank);
        }
        if is_not_applicable(input) {
            return Ok(Score::NotApplicable);
        }
        match self {
            Scale::OfstedGrades => Grade::parse(input)
                .map(Score::Grade)
                .map_err(|_| ScoreError::NotAGrade),
            Scale::Numeric(numeric) => {
                let value: u32 = input.trim().parse().map_err(|_| {
                    // "-1" and "11" are both off the scale; "seven" is not a number.
                    if input.trim().parse::<i64>().is_ok() {
                        ScoreError::OutOfRange {
                            min: numeric.min,
                            max: numeric.max,
                        }
                    } else {
                        ScoreError::NotANumber
                    }
                })?;
                numeric.score(value)
            }
        }
    }

    /// Whether a score could have been given on this scale.
    pub fn accepts(&self, score: &Score) -> bool {
        match (self, score) {
            (_, Score::NotApplicable) => true,
            (Scale::OfstedGrades, Score::Grade(_)) => true,
            (Scale::Numeric(n), Score::Scaled { value, .. }) => n.band(*value).is_some(),
            _ => false,
        }
    }

    /// A short description for forms: "Ofsted's four grades" or "0 to 10".
    pub fn describe(&self) -> String {
        match self {
            Scale::OfstedGrades => "Ofsted's four grades".to_string(),
            Scale::Numeric(n) => format!("{} to {}", n.min, n.max),
        }
    }
}

impl Score {
    /// The grade the score reports as: itself, its band, or `None` if not applicable.
    pub fn grade(&self) -> Option<Grade> {
        match self {
            Score::Grade(grade) => Some(*grade),
            Score::Scaled { band, .. } => Some(*band),
            Score::NotApplicable => None,
        }
    }

    pub fn is_not_applicable(&self) -> bool {
        matches!(self, Score::NotApplicable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Grade::*;

    fn signs_of_safety() -> NumericScale {
        NumericScale::new(
            0,
            10,
            &[
                (Inadequate, 0),
                (Good, 7),
                (RequiresImprovement, 4),
                (Outstanding, 9),
            ],
        )
        .unwrap()
    }

    #[test]
    fn bands_cover_the_scale_best_first() {
        let s = signs_of_safety();
        let bands: Vec<_> = s.bands().iter().map(|b| (b.grade, b.from, b.to)).collect();
        assert_eq!(
            bands,
            [
                (Outstanding, 9, 10),
                (Good, 7, 8),
                (RequiresImprovement, 4, 6),
                (Inadequate, 0, 3)
            ]
        );
        assert_eq!(s.band(0), Some(Inadequate));
        assert_eq!(s.band(3), Some(Inadequate));
        assert_eq!(s.band(4), Some(RequiresImprovement));
        assert_eq!(s.band(8), Some(Good));
        assert_eq!(s.band(10), Some(Outstanding));
        assert_eq!(s.band(11), None);
    }

    #[test]
    fn a_scale_may_use_fewer_than_four_grades() {
        let s = NumericScale::new(1, 5, &[(Good, 4), (RequiresImprovement, 1)]).unwrap();
        assert_eq!(s.band(5), Some(Good));
        assert_eq!(s.band(3), Some(RequiresImprovement));
        assert_eq!(s.band(0), None);
    }

    #[test]
    fn insane_scales_are_refused() {
        assert_eq!(
            NumericScale::new(10, 10, &[(Good, 10)]),
            Err(ScaleError::EmptyRange { min: 10, max: 10 })
        );
        assert_eq!(NumericScale::new(0, 10, &[]), Err(ScaleError::NoBands));
        assert_eq!(
            NumericScale::new(0, 10, &[(Good, 5), (Good, 0)]),
            Err(ScaleError::DuplicateBand { grade: Good })
        );
        assert_eq!(
            NumericScale::new(0, 10, &[(Good, 2), (Inadequate, 5)]),
            Err(ScaleError::BandsOutOfOrder {
                better: Good,
                better_from: 2,
                worse: Inadequate,
                worse_from: 5
            })
        );
        assert_eq!(
            NumericScale::new(0, 10, &[(Good, 11), (Inadequate, 0)]),
            Err(ScaleError::BandOutsideScale {
                grade: Good,
                from: 11,
                min: 0,
                max: 10
            })
        );
        assert_eq!(
            NumericScale::new(0, 10, &[(Good, 5), (Inadequate, 1)]),
            Err(ScaleError::GapAtBottom {
                grade: Inadequate,
                min: 0
            })
        );
    }

    #[test]
    fn scores_parse_on_their_scale() {
        let grades = Scale::OfstedGrades;
        assert_eq!(grades.parse_score("Good"), Ok(Score::Grade(Good)));
        assert_eq!(
            grades.parse_score("requires_improvement"),
            Ok(Score::Grade(RequiresImprovement))
        );
        assert_eq!(grades.parse_score(" N/A "), Ok(Score::NotApplicable));
        assert_eq!(
            grades.parse_score("Not applicable"),
            Ok(Score::NotApplicable)
        );
        assert_eq!(grades.parse_score("7"), Err(ScoreError::NotAGrade));
        assert_eq!(grades.parse_score(""), Err(ScoreError::Blank));

        let numeric = Scale::Numeric(signs_of_safety());
        assert_eq!(
            numeric.parse_score(" 7 "),
            Ok(Score::Scaled {
                value: 7,
                band: Good
            })
        );
        assert_eq!(numeric.parse_score("na"), Ok(Score::NotApplicable));
        let off = Err(ScoreError::OutOfRange { min: 0, max: 10 });
        assert_eq!(numeric.parse_score("11"), off);
        assert_eq!(numeric.parse_score("-1"), off);
        assert_eq!(numeric.parse_score("good"), Err(ScoreError::NotANumber));
        assert_eq!(numeric.parse_score("6.5"), Err(ScoreError::NotANumber));
    }

    #[test]
    fn scores_report_as_grades() {
        assert_eq!(Score::Grade(Inadequate).grade(), Some(Inadequate));
        assert_eq!(
            Score::Scaled {
                value: 9,
                band: Outstanding
            }
            .grade(),
            Some(Outstanding)
        );
        assert_eq!(Score::NotApplicable.grade(), None);
        let numeric = Scale::Numeric(signs_of_safety());
        assert!(numeric.accepts(&Score::Scaled {
            value: 3,
            band: Inadequate
        }));
        assert!(!numeric.accepts(&Score::Scaled {
            value: 30,
            band: Inadequate
        }));
        assert!(!numeric.accepts(&Score::Grade(Good)));
        assert!(!Scale::OfstedGrades.accepts(&Score::Scaled {
            value: 3,
            band: Inadequate
        }));
        assert_eq!(numeric.describe(), "0 to 10");
    }
}
