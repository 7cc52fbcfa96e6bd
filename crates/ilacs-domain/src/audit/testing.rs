//! Builders shared by the audit module's tests.

use super::ids::TemplateKey;
use super::record::{Audit, NewAction, NewAudit, NewDomainScore};
use super::template::{AuditTemplate, AuditTemplates};
use crate::grade::Grade;
use chrono::NaiveDate;

pub(crate) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn bundled(key: &str) -> AuditTemplate {
    AuditTemplates::bundled()
        .get(&TemplateKey::parse(key).unwrap())
        .unwrap()
        .clone()
}

pub(crate) fn quality() -> AuditTemplate {
    bundled("ilacs-quality")
}

pub(crate) fn signs_of_safety() -> AuditTemplate {
    bundled("signs-of-safety")
}

/// A complete, valid draft with every domain and the overall scored `score`.
pub(crate) fn filled(template: &AuditTemplate, score: &str) -> NewAudit {
    NewAudit {
        child_id: "C1".into(),
        team: "Assessment 1".into(),
        worker: "Sam Worker".into(),
        case_type: "in_care".into(),
        auditor: "auditor.a".into(),
        date: "10/03/2026".into(),
        domains: template
            .domains()
            .iter()
            .map(|d| NewDomainScore {
                domain: d.key.to_string(),
                score: score.into(),
                narrative: format!("Evidence for {}", d.title),
            })
            .collect(),
        overall: score.into(),
        worked_well: "Warm, persistent direct work.".into(),
        must_change: "Chronology is out of date.".into(),
        actions: vec![NewAction {
            description: "Update the chronology".into(),
            owner: "manager".into(),
            due: "10/04/2026".into(),
        }],
        ..NewAudit::default()
    }
}

/// An audit on the quality template, every domain good unless set.
pub(crate) struct Build(NewAudit);

impl Build {
    pub(crate) fn new(child: &str) -> Build {
        let mut draft = filled(&quality(), "good");
        draft.child_id = child.into();
        Build(draft)
    }
    pub(crate) fn team(mut self, team: &str) -> Build {
        self.0.team = team.into();
        self
    }
    pub(crate) fn auditor(mut self, auditor: &str) -> Build {
        self.0.auditor = auditor.into();
        self
    }
    /// ISO date; actions are moved to fall after it.
    pub(crate) fn date(mut self, date: &str) -> Build {
        self.0.date = date.into();
        self.0.actions.clear();
        self
    }
    pub(crate) fn overall(mut self, grade: Grade) -> Build {
        self.0.overall = grade.key().into();
        self
    }
    pub(crate) fn score(mut self, domain: &str, score: &str) -> Build {
        let entry = self
            .0
            .domains
            .iter_mut()
            .find(|e| e.domain == domain)
            .expect("a domain of the quality template");
        entry.score = score.into();
        self
    }
    pub(crate) fn theme(mut self, theme: &str) -> Build {
        self.0.themes.push(theme.into());
        self
    }
    pub(crate) fn build(self) -> Audit {
        self.0.parse(&quality()).expect("test audit is valid")
    }
}
