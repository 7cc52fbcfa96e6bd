use serde::{Deserialize, Serialize};
use std::fmt;

/// Ofsted's four-point grade scale, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a grade: expected Outstanding, Good, Requires improvement to be good or Inadequate")]
pub struct ParseGradeError(pub String);

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Outstanding,
        Grade::Good,
        Grade::RequiresImprovement,
        Grade::Inadequate,
    ];

    /// The stable key used in the API and the database.
    pub fn key(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires_improvement",
            Grade::Inadequate => "inadequate",
        }
    }

    /// The label Ofsted publishes.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement to be good",
            Grade::Inadequate => "Inadequate",
        }
    }

    /// Short label for tight table cells and chart axes.
    pub fn short_label(self) -> &'static str {
        match self {
            Grade::RequiresImprovement => "Requires improvement",
            other => other.label(),
        }
    }

    /// Parses a key, Ofsted's published label, or a common short form, ignoring case
    /// and surrounding space.
    pub fn parse(input: &str) -> Result<Grade, ParseGradeError> {
        let normalised: String = input
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == '_' || c == '-' { ' ' } else { c })
            .collect();
        match normalised.as_str() {
            "outstanding" | "1" => Ok(Grade::Outstanding),
            "good" | "2" => Ok(Grade::Good),
            "requires improvement to be good" | "requires improvement" | "ri" | "3" => {
                Ok(Grade::RequiresImprovement)
            }
            "inadequate" | "4" => Ok(Grade::Inadequate),
            _ => Err(ParseGradeError(input.to_string())),
        }
    }

    /// Parses a grade cell where blank means "not judged".
    pub fn parse_optional(input: &str) -> Result<Option<Grade>, ParseGradeError> {
        if input.trim().is_empty() {
            Ok(None)
        } else {
            Grade::parse(input).map(Some)
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl std::str::FromStr for Grade {
    type Err = ParseGradeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Grade::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_published_labels_and_keys() {
        assert_eq!(
            Grade::parse("Requires improvement to be good"),
            Ok(Grade::RequiresImprovement)
        );
        assert_eq!(Grade::parse(" good "), Ok(Grade::Good));
        assert_eq!(
            Grade::parse("requires_improvement"),
            Ok(Grade::RequiresImprovement)
        );
        assert!(Grade::parse("Excellent").is_err());
        assert_eq!(Grade::parse_optional(""), Ok(None));
    }

    #[test]
    fn better_grades_order_first() {
        assert!(Grade::Outstanding < Grade::Good);
        assert!(Grade::RequiresImprovement < Grade::Inadequate);
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.key()), Ok(g));
            assert_eq!(Grade::parse(g.label()), Ok(g));
        }
    }
}
