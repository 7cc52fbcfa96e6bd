//! Writing the linked generator's lists: clean values made dirty at the caller's share
//! (every piece recorded), then written as xlsx sheets or CSV files.

use super::rng::SplitMix64;
use super::Injected;
use crate::cells::excel_serial;
use crate::read::Action;
use crate::schema::{ColumnType, ListDef, Schema};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::borrow::Cow;
use std::io::Write;

/// Why a generated workbook or CSV could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("cannot write {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// A clean value, in its list column's type.
#[derive(Debug, Clone)]
pub(crate) enum V<'a> {
    Blank,
    Id(u64),
    Text(&'a str),
    Date(NaiveDate),
    Int(u32),
    Code(u16),
}

impl<'a> V<'a> {
    pub(crate) fn date(d: Option<NaiveDate>) -> V<'a> {
        d.map_or(V::Blank, V::Date)
    }

    pub(crate) fn code(c: Option<u16>) -> V<'a> {
        c.map_or(V::Blank, V::Code)
    }
}

/// A cell as written.
#[derive(Debug, Clone)]
pub(crate) enum Out<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    Date(NaiveDate),
}

/// Where the lists go: sheets of one workbook, or one CSV per list.
pub(crate) trait Sink {
    /// A sheet that is no list (a cover), for workbooks only.
    fn cover(&mut self, _lines: &[String]) -> Result<(), GenerateError> {
        Ok(())
    }
    fn begin(&mut self, def: &ListDef) -> Result<(), GenerateError>;
    fn row(&mut self, cells: &[Out<'_>]) -> Result<(), GenerateError>;
    fn end(&mut self) -> Result<(), GenerateError>;
}

/// One list being written: its columns in the file's order, its dirt, its rows.
pub(crate) struct ListOut<'s> {
    schema: &'static Schema,
    def: &'s ListDef,
    /// File column → list column.
    order: Vec<usize>,
    dirt: f64,
    rng: SplitMix64,
    /// The spreadsheet row (or CSV line) the next data row is on.
    next_row: u32,
    pub(crate) rows: usize,
    injected: &'s mut Vec<(u8, u32, u16, Action)>,
    sink: &'s mut dyn Sink,
}

impl<'s> ListOut<'s> {
    /// Starts a list: a title line above the header now and then, the header with
    /// variant and upper-case spellings, the columns sometimes in another order.
    pub(crate) fn begin(
        def: &'s ListDef,
        seed: u64,
        dirt: f64,
        injected: &'s mut Vec<(u8, u32, u16, Action)>,
        sink: &'s mut dyn Sink,
        title: &str,
    ) -> Result<ListOut<'s>, GenerateError> {
        let mut rng = SplitMix64::derive(seed, &format!("dirt {}", def.number));
        let mut order: Vec<usize> = (0..def.columns.len()).collect();
        // Neither is an issue (the reader finds headers by name, up to ten rows down),
        // but both are what real exports do.
        let layout = (dirt * 10.0).min(0.5);
        if rng.chance(layout) {
            rng.shuffle(&mut order);
        }
        sink.begin(def)?;
        let mut header_row = 1;
        if rng.chance(layout) {
            sink.row(&[Out::Text(Cow::Owned(title.to_string()))])?;
            header_row = 2;
        }
        let mut header = Vec::with_capacity(order.len());
        for &c in &order {
            let column = &def.columns[c];
            let upper = column.name.to_uppercase();
            let text = if !column.variants.is_empty() && rng.chance(dirt) {
                injected.push((def.number, header_row, c as u16, Action::Normalised));
                column.variants[rng.below(column.variants.len())].clone()
            } else if upper != column.name && rng.chance(dirt / 4.0) {
                injected.push((def.number, header_row, c as u16, Action::Normalised));
                upper
            } else {
                column.name.clone()
            };
            header.push(Out::Text(Cow::Owned(text)));
        }
        sink.row(&header)?;
        Ok(ListOut {
            schema: Schema::bundled(),
            def,
            order,
            dirt,
            rng,
            next_row: header_row + 1,
            rows: 0,
            injected,
            sink,
        })
    }

    /// Writes one row, given its clean values in the list's column order.
    pub(crate) fn row(&mut self, values: &[V<'_>]) -> Result<(), GenerateError> {
        let row = self.next_row;
        self.next_row += 1;
        self.rows += 1;
        let first_injected = self.injected.len();
        let mut cells: Vec<Out<'_>> = Vec::with_capacity(self.order.len());
        for i in 0..self.order.len() {
            let c = self.order[i];
            let (out, action) = self.cell(c, &values[c]);
            if let Some(action) = action {
                self.injected.push((self.def.number, row, c as u16, action));
            }
            cells.push(out);
        }
        // A row with every cell empty is no row to a reader: keep one value clean.
        if cells.iter().all(|c| matches!(c, Out::Empty)) {
            if let Some(x) =
                (0..self.order.len()).find(|&x| !matches!(values[self.order[x]], V::Blank))
            {
                let c = self.order[x];
                cells[x] = self.clean(c, &values[c]);
                let at = self.injected[first_injected..]
                    .iter()
                    .position(|i| i.2 == c as u16)
                    .map(|p| first_injected + p);
                if let Some(at) = at {
                    self.injected.remove(at);
                }
            }
        }
        self.sink.row(&cells)
    }

    pub(crate) fn end(self) -> Result<usize, GenerateError> {
        self.sink.end()?;
        Ok(self.rows)
    }

    /// One cell, clean or (with the dirt share's probability) dirty, and what reading
    /// should do about it.
    fn cell<'v>(&mut self, c: usize, value: &'v V<'_>) -> (Out<'v>, Option<Action>) {
        if !self.rng.chance(self.dirt) {
            return (self.clean(c, value), None);
        }
        let column = &self.def.columns[c];
        let or_dropped = |action| {
            if column.required {
                Action::RowDropped
            } else {
                action
            }
        };
        let na = (
            Out::Text(Cow::Borrowed("#N/A")),
            Some(or_dropped(Action::Blanked)),
        );
        // A third of dirty cells are missing (blank, or a placeholder such as #N/A);
        // the rest are written another way, as most of real returns' dirt is.
        if self.rng.below(3) == 0 {
            return if column.required && self.rng.chance(0.5) {
                (Out::Empty, Some(Action::RowDropped))
            } else {
                na
            };
        }
        let spaced = |t: &str| Out::Text(Cow::Owned(format!(" {t} ")));
        let normalised = Some(Action::Normalised);
        match (column.kind, value) {
            (_, V::Blank) => na,
            (_, V::Id(n)) => (spaced(&n.to_string()), normalised),
            (_, V::Text(t)) => (spaced(t), normalised),
            (_, V::Int(n)) => (Out::Text(Cow::Owned(format!("{n}.0"))), normalised),
            (_, V::Date(d)) => match self.rng.below(4) {
                0 => {
                    // A date no calendar has.
                    let month = [2, 4, 6, 9, 11][self.rng.below(5)];
                    (
                        Out::Text(Cow::Owned(format!("31/{month:02}/{}", d.year()))),
                        Some(or_dropped(Action::Blanked)),
                    )
                }
                1 => (
                    Out::Text(Cow::Owned(d.format("%Y-%m-%d").to_string())),
                    normalised,
                ),
                2 => (
                    Out::Text(Cow::Owned(d.format("%d-%b-%Y").to_string())),
                    normalised,
                ),
                _ => (
                    Out::Text(Cow::Owned(d.format("%d.%m.%Y").to_string())),
                    normalised,
                ),
            },
            (ColumnType::Code(set), V::Code(i)) => {
                let canonical = &self.schema.code_sets[set].values[usize::from(*i)];
                (
                    Out::Text(Cow::Owned(other_spelling(canonical, &mut self.rng))),
                    normalised,
                )
            }
            (_, V::Code(_)) => (self.clean(c, value), None),
        }
    }

    /// A value as written clean: IDs and counts as numbers, dates as dates, codes in
    /// their canonical spelling.
    fn clean<'v>(&self, c: usize, value: &'v V<'_>) -> Out<'v> {
        match value {
            V::Blank => Out::Empty,
            V::Id(n) => Out::Number(*n as f64),
            V::Text(t) => Out::Text(Cow::Borrowed(t)),
            V::Date(d) => Out::Date(*d),
            V::Int(n) => Out::Number(f64::from(*n)),
            V::Code(i) => match self.def.columns[c].kind {
                ColumnType::Code(set) => Out::Text(Cow::Borrowed(
                    self.schema.code_sets[set].values[usize::from(*i)].as_str(),
                )),
                _ => Out::Empty,
            },
        }
    }
}

/// A spelling of a code an export might use instead of the canonical one: the label
/// alone, the bare letter, or the code in other case with spaces around it.
pub(crate) fn other_spelling(canonical: &str, rng: &mut SplitMix64) -> String {
    match (canonical.split_once(") "), rng.below(3)) {
        (Some((_, label)), 0) => label.to_string(),
        (Some((prefix, _)), 1) => prefix.to_uppercase(),
        _ => format!(" {} ", canonical.to_lowercase()),
    }
}

/// The lists as sheets of one workbook.
pub(crate) struct XlsxSink {
    pub(crate) workbook: Workbook,
    sheet: usize,
    sheets: usize,
    row: u32,
    date: Format,
}

impl XlsxSink {
    /// A workbook dated `created` (not today: the same arguments give the same bytes).
    pub(crate) fn new(created: NaiveDate) -> XlsxSink {
        let mut workbook = Workbook::new();
        if let Ok(date) = rust_xlsxwriter::ExcelDateTime::from_ymd(
            created.year().clamp(1900, 9999) as u16,
            created.month() as u8,
            created.day() as u8,
        ) {
            workbook.set_properties(
                &rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date),
            );
        }
        XlsxSink {
            workbook,
            sheet: 0,
            sheets: 0,
            row: 0,
            date: Format::new().set_num_format("dd/mm/yyyy"),
        }
    }
}

impl Sink for XlsxSink {
    fn cover(&mut self, lines: &[String]) -> Result<(), GenerateError> {
        let sheet = self.workbook.add_worksheet_with_constant_memory();
        sheet.set_name("Cover")?;
        for (r, line) in lines.iter().enumerate() {
            sheet.write_string(r as u32, 0, line)?;
        }
        self.sheets += 1;
        Ok(())
    }

    fn begin(&mut self, def: &ListDef) -> Result<(), GenerateError> {
        // Rows are written in order, so each goes to disk once complete.
        let sheet = self.workbook.add_worksheet_with_constant_memory();
        sheet.set_name(&def.sheet)?;
        self.sheet = self.sheets;
        self.sheets += 1;
        self.row = 0;
        Ok(())
    }

    fn row(&mut self, cells: &[Out<'_>]) -> Result<(), GenerateError> {
        let sheet = self.workbook.worksheet_from_index(self.sheet)?;
        let r = self.row;
        for (x, cell) in cells.iter().enumerate() {
            let col = x as u16;
            match cell {
                Out::Empty => {}
                Out::Text(t) => {
                    sheet.write_string(r, col, t.as_ref())?;
                }
                Out::Number(n) => {
                    sheet.write_number(r, col, *n)?;
                }
                Out::Date(d) => {
                    sheet.write_number_with_format(r, col, excel_serial(*d), &self.date)?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    fn end(&mut self) -> Result<(), GenerateError> {
        Ok(())
    }
}

/// The lists as one CSV each, to writers the caller opens one at a time.
pub(crate) struct CsvSink<W: Write, F: FnMut(&ListDef) -> std::io::Result<W>> {
    open: F,
    writer: Option<(String, csv::Writer<W>)>,
    text: String,
}

impl<W: Write, F: FnMut(&ListDef) -> std::io::Result<W>> CsvSink<W, F> {
    pub(crate) fn new(open: F) -> Self {
        CsvSink {
            open,
            writer: None,
            text: String::new(),
        }
    }
}

fn io_error(file: &str, e: impl Into<std::io::Error>) -> GenerateError {
    GenerateError::Io {
        file: file.to_string(),
        source: e.into(),
    }
}

impl<W: Write, F: FnMut(&ListDef) -> std::io::Result<W>> Sink for CsvSink<W, F> {
    fn begin(&mut self, def: &ListDef) -> Result<(), GenerateError> {
        let name = super::csv_file_name(def);
        let w = (self.open)(def).map_err(|e| io_error(&name, e))?;
        let writer = csv::WriterBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_writer(w);
        self.writer = Some((name, writer));
        Ok(())
    }

    fn row(&mut self, cells: &[Out<'_>]) -> Result<(), GenerateError> {
        let Some((name, writer)) = self.writer.as_mut() else {
            return Ok(());
        };
        for cell in cells {
            let result = match cell {
                Out::Empty => writer.write_field(""),
                Out::Text(t) => writer.write_field(t.as_bytes()),
                Out::Number(n) => {
                    self.text.clear();
                    if n.fract() == 0.0 && n.abs() < 1e15 {
                        push_int(&mut self.text, *n as i64);
                    } else {
                        self.text.push_str(&n.to_string());
                    }
                    writer.write_field(self.text.as_bytes())
                }
                Out::Date(d) => {
                    let mut b = *b"00/00/0000";
                    let (day, month, year) = (d.day(), d.month(), d.year().clamp(0, 9999) as u32);
                    b[0] += (day / 10) as u8;
                    b[1] += (day % 10) as u8;
                    b[3] += (month / 10) as u8;
                    b[4] += (month % 10) as u8;
                    b[6] += (year / 1000) as u8;
                    b[7] += (year / 100 % 10) as u8;
                    b[8] += (year / 10 % 10) as u8;
                    b[9] += (year % 10) as u8;
                    writer.write_field(b)
                }
            };
            result.map_err(|e| io_error(name, e))?;
        }
        writer
            .write_record(None::<&[u8]>)
            .map_err(|e| io_error(name, e))
    }

    fn end(&mut self) -> Result<(), GenerateError> {
        if let Some((name, mut writer)) = self.writer.take() {
            writer.flush().map_err(|e| io_error(&name, e))?;
        }
        Ok(())
    }
}

fn push_int(out: &mut String, n: i64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{n}");
}

/// The compact injected records as [`Injected`], sorted.
pub(crate) fn named(schema: &Schema, raw: Vec<(u8, u32, u16, Action)>) -> Vec<Injected> {
    let mut out: Vec<Injected> = raw
        .into_iter()
        .map(|(list, row, c, action)| Injected {
            list,
            row,
            column: schema
                .list(list)
                .map(|d| d.columns[usize::from(c)].name.clone())
                .unwrap_or_default(),
            action,
        })
        .collect();
    out.sort();
    out
}
