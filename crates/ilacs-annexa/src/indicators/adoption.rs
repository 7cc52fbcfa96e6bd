//! Adoption (List 10): days from entering care to placement for adoption, and from
//! placement order to match.

use super::lists::{date, date_by, Col, Table};
use super::{quantile, Breakdown, ChildRow, Ctx, Detail, Indicator};

const ENTERED_CARE: &str = "Date the Child Entered Care";
const PLACED: &str = "Date Placed for Adoption";
const PLACEMENT_ORDER: &str = "Date of Placement Order";
const MATCHED: &str = "Date of Matching Child and Prospective Adopters";

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("adoption_timeliness", |ind| {
        let t = ctx.table(10)?;
        let entered = t.col(ENTERED_CARE)?;
        let placed = t.col(PLACED)?;
        let order = t.col(PLACEMENT_ORDER)?;
        let matched = t.col(MATCHED)?;
        let to_placed = ind.threshold("care_to_placed_days")?;
        let to_match = ind.threshold("order_to_match_days")?;

        let first = interval(ctx, &t, entered, placed, to_placed, None);
        let second = interval(ctx, &t, order, matched, to_match, Some("order_to_match"));

        ind.numerator = Some(first.within);
        ind.denominator = Some(first.days.len() as u64);
        ind.value = quantile(&first.days, 0.5);
        ind.figure(
            "median_care_to_placed",
            "Median days from entering care to placed for adoption",
            ind.value,
        );
        ind.figure(
            "median_order_to_match",
            "Median days from placement order to match",
            quantile(&second.days, 0.5),
        );
        ind.figure(
            "order_to_match_within",
            format!("Matched within {to_match} days of the placement order"),
            Some(second.within as f64),
        );
        ind.figure(
            "order_to_match_children",
            "Children matched after a placement order",
            Some(second.days.len() as f64),
        );
        ind.figure(
            "date_errors",
            "Later date before the earlier one (left out)",
            Some(f64::from(first.errors + second.errors)),
        );
        ind.breakdown = vec![
            breakdown(
                format!(
                    "Entering care to placed for adoption (median days; numerator: within {to_placed} days)"
                ),
                &first,
            ),
            breakdown(
                format!("Placement order to match (median days; numerator: within {to_match} days)"),
                &second,
            ),
        ];
        ind.children = first.rows;
        ind.children.extend(second.rows);
        Ok(())
    }));
}

struct Interval<'a> {
    /// Sorted, for the median.
    days: Vec<f64>,
    within: u64,
    errors: u32,
    rows: Vec<ChildRow<'a>>,
}

/// Days from `from` to `to` for each row with both, `to` on or before R.
fn interval<'a>(
    ctx: &Ctx<'a, '_>,
    t: &Table<'a>,
    from: Col,
    to: Col,
    limit: u32,
    figure: Option<&'static str>,
) -> Interval<'a> {
    let mut out = Interval {
        days: Vec::new(),
        within: 0,
        errors: 0,
        rows: Vec::new(),
    };
    for (i, row) in t.rows() {
        let (Some(a), Some(b)) = (date(row, from), date_by(row, to, ctx.r)) else {
            continue;
        };
        if b < a {
            out.errors += 1;
            continue;
        }
        let days = (b - a).num_days();
        let ok = days <= i64::from(limit);
        out.within += u64::from(ok);
        out.days.push(days as f64);
        out.rows.push(ChildRow {
            child: t.child(row),
            list: 10,
            index: i,
            numerator: ok,
            figure,
            detail: Some(Detail::Days(days)),
        });
    }
    out.days.sort_by(f64::total_cmp);
    out
}

fn breakdown(label: String, i: &Interval<'_>) -> Breakdown {
    let d = i.days.len() as u64;
    Breakdown {
        label,
        numerator: i.within,
        denominator: Some(d),
        value: quantile(&i.days, 0.5),
    }
}
