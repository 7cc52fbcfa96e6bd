//! Assessments (List 4).

use super::lists::{date, is};
use super::{ChildRow, Ctx, Detail, Indicator};

const START: &str = "Continuous Assessment Start Date";
const AUTHORISED: &str = "Continuous Assessment Date of Authorisation";
const SEEN: &str = "Child Seen During Continuous Assessment";

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("assessment_45wd", |ind| {
        let t = ctx.table(4)?;
        let start = t.col(START)?;
        let authorised = t.col(AUTHORISED)?;
        let limit = ind.threshold("working_days")?;
        let (mut within, mut errors, mut open_past, mut outside) = (0, 0, 0, 0);
        // Rows behind the open-past figure go after those behind the fraction.
        let mut past_rows = Vec::new();
        for (i, row) in t.rows() {
            let Some(began) = date(row, start) else {
                continue;
            };
            match date(row, authorised).filter(|d| *d <= ctx.r) {
                Some(done) if ctx.in_window(done) => {
                    if done < began {
                        errors += 1;
                        continue;
                    }
                    let n = ctx.working.between(began, done);
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
                Some(_) => {}
                None if began <= ctx.r => {
                    let n = ctx.working.between(began, ctx.r);
                    if n.days > limit {
                        outside += usize::from(n.outside_calendar);
                        open_past += 1;
                        past_rows.push(ChildRow {
                            child: t.child(row),
                            list: 4,
                            index: i,
                            numerator: true,
                            figure: Some("open_past_limit"),
                            detail: Some(Detail::WorkingDays(n.days)),
                        });
                    }
                }
                None => {}
            }
        }
        ind.fraction(within, ind.children.len() as u64);
        ind.figure(
            "open_past_limit",
            format!("Open assessments already more than {limit} working days old"),
            Some(open_past as f64),
        );
        ind.figure(
            "date_errors",
            "Authorised before they started (left out)",
            Some(f64::from(errors)),
        );
        ind.children.append(&mut past_rows);
        ind.note_outside_calendar(outside, ctx.working);
        Ok(())
    }));
    out.push(ctx.indicator("assessment_seen", |ind| {
        let t = ctx.table(4)?;
        let authorised = t.col(AUTHORISED)?;
        let seen = t.col(SEEN)?;
        let yes = t.code(seen, "a) Yes")?;
        let mut n = 0;
        for (i, row) in t.rows() {
            if date(row, authorised).is_some_and(|d| ctx.in_window(d)) {
                let counts = is(row, seen, yes);
                n += u64::from(counts);
                ind.row(&t, i, row, counts, None);
            }
        }
        ind.fraction(n, ind.children.len() as u64);
        Ok(())
    }));
}
