//! Merging an upload into an LA's history of its lists: new data wins, rows matched on
//! each list's de-duplication columns, and rows past the retention period removed.

use crate::cells::Value;
use crate::read::{AnnexA, CleanList};
use crate::schema::{ListDef, Schema};
use chrono::{Months, NaiveDate};
use std::collections::hash_map::{Entry, HashMap};

/// What merging did, list by list in list order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MergeSummary {
    pub lists: Vec<ListMerge>,
}

impl MergeSummary {
    pub fn list(&self, number: u8) -> Option<&ListMerge> {
        self.lists.iter().find(|l| l.list == number)
    }
}

/// What merging did to one list. Every row now in it was added, replaced, unchanged or
/// kept from the history as it was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListMerge {
    pub list: u8,
    /// Whether the upload had the list; a list it lacks keeps its history.
    pub in_upload: bool,
    /// Upload rows with a key the history does not have.
    pub added: usize,
    /// History rows the upload gave different values for.
    pub replaced: usize,
    /// History rows the upload gave again exactly.
    pub unchanged: usize,
    /// Upload rows left out because a later row of the upload has the same key.
    pub duplicates_in_upload: usize,
    /// Rows, from the history or the upload, whose reference date is past retention.
    pub expired: usize,
    /// Rows in the list now.
    pub rows: usize,
}

/// `upload` merged into `history` as at `as_at`, list by list. An upload row replaces
/// the history's row with the same values in the list's `dedup` columns (new data wins:
/// in place, so rows keep their order) and is added after them otherwise; of two upload
/// rows with one key the later wins. A list the upload lacks keeps its history. Then
/// rows whose reference date (the latest of the list's `reference_dates`) is more than
/// the schema's retention period before `as_at` are removed; a row with no reference
/// date is kept. When history and upload have different columns (a pre-2024 List 9 and
/// a 2024 one), the list has every column either has, blank where a row's source had
/// none. The result has no issues: those were the reading's.
pub fn merge(history: &AnnexA, upload: &AnnexA, as_at: NaiveDate) -> (AnnexA, MergeSummary) {
    let schema = Schema::bundled();
    let cutoff = schema
        .retention_years
        .and_then(|years| as_at.checked_sub_months(Months::new(12 * years)));
    let mut numbers: Vec<u8> = history
        .lists
        .iter()
        .chain(&upload.lists)
        .map(|l| l.list)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut lists = Vec::new();
    let mut summary = MergeSummary::default();
    for n in numbers {
        let Some(def) = schema.list(n) else {
            continue;
        };
        let (list, counts) = merge_list(def, find(history, n), find(upload, n), cutoff);
        lists.push(list);
        summary.lists.push(counts);
    }
    (
        AnnexA {
            lists,
            issues: Vec::new(),
            skipped_sheets: Vec::new(),
        },
        summary,
    )
}

fn find(annex: &AnnexA, n: u8) -> Option<&CleanList> {
    annex.lists.iter().find(|l| l.list == n)
}

/// A value as a key part: `Value` itself has no hash.
#[derive(PartialEq, Eq, Hash)]
enum Part<'a> {
    Blank,
    Text(&'a str),
    Date(NaiveDate),
    Integer(u32),
    Code(u16),
}

fn key<'a>(row: &'a [Value], at: &[usize]) -> Vec<Part<'a>> {
    at.iter().map(|&i| part(&row[i])).collect()
}

fn part(value: &Value) -> Part<'_> {
    match value {
        Value::Blank => Part::Blank,
        Value::Text(t) => Part::Text(t),
        Value::Date(d) => Part::Date(*d),
        Value::Integer(n) => Part::Integer(*n),
        Value::Code(c) => Part::Code(*c),
    }
}

/// One row of the merged list: the history's row it stands in for, if any, and the
/// upload's row that replaces it or is new.
struct Slot {
    history: Option<usize>,
    upload: Option<usize>,
}

fn merge_list(
    def: &ListDef,
    history: Option<&CleanList>,
    upload: Option<&CleanList>,
    cutoff: Option<NaiveDate>,
) -> (CleanList, ListMerge) {
    let mut columns: Vec<usize> = history
        .iter()
        .chain(&upload)
        .flat_map(|l| l.columns.iter().copied())
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let old = aligned(history, &columns);
    let new = aligned(upload, &columns);
    // Positions in `columns` of the key (every column if the schema gives none) and of
    // the reference dates. A key column neither side has is blank in every row.
    let position = |c: &usize| columns.binary_search(c).ok();
    let key_at: Vec<usize> = if def.dedup.is_empty() {
        (0..columns.len()).collect()
    } else {
        def.dedup.iter().filter_map(position).collect()
    };
    let dates_at: Vec<usize> = def.reference_dates.iter().filter_map(position).collect();

    let mut counts = ListMerge {
        list: def.number,
        in_upload: upload.is_some(),
        ..ListMerge::default()
    };
    let mut slots: Vec<Slot> = Vec::with_capacity(old.len() + new.len());
    let mut by_key: HashMap<Vec<Part<'_>>, usize> = HashMap::with_capacity(slots.capacity());
    for (i, row) in old.iter().enumerate() {
        // History has one row per key unless the keys have changed since it was
        // merged; then its later row stands for the key, as an upload's would.
        match by_key.entry(key(row, &key_at)) {
            Entry::Occupied(e) => slots[*e.get()].history = Some(i),
            Entry::Vacant(e) => {
                e.insert(slots.len());
                slots.push(Slot {
                    history: Some(i),
                    upload: None,
                });
            }
        }
    }
    for (i, row) in new.iter().enumerate() {
        match by_key.entry(key(row, &key_at)) {
            Entry::Occupied(e) => {
                if slots[*e.get()].upload.replace(i).is_some() {
                    counts.duplicates_in_upload += 1;
                }
            }
            Entry::Vacant(e) => {
                e.insert(slots.len());
                slots.push(Slot {
                    history: None,
                    upload: Some(i),
                });
            }
        }
    }

    let mut values = Vec::with_capacity(slots.len() * columns.len());
    for slot in &slots {
        let row = match slot.upload {
            Some(u) => &new[u],
            None => &old[slot.history.expect("a slot has a row")],
        };
        let reference = dates_at
            .iter()
            .filter_map(|&i| match row[i] {
                Value::Date(d) => Some(d),
                _ => None,
            })
            .max();
        if matches!((reference, cutoff), (Some(r), Some(c)) if r < c) {
            counts.expired += 1;
            continue;
        }
        match (slot.history, slot.upload) {
            (Some(h), Some(_)) if old[h] == *row => counts.unchanged += 1,
            (Some(_), Some(_)) => counts.replaced += 1,
            (None, Some(_)) => counts.added += 1,
            _ => {}
        }
        values.extend(row.iter().cloned());
        counts.rows += 1;
    }
    let source = upload
        .or(history)
        .map_or_else(String::new, |l| l.source.clone());
    (
        CleanList::from_values(def.number, source, counts.rows, columns, values),
        counts,
    )
}

/// A list's rows with a value for each of `columns` (a superset of the list's own),
/// blank where the list has no such column.
fn aligned(list: Option<&CleanList>, columns: &[usize]) -> Vec<Vec<Value>> {
    let Some(list) = list else {
        return Vec::new();
    };
    let at: Vec<Option<usize>> = columns
        .iter()
        .map(|c| list.columns.iter().position(|x| x == c))
        .collect();
    list.rows()
        .map(|row| {
            at.iter()
                .map(|a| a.map_or(Value::Blank, |i| row[i].clone()))
                .collect()
        })
        .collect()
}
