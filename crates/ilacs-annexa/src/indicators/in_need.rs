//! Children in need (List 6).

use super::lists::{date, date_by, is};
use super::{judge, per_child, Ctx, Detail, Indicator};

const START: &str = "CIN Start Date";
const LAST_SEEN: &str = "Date Child Was Last Seen";
const CLOSED: &str = "CIN Closure Date";
const STATUS: &str = "Case Status";

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("cin_seen", |ind| {
        let t = ctx.table(6)?;
        let start = t.col(START)?;
        let seen = t.col(LAST_SEEN)?;
        let closed = t.col(CLOSED)?;
        let status = t.col(STATUS)?;
        let plan = t.code(status, "c) Child in need plan")?;
        let limit = ind.threshold("working_days")?;
        // On a plan at R: the status says so, not closed on or before R, and (where
        // the start is given) started on or before it. One row per child.
        let open = per_child(
            &t,
            |row| {
                is(row, status, plan)
                    && date(row, closed).is_none_or(|d| d > ctx.r)
                    && date(row, start).is_none_or(|d| d <= ctx.r)
            },
            |row| date(row, start),
        );
        let mut outside = 0;
        judge(ind, &t, &open, |row| {
            let basis = date_by(row, seen, ctx.r).or_else(|| date(row, start))?;
            let n = ctx.working.between(basis, ctx.r);
            outside += usize::from(n.outside_calendar);
            Some((n.days <= limit, Some(Detail::WorkingDays(n.days))))
        });
        ind.note_outside_calendar(outside, ctx.working);
        Ok(())
    }));
}
