//! Working days in England: weekdays that are not England and Wales bank holidays.
//! Bank holidays come from `data/reference/bank-holidays-england-and-wales.csv`.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("bank holidays file, line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("bank holidays file has no dates")]
    Empty,
    #[error("{date} is outside the calendar's known bank holidays ({first} to {last})")]
    OutOfRange {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
}

/// The working-day calendar. It knows bank holidays only for the years its file covers,
/// and refuses to answer outside them rather than guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    holidays: BTreeSet<NaiveDate>,
    first: NaiveDate,
    last: NaiveDate,
}

impl WorkingDayCalendar {
    /// Parses the bank-holiday CSV (columns `date,title`, ISO dates). The calendar covers
    /// whole years from the first holiday's year to the last's.
    pub fn parse_csv(text: &str) -> Result<Self, CalendarError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut holidays = BTreeSet::new();
        for (index, record) in reader.records().enumerate() {
            let line = index as u64 + 2;
            let record = record.map_err(|e| CalendarError::Line {
                line,
                message: e.to_string(),
            })?;
            let raw = record.get(0).unwrap_or("").trim();
            let date =
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| CalendarError::Line {
                    line,
                    message: format!("'{raw}' is not a date (YYYY-MM-DD)"),
                })?;
            holidays.insert(date);
        }
        let (Some(first), Some(last)) = (holidays.first(), holidays.last()) else {
            return Err(CalendarError::Empty);
        };
        let first = NaiveDate::from_ymd_opt(first.year(), 1, 1).expect("1 January exists");
        let last = NaiveDate::from_ymd_opt(last.year(), 12, 31).expect("31 December exists");
        Ok(WorkingDayCalendar {
            holidays,
            first,
            last,
        })
    }

    /// The calendar as shipped in `data/reference/`.
    pub fn bundled() -> Self {
        Self::parse_csv(include_str!(
            "../../../data/reference/bank-holidays-england-and-wales.csv"
        ))
        .expect("bundled bank holidays are valid (tested)")
    }

    pub fn covers(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    fn in_range(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if date < self.first || date > self.last {
            Err(CalendarError::OutOfRange {
                date,
                first: self.first,
                last: self.last,
            })
        } else {
            Ok(())
        }
    }

    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.in_range(date)?;
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_bank_holiday(date))
    }

    /// The date `n` working days after `start` (`start` itself does not count; with
    /// `n = 0` it is `start`). "Within 1 working day of Monday" is Tuesday.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.in_range(start)?;
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date
                .checked_add_days(Days::new(1))
                .ok_or(CalendarError::OutOfRange {
                    date,
                    first: self.first,
                    last: self.last,
                })?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`): the
    /// inverse of [`add_working_days`](Self::add_working_days) on working days.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        self.in_range(from)?;
        self.in_range(to)?;
        let mut count = 0;
        let mut date = from;
        while date < to {
            date = date.succ_opt().expect("within the calendar's range");
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(count)
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
    fn bank_holidays_and_weekends_are_not_working_days() {
        let c = WorkingDayCalendar::bundled();
        assert!(!c.is_working_day(d("2025-12-25")).unwrap());
        assert!(!c.is_working_day(d("2025-12-27")).unwrap()); // Saturday
        assert!(c.is_working_day(d("2026-11-23")).unwrap());
        assert_eq!(c.covers(), (d("2018-01-01"), d("2028-12-31")));
    }

    #[test]
    fn adds_across_christmas_and_easter() {
        let c = WorkingDayCalendar::bundled();
        // Wed 24 Dec 2025 + 1 working day: 25, 26 are holidays, 27-28 weekend.
        assert_eq!(
            c.add_working_days(d("2025-12-24"), 1).unwrap(),
            d("2025-12-29")
        );
        // Thursday before Good Friday 2025 (18 April) + 1: Easter Monday 21st is a holiday.
        assert_eq!(
            c.add_working_days(d("2025-04-17"), 1).unwrap(),
            d("2025-04-22")
        );
        assert_eq!(
            c.add_working_days(d("2026-11-23"), 0).unwrap(),
            d("2026-11-23")
        );
        assert_eq!(
            c.working_days_between(d("2025-12-24"), d("2025-12-29"))
                .unwrap(),
            1
        );
        // 70 working days: the inadequate LA's action-plan deadline.
        let due = c.add_working_days(d("2026-01-05"), 70).unwrap();
        assert_eq!(c.working_days_between(d("2026-01-05"), due).unwrap(), 70);
    }

    #[test]
    fn refuses_dates_it_does_not_know() {
        let c = WorkingDayCalendar::bundled();
        assert!(matches!(
            c.is_working_day(d("2030-01-02")),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert!(c.add_working_days(d("2028-12-29"), 5).is_err());
    }

    #[test]
    fn bad_files_are_reported_by_line() {
        let err =
            WorkingDayCalendar::parse_csv("date,title\n2025-01-01,New Year\n01/05/2025,May\n")
                .unwrap_err();
        assert_eq!(
            err,
            CalendarError::Line {
                line: 3,
                message: "'01/05/2025' is not a date (YYYY-MM-DD)".into()
            }
        );
        assert_eq!(
            WorkingDayCalendar::parse_csv("date,title\n"),
            Err(CalendarError::Empty)
        );
    }

    fn date_in_range() -> impl Strategy<Value = NaiveDate> {
        (0i64..(365 * 10)).prop_map(|offset| d("2018-01-01") + chrono::Duration::days(offset))
    }

    proptest! {
        #[test]
        fn add_then_count_round_trips(start in date_in_range(), n in 0u32..120) {
            let c = WorkingDayCalendar::bundled();
            let end = c.add_working_days(start, n).unwrap();
            prop_assert_eq!(c.working_days_between(start, end).unwrap(), n);
            if n > 0 {
                prop_assert!(c.is_working_day(end).unwrap());
                prop_assert!(end > start);
            }
        }

        #[test]
        fn adding_is_monotonic_and_additive(start in date_in_range(), a in 0u32..60, b in 0u32..60) {
            let c = WorkingDayCalendar::bundled();
            let first = c.add_working_days(start, a).unwrap();
            let both = c.add_working_days(first, b).unwrap();
            prop_assert_eq!(both, c.add_working_days(start, a + b).unwrap());
            prop_assert!(c.add_working_days(start, a + 1).unwrap() > first);
        }

        #[test]
        fn five_working_days_span_five_to_twelve_calendar_days(start in date_in_range()) {
            let c = WorkingDayCalendar::bundled();
            let end = c.add_working_days(start, 5).unwrap();
            // Five working days never fit in fewer than five calendar days, and the longest
            // run of non-working days in England (Christmas to a weekend) is short.
            let span = (end - start).num_days();
            prop_assert!((5..=12).contains(&span), "span {} from {}", span, start);
        }
    }
}
