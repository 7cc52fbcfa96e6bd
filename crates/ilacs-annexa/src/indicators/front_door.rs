//! The front door: contacts (List 1) and referrals (List 3).

use super::lists::{code, date, date_by, int, is, Col, Table, Unavailable};
use super::{source_group, Ctx, Detail, Indicator, Map, Tally, SOURCE_GROUPS};
use chrono::NaiveDate;
use std::hash::BuildHasher;

const CONTACT_DATE: &str = "Date of Contact";
const CONTACT_SOURCE: &str = "Contact Source";
const REFERRAL_DATE: &str = "Date of referral";
const REFERRAL_SOURCE: &str = "Referral Source";
const REFERRAL_NFA: &str = "Referral NFA?";
const PREVIOUS_REFERRALS: &str = "Number of Referrals in Last 12 Months";

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("contacts", |ind| {
        count_by_source(ctx, ind, 1, CONTACT_DATE, CONTACT_SOURCE)
    }));
    out.push(ctx.indicator("contact_conversion", |ind| conversion(ctx, ind)));
    out.push(ctx.indicator("referrals", |ind| {
        count_by_source(ctx, ind, 3, REFERRAL_DATE, REFERRAL_SOURCE)
    }));
    out.push(ctx.indicator("re_referral", |ind| {
        let t = ctx.table(3)?;
        let previous = t.col(PREVIOUS_REFERRALS)?;
        let at_least = ind.threshold("previous_referrals")?;
        referral_share(ctx, ind, &t, |row| {
            let n = int(row, previous).unwrap_or(0);
            (n >= at_least, Some(Detail::Count(n)))
        })
    }));
    out.push(ctx.indicator("referral_nfa", |ind| {
        let t = ctx.table(3)?;
        let nfa = t.col(REFERRAL_NFA)?;
        let yes = t.code(nfa, "a) Yes")?;
        referral_share(ctx, ind, &t, |row| (is(row, nfa, yes), None))
    }));
}

/// The rows of a list dated in W, counted, by source.
fn count_by_source<'a>(
    ctx: &Ctx<'a, '_>,
    ind: &mut Indicator<'a>,
    list: u8,
    date_column: &str,
    source_column: &str,
) -> Result<(), Unavailable> {
    let t = ctx.table(list)?;
    let when = t.col(date_column)?;
    let sources = Sources::new(&t, t.col(source_column)?);
    let mut by_source = Tally::with(&SOURCE_GROUPS);
    for (i, row) in t.rows() {
        if date(row, when).is_some_and(|d| ctx.in_window(d)) {
            by_source.add(sources.group(row), true);
            ind.row(&t, i, row, true, None);
        }
    }
    ind.count(ind.children.len() as u64);
    ind.breakdown = by_source.counts();
    Ok(())
}

/// A source column's groups: the group of each code, and of none (the last).
struct Sources {
    col: Col,
    groups: Vec<usize>,
}

impl Sources {
    fn new(t: &Table<'_>, col: Col) -> Sources {
        let groups = t.code_texts(col).iter().map(|c| source_group(c)).collect();
        Sources { col, groups }
    }

    fn group(&self, row: &[crate::Value]) -> usize {
        code(row, self.col)
            .and_then(|c| self.groups.get(usize::from(c)).copied())
            .unwrap_or(SOURCE_GROUPS.len() - 1)
    }
}

/// Referrals in W, the share `test` counts, by source.
fn referral_share<'a>(
    ctx: &Ctx<'a, '_>,
    ind: &mut Indicator<'a>,
    t: &Table<'a>,
    mut test: impl FnMut(&[crate::Value]) -> (bool, Option<Detail<'a>>),
) -> Result<(), Unavailable> {
    let when = t.col(REFERRAL_DATE)?;
    let sources = Sources::new(t, t.col(REFERRAL_SOURCE)?);
    let mut by_source = Tally::with(&SOURCE_GROUPS);
    let mut yes = 0;
    for (i, row) in t.rows() {
        if !date(row, when).is_some_and(|d| ctx.in_window(d)) {
            continue;
        }
        let (counts, detail) = test(row);
        yes += u64::from(counts);
        by_source.add(sources.group(row), counts);
        ind.row(t, i, row, counts, detail);
    }
    ind.fraction(yes, ind.children.len() as u64);
    ind.breakdown = by_source.fractions(&[]);
    Ok(())
}

/// Children with a contact in W, and whether one of those contacts was followed by a
/// referral within the threshold's days. One drill-down row per child: the first
/// contact that converted, or else their first contact in W.
fn conversion<'a>(ctx: &Ctx<'a, '_>, ind: &mut Indicator<'a>) -> Result<(), Unavailable> {
    let contacts = ctx.table(1)?;
    let contact_date = contacts.col(CONTACT_DATE)?;
    let referrals = ctx.table(3)?;
    let referral_date = referrals.col(REFERRAL_DATE)?;
    let days = ind.threshold("days")?;

    // Referrals known at R, by child then date, so that a child's are found by binary
    // search. Children are keyed by a hash of their ID first: tuples then compare IDs
    // only when hashes tie.
    let hasher = foldhash::fast::FixedState::default();
    let mut referred: Vec<(u64, &str, NaiveDate)> = referrals
        .rows()
        .filter_map(|(_, row)| {
            let child = referrals.child(row);
            let when = date_by(row, referral_date, ctx.r)?;
            Some((hasher.hash_one(child), child, when))
        })
        .collect();
    referred.sort_unstable();

    let mut at: Map<&str, usize> = Map::default();
    let mut converted = 0;
    for (i, row) in contacts.rows() {
        let Some(when) = date(row, contact_date).filter(|d| ctx.in_window(*d)) else {
            continue;
        };
        let child = contacts.child(row);
        let hash = hasher.hash_one(child);
        let first = referred.partition_point(|&r| r < (hash, child, when));
        let followed = referred
            .get(first)
            .filter(|&&(_, c, d)| c == child && (d - when).num_days() <= i64::from(days))
            .map(|&(_, _, d)| (d - when).num_days());
        match at.get(child) {
            Some(&k) => {
                if followed.is_some() && !ind.children[k].numerator {
                    converted += 1;
                    ind.children[k].index = i;
                    ind.children[k].numerator = true;
                    ind.children[k].detail = followed.map(Detail::Days);
                }
            }
            None => {
                at.insert(child, ind.children.len());
                converted += u64::from(followed.is_some());
                ind.row(
                    &contacts,
                    i,
                    row,
                    followed.is_some(),
                    followed.map(Detail::Days),
                );
            }
        }
    }
    ind.fraction(converted, ind.children.len() as u64);
    Ok(())
}
