//! The Annex A indicators (ANNEX_A.md, "Indicators"): each computed from the clean
//! lists for a reference date R, with its numerator, denominator and the child rows
//! behind them.
//!
//! What each indicator is, and its thresholds, are data (`data/annex_a/indicators.toml`,
//! [`Definitions`]); [`Settings`] holds the thresholds as an LA sets them. [`compute`]
//! gives a [`Report`] that serialises as it is for the web dashboard and the CLI. A
//! missing list or column makes an indicator [`Indicator::unavailable`] with the
//! reason; it never stops the others.
//!
//! The report borrows child IDs and workers' names from the [`AnnexA`] it was computed
//! from, so computing allocates per indicator, not per row read.

mod adoption;
mod assessment;
mod caseloads;
mod dates;
mod front_door;
mod in_care;
mod in_need;
mod leavers;
mod lists;
mod protection;
mod settings;

pub use settings::{
    Definition, Definitions, Group, Settings, SettingsError, Threshold, ThresholdDef, Unit,
    MAX_THRESHOLD,
};

use crate::read::AnnexA;
use chrono::NaiveDate;
use dates::WorkingDays;
use lists::{Table, Unavailable};
use serde::Serialize;
use std::collections::HashMap;

/// A map keyed by child IDs or workers' names: foldhash, seeded per process, is several
/// times faster than the standard hasher on short keys.
pub(crate) type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type Set<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Every indicator for one reference date.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    /// R, the reference date.
    pub as_at: NaiveDate,
    /// The first day of W, the 6 months to R.
    pub window_start: NaiveDate,
    /// In the order of the definitions file.
    pub indicators: Vec<Indicator<'a>>,
}

impl<'a> Report<'a> {
    pub fn get(&self, id: &str) -> Option<&Indicator<'a>> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator<'a> {
    pub id: &'static str,
    /// With its thresholds as set ("... within 45 working days").
    pub name: String,
    pub group: Group,
    pub unit: Unit,
    /// What was counted, in plain English, with the thresholds as set.
    pub definition: String,
    pub thresholds: Vec<Threshold>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// Percent: numerator / denominator × 100 (None with no denominator); count: the
    /// numerator; days and children: the median.
    pub value: Option<f64>,
    /// Further named measures (a median, the open cases past a limit...).
    pub figures: Vec<Figure>,
    /// The numerator and denominator by source, by age band, by worker...
    pub breakdown: Vec<Breakdown>,
    /// The rows behind the numerator and denominator (and behind the figures that
    /// count rows): the drill-down to children.
    pub children: Vec<ChildRow<'a>>,
    /// DfE's published figure for the same measure (an id in
    /// `data/indicators/published.toml`), to show beside this one.
    pub published: Option<&'static str>,
    /// Why the indicator cannot be computed from these lists; all counts are then None
    /// and the lists empty.
    pub unavailable: Option<String>,
    /// Caveats on this result (rows judged without bank holidays...).
    pub notes: Vec<String>,
}

/// A further measure of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub id: &'static str,
    pub label: String,
    pub value: Option<f64>,
}

/// The numerator and denominator for one part of the population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub label: String,
    pub numerator: u64,
    pub denominator: Option<u64>,
    /// As the indicator's value, for this part (for counts, the share of the total).
    pub value: Option<f64>,
}

/// One row of a list behind an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildRow<'a> {
    pub child: &'a str,
    pub list: u8,
    /// The row's position among the list's clean rows (0 first), as
    /// [`crate::CleanList::rows`] yields them.
    pub index: u32,
    /// Whether it counts in the numerator; for a row behind a figure, whether it meets
    /// that figure's test.
    pub numerator: bool,
    /// The figure the row is behind, when it is not in the denominator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<&'static str>,
    /// What the row was judged on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail<'a>>,
}

/// What a row was judged on, for the drill-down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail<'a> {
    WorkingDays(u32),
    Days(i64),
    /// Placements, previous plans, missing episodes...
    Count(u32),
    Worker(&'a str),
    /// Age at the reference date.
    Age(u32),
}

/// Every indicator in the definitions file, for reference date `as_at`.
pub fn compute<'a>(annex: &'a AnnexA, as_at: NaiveDate, settings: &Settings) -> Report<'a> {
    let ctx = Ctx {
        annex,
        r: as_at,
        window_start: dates::window_start(as_at),
        settings,
        working: WorkingDays::bundled(),
    };
    let mut out = Vec::with_capacity(settings.definitions().indicators.len());
    front_door::compute(&ctx, &mut out);
    assessment::compute(&ctx, &mut out);
    protection::compute(&ctx, &mut out);
    in_need::compute(&ctx, &mut out);
    in_care::compute(&ctx, &mut out);
    leavers::compute(&ctx, &mut out);
    adoption::compute(&ctx, &mut out);
    caseloads::compute(&ctx, &mut out);
    let defs = settings.definitions();
    // Any definition no module computes is shown as such rather than dropped.
    for (i, d) in defs.indicators.iter().enumerate() {
        if !out.iter().any(|x| x.id == d.id) {
            let mut ind = Indicator::blank(settings, i);
            ind.unavailable = Some("this version of the program does not compute it".into());
            out.push(ind);
        }
    }
    let order: HashMap<&str, usize> = defs
        .indicators
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    out.sort_by_key(|i| order.get(i.id).copied().unwrap_or(usize::MAX));
    Report {
        as_at,
        window_start: ctx.window_start,
        indicators: out,
    }
}

/// What every indicator is computed from.
pub(crate) struct Ctx<'a, 's> {
    pub annex: &'a AnnexA,
    pub r: NaiveDate,
    pub window_start: NaiveDate,
    pub settings: &'s Settings,
    pub working: &'static WorkingDays,
}

impl<'a> Ctx<'a, '_> {
    pub(crate) fn in_window(&self, d: NaiveDate) -> bool {
        self.window_start <= d && d <= self.r
    }

    /// A threshold as set, for a computation another indicator's shares.
    pub(crate) fn threshold(&self, id: &str, name: &str) -> Result<u32, Unavailable> {
        self.settings.get(id, name).map_err(|e| e.to_string())
    }

    pub(crate) fn table(&self, number: u8) -> Result<Table<'a>, Unavailable> {
        Table::get(self.annex, number)
    }

    /// Indicator `id`, filled in by `f`; if `f` says why it cannot be computed, it is
    /// unavailable with that reason and nothing else.
    pub(crate) fn indicator(
        &self,
        id: &'static str,
        f: impl FnOnce(&mut Indicator<'a>) -> Result<(), Unavailable>,
    ) -> Indicator<'a> {
        let defs = self.settings.definitions();
        let Some(index) = defs.indicators.iter().position(|d| d.id == id) else {
            // Not in the definitions: computed by code the data does not describe.
            // Reported, not hidden, so that a test catches it.
            return Indicator {
                id,
                name: id.to_string(),
                group: Group::Workforce,
                unit: Unit::Count,
                definition: String::new(),
                thresholds: Vec::new(),
                numerator: None,
                denominator: None,
                value: None,
                figures: Vec::new(),
                breakdown: Vec::new(),
                children: Vec::new(),
                published: None,
                unavailable: Some(format!("'{id}' is not in the indicators file")),
                notes: Vec::new(),
            };
        };
        let mut ind = Indicator::blank(self.settings, index);
        if let Err(reason) = f(&mut ind) {
            let mut blank = Indicator::blank(self.settings, index);
            blank.unavailable = Some(reason);
            return blank;
        }
        ind
    }
}

impl<'a> Indicator<'a> {
    fn blank(settings: &Settings, index: usize) -> Indicator<'a> {
        let r = settings.resolved(index);
        Indicator {
            id: r.def.id.as_str(),
            name: r.name,
            group: r.def.group,
            unit: r.def.unit,
            definition: r.definition,
            thresholds: r.thresholds,
            numerator: None,
            denominator: None,
            value: None,
            figures: Vec::new(),
            breakdown: Vec::new(),
            children: Vec::new(),
            published: r.def.published.as_deref(),
            unavailable: None,
            notes: Vec::new(),
        }
    }

    /// A threshold's value as set.
    pub(crate) fn threshold(&self, name: &str) -> Result<u32, Unavailable> {
        self.thresholds
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.value)
            .ok_or_else(|| format!("'{}' has no threshold '{name}'", self.id))
    }

    /// Sets the numerator and denominator, and the value as a percentage.
    pub(crate) fn fraction(&mut self, numerator: u64, denominator: u64) {
        self.numerator = Some(numerator);
        self.denominator = Some(denominator);
        self.value = percent(numerator, denominator);
    }

    /// Sets a count: the numerator and value, no denominator.
    pub(crate) fn count(&mut self, n: u64) {
        self.numerator = Some(n);
        self.denominator = None;
        self.value = Some(n as f64);
    }

    pub(crate) fn figure(
        &mut self,
        id: &'static str,
        label: impl Into<String>,
        value: Option<f64>,
    ) {
        self.figures.push(Figure {
            id,
            label: label.into(),
            value,
        });
    }

    pub(crate) fn row(
        &mut self,
        table: &Table<'a>,
        index: u32,
        row: &'a [crate::Value],
        numerator: bool,
        detail: Option<Detail<'a>>,
    ) {
        self.children.push(ChildRow {
            child: table.child(row),
            list: table.number(),
            index,
            numerator,
            figure: None,
            detail,
        });
    }

    /// Notes how many rows were judged with a date outside the bank holiday calendar.
    pub(crate) fn note_outside_calendar(&mut self, rows: usize, working: &WorkingDays) {
        if rows > 0 {
            let (first, last) = working.covers();
            self.notes.push(format!(
                "{rows} {} a date outside the bank holiday calendar ({} to {}): only weekends were left out of {} working days, as Excel's NETWORKDAYS does without a holiday list.",
                if rows == 1 { "row has" } else { "rows have" },
                long_date(first),
                long_date(last),
                if rows == 1 { "its" } else { "their" },
            ));
        }
    }
}

/// `numerator` as a percentage of `denominator`; None for none.
pub(crate) fn percent(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 * 100.0 / denominator as f64)
}

/// A date as the interface writes it: `23 November 2026`.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The `p`th quantile (0 to 1) of sorted values, interpolating between ranks as
/// Excel's PERCENTILE.INC (and MEDIAN) does.
pub(crate) fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Rows of a list, each with its index among the list's clean rows.
pub(crate) type Rows<'a> = Vec<(u32, &'a [crate::Value])>;

/// Whether a row meets an indicator's test, and what it was judged on; None when it
/// cannot be judged (a date is missing), which counts as not meeting it.
pub(crate) type Judged<'a> = Option<(bool, Option<Detail<'a>>)>;

/// Each row of a population, judged by `test`; the denominator is the population.
pub(crate) fn judge<'a>(
    ind: &mut Indicator<'a>,
    t: &Table<'a>,
    rows: &[(u32, &'a [crate::Value])],
    mut test: impl FnMut(&'a [crate::Value]) -> Judged<'a>,
) {
    let mut n = 0;
    ind.children.reserve(rows.len());
    for &(i, row) in rows {
        let (counts, detail) = test(row).unwrap_or((false, None));
        n += u64::from(counts);
        ind.row(t, i, row, counts, detail);
    }
    ind.fraction(n, rows.len() as u64);
}

/// One row per child: of the rows `keep` accepts, the one with the greatest `key` (the
/// later of two where keys tie), in the order the children first appear.
pub(crate) fn per_child<'a, K: Ord>(
    table: &Table<'a>,
    mut keep: impl FnMut(&'a [crate::Value]) -> bool,
    mut key: impl FnMut(&'a [crate::Value]) -> K,
) -> Rows<'a> {
    use std::collections::hash_map::Entry;
    let mut at: Map<&'a str, usize> = Map::default();
    let mut out: Rows<'a> = Vec::new();
    for (i, row) in table.rows() {
        if !keep(row) {
            continue;
        }
        match at.entry(table.child(row)) {
            Entry::Occupied(k) => {
                let k = *k.get();
                if key(row) >= key(out[k].1) {
                    out[k] = (i, row);
                }
            }
            Entry::Vacant(v) => {
                v.insert(out.len());
                out.push((i, row));
            }
        }
    }
    out
}

/// Contact and referral sources grouped as ChAT shows them, by the number of their
/// code; the last for none.
pub(crate) const SOURCE_GROUPS: [&str; 11] = [
    "Individual",
    "Schools and education services",
    "Health services",
    "Housing",
    "Local authority services",
    "Police",
    "Other legal agency",
    "Other",
    "Anonymous",
    "Unknown",
    "Not recorded",
];

/// The group of a source code: its index in [`SOURCE_GROUPS`].
pub(crate) fn source_group(code: &str) -> usize {
    let number = code.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    match number.parse::<usize>() {
        Ok(n @ 1..=10) => n - 1,
        _ => SOURCE_GROUPS.len() - 1,
    }
}

/// Numerator and denominator counted for each of a fixed set of parts (sources, age
/// bands), kept in the parts' order.
pub(crate) struct Tally {
    labels: &'static [&'static str],
    counts: Vec<(u64, u64)>,
}

impl Tally {
    pub(crate) fn with(labels: &'static [&'static str]) -> Tally {
        Tally {
            labels,
            counts: vec![(0, 0); labels.len()],
        }
    }

    /// Counts a row in part `part` (an index into the labels).
    pub(crate) fn add(&mut self, part: usize, numerator: bool) {
        let c = &mut self.counts[part];
        c.0 += u64::from(numerator);
        c.1 += 1;
    }

    /// Each part as a percentage of its own denominator; parts with none are left out
    /// unless `keep_empty` names them.
    pub(crate) fn fractions(self, keep_empty: &[usize]) -> Vec<Breakdown> {
        self.labels
            .iter()
            .zip(self.counts)
            .enumerate()
            .filter(|(i, (_, (_, d)))| *d > 0 || keep_empty.contains(i))
            .map(|(_, (label, (n, d)))| Breakdown {
                label: label.to_string(),
                numerator: n,
                denominator: Some(d),
                value: percent(n, d),
            })
            .collect()
    }

    /// Each part's rows, as a share of all; parts with none are left out.
    pub(crate) fn counts(self) -> Vec<Breakdown> {
        let total: u64 = self.counts.iter().map(|c| c.1).sum();
        self.labels
            .iter()
            .zip(self.counts)
            .filter(|(_, (_, d))| *d > 0)
            .map(|(label, (_, d))| Breakdown {
                label: label.to_string(),
                numerator: d,
                denominator: Some(total),
                value: percent(d, total),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_excels() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.9), Some(3.7));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn sources_group_by_their_number() {
        let group = |code| SOURCE_GROUPS[source_group(code)];
        assert_eq!(group("1A"), "Individual");
        assert_eq!(group("10"), "Unknown");
        assert_eq!(group("6"), "Police");
        assert_eq!(group("5D"), "Local authority services");
        assert_eq!(group(""), "Not recorded");
    }

    #[test]
    fn every_definition_is_computed() {
        let annex = AnnexA::default();
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let report = compute(&annex, d, &Settings::bundled());
        let defs = Definitions::bundled();
        assert_eq!(report.indicators.len(), defs.indicators.len());
        for (i, d) in report.indicators.iter().zip(&defs.indicators) {
            assert_eq!(i.id, d.id);
            let why = i.unavailable.as_deref().unwrap_or("");
            assert!(why.contains("missing"), "{}: {why}", i.id);
        }
    }
}
