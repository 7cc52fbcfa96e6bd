//! Tables as XLSX workbooks, the format LAs and Ofsted pass lists in: a title row,
//! a bold frozen header, real dates (shown dd/mm/yyyy) and numbers, and an autofilter.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map(Into::into).unwrap_or(Cell::Empty)
    }
}

/// A sheet's content: a title above the table, the headers, the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet_name: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, thiserror::Error)]
#[error("could not write the spreadsheet: {0}")]
pub struct SpreadsheetError(#[from] XlsxError);

/// Writes the tables as one workbook, a sheet each.
pub fn table_xlsx(tables: &[Table]) -> Result<Vec<u8>, SpreadsheetError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let title_format = Format::new().set_bold().set_font_size(14);
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.sheet_name)?;
        sheet.write_string_with_format(0, 0, &table.title, &title_format)?;
        let header_row = 2;
        for (c, header) in table.headers.iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(header_row, c, header, &bold)?;
            sheet.set_column_width(c, (header.chars().count().clamp(10, 40) + 2) as f64)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = header_row + 1 + r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n)?;
                    }
                    Cell::Date(d) => {
                        let date = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(r, c, &date, &date_format)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        if !table.headers.is_empty() {
            let last_row = header_row + table.rows.len() as u32;
            sheet.autofilter(header_row, 0, last_row, table.headers.len() as u16 - 1)?;
            sheet.set_freeze_panes(header_row + 1, 0)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn writes_a_workbook_that_reads_back() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let bytes = table_xlsx(&[Table {
            sheet_name: "Audits".into(),
            title: "Case audits, Devon".into(),
            headers: vec!["Date".into(), "Child".into(), "Score".into()],
            rows: vec![
                vec![d.into(), "C123".into(), Cell::Number(7.0)],
                vec![Cell::Empty, "C124".into(), Cell::Empty],
            ],
        }])
        .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Audits").unwrap();
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Case audits, Devon".into()))
        );
        assert_eq!(range.get_value((2, 1)), Some(&Data::String("Child".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::String("C123".into())));
        assert_eq!(range.get_value((3, 2)), Some(&Data::Float(7.0)));
        match range.get_value((3, 0)) {
            Some(Data::DateTime(dt)) => {
                assert_eq!(dt.as_f64(), 46349.0, "23/11/2026 as an Excel serial")
            }
            other => panic!("expected a date cell, got {other:?}"),
        }
    }
}
