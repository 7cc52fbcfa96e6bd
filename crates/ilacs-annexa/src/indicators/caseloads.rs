//! Worker caseloads: distinct children per allocated worker, open at R, across Lists 3
//! to 9.

use super::lists::{date, date_by, is, text, Table, Unavailable};
use super::{quantile, Breakdown, ChildRow, Ctx, Detail, Indicator, Map, Set};
use crate::Value;

const WORKER: &str = "Allocated Worker";

/// Written in the worker column for a child with no worker.
const UNALLOCATED: [&str; 5] = [
    "unallocated",
    "not allocated",
    "none",
    "no worker",
    "awaiting allocation",
];

pub(super) fn compute<'a>(ctx: &Ctx<'a, '_>, out: &mut Vec<Indicator<'a>>) {
    out.push(ctx.indicator("caseloads", |ind| caseloads(ctx, ind)));
}

type IsOpen<'a, 'c> = Box<dyn Fn(&[Value]) -> bool + 'c>;

/// Whether a row of `t` is open at R, by the rule for its list.
fn open_rule<'a, 'c>(ctx: &'c Ctx<'a, '_>, t: &Table<'a>) -> Result<IsOpen<'a, 'c>, Unavailable> {
    let r = ctx.r;
    Ok(match t.number() {
        3 => {
            let when = t.col("Date of referral")?;
            let nfa = t.col("Referral NFA?")?;
            let yes = t.code(nfa, "a) Yes")?;
            Box::new(move |row| {
                date(row, when).is_some_and(|d| ctx.in_window(d)) && !is(row, nfa, yes)
            })
        }
        4 => {
            let start = t.col("Continuous Assessment Start Date")?;
            let done = t.col("Continuous Assessment Date of Authorisation")?;
            Box::new(move |row| {
                date(row, start).is_some_and(|d| d <= r) && date_by(row, done, r).is_none()
            })
        }
        5 => {
            let start = t.col("Strategy discussion initiating Section 47 Enquiry Start Date")?;
            let icpc = t.col("Date of Initial Child Protection Conference")?;
            let unnecessary =
                t.col("Was an Initial Child Protection Conference deemed unnecessary?")?;
            let yes = t.code(unnecessary, "a) Yes")?;
            Box::new(move |row| {
                date(row, start).is_some_and(|d| ctx.in_window(d))
                    && date_by(row, icpc, r).is_none()
                    && !is(row, unnecessary, yes)
            })
        }
        6 => {
            let start = t.col("CIN Start Date")?;
            let closed = t.col("CIN Closure Date")?;
            let status = t.col("Case Status")?;
            let closed_episode = t.code(status, "e) Closed episode")?;
            Box::new(move |row| {
                date(row, start).is_none_or(|d| d <= r)
                    && match date(row, closed) {
                        Some(d) => d > r,
                        None => !is(row, status, closed_episode),
                    }
            })
        }
        7 => {
            let start = t.col("Child Protection Plan Start Date")?;
            let end = t.col("Child Protection Plan End Date")?;
            Box::new(move |row| {
                date(row, start).is_some_and(|d| d <= r) && date(row, end).is_none_or(|d| d > r)
            })
        }
        8 => {
            let start = t.col("Date Started to be Looked After")?;
            let ceased = t.col("Date Ceased to be Looked After")?;
            Box::new(move |row| {
                date(row, start).is_some_and(|d| d <= r) && date(row, ceased).is_none_or(|d| d > r)
            })
        }
        9 => {
            let in_touch = t.col("LA in Touch")?;
            let died = t.code(in_touch, "Died")?;
            Box::new(move |row| !is(row, in_touch, died))
        }
        n => return Err(format!("List {n} holds no caseloads")),
    })
}

/// A child open at R in one list's row, and the worker holding them (by number).
struct Held<'a> {
    worker: usize,
    child: &'a str,
    list: u8,
    index: u32,
}

fn caseloads<'a>(ctx: &Ctx<'a, '_>, ind: &mut Indicator<'a>) -> Result<(), Unavailable> {
    let over = ind.threshold("children")?;
    // Workers numbered as first met; each worker's children once, by the first row met
    // (lists and rows are read in order, so the first by list and row).
    let mut worker_ids: Map<&'a str, usize> = Map::default();
    let mut workers: Vec<&'a str> = Vec::new();
    let mut load: Vec<u32> = Vec::new();
    let mut pairs: Set<(usize, &'a str)> = Set::default();
    let mut held: Vec<Held<'a>> = Vec::new();
    let mut with_worker: Set<&'a str> = Set::default();
    let mut unallocated: Vec<Held<'a>> = Vec::new();
    let mut unallocated_seen: Set<&'a str> = Set::default();
    let (mut counted, mut missing) = (Vec::new(), Vec::new());
    for list in 3..=9 {
        let t = match ctx.table(list) {
            Ok(t) => t,
            Err(_) => {
                missing.push(list);
                continue;
            }
        };
        let rule = t.col(WORKER).and_then(|w| Ok((w, open_rule(ctx, &t)?)));
        let (worker, is_open) = match rule {
            Ok(r) => r,
            Err(why) => {
                ind.notes
                    .push(format!("{why}: its children are not counted."));
                continue;
            }
        };
        counted.push(list);
        for (index, row) in t.rows() {
            if !is_open(row) {
                continue;
            }
            let child = t.child(row);
            match text(row, worker) {
                Some(w) if !UNALLOCATED.iter().any(|u| w.eq_ignore_ascii_case(u)) => {
                    let worker = *worker_ids.entry(w).or_insert_with(|| {
                        workers.push(w);
                        load.push(0);
                        workers.len() - 1
                    });
                    if pairs.insert((worker, child)) {
                        load[worker] += 1;
                        with_worker.insert(child);
                        held.push(Held {
                            worker,
                            child,
                            list,
                            index,
                        });
                    }
                }
                _ => {
                    if unallocated_seen.insert(child) {
                        unallocated.push(Held {
                            worker: usize::MAX,
                            child,
                            list,
                            index,
                        });
                    }
                }
            }
        }
    }
    if counted.is_empty() {
        return Err(if ind.notes.is_empty() {
            "Lists 3 to 9 are missing".to_string()
        } else {
            ind.notes.join(" ")
        });
    }
    if !missing.is_empty() {
        ind.notes.push(format!(
            "Counted from {}; {} missing.",
            lists_named(&counted),
            match missing.len() {
                1 => format!("List {} is", missing[0]),
                _ => format!("{} are", lists_named(&missing)),
            }
        ));
    }
    // A child with a worker in any list is not unallocated.
    unallocated.retain(|u| !with_worker.contains(u.child));

    let mut loads: Vec<f64> = load.iter().map(|&n| f64::from(n)).collect();
    loads.sort_by(f64::total_cmp);
    let above = load.iter().filter(|&&n| n > over).count() as u64;
    ind.numerator = Some(above);
    ind.denominator = Some(workers.len() as u64);
    ind.value = quantile(&loads, 0.5);
    let mean = (!loads.is_empty()).then(|| loads.iter().sum::<f64>() / loads.len() as f64);
    ind.figure("median", "Median caseload", ind.value);
    ind.figure("p90", "90th percentile caseload", quantile(&loads, 0.9));
    ind.figure("max", "Largest caseload", loads.last().copied());
    ind.figure("mean", "Mean caseload", mean);
    ind.figure(
        "workers_above",
        format!("Workers with more than {over} children"),
        Some(above as f64),
    );
    ind.figure("workers", "Workers", Some(workers.len() as f64));
    ind.figure(
        "unallocated_children",
        "Children open at the reference date with no worker",
        Some(unallocated.len() as f64),
    );

    // Drill-down and breakdown by worker: the largest caseloads first, then by name;
    // each worker's children in the order met (by list and row). Placed by counting,
    // not sorted: each worker's rows start after the rows of the workers before.
    let mut order: Vec<usize> = (0..workers.len()).collect();
    order.sort_by(|&a, &b| load[b].cmp(&load[a]).then(workers[a].cmp(workers[b])));
    let mut start = vec![0usize; workers.len()];
    let mut next = 0;
    for &w in &order {
        start[w] = next;
        next += load[w] as usize;
    }
    let blank = ChildRow {
        child: "",
        list: 0,
        index: 0,
        numerator: false,
        figure: None,
        detail: None,
    };
    let first = ind.children.len();
    ind.children.resize(first + held.len(), blank);
    for h in &held {
        ind.children[first + start[h.worker]] = ChildRow {
            child: h.child,
            list: h.list,
            index: h.index,
            numerator: load[h.worker] > over,
            figure: None,
            detail: Some(Detail::Worker(workers[h.worker])),
        };
        start[h.worker] += 1;
    }
    ind.children.extend(unallocated.iter().map(|u| ChildRow {
        child: u.child,
        list: u.list,
        index: u.index,
        numerator: true,
        figure: Some("unallocated_children"),
        detail: None,
    }));
    ind.breakdown = order
        .iter()
        .map(|&w| Breakdown {
            label: workers[w].to_string(),
            numerator: u64::from(load[w]),
            denominator: None,
            value: Some(f64::from(load[w])),
        })
        .collect();
    Ok(())
}

fn lists_named(lists: &[u8]) -> String {
    let names: Vec<String> = lists.iter().map(u8::to_string).collect();
    match names.as_slice() {
        [one] => format!("List {one}"),
        [rest @ .., last] => format!("Lists {} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}
