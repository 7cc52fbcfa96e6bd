//! Reading a workbook (xlsx, xls, ods) or one CSV per list into clean lists and the
//! issues found on the way. Each sheet is read in one pass.

use crate::cells::{clean_cell, Cell, Change, Value};
use crate::schema::{ListDef, Schema};
use crate::xlsx::{self, sheet::SheetReader, Fallback};
use calamine::{Data, DataRef, Reader, Sheets};
use std::io::Cursor;

/// Rows searched for the header: some exports put a title above it.
const HEADER_SEARCH_ROWS: usize = 10;

/// Why a file could not be read at all. Problems with single cells are [`Issue`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(
        "not a spreadsheet (expected an .xlsx, .xls or .ods workbook, or CSV files): {message}"
    )]
    NotASpreadsheet { message: String },
    #[error("the {format} workbook is encrypted (password-protected); save it without a password and try again")]
    Encrypted { format: &'static str },
    #[error("cannot read the {format} workbook; it may be truncated or damaged: {message}")]
    Unreadable {
        format: &'static str,
        message: String,
    },
    #[error("sheet '{sheet}' cannot be read; the workbook may be damaged: {message}")]
    SheetUnreadable { sheet: String, message: String },
    #[error("no Annex A list found: no sheet in {source_name} has the headers of any of the 11 lists (looked at: {})", .looked_at.join(", "))]
    NoList {
        source_name: String,
        looked_at: Vec<String>,
    },
    #[error("list {list} appears twice, in '{first}' and in '{second}'; keep one and try again")]
    ListTwice {
        list: u8,
        first: String,
        second: String,
    },
    #[error("{file} is not UTF-8 text (line {line} has a byte that is not); it may be saved as Latin-1 or Windows-1252: save it as \"CSV UTF-8\" and try again")]
    CsvEncoding { file: String, line: u64 },
    #[error("{file}: cannot read the CSV: {message}")]
    Csv { file: String, message: String },
}

/// What cleaning does about an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Kept,
    Normalised,
    Blanked,
    RowDropped,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Kept => "kept",
            Action::Normalised => "normalised",
            Action::Blanked => "blanked",
            Action::RowDropped => "row dropped",
        }
    }
}

/// One change or rejection. Rows are numbered as the spreadsheet (or CSV line) shows
/// them; a problem with a header is on the header's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub list: u8,
    pub row: u32,
    /// The list's canonical column name (for an unknown column, its header as found).
    pub column: String,
    /// The cell as found.
    pub value: String,
    pub reason: String,
    pub action: Action,
}

/// One list, cleaned.
#[derive(Debug, Clone)]
pub struct CleanList {
    pub list: u8,
    /// Where it came from: the sheet's or the file's name.
    pub source: String,
    /// Data rows read (blank rows not counted).
    pub rows_read: usize,
    /// The list's columns the source has, as indexes into [`ListDef::columns`], in
    /// the list's order. The clean workbook has these columns.
    pub columns: Vec<usize>,
    /// The kept rows' values, row after row, `columns.len()` to a row.
    values: Vec<Value>,
}

impl CleanList {
    pub fn rows(&self) -> impl Iterator<Item = &[Value]> {
        // A list with no columns has no rows either.
        self.values.chunks(self.columns.len().max(1))
    }

    pub fn rows_kept(&self) -> usize {
        self.values.len() / self.columns.len().max(1)
    }

    /// A list made from values (`columns.len()` to a row), as degrading and merging do.
    pub(crate) fn from_values(
        list: u8,
        source: String,
        rows_read: usize,
        columns: Vec<usize>,
        values: Vec<Value>,
    ) -> CleanList {
        debug_assert_eq!(values.len() % columns.len().max(1), 0);
        CleanList {
            list,
            source,
            rows_read,
            columns,
            values,
        }
    }
}

/// Every list found in a file, in list order, and every issue, by list and row.
#[derive(Debug, Clone, Default)]
pub struct AnnexA {
    pub lists: Vec<CleanList>,
    pub issues: Vec<Issue>,
    /// Sheets with no list's headers (cover sheets, notes, pivot tables).
    pub skipped_sheets: Vec<String>,
}

/// Reads an xlsx, xls or ods workbook from its bytes, recognising each sheet's list by
/// its headers.
pub fn read_workbook(bytes: &[u8]) -> Result<AnnexA, ReadError> {
    let format = format_of(bytes)?;
    if format == "xlsx" {
        match read_xlsx_fast(bytes) {
            Ok(result) => return result,
            Err(Fallback::TooLarge { part, limit }) => return Err(too_large(&part, limit)),
            Err(Fallback::TooMany(message)) => {
                return Err(ReadError::Unreadable {
                    format: "xlsx",
                    message,
                })
            }
            // calamine has no limits of its own: each part is checked first.
            Err(Fallback::Calamine(_)) => {
                if let Err(Fallback::TooLarge { part, limit }) = xlsx::reader::within_limits(bytes)
                {
                    return Err(too_large(&part, limit));
                }
            }
        }
    }
    read_with_calamine(bytes, format)
}

fn too_large(part: &str, limit: u64) -> ReadError {
    ReadError::Unreadable {
        format: "xlsx",
        message: format!(
            "{part} unpacks to more than {} MiB of XML, more than any real workbook holds",
            limit >> 20
        ),
    }
}

/// Reads an xlsx workbook with the fast reader ([`crate::xlsx`]); Err if it leaves the
/// workbook to calamine or finds it too large.
fn read_xlsx_fast(bytes: &[u8]) -> Result<Result<AnnexA, ReadError>, Fallback> {
    let schema = Schema::bundled();
    let mut book = xlsx::reader::Book::open(bytes)?;
    let names: Vec<String> = book.sheets.iter().map(|(n, _)| n.clone()).collect();
    let mut found = Found::default();
    for name in &names {
        let mut sheet = book.sheet(name)?;
        let result = found.read_fast(schema, name, &mut sheet);
        let inflated = sheet.inflated();
        drop(sheet);
        book.spend(inflated);
        match result {
            Ok(()) => {}
            Err(Stop::Read(e)) => return Ok(Err(e)),
            Err(Stop::Fallback(f)) => return Err(f),
        }
    }
    Ok(found.finish("the workbook", names))
}

/// Reads a workbook with calamine, as every workbook was read before the fast xlsx
/// reader; xls and ods always are, and xlsx the fast reader leaves to it.
fn read_with_calamine(bytes: &[u8], format: &'static str) -> Result<AnnexA, ReadError> {
    let schema = Schema::bundled();
    let mut sheets = open(bytes, format)?;
    let names = sheets.sheet_names();
    let mut found = Found::default();
    for name in &names {
        let unreadable = |message| ReadError::SheetUnreadable {
            sheet: name.clone(),
            message,
        };
        // xlsx is streamed cell by cell: faster, and no copy of the whole sheet.
        if let Sheets::Xlsx(xlsx) = &mut sheets {
            guarded(|| {
                let mut cells = xlsx
                    .worksheet_cells_reader(name)
                    .map_err(|e| e.to_string())?;
                Ok(read_xlsx_sheet(
                    schema,
                    name,
                    || cells.next_cell(),
                    &mut found,
                ))
            })
            .map_err(unreadable)?
            .map_err(|e| match e {
                SheetError::Read(e) => e,
                SheetError::Xml(message) => unreadable(message),
            })?;
            continue;
        }
        let range = guarded(|| sheets.worksheet_range(name).map_err(|e| e.to_string()))
            .map_err(unreadable)?;
        let row_offset = range.start().map_or(0, |(r, _)| r) + 1;
        let mut rows = range.rows().enumerate().map(|(i, row)| {
            (
                row_offset + i as u32,
                row.iter().map(data_cell).collect::<Vec<_>>(),
            )
        });
        found.read(schema, name, &mut rows)?;
    }
    found.finish("the workbook", names)
}

/// The readers one at a time, for tests that compare them.
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// calamine alone, as every workbook was read before the fast xlsx reader.
    pub fn read_workbook_with_calamine(bytes: &[u8]) -> Result<AnnexA, ReadError> {
        read_with_calamine(bytes, format_of(bytes)?)
    }

    /// The fast xlsx reader alone: Err, with the reason, where it would leave the
    /// workbook to calamine.
    pub fn read_xlsx_fast(bytes: &[u8]) -> Result<Result<AnnexA, ReadError>, String> {
        match format_of(bytes) {
            Ok("xlsx") => {}
            Ok(other) => return Err(format!("not xlsx but {other}")),
            Err(e) => return Ok(Err(e)),
        }
        match super::read_xlsx_fast(bytes) {
            Ok(result) => Ok(result),
            Err(Fallback::TooLarge { part, limit }) => Ok(Err(too_large(&part, limit))),
            Err(Fallback::TooMany(message)) => Ok(Err(ReadError::Unreadable {
                format: "xlsx",
                message,
            })),
            Err(Fallback::Calamine(why)) => Err(why.to_string()),
        }
    }
}

/// Why a sheet stopped being read by the fast reader.
enum Stop {
    Read(ReadError),
    Fallback(Fallback),
}

enum SheetError {
    Read(ReadError),
    Xml(String),
}

/// Reads one xlsx sheet from calamine's cell stream, a row at a time.
fn read_xlsx_sheet<'a>(
    schema: &Schema,
    name: &str,
    mut next_cell: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, calamine::XlsxError>,
    found: &mut Found,
) -> Result<(), SheetError> {
    let mut failed = None;
    let mut pending: Option<calamine::Cell<DataRef<'a>>> = None;
    let mut done = false;
    // The stream borrows `failed`; it ends with this block, before `failed` is read.
    let result = {
        let mut rows = std::iter::from_fn(|| {
            if done {
                return None;
            }
            let mut row: Vec<DataRef<'a>> = Vec::new();
            let mut number = 0;
            loop {
                let cell = match pending.take() {
                    Some(c) => c,
                    None => match next_cell() {
                        Ok(Some(c)) => c,
                        Ok(None) => {
                            done = true;
                            return (!row.is_empty()).then_some((number, row));
                        }
                        Err(e) => {
                            failed = Some(e.to_string());
                            done = true;
                            return None;
                        }
                    },
                };
                let (r, c) = cell.get_position();
                if !row.is_empty() && r + 1 != number {
                    pending = Some(cell);
                    return Some((number, row));
                }
                number = r + 1;
                put(&mut row, c, cell.get_value().clone());
            }
        });
        found.read_refs(schema, name, &mut rows)
    };
    result.map_err(SheetError::Read)?;
    match failed {
        Some(message) => Err(SheetError::Xml(message)),
        None => Ok(()),
    }
}

/// Excel's last column is XFD, the 16,384th; a damaged file may claim any position.
const MAX_COLUMNS: usize = 16_384;

fn put<'a>(row: &mut Vec<DataRef<'a>>, col: u32, value: DataRef<'a>) {
    let col = col as usize;
    if col >= MAX_COLUMNS {
        return;
    }
    if row.len() <= col {
        row.resize(col + 1, DataRef::Empty);
    }
    row[col] = value;
}

/// Reads CSV files, one list each, recognised by their headers. `files` pairs each
/// file's name (for messages) with its bytes.
pub fn read_csvs(files: &[(&str, &[u8])]) -> Result<AnnexA, ReadError> {
    let schema = Schema::bundled();
    let mut found = Found::default();
    for (name, bytes) in files {
        let records = csv_records(name, bytes)?;
        // The record's number is its row when a spreadsheet opens the file (and its
        // line, unless a quoted cell holds a line break).
        let mut rows = records.iter().enumerate().map(|(i, r)| {
            let cells = r
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f)
                    }
                })
                .collect::<Vec<_>>();
            (i as u32 + 1, cells)
        });
        found.read(schema, name, &mut rows)?;
    }
    found.finish(
        "the CSV files",
        files.iter().map(|(n, _)| n.to_string()).collect(),
    )
}

fn csv_records(name: &str, bytes: &[u8]) -> Result<Vec<csv::StringRecord>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        return Err(ReadError::CsvEncoding {
            file: name.to_string(),
            line,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ReadError::Csv {
            file: name.to_string(),
            message: e.to_string(),
        })
}

fn data_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DurationIso(s) => Cell::Text(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => excel_date(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::Error(e) => Cell::Error(e),
    }
}

fn data_ref_cell<'a>(d: &'a DataRef<'_>) -> Cell<'a> {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::SharedString(s) => Cell::Text(s),
        DataRef::String(s) | DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => excel_date(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::Error(e) => Cell::Error(e),
    }
}

fn excel_date(dt: &calamine::ExcelDateTime) -> Cell<'static> {
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Cell::Date(chrono::NaiveDate::from_ymd_opt(
        i32::from(y),
        u32::from(m),
        u32::from(d),
    ))
}

/// ODS dates: "2024-01-31", or with a time (and xlsx's rare `t="d"` cells).
pub(crate) fn iso_date(s: &str) -> Cell<'_> {
    Cell::Date(
        s.get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    )
}

/// A cell kept past its row (a sheet's first rows are kept while its header is found).
enum OwnedCell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Option<chrono::NaiveDate>),
    Error(calamine::CellErrorType),
}

impl OwnedCell {
    fn from(cell: &Cell<'_>) -> Self {
        match *cell {
            Cell::Empty => OwnedCell::Empty,
            Cell::Text(s) => OwnedCell::Text(s.to_string()),
            Cell::Number(n) => OwnedCell::Number(n),
            Cell::Bool(b) => OwnedCell::Bool(b),
            Cell::Date(d) => OwnedCell::Date(d),
            Cell::Error(e) => OwnedCell::Error(e.clone()),
        }
    }

    fn cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Empty => Cell::Empty,
            OwnedCell::Text(s) => Cell::Text(s),
            OwnedCell::Number(n) => Cell::Number(*n),
            OwnedCell::Bool(b) => Cell::Bool(*b),
            OwnedCell::Date(d) => Cell::Date(*d),
            OwnedCell::Error(e) => Cell::Error(e),
        }
    }
}

/// The lists found so far in one file or set of files.
#[derive(Default)]
struct Found {
    lists: Vec<CleanList>,
    issues: Vec<Issue>,
    skipped: Vec<String>,
}

impl Found {
    /// Reads one sheet given as numbered rows of cells.
    fn read<'c>(
        &mut self,
        schema: &Schema,
        source: &str,
        rows: &mut dyn Iterator<Item = (u32, Vec<Cell<'c>>)>,
    ) -> Result<(), ReadError> {
        let first: Vec<(u32, Vec<Cell<'c>>)> = (&mut *rows).take(HEADER_SEARCH_ROWS).collect();
        let Some(mut list) = self.begin(schema, source, &first)? else {
            return Ok(());
        };
        for (n, cells) in first.iter().skip(list.header_index + 1) {
            list.push_row(*n, cells, &mut self.issues);
        }
        for (n, cells) in rows {
            list.push_row(n, &cells, &mut self.issues);
        }
        self.lists.push(list.finish());
        Ok(())
    }

    /// As [`Found::read`], for rows of calamine's borrowed values.
    fn read_refs<'c>(
        &mut self,
        schema: &Schema,
        source: &str,
        rows: &mut dyn Iterator<Item = (u32, Vec<DataRef<'c>>)>,
    ) -> Result<(), ReadError> {
        let first: Vec<(u32, Vec<DataRef<'c>>)> = (&mut *rows).take(HEADER_SEARCH_ROWS).collect();
        let first_cells: Vec<(u32, Vec<Cell<'_>>)> = first
            .iter()
            .map(|(n, r)| (*n, r.iter().map(data_ref_cell).collect()))
            .collect();
        let Some(mut list) = self.begin(schema, source, &first_cells)? else {
            return Ok(());
        };
        for (n, cells) in first_cells.iter().skip(list.header_index + 1) {
            list.push_row(*n, cells, &mut self.issues);
        }
        for (n, refs) in rows {
            let cells: Vec<Cell<'_>> = refs.iter().map(data_ref_cell).collect();
            list.push_row(n, &cells, &mut self.issues);
        }
        self.lists.push(list.finish());
        Ok(())
    }

    /// As [`Found::read`], for rows from the fast xlsx reader.
    fn read_fast(
        &mut self,
        schema: &Schema,
        source: &str,
        rows: &mut SheetReader<'_, '_>,
    ) -> Result<(), Stop> {
        let mut first: Vec<(u32, Vec<OwnedCell>)> = Vec::new();
        while first.len() < HEADER_SEARCH_ROWS {
            match rows.next_row().map_err(Stop::Fallback)? {
                Some((n, cells)) => first.push((n, cells.iter().map(OwnedCell::from).collect())),
                None => break,
            }
        }
        let first_cells: Vec<(u32, Vec<Cell<'_>>)> = first
            .iter()
            .map(|(n, r)| (*n, r.iter().map(OwnedCell::cell).collect()))
            .collect();
        let Some(mut list) = self
            .begin(schema, source, &first_cells)
            .map_err(Stop::Read)?
        else {
            return Ok(());
        };
        for (n, cells) in first_cells.iter().skip(list.header_index + 1) {
            list.push_row(*n, cells, &mut self.issues);
        }
        while let Some((n, cells)) = rows.next_row().map_err(Stop::Fallback)? {
            list.push_row(n, &cells, &mut self.issues);
        }
        self.lists.push(list.finish());
        Ok(())
    }

    /// The list a sheet's first rows head, ready for its data rows; None for a sheet
    /// that is no list.
    fn begin<'s>(
        &mut self,
        schema: &'s Schema,
        source: &str,
        first: &[(u32, Vec<Cell<'_>>)],
    ) -> Result<Option<ListReader<'s>>, ReadError> {
        let Some((list, header_index)) = find_header(schema, first) else {
            self.skipped.push(source.to_string());
            return Ok(None);
        };
        let def = &schema.lists[list];
        if let Some(earlier) = self.lists.iter().find(|l| l.list == def.number) {
            return Err(ReadError::ListTwice {
                list: def.number,
                first: earlier.source.clone(),
                second: source.to_string(),
            });
        }
        let (n, header) = &first[header_index];
        Ok(Some(ListReader::new(
            schema,
            def,
            source,
            header_index,
            *n,
            header,
            &mut self.issues,
        )))
    }

    fn finish(mut self, source_name: &str, looked_at: Vec<String>) -> Result<AnnexA, ReadError> {
        if self.lists.is_empty() {
            return Err(ReadError::NoList {
                source_name: source_name.to_string(),
                looked_at,
            });
        }
        self.lists.sort_by_key(|l| l.list);
        // Stable: within a list, issues stay in the order read (row, then column).
        self.issues.sort_by_key(|i| i.list);
        Ok(AnnexA {
            lists: self.lists,
            issues: self.issues,
            skipped_sheets: self.skipped,
        })
    }
}

/// The list whose headers a row best matches (its index in the schema, and the row's
/// index): the largest share of the list's columns, with one column no other list
/// has, and at least half its columns or all its required ones.
fn find_header(schema: &Schema, first: &[(u32, Vec<Cell<'_>>)]) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, (usize, usize))> = None;
    for (row, (_, cells)) in first.iter().enumerate() {
        for (i, def) in schema.lists.iter().enumerate() {
            let mut matched = vec![false; def.columns.len()];
            for cell in cells {
                if let Cell::Text(h) = cell {
                    if let Some(c) = def.column_for_header(h) {
                        matched[c] = true;
                    }
                }
            }
            let count = matched.iter().filter(|&&m| m).count();
            let distinctive = (0..matched.len()).any(|c| matched[c] && def.is_distinctive(c));
            let share = count as f64 / def.columns.len() as f64;
            let required = def
                .columns
                .iter()
                .zip(&matched)
                .all(|(c, m)| *m || !c.required);
            if !distinctive || (share < 0.5 && !required) {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(s, n, _)| share > *s || (share == *s && count > *n))
            {
                best = Some((share, count, (i, row)));
            }
        }
    }
    best.map(|(_, _, h)| h)
}

/// One list being read: its header understood, data rows cleaned as they come.
struct ListReader<'s> {
    schema: &'s Schema,
    def: &'s ListDef,
    source: String,
    header_index: usize,
    columns: Vec<usize>,
    /// (list column, sheet column) for each column the sheet has.
    sources: Vec<(usize, usize)>,
    values: Vec<Value>,
    rows_read: usize,
}

impl<'s> ListReader<'s> {
    fn new(
        schema: &'s Schema,
        def: &'s ListDef,
        source: &str,
        header_index: usize,
        header_number: u32,
        header: &[Cell<'_>],
        issues: &mut Vec<Issue>,
    ) -> Self {
        let issue = |column: &str, value: String, reason: String, action| Issue {
            list: def.number,
            row: header_number,
            column: column.to_string(),
            value,
            reason,
            action,
        };
        // The sheet column holding each of the list's columns.
        let mut at: Vec<Option<usize>> = vec![None; def.columns.len()];
        for (col, cell) in header.iter().enumerate() {
            let raw = match cell {
                Cell::Text(s) => *s,
                Cell::Empty => continue,
                other => {
                    let shown = other.shown();
                    issues.push(issue(
                        &shown,
                        shown.clone(),
                        format!("not a column of list {}; left out", def.number),
                        Action::Blanked,
                    ));
                    continue;
                }
            };
            if raw.trim().is_empty() {
                continue;
            }
            match def.column_for_header(raw) {
                Some(c) if at[c].is_some() => issues.push(issue(
                    &def.columns[c].name,
                    raw.to_string(),
                    "a second column with this header; left out".into(),
                    Action::Blanked,
                )),
                Some(c) => {
                    at[c] = Some(col);
                    if raw != def.columns[c].name {
                        issues.push(issue(
                            &def.columns[c].name,
                            raw.to_string(),
                            "the header is written differently".into(),
                            Action::Normalised,
                        ));
                    }
                }
                None => issues.push(issue(
                    raw,
                    raw.to_string(),
                    format!("not a column of list {}; left out", def.number),
                    Action::Blanked,
                )),
            }
        }
        // A sheet with none of the columns a version added is that earlier version.
        let earlier_version = def
            .columns
            .iter()
            .zip(&at)
            .all(|(c, a)| c.added.is_none() || a.is_none());
        let mut columns = Vec::new();
        let mut sources = Vec::new();
        for (c, column) in def.columns.iter().enumerate() {
            if let Some(col) = at[c] {
                columns.push(c);
                sources.push((c, col));
            } else if !(earlier_version && column.added.is_some()) {
                let reason = if column.required {
                    "a required column is missing"
                } else {
                    "the column is missing"
                };
                issues.push(issue(
                    &column.name,
                    String::new(),
                    reason.into(),
                    Action::Blanked,
                ));
            }
        }
        ListReader {
            schema,
            def,
            source: source.to_string(),
            header_index,
            columns,
            sources,
            values: Vec::new(),
            rows_read: 0,
        }
    }

    /// Cleans one data row (a blank row is passed over), pushing its values, or none
    /// if a required cell is blank or unusable.
    fn push_row(&mut self, row_number: u32, cells: &[Cell<'_>], issues: &mut Vec<Issue>) {
        if cells.iter().all(|c| matches!(c, Cell::Empty)) {
            return;
        }
        self.rows_read += 1;
        let start = self.values.len();
        let first_issue = issues.len();
        let mut dropped = false;
        for &(c, col) in &self.sources {
            let column = &self.def.columns[c];
            let cell = cells.get(col).copied().unwrap_or(Cell::Empty);
            let (value, change) = clean_cell(self.schema, column.kind, cell);
            let missing = column.required && value == Value::Blank;
            dropped |= missing;
            let (reason, action) = match change {
                None if missing => ("a required cell is blank".into(), Action::RowDropped),
                None => {
                    self.values.push(value);
                    continue;
                }
                Some(Change::Normalised(r)) => (r, Action::Normalised),
                Some(Change::Rejected(r)) if missing => (
                    format!("{r}; the column is required").into(),
                    Action::RowDropped,
                ),
                Some(Change::Rejected(r)) => (r, Action::Blanked),
            };
            issues.push(Issue {
                list: self.def.number,
                row: row_number,
                column: column.name.clone(),
                value: cell.shown(),
                reason: reason.into_owned(),
                action,
            });
            self.values.push(value);
        }
        if dropped {
            self.values.truncate(start);
            // The row's other changes do not happen either: the row is gone.
            for i in &mut issues[first_issue..] {
                if i.action == Action::Normalised || i.action == Action::Blanked {
                    i.reason.push_str(" (the row is dropped)");
                }
            }
        }
    }

    fn finish(self) -> CleanList {
        CleanList {
            list: self.def.number,
            source: self.source,
            rows_read: self.rows_read,
            columns: self.columns,
            values: self.values,
        }
    }
}

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

/// The workbook format, recognised by content, not name: uploads and renamed files lie.
fn format_of(bytes: &[u8]) -> Result<&'static str, ReadError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) {
        let head = &bytes[..bytes.len().min(512)];
        if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
            Ok("ods")
        } else {
            Ok("xlsx")
        }
    } else if bytes.starts_with(OLE) {
        // A password-protected xlsx is an OLE container holding an `EncryptedPackage`
        // stream (its name in UTF-16).
        let encrypted: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if contains(bytes, &encrypted) {
            return Err(ReadError::Encrypted { format: "xlsx" });
        }
        Ok("xls")
    } else {
        Err(ReadError::NotASpreadsheet {
            message: "the file starts like no workbook format".into(),
        })
    }
}

fn open<'a>(bytes: &'a [u8], format: &'static str) -> Result<Workbook<'a>, ReadError> {
    let cursor = Cursor::new(bytes);
    let opened = guarded(move || match format {
        "ods" => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Ods)
            .map_err(|e: calamine::OdsError| e.to_string()),
        "xls" => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Xls)
            .map_err(|e: calamine::XlsError| e.to_string()),
        _ => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e: calamine::XlsxError| e.to_string()),
    });
    opened.map_err(|message| {
        if message.to_ascii_lowercase().contains("password") || message.contains("ncrypt") {
            ReadError::Encrypted { format }
        } else {
            ReadError::Unreadable { format, message }
        }
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Runs a calamine call, turning a panic into an error message. calamine trusts some
/// indexes in the file (0.31 indexes shared strings unchecked), so a malformed file can
/// panic inside it; that is bad input, and must not bring the caller down.
fn guarded<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!(
            "the spreadsheet reader failed on malformed content ({detail})"
        ))
    })
}
