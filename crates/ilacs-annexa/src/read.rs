//! Reading a workbook (xlsx, xls, ods) or one CSV per list into clean lists and the
//! issues found on the way. Each sheet is read in one pass.

use crate::cells::{clean_cell, Cell, Change, Value};
use crate::schema::{ListDef, Schema};
use calamine::{Data, Range, Reader, Sheets};
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
    let schema = Schema::bundled();
    let mut sheets = open(bytes)?;
    let names = sheets.sheet_names();
    let mut found = Found::default();
    for name in &names {
        let range = guarded(|| sheets.worksheet_range(name).map_err(|e| e.to_string())).map_err(
            |message| ReadError::SheetUnreadable {
                sheet: name.clone(),
                message,
            },
        )?;
        found.read(schema, name, &RangeGrid(&range))?;
    }
    found.finish("the workbook", names)
}

/// Reads CSV files, one list each, recognised by their headers. `files` pairs each
/// file's name (for messages) with its bytes.
pub fn read_csvs(files: &[(&str, &[u8])]) -> Result<AnnexA, ReadError> {
    let schema = Schema::bundled();
    let mut found = Found::default();
    for (name, bytes) in files {
        let records = csv_records(name, bytes)?;
        found.read(schema, name, &CsvGrid(&records))?;
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

/// A sheet's cells by position, whatever the file format.
trait Grid {
    fn height(&self) -> usize;
    fn width(&self, row: usize) -> usize;
    fn cell(&self, row: usize, col: usize) -> Cell<'_>;
    /// The row number a user sees for row index `row`.
    fn row_number(&self, row: usize) -> u32;
}

struct RangeGrid<'a>(&'a Range<Data>);

impl Grid for RangeGrid<'_> {
    fn height(&self) -> usize {
        self.0.height()
    }
    fn width(&self, _row: usize) -> usize {
        self.0.width()
    }
    fn cell(&self, row: usize, col: usize) -> Cell<'_> {
        match self.0.get((row, col)) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s)) => Cell::Text(s),
            Some(Data::Float(f)) => Cell::Number(*f),
            Some(Data::Int(i)) => Cell::Number(*i as f64),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::DateTime(dt)) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Cell::Date(chrono::NaiveDate::from_ymd_opt(
                    i32::from(y),
                    u32::from(m),
                    u32::from(d),
                ))
            }
            // ODS dates ("2024-01-31" or with a time) and durations.
            Some(Data::DateTimeIso(s)) => Cell::Date(
                s.get(..10)
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            ),
            Some(Data::DurationIso(s)) => Cell::Text(s),
            Some(Data::Error(e)) => Cell::Error(e),
        }
    }
    fn row_number(&self, row: usize) -> u32 {
        let start = self.0.start().map_or(0, |(r, _)| r);
        start + row as u32 + 1
    }
}

struct CsvGrid<'a>(&'a [csv::StringRecord]);

impl Grid for CsvGrid<'_> {
    fn height(&self) -> usize {
        self.0.len()
    }
    fn width(&self, row: usize) -> usize {
        self.0[row].len()
    }
    fn cell(&self, row: usize, col: usize) -> Cell<'_> {
        match self.0[row].get(col) {
            None | Some("") => Cell::Empty,
            Some(s) => Cell::Text(s),
        }
    }
    /// The record's number, which is its row when a spreadsheet opens the file (and
    /// its line, unless a quoted cell holds a line break).
    fn row_number(&self, row: usize) -> u32 {
        row as u32 + 1
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
    fn read(&mut self, schema: &Schema, source: &str, grid: &dyn Grid) -> Result<(), ReadError> {
        let Some(header) = find_header(schema, grid) else {
            self.skipped.push(source.to_string());
            return Ok(());
        };
        let def = &schema.lists[header.list];
        if let Some(first) = self.lists.iter().find(|l| l.list == def.number) {
            return Err(ReadError::ListTwice {
                list: def.number,
                first: first.source.clone(),
                second: source.to_string(),
            });
        }
        let list = read_list(schema, def, source, grid, header.row, &mut self.issues);
        self.lists.push(list);
        Ok(())
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

struct Header {
    /// Index into the schema's lists.
    list: usize,
    row: usize,
}

/// The list whose headers a row best matches: the largest share of the list's columns,
/// with one column no other list has, and at least half its columns or all its
/// required ones.
fn find_header(schema: &Schema, grid: &dyn Grid) -> Option<Header> {
    let mut best: Option<(f64, usize, Header)> = None;
    for row in 0..grid.height().min(HEADER_SEARCH_ROWS) {
        let headers: Vec<String> = (0..grid.width(row))
            .map(|c| match grid.cell(row, c) {
                Cell::Text(s) => s.to_string(),
                _ => String::new(),
            })
            .collect();
        for (i, def) in schema.lists.iter().enumerate() {
            let mut matched = vec![false; def.columns.len()];
            for h in &headers {
                if let Some(c) = def.column_for_header(h) {
                    matched[c] = true;
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
                best = Some((share, count, Header { list: i, row }));
            }
        }
    }
    best.map(|(_, _, h)| h)
}

/// Reads the rows under the header: one pass, values pushed straight into the list.
fn read_list(
    schema: &Schema,
    def: &ListDef,
    source: &str,
    grid: &dyn Grid,
    header_row: usize,
    issues: &mut Vec<Issue>,
) -> CleanList {
    let header_number = grid.row_number(header_row);
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
    for col in 0..grid.width(header_row) {
        let raw = match grid.cell(header_row, col) {
            Cell::Text(s) => s,
            Cell::Empty => continue,
            other => {
                let shown = other.shown();
                issues.push(issue(
                    &shown,
                    shown.clone(),
                    format!("not a column of list {}", def.number),
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
    for (c, column) in def.columns.iter().enumerate() {
        if at[c].is_some() {
            columns.push(c);
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
    let sources: Vec<(usize, usize)> = columns.iter().map(|&c| (c, at[c].unwrap_or(0))).collect();

    let mut values =
        Vec::with_capacity(sources.len() * grid.height().saturating_sub(header_row + 1));
    let mut rows_read = 0;
    for row in header_row + 1..grid.height() {
        let width = grid.width(row);
        if (0..width).all(|c| matches!(grid.cell(row, c), Cell::Empty)) {
            continue;
        }
        rows_read += 1;
        let row_number = grid.row_number(row);
        let start = values.len();
        let first_issue = issues.len();
        let mut dropped = false;
        for &(c, col) in &sources {
            let column = &def.columns[c];
            let cell = grid.cell(row, col);
            let (value, change) = clean_cell(schema, column.kind, cell);
            let missing = column.required && value == Value::Blank;
            dropped |= missing;
            let (reason, action) = match change {
                None if missing => ("a required cell is blank".into(), Action::RowDropped),
                None => {
                    values.push(value);
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
                list: def.number,
                row: row_number,
                column: column.name.clone(),
                value: cell.shown(),
                reason: reason.into_owned(),
                action,
            });
            values.push(value);
        }
        if dropped {
            values.truncate(start);
            // The row's other changes do not happen either: the row is gone.
            for i in &mut issues[first_issue..] {
                if i.action == Action::Normalised || i.action == Action::Blanked {
                    i.reason.push_str(" (the row is dropped)");
                }
            }
        }
    }
    CleanList {
        list: def.number,
        source: source.to_string(),
        rows_read,
        columns,
        values,
    }
}

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Workbook<'_>, ReadError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    let cursor = Cursor::new(bytes);
    // Recognised by content, not name: uploads and renamed files lie.
    let format = if bytes.starts_with(ZIP) {
        let head = &bytes[..bytes.len().min(512)];
        if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
            "ods"
        } else {
            "xlsx"
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
        "xls"
    } else {
        return Err(ReadError::NotASpreadsheet {
            message: "the file starts like no workbook format".into(),
        });
    };
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
