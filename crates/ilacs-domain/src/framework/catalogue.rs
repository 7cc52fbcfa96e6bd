use super::overall::OverallRule;
use crate::inspection::{ActivityKind, Judgement};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameworkError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn invalid(file: &str, message: impl Into<String>) -> FrameworkError {
    FrameworkError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// One judgement as a framework version names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgementSpec {
    pub judgement: Judgement,
    pub title: String,
    pub criteria: Vec<String>,
}

/// One version of the ILACS framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkVersion {
    pub id: String,
    pub name: String,
    pub in_force_from: NaiveDate,
    pub in_force_until: Option<NaiveDate>,
    pub judgements: Vec<JudgementSpec>,
    overall: Option<OverallRule>,
}

impl FrameworkVersion {
    /// The rule deriving overall effectiveness, or `None` where the version gives no
    /// overall grade (2026).
    pub fn overall_rule(&self) -> Option<&OverallRule> {
        self.overall.as_ref()
    }

    pub fn has(&self, judgement: Judgement) -> bool {
        self.judgements.iter().any(|j| j.judgement == judgement)
    }

    pub fn title_of(&self, judgement: Judgement) -> Option<&str> {
        self.judgements
            .iter()
            .find(|j| j.judgement == judgement)
            .map(|j| j.title.as_str())
    }

    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.in_force_from && self.in_force_until.is_none_or(|until| date <= until)
    }
}

/// An activity type and its parameters. Parameters not every type has are optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityType {
    pub kind: ActivityKind,
    pub name: String,
    pub when: String,
    pub team: String,
    pub graded: bool,
    pub published: bool,
    pub output: String,
    pub off_site_weeks: Option<u32>,
    pub on_site_weeks: Option<u32>,
    pub on_site_days: Option<u32>,
    pub on_site_weekdays: Option<Vec<String>>,
    pub first_letter_published: Option<bool>,
    pub window_from_last_inspection_months: Option<u32>,
    pub window_tolerance_months: Option<u32>,
    pub annex_a_due_working_days: Option<u32>,
    pub audited_case_information_due_working_days: Option<u32>,
    pub audited_cases_min: Option<u32>,
    pub audited_cases_max: Option<u32>,
    pub audit_list_months: Option<u32>,
    pub interval_months: Option<u32>,
    pub min_visits_before_reinspection: Option<u32>,
    pub reinspection_within_months: Option<u32>,
    pub action_plan_due_working_days: Option<u32>,
    pub first_visit_within_days_of_action_plan: Option<u32>,
    pub letter_due_months: Option<u32>,
}

/// A focused-visit theme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub published_labels: Vec<String>,
}

/// Every framework fact the system knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    versions: Vec<FrameworkVersion>,
    activities: Vec<ActivityType>,
    themes: Vec<Theme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFile {
    id: String,
    name: String,
    in_force_from: String,
    in_force_until: Option<String>,
    overall_effectiveness: Option<OverallFile>,
    judgements: Vec<JudgementFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverallFile {
    #[serde(default)]
    limiting: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgementFile {
    key: String,
    title: String,
    #[serde(default)]
    criteria: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivitiesFile {
    activities: Vec<ActivityType>,
    focused_visit_themes: Vec<Theme>,
}

fn parse_date(file: &str, field: &str, value: &str) -> Result<NaiveDate, FrameworkError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        invalid(
            file,
            format!("{field} '{value}' is not a date (YYYY-MM-DD)"),
        )
    })
}

fn judgement_key(file: &str, key: &str) -> Result<Judgement, FrameworkError> {
    Judgement::parse_key(key).ok_or_else(|| invalid(file, format!("unknown judgement '{key}'")))
}

impl FrameworkVersion {
    /// Parses one version file; `file` names it in errors.
    pub fn parse_toml(file: &str, text: &str) -> Result<FrameworkVersion, FrameworkError> {
        let raw: VersionFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let in_force_from = parse_date(file, "in_force_from", &raw.in_force_from)?;
        let in_force_until = raw
            .in_force_until
            .as_deref()
            .map(|v| parse_date(file, "in_force_until", v))
            .transpose()?;
        let mut judgements = Vec::new();
        for j in raw.judgements {
            let judgement = judgement_key(file, &j.key)?;
            if judgements
                .iter()
                .any(|s: &JudgementSpec| s.judgement == judgement)
            {
                return Err(invalid(
                    file,
                    format!("judgement '{}' appears twice", j.key),
                ));
            }
            judgements.push(JudgementSpec {
                judgement,
                title: j.title,
                criteria: j.criteria,
            });
        }
        let has_overall = judgements
            .iter()
            .any(|j| j.judgement == Judgement::OverallEffectiveness);
        let overall = match (raw.overall_effectiveness, has_overall) {
            (Some(o), true) => {
                let limiting = o
                    .limiting
                    .iter()
                    .map(|k| judgement_key(file, k))
                    .collect::<Result<Vec<_>, _>>()?;
                Some(OverallRule::new(limiting))
            }
            (None, false) => None,
            (Some(_), false) => {
                return Err(invalid(
                    file,
                    "[overall_effectiveness] needs an overall_effectiveness judgement",
                ))
            }
            (None, true) => {
                return Err(invalid(
                    file,
                    "the overall_effectiveness judgement needs an [overall_effectiveness] rule",
                ))
            }
        };
        Ok(FrameworkVersion {
            id: raw.id,
            name: raw.name,
            in_force_from,
            in_force_until,
            judgements,
            overall,
        })
    }
}

impl Catalogue {
    /// Builds a catalogue from version files (name, text) and the activities file.
    pub fn parse(
        versions: &[(&str, &str)],
        activities: (&str, &str),
    ) -> Result<Catalogue, FrameworkError> {
        let mut parsed = versions
            .iter()
            .map(|(file, text)| FrameworkVersion::parse_toml(file, text))
            .collect::<Result<Vec<_>, _>>()?;
        parsed.sort_by_key(|v| v.in_force_from);
        for pair in parsed.windows(2) {
            let ends = pair[0].in_force_until.ok_or_else(|| {
                invalid(
                    &pair[0].id,
                    "only the latest version may have no in_force_until",
                )
            })?;
            if ends >= pair[1].in_force_from {
                return Err(invalid(
                    &pair[1].id,
                    format!("starts before version {} ends", pair[0].id),
                ));
            }
        }
        let (file, text) = activities;
        let raw: ActivitiesFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        for kind in ActivityKind::ALL {
            if !raw.activities.iter().any(|a| a.kind == kind) {
                return Err(invalid(
                    file,
                    format!("no parameters for activity '{}'", kind.key()),
                ));
            }
        }
        Ok(Catalogue {
            versions: parsed,
            activities: raw.activities,
            themes: raw.focused_visit_themes,
        })
    }

    /// The framework as shipped in `data/framework/`.
    pub fn bundled() -> Catalogue {
        Catalogue::parse(
            &[
                (
                    "2018.toml",
                    include_str!("../../../../data/framework/2018.toml"),
                ),
                (
                    "2023.toml",
                    include_str!("../../../../data/framework/2023.toml"),
                ),
                (
                    "2026.toml",
                    include_str!("../../../../data/framework/2026.toml"),
                ),
            ],
            (
                "activities.toml",
                include_str!("../../../../data/framework/activities.toml"),
            ),
        )
        .expect("bundled framework data is valid (tested)")
    }

    pub fn versions(&self) -> &[FrameworkVersion] {
        &self.versions
    }

    pub fn version(&self, id: &str) -> Option<&FrameworkVersion> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The version in force on a date, if any (none before 2018).
    pub fn version_on(&self, date: NaiveDate) -> Option<&FrameworkVersion> {
        self.versions.iter().find(|v| v.in_force_on(date))
    }

    pub fn activities(&self) -> &[ActivityType] {
        &self.activities
    }

    pub fn activity(&self, kind: ActivityKind) -> &ActivityType {
        self.activities
            .iter()
            .find(|a| a.kind == kind)
            .expect("every kind has parameters: checked in Catalogue::parse")
    }

    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// The theme a published label (as in Ofsted's workbook) names.
    pub fn theme_for_label(&self, label: &str) -> Option<&Theme> {
        let wanted = label.trim();
        self.themes.iter().find(|t| {
            t.name.eq_ignore_ascii_case(wanted)
                || t.published_labels
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(wanted))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bundled_versions_have_their_judgements() {
        let c = Catalogue::bundled();
        let ids: Vec<_> = c.versions().iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["2018", "2023", "2026"]);
        let v2018 = c.version("2018").unwrap();
        assert_eq!(v2018.judgements.len(), 4);
        assert!(!v2018.has(Judgement::CareLeavers));
        assert!(v2018.overall_rule().is_some());
        let v2023 = c.version("2023").unwrap();
        assert_eq!(v2023.judgements.len(), 5);
        assert!(v2023.has(Judgement::CareLeavers));
        let v2026 = c.version("2026").unwrap();
        assert_eq!(v2026.judgements.len(), 4);
        assert!(!v2026.has(Judgement::OverallEffectiveness));
        assert!(v2026.overall_rule().is_none());
    }

    #[test]
    fn version_in_force_follows_dates() {
        let c = Catalogue::bundled();
        assert_eq!(c.version_on(d("2022-12-31")).unwrap().id, "2018");
        assert_eq!(c.version_on(d("2023-01-01")).unwrap().id, "2023");
        assert_eq!(c.version_on(d("2026-03-31")).unwrap().id, "2023");
        assert_eq!(c.version_on(d("2026-04-01")).unwrap().id, "2026");
        assert!(c.version_on(d("2017-06-01")).is_none());
    }

    #[test]
    fn activities_carry_domain_parameters() {
        let c = Catalogue::bundled();
        let fv = c.activity(ActivityKind::FocusedVisit);
        assert_eq!(fv.annex_a_due_working_days, Some(1));
        assert!(!fv.graded);
        let mv = c.activity(ActivityKind::MonitoringVisit);
        assert_eq!(mv.action_plan_due_working_days, Some(70));
        assert!(!c.activity(ActivityKind::AnnualEngagementMeeting).published);
        assert_eq!(c.themes().len(), 7);
        assert_eq!(
            c.theme_for_label("Children in need/subject to a plan")
                .unwrap()
                .key,
            "children_in_need_or_plan"
        );
    }

    #[test]
    fn bad_files_are_reported_by_name() {
        let err = FrameworkVersion::parse_toml(
            "x.toml",
            "id='x'\nname='x'\nin_force_from='2020-13-01'\n[[judgements]]\nkey='help_and_protection'\ntitle='t'\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("x.toml: in_force_from"));
        let err = FrameworkVersion::parse_toml(
            "y.toml",
            "id='y'\nname='y'\nin_force_from='2020-01-01'\n[[judgements]]\nkey='overall_effectiveness'\ntitle='t'\n",
        )
        .unwrap_err();
        assert!(err
            .to_string()
            .contains("needs an [overall_effectiveness] rule"));
        let err = FrameworkVersion::parse_toml(
            "z.toml",
            "id='z'\nname='z'\nin_force_from='2020-01-01'\n[[judgements]]\nkey='happiness'\ntitle='t'\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown judgement 'happiness'"));
    }
}
