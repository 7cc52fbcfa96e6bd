//! Claims and the evidence behind them: a [`Paragraph`] of an answer, a strength or an
//! area for development cites [`Evidence`], each a [`Citation`] the reader can open.

use super::ids::{AuditRef, DocumentId, IndicatorId, Period};
use crate::audit::{Quarter, ThemeKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The longest evidence label accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("Enter the text")]
    BlankText,
    #[error("The label must be {MAX_LABEL_CHARS} characters or fewer")]
    LabelTooLong,
    #[error("Cite at least one audit")]
    NoAudits,
}

/// How the review weighs a citation (seeds 000, 001: Ofsted wants the qualitative
/// picture of casework, not only indicators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// What practice is like for children: audits, audit themes, practice reviews,
    /// feedback from children and families, multi-agency reviews, complaints.
    Practice,
    /// Indicators: counts and percentages.
    Performance,
    /// Documents and staff surveys: useful, but neither of the above on their own.
    Other,
}

/// A non-empty set of audits, in id order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<AuditRef>", into = "Vec<AuditRef>")]
pub struct AuditSet(BTreeSet<AuditRef>);

impl AuditSet {
    pub fn new(audits: impl IntoIterator<Item = AuditRef>) -> Result<AuditSet, ContentError> {
        let set: BTreeSet<_> = audits.into_iter().collect();
        if set.is_empty() {
            Err(ContentError::NoAudits)
        } else {
            Ok(AuditSet(set))
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = AuditRef> + '_ {
        self.0.iter().copied()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn contains(&self, audit: AuditRef) -> bool {
        self.0.contains(&audit)
    }
}

impl TryFrom<Vec<AuditRef>> for AuditSet {
    type Error = ContentError;
    fn try_from(value: Vec<AuditRef>) -> Result<Self, Self::Error> {
        AuditSet::new(value)
    }
}

impl From<AuditSet> for Vec<AuditRef> {
    fn from(value: AuditSet) -> Self {
        value.0.into_iter().collect()
    }
}

/// The kinds of evidence a claim can cite, without their details: what a form's
/// "type of evidence" choice offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    Audits,
    AuditTheme,
    Indicator,
    StaffSurvey,
    MultiAgencyReview,
    Complaints,
    PracticeReview,
    Feedback,
    Document,
}

impl CitationKind {
    pub const ALL: [CitationKind; 9] = [
        CitationKind::Audits,
        CitationKind::AuditTheme,
        CitationKind::Indicator,
        CitationKind::StaffSurvey,
        CitationKind::MultiAgencyReview,
        CitationKind::Complaints,
        CitationKind::PracticeReview,
        CitationKind::Feedback,
        CitationKind::Document,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CitationKind::Audits => "audits",
            CitationKind::AuditTheme => "audit_theme",
            CitationKind::Indicator => "indicator",
            CitationKind::StaffSurvey => "staff_survey",
            CitationKind::MultiAgencyReview => "multi_agency_review",
            CitationKind::Complaints => "complaints",
            CitationKind::PracticeReview => "practice_review",
            CitationKind::Feedback => "feedback",
            CitationKind::Document => "document",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CitationKind::Audits => "Case audits",
            CitationKind::AuditTheme => "Audit theme summary",
            CitationKind::Indicator => "Indicator",
            CitationKind::StaffSurvey => "Staff survey",
            CitationKind::MultiAgencyReview => "Multi-agency review",
            CitationKind::Complaints => "Complaints",
            CitationKind::PracticeReview => "Child safeguarding practice review",
            CitationKind::Feedback => "Feedback from children and families",
            CitationKind::Document => "Document",
        }
    }

    pub fn parse_key(key: &str) -> Option<CitationKind> {
        CitationKind::ALL
            .into_iter()
            .find(|k| k.key() == key.trim())
    }

    pub fn evidence_kind(self) -> EvidenceKind {
        match self {
            CitationKind::Audits
            | CitationKind::AuditTheme
            | CitationKind::PracticeReview
            | CitationKind::Feedback
            | CitationKind::MultiAgencyReview
            | CitationKind::Complaints => EvidenceKind::Practice,
            CitationKind::Indicator => EvidenceKind::Performance,
            CitationKind::StaffSurvey | CitationKind::Document => EvidenceKind::Other,
        }
    }
}

impl fmt::Display for CitationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a claim points to. Audits, themes and indicators are records the system
/// holds; the other kinds are reports the LA already has (business as usual, no extra
/// burden) and point to the uploaded copy when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Citation {
    Audits {
        audits: AuditSet,
    },
    /// The quarterly summary of audits tagged with a theme.
    AuditTheme {
        theme: ThemeKey,
        #[serde(with = "quarter_serde")]
        quarter: Quarter,
    },
    /// An indicator's value for a period (Annex A).
    Indicator {
        indicator: IndicatorId,
        period: Period,
    },
    StaffSurvey {
        document: Option<DocumentId>,
    },
    MultiAgencyReview {
        document: Option<DocumentId>,
    },
    Complaints {
        document: Option<DocumentId>,
    },
    /// A child safeguarding practice review (formerly serious case review).
    PracticeReview {
        document: Option<DocumentId>,
    },
    /// Feedback from children and families.
    Feedback {
        document: Option<DocumentId>,
    },
    Document {
        document: DocumentId,
    },
}

impl Citation {
    pub fn kind(&self) -> CitationKind {
        match self {
            Citation::Audits { .. } => CitationKind::Audits,
            Citation::AuditTheme { .. } => CitationKind::AuditTheme,
            Citation::Indicator { .. } => CitationKind::Indicator,
            Citation::StaffSurvey { .. } => CitationKind::StaffSurvey,
            Citation::MultiAgencyReview { .. } => CitationKind::MultiAgencyReview,
            Citation::Complaints { .. } => CitationKind::Complaints,
            Citation::PracticeReview { .. } => CitationKind::PracticeReview,
            Citation::Feedback { .. } => CitationKind::Feedback,
            Citation::Document { .. } => CitationKind::Document,
        }
    }

    pub fn evidence_kind(&self) -> EvidenceKind {
        self.kind().evidence_kind()
    }

    /// The uploaded document it opens, if any.
    pub fn document(&self) -> Option<DocumentId> {
        match self {
            Citation::StaffSurvey { document }
            | Citation::MultiAgencyReview { document }
            | Citation::Complaints { document }
            | Citation::PracticeReview { document }
            | Citation::Feedback { document } => *document,
            Citation::Document { document } => Some(*document),
            Citation::Audits { .. } | Citation::AuditTheme { .. } | Citation::Indicator { .. } => {
                None
            }
        }
    }

    /// A plain description for the evidence appendix: "Case audits 12, 15 and 17",
    /// "Audit theme neglect, January to March 2026", "Indicator re_referral, 2025-26".
    pub fn describe(&self) -> String {
        let with_document = |title: &str, document: &Option<DocumentId>| match document {
            Some(d) => format!("{title} (document {d})"),
            None => title.to_string(),
        };
        match self {
            Citation::Audits { audits } => {
                let ids: Vec<String> = audits.iter().map(|a| a.to_string()).collect();
                match ids.as_slice() {
                    [one] => format!("Case audit {one}"),
                    [rest @ .., last] => format!("Case audits {} and {last}", rest.join(", ")),
                    [] => "Case audits".to_string(),
                }
            }
            Citation::AuditTheme { theme, quarter } => {
                format!("Audit theme {theme}, {}", quarter.label())
            }
            Citation::Indicator { indicator, period } => format!("Indicator {indicator}, {period}"),
            Citation::Document { document } => format!("Document {document}"),
            Citation::StaffSurvey { document }
            | Citation::MultiAgencyReview { document }
            | Citation::Complaints { document }
            | Citation::PracticeReview { document }
            | Citation::Feedback { document } => with_document(self.kind().label(), document),
        }
    }
}

/// A citation with an optional short label the reader sees instead of the plain
/// description ("Neglect audits, spring 2026").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    citation: Citation,
    label: Option<String>,
}

impl Evidence {
    /// A blank label is no label; spaces are tidied.
    pub fn new(citation: Citation, label: &str) -> Result<Evidence, ContentError> {
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(ContentError::LabelTooLong);
        }
        Ok(Evidence {
            citation,
            label: (!label.is_empty()).then_some(label),
        })
    }

    pub fn unlabelled(citation: Citation) -> Evidence {
        Evidence {
            citation,
            label: None,
        }
    }

    pub fn citation(&self) -> &Citation {
        &self.citation
    }
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
    pub fn kind(&self) -> EvidenceKind {
        self.citation.evidence_kind()
    }
    /// The label, or the citation's plain description.
    pub fn title(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| self.citation.describe())
    }
}

/// A claim: a paragraph of an answer, a strength or an area for development, with the
/// evidence it cites. Its text is never blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    text: String,
    evidence: Vec<Evidence>,
}

impl Paragraph {
    /// Trims the text; blank text is refused. A citation given twice is kept once.
    pub fn new(text: &str, evidence: Vec<Evidence>) -> Result<Paragraph, ContentError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ContentError::BlankText);
        }
        let mut unique: Vec<Evidence> = Vec::with_capacity(evidence.len());
        for e in evidence {
            if !unique.contains(&e) {
                unique.push(e);
            }
        }
        Ok(Paragraph {
            text: text.to_string(),
            evidence: unique,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }
    pub fn is_cited(&self) -> bool {
        !self.evidence.is_empty()
    }
    pub fn cites(&self, kind: EvidenceKind) -> bool {
        self.evidence.iter().any(|e| e.kind() == kind)
    }
}

/// Reads a quarter as `Q1 2026`, `2026 Q1` or `2026-Q1` (calendar quarters, as the
/// audit summary uses).
pub fn parse_quarter(input: &str) -> Option<Quarter> {
    let s = input.trim().to_ascii_uppercase();
    let parts: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|p| !p.is_empty())
        .collect();
    let (q, year) = match parts.as_slice() {
        [a, b] if a.starts_with('Q') => (*a, *b),
        [a, b] if b.starts_with('Q') => (*b, *a),
        _ => return None,
    };
    let number = q[1..].parse::<u32>().ok().filter(|_| q.len() == 2)?;
    let year = (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse::<i32>().ok())
        .flatten()?;
    Quarter::new(year, number)
}

/// [`Quarter`] is written as `{year, number}` and read back through [`Quarter::new`].
mod quarter_serde {
    use crate::audit::Quarter;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        year: i32,
        number: u32,
    }

    pub fn serialize<S: Serializer>(q: &Quarter, s: S) -> Result<S::Ok, S::Error> {
        Raw {
            year: q.year(),
            number: q.number(),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        let raw = Raw::deserialize(d)?;
        Quarter::new(raw.year, raw.number).ok_or_else(|| {
            serde::de::Error::custom(format!("no quarter {} of {}", raw.number, raw.year))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audits(ids: &[i64]) -> Citation {
        Citation::Audits {
            audits: AuditSet::new(ids.iter().map(|i| AuditRef::new(*i).unwrap())).unwrap(),
        }
    }

    #[test]
    fn every_kind_is_classified_as_the_review_needs() {
        use EvidenceKind::*;
        let kinds: Vec<_> = CitationKind::ALL
            .iter()
            .map(|k| (k.key(), k.evidence_kind()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("audits", Practice),
                ("audit_theme", Practice),
                ("indicator", Performance),
                ("staff_survey", Other),
                ("multi_agency_review", Practice),
                ("complaints", Practice),
                ("practice_review", Practice),
                ("feedback", Practice),
                ("document", Other),
            ]
        );
        for k in CitationKind::ALL {
            assert_eq!(CitationKind::parse_key(k.key()), Some(k));
        }
    }

    #[test]
    fn citations_describe_themselves() {
        assert_eq!(
            audits(&[17, 12, 15, 12]).describe(),
            "Case audits 12, 15 and 17"
        );
        assert_eq!(audits(&[3]).describe(), "Case audit 3");
        let theme = Citation::AuditTheme {
            theme: ThemeKey::parse("Neglect").unwrap(),
            quarter: Quarter::new(2026, 1).unwrap(),
        };
        assert_eq!(
            theme.describe(),
            "Audit theme neglect, January to March 2026"
        );
        let survey = Citation::StaffSurvey {
            document: DocumentId::new(7),
        };
        assert_eq!(survey.describe(), "Staff survey (document 7)");
        assert_eq!(survey.document(), DocumentId::new(7));
        assert_eq!(
            Citation::PracticeReview { document: None }.describe(),
            "Child safeguarding practice review"
        );
        assert_eq!(theme.document(), None);
    }

    #[test]
    fn audit_sets_are_never_empty() {
        assert_eq!(AuditSet::new([]), Err(ContentError::NoAudits));
        let json = serde_json_like(&audits(&[2, 1]));
        assert!(json.contains("kind = \"audits\""), "{json}");
        assert!(json.contains("audits = [1, 2]"), "{json}");
    }

    /// Serialises through TOML (the crate's only serde format) inside a table.
    fn serde_json_like(c: &Citation) -> String {
        #[derive(Serialize)]
        struct One<'a> {
            c: &'a Citation,
        }
        toml::to_string(&One { c }).unwrap()
    }

    #[test]
    fn citations_round_trip_through_serde() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct One {
            c: Citation,
        }
        for c in [
            audits(&[4, 5]),
            Citation::AuditTheme {
                theme: ThemeKey::parse("drift").unwrap(),
                quarter: Quarter::new(2025, 4).unwrap(),
            },
            Citation::Indicator {
                indicator: IndicatorId::parse("re_referral").unwrap(),
                period: Period::parse("2025-26").unwrap(),
            },
            Citation::Feedback { document: None },
            Citation::Document {
                document: DocumentId::new(9).unwrap(),
            },
        ] {
            let text = toml::to_string(&One { c: c.clone() }).unwrap();
            assert_eq!(toml::from_str::<One>(&text).unwrap().c, c, "{text}");
        }
        let bad =
            "[c]\nkind = \"audit_theme\"\ntheme = \"x\"\nquarter = { year = 2026, number = 5 }\n";
        assert!(toml::from_str::<One>(bad).is_err());
        let empty = "[c]\nkind = \"audits\"\naudits = []\n";
        assert!(toml::from_str::<One>(empty).is_err());
    }

    #[test]
    fn evidence_labels_are_short_and_optional() {
        let e = Evidence::new(audits(&[1]), "  ").unwrap();
        assert_eq!(e.label(), None);
        assert_eq!(e.title(), "Case audit 1");
        let e = Evidence::new(audits(&[1]), " Neglect   audits ").unwrap();
        assert_eq!(e.title(), "Neglect audits");
        assert_eq!(
            Evidence::new(audits(&[1]), &"x".repeat(101)),
            Err(ContentError::LabelTooLong)
        );
        assert!(Evidence::new(audits(&[1]), &"é".repeat(100)).is_ok());
    }

    #[test]
    fn paragraphs_need_text_and_keep_each_citation_once() {
        assert_eq!(Paragraph::new(" \n ", vec![]), Err(ContentError::BlankText));
        let e = Evidence::unlabelled(audits(&[1]));
        let p = Paragraph::new(" Plans are timely. ", vec![e.clone(), e.clone()]).unwrap();
        assert_eq!(p.text(), "Plans are timely.");
        assert_eq!(p.evidence().len(), 1);
        assert!(p.cites(EvidenceKind::Practice));
        assert!(!p.cites(EvidenceKind::Performance));
    }

    #[test]
    fn quarters_parse_either_way_round() {
        let q = Quarter::new(2026, 2).unwrap();
        for ok in ["Q2 2026", "2026 Q2", "q2-2026", " 2026/Q2 "] {
            assert_eq!(parse_quarter(ok), Some(q), "{ok}");
        }
        for bad in [
            "",
            "Q5 2026",
            "Q0 2026",
            "Q2 26",
            "Q22 2026",
            "2026",
            "Q2 2026 x",
        ] {
            assert_eq!(parse_quarter(bad), None, "{bad}");
        }
    }
}
