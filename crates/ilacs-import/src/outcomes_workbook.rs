//! Ofsted's published workbook "Local authority inspection outcomes as at 31 March"
//! (.ods as published; the same layout saved as .xlsx, .xlsb or .xls reads too).
//!
//! The workbook names LAs by area code (E-code), so rows are read into
//! [`PublishedActivity`] values and then [`resolve`]d against the local authorities,
//! where an unknown code is an error rather than a dropped row.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader, Sheets};
use chrono::NaiveDate;
use ilacs_domain::authority::{GssCode, LaCode, LocalAuthority};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::inspection::{Activity, ActivityKind, Judgement, Judgements};
use ilacs_domain::Grade;
use std::collections::HashMap;
use std::io::Cursor;

/// The latest inspection judgements for every current LA.
pub const LATEST_SHEET: &str = "Inspections_as_at_31_March";
/// Every inspection and visit in the year to 31 March.
pub const IN_YEAR_SHEET: &str = "In-year_inspections";
/// Every ILACS inspection since 2018.
pub const HISTORY_SHEET: &str = "ILACS_inspection_history";

/// Title and notes rows sit above the header; this many rows are searched for it.
const HEADER_SEARCH_ROWS: usize = 10;

/// The spreadsheet formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookFormat {
    Ods,
    Xlsx,
    Xlsb,
    Xls,
}

impl WorkbookFormat {
    /// Recognises a format by content, not name: uploads and renamed files lie.
    pub fn sniff(bytes: &[u8]) -> Option<WorkbookFormat> {
        const ZIP: &[u8] = b"PK\x03\x04";
        const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
        if bytes.starts_with(ZIP) {
            // ODS stores its `mimetype` entry first and uncompressed, so it is in plain
            // sight at the start; xlsx and xlsb differ in their workbook part's name.
            let head = bytes.get(..bytes.len().min(512)).unwrap_or(bytes);
            if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
                Some(WorkbookFormat::Ods)
            } else if contains(bytes, b"xl/workbook.bin") {
                Some(WorkbookFormat::Xlsb)
            } else {
                Some(WorkbookFormat::Xlsx)
            }
        } else if bytes.starts_with(OLE) {
            Some(WorkbookFormat::Xls)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WorkbookFormat::Ods => "ODS",
            WorkbookFormat::Xlsx => "xlsx",
            WorkbookFormat::Xlsb => "xlsb",
            WorkbookFormat::Xls => "xls",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One row of the workbook, before its area code is matched to an LA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedActivity {
    /// The sheet and row (1-based, as a spreadsheet shows it) it came from.
    pub sheet: &'static str,
    pub row: u32,
    pub gss_code: GssCode,
    /// The name as Ofsted publishes it ("Bristol", where the LA lookup says "Bristol, City of").
    pub la_name: String,
    /// The Ofsted region's published name.
    pub region: String,
    /// 'Local authority status' (history sheet only): false for "No longer exists".
    pub la_current: Option<bool>,
    pub kind: ActivityKind,
    pub start_date: NaiveDate,
    pub publication_date: Option<NaiveDate>,
    /// The 'Visit Theme' label as published (in-year sheet only).
    pub theme: Option<String>,
    pub judgements: Judgements,
}

impl PublishedActivity {
    /// The domain activity, for the LA this row's area code belongs to.
    pub fn to_activity(&self, la_code: LaCode) -> Activity {
        Activity {
            la_code,
            kind: self.kind,
            start_date: self.start_date,
            publication_date: self.publication_date,
            theme: self.theme.clone(),
            judgements: self.judgements.clone(),
        }
    }
}

/// The three data sheets of the workbook, each in sheet order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomesWorkbook {
    pub latest: Vec<PublishedActivity>,
    pub in_year: Vec<PublishedActivity>,
    pub history: Vec<PublishedActivity>,
}

/// The workbook's rows as domain activities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedOutcomes {
    pub latest: Vec<Activity>,
    pub in_year: Vec<Activity>,
    pub history: Vec<Activity>,
}

impl ResolvedOutcomes {
    /// Every activity once: the sheets overlap (the latest judgements and this year's
    /// inspections are also in the history), so rows are merged on LA, type and start
    /// date. A visit theme only one sheet gives is kept; any other difference between
    /// the sheets is an error rather than a silent choice.
    pub fn merged(&self) -> Result<Vec<Activity>, WorkbookError> {
        let mut merged: Vec<(Activity, &'static str)> = Vec::new();
        let mut index: HashMap<(LaCode, ActivityKind, NaiveDate), usize> = HashMap::new();
        let sheets = [
            (HISTORY_SHEET, &self.history),
            (LATEST_SHEET, &self.latest),
            (IN_YEAR_SHEET, &self.in_year),
        ];
        for (sheet, activities) in sheets {
            for a in activities.iter() {
                let key = (a.la_code.clone(), a.kind, a.start_date);
                let Some(&i) = index.get(&key) else {
                    index.insert(key, merged.len());
                    merged.push((a.clone(), sheet));
                    continue;
                };
                let (existing, first) = &mut merged[i];
                if existing.theme.is_none() {
                    existing.theme = a.theme.clone();
                }
                let same = existing.judgements == a.judgements
                    && existing.publication_date == a.publication_date
                    && (a.theme.is_none() || existing.theme == a.theme);
                if !same {
                    return Err(WorkbookError::Conflicting {
                        la_code: a.la_code.clone(),
                        kind: a.kind.key(),
                        date: a.start_date,
                        first,
                        second: sheet,
                    });
                }
            }
        }
        Ok(merged.into_iter().map(|(a, _)| a).collect())
    }
}

impl OutcomesWorkbook {
    /// Matches every row to an LA (see [`resolve`]).
    pub fn resolve(&self, las: &[LocalAuthority]) -> Result<ResolvedOutcomes, WorkbookError> {
        Ok(ResolvedOutcomes {
            latest: resolve(&self.latest, las)?,
            in_year: resolve(&self.in_year, las)?,
            history: resolve(&self.history, las)?,
        })
    }
}

/// Matches each row's area code to the LA with that current or other code. A code no
/// LA has is an error naming the row, never a dropped row.
pub fn resolve(
    activities: &[PublishedActivity],
    las: &[LocalAuthority],
) -> Result<Vec<Activity>, WorkbookError> {
    let by_code: HashMap<&GssCode, &LaCode> = las
        .iter()
        .flat_map(|la| {
            std::iter::once(&la.gss_code)
                .chain(&la.other_codes)
                .map(move |code| (code, &la.la_code))
        })
        .collect();
    activities
        .iter()
        .map(|a| match by_code.get(&a.gss_code) {
            Some(la_code) => Ok(a.to_activity((*la_code).clone())),
            None => Err(WorkbookError::UnknownAuthority {
                sheet: a.sheet,
                row: a.row,
                code: a.gss_code.clone(),
                name: a.la_name.clone(),
            }),
        })
        .collect()
}

/// What is wrong with a workbook, and where. Rows are numbered as a spreadsheet shows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookError {
    #[error("not a spreadsheet (expected an .ods, .xlsx, .xlsb or .xls workbook): {message}")]
    NotASpreadsheet { message: String },
    #[error(
        "cannot read the {format} workbook; it may be truncated, encrypted or damaged: {message}"
    )]
    Unreadable {
        format: &'static str,
        message: String,
    },
    #[error("the workbook has no sheet '{sheet}' (its sheets are: {})", .found.join(", "))]
    MissingSheet {
        sheet: &'static str,
        found: Vec<String>,
    },
    #[error("{sheet}: cannot read the sheet: {message}")]
    SheetUnreadable {
        sheet: &'static str,
        message: String,
    },
    #[error("{sheet}: no header row in the first {searched} rows (looked for a row naming columns such as 'Local authority area code' and 'Overall effectiveness')")]
    HeaderNotFound {
        sheet: &'static str,
        searched: usize,
    },
    #[error("{sheet}, row {row}: the header has no column {column}")]
    MissingColumn {
        sheet: &'static str,
        row: u32,
        /// The accepted header names, quoted.
        column: String,
    },
    #[error("{sheet}, row {row}, column '{column}': {problem}")]
    Cell {
        sheet: &'static str,
        row: u32,
        /// The column's header as it appears in the sheet.
        column: String,
        value: String,
        problem: String,
    },
    #[error(
        "{sheet}, row {row}: no inspection of {code} on {date} in {} to give its type",
        HISTORY_SHEET
    )]
    NoMatchingHistory {
        sheet: &'static str,
        row: u32,
        code: GssCode,
        date: NaiveDate,
    },
    #[error("{la_code}'s {kind} starting {date} differs between the sheets {first} and {second}")]
    Conflicting {
        la_code: LaCode,
        kind: &'static str,
        date: NaiveDate,
        first: &'static str,
        second: &'static str,
    },
    #[error("{sheet}, row {row}: area code {code} ({name}) matches no local authority")]
    UnknownAuthority {
        sheet: &'static str,
        row: u32,
        code: GssCode,
        name: String,
    },
}

/// Reads the three data sheets of Ofsted's outcomes workbook from its bytes.
pub fn read_outcomes_workbook(bytes: &[u8]) -> Result<OutcomesWorkbook, WorkbookError> {
    let mut sheets = open(bytes)?;
    let catalogue = Catalogue::bundled();

    let history = read_sheet(&mut sheets, &HISTORY, &catalogue)?;
    let in_year = read_sheet(&mut sheets, &IN_YEAR, &catalogue)?;
    let mut latest = read_sheet(&mut sheets, &LATEST, &catalogue)?;

    // The latest sheet has no type column: the inspection it shows is in the history.
    let kinds: HashMap<(&GssCode, NaiveDate), ActivityKind> = history
        .iter()
        .map(|a| ((&a.gss_code, a.start_date), a.kind))
        .collect();
    for row in &mut latest {
        row.kind = *kinds.get(&(&row.gss_code, row.start_date)).ok_or_else(|| {
            WorkbookError::NoMatchingHistory {
                sheet: row.sheet,
                row: row.row,
                code: row.gss_code.clone(),
                date: row.start_date,
            }
        })?;
    }

    Ok(OutcomesWorkbook {
        latest,
        in_year,
        history,
    })
}

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Workbook<'_>, WorkbookError> {
    let cursor = Cursor::new(bytes);
    let Some(format) = WorkbookFormat::sniff(bytes) else {
        // calamine knows no formats the sniffing does not, but its answer is the
        // authoritative one.
        return calamine::open_workbook_auto_from_rs(cursor).map_err(|e| {
            WorkbookError::NotASpreadsheet {
                message: e.to_string(),
            }
        });
    };
    // A password-protected xlsx is an OLE container holding an `EncryptedPackage`
    // stream (named in UTF-16); calamine would only say the xls is odd.
    if format == WorkbookFormat::Xls && contains(bytes, &utf16le("EncryptedPackage")) {
        return Err(WorkbookError::Unreadable {
            format: "xlsx",
            message: "the file is encrypted (password-protected)".into(),
        });
    }
    let opened = guarded(move || match format {
        WorkbookFormat::Ods => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Ods)
            .map_err(|e: calamine::OdsError| e.to_string()),
        WorkbookFormat::Xlsx => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e: calamine::XlsxError| e.to_string()),
        WorkbookFormat::Xlsb => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Xlsb)
            .map_err(|e: calamine::XlsbError| e.to_string()),
        WorkbookFormat::Xls => calamine::open_workbook_from_rs(cursor)
            .map(Sheets::Xls)
            .map_err(|e: calamine::XlsError| e.to_string()),
    });
    opened.map_err(|message| WorkbookError::Unreadable {
        format: format.name(),
        message,
    })
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

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A column the reader knows, by what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    Name,
    Region,
    Status,
    Date,
    Publication,
    Type,
    Grade(Judgement),
    Theme,
}

impl Field {
    /// The headers Ofsted has used for it; sheets differ ("Region", "Ofsted region").
    fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["Local authority area code"],
            Field::Name => &["Local authority name"],
            Field::Region => &["Ofsted region", "Region"],
            Field::Status => &["Local authority status"],
            Field::Date => &["Inspection date", "Inspection/Visit date"],
            Field::Publication => &["Publication date"],
            Field::Type => &["Inspection type", "Inspection/Visit type"],
            Field::Grade(Judgement::OverallEffectiveness) => &["Overall effectiveness"],
            Field::Grade(Judgement::ImpactOfLeaders) => {
                &["The impact of leaders on social work practice with children and families"]
            }
            Field::Grade(Judgement::HelpAndProtection) => {
                &["The experiences and progress of children who need help and protection"]
            }
            Field::Grade(Judgement::ChildrenInCare) => {
                &["The experiences and progress of children in care"]
            }
            Field::Grade(Judgement::CareLeavers) => {
                &["The experiences and progress of care leavers"]
            }
            Field::Theme => &["Visit Theme"],
        }
    }

    fn matches(self, header: &str) -> bool {
        let header = normalise(header);
        self.headers().iter().any(|h| normalise(h) == header)
    }

    fn describe(self) -> String {
        self.headers()
            .iter()
            .map(|h| format!("'{h}'"))
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Headers compare ignoring case and runs of white space (line breaks in wrapped cells).
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

const GRADES: [Field; 5] = [
    Field::Grade(Judgement::OverallEffectiveness),
    Field::Grade(Judgement::ImpactOfLeaders),
    Field::Grade(Judgement::HelpAndProtection),
    Field::Grade(Judgement::ChildrenInCare),
    Field::Grade(Judgement::CareLeavers),
];

struct SheetSpec {
    name: &'static str,
    fields: &'static [Field],
}

const LATEST: SheetSpec = SheetSpec {
    name: LATEST_SHEET,
    fields: &[
        Field::Code,
        Field::Name,
        Field::Region,
        Field::Date,
        Field::Publication,
        GRADES[0],
        GRADES[1],
        GRADES[2],
        GRADES[3],
        GRADES[4],
    ],
};

const IN_YEAR: SheetSpec = SheetSpec {
    name: IN_YEAR_SHEET,
    fields: &[
        Field::Code,
        Field::Name,
        Field::Region,
        Field::Date,
        Field::Publication,
        Field::Type,
        GRADES[0],
        GRADES[1],
        GRADES[2],
        GRADES[3],
        GRADES[4],
        Field::Theme,
    ],
};

const HISTORY: SheetSpec = SheetSpec {
    name: HISTORY_SHEET,
    fields: &[
        Field::Code,
        Field::Name,
        Field::Status,
        Field::Region,
        Field::Date,
        Field::Publication,
        Field::Type,
        GRADES[0],
        GRADES[1],
        GRADES[2],
        GRADES[3],
        GRADES[4],
    ],
};

fn find_sheet(
    sheets: &mut Workbook<'_>,
    wanted: &'static str,
) -> Result<Range<Data>, WorkbookError> {
    let names = sheets.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == wanted)
        .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)))
        .cloned()
        .ok_or_else(|| WorkbookError::MissingSheet {
            sheet: wanted,
            found: names.clone(),
        })?;
    guarded(|| sheets.worksheet_range(&name).map_err(|e| e.to_string())).map_err(|message| {
        WorkbookError::SheetUnreadable {
            sheet: wanted,
            message,
        }
    })
}

/// A found column: what it holds, where, and its header as the sheet spells it.
struct Column {
    field: Field,
    index: usize,
    header: String,
}

fn read_sheet(
    sheets: &mut Workbook<'_>,
    spec: &SheetSpec,
    catalogue: &Catalogue,
) -> Result<Vec<PublishedActivity>, WorkbookError> {
    let range = find_sheet(sheets, spec.name)?;
    // Rows of the range count from its first used cell, not from row 1.
    let first_row = range.start().map_or(0, |(row, _)| row);
    let sheet_row = |index: usize| {
        first_row
            .saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
            .saturating_add(1)
    };

    // The header is the row among the first few naming most known columns.
    let mut best: Option<(usize, usize)> = None;
    for (index, row) in range.rows().take(HEADER_SEARCH_ROWS).enumerate() {
        let hits = row
            .iter()
            .filter(|cell| {
                let text = cell_text(cell);
                spec.fields.iter().any(|f| f.matches(&text))
            })
            .count();
        if hits > best.map_or(0, |(_, h)| h) {
            best = Some((index, hits));
        }
    }
    let (header_index, header) = match best {
        Some((index, hits)) if hits >= 2 => (index, range.rows().nth(index).unwrap_or(&[])),
        _ => {
            return Err(WorkbookError::HeaderNotFound {
                sheet: spec.name,
                searched: HEADER_SEARCH_ROWS,
            })
        }
    };
    let mut columns = Vec::new();
    for &field in spec.fields {
        let found = header
            .iter()
            .enumerate()
            .find(|(_, cell)| field.matches(&cell_text(cell)));
        let Some((index, cell)) = found else {
            return Err(WorkbookError::MissingColumn {
                sheet: spec.name,
                row: sheet_row(header_index),
                column: field.describe(),
            });
        };
        columns.push(Column {
            field,
            index,
            header: cell_text(cell),
        });
    }

    let mut out = Vec::new();
    for (index, cells) in range.rows().enumerate().skip(header_index + 1) {
        if cells.iter().all(|c| cell_text(c).is_empty()) {
            continue;
        }
        let row = RowReader {
            sheet: spec.name,
            row: sheet_row(index),
            cells,
            columns: &columns,
        };
        out.push(row.read(catalogue)?);
    }
    Ok(out)
}

struct RowReader<'a> {
    sheet: &'static str,
    row: u32,
    cells: &'a [Data],
    columns: &'a [Column],
}

impl RowReader<'_> {
    /// The cell and its column's header; `None` where the sheet has no such column.
    fn cell(&self, field: Field) -> Option<(&Data, &str)> {
        let column = self.columns.iter().find(|c| c.field == field)?;
        let cell = self.cells.get(column.index).unwrap_or(&Data::Empty);
        Some((cell, column.header.as_str()))
    }

    fn error(&self, field: Field, value: &str, problem: impl Into<String>) -> WorkbookError {
        let column = self
            .cell(field)
            .map_or_else(|| field.describe(), |(_, header)| header.to_string());
        WorkbookError::Cell {
            sheet: self.sheet,
            row: self.row,
            column,
            value: value.to_string(),
            problem: problem.into(),
        }
    }

    /// The cell's text, trimmed; blank where the sheet lacks the column.
    fn text(&self, field: Field) -> Result<String, WorkbookError> {
        match self.cell(field) {
            None => Ok(String::new()),
            Some((Data::Error(e), _)) => {
                let value = e.to_string();
                Err(self.error(
                    field,
                    &value,
                    format!("the cell holds the spreadsheet error {value}"),
                ))
            }
            Some((cell, _)) => Ok(cell_text(cell)),
        }
    }

    fn required(&self, field: Field) -> Result<String, WorkbookError> {
        let text = self.text(field)?;
        if text.is_empty() {
            Err(self.error(field, "", "must not be blank"))
        } else {
            Ok(text)
        }
    }

    fn date(&self, field: Field) -> Result<Option<NaiveDate>, WorkbookError> {
        let Some((cell, _)) = self.cell(field) else {
            return Ok(None);
        };
        cell_date(cell).map_err(|problem| self.error(field, &cell_text(cell), problem))
    }

    fn read(&self, catalogue: &Catalogue) -> Result<PublishedActivity, WorkbookError> {
        let code = self.required(Field::Code)?;
        let gss_code =
            GssCode::parse(&code).map_err(|e| self.error(Field::Code, &code, e.to_string()))?;
        let la_name = self.required(Field::Name)?;
        let region = self.required(Field::Region)?;

        let la_current = match self.cell(Field::Status) {
            None => None,
            Some(_) => {
                let status = self.text(Field::Status)?;
                match normalise(&status).as_str() {
                    "current" => Some(true),
                    "no longer exists" => Some(false),
                    _ => {
                        return Err(self.error(
                            Field::Status,
                            &status,
                            format!(
                                "'{status}' is not a status: expected Current or No longer exists"
                            ),
                        ))
                    }
                }
            }
        };

        let start_date = self
            .date(Field::Date)?
            .ok_or_else(|| self.error(Field::Date, "", "must not be blank"))?;
        let publication_date = self.date(Field::Publication)?;

        // Without a type column (the latest sheet) the kind is settled from the history.
        let kind = match self.cell(Field::Type) {
            None => ActivityKind::StandardInspection,
            Some(_) => {
                let label = self.text(Field::Type)?;
                ActivityKind::from_published_label(&label).ok_or_else(|| {
                    self.error(
                        Field::Type,
                        &label,
                        format!("'{label}' is not an activity type Ofsted publishes (such as 'ILACS Short Inspection' or 'LA Monitoring visit')"),
                    )
                })?
            }
        };

        let mut judgements = Judgements::new();
        for field in GRADES {
            let Field::Grade(judgement) = field else {
                continue;
            };
            let text = self.text(field)?;
            let grade = Grade::parse_optional(&text)
                .map_err(|e| self.error(field, &text, e.to_string()))?;
            if let Some(grade) = grade {
                judgements.set(judgement, grade);
            }
        }

        let theme = match self.text(Field::Theme)? {
            label if label.is_empty() => None,
            label => {
                if catalogue.theme_for_label(&label).is_none() {
                    return Err(self.error(
                        Field::Theme,
                        &label,
                        format!("'{label}' is not a visit theme the framework catalogue knows"),
                    ));
                }
                Some(label)
            }
        };

        Ok(PublishedActivity {
            sheet: self.sheet,
            row: self.row,
            gss_code,
            la_name,
            region,
            la_current,
            kind,
            start_date,
            publication_date,
            theme,
            judgements,
        })
    }
}

/// A cell as text, trimmed, with whole numbers shown without a decimal point.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// A date from a date cell, an Excel serial number, or text (dd/mm/yyyy or yyyy-mm-dd).
/// Blank is `None`; the error is the problem, for the caller to place.
fn cell_date(cell: &Data) -> Result<Option<NaiveDate>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::DateTime(dt) if dt.is_datetime() => serial_date(dt).map(Some),
        Data::Float(f) => {
            serial_date(&ExcelDateTime::new(*f, ExcelDateTimeType::DateTime, false)).map(Some)
        }
        Data::Int(i) => {
            // Serials are small; anything beyond f64's exact range is not a date anyway.
            let value = i32::try_from(*i).map_or(f64::NAN, f64::from);
            serial_date(&ExcelDateTime::new(
                value,
                ExcelDateTimeType::DateTime,
                false,
            ))
            .map(Some)
        }
        Data::String(s) | Data::DateTimeIso(s) => text_date(s),
        other => Err(format!("'{}' is not a date", cell_text(other))),
    }
}

/// Excel's last date, 9999-12-31, as a serial number.
const MAX_SERIAL: f64 = 2_958_465.0;

fn serial_date(dt: &ExcelDateTime) -> Result<NaiveDate, String> {
    let value = dt.as_f64();
    // calamine's conversion overflows on values outside Excel's range, so check first.
    if !(1.0..MAX_SERIAL + 1.0).contains(&value) {
        return Err(format!(
            "{value} is not a date serial number Excel can show"
        ));
    }
    let (year, month, day, ..) = dt.to_ymd_hms_milli();
    // Excel's phantom 1900-02-29 has no NaiveDate and lands here.
    NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day)).ok_or_else(|| {
        format!("{value} is not a real date (Excel shows {year}-{month:02}-{day:02})")
    })
}

fn text_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // ISO date-times (ODS stores dates as 2023-07-10T00:00:00): the date part decides.
    let date_part = match text.get(..10) {
        Some(head) if text[10..].starts_with(['T', ' ']) => head,
        _ => text,
    };
    ["%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(date_part, format).ok())
        .map(Some)
        .ok_or_else(|| {
            format!("'{text}' is not a date: expected a date cell, dd/mm/yyyy or yyyy-mm-dd")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_come_from_cells_serials_and_text() {
        assert_eq!(cell_date(&Data::Empty), Ok(None));
        assert_eq!(
            cell_date(&Data::DateTimeIso("2023-07-10T00:00:00".into())),
            Ok(Some(d(2023, 7, 10)))
        );
        assert_eq!(
            cell_date(&Data::String(" 10/07/2023 ".into())),
            Ok(Some(d(2023, 7, 10)))
        );
        assert_eq!(
            cell_date(&Data::String("2023-07-10".into())),
            Ok(Some(d(2023, 7, 10)))
        );
        assert_eq!(cell_date(&Data::Float(45117.0)), Ok(Some(d(2023, 7, 10))));
        assert_eq!(cell_date(&Data::Int(45117)), Ok(Some(d(2023, 7, 10))));
        assert_eq!(
            cell_date(&Data::DateTime(ExcelDateTime::new(
                45117.25,
                ExcelDateTimeType::DateTime,
                false
            ))),
            Ok(Some(d(2023, 7, 10)))
        );
        for bad in [
            Data::Float(f64::NAN),
            Data::Float(f64::INFINITY),
            Data::Float(-3.0),
            Data::Float(1e300),
            Data::Int(i64::MAX),
            Data::Int(60), // 1900-02-29, which never was
            Data::String("10/13/2023".into()),
            Data::String("2023-07-1ΩΩ".into()),
            Data::String("soon".into()),
            Data::Bool(true),
        ] {
            assert!(cell_date(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn headers_match_loosely() {
        assert!(Field::Region.matches("  ofsted\nREGION "));
        assert!(Field::Region.matches("Region"));
        assert!(!Field::Region.matches("Regions"));
        assert!(Field::Grade(Judgement::CareLeavers)
            .matches("The experiences and  progress of care leavers"));
    }

    #[test]
    fn sniffing_is_by_content() {
        assert_eq!(WorkbookFormat::sniff(b""), None);
        assert_eq!(WorkbookFormat::sniff(b"la_code,name\n"), None);
        assert_eq!(
            WorkbookFormat::sniff(b"PK\x03\x04rest"),
            Some(WorkbookFormat::Xlsx)
        );
        assert_eq!(
            WorkbookFormat::sniff(
                b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
            ),
            Some(WorkbookFormat::Ods)
        );
    }
}
