//! Care leavers (List 9): in touch, suitably accommodated, in education, employment or
//! training; by age at R.

use super::dates::age_on;
use super::lists::{code, date, int, is, Col, Table, Unavailable};
use super::{per_child, Ctx, Detail, Indicator, Rows, Tally};
use crate::Value;

const IN_TOUCH: &str = "LA in Touch";
const SUITABILITY: &str = "Suitability of Accommodation";
const ACTIVITY: &str = "Activity Status";
const BIRTH: &str = "Date of Birth";
const AGE: &str = "Age of Child (Years)";

/// Age bands at R, for the breakdown; DfE publishes the first two.
const BANDS: [&str; 4] = [
    "Aged 17 to 18",
    "Aged 19 to 21",
    "Other ages",
    "Age not known",
];

/// Education, employment or training (F: full-time, P: part-time); G4 to G6 are not.
const EET: [&str; 10] = ["F1", "F2", "F3", "F4", "F5", "P1", "P2", "P3", "P4", "P5"];

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    let found = leavers(ctx);
    let leavers = || found.as_ref().map_err(Clone::clone);
    out.push(ctx.indicator("cl_in_touch", |ind| {
        let l = leavers()?;
        let yes = l.t.code(l.in_touch, "Yes")?;
        by_age(ctx, ind, l, |row| is(row, l.in_touch, yes));
        Ok(())
    }));
    out.push(ctx.indicator("cl_suitable", |ind| {
        let l = leavers()?;
        let suitability = l.t.col(SUITABILITY)?;
        let suitable = l.t.code(suitability, "Suitable")?;
        by_age(ctx, ind, l, |row| is(row, suitability, suitable));
        Ok(())
    }));
    out.push(ctx.indicator("cl_eet", |ind| {
        let l = leavers()?;
        let activity = l.t.col(ACTIVITY)?;
        let mut eet = [0u16; EET.len()];
        for (e, c) in eet.iter_mut().zip(EET) {
            *e = l.t.code(activity, c)?;
        }
        by_age(ctx, ind, l, |row| {
            code(row, activity).is_some_and(|c| eet.contains(&c))
        });
        Ok(())
    }));
}

/// List 9 with its care leavers (all but those who have died, one row per child).
struct Leavers<'a> {
    t: Table<'a>,
    in_touch: Col,
    birth: Option<Col>,
    age: Option<Col>,
    rows: Rows<'a>,
}

fn leavers<'a>(ctx: &Ctx<'a, '_>) -> Result<Leavers<'a>, Unavailable> {
    let t = ctx.table(9)?;
    let in_touch = t.col(IN_TOUCH)?;
    let died = t.code(in_touch, "Died")?;
    let rows = per_child(&t, |row| !is(row, in_touch, died), |_| ());
    Ok(Leavers {
        t,
        in_touch,
        birth: t.opt(BIRTH),
        age: t.opt(AGE),
        rows,
    })
}

fn by_age<'a>(
    ctx: &Ctx<'a, '_>,
    ind: &mut Indicator<'a>,
    l: &Leavers<'a>,
    mut test: impl FnMut(&[Value]) -> bool,
) {
    let mut bands = Tally::with(&BANDS);
    let mut n = 0;
    ind.children.reserve(l.rows.len());
    for &(i, row) in &l.rows {
        let age = match l.birth.and_then(|c| date(row, c)) {
            Some(b) => age_on(b, ctx.r),
            None => l.age.and_then(|c| int(row, c)),
        };
        let band = match age {
            Some(17..=18) => 0,
            Some(19..=21) => 1,
            Some(_) => 2,
            None => 3,
        };
        let counts = test(row);
        n += u64::from(counts);
        bands.add(band, counts);
        ind.row(&l.t, i, row, counts, age.map(Detail::Age));
    }
    ind.fraction(n, l.rows.len() as u64);
    ind.breakdown = bands.fractions(&[0, 1]);
}
