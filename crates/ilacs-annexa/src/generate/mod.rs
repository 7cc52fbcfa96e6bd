//! Synthetic Annex A returns with a chosen share of real-world dirt, and a record of
//! every piece of dirt injected so tests can check that reading reports exactly that.
//! Deterministic: the same arguments give the same bytes.
//!
//! Two generators:
//! - [`generate`]: rows of random values, unlinked (each list on its own), in a
//!   workbook; quick to make any number of rows for tests and benchmarks.
//! - [`generate_linked`] and [`generate_linked_csv`]: one LA's return as it would be,
//!   from a [`Profile`] of its volumes and rates. The same children run through the
//!   lists (a contact becomes a referral, an assessment follows, some go on to a
//!   section 47 enquiry, a conference and a plan; children in care, care leavers and
//!   adoption have their own chronologies), dates fall in the window and in order,
//!   ages agree with dates of birth, workers belong to teams and hold plausible
//!   caseloads, and the rates DfE publishes come out as the profile gives them.

mod codes;
mod lists;
mod model;
mod output;
mod profile;
mod rng;

use crate::cells::excel_serial;
use crate::read::Action;
use crate::schema::ListDef;
use rng::SplitMix64;

pub use output::GenerateError;
pub use profile::{Profile, Rates, Volumes};

/// A generated workbook and the dirt in it.
#[derive(Debug, Clone)]
pub struct Generated {
    pub bytes: Vec<u8>,
    /// Every cell or header made dirty, with what cleaning should do about it, in
    /// list, row and column order.
    pub injected: Vec<Injected>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Injected {
    pub list: u8,
    pub row: u32,
    /// The canonical column name.
    pub column: String,
    pub action: Action,
}

/// A workbook with `rows_per_list` rows in each of the 11 lists (sheets in a shuffled
/// order under uninformative names, columns sometimes shuffled), where each cell and
/// header is dirty with probability `dirt_share` (0 to 1): variant headers, other
/// spellings of codes, `#N/A`, dates in other forms or impossible, stray spaces,
/// blank required cells.
pub fn generate(rows_per_list: usize, seed: u64, dirt_share: f64) -> Generated {
    write(rows_per_list, seed, dirt_share).expect("an in-memory workbook is always writable")
}

fn write(
    rows_per_list: usize,
    seed: u64,
    dirt: f64,
) -> Result<Generated, rust_xlsxwriter::XlsxError> {
    use crate::schema::{ColumnType, Schema};
    use rust_xlsxwriter::{Format, Workbook};
    let schema = Schema::bundled();
    let mut rng = SplitMix64(seed);
    let mut workbook = Workbook::new();
    // Dated, not stamped with today: the same arguments give the same bytes.
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1)?),
    );
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let mut injected = Vec::new();
    let mut order: Vec<usize> = (0..schema.lists.len()).collect();
    rng.shuffle(&mut order);
    for (tab, &l) in order.iter().enumerate() {
        let def = &schema.lists[l];
        let sheet = workbook.add_worksheet();
        sheet.set_name(format!("Tab {}", tab + 1))?;
        let mut columns: Vec<usize> = (0..def.columns.len()).collect();
        if rng.chance(0.5) {
            rng.shuffle(&mut columns);
        }
        let mut hit = |row: u32, c: usize, action| {
            injected.push(Injected {
                list: def.number,
                row,
                column: def.columns[c].name.clone(),
                action,
            })
        };
        for (x, &c) in columns.iter().enumerate() {
            let column = &def.columns[c];
            let header = if !column.variants.is_empty() && rng.chance(dirt) {
                hit(1, c, Action::Normalised);
                column.variants[rng.below(column.variants.len())].clone()
            } else if rng.chance(dirt / 4.0) {
                hit(1, c, Action::Normalised);
                column.name.to_uppercase()
            } else {
                column.name.clone()
            };
            sheet.write_string(0, x as u16, header)?;
        }
        for y in 0..rows_per_list {
            let row = y as u32 + 1;
            let row_number = row + 1;
            for (x, &c) in columns.iter().enumerate() {
                let col = x as u16;
                let column = &def.columns[c];
                let if_required = |action| {
                    if column.required {
                        Action::RowDropped
                    } else {
                        action
                    }
                };
                if !rng.chance(dirt) {
                    // Clean: optional cells are often blank.
                    if !column.required && rng.chance(0.2) {
                        continue;
                    }
                    match column.kind {
                        ColumnType::Id => {
                            sheet.write_string(row, col, format!("C{}-{:06}", def.number, y))?;
                        }
                        ColumnType::Text => {
                            sheet.write_string(row, col, format!("Name {}", rng.below(50)))?;
                        }
                        ColumnType::Date => {
                            let d = rng.date();
                            sheet.write_number_with_format(
                                row,
                                col,
                                excel_serial(d),
                                &date_format,
                            )?;
                        }
                        ColumnType::Integer => {
                            sheet.write_number(row, col, rng.below(6) as f64)?;
                        }
                        ColumnType::Code(set) => {
                            let values = &schema.code_sets[set].values;
                            sheet.write_string(row, col, &values[rng.below(values.len())])?;
                        }
                    }
                    continue;
                }
                match rng.below(3) {
                    0 if column.required => {
                        hit(row_number, c, Action::RowDropped);
                    }
                    0 | 1 => {
                        hit(row_number, c, if_required(Action::Blanked));
                        sheet.write_string(row, col, "#N/A")?;
                    }
                    _ => match column.kind {
                        ColumnType::Id | ColumnType::Text => {
                            hit(row_number, c, Action::Normalised);
                            sheet.write_string(row, col, format!(" Name {} ", rng.below(50)))?;
                        }
                        ColumnType::Integer => {
                            hit(row_number, c, Action::Normalised);
                            sheet.write_string(row, col, format!("{}.0", rng.below(6)))?;
                        }
                        ColumnType::Date if rng.chance(0.5) => {
                            hit(row_number, c, if_required(Action::Blanked));
                            sheet.write_string(row, col, "31/02/2024")?;
                        }
                        ColumnType::Date => {
                            hit(row_number, c, Action::Normalised);
                            sheet.write_string(
                                row,
                                col,
                                rng.date().format("%Y-%m-%d").to_string(),
                            )?;
                        }
                        ColumnType::Code(set) => {
                            hit(row_number, c, Action::Normalised);
                            let values = &schema.code_sets[set].values;
                            let canonical = &values[rng.below(values.len())];
                            sheet.write_string(row, col, other_spelling(canonical, &mut rng))?;
                        }
                    },
                }
            }
        }
    }
    injected.sort();
    Ok(Generated {
        bytes: workbook.save_to_buffer()?,
        injected,
    })
}

use output::other_spelling;

/// What the linked generator wrote: the data rows of each list (header and title lines
/// not counted) and every piece of dirt, in list, row and column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub rows: Vec<(u8, usize)>,
    pub injected: Vec<Injected>,
}

impl Linked {
    pub fn total_rows(&self) -> usize {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// A linked return as one xlsx workbook (a sheet per list, and a cover sheet when
/// there is dirt).
#[derive(Debug, Clone)]
pub struct LinkedWorkbook {
    pub bytes: Vec<u8>,
    pub linked: Linked,
}

/// One LA's return as an xlsx workbook, made from `profile` with `dirt` (0 to 1) of
/// its cells and headers dirty. The same profile, seed and dirt give the same
/// workbook, and the same lists as [`generate_linked_csv`].
pub fn generate_linked(
    profile: &Profile,
    seed: u64,
    dirt: f64,
) -> Result<LinkedWorkbook, GenerateError> {
    let mut sink = output::XlsxSink::new(profile.as_at);
    let linked = write_lists(profile, seed, dirt, &mut sink)?;
    Ok(LinkedWorkbook {
        bytes: sink.workbook.save_to_buffer()?,
        linked,
    })
}

/// One LA's return as one CSV per list, each written to the writer `open` gives for
/// it (lists in order, one open at a time, each flushed when done: rows are streamed,
/// never held). File names, for callers who want them: [`csv_file_name`].
pub fn generate_linked_csv<W: std::io::Write>(
    profile: &Profile,
    seed: u64,
    dirt: f64,
    open: impl FnMut(&ListDef) -> std::io::Result<W>,
) -> Result<Linked, GenerateError> {
    let mut sink = output::CsvSink::new(open);
    write_lists(profile, seed, dirt, &mut sink)
}

/// A list's CSV file name: `list-03-referrals.csv`.
pub fn csv_file_name(def: &ListDef) -> String {
    let mut slug = String::new();
    for ch in def.name.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("list-{:02}-{}.csv", def.number, slug.trim_end_matches('-'))
}

fn write_lists(
    profile: &Profile,
    seed: u64,
    dirt: f64,
    sink: &mut dyn output::Sink,
) -> Result<Linked, GenerateError> {
    let schema = crate::schema::Schema::bundled();
    static CODES: std::sync::OnceLock<codes::Codes> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| codes::Codes::new(schema));
    let model = model::Model::build(profile, codes, seed);
    let window = format!(
        "{} to {}",
        crate::uk_date(model.w0),
        crate::uk_date(model.as_at)
    );
    if dirt > 0.0 {
        sink.cover(&[
            format!("Annex A: {}", profile.la_name),
            format!("Reference date: {}", crate::uk_date(model.as_at)),
            "Synthetic data for testing: no real children.".to_string(),
        ])?;
    }
    let mut raw = Vec::new();
    let mut rows = Vec::new();
    for def in &schema.lists {
        let title = format!("List {}: {} ({window})", def.number, def.name);
        let mut out = output::ListOut::begin(def, seed, dirt, &mut raw, sink, &title)?;
        let m = &model;
        match def.number {
            1 => lists::contacts(m, codes, seed, &mut out, def)?,
            2 => lists::early_help(m, codes, seed, &mut out, def)?,
            3 => lists::referrals(m, codes, &mut out, def)?,
            4 => lists::assessments(m, codes, &mut out, def)?,
            5 => lists::s47s(m, codes, &mut out, def)?,
            6 => lists::children_in_need(m, codes, &mut out, def)?,
            7 => lists::child_protection(m, codes, &mut out, def)?,
            8 => lists::children_in_care(m, codes, &mut out, def)?,
            9 => lists::care_leavers(m, codes, &mut out, def)?,
            10 => lists::adoption(m, codes, &mut out, def)?,
            _ => lists::adopters(m, codes, &mut out, def)?,
        }
        rows.push((def.number, out.end()?));
    }
    Ok(Linked {
        rows,
        injected: output::named(schema, raw),
    })
}
