//! What Ofsted does next for an LA, from its last graded inspection (DOMAIN.md
//! "Activities and their rules"): a short inspection for an LA last judged good or
//! outstanding, a standard one for requires improvement, each in a window around the
//! third anniversary; monitoring visits for an LA judged inadequate, quarterly, with a
//! re-inspection due within two years. The months are data (`activities.toml`).

use super::{Activity, ActivityKind, Judgement};
use crate::framework::Catalogue;
use crate::grade::Grade;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// Where today falls against the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    NotYetOpen,
    Open,
    /// The window has closed without the inspection.
    Overdue,
}

impl WindowState {
    pub fn label(self) -> &'static str {
        match self {
            WindowState::NotYetOpen => "Not yet open",
            WindowState::Open => "Open now",
            WindowState::Overdue => "Overdue",
        }
    }
}

/// The next graded inspection's window, and for an inadequate LA its next monitoring
/// visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextInspection {
    /// Short or standard.
    pub kind: ActivityKind,
    /// The grade that decided it.
    pub decided_by: Grade,
    pub last_inspection: NaiveDate,
    pub opens: NaiveDate,
    /// The third anniversary, or for an inadequate LA the date re-inspection is due by.
    pub due: NaiveDate,
    pub closes: NaiveDate,
    pub state: WindowState,
    /// For an inadequate LA: when the next quarterly monitoring visit falls due.
    pub next_monitoring_visit: Option<NaiveDate>,
}

/// The grade that decides the next inspection: overall effectiveness where the
/// framework had it; otherwise (the 2026 framework has none) the lowest of the
/// judgements, so any requires-improvement judgement means a standard inspection.
pub fn deciding_grade(inspection: &Activity) -> Option<Grade> {
    inspection
        .judgements
        .get(Judgement::OverallEffectiveness)
        .or_else(|| {
            inspection
                .judgements
                .iter()
                .map(|(_, g)| g)
                .max_by_key(|g| grade_rank(*g))
        })
}

/// Higher is worse.
fn grade_rank(grade: Grade) -> usize {
    Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0)
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months)).unwrap_or(date)
}

/// The next inspection for an LA whose activities are `activities` (any order, any
/// kinds), on `today`; `None` when it has had no graded inspection.
pub fn next_inspection(
    catalogue: &Catalogue,
    activities: &[Activity],
    today: NaiveDate,
) -> Option<NextInspection> {
    let last = activities
        .iter()
        .filter(|a| a.kind.is_graded())
        .filter(|a| deciding_grade(a).is_some())
        .max_by_key(|a| a.start_date)?;
    let grade = deciding_grade(last)?;
    let (kind, opens, due, closes, next_monitoring_visit) = if grade == Grade::Inadequate {
        let monitoring = catalogue.activity(ActivityKind::MonitoringVisit);
        let within = monitoring.reinspection_within_months.unwrap_or(24);
        let interval = monitoring.interval_months.unwrap_or(3);
        let last_visit = activities
            .iter()
            .filter(|a| a.kind == ActivityKind::MonitoringVisit && a.start_date > last.start_date)
            .map(|a| a.start_date)
            .max()
            .unwrap_or(last.start_date);
        let due = add_months(last.start_date, within);
        (
            ActivityKind::StandardInspection,
            last.start_date,
            due,
            due,
            Some(add_months(last_visit, interval)),
        )
    } else {
        let kind = if matches!(grade, Grade::Outstanding | Grade::Good) {
            ActivityKind::ShortInspection
        } else {
            ActivityKind::StandardInspection
        };
        let rules = catalogue.activity(kind);
        let due = add_months(
            last.start_date,
            rules.window_from_last_inspection_months.unwrap_or(36),
        );
        let tolerance = rules.window_tolerance_months.unwrap_or(6);
        (
            kind,
            sub_months(due, tolerance),
            due,
            add_months(due, tolerance),
            None,
        )
    };
    let state = if today < opens {
        WindowState::NotYetOpen
    } else if today <= closes {
        WindowState::Open
    } else {
        WindowState::Overdue
    };
    Some(NextInspection {
        kind,
        decided_by: grade,
        last_inspection: last.start_date,
        opens,
        due,
        closes,
        state,
        next_monitoring_visit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::LaCode;
    use crate::inspection::Judgements;

    fn day(iso: &str) -> NaiveDate {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
    }

    fn activity(kind: ActivityKind, date: &str, grades: &[(Judgement, Grade)]) -> Activity {
        Activity {
            la_code: LaCode::parse("301").unwrap(),
            kind,
            start_date: day(date),
            publication_date: None,
            theme: None,
            judgements: grades
                .iter()
                .fold(Judgements::new(), |j, (judgement, grade)| {
                    j.with(*judgement, *grade)
                }),
        }
    }

    #[test]
    fn requires_improvement_means_a_standard_inspection_around_the_third_anniversary() {
        // Barking and Dagenham: standard inspection 10 July 2023, requires improvement.
        let last = activity(
            ActivityKind::StandardInspection,
            "2023-07-10",
            &[(Judgement::OverallEffectiveness, Grade::RequiresImprovement)],
        );
        let visit = activity(ActivityKind::FocusedVisit, "2025-02-04", &[]);
        let next =
            next_inspection(&Catalogue::bundled(), &[visit, last], day("2026-11-23")).unwrap();
        assert_eq!(next.kind, ActivityKind::StandardInspection);
        assert_eq!(
            (next.opens, next.due, next.closes),
            (day("2026-01-10"), day("2026-07-10"), day("2027-01-10"))
        );
        assert_eq!(next.state, WindowState::Open);
        assert_eq!(next.next_monitoring_visit, None);
        let before = next_inspection(
            &Catalogue::bundled(),
            &[activity(
                ActivityKind::StandardInspection,
                "2023-07-10",
                &[(Judgement::OverallEffectiveness, Grade::RequiresImprovement)],
            )],
            day("2025-12-31"),
        )
        .unwrap();
        assert_eq!(before.state, WindowState::NotYetOpen);
    }

    #[test]
    fn good_or_outstanding_means_a_short_one_and_a_closed_window_is_overdue() {
        let last = activity(
            ActivityKind::ShortInspection,
            "2019-03-04",
            &[(Judgement::OverallEffectiveness, Grade::Good)],
        );
        let next = next_inspection(&Catalogue::bundled(), &[last], day("2026-11-23")).unwrap();
        assert_eq!(next.kind, ActivityKind::ShortInspection);
        assert_eq!(next.state, WindowState::Overdue);
    }

    #[test]
    fn inadequate_means_quarterly_monitoring_and_reinspection_within_two_years() {
        let last = activity(
            ActivityKind::StandardInspection,
            "2025-06-02",
            &[(Judgement::OverallEffectiveness, Grade::Inadequate)],
        );
        let visit = activity(ActivityKind::MonitoringVisit, "2025-10-14", &[]);
        let next =
            next_inspection(&Catalogue::bundled(), &[last, visit], day("2026-11-23")).unwrap();
        assert_eq!(next.kind, ActivityKind::StandardInspection);
        assert_eq!(next.due, day("2027-06-02"));
        assert_eq!(next.next_monitoring_visit, Some(day("2026-01-14")));
    }

    #[test]
    fn without_an_overall_grade_the_lowest_judgement_decides() {
        let last = activity(
            ActivityKind::StandardInspection,
            "2026-05-11",
            &[
                (Judgement::ImpactOfLeaders, Grade::Good),
                (Judgement::HelpAndProtection, Grade::RequiresImprovement),
            ],
        );
        assert_eq!(deciding_grade(&last), Some(Grade::RequiresImprovement));
        assert_eq!(
            next_inspection(&Catalogue::bundled(), &[], day("2026-11-23")),
            None
        );
        let visit_only = activity(ActivityKind::FocusedVisit, "2026-01-01", &[]);
        assert_eq!(
            next_inspection(&Catalogue::bundled(), &[visit_only], day("2026-11-23")),
            None
        );
    }
}
