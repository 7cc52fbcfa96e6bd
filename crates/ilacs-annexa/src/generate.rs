//! Synthetic Annex A workbooks with a chosen share of real-world dirt, and a record of
//! every piece of dirt injected so tests can check that reading reports exactly that.
//! Deterministic: the same arguments give the same bytes.

use crate::cells::excel_serial;
use crate::read::Action;
use crate::schema::{ColumnType, Schema};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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

fn write(rows_per_list: usize, seed: u64, dirt: f64) -> Result<Generated, XlsxError> {
    let schema = Schema::bundled();
    let mut rng = SplitMix64(seed);
    let mut workbook = Workbook::new();
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

/// A spelling of a code an export might use instead of the canonical one.
fn other_spelling(canonical: &str, rng: &mut SplitMix64) -> String {
    match (canonical.split_once(") "), rng.below(3)) {
        (Some((_, label)), 0) => label.to_string(),
        (Some((prefix, _)), 1) => prefix.to_uppercase(),
        _ => format!(" {} ", canonical.to_lowercase()),
    }
}

/// Steele, Lea and Flood's SplitMix64: small, fast and the same everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn date(&mut self) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(2006, 1, 1).expect("a valid date");
        start + chrono::Days::new(self.below(20 * 365) as u64)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}
