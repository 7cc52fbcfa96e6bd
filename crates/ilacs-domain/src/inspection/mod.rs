//! Inspection activities and their judgements.

mod next;

pub use next::{deciding_grade, next_inspection, NextInspection, WindowState};

use crate::authority::LaCode;
use crate::grade::Grade;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The judgements Ofsted has made under ILACS. Which ones a version uses, and their
/// titles, are data (`data/framework/`); the keys are the stable API names. Under the
/// 2018 framework "children in care and care leavers" was one judgement: it is recorded
/// under `children_in_care`, as Ofsted's own published data does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    OverallEffectiveness,
    ImpactOfLeaders,
    HelpAndProtection,
    ChildrenInCare,
    CareLeavers,
}

impl Judgement {
    pub const ALL: [Judgement; 5] = [
        Judgement::OverallEffectiveness,
        Judgement::ImpactOfLeaders,
        Judgement::HelpAndProtection,
        Judgement::ChildrenInCare,
        Judgement::CareLeavers,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Judgement::OverallEffectiveness => "overall_effectiveness",
            Judgement::ImpactOfLeaders => "impact_of_leaders",
            Judgement::HelpAndProtection => "help_and_protection",
            Judgement::ChildrenInCare => "children_in_care",
            Judgement::CareLeavers => "care_leavers",
        }
    }

    pub fn parse_key(key: &str) -> Option<Judgement> {
        Judgement::ALL.into_iter().find(|j| j.key() == key.trim())
    }

    /// A short heading for tables.
    pub fn short_title(self) -> &'static str {
        match self {
            Judgement::OverallEffectiveness => "Overall effectiveness",
            Judgement::ImpactOfLeaders => "Impact of leaders",
            Judgement::HelpAndProtection => "Help and protection",
            Judgement::ChildrenInCare => "Children in care",
            Judgement::CareLeavers => "Care leavers",
        }
    }
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A set of graded judgements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgements(BTreeMap<Judgement, Grade>);

impl Judgements {
    pub fn new() -> Self {
        Judgements(BTreeMap::new())
    }
    pub fn with(mut self, judgement: Judgement, grade: Grade) -> Self {
        self.0.insert(judgement, grade);
        self
    }
    pub fn set(&mut self, judgement: Judgement, grade: Grade) {
        self.0.insert(judgement, grade);
    }
    pub fn get(&self, judgement: Judgement) -> Option<Grade> {
        self.0.get(&judgement).copied()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (Judgement, Grade)> + '_ {
        self.0.iter().map(|(j, g)| (*j, *g))
    }
}

/// The kinds of ILACS activity. Their parameters (team size, days on site, windows)
/// are data: see [`crate::framework::ActivityType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    ShortInspection,
    StandardInspection,
    FocusedVisit,
    Jtai,
    MonitoringVisit,
    AnnualEngagementMeeting,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 6] = [
        ActivityKind::ShortInspection,
        ActivityKind::StandardInspection,
        ActivityKind::FocusedVisit,
        ActivityKind::Jtai,
        ActivityKind::MonitoringVisit,
        ActivityKind::AnnualEngagementMeeting,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::ShortInspection => "short_inspection",
            ActivityKind::StandardInspection => "standard_inspection",
            ActivityKind::FocusedVisit => "focused_visit",
            ActivityKind::Jtai => "jtai",
            ActivityKind::MonitoringVisit => "monitoring_visit",
            ActivityKind::AnnualEngagementMeeting => "annual_engagement_meeting",
        }
    }

    pub fn parse_key(key: &str) -> Option<ActivityKind> {
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.key() == key.trim())
    }

    /// Recognises the type labels in Ofsted's outcomes workbook
    /// ("ILACS Short Inspection", "LA Monitoring visit", ...).
    pub fn from_published_label(label: &str) -> Option<ActivityKind> {
        let l = label.trim().to_ascii_lowercase();
        if l.contains("short inspection") {
            Some(ActivityKind::ShortInspection)
        } else if l.contains("standard inspection") {
            Some(ActivityKind::StandardInspection)
        } else if l.contains("focused visit") {
            Some(ActivityKind::FocusedVisit)
        } else if l.contains("monitoring visit") {
            Some(ActivityKind::MonitoringVisit)
        } else if l.contains("jtai") || l.contains("joint targeted") {
            Some(ActivityKind::Jtai)
        } else if l.contains("engagement meeting") {
            Some(ActivityKind::AnnualEngagementMeeting)
        } else {
            None
        }
    }

    /// Inspections give graded judgements; visits and meetings do not.
    pub fn is_graded(self) -> bool {
        matches!(
            self,
            ActivityKind::ShortInspection | ActivityKind::StandardInspection
        )
    }
}

/// One activity at one LA: an inspection with its judgements, or a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub la_code: LaCode,
    pub kind: ActivityKind,
    pub start_date: NaiveDate,
    pub publication_date: Option<NaiveDate>,
    /// The focus of a focused or monitoring visit, as Ofsted labels it.
    pub theme: Option<String>,
    pub judgements: Judgements,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_labels_map_to_kinds() {
        assert_eq!(
            ActivityKind::from_published_label("ILACS Short Inspection"),
            Some(ActivityKind::ShortInspection)
        );
        assert_eq!(
            ActivityKind::from_published_label("LA Monitoring visit"),
            Some(ActivityKind::MonitoringVisit)
        );
        assert_eq!(
            ActivityKind::from_published_label("ILACS Focused Visit"),
            Some(ActivityKind::FocusedVisit)
        );
        assert_eq!(ActivityKind::from_published_label("SIF"), None);
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse_key(k.key()), Some(k));
        }
        for j in Judgement::ALL {
            assert_eq!(Judgement::parse_key(j.key()), Some(j));
        }
    }
}
