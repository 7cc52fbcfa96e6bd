//! The meeting's facts as data: `data/aem/meeting.toml` (the standard agenda and the
//! numbers the rules use) and the letter's months from `data/framework/activities.toml`.

use crate::framework::Catalogue;
use crate::inspection::ActivityKind;
use serde::Deserialize;

/// A standard agenda item (DOMAIN.md, seeds 003 and 004).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardItem {
    pub key: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AemDataError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingFile {
    min_ofsted_attendees: usize,
    notice_days: u32,
    due_after_months: u32,
    agenda: Vec<StandardItem>,
    outliers: OutlierRules,
}

/// How far from the middle region a region must be to be named (`[outliers]`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlierRules {
    pub timing_months: f64,
    pub length_minutes: f64,
    pub share: f64,
    pub min_meetings: usize,
}

/// The rules of annual engagement meetings.
#[derive(Debug, Clone, PartialEq)]
pub struct AemRules {
    agenda: Vec<StandardItem>,
    min_ofsted_attendees: usize,
    notice_days: u32,
    due_after_months: u32,
    letter_due_months: u32,
    interval_months: u32,
    outliers: OutlierRules,
}

impl AemRules {
    /// Parses `meeting.toml`; the letter's and interval's months come from the
    /// catalogue's annual engagement meeting activity.
    pub fn parse(text: &str, catalogue: &Catalogue) -> Result<AemRules, AemDataError> {
        let invalid = |message: String| AemDataError::Invalid {
            file: "meeting.toml".into(),
            message,
        };
        let file: MeetingFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if file.agenda.is_empty() {
            return Err(invalid("the standard agenda has no items".into()));
        }
        let mut keys: Vec<&str> = file.agenda.iter().map(|i| i.key.as_str()).collect();
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("two agenda items share a key".into()));
        }
        let activity = catalogue.activity(ActivityKind::AnnualEngagementMeeting);
        Ok(AemRules {
            agenda: file.agenda,
            min_ofsted_attendees: file.min_ofsted_attendees,
            notice_days: file.notice_days,
            due_after_months: file.due_after_months,
            letter_due_months: activity.letter_due_months.unwrap_or(1),
            interval_months: activity.interval_months.unwrap_or(12),
            outliers: file.outliers,
        })
    }

    /// The rules as shipped in `data/aem/`.
    pub fn bundled() -> AemRules {
        AemRules::parse(
            include_str!("../../../../data/aem/meeting.toml"),
            &Catalogue::bundled(),
        )
        .expect("bundled meeting rules are valid (tested)")
    }

    pub fn agenda(&self) -> &[StandardItem] {
        &self.agenda
    }
    pub fn min_ofsted_attendees(&self) -> usize {
        self.min_ofsted_attendees
    }
    pub fn notice_days(&self) -> u32 {
        self.notice_days
    }
    pub fn due_after_months(&self) -> u32 {
        self.due_after_months
    }
    pub fn letter_due_months(&self) -> u32 {
        self.letter_due_months
    }
    pub fn interval_months(&self) -> u32 {
        self.interval_months
    }
    pub fn outliers(&self) -> OutlierRules {
        self.outliers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_have_the_eight_standard_items() {
        let rules = AemRules::bundled();
        assert_eq!(rules.agenda().len(), 8);
        assert_eq!(rules.min_ofsted_attendees(), 2);
        assert_eq!(rules.letter_due_months(), 1);
        assert_eq!(rules.interval_months(), 12);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let text = "min_ofsted_attendees = 2\nnotice_days = 1\ndue_after_months = 12\n\
                    [outliers]\ntiming_months = 3\nlength_minutes = 45\nshare = 0.25\nmin_meetings = 3\n\
                    [[agenda]]\nkey = \"a\"\ntitle = \"A\"\n[[agenda]]\nkey = \"a\"\ntitle = \"B\"\n";
        assert!(AemRules::parse(text, &Catalogue::bundled()).is_err());
    }
}
