//! The audit rules an LA may set: the default template, when a case is re-audited, and
//! how the monthly programme is drawn up. Defaults are in `data/audit/rules.toml`.

use super::ids::TemplateKey;
use super::record::Audit;
use super::template::{invalid, AuditDataError};
use crate::grade::Grade;
use chrono::{Months, NaiveDate};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRules {
    /// The template new audits use unless the LA chooses another.
    pub default_template: TemplateKey,
    pub reaudit: ReauditRule,
    pub programme: ProgrammeRules,
}

/// An audit whose overall grade is one of `when_overall` schedules a re-audit of the
/// case `after_months` after the audit date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReauditRule {
    pub when_overall: Vec<Grade>,
    pub after_months: u32,
}

/// How the monthly programme picks cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgrammeRules {
    /// Cases each auditor audits a month, unless set for the auditor.
    pub cases_per_auditor: u32,
    /// Auditors audit only cases of teams other than their own.
    pub other_team_only: bool,
    /// A case audited within this many months before the month starts is not chosen.
    pub no_repeat_months: u32,
    /// A month's item is due this many days after the month's last day.
    pub due_days_after_month_end: u32,
}

impl ReauditRule {
    /// The date a re-audit is due for an audit with this date and overall grade, if
    /// the grade calls for one. A month later than a day that month lacks is the
    /// month's last day (31 August + 3 months = 30 November).
    pub fn due_after(&self, audit_date: NaiveDate, overall: Grade) -> Option<NaiveDate> {
        if !self.when_overall.contains(&overall) {
            return None;
        }
        audit_date.checked_add_months(Months::new(self.after_months))
    }

    /// The re-audit an audit schedules, if its overall grade calls for one.
    pub fn due(&self, audit: &Audit) -> Option<NaiveDate> {
        self.due_after(audit.date(), audit.overall_grade())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    default_template: String,
    reaudit: ReauditFile,
    programme: ProgrammeFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReauditFile {
    when_overall: Vec<String>,
    after_months: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammeFile {
    cases_per_auditor: u32,
    other_team_only: bool,
    no_repeat_months: u32,
    due_days_after_month_end: u32,
}

/// Bounds that catch a typing slip in the file (24 months, not 240) without
/// second-guessing an LA's practice.
const MAX_MONTHS: u32 = 60;
const MAX_CASES_PER_AUDITOR: u32 = 50;
const MAX_GRACE_DAYS: u32 = 60;

impl AuditRules {
    pub fn parse_toml(file: &str, text: &str) -> Result<AuditRules, AuditDataError> {
        let raw: RulesFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let default_template = TemplateKey::parse(&raw.default_template)
            .map_err(|e| invalid(file, format!("default_template: {e}")))?;
        let when_overall = raw
            .reaudit
            .when_overall
            .iter()
            .map(|g| {
                Grade::parse(g).map_err(|e| invalid(file, format!("reaudit.when_overall: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let in_range = |field: &str, value: u32, min: u32, max: u32| {
            if (min..=max).contains(&value) {
                Ok(value)
            } else {
                Err(invalid(
                    file,
                    format!("{field} is {value}: expected {min} to {max}"),
                ))
            }
        };
        let p = raw.programme;
        Ok(AuditRules {
            default_template,
            reaudit: ReauditRule {
                when_overall,
                after_months: in_range(
                    "reaudit.after_months",
                    raw.reaudit.after_months,
                    1,
                    MAX_MONTHS,
                )?,
            },
            programme: ProgrammeRules {
                cases_per_auditor: in_range(
                    "programme.cases_per_auditor",
                    p.cases_per_auditor,
                    1,
                    MAX_CASES_PER_AUDITOR,
                )?,
                other_team_only: p.other_team_only,
                no_repeat_months: in_range(
                    "programme.no_repeat_months",
                    p.no_repeat_months,
                    0,
                    MAX_MONTHS,
                )?,
                due_days_after_month_end: in_range(
                    "programme.due_days_after_month_end",
                    p.due_days_after_month_end,
                    0,
                    MAX_GRACE_DAYS,
                )?,
            },
        })
    }

    /// The rules as shipped in `data/audit/rules.toml`.
    pub fn bundled() -> AuditRules {
        AuditRules::parse_toml(
            "rules.toml",
            include_str!("../../../../data/audit/rules.toml"),
        )
        .expect("bundled audit rules are valid (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditTemplates;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bundled_rules_are_the_practice_domain_md_describes() {
        let rules = AuditRules::bundled();
        assert_eq!(rules.programme.cases_per_auditor, 2);
        assert!(rules.programme.other_team_only);
        assert_eq!(rules.programme.no_repeat_months, 12);
        assert_eq!(rules.programme.due_days_after_month_end, 0);
        assert_eq!(rules.reaudit.when_overall, [Grade::Inadequate]);
        assert_eq!(rules.reaudit.after_months, 3);
        assert!(
            AuditTemplates::bundled()
                .get(&rules.default_template)
                .is_some(),
            "the default template is one of the bundled ones"
        );
    }

    #[test]
    fn inadequate_audits_are_reaudited_three_months_on() {
        let rule = AuditRules::bundled().reaudit;
        assert_eq!(
            rule.due_after(d("2026-01-15"), Grade::Inadequate),
            Some(d("2026-04-15"))
        );
        // No 31 November: the month's last day.
        assert_eq!(
            rule.due_after(d("2026-08-31"), Grade::Inadequate),
            Some(d("2026-11-30"))
        );
        assert_eq!(
            rule.due_after(d("2025-11-30"), Grade::Inadequate),
            Some(d("2026-02-28"))
        );
        assert_eq!(
            rule.due_after(d("2026-01-15"), Grade::RequiresImprovement),
            None
        );
        assert_eq!(rule.due_after(d("2026-01-15"), Grade::Good), None);
    }

    #[test]
    fn an_la_may_change_the_rule() {
        let rule = ReauditRule {
            when_overall: vec![Grade::RequiresImprovement, Grade::Inadequate],
            after_months: 6,
        };
        assert_eq!(
            rule.due_after(d("2026-01-15"), Grade::RequiresImprovement),
            Some(d("2026-07-15"))
        );
    }

    #[test]
    fn bad_rules_files_are_reported() {
        let text = include_str!("../../../../data/audit/rules.toml");
        let err = |from: &str, to: &str| {
            AuditRules::parse_toml("rules.toml", &text.replace(from, to))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("cases_per_auditor = 2", "cases_per_auditor = 0"),
            "rules.toml: programme.cases_per_auditor is 0: expected 1 to 50"
        );
        assert!(
            err("after_months = 3", "after_months = 300").contains("reaudit.after_months is 300")
        );
        assert!(err("[\"inadequate\"]", "[\"awful\"]").contains("reaudit.when_overall: 'awful'"));
        assert!(err(
            "default_template = \"ilacs-quality\"",
            "default_template = \"Q\""
        )
        .contains("default_template:"));
        assert!(err(
            "other_team_only = true",
            "other_team_only = true\nsurprise = 1"
        )
        .starts_with("rules.toml:"));
    }
}
