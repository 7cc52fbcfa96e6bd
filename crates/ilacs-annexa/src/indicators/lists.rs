//! A clean list as the indicators read it: columns found by their canonical names once,
//! values read from each row by position.

use crate::cells::Value;
use crate::read::{AnnexA, CleanList};
use crate::schema::{ColumnType, ListDef, Schema};
use chrono::NaiveDate;

pub(crate) const CHILD_ID: &str = "Child Unique ID";

/// Why an indicator cannot be computed.
pub(crate) type Unavailable = String;

/// One list of the workbook, with its child ID column found.
#[derive(Clone, Copy)]
pub(crate) struct Table<'a> {
    pub list: &'a CleanList,
    def: &'static ListDef,
    id: Col,
}

/// A column's position in a [`CleanList`]'s rows, and its code set if it has one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    at: usize,
    set: Option<usize>,
    /// The column's index in the list's definition, for messages.
    column: usize,
}

impl<'a> Table<'a> {
    /// List `number` of the workbook, or why not: it is missing, or has no child ID.
    pub(crate) fn get(annex: &'a AnnexA, number: u8) -> Result<Table<'a>, Unavailable> {
        let def = Schema::bundled()
            .list(number)
            .ok_or_else(|| format!("there is no List {number}"))?;
        let list = annex
            .lists
            .iter()
            .find(|l| l.list == number)
            .ok_or_else(|| format!("List {number} ({}) is missing", def.name))?;
        let mut table = Table {
            list,
            def,
            id: Col {
                at: 0,
                set: None,
                column: 0,
            },
        };
        table.id = table.col(CHILD_ID)?;
        Ok(table)
    }

    pub(crate) fn number(&self) -> u8 {
        self.def.number
    }

    /// The column with this canonical name, or why not.
    pub(crate) fn col(&self, name: &str) -> Result<Col, Unavailable> {
        self.opt(name).ok_or_else(|| {
            if self.def.columns.iter().any(|c| c.name == name) {
                format!("List {} has no '{name}' column", self.def.number)
            } else {
                // A fault in the code, not the data: said plainly all the same.
                format!(
                    "List {} has no column '{name}' in its schema",
                    self.def.number
                )
            }
        })
    }

    /// The column with this canonical name, if the list has it.
    pub(crate) fn opt(&self, name: &str) -> Option<Col> {
        let column = self.def.columns.iter().position(|c| c.name == name)?;
        let at = self.list.columns.iter().position(|&c| c == column)?;
        let set = match self.def.columns[column].kind {
            ColumnType::Code(set) => Some(set),
            _ => None,
        };
        Some(Col { at, set, column })
    }

    /// The value index of `canonical` in a code column's code set.
    pub(crate) fn code(&self, col: Col, canonical: &str) -> Result<u16, Unavailable> {
        let name = &self.def.columns[col.column].name;
        let set = col
            .set
            .ok_or_else(|| format!("List {}, '{name}' holds no codes", self.def.number))?;
        Schema::bundled().code_sets[set]
            .values
            .iter()
            .position(|v| v == canonical)
            .map(|i| i as u16)
            .ok_or_else(|| {
                format!(
                    "List {}, '{name}' has no code '{canonical}'",
                    self.def.number
                )
            })
    }

    /// The canonical texts of a code column's values, by their index (none for a
    /// column without codes).
    pub(crate) fn code_texts(&self, col: Col) -> &'static [String] {
        col.set
            .map_or(&[], |s| Schema::bundled().code_sets[s].values.as_slice())
    }

    /// Each row with its index among the list's clean rows.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (u32, &'a [Value])> + 'a {
        self.list.rows().enumerate().map(|(i, r)| (i as u32, r))
    }

    /// The row's child ID ("" if blank, which cleaning does not let through).
    pub(crate) fn child(&self, row: &'a [Value]) -> &'a str {
        text(row, self.id).unwrap_or("")
    }
}

pub(crate) fn date(row: &[Value], c: Col) -> Option<NaiveDate> {
    match row.get(c.at) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    }
}

/// A date that is known on `r`: one after it is left out (the list was written later).
pub(crate) fn date_by(row: &[Value], c: Col, r: NaiveDate) -> Option<NaiveDate> {
    date(row, c).filter(|d| *d <= r)
}

pub(crate) fn text(row: &[Value], c: Col) -> Option<&str> {
    match row.get(c.at) {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    }
}

pub(crate) fn int(row: &[Value], c: Col) -> Option<u32> {
    match row.get(c.at) {
        Some(Value::Integer(n)) => Some(*n),
        _ => None,
    }
}

pub(crate) fn code(row: &[Value], c: Col) -> Option<u16> {
    match row.get(c.at) {
        Some(Value::Code(i)) => Some(*i),
        _ => None,
    }
}

pub(crate) fn is(row: &[Value], c: Col, value: u16) -> bool {
    code(row, c) == Some(value)
}
