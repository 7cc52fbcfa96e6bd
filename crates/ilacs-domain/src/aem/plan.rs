//! A region's plan: every LA should have a meeting each year. Who is due, who has had
//! none for too long, and dates proposed for the rest, spread over the coming year.

use super::rules::AemRules;
use crate::authority::LaCode;
use crate::calendar::WorkingDayCalendar;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;

/// What the plan knows of one LA's meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    pub la: LaCode,
    /// The latest meeting held, if any.
    pub last_held: Option<NaiveDate>,
    /// The next meeting planned (today or later), if any.
    pub planned: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// A meeting is planned.
    Planned,
    /// None planned; the last was within the due period, so the next falls due this
    /// year.
    Due,
    /// None held within the due period (or ever), and none planned.
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanLine {
    pub la: LaCode,
    pub status: PlanStatus,
    /// When the next meeting falls due: a year after the last (today if never).
    pub due: NaiveDate,
    /// A proposed date for LAs without a planned meeting.
    pub proposed: Option<NaiveDate>,
}

/// Lines in the order given, with proposals for those without a planned meeting:
/// no earlier than the notice period allows (never in the past), near each LA's
/// anniversary, at least a fair share of the year apart so the region's diary is even,
/// and on a working day.
pub fn plan_region(
    inputs: &[PlanInput],
    today: NaiveDate,
    rules: &AemRules,
    calendar: &WorkingDayCalendar,
) -> Vec<PlanLine> {
    let overdue_before = today
        .checked_sub_months(Months::new(rules.due_after_months()))
        .unwrap_or(today);
    let mut lines: Vec<PlanLine> = inputs
        .iter()
        .map(|input| {
            let due = input
                .last_held
                .and_then(|d| d.checked_add_months(Months::new(rules.interval_months())))
                .unwrap_or(today);
            let status = match (input.planned, input.last_held) {
                (Some(p), _) if p >= today => PlanStatus::Planned,
                (_, Some(last)) if last >= overdue_before => PlanStatus::Due,
                _ => PlanStatus::Overdue,
            };
            PlanLine {
                la: input.la.clone(),
                status,
                due,
                proposed: None,
            }
        })
        .collect();
    let earliest = today + Days::new(u64::from(rules.notice_days()));
    let mut unplanned: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].status != PlanStatus::Planned)
        .collect();
    if unplanned.is_empty() {
        return lines;
    }
    unplanned.sort_by_key(|&i| (lines[i].due, lines[i].la.clone()));
    let gap = Days::new((365 / unplanned.len() as u64).max(1));
    let mut previous: Option<NaiveDate> = None;
    for i in unplanned {
        let mut date = lines[i].due.max(earliest);
        if let Some(p) = previous {
            date = date.max(p + gap);
        }
        let date = next_meeting_day(date, calendar);
        previous = Some(date);
        lines[i].proposed = Some(date);
    }
    lines
}

/// The first working day from `date`, Tuesday to Thursday, so that the meeting, an
/// afternoon, avoids the ends of the week when LA leaders are least free.
fn next_meeting_day(date: NaiveDate, calendar: &WorkingDayCalendar) -> NaiveDate {
    let mut d = date;
    loop {
        let midweek = matches!(d.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu);
        // Beyond the calendar's years, only weekends are known.
        if midweek && !calendar.is_bank_holiday(d) {
            return d;
        }
        d = d.succ_opt().unwrap_or(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn flags_and_proposals() {
        let today = d("2026-11-23");
        let rules = AemRules::bundled();
        let calendar = WorkingDayCalendar::bundled();
        let la = |c: &str| LaCode::parse(c).unwrap();
        let inputs = vec![
            PlanInput {
                la: la("878"),
                last_held: Some(d("2025-06-10")),
                planned: None,
            },
            PlanInput {
                la: la("879"),
                last_held: Some(d("2026-03-04")),
                planned: None,
            },
            PlanInput {
                la: la("880"),
                last_held: None,
                planned: Some(d("2027-01-14")),
            },
            PlanInput {
                la: la("881"),
                last_held: None,
                planned: None,
            },
        ];
        let lines = plan_region(&inputs, today, &rules, &calendar);
        let status: Vec<PlanStatus> = lines.iter().map(|l| l.status).collect();
        assert_eq!(
            status,
            [
                PlanStatus::Overdue,
                PlanStatus::Due,
                PlanStatus::Planned,
                PlanStatus::Overdue
            ]
        );
        assert_eq!(lines[2].proposed, None);
        let proposed: Vec<NaiveDate> = lines.iter().filter_map(|l| l.proposed).collect();
        assert_eq!(proposed.len(), 3);
        for p in &proposed {
            assert!(*p >= today + Days::new(14), "{p} is too soon");
            assert!(matches!(
                p.weekday(),
                Weekday::Tue | Weekday::Wed | Weekday::Thu
            ));
        }
        // Spread: a third of a year apart at least.
        let mut sorted = proposed.clone();
        sorted.sort();
        for w in sorted.windows(2) {
            assert!((w[1] - w[0]).num_days() >= 121, "{w:?} too close");
        }
        // Devon's anniversary is in March 2027: proposed on or after it.
        assert!(lines[1].proposed.unwrap() >= d("2027-03-04"));
    }

    #[test]
    fn bank_holidays_are_skipped() {
        let calendar = WorkingDayCalendar::bundled();
        // 25 December 2025 is a Thursday and a bank holiday; the next Tuesday is not.
        assert_eq!(
            next_meeting_day(d("2025-12-25"), &calendar),
            d("2025-12-30")
        );
    }
}
