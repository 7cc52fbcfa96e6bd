//! DfE's published statistics: the "tidy" CSV files (`time_period`, `geographic_level`,
//! `country_code`, `region_code`, `new_la_code`, ..., then breakdown and measure
//! columns), read into [`PublishedStatistics`] as the indicator definitions say.
//!
//! Rows are placed by `geographic_level`: `National` rows are England's (their
//! `country_code` must be England's), `Regional` rows are the region `region_code`
//! names (one the definitions list), `Local authority` rows the LA whose area code
//! `new_la_code` is, by the LA reference data (current, former and alias codes) and then
//! the definitions' extra area codes. Rows at other levels are not used, and the notes
//! say so.
//!
//! Nothing is skipped silently. A missing file, a missing (renamed) column, an area code
//! nobody knows, a value that is neither a number nor one of DfE's symbols, two rows for
//! one value, or filters no row matches: each is a [`PublishedProblem`] naming the file,
//! the line and the column, and any of them fails the whole read ([`PublishedError`]
//! lists them all, up to [`MAX_PROBLEMS`]). Rows the definitions deliberately do not
//! load, or read as another LA's or as two LAs' shared figure, are counted in
//! [`PublishedStatistics::notes`] for the caller to print.

use ilacs_domain::authority::{GssCode, LaCode, LocalAuthority};
use ilacs_domain::indicators::{
    Area, AreaCodeRule, Definitions, Indicator, ObservationKey, PublishedStatistics, SourceFile,
    TimePeriod, Transform, Unit, Value, ENGLAND_CODE,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

/// How many problems an error lists; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// One thing wrong with the published files. Lines are 1-based; the header is line 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishedProblem {
    #[error("{file}: the file is missing{location}; it is needed for {needed_by}")]
    MissingFile {
        file: String,
        /// " from DIR", or empty.
        location: String,
        needed_by: String,
    },
    #[error("{file}: the file cannot be read: {message}")]
    Unreadable { file: String, message: String },
    #[error("{file}: the header has no column '{column}' (renamed or removed?); it is needed for {needed_by}")]
    MissingColumn {
        file: String,
        column: String,
        needed_by: String,
    },
    #[error("{file}, line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}, line {line}, column '{column}': {message}")]
    Field {
        file: String,
        line: u64,
        column: String,
        message: String,
    },
    #[error("{file}: no row has {wanted}, needed for {indicator}{found}")]
    NoRows {
        file: String,
        indicator: String,
        /// The filter (or filters) nothing matched: `breakdown = 'Total'`.
        wanted: String,
        /// "; the column has 'a', 'b', ..." or empty.
        found: String,
    },
}

/// Why the published statistics could not be read: every problem found, up to
/// [`MAX_PROBLEMS`] of them, and how many there were in all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PublishedError {
    pub problems: Vec<PublishedProblem>,
    pub total: usize,
}

impl fmt::Display for PublishedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.total == 1 { "" } else { "s" };
        write!(
            f,
            "the published statistics cannot be read ({} problem{plural}):",
            self.total
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        if self.total > self.problems.len() {
            write!(f, "\n  ... and {} more", self.total - self.problems.len())?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Problems {
    list: Vec<PublishedProblem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: PublishedProblem) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        }
    }
}

/// Reads the files the definitions name from `files` (name and contents; others are
/// ignored) into every indicator's values. `authorities` are the LAs (with their other
/// area codes) rows are matched to.
pub fn read_published(
    definitions: &Definitions,
    authorities: &[LocalAuthority],
    files: &[(&str, &[u8])],
) -> Result<PublishedStatistics, PublishedError> {
    let mut problems = Problems::default();
    for file in definitions.source_files() {
        if !files.iter().any(|(name, _)| *name == file) {
            problems.push(missing_file(definitions, file, String::new()));
        }
    }
    let stats = read_present(definitions, authorities, files, &mut problems);
    finish(stats, problems)
}

/// [`read_published`] with the files read from a directory, by the names the
/// definitions give them.
pub fn read_published_dir(
    definitions: &Definitions,
    authorities: &[LocalAuthority],
    dir: &Path,
) -> Result<PublishedStatistics, PublishedError> {
    let mut problems = Problems::default();
    let mut contents: Vec<(&str, Vec<u8>)> = Vec::new();
    for file in definitions.source_files() {
        match std::fs::read(dir.join(file)) {
            Ok(bytes) => contents.push((file, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(missing_file(
                definitions,
                file,
                format!(" from {}", dir.display()),
            )),
            Err(e) => problems.push(PublishedProblem::Unreadable {
                file: file.to_string(),
                message: e.to_string(),
            }),
        }
    }
    let files: Vec<(&str, &[u8])> = contents.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let stats = read_present(definitions, authorities, &files, &mut problems);
    finish(stats, problems)
}

fn missing_file(definitions: &Definitions, file: &str, location: String) -> PublishedProblem {
    PublishedProblem::MissingFile {
        file: file.to_string(),
        location,
        needed_by: ids(definitions.from_file(file)),
    }
}

fn finish(
    stats: PublishedStatistics,
    problems: Problems,
) -> Result<PublishedStatistics, PublishedError> {
    if problems.total == 0 {
        Ok(stats)
    } else {
        Err(PublishedError {
            problems: problems.list,
            total: problems.total,
        })
    }
}

/// Reads those of the definitions' files that `files` has.
fn read_present(
    definitions: &Definitions,
    authorities: &[LocalAuthority],
    files: &[(&str, &[u8])],
    problems: &mut Problems,
) -> PublishedStatistics {
    let codes = AreaCodes::new(definitions, authorities);
    let mut stats = PublishedStatistics::default();
    for file in definitions.source_files() {
        if let Some((_, bytes)) = files.iter().find(|(name, _)| *name == file) {
            FileReader::new(definitions, &codes, file, bytes).read(&mut stats, problems);
        }
    }
    stats
}

fn ids<'a>(indicators: impl Iterator<Item = &'a Indicator>) -> String {
    indicators
        .map(|i| i.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an area code in `new_la_code` stands for.
enum Resolved<'a> {
    /// An LA of the reference data (its current, a former or an alias code).
    Reference(&'a LaCode),
    /// A code the definitions explain.
    Rule(&'a AreaCodeRule),
}

struct AreaCodes<'a> {
    by_code: HashMap<&'a str, Resolved<'a>>,
    known: BTreeSet<&'a LaCode>,
}

impl<'a> AreaCodes<'a> {
    fn new(definitions: &'a Definitions, authorities: &'a [LocalAuthority]) -> AreaCodes<'a> {
        let mut by_code = HashMap::new();
        for la in authorities {
            for code in std::iter::once(&la.gss_code).chain(&la.other_codes) {
                by_code.insert(code.as_str(), Resolved::Reference(&la.la_code));
            }
        }
        // The reference data wins: a rule is only for codes it does not know.
        for rule in definitions.area_codes() {
            by_code
                .entry(rule.code.as_str())
                .or_insert(Resolved::Rule(rule));
        }
        let known = authorities.iter().map(|la| &la.la_code).collect();
        AreaCodes { by_code, known }
    }
}

/// An unknown area code: where it first appeared and how often.
struct Unknown {
    line: u64,
    rows: u64,
    name: String,
    old_code: String,
}

/// One indicator's columns in the file being read.
struct Reading<'d> {
    indicator: &'d Indicator,
    value: usize,
    filters: Vec<(usize, &'d str)>,
    matched: u64,
}

/// The columns that place a row, by position.
struct Geography {
    time_period: usize,
    level: usize,
    country: usize,
    region: usize,
    new_la: usize,
    old_la: Option<usize>,
    la_name: Option<usize>,
}

struct FileReader<'a> {
    definitions: &'a Definitions,
    codes: &'a AreaCodes<'a>,
    file: &'a str,
    bytes: &'a [u8],
}

impl<'a> FileReader<'a> {
    fn new(
        definitions: &'a Definitions,
        codes: &'a AreaCodes<'a>,
        file: &'a str,
        bytes: &'a [u8],
    ) -> FileReader<'a> {
        // DfE saves some files with a UTF-8 byte-order mark.
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        FileReader {
            definitions,
            codes,
            file,
            bytes,
        }
    }

    fn field(&self, line: u64, column: &str, message: impl Into<String>) -> PublishedProblem {
        PublishedProblem::Field {
            file: self.file.to_string(),
            line,
            column: column.to_string(),
            message: message.into(),
        }
    }

    fn csv_problem(&self, error: &csv::Error) -> PublishedProblem {
        let position = match error.kind() {
            csv::ErrorKind::Utf8 { pos, .. } | csv::ErrorKind::UnequalLengths { pos, .. } => {
                pos.as_ref()
            }
            _ => error.position(),
        };
        let message = match error.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} fields where the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_string(),
            _ => error.to_string(),
        };
        PublishedProblem::Line {
            file: self.file.to_string(),
            line: position.map_or(1, |p| line_at(self.bytes, p.byte())),
            message,
        }
    }

    fn read(&self, stats: &mut PublishedStatistics, problems: &mut Problems) {
        let mut reader = csv::ReaderBuilder::new().from_reader(self.bytes);
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
            Err(e) => return problems.push(self.csv_problem(&e)),
        };
        let find = |name: &str| header.iter().position(|h| h == name);
        // Missing columns with what needs each, in the order first needed.
        let mut missing: Vec<(String, Vec<String>)> = Vec::new();
        let mut require = |name: &str, needed_by: &str| {
            let found = find(name);
            if found.is_none() {
                match missing.iter_mut().find(|(column, _)| column == name) {
                    Some((_, by)) if !by.iter().any(|b| b == needed_by) => {
                        by.push(needed_by.to_string())
                    }
                    Some(_) => {}
                    None => missing.push((name.to_string(), vec![needed_by.to_string()])),
                }
            }
            found.unwrap_or(0)
        };
        let placing = "placing rows by area and year";
        let geography = Geography {
            time_period: require("time_period", placing),
            level: require("geographic_level", placing),
            country: require("country_code", placing),
            region: require("region_code", placing),
            new_la: require("new_la_code", placing),
            old_la: find("old_la_code"),
            la_name: find("la_name"),
        };
        let mut readings: Vec<Reading<'_>> = Vec::new();
        for indicator in self.definitions.from_file(self.file) {
            let id = indicator.id.as_str();
            let value = require(&indicator.source.column, id);
            let filters = indicator
                .source
                .filters
                .iter()
                .map(|f| (require(&f.column, id), f.value.as_str()))
                .collect();
            readings.push(Reading {
                indicator,
                value,
                filters,
                matched: 0,
            });
        }
        if !missing.is_empty() {
            // Every row would be misread; the missing columns say why.
            for (column, needed_by) in missing {
                problems.push(PublishedProblem::MissingColumn {
                    file: self.file.to_string(),
                    column,
                    needed_by: needed_by.join(", "),
                });
            }
            return;
        }
        self.read_rows(reader, &header, &geography, &mut readings, stats, problems);
    }

    fn read_rows(
        &self,
        mut reader: csv::Reader<&[u8]>,
        header: &[String],
        g: &Geography,
        readings: &mut [Reading<'_>],
        stats: &mut PublishedStatistics,
        problems: &mut Problems,
    ) {
        let mut record = csv::StringRecord::new();
        let mut lines = LineCounter::new(self.bytes);
        let (mut rows, mut values) = (0u64, 0u64);
        let mut first_line: HashMap<ObservationKey, u64> = HashMap::new();
        let mut unknown: BTreeMap<String, Unknown> = BTreeMap::new();
        let mut by_rule: BTreeMap<&str, (&AreaCodeRule, u64)> = BTreeMap::new();
        let mut other_levels: BTreeMap<String, u64> = BTreeMap::new();
        let mut shared_counts: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        // The values each filter column has, for saying what a filter could have been.
        let mut seen: HashMap<usize, BTreeSet<String>> = HashMap::new();
        let mut matching: Vec<bool> = Vec::with_capacity(readings.len());

        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    problems.push(self.csv_problem(&e));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            rows += 1;
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
            let cell = |i: usize| record.get(i).unwrap_or("").trim();

            // Which indicators the row is for, before anything else can go wrong with
            // it, so that "no row matches" means just that.
            matching.clear();
            for reading in readings.iter_mut() {
                for &(column, _) in &reading.filters {
                    let values = seen.entry(column).or_default();
                    if values.len() < 40 && !values.contains(cell(column)) {
                        values.insert(cell(column).to_string());
                    }
                }
                let matches = reading.filters.iter().all(|&(c, v)| cell(c) == v);
                reading.matched += u64::from(matches);
                matching.push(matches);
            }

            let period = match TimePeriod::parse(cell(g.time_period)) {
                Ok(p) => p,
                Err(_) => {
                    problems.push(self.field(
                        line,
                        "time_period",
                        format!(
                            "'{}' is not a year such as 2025 or 202425",
                            cell(g.time_period)
                        ),
                    ));
                    continue;
                }
            };

            let mut shared_by: Option<&AreaCodeRule> = None;
            let areas: Vec<Area> = match cell(g.level) {
                "National" => {
                    let country = cell(g.country);
                    if country != ENGLAND_CODE {
                        problems.push(self.field(
                            line,
                            "country_code",
                            format!("'{country}' is not England's code ({ENGLAND_CODE})"),
                        ));
                        continue;
                    }
                    vec![Area::England]
                }
                "Regional" => {
                    let code = cell(g.region);
                    match GssCode::parse(code)
                        .ok()
                        .filter(|c| self.definitions.region(c).is_some())
                    {
                        Some(code) => vec![Area::Region(code)],
                        None => {
                            problems.push(self.field(
                                line,
                                "region_code",
                                format!("'{code}' is not a region code listed in the indicator definitions"),
                            ));
                            continue;
                        }
                    }
                }
                "Local authority" => {
                    let code = cell(g.new_la);
                    if code.is_empty() {
                        problems.push(self.field(line, "new_la_code", "must not be blank"));
                        continue;
                    }
                    match self.codes.by_code.get(code) {
                        Some(Resolved::Reference(la)) => {
                            if let Some(old) = g.old_la.map(cell) {
                                if LaCode::parse(old).is_ok_and(|o| &o != *la) {
                                    problems.push(self.field(
                                        line,
                                        "old_la_code",
                                        format!("{old} does not match new_la_code {code}, which is LA {la}'s"),
                                    ));
                                    continue;
                                }
                            }
                            vec![Area::La((*la).clone())]
                        }
                        Some(Resolved::Rule(rule)) => {
                            by_rule.entry(&rule.code).or_insert((rule, 0)).1 += 1;
                            if let Some(absent) =
                                rule.la_codes.iter().find(|c| !self.codes.known.contains(c))
                            {
                                problems.push(self.field(
                                    line,
                                    "new_la_code",
                                    format!("the indicator definitions read {code} as LA {absent}'s, but {absent} is not an LA in the reference data"),
                                ));
                                continue;
                            }
                            if rule.la_codes.len() > 1 {
                                shared_by = Some(rule);
                            }
                            rule.la_codes.iter().cloned().map(Area::La).collect()
                        }
                        None => {
                            let entry = unknown.entry(code.to_string()).or_insert(Unknown {
                                line,
                                rows: 0,
                                name: g.la_name.map(cell).unwrap_or("").to_string(),
                                old_code: g.old_la.map(cell).unwrap_or("").to_string(),
                            });
                            entry.rows += 1;
                            continue;
                        }
                    }
                }
                "" => {
                    problems.push(self.field(line, "geographic_level", "must not be blank"));
                    continue;
                }
                other => {
                    *other_levels.entry(other.to_string()).or_default() += 1;
                    continue;
                }
            };

            for (reading, _) in readings.iter().zip(&matching).filter(|(_, m)| **m) {
                let indicator = reading.indicator;
                let text = cell(reading.value);
                let value = match Value::parse(text) {
                    Ok(v) => transform(indicator.source.transform, v, text),
                    Err(e) => {
                        problems.push(self.field(line, &header[reading.value], e.to_string()));
                        continue;
                    }
                };
                if let (Some(rule), Unit::Count) = (shared_by, indicator.unit) {
                    // A count two LAs share cannot be split between them.
                    *shared_counts
                        .entry((rule.code.as_str(), indicator.id.as_str()))
                        .or_default() += 1;
                    continue;
                }
                for area in &areas {
                    let key = ObservationKey {
                        indicator: indicator.id.clone(),
                        area: area.clone(),
                        time_period: period.clone(),
                    };
                    if stats.insert(key.clone(), value).is_err() {
                        let first = first_line.get(&key).copied().unwrap_or(0);
                        problems.push(self.field(
                            line,
                            &header[reading.value],
                            format!(
                                "a second {} value for {} in {} (the first is on line {first}): the filters must pick one row per area and year",
                                indicator.id,
                                describe(area),
                                period
                            ),
                        ));
                    } else {
                        first_line.insert(key, line);
                        values += 1;
                    }
                }
            }
        }

        for (code, u) in unknown {
            let mut who = Vec::new();
            if !u.name.is_empty() {
                who.push(u.name);
            }
            if !u.old_code.is_empty() {
                who.push(format!("old_la_code {}", u.old_code));
            }
            let who = if who.is_empty() {
                String::new()
            } else {
                format!(" ({})", who.join(", "))
            };
            let more = match u.rows {
                1 => String::new(),
                n => format!("; {n} rows have it"),
            };
            problems.push(self.field(
                u.line,
                "new_la_code",
                format!("'{code}'{who} is not an area code of any LA in the reference data, nor one the indicator definitions explain{more}"),
            ));
        }
        for reading in readings.iter().filter(|r| r.matched == 0) {
            problems.push(self.no_rows(reading, &seen, rows));
        }
        self.notes(stats, &by_rule, &other_levels, &shared_counts);
        stats.files.push(SourceFile {
            name: self.file.to_string(),
            rows,
            values,
        });
    }

    fn no_rows(
        &self,
        reading: &Reading<'_>,
        seen: &HashMap<usize, BTreeSet<String>>,
        rows: u64,
    ) -> PublishedProblem {
        let filters = &reading.indicator.source.filters;
        let missing = reading
            .filters
            .iter()
            .zip(filters)
            .find(|((column, value), _)| seen.get(column).is_none_or(|s| !s.contains(*value)));
        let (wanted, found) = match missing {
            Some(((column, _), filter)) => {
                let has: Vec<String> = seen
                    .get(column)
                    .map(|s| s.iter().map(|v| format!("'{v}'")).collect())
                    .unwrap_or_default();
                let found = if has.is_empty() {
                    String::new()
                } else {
                    format!("; the column has {}", has.join(", "))
                };
                (format!("{} = '{}'", filter.column, filter.value), found)
            }
            None if filters.is_empty() || rows == 0 => {
                ("any data".to_string(), "; the file has no rows".to_string())
            }
            None => (
                filters
                    .iter()
                    .map(|f| format!("{} = '{}'", f.column, f.value))
                    .collect::<Vec<_>>()
                    .join(" and "),
                " (each value is there, but never all in one row)".to_string(),
            ),
        };
        PublishedProblem::NoRows {
            file: self.file.to_string(),
            indicator: reading.indicator.id.to_string(),
            wanted,
            found,
        }
    }

    fn notes(
        &self,
        stats: &mut PublishedStatistics,
        by_rule: &BTreeMap<&str, (&AreaCodeRule, u64)>,
        other_levels: &BTreeMap<String, u64>,
        shared_counts: &BTreeMap<(&str, &str), u64>,
    ) {
        let file = self.file;
        for (code, (rule, rows)) in by_rule {
            let how = match rule.la_codes.as_slice() {
                [] => "not loaded".to_string(),
                [one] => format!("read as LA {one}'s"),
                many => format!(
                    "read as each of LAs {}",
                    many.iter()
                        .map(LaCode::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            stats.notes.push(format!(
                "{file}: {} {} for {code} {how}: {}",
                rows,
                rows_word(*rows),
                rule.note
            ));
        }
        for ((code, indicator), n) in shared_counts {
            stats.notes.push(format!(
                "{file}: {n} {indicator} {} for {code} not loaded: a count two LAs share cannot be split between them",
                if *n == 1 { "value" } else { "values" }
            ));
        }
        for (level, n) in other_levels {
            stats.notes.push(format!(
                "{file}: {n} {} at geographic level '{level}' not used (only National, Regional and Local authority rows are)",
                rows_word(*n)
            ));
        }
    }
}

fn rows_word(n: u64) -> &'static str {
    if n == 1 {
        "row"
    } else {
        "rows"
    }
}

fn describe(area: &Area) -> String {
    match area {
        Area::England => "England".to_string(),
        Area::Region(code) => format!("region {code}"),
        Area::La(code) => format!("LA {code}"),
    }
}

/// The indicator's value from the published one. The complement keeps the published
/// precision; a symbol stays a symbol, except that 100 minus a figure that rounds to
/// zero rounds to 100.
fn transform(transform: Option<Transform>, value: Value, text: &str) -> Value {
    match (transform, value) {
        (None, v) => v,
        (Some(Transform::Complement), Value::Number(n)) => {
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            let scale = 10f64.powi(i32::try_from(places).unwrap_or(6).min(6));
            Value::Number(((100.0 - n) * scale).round() / scale)
        }
        (Some(Transform::Complement), Value::Symbol(s)) if s.rounds_to_zero() => {
            Value::Number(100.0)
        }
        (Some(Transform::Complement), v) => v,
    }
}

/// Turns the byte offsets the csv reader gives into 1-based line numbers, reading
/// forward once (records come in order).
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line a record starting at `byte` begins on. The reader's offsets point before
    /// any blank lines ahead of the record, so those are stepped over.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.offset {
            return line_at(self.bytes, byte);
        }
        self.line += self.bytes[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line
    }
}

fn line_at(bytes: &[u8], byte: u64) -> u64 {
    LineCounter::new(bytes).line_at(byte)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ilacs_domain::indicators::Symbol;

    #[test]
    fn the_complement_keeps_precision_and_symbols() {
        let c = Some(Transform::Complement);
        let t = |text: &str| transform(c, Value::parse(text).unwrap(), text);
        assert_eq!(t("6"), Value::Number(94.0));
        assert_eq!(t("6.3"), Value::Number(93.7));
        assert_eq!(t("0.05"), Value::Number(99.95));
        assert_eq!(t("c"), Value::Symbol(Symbol::Confidential));
        assert_eq!(t("z"), Value::Symbol(Symbol::NotApplicable));
        assert_eq!(t("k"), Value::Number(100.0));
        assert_eq!(transform(None, Value::Number(6.0), "6"), Value::Number(6.0));
    }

    #[test]
    fn lines_count_blank_lines_and_crlf() {
        let text = b"a,b\r\n1,2\r\n\r\n3,4\n";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_at(5), 2);
        // The offset of the third record points at the blank line before it.
        assert_eq!(lines.line_at(10), 4);
        assert_eq!(line_at(text, 0), 1);
    }
}
