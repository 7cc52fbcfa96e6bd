//! Children in care (List 8).

use super::dates::{age_on, days_before, months_before};
use super::lists::{date, date_by, int, is, Col, Table, Unavailable};
use super::{judge, per_child, Ctx, Detail, Indicator, Rows};
use crate::Value;
use chrono::NaiveDate;

const STARTED: &str = "Date Started to be Looked After";
const CEASED: &str = "Date Ceased to be Looked After";
const BIRTH: &str = "Date of Birth";
const AGE: &str = "Age of Child (Years)";
const PLACEMENTS: &str = "Number of Placements in the Last 12 months";
const PLACEMENT_START: &str = "Start Date of Most Recent Placement";
const LOCATION: &str = "Placement Location";
const MISSING: &str =
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months";
const ABSENT: &str =
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months";
const OFFERED: &str =
    "Was the child offered a Return Interview after their last missing episode (Y/N)?";
const ACCEPTED: &str =
    "Did the child accept a Return Interview after their last missing episode (Y/N)?";
const HEALTH: &str = "Date of Last Health Assessment";
const DENTAL: &str = "Date of Last Dental Check";
const REVIEW: &str = "Date of Latest Statutory Review";
const VISIT: &str = "Date of Last Social Work Visit";

/// List 8 with the columns every indicator here needs.
#[derive(Clone, Copy)]
struct Care<'a> {
    t: Table<'a>,
    started: Col,
    birth: Option<Col>,
    age: Option<Col>,
    r: NaiveDate,
}

impl<'a> Care<'a> {
    /// Age at R: from the date of birth, else the age column as written.
    fn age(&self, row: &[Value]) -> Option<u32> {
        match self.birth.and_then(|c| date(row, c)) {
            Some(b) => age_on(b, self.r),
            None => self.age.and_then(|c| int(row, c)),
        }
    }

    fn need_age(&self) -> Result<(), Unavailable> {
        if self.birth.is_none() && self.age.is_none() {
            return Err(format!(
                "List 8 has neither a '{BIRTH}' nor an '{AGE}' column"
            ));
        }
        Ok(())
    }
}

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    let found = cohorts(ctx);
    let cohorts = || found.as_ref().map_err(Clone::clone);

    out.push(ctx.indicator("cla_3plus", |ind| {
        let (care, at_r, _) = cohorts()?;
        let placements = care.t.col(PLACEMENTS)?;
        let at_least = ind.threshold("placements")?;
        judge(ind, &care.t, at_r, |row| {
            let n = int(row, placements).unwrap_or(0);
            Some((n >= at_least, Some(Detail::Count(n))))
        });
        Ok(())
    }));
    out.push(ctx.indicator("cla_stability", |ind| stability(ctx, ind, cohorts()?)));
    out.push(ctx.indicator("cla_out_of_area", |ind| {
        let (care, at_r, _) = cohorts()?;
        let location = care.t.col(LOCATION)?;
        let out_of_area = care.t.code(location, "b) Out")?;
        judge(ind, &care.t, at_r, |row| {
            Some((is(row, location, out_of_area), None))
        });
        Ok(())
    }));

    out.push(ctx.indicator("cla_missing", |ind| {
        let (care, _, during) = cohorts()?;
        let missing = care.t.col(MISSING)?;
        let absent = care.t.opt(ABSENT);
        let at_least = ind.threshold("episodes")?;
        let (mut episodes, mut absences) = (0u64, 0u64);
        judge(ind, &care.t, during, |row| {
            let n = int(row, missing).unwrap_or(0);
            episodes += u64::from(n);
            absences += absent.and_then(|c| int(row, c)).map_or(0, u64::from);
            Some((n >= at_least, Some(Detail::Count(n))))
        });
        ind.figure(
            "missing_episodes",
            "Missing episodes in the last 12 months, all children",
            Some(episodes as f64),
        );
        if absent.is_some() {
            ind.figure(
                "absent_episodes",
                "Absent episodes in the last 12 months, all children",
                Some(absences as f64),
            );
        }
        Ok(())
    }));
    // The children who went missing (cla_missing's numerator): those the return
    // interview indicators are about.
    let went_missing = cohorts().and_then(|(care, _, during)| {
        let missing = care.t.col(MISSING)?;
        let at_least = ctx.threshold("cla_missing", "episodes")?;
        Ok(during
            .iter()
            .copied()
            .filter(|(_, row)| int(row, missing).unwrap_or(0) >= at_least)
            .collect::<Rows<'a>>())
    });
    out.push(ctx.indicator("return_interviews_offered", |ind| {
        let care = &cohorts()?.0;
        let missing_rows = went_missing.as_ref().map_err(Clone::clone)?;
        let offered = care.t.col(OFFERED)?;
        let yes = care.t.code(offered, "a) Yes")?;
        judge(ind, &care.t, missing_rows, |row| {
            Some((is(row, offered, yes), None))
        });
        Ok(())
    }));
    out.push(ctx.indicator("return_interviews_accepted", |ind| {
        let care = &cohorts()?.0;
        let missing_rows = went_missing.as_ref().map_err(Clone::clone)?;
        let offered = care.t.col(OFFERED)?;
        let accepted = care.t.col(ACCEPTED)?;
        let yes_offered = care.t.code(offered, "a) Yes")?;
        let yes = care.t.code(accepted, "a) Yes")?;
        let was_offered: Rows<'a> = missing_rows
            .iter()
            .copied()
            .filter(|(_, row)| is(row, offered, yes_offered))
            .collect();
        judge(ind, &care.t, &was_offered, |row| {
            Some((is(row, accepted, yes), None))
        });
        Ok(())
    }));

    out.push(ctx.indicator("cla_health", |ind| {
        let (care, at_r, _) = cohorts()?;
        let health = care.t.col(HEALTH)?;
        let first = ind.threshold("first_working_days")?;
        up_to_date(ctx, ind, care, at_r, health, Some(first))
    }));
    out.push(ctx.indicator("cla_dental", |ind| {
        let (care, at_r, _) = cohorts()?;
        let dental = care.t.col(DENTAL)?;
        up_to_date(ctx, ind, care, at_r, dental, None)
    }));
    out.push(ctx.indicator("cla_review", |ind| {
        let (care, at_r, _) = cohorts()?;
        let review = care.t.col(REVIEW)?;
        let since = months_before(ctx.r, ind.threshold("months")?);
        let first = ind.threshold("first_working_days")?;
        let mut outside = 0;
        judge(ind, &care.t, at_r, |row| {
            match date_by(row, review, ctx.r) {
                Some(d) => Some((d >= since, Some(Detail::Days((ctx.r - d).num_days())))),
                None => {
                    let n = ctx.working.between(date(row, care.started)?, ctx.r);
                    outside += usize::from(n.outside_calendar);
                    Some((n.days <= first, Some(Detail::WorkingDays(n.days))))
                }
            }
        });
        ind.note_outside_calendar(outside, ctx.working);
        Ok(())
    }));
    out.push(ctx.indicator("cla_visit", |ind| {
        let (care, at_r, _) = cohorts()?;
        let visit = care.t.col(VISIT)?;
        let since = days_before(ctx.r, ind.threshold("weeks")?.saturating_mul(7));
        judge(ind, &care.t, at_r, |row| {
            let basis = date_by(row, visit, ctx.r).or_else(|| date(row, care.started))?;
            Some((
                basis >= since,
                Some(Detail::Days((ctx.r - basis).num_days())),
            ))
        });
        Ok(())
    }));
}

/// List 8, the children in care at R, and those looked after at any time in W; one row
/// per child in each (the latest episode, then the latest placement).
fn cohorts<'a>(ctx: &Ctx<'a, '_>) -> Result<(Care<'a>, Rows<'a>, Rows<'a>), Unavailable> {
    let t = ctx.table(8)?;
    let care = Care {
        t,
        started: t.col(STARTED)?,
        birth: t.opt(BIRTH),
        age: t.opt(AGE),
        r: ctx.r,
    };
    let ceased = t.col(CEASED)?;
    let placement = t.opt(PLACEMENT_START);
    let key = |row: &[Value]| {
        (
            date(row, care.started),
            placement.and_then(|c| date(row, c)),
        )
    };
    let started_by_r = |row: &[Value]| date(row, care.started).is_some_and(|d| d <= ctx.r);
    let at_r = per_child(
        &t,
        |row| started_by_r(row) && date(row, ceased).is_none_or(|d| d > ctx.r),
        key,
    );
    let during = per_child(
        &t,
        |row| started_by_r(row) && date(row, ceased).is_none_or(|d| d >= ctx.window_start),
        key,
    );
    Ok((care, at_r, during))
}

/// Of children under the age threshold in care for the months threshold at R, those
/// whose current placement has lasted the placement months.
fn stability<'a>(
    ctx: &Ctx<'a, '_>,
    ind: &mut Indicator<'a>,
    (care, at_r, _): &(Care<'a>, Rows<'a>, Rows<'a>),
) -> Result<(), Unavailable> {
    care.need_age()?;
    let placement = care.t.col(PLACEMENT_START)?;
    let under = ind.threshold("under_age")?;
    let in_care_since = months_before(ctx.r, ind.threshold("in_care_months")?);
    let placed_since = months_before(ctx.r, ind.threshold("placement_months")?);
    let mut age_unknown = 0u32;
    let mut n = 0;
    for &(i, row) in at_r {
        if date(row, care.started).is_none_or(|d| d > in_care_since) {
            continue;
        }
        match care.age(row) {
            None => {
                age_unknown += 1;
                continue;
            }
            Some(a) if a >= under => continue,
            Some(_) => {}
        }
        let placed = date(row, placement);
        let stable = placed.is_some_and(|d| d <= placed_since);
        n += u64::from(stable);
        ind.row(
            &care.t,
            i,
            row,
            stable,
            placed.map(|d| Detail::Days((ctx.r - d).num_days())),
        );
    }
    ind.fraction(n, ind.children.len() as u64);
    ind.figure(
        "age_unknown",
        "Children in care long enough whose age is not known (left out)",
        Some(f64::from(age_unknown)),
    );
    Ok(())
}

/// Children in care at R whose latest `column` date is within the months threshold
/// (the shorter one under the age threshold). With none recorded: in time if they
/// started to be looked after within `first_working_days` of R (the first is not due
/// yet) or, with no such threshold, within the same months.
fn up_to_date<'a>(
    ctx: &Ctx<'a, '_>,
    ind: &mut Indicator<'a>,
    care: &Care<'a>,
    at_r: &[(u32, &'a [Value])],
    column: Col,
    first_working_days: Option<u32>,
) -> Result<(), Unavailable> {
    let since = months_before(ctx.r, ind.threshold("months")?);
    let young_since = months_before(ctx.r, ind.threshold("under_five_months")?);
    let under = ind.threshold("under_age")?;
    let mut outside = 0;
    judge(ind, &care.t, at_r, |row| {
        let young = care.age(row).is_some_and(|a| a < under);
        let due_after = if young { young_since } else { since };
        if let Some(d) = date_by(row, column, ctx.r) {
            return Some((d >= due_after, Some(Detail::Days((ctx.r - d).num_days()))));
        }
        let began = date(row, care.started)?;
        Some(match first_working_days {
            Some(first) => {
                let n = ctx.working.between(began, ctx.r);
                outside += usize::from(n.outside_calendar);
                (n.days <= first, Some(Detail::WorkingDays(n.days)))
            }
            None => (
                began >= due_after,
                Some(Detail::Days((ctx.r - began).num_days())),
            ),
        })
    });
    ind.note_outside_calendar(outside, ctx.working);
    Ok(())
}
