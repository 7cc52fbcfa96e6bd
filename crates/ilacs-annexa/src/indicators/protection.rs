//! Section 47 enquiries and conferences (List 5), child protection plans (List 7).

use super::dates::months_before;
use super::lists::{date, date_by, int, is, Table, Unavailable};
use super::{judge, per_child, Ctx, Detail, Indicator, Rows};

const STRATEGY: &str = "Strategy discussion initiating Section 47 Enquiry Start Date";
const UNNECESSARY: &str = "Was an Initial Child Protection Conference deemed unnecessary?";
const ICPC: &str = "Date of Initial Child Protection Conference";
const RESULTED_IN_PLAN: &str =
    "Did the Initial Child Protection Conference Result in a Child Protection Plan";

const PLAN_START: &str = "Child Protection Plan Start Date";
const PLAN_END: &str = "Child Protection Plan End Date";
const LAST_VISIT: &str = "Date of the Last Statutory Visit";
const LATEST_REVIEW: &str = "Date of latest review conference";
const PREVIOUS_PLANS: &str = "Number of Previous Child Protection Plans";

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("s47_icpc_15wd", |ind| {
        let t = ctx.table(5)?;
        let strategy = t.col(STRATEGY)?;
        let icpc = t.col(ICPC)?;
        let limit = ind.threshold("working_days")?;
        let (mut within, mut errors, mut outside) = (0, 0, 0);
        for (i, row) in t.rows() {
            let (Some(began), Some(held)) = (date(row, strategy), date(row, icpc)) else {
                continue;
            };
            if !ctx.in_window(held) {
                continue;
            }
            if held < began {
                errors += 1;
                continue;
            }
            let n = ctx.working.between(began, held);
            outside += usize::from(n.outside_calendar);
            within += u64::from(n.days <= limit);
            ind.row(
                &t,
                i,
                row,
                n.days <= limit,
                Some(Detail::WorkingDays(n.days)),
            );
        }
        ind.fraction(within, ind.children.len() as u64);
        ind.figure(
            "date_errors",
            "Conferences dated before their strategy discussion (left out)",
            Some(f64::from(errors)),
        );
        ind.note_outside_calendar(outside, ctx.working);
        Ok(())
    }));
    out.push(ctx.indicator("s47_to_icpc", |ind| {
        let t = ctx.table(5)?;
        let strategy = t.col(STRATEGY)?;
        let icpc = t.col(ICPC)?;
        let unnecessary = t.col(UNNECESSARY)?;
        let yes = t.code(unnecessary, "a) Yes")?;
        let (mut led, mut awaiting) = (0, 0);
        for (i, row) in t.rows() {
            if !date(row, strategy).is_some_and(|d| ctx.in_window(d)) {
                continue;
            }
            let held = date_by(row, icpc, ctx.r).is_some();
            led += u64::from(held);
            awaiting += u32::from(!held && !is(row, unnecessary, yes));
            ind.row(&t, i, row, held, None);
        }
        ind.fraction(led, ind.children.len() as u64);
        ind.figure(
            "awaiting_outcome",
            "Enquiries with no conference yet and none found unnecessary",
            Some(f64::from(awaiting)),
        );
        Ok(())
    }));
    out.push(ctx.indicator("icpc_to_cpp", |ind| {
        let t = ctx.table(5)?;
        let icpc = t.col(ICPC)?;
        let plan = t.col(RESULTED_IN_PLAN)?;
        let yes = t.code(plan, "a) Yes")?;
        let mut n = 0;
        for (i, row) in t.rows() {
            if date(row, icpc).is_some_and(|d| ctx.in_window(d)) {
                let counts = is(row, plan, yes);
                n += u64::from(counts);
                ind.row(&t, i, row, counts, None);
            }
        }
        ind.fraction(n, ind.children.len() as u64);
        Ok(())
    }));
    out.push(ctx.indicator("cpp_subsequent", |ind| {
        let t = ctx.table(7)?;
        let start = t.col(PLAN_START)?;
        let previous = t.col(PREVIOUS_PLANS)?;
        let at_least = ind.threshold("previous_plans")?;
        let mut n = 0;
        for (i, row) in t.rows() {
            if date(row, start).is_some_and(|d| ctx.in_window(d)) {
                let count = int(row, previous).unwrap_or(0);
                n += u64::from(count >= at_least);
                ind.row(&t, i, row, count >= at_least, Some(Detail::Count(count)));
            }
        }
        ind.fraction(n, ind.children.len() as u64);
        Ok(())
    }));

    let plans = open_plans(ctx);
    out.push(ctx.indicator("cpp_2yrs", |ind| {
        let (t, open) = plans.as_ref().map_err(Clone::clone)?;
        let start = t.col(PLAN_START)?;
        let since = months_before(ctx.r, ind.threshold("months")?);
        judge(ind, t, open, |row| {
            let began = date(row, start)?;
            Some((
                began <= since,
                Some(Detail::Days((ctx.r - began).num_days())),
            ))
        });
        Ok(())
    }));
    out.push(ctx.indicator("cpp_visits", |ind| {
        let (t, open) = plans.as_ref().map_err(Clone::clone)?;
        let start = t.col(PLAN_START)?;
        let visit = t.col(LAST_VISIT)?;
        let limit = ind.threshold("working_days")?;
        let mut outside = 0;
        judge(ind, t, open, |row| {
            let seen = date_by(row, visit, ctx.r).or_else(|| date(row, start))?;
            let n = ctx.working.between(seen, ctx.r);
            outside += usize::from(n.outside_calendar);
            Some((n.days <= limit, Some(Detail::WorkingDays(n.days))))
        });
        ind.note_outside_calendar(outside, ctx.working);
        Ok(())
    }));
    out.push(ctx.indicator("cpp_reviews", |ind| {
        let (t, open) = plans.as_ref().map_err(Clone::clone)?;
        let start = t.col(PLAN_START)?;
        let review = t.col(LATEST_REVIEW)?;
        let since = months_before(ctx.r, ind.threshold("months")?);
        let first_since = months_before(ctx.r, ind.threshold("first_months")?);
        judge(ind, t, open, |row| {
            let (basis, due_after) = match date_by(row, review, ctx.r) {
                Some(d) => (d, since),
                None => (date(row, start)?, first_since),
            };
            Some((
                basis >= due_after,
                Some(Detail::Days((ctx.r - basis).num_days())),
            ))
        });
        Ok(())
    }));
}

/// Children on a plan at R: started on or before R, not ended on or before it; one row
/// per child (the latest-starting).
fn open_plans<'a>(ctx: &Ctx<'a, '_>) -> Result<(Table<'a>, Rows<'a>), Unavailable> {
    let t = ctx.table(7)?;
    let start = t.col(PLAN_START)?;
    let end = t.col(PLAN_END)?;
    let rows = per_child(
        &t,
        |row| {
            date(row, start).is_some_and(|d| d <= ctx.r) && date(row, end).is_none_or(|d| d > ctx.r)
        },
        |row| date(row, start),
    );
    Ok((t, rows))
}
