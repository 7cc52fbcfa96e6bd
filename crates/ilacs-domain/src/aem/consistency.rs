//! How alike the regions' meetings are (seed 001: Ofsted found them varying in timing,
//! length, remit, who attended and venue, and wants them consistent): each region's
//! figures side by side, and the regions far from the middle one named.

use super::meeting::{Meeting, OfstedRole, Remit, Venue};
use super::rules::AemRules;
use crate::authority::RegionId;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// One region's held meetings in the period, measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionFigures {
    pub region: RegionId,
    pub meetings: usize,
    /// Meetings by quarter of the financial year (April to June first).
    pub by_quarter: [usize; 4],
    /// The typical month, as months since April (0 = April, 11 = March).
    pub median_month: Option<f64>,
    pub median_minutes: Option<f64>,
    /// Shares of the region's meetings, 0 to 1.
    pub with_education_share: Option<f64>,
    pub regional_director_share: Option<f64>,
    pub mean_ofsted_attendees: Option<f64>,
    pub ofsted_office_share: Option<f64>,
    pub la_share: Option<f64>,
    pub online_share: Option<f64>,
    /// Of letters due by today: issued by their due date.
    pub letters_on_time_share: Option<f64>,
    /// Of steps agreed in issued letters: followed up.
    pub steps_followed_up_share: Option<f64>,
}

/// What an outlier differs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Timing,
    Length,
    Remit,
    Seniority,
    Venue,
    LettersOnTime,
    StepsFollowedUp,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Timing => "timing within the year",
            Measure::Length => "length",
            Measure::Remit => "remit (with education and early years)",
            Measure::Seniority => "regional director attending",
            Measure::Venue => "held online",
            Measure::LettersOnTime => "letters on time",
            Measure::StepsFollowedUp => "agreed steps followed up",
        }
    }
}

/// A region far from the middle region on one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlier {
    pub region: RegionId,
    pub measure: Measure,
    pub value: f64,
    /// The middle region's value (the median of the regions').
    pub middle: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsistencyReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub regions: Vec<RegionFigures>,
    pub outliers: Vec<Outlier>,
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

fn share(count: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| count as f64 / of as f64)
}

/// Months since the start of the financial year (April).
fn fy_month(date: NaiveDate) -> u32 {
    (date.month() + 8) % 12
}

fn figures(
    region: &RegionId,
    meetings: &[&Meeting],
    rules: &AemRules,
    today: NaiveDate,
) -> RegionFigures {
    let held: Vec<_> = meetings
        .iter()
        .filter_map(|m| m.held().map(|h| (m, h)))
        .collect();
    let n = held.len();
    let mut by_quarter = [0usize; 4];
    for (_, h) in &held {
        by_quarter[(fy_month(h.date) / 3) as usize] += 1;
    }
    let count =
        |f: &dyn Fn(&super::meeting::Held) -> bool| held.iter().filter(|(_, h)| f(h)).count();
    let due: Vec<_> = held
        .iter()
        .filter(|(m, _)| m.letter_due(rules).is_some_and(|d| d <= today) || m.is_issued())
        .collect();
    let on_time = due
        .iter()
        .filter(|(m, _)| !m.letter_overdue(rules, today))
        .count();
    let steps: Vec<_> = held
        .iter()
        .filter(|(m, _)| m.is_issued())
        .flat_map(|(m, _)| m.outcomes().map(|o| o.steps.clone()).unwrap_or_default())
        .collect();
    RegionFigures {
        region: region.clone(),
        meetings: n,
        by_quarter,
        median_month: median(
            &mut held
                .iter()
                .map(|(_, h)| f64::from(fy_month(h.date)))
                .collect::<Vec<_>>(),
        ),
        median_minutes: median(
            &mut held
                .iter()
                .map(|(_, h)| f64::from(h.minutes))
                .collect::<Vec<_>>(),
        ),
        with_education_share: share(count(&|h| h.remit == Remit::WithEducationAndEarlyYears), n),
        regional_director_share: share(
            count(&|h| {
                h.ofsted
                    .iter()
                    .any(|a| a.role == OfstedRole::RegionalDirector)
            }),
            n,
        ),
        mean_ofsted_attendees: (n > 0)
            .then(|| held.iter().map(|(_, h)| h.ofsted.len()).sum::<usize>() as f64 / n as f64),
        ofsted_office_share: share(count(&|h| h.venue == Venue::OfstedOffice), n),
        la_share: share(count(&|h| h.venue == Venue::La), n),
        online_share: share(count(&|h| h.venue == Venue::Online), n),
        letters_on_time_share: share(on_time, due.len()),
        steps_followed_up_share: share(
            steps.iter().filter(|s| s.followed_up.is_some()).count(),
            steps.len(),
        ),
    }
}

/// Compares the regions on the meetings held in `[from, to]`. Every region given is
/// listed (with no figures if it held none); only regions with at least
/// `rules.outliers().min_meetings` are compared and can be named.
pub fn consistency_report(
    regions: &[RegionId],
    meetings: &[(RegionId, Meeting)],
    from: NaiveDate,
    to: NaiveDate,
    rules: &AemRules,
    today: NaiveDate,
) -> ConsistencyReport {
    let lines: Vec<RegionFigures> = regions
        .iter()
        .map(|region| {
            let own: Vec<&Meeting> = meetings
                .iter()
                .filter(|(r, m)| {
                    r == region && m.held().is_some_and(|h| h.date >= from && h.date <= to)
                })
                .map(|(_, m)| m)
                .collect();
            figures(region, &own, rules, today)
        })
        .collect();
    let limits = rules.outliers();
    let compared: Vec<&RegionFigures> = lines
        .iter()
        .filter(|l| l.meetings >= limits.min_meetings.max(1))
        .collect();
    type Get = fn(&RegionFigures) -> Option<f64>;
    let measures: [(Measure, Get, f64); 7] = [
        (Measure::Timing, |l| l.median_month, limits.timing_months),
        (Measure::Length, |l| l.median_minutes, limits.length_minutes),
        (Measure::Remit, |l| l.with_education_share, limits.share),
        (
            Measure::Seniority,
            |l| l.regional_director_share,
            limits.share,
        ),
        (Measure::Venue, |l| l.online_share, limits.share),
        (
            Measure::LettersOnTime,
            |l| l.letters_on_time_share,
            limits.share,
        ),
        (
            Measure::StepsFollowedUp,
            |l| l.steps_followed_up_share,
            limits.share,
        ),
    ];
    let mut outliers = Vec::new();
    for (measure, get, limit) in measures {
        let mut values: Vec<f64> = compared.iter().filter_map(|l| get(l)).collect();
        // With fewer than three regions there is no middle to differ from.
        if values.len() < 3 {
            continue;
        }
        let Some(middle) = median(&mut values) else {
            continue;
        };
        for line in &compared {
            if let Some(value) = get(line).filter(|v| (v - middle).abs() > limit) {
                outliers.push(Outlier {
                    region: line.region.clone(),
                    measure,
                    value,
                    middle,
                });
            }
        }
    }
    ConsistencyReport {
        from,
        to,
        regions: lines,
        outliers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aem::meeting::{Held, OfstedAttendee};
    use crate::authority::LaCode;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn held(date: &str, minutes: u32, venue: Venue, director: bool) -> Meeting {
        let rules = AemRules::bundled();
        let mut m = Meeting::plan(LaCode::parse("878").unwrap(), d(date), d(date), &rules).unwrap();
        let role = if director {
            OfstedRole::RegionalDirector
        } else {
            OfstedRole::Hmi
        };
        m.record(
            Held {
                date: d(date),
                venue,
                minutes,
                remit: Remit::SocialCareOnly,
                ofsted: vec![
                    OfstedAttendee {
                        name: "A".into(),
                        role,
                    },
                    OfstedAttendee {
                        name: "B".into(),
                        role: OfstedRole::SeniorHmi,
                    },
                ],
                la: vec![],
            },
            d(date),
        )
        .unwrap();
        m
    }

    #[test]
    fn names_the_region_far_from_the_middle() {
        let today = d("2026-11-23");
        let regions: Vec<RegionId> = ["london", "south-west", "north-west", "east-midlands"]
            .iter()
            .map(|r| RegionId::parse(r).unwrap())
            .collect();
        let mut meetings = Vec::new();
        for region in &regions[..3] {
            for date in ["2026-06-10", "2026-07-08", "2026-09-15"] {
                meetings.push((region.clone(), held(date, 180, Venue::La, true)));
            }
        }
        // The North West's meetings are short, online and without a regional director.
        for (region, m) in meetings.iter_mut() {
            if region.as_str() == "north-west" {
                *m = held(&m.date().to_string(), 60, Venue::Online, false);
            }
        }
        let report = consistency_report(
            &regions,
            &meetings,
            d("2025-11-24"),
            today,
            &AemRules::bundled(),
            today,
        );
        assert_eq!(report.regions.len(), 4);
        assert_eq!(report.regions[3].meetings, 0);
        assert_eq!(report.regions[0].by_quarter, [1, 2, 0, 0]);
        assert_eq!(report.regions[0].median_minutes, Some(180.0));
        let named: Vec<(&str, Measure)> = report
            .outliers
            .iter()
            .map(|o| (o.region.as_str(), o.measure))
            .collect();
        assert_eq!(
            named,
            [
                ("north-west", Measure::Length),
                ("north-west", Measure::Seniority),
                ("north-west", Measure::Venue)
            ]
        );
        // Letters were never drafted: all due a month after, so none on time.
        assert_eq!(report.regions[0].letters_on_time_share, Some(0.0));
    }

    #[test]
    fn the_financial_year_starts_in_april() {
        assert_eq!(fy_month(d("2026-04-01")), 0);
        assert_eq!(fy_month(d("2027-03-31")), 11);
        assert_eq!(fy_month(d("2026-12-01")), 8);
    }
}
