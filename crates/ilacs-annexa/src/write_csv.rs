//! One list as CSV, the form an LA's merged history is stored in: the published
//! headers, canonical codes and `dd/mm/yyyy` dates, so that [`crate::read_csvs`] reads
//! it back to the same values with nothing to report.

use crate::cells::{uk_date, Value};
use crate::read::CleanList;
use crate::schema::Schema;

/// The list as UTF-8 CSV bytes: a header row, then a row per kept row.
pub fn write_list_csv(list: &CleanList) -> Vec<u8> {
    let schema = Schema::bundled();
    let def = schema
        .list(list.list)
        .expect("a clean list is one of the schema's");
    let mut out = csv::Writer::from_writer(Vec::new());
    let io = "a CSV writer into memory cannot fail";
    out.write_record(list.columns.iter().map(|&c| def.columns[c].name.as_str()))
        .expect(io);
    let mut cells: Vec<String> = Vec::with_capacity(list.columns.len());
    for row in list.rows() {
        cells.clear();
        cells.extend(row.iter().zip(&list.columns).map(|(value, &c)| {
            match value {
                Value::Blank => String::new(),
                Value::Text(t) => t.to_string(),
                Value::Date(d) => uk_date(*d),
                Value::Integer(n) => n.to_string(),
                Value::Code(i) => schema
                    .code_text(&def.columns[c], *i)
                    .unwrap_or_default()
                    .to_string(),
            }
        }));
        out.write_record(&cells).expect(io);
    }
    out.into_inner().expect(io)
}
