//! One cell's value as read, and what cleaning makes of it.

use crate::schema::{CodeMatch, ColumnType, Schema};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// A cell as the readers give it, borrowed from the sheet.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    /// A date-formatted cell (None: a serial no calendar date has).
    Date(Option<NaiveDate>),
    /// A spreadsheet error value such as `#N/A`.
    Error(&'a calamine::CellErrorType),
}

impl Cell<'_> {
    /// The value as a user would see it in the cell, for the report.
    pub(crate) fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(n) => number_text(*n).into_owned(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(Some(d)) => uk_date(*d),
            Cell::Date(None) => "(a date cell out of range)".to_string(),
            Cell::Error(e) => e.to_string(),
        }
    }
}

/// A clean value, in a list's canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Blank,
    Text(Box<str>),
    Date(NaiveDate),
    Integer(u32),
    /// An index into the column's code set's values.
    Code(u16),
}

/// What cleaning did to a cell that was not already clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Read as the value, in its canonical form.
    Normalised(Cow<'static, str>),
    /// Not a value the column can hold: left blank.
    Rejected(Cow<'static, str>),
}

/// Cleans one cell of a column of `kind`.
pub(crate) fn clean_cell(
    schema: &Schema,
    kind: ColumnType,
    cell: Cell<'_>,
) -> (Value, Option<Change>) {
    let text = match cell {
        Cell::Empty => return (Value::Blank, None),
        Cell::Error(_) => {
            return (
                Value::Blank,
                Some(Change::Rejected(
                    "a spreadsheet error value, read as no value".into(),
                )),
            )
        }
        Cell::Text(raw) => {
            let t = raw.trim();
            if t.is_empty() {
                return (Value::Blank, None);
            }
            if schema.is_blank_marker(t) {
                return (
                    Value::Blank,
                    Some(Change::Rejected("a placeholder for no value".into())),
                );
            }
            Some((raw, t))
        }
        _ => None,
    };
    let spaced = |v: Value, t: &str, raw: &str| {
        let change =
            (t.len() != raw.len()).then(|| Change::Normalised("stray spaces removed".into()));
        (v, change)
    };
    match kind {
        ColumnType::Text | ColumnType::Id => match (cell, text) {
            (_, Some((raw, t))) => spaced(Value::Text(t.into()), t, raw),
            (Cell::Number(n), _) => (Value::Text(number_text(n).into()), None),
            (Cell::Date(Some(d)), _) => (
                Value::Text(uk_date(d).into()),
                Some(Change::Normalised("a date where text was expected".into())),
            ),
            (Cell::Bool(_), _) | (Cell::Date(None), _) => {
                (Value::Blank, Some(Change::Rejected("not text".into())))
            }
            _ => (Value::Blank, None),
        },
        ColumnType::Integer => match (cell, text) {
            (_, Some((raw, t))) => match t.parse::<u32>() {
                Ok(n) => spaced(Value::Integer(n), t, raw),
                Err(_) => match t.parse::<f64>() {
                    Ok(f) => integer_from(f, true),
                    Err(_) => (
                        Value::Blank,
                        Some(Change::Rejected("not a whole number".into())),
                    ),
                },
            },
            (Cell::Number(n), _) => integer_from(n, false),
            _ => (
                Value::Blank,
                Some(Change::Rejected("not a whole number".into())),
            ),
        },
        ColumnType::Date => match (cell, text) {
            (_, Some((raw, t))) => match parse_uk_date(t) {
                Ok(d) => spaced(Value::Date(d), t, raw),
                Err(DateText::Other(d)) => (
                    Value::Date(d),
                    Some(Change::Normalised("a date not written dd/mm/yyyy".into())),
                ),
                Err(DateText::Serial(d)) => (
                    Value::Date(d),
                    Some(Change::Normalised(
                        "an Excel serial number, not a date".into(),
                    )),
                ),
                Err(DateText::Invalid) => (
                    Value::Blank,
                    Some(Change::Rejected("not a date (dd/mm/yyyy)".into())),
                ),
                Err(DateText::Implausible) => (
                    Value::Blank,
                    Some(Change::Rejected(
                        "a date outside the years 1900 to 2100".into(),
                    )),
                ),
            },
            (Cell::Date(Some(d)), _) if plausible(d) => (Value::Date(d), None),
            (Cell::Number(n), _) => match serial_date(n) {
                Some(d) => (
                    Value::Date(d),
                    Some(Change::Normalised(
                        "an Excel serial number, not a date".into(),
                    )),
                ),
                None => (
                    Value::Blank,
                    Some(Change::Rejected("a number that is not a date".into())),
                ),
            },
            (Cell::Date(_), _) => (
                Value::Blank,
                Some(Change::Rejected(
                    "a date outside the years 1900 to 2100".into(),
                )),
            ),
            _ => (
                Value::Blank,
                Some(Change::Rejected("not a date (dd/mm/yyyy)".into())),
            ),
        },
        ColumnType::Code(set) => {
            let codes = &schema.code_sets[set];
            let shown: Cow<'_, str> = match (cell, text) {
                (_, Some((_, t))) => Cow::Borrowed(t),
                (Cell::Number(n), _) => number_text(n),
                (Cell::Bool(true), _) => "true".into(),
                (Cell::Bool(false), _) => "false".into(),
                _ => {
                    return (
                        Value::Blank,
                        Some(Change::Rejected(not_in_set(&codes.name))),
                    )
                }
            };
            match lookup_code(schema, set, &shown) {
                Some(CodeMatch::Canonical(i)) => match text {
                    Some((raw, t)) => spaced(Value::Code(i), t, raw),
                    None => (Value::Code(i), None),
                },
                Some(CodeMatch::Spelling(i)) => (
                    Value::Code(i),
                    Some(Change::Normalised(
                        format!("read as '{}'", codes.values[usize::from(i)]).into(),
                    )),
                ),
                None => (
                    Value::Blank,
                    Some(Change::Rejected(not_in_set(&codes.name))),
                ),
            }
        }
    }
}

/// A code's value in its set: the canonical spellings found through [`ExactCodes`] for
/// the bundled schema, anything else through the schema's own lookup.
fn lookup_code(schema: &Schema, set: usize, text: &str) -> Option<CodeMatch> {
    if std::ptr::eq(schema, Schema::bundled()) {
        if let Some(i) = exact_codes()[set].get(text, &schema.code_sets[set].values) {
            return Some(CodeMatch::Canonical(i));
        }
    }
    schema.code_sets[set].lookup(text)
}

/// The canonical spellings of one code set by a cheap hash (FNV-1a): nearly every
/// code cell is canonical, and SipHash in the schema's map was a fifth of cleaning.
struct ExactCodes {
    /// Open addressing: each slot a value's index, or `u16::MAX` for none.
    slots: Vec<u16>,
}

impl ExactCodes {
    fn new(values: &[String]) -> Self {
        let mut slots = vec![u16::MAX; (values.len() * 2).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        for (i, v) in values.iter().enumerate() {
            let mut at = fnv1a(v.as_bytes()) as usize & mask;
            while slots[at] != u16::MAX {
                at = (at + 1) & mask;
            }
            slots[at] = i as u16;
        }
        ExactCodes { slots }
    }

    fn get(&self, text: &str, values: &[String]) -> Option<u16> {
        let mask = self.slots.len() - 1;
        let mut at = fnv1a(text.as_bytes()) as usize & mask;
        loop {
            let i = self.slots[at];
            if i == u16::MAX {
                return None;
            }
            if values[usize::from(i)] == text {
                return Some(i);
            }
            at = (at + 1) & mask;
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn exact_codes() -> &'static [ExactCodes] {
    static EXACT: std::sync::OnceLock<Vec<ExactCodes>> = std::sync::OnceLock::new();
    EXACT.get_or_init(|| {
        Schema::bundled()
            .code_sets
            .iter()
            .map(|set| ExactCodes::new(&set.values))
            .collect()
    })
}

fn not_in_set(set: &str) -> Cow<'static, str> {
    format!("not one of the {} codes", set.replace('_', " ")).into()
}

fn integer_from(f: f64, from_text: bool) -> (Value, Option<Change>) {
    if f.fract() != 0.0 || !f.is_finite() {
        (
            Value::Blank,
            Some(Change::Rejected("not a whole number".into())),
        )
    } else if f < 0.0 {
        (
            Value::Blank,
            Some(Change::Rejected("a negative number".into())),
        )
    } else if f > f64::from(u32::MAX) {
        (Value::Blank, Some(Change::Rejected("too large".into())))
    } else {
        let change = from_text.then(|| Change::Normalised("written with a decimal point".into()));
        (Value::Integer(f as u32), change)
    }
}

/// A number as a spreadsheet shows it: whole numbers without ".0" (IDs are often numbers).
pub(crate) fn number_text(n: f64) -> Cow<'static, str> {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Cow::Owned(format!("{}", n as i64))
    } else {
        Cow::Owned(n.to_string())
    }
}

pub fn uk_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

fn plausible(d: NaiveDate) -> bool {
    (1900..=2100).contains(&d.year())
}

/// Day 0 of Excel's 1900 date system as it counts from day 61 on (its phantom
/// 29 February 1900 makes earlier serials one off; no Annex A date is that old).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date")
}

/// A whole Excel serial number in the years 1900 to 2100 as its date.
pub(crate) fn serial_date(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(61.0..=73415.0).contains(&n) {
        return None;
    }
    excel_epoch().checked_add_days(chrono::Days::new(n as u64))
}

/// The Excel serial number of a date, for writing date cells.
pub fn excel_serial(d: NaiveDate) -> f64 {
    (d - excel_epoch()).num_days() as f64
}

/// Why a date's text is not the canonical `dd/mm/yyyy`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DateText {
    /// Another way of writing a date.
    Other(NaiveDate),
    /// An Excel serial number written as text.
    Serial(NaiveDate),
    Invalid,
    Implausible,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads `dd/mm/yyyy` (the canonical form, Ok) or one of the other forms seen in
/// exports (Err(Other)): d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, dd/mm/yy, yyyy-mm-dd (with
/// or without a time), `1 Jan 2024`, `01-Jan-2024`, `1 January 2024`, and any of these
/// followed by a time of day.
pub(crate) fn parse_uk_date(t: &str) -> Result<NaiveDate, DateText> {
    let b = t.as_bytes();
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        if let (Some(d), Some(m), Some(y)) = (digits(&t[..2]), digits(&t[3..5]), digits(&t[6..])) {
            return match NaiveDate::from_ymd_opt(y as i32, m, d) {
                Some(date) if plausible(date) => Ok(date),
                Some(_) => Err(DateText::Implausible),
                None => Err(DateText::Invalid),
            };
        }
    }
    // Drop a time of day: "2024-01-31T00:00:00", "31/01/2024 00:00".
    let date_part = t
        .split(['T', ' '])
        .next()
        .filter(|first| first.len() >= 8 && t[first.len()..].contains(':'))
        .unwrap_or(t);
    if let Some(n) = digits(date_part) {
        return match serial_date(f64::from(n)) {
            Some(d) => Err(DateText::Serial(d)),
            None => Err(DateText::Invalid),
        };
    }
    let parts: Vec<&str> = date_part
        .split(['/', '-', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts[..] else {
        return Err(DateText::Invalid);
    };
    let month_name = |s: &str| {
        let lower = s.to_ascii_lowercase();
        // The full name, its first three letters, or "Sept".
        MONTHS
            .iter()
            .position(|m| {
                *m == lower
                    || (lower.len() == 3 && m.starts_with(&lower))
                    || lower == "sept" && *m == "september"
            })
            .map(|i| i as u32 + 1)
    };
    let (y, m, d) = if a.len() == 4 {
        (digits(a), digits(b), digits(c))
    } else {
        let year = digits(c).map(|y| match c.len() {
            // Two-digit years: Annex A dates are recent, births at most ~25 years back.
            2 if y <= 69 => 2000 + y,
            2 => 1900 + y,
            _ => y,
        });
        (year, digits(b).or_else(|| month_name(b)), digits(a))
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return Err(DateText::Invalid);
    };
    match NaiveDate::from_ymd_opt(y as i32, m, d) {
        Some(date) if plausible(date) => Err(DateText::Other(date)),
        Some(_) => Err(DateText::Implausible),
        None => Err(DateText::Invalid),
    }
}

/// An unsigned decimal of at most nine digits.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn uk_dates_in_every_form() {
        assert_eq!(parse_uk_date("31/01/2024"), Ok(d(2024, 1, 31)));
        for other in [
            "31/1/2024",
            "31-01-2024",
            "31.01.2024",
            "31/01/24",
            "2024-01-31",
            "2024-01-31T00:00:00",
            "31/01/2024 00:00",
            "31 Jan 2024",
            "31-Jan-2024",
            "31 January 2024",
        ] {
            assert_eq!(
                parse_uk_date(other),
                Err(DateText::Other(d(2024, 1, 31))),
                "{other}"
            );
        }
        assert_eq!(
            parse_uk_date("45322"),
            Err(DateText::Serial(d(2024, 1, 31)))
        );
        assert_eq!(parse_uk_date("31/02/2024"), Err(DateText::Invalid));
        assert_eq!(parse_uk_date("not known"), Err(DateText::Invalid));
        assert_eq!(parse_uk_date("01/01/1066"), Err(DateText::Implausible));
        assert_eq!(
            parse_uk_date("30 Sept 2024"),
            Err(DateText::Other(d(2024, 9, 30)))
        );
        assert_eq!(parse_uk_date("31 Janu 2024"), Err(DateText::Invalid));
        assert_eq!(parse_uk_date("31 Jxx 2024"), Err(DateText::Invalid));
    }

    #[test]
    fn every_canonical_code_is_found_exactly() {
        let schema = Schema::bundled();
        for (set, codes) in schema.code_sets.iter().enumerate() {
            for (i, v) in codes.values.iter().enumerate() {
                assert_eq!(
                    lookup_code(schema, set, v),
                    Some(CodeMatch::Canonical(i as u16))
                );
            }
            assert_eq!(exact_codes()[set].get("no such code", &codes.values), None);
        }
    }

    #[test]
    fn serials_round_trip() {
        assert_eq!(serial_date(45322.0), Some(d(2024, 1, 31)));
        assert_eq!(excel_serial(d(2024, 1, 31)), 45322.0);
        assert_eq!(serial_date(45322.5), None);
    }
}
