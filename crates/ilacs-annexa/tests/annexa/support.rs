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

/// A minimal OpenDocument spreadsheet with one sheet. `D` cells are written as ODS
/// date cells (`office:date-value`); `encrypted` marks the manifest as a
/// password-protected file's is.
pub fn ods(sheet: &str, rows: &[Vec<C>], encrypted: bool) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in row {
            match cell {
                S(s) => body.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
                )),
                N(n) => body.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                )),
                D(serial) => {
                    let date = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                        + chrono::Days::new(*serial as u64);
                    body.push_str(&format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{date}"><text:p>{date}</text:p></table:table-cell>"#
                    ))
                }
                Empty => body.push_str("<table:table-cell/>"),
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let encryption = if encrypted {
        r#"<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>"#
    } else {
        ""
    };
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}</manifest:file-entry></manifest:manifest>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    for (name, text) in [
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content),
    ] {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
