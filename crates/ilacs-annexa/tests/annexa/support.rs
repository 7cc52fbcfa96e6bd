//! Small workbooks and CSVs built in the test, cell by cell.

use ilacs_annexa::{Action, AnnexA, Issue};
use rust_xlsxwriter::{Format, Workbook};

/// A cell to write.
#[derive(Debug, Clone)]
pub enum C {
    S(&'static str),
    N(f64),
    /// A date cell: the Excel serial, date-formatted.
    D(f64),
    Empty,
}

pub use C::{Empty, D, N, S};

/// An xlsx with the given sheets: a name and rows of cells (the header row first).
pub fn xlsx(sheets: &[(&str, Vec<Vec<C>>)]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    S(s) => {
                        sheet.write_string(r, c, *s).unwrap();
                    }
                    N(n) => {
                        sheet.write_number(r, c, *n).unwrap();
                    }
                    D(n) => {
                        sheet.write_number_with_format(r, c, *n, &date).unwrap();
                    }
                    Empty => {}
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// List 1's published headers.
pub const CONTACT_HEADERS: [&str; 7] = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
];

pub fn header(names: &[&'static str]) -> Vec<C> {
    names.iter().map(|n| S(n)).collect()
}

/// A clean List 1 row: child `id`, born 31/01/2020 (a date cell), contacted 01/03/2024.
pub fn contact(id: &'static str) -> Vec<C> {
    vec![
        S(id),
        S("a) Male"),
        S("a) WBRI"),
        D(43861.0),
        N(4.0),
        S("01/03/2024"),
        S("1A"),
    ]
}

/// Issues without their reasons, for comparing.
pub fn found(annex: &AnnexA) -> Vec<(u8, u32, String, String, Action)> {
    annex
        .issues
        .iter()
        .map(|i: &Issue| (i.list, i.row, i.column.clone(), i.value.clone(), i.action))
        .collect()
}

pub fn issue(
    list: u8,
    row: u32,
    column: &str,
    value: &str,
    action: Action,
) -> (u8, u32, String, String, Action) {
    (list, row, column.to_string(), value.to_string(), action)
}
