//! Date arithmetic for the indicators: the window, months and weeks before R, ages, and
//! working days counted in constant time.

use chrono::{Datelike, Months, NaiveDate, Weekday};
use ilacs_domain::calendar::WorkingDayCalendar;
use std::sync::OnceLock;

/// The first day of W, the 6 months to `r`: the same day of the month as the day after
/// R, 6 months earlier (R = 31 March: 1 October; R = 30 September: 1 April; R = 23
/// November: 24 May). Where that month is too short for the day, the first of the
/// month after (R = 29 August 2026: 1 March).
pub(crate) fn window_start(r: NaiveDate) -> NaiveDate {
    let Some(next) = r.succ_opt() else {
        return months_before(r, 6);
    };
    let start = months_before(next, 6);
    if start.day() == next.day() {
        start
    } else {
        // Clamped to the month's last day: the window starts after it.
        start.succ_opt().unwrap_or(start)
    }
}

/// The same date `n` months before `d` (the month's last day where it has fewer days).
pub(crate) fn months_before(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

pub(crate) fn days_before(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(chrono::Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MIN)
}

/// Whole years from `birth` to `on` (a birthday on 29 February comes on 1 March in
/// other years).
pub(crate) fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if birth > on {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// Working days, counted in constant time from a running count: weekdays less the
/// bank holidays (on weekdays) the calendar knows. Outside the calendar's years only
/// weekends are left out, as Excel's NETWORKDAYS does with no holiday list; each count
/// says whether that happened.
#[derive(Debug, Clone)]
pub(crate) struct WorkingDays {
    first: NaiveDate,
    last: NaiveDate,
    /// Day numbers (days from the common era) of bank holidays on weekdays, sorted.
    holidays: Vec<i32>,
}

/// A count of working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Count {
    pub days: u32,
    /// A date was outside the calendar's years: its bank holidays were not left out.
    pub outside_calendar: bool,
}

impl WorkingDays {
    pub(crate) fn bundled() -> &'static WorkingDays {
        static DAYS: OnceLock<WorkingDays> = OnceLock::new();
        DAYS.get_or_init(|| WorkingDays::from_calendar(&WorkingDayCalendar::bundled()))
    }

    pub(crate) fn from_calendar(calendar: &WorkingDayCalendar) -> Self {
        let (first, last) = calendar.covers();
        let holidays = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| {
                calendar.is_bank_holiday(*d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            })
            .map(|d| d.num_days_from_ce())
            .collect();
        WorkingDays {
            first,
            last,
            holidays,
        }
    }

    pub(crate) fn covers(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    /// Working days from the start of the era up to and including `d`.
    fn running(&self, d: NaiveDate) -> i64 {
        // Day 1 of the era, 1 January of year 1, was a Monday.
        let n = i64::from(d.num_days_from_ce());
        let weekdays = n.div_euclid(7) * 5 + n.rem_euclid(7).min(5);
        let day = d.num_days_from_ce();
        weekdays - self.holidays.partition_point(|&h| h <= day) as i64
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`): as
    /// [`WorkingDayCalendar::working_days_between`].
    pub(crate) fn between(&self, from: NaiveDate, to: NaiveDate) -> Count {
        let outside_calendar = [from, to].iter().any(|d| *d < self.first || *d > self.last);
        let days = if to <= from {
            0
        } else {
            (self.running(to) - self.running(from)).max(0) as u32
        };
        Count {
            days,
            outside_calendar,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_window_is_the_six_months_to_r() {
        assert_eq!(window_start(d("2026-03-31")), d("2025-10-01"));
        assert_eq!(window_start(d("2026-09-30")), d("2026-04-01"));
        assert_eq!(window_start(d("2026-11-23")), d("2026-05-24"));
        assert_eq!(window_start(d("2026-08-29")), d("2026-03-01"));
        assert_eq!(window_start(d("2026-08-27")), d("2026-02-28"));
        assert_eq!(window_start(d("2028-08-28")), d("2028-02-29"));
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(d("2010-03-31"), d("2026-03-30")), Some(15));
        assert_eq!(age_on(d("2010-03-31"), d("2026-03-31")), Some(16));
        assert_eq!(age_on(d("2012-02-29"), d("2027-02-28")), Some(14));
        assert_eq!(age_on(d("2012-02-29"), d("2027-03-01")), Some(15));
        assert_eq!(age_on(d("2027-01-01"), d("2026-01-01")), None);
    }

    #[test]
    fn across_christmas_and_outside_the_calendar() {
        let w = WorkingDays::bundled();
        // Wed 24 Dec 2025 to Mon 29 Dec: 25, 26 holidays, 27, 28 weekend.
        assert_eq!(
            w.between(d("2025-12-24"), d("2025-12-29")),
            Count {
                days: 1,
                outside_calendar: false
            }
        );
        // 2030 is not in the calendar: weekdays only (2 January 2030 is a Wednesday).
        assert_eq!(
            w.between(d("2029-12-31"), d("2030-01-07")),
            Count {
                days: 5,
                outside_calendar: true
            }
        );
        assert_eq!(w.between(d("2026-01-07"), d("2026-01-05")).days, 0);
    }

    proptest! {
        #[test]
        fn agrees_with_the_domain_calendar(a in 0i64..(365 * 11), span in 0i64..400) {
            let calendar = WorkingDayCalendar::bundled();
            let w = WorkingDays::bundled();
            let from = d("2018-01-01") + chrono::Duration::days(a);
            let to = (from + chrono::Duration::days(span)).min(d("2028-12-31"));
            prop_assert_eq!(
                w.between(from, to).days,
                calendar.working_days_between(from, to).unwrap()
            );
        }
    }
}
