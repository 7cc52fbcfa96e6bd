//! The quarterly audit summary an improvement board reads: grade counts by domain and by
//! team, the themes audits were tagged with, and the trend against the quarter before.

use super::ids::{DomainKey, Team, ThemeKey};
use super::rate::Rate;
use super::record::Audit;
use crate::grade::Grade;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// A calendar quarter: Q1 is January to March, Q4 October to December. (Not the
/// financial year, whose first quarter is April to June: audit reports to boards and to
/// Ofsted follow the calendar.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Quarter {
    year: i32,
    number: u32,
}

impl Quarter {
    /// `None` unless `number` is 1 to 4 and the year has four digits.
    pub fn new(year: i32, number: u32) -> Option<Quarter> {
        ((1000..=9999).contains(&year) && (1..=4).contains(&number))
            .then_some(Quarter { year, number })
    }

    pub fn containing(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            number: date.month0() / 3 + 1,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u32 {
        self.number
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number - 1) * 3 + 1, 1).expect("a checked quarter")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("a checked quarter")
    }

    pub fn next(self) -> Quarter {
        Quarter::containing(self.first_day() + Months::new(3))
    }

    pub fn previous(self) -> Quarter {
        Quarter::containing(self.first_day() - Months::new(3))
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Quarter::containing(date) == self
    }

    /// `January to March 2026`.
    pub fn label(self) -> String {
        format!(
            "{} to {}",
            self.first_day().format("%B"),
            self.last_day().format("%B %Y")
        )
    }
}

/// `Q1 2026`.
impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{} {}", self.number, self.year)
    }
}

/// How many scores fell on each grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct GradeCounts {
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
    pub not_applicable: u32,
}

impl GradeCounts {
    /// Counts one score: a grade, or `None` for not applicable.
    pub fn add(&mut self, grade: Option<Grade>) {
        let slot = match grade {
            Some(Grade::Outstanding) => &mut self.outstanding,
            Some(Grade::Good) => &mut self.good,
            Some(Grade::RequiresImprovement) => &mut self.requires_improvement,
            Some(Grade::Inadequate) => &mut self.inadequate,
            None => &mut self.not_applicable,
        };
        *slot += 1;
    }

    pub fn get(&self, grade: Grade) -> u32 {
        match grade {
            Grade::Outstanding => self.outstanding,
            Grade::Good => self.good,
            Grade::RequiresImprovement => self.requires_improvement,
            Grade::Inadequate => self.inadequate,
        }
    }

    /// Scores with a grade (not applicable left out).
    pub fn graded(&self) -> u32 {
        Grade::ALL.iter().map(|g| self.get(*g)).sum()
    }

    /// Good or outstanding, of the graded.
    pub fn good_or_better(&self) -> Rate {
        Rate::new(self.outstanding + self.good, self.graded()).expect("a part of the whole")
    }
}

/// The share of good-or-better grades against the quarter before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Same,
    /// One quarter or the other has no grades to compare.
    #[default]
    NoComparison,
}

impl Trend {
    pub fn between(current: Rate, previous: Rate) -> Trend {
        match current.compare_share(previous) {
            Some(Ordering::Greater) => Trend::Better,
            Some(Ordering::Less) => Trend::Worse,
            Some(Ordering::Equal) => Trend::Same,
            None => Trend::NoComparison,
        }
    }
}

/// Grade counts this quarter and last, and the trend between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct QuarterComparison {
    pub current: GradeCounts,
    pub previous: GradeCounts,
    pub trend: Trend,
}

impl QuarterComparison {
    fn count(&mut self, in_current: bool, grade: Option<Grade>) {
        if in_current {
            self.current.add(grade);
        } else {
            self.previous.add(grade);
        }
    }

    fn settle(&mut self) {
        self.trend = Trend::between(
            self.current.good_or_better(),
            self.previous.good_or_better(),
        );
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainLine {
    pub domain: DomainKey,
    pub grades: QuarterComparison,
}

/// A team's overall grades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamLine {
    pub team: Team,
    pub grades: QuarterComparison,
}

/// How many audits carried a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeLine {
    pub theme: ThemeKey,
    pub current: u32,
    pub previous: u32,
}

/// One quarter's audits, against the quarter before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterSummary {
    pub quarter: Quarter,
    pub audits: u32,
    pub previous_audits: u32,
    /// The audits' overall grades.
    pub overall: QuarterComparison,
    /// In the order the audits list their domains (their template's order).
    pub domains: Vec<DomainLine>,
    /// By team name; a team audited in either quarter is listed.
    pub teams: Vec<TeamLine>,
    /// Most frequent this quarter first, then by theme.
    pub themes: Vec<ThemeLine>,
}

/// Summarises the audits dated in `quarter` against those in the quarter before; other
/// audits are ignored. Pass the LA's audits without their moderations, or a moderated
/// case counts twice. Audits on different templates mix by domain key and by grade (a
/// numeric score by its band).
pub fn quarterly_summary(audits: &[Audit], quarter: Quarter) -> QuarterSummary {
    let previous = quarter.previous();
    // A fixed order, so the domain order does not depend on the order given.
    let mut relevant: Vec<(&Audit, bool)> = audits
        .iter()
        .filter_map(|a| {
            if quarter.contains(a.date()) {
                Some((a, true))
            } else if previous.contains(a.date()) {
                Some((a, false))
            } else {
                None
            }
        })
        .collect();
    relevant.sort_by(|(a, _), (b, _)| {
        (a.date(), a.child(), a.auditor(), a.template()).cmp(&(
            b.date(),
            b.child(),
            b.auditor(),
            b.template(),
        ))
    });

    let mut summary = QuarterSummary {
        quarter,
        audits: 0,
        previous_audits: 0,
        overall: QuarterComparison::default(),
        domains: Vec::new(),
        teams: Vec::new(),
        themes: Vec::new(),
    };
    let mut teams: BTreeMap<&Team, QuarterComparison> = BTreeMap::new();
    let mut themes: BTreeMap<&ThemeKey, (u32, u32)> = BTreeMap::new();
    for (audit, current) in relevant {
        if current {
            summary.audits += 1;
        } else {
            summary.previous_audits += 1;
        }
        let overall = Some(audit.overall_grade());
        summary.overall.count(current, overall);
        teams
            .entry(&audit.case().team)
            .or_default()
            .count(current, overall);
        for score in audit.domains() {
            let line = match summary
                .domains
                .iter()
                .position(|d| d.domain == score.domain)
            {
                Some(i) => i,
                None => {
                    summary.domains.push(DomainLine {
                        domain: score.domain.clone(),
                        grades: QuarterComparison::default(),
                    });
                    summary.domains.len() - 1
                }
            };
            summary.domains[line]
                .grades
                .count(current, score.score.grade());
        }
        for theme in audit.themes() {
            let counts = themes.entry(theme).or_default();
            if current {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
    }

    summary.overall.settle();
    summary.domains.iter_mut().for_each(|d| d.grades.settle());
    summary.teams = teams
        .into_iter()
        .map(|(team, mut grades)| {
            grades.settle();
            TeamLine {
                team: team.clone(),
                grades,
            }
        })
        .collect();
    summary.themes = themes
        .into_iter()
        .map(|(theme, (current, previous))| ThemeLine {
            theme: theme.clone(),
            current,
            previous,
        })
        .collect();
    // Stable: ties stay in theme order.
    summary.themes.sort_by_key(|t| std::cmp::Reverse(t.current));
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{d, Build};
    use Grade::*;

    fn q(year: i32, n: u32) -> Quarter {
        Quarter::new(year, n).unwrap()
    }

    #[test]
    fn quarters_follow_the_calendar() {
        assert_eq!(Quarter::containing(d("2026-01-01")), q(2026, 1));
        assert_eq!(Quarter::containing(d("2026-03-31")), q(2026, 1));
        assert_eq!(Quarter::containing(d("2026-04-01")), q(2026, 2));
        assert_eq!(Quarter::containing(d("2026-12-31")), q(2026, 4));
        assert_eq!(q(2026, 1).previous(), q(2025, 4));
        assert_eq!(q(2025, 4).next(), q(2026, 1));
        assert_eq!(
            (q(2026, 2).first_day(), q(2026, 2).last_day()),
            (d("2026-04-01"), d("2026-06-30"))
        );
        assert_eq!(q(2026, 1).to_string(), "Q1 2026");
        assert_eq!(q(2026, 1).label(), "January to March 2026");
        assert_eq!(Quarter::new(2026, 5), None);
        assert_eq!(Quarter::new(2026, 0), None);
    }

    #[test]
    fn no_audits_give_an_empty_summary() {
        let s = quarterly_summary(&[], q(2026, 1));
        assert_eq!((s.audits, s.previous_audits), (0, 0));
        assert_eq!(s.overall.trend, Trend::NoComparison);
        assert_eq!(s.overall.current.good_or_better().to_string(), "0 of 0");
        assert!(s.domains.is_empty() && s.teams.is_empty() && s.themes.is_empty());
    }

    #[test]
    fn counts_by_domain_and_team_with_the_trend() {
        let audits = [
            // Q4 2025: team A one good of two; team B one inadequate.
            Build::new("C1")
                .team("A")
                .date("2025-11-03")
                .overall(Good)
                .theme("Drift")
                .build(),
            Build::new("C2")
                .team("A")
                .date("2025-12-31")
                .overall(RequiresImprovement)
                .score("voice_of_the_child", "inadequate")
                .build(),
            Build::new("C3")
                .team("B")
                .date("2025-10-01")
                .overall(Inadequate)
                .build(),
            // Q1 2026: team A two good; team B requires improvement; team C only now.
            Build::new("C4")
                .team("A")
                .date("2026-01-01")
                .overall(Good)
                .theme("drift")
                .theme("Neglect")
                .build(),
            Build::new("C5")
                .team("A")
                .date("2026-03-31")
                .overall(Outstanding)
                .score("voice_of_the_child", "good")
                .theme("Neglect")
                .build(),
            Build::new("C6")
                .team("B")
                .date("2026-02-10")
                .overall(RequiresImprovement)
                .score("family_feedback", "n/a")
                .theme("neglect")
                .build(),
            Build::new("C7")
                .team("C")
                .date("2026-02-11")
                .overall(Good)
                .build(),
            // Outside both quarters: ignored.
            Build::new("C8")
                .team("A")
                .date("2025-09-30")
                .overall(Inadequate)
                .build(),
            Build::new("C9")
                .team("A")
                .date("2026-04-01")
                .overall(Inadequate)
                .build(),
        ];
        let s = quarterly_summary(&audits, q(2026, 1));
        assert_eq!((s.audits, s.previous_audits), (4, 3));
        assert_eq!(
            s.overall.current,
            GradeCounts {
                outstanding: 1,
                good: 2,
                requires_improvement: 1,
                inadequate: 0,
                not_applicable: 0
            }
        );
        assert_eq!(s.overall.current.good_or_better().to_string(), "3 of 4");
        assert_eq!(s.overall.previous.good_or_better().to_string(), "1 of 3");
        assert_eq!(s.overall.trend, Trend::Better);

        let teams: Vec<_> = s
            .teams
            .iter()
            .map(|t| {
                (
                    t.team.as_str(),
                    t.grades.current.graded(),
                    t.grades.previous.graded(),
                    t.grades.trend,
                )
            })
            .collect();
        assert_eq!(
            teams,
            [
                ("A", 2, 2, Trend::Better),
                ("B", 1, 1, Trend::Same),
                ("C", 1, 0, Trend::NoComparison),
            ]
        );

        assert_eq!(s.domains.len(), 9);
        assert_eq!(s.domains[0].domain.as_str(), "history_and_chronology");
        let line = |key: &str| {
            s.domains
                .iter()
                .find(|d| d.domain.as_str() == key)
                .unwrap()
                .grades
        };
        let voice = line("voice_of_the_child");
        assert_eq!((voice.current.good, voice.current.graded()), (4, 4));
        assert_eq!((voice.previous.inadequate, voice.previous.graded()), (1, 3));
        assert_eq!(voice.trend, Trend::Better);
        let family = line("family_feedback");
        assert_eq!(
            (family.current.not_applicable, family.current.graded()),
            (1, 3)
        );
        assert_eq!(family.trend, Trend::Same, "3 of 3 against 3 of 3");

        let themes: Vec<_> = s
            .themes
            .iter()
            .map(|t| (t.theme.as_str(), t.current, t.previous))
            .collect();
        assert_eq!(themes, [("neglect", 3, 0), ("drift", 1, 1)]);
    }

    #[test]
    fn a_worse_quarter_is_worse() {
        let audits = [
            Build::new("C1").date("2025-11-03").overall(Good).build(),
            Build::new("C2").date("2026-01-03").overall(Good).build(),
            Build::new("C3")
                .date("2026-01-04")
                .overall(Inadequate)
                .build(),
        ];
        let s = quarterly_summary(&audits, q(2026, 1));
        assert_eq!(s.overall.trend, Trend::Worse);
        let reversed: Vec<_> = audits.iter().rev().cloned().collect();
        assert_eq!(
            quarterly_summary(&reversed, q(2026, 1)),
            s,
            "order given does not matter"
        );
    }

    #[test]
    fn counts_reject_nothing_and_sum_up() {
        let mut c = GradeCounts::default();
        for g in Grade::ALL {
            c.add(Some(g));
        }
        c.add(None);
        assert_eq!(c.graded(), 4);
        assert_eq!(c.good_or_better(), Rate::new(2, 4).unwrap());
        assert_eq!(
            Trend::between(Rate::default(), Rate::new(1, 1).unwrap()),
            Trend::NoComparison
        );
    }
}
