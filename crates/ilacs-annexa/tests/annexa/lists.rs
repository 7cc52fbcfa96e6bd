//! Lists built from the schema as CSV: the cells a test names, a valid default in every
//! other required cell and nothing in the optional ones. And a column's values as text.

use ilacs_annexa::schema::{Column, ColumnType};
use ilacs_annexa::{read_csvs, uk_date, AnnexA, Schema, Value};

/// The cells of a row that matter to a test: (column, text).
pub type Row<'a> = &'a [(&'a str, &'a str)];

fn default_cell(schema: &Schema, column: &Column) -> String {
    if !column.required {
        return String::new();
    }
    match column.kind {
        ColumnType::Id => "X".into(),
        ColumnType::Text => "T".into(),
        ColumnType::Date => "01/01/2024".into(),
        ColumnType::Integer => "0".into(),
        ColumnType::Code(set) => schema.code_sets[set].values[0].clone(),
    }
}

fn write(list: u8, columns: &[&Column], rows: &[Row]) -> (String, Vec<u8>) {
    let schema = Schema::bundled();
    for row in rows {
        for (name, _) in *row {
            assert!(
                columns.iter().any(|c| c.name == *name),
                "list {list} has no column '{name}' here"
            );
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(columns.iter().map(|c| c.name.as_str()))
        .unwrap();
    for row in rows {
        out.write_record(columns.iter().map(|c| {
            row.iter()
                .find(|(name, _)| *name == c.name)
                .map_or_else(|| default_cell(schema, c), |(_, text)| text.to_string())
        }))
        .unwrap();
    }
    (format!("list{list}.csv"), out.into_inner().unwrap())
}

/// List `list` with every column of its current version.
pub fn csv(list: u8, rows: &[Row]) -> (String, Vec<u8>) {
    let def = Schema::bundled().list(list).unwrap();
    write(list, &def.columns.iter().collect::<Vec<_>>(), rows)
}

/// List `list` as its earlier version, without the columns a later one added.
pub fn csv_earlier(list: u8, rows: &[Row]) -> (String, Vec<u8>) {
    let def = Schema::bundled().list(list).unwrap();
    let columns: Vec<&Column> = def.columns.iter().filter(|c| c.added.is_none()).collect();
    write(list, &columns, rows)
}

/// The lists the CSV files hold, read with nothing to report.
pub fn annex(files: &[(String, Vec<u8>)]) -> AnnexA {
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let annex = read_csvs(&named).unwrap();
    assert!(annex.issues.is_empty(), "{:?}", annex.issues);
    annex
}

/// A column's values as the clean workbook shows them, row by row ("" for blank).
pub fn column(annex: &AnnexA, list: u8, name: &str) -> Vec<String> {
    let schema = Schema::bundled();
    let def = schema.list(list).unwrap();
    let clean = annex
        .lists
        .iter()
        .find(|l| l.list == list)
        .unwrap_or_else(|| panic!("no list {list}"));
    let at = clean
        .columns
        .iter()
        .position(|&c| def.columns[c].name == name)
        .unwrap_or_else(|| panic!("list {list} has no column '{name}'"));
    let column = &def.columns[clean.columns[at]];
    clean
        .rows()
        .map(|row| match &row[at] {
            Value::Blank => String::new(),
            Value::Text(t) => t.to_string(),
            Value::Date(d) => uk_date(*d),
            Value::Integer(n) => n.to_string(),
            Value::Code(i) => schema.code_text(column, *i).unwrap().to_string(),
        })
        .collect()
}
