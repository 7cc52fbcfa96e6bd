//! The clean workbook in the canonical layout: one sheet per list in list order,
//! canonical headers, canonical codes, dates as date cells.

use crate::cells::{excel_serial, Value};
use crate::read::AnnexA;
use crate::schema::Schema;
use rust_xlsxwriter::{Format, Workbook};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the clean workbook: {0}")]
pub struct WriteError(String);

impl From<rust_xlsxwriter::XlsxError> for WriteError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        WriteError(e.to_string())
    }
}

/// The clean lists as xlsx bytes.
pub fn write_clean_xlsx(annex: &AnnexA) -> Result<Vec<u8>, WriteError> {
    let schema = Schema::bundled();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for list in &annex.lists {
        let def = schema
            .list(list.list)
            .ok_or_else(|| WriteError(format!("no list {}", list.list)))?;
        // Rows are written in order, so each goes to disk as soon as it is complete.
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(&def.sheet)?;
        for (x, &c) in list.columns.iter().enumerate() {
            let col = x as u16;
            sheet.write_string_with_format(0, col, &def.columns[c].name, &bold)?;
            sheet.set_column_width(col, 18)?;
        }
        for (y, row) in list.rows().enumerate() {
            let r = y as u32 + 1;
            for (x, (value, &c)) in row.iter().zip(&list.columns).enumerate() {
                let col = x as u16;
                match value {
                    Value::Blank => {}
                    Value::Text(s) => {
                        sheet.write_string(r, col, s.as_ref())?;
                    }
                    Value::Date(d) => {
                        sheet.write_number_with_format(r, col, excel_serial(*d), &date)?;
                    }
                    Value::Integer(n) => {
                        sheet.write_number(r, col, f64::from(*n))?;
                    }
                    Value::Code(i) => {
                        let crate::schema::ColumnType::Code(set) = def.columns[c].kind else {
                            return Err(WriteError(format!(
                                "list {}, '{}': a code in a column without a code set",
                                def.number, def.columns[c].name
                            )));
                        };
                        let text = &schema.code_sets[set].values[usize::from(*i)];
                        sheet.write_string(r, col, text)?;
                    }
                }
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}
