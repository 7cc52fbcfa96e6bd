//! Published values, the years they are for and the areas they describe.

use crate::authority::{GssCode, LaCode};
use std::cmp::Ordering;
use std::fmt;

/// DfE's symbols for a figure it does not publish as a number (the Government
/// Statistical Service shorthand). The symbol is the fact: it is kept, never read as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    /// `c`: withheld to protect confidential information (small numbers).
    Confidential,
    /// `k`: a low figure that rounds to zero but is not zero.
    LowFigure,
    /// `low`: DfE's newer spelling of the same: rounds to zero but is not zero.
    Low,
    /// `u`: published but of low reliability, so withheld.
    LowReliability,
    /// `x`: not available.
    NotAvailable,
    /// `z`: not applicable.
    NotApplicable,
}

impl Symbol {
    pub const ALL: [Symbol; 6] = [
        Symbol::Confidential,
        Symbol::LowFigure,
        Symbol::Low,
        Symbol::LowReliability,
        Symbol::NotAvailable,
        Symbol::NotApplicable,
    ];

    /// The symbol exactly as DfE writes it.
    pub fn parse(text: &str) -> Option<Symbol> {
        Symbol::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Symbol::Confidential => "c",
            Symbol::LowFigure => "k",
            Symbol::Low => "low",
            Symbol::LowReliability => "u",
            Symbol::NotAvailable => "x",
            Symbol::NotApplicable => "z",
        }
    }

    /// What the symbol means, for a table cell.
    pub fn label(self) -> &'static str {
        match self {
            Symbol::Confidential => "suppressed",
            Symbol::LowFigure | Symbol::Low => "rounds to zero",
            Symbol::LowReliability => "low reliability",
            Symbol::NotAvailable => "not available",
            Symbol::NotApplicable => "not applicable",
        }
    }

    /// Whether the true figure is known to round to zero (and so is not missing).
    pub fn rounds_to_zero(self) -> bool {
        matches!(self, Symbol::LowFigure | Symbol::Low)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One published figure: a number, or the symbol DfE wrote instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Symbol(Symbol),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("the value is blank: DfE writes x where a figure is not available")]
    Blank,
    #[error("'{0}' is neither a number nor one of DfE's symbols (c, k, low, u, x, z)")]
    NotAValue(String),
}

impl Value {
    /// A cell of a DfE file: a plain decimal number (`22.6`, `-3`, `12183016`) or one of
    /// the [`Symbol`]s, exactly. Anything else (`1,200`, `NaN`, `1e3`, `C`) is an error,
    /// so that a new symbol or format is noticed rather than misread.
    pub fn parse(text: &str) -> Result<Value, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValueError::Blank);
        }
        if let Some(symbol) = Symbol::parse(text) {
            return Ok(Value::Symbol(symbol));
        }
        if is_decimal(text) {
            if let Ok(number) = text.parse::<f64>() {
                return Ok(Value::Number(number));
            }
        }
        Err(ValueError::NotAValue(text.to_string()))
    }

    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n),
            Value::Symbol(_) => None,
        }
    }

    pub fn symbol(self) -> Option<Symbol> {
        match self {
            Value::Number(_) => None,
            Value::Symbol(s) => Some(s),
        }
    }
}

/// Digits with at most one decimal point inside them and an optional leading minus.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// The number as its shortest exact text (`22.6`, `12183016`), or the symbol: what
/// [`Value::parse`] reads back to the same value.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Symbol(s) => f.write_str(s.as_str()),
        }
    }
}

/// The year a value is for, as DfE writes `time_period`: `2025` for a reporting year
/// (to 31 March 2025) or `202425` for an academic or financial year.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimePeriod(String);

impl TimePeriod {
    pub fn parse(input: &str) -> Result<TimePeriod, ValueError> {
        let text = input.trim();
        let ok = matches!(text.len(), 4 | 6) && text.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(TimePeriod(text.to_string()))
        } else {
            Err(ValueError::NotAValue(input.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `2025`, or `2024-25` for a six-digit period.
    pub fn label(&self) -> String {
        match self.0.len() {
            6 => format!("{}-{}", &self.0[..4], &self.0[4..]),
            _ => self.0.clone(),
        }
    }
}

/// By the year the period starts in, so `2024` < `202425` < `2025`.
impl Ord for TimePeriod {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.0[..4], self.0.len(), &self.0).cmp(&(&other.0[..4], other.0.len(), &other.0))
    }
}

impl PartialOrd for TimePeriod {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for TimePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The area code DfE gives England's national rows.
pub const ENGLAND_CODE: &str = "E92000001";

/// The area a value describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    England,
    /// An ONS region (or Inner or Outer London) by its area code.
    Region(GssCode),
    /// A local authority by its three-digit code.
    La(LaCode),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    #[error("'{level}' is not an area level (england, region or la)")]
    Level { level: String },
    #[error("'{code}' is not a code for an area at level {level}")]
    Code { level: String, code: String },
}

impl Area {
    /// The level's key, as stored: `england`, `region` or `la`.
    pub fn level(&self) -> &'static str {
        match self {
            Area::England => "england",
            Area::Region(_) => "region",
            Area::La(_) => "la",
        }
    }

    /// `E92000001`, the region's area code, or the LA's three-digit code.
    pub fn code(&self) -> &str {
        match self {
            Area::England => ENGLAND_CODE,
            Area::Region(code) => code.as_str(),
            Area::La(code) => code.as_str(),
        }
    }

    /// The area a level key and code (as [`Area::level`] and [`Area::code`] give them)
    /// name.
    pub fn from_parts(level: &str, code: &str) -> Result<Area, AreaError> {
        let bad_code = || AreaError::Code {
            level: level.to_string(),
            code: code.to_string(),
        };
        match level {
            "england" if code == ENGLAND_CODE => Ok(Area::England),
            "england" => Err(bad_code()),
            "region" => GssCode::parse(code)
                .map(Area::Region)
                .map_err(|_| bad_code()),
            "la" => LaCode::parse(code).map(Area::La).map_err(|_| bad_code()),
            _ => Err(AreaError::Level {
                level: level.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn symbols_are_kept_not_zeroed() {
        for text in ["c", "k", "low", "u", "x", "z"] {
            let value = Value::parse(text).unwrap();
            assert_eq!(value.number(), None, "{text}");
            assert_eq!(value.to_string(), text);
        }
        assert_eq!(
            Value::parse("c").unwrap(),
            Value::Symbol(Symbol::Confidential)
        );
        assert_eq!(Symbol::Confidential.label(), "suppressed");
        assert_eq!(Symbol::NotApplicable.label(), "not applicable");
        assert!(Symbol::Low.rounds_to_zero() && !Symbol::NotAvailable.rounds_to_zero());
    }

    #[test]
    fn numbers_read_and_print_as_published() {
        assert_eq!(Value::parse("22.6").unwrap(), Value::Number(22.6));
        assert_eq!(Value::parse(" 12183016 ").unwrap().to_string(), "12183016");
        assert_eq!(Value::parse("-3.50").unwrap().to_string(), "-3.5");
        assert_eq!(Value::parse("0").unwrap(), Value::Number(0.0));
    }

    #[test]
    fn anything_else_is_an_error() {
        assert_eq!(Value::parse(" "), Err(ValueError::Blank));
        for text in [
            "C", "1,200", "NaN", "inf", "1e3", ".5", "5.", "--1", "12%", ":",
        ] {
            assert!(
                matches!(Value::parse(text), Err(ValueError::NotAValue(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn time_periods_order_by_starting_year() {
        let p = |s: &str| TimePeriod::parse(s).unwrap();
        assert!(p("2024") < p("202425"));
        assert!(p("202425") < p("2025"));
        assert_eq!(p("202425").label(), "2024-25");
        assert!(TimePeriod::parse("25").is_err());
        assert!(TimePeriod::parse("2025/26").is_err());
    }

    #[test]
    fn areas_round_trip_through_their_parts() {
        let areas = [
            Area::England,
            Area::Region(GssCode::parse("E12000007").unwrap()),
            Area::La(LaCode::parse("301").unwrap()),
        ];
        for area in areas {
            assert_eq!(Area::from_parts(area.level(), area.code()).unwrap(), area);
        }
        assert!(Area::from_parts("england", "E12000007").is_err());
        assert!(Area::from_parts("la", "E09000002").is_err());
        assert!(Area::from_parts("ward", "x").is_err());
    }

    proptest! {
        #[test]
        fn printed_numbers_read_back_the_same(n in -1.0e9f64..1.0e9) {
            let value = Value::Number(n);
            prop_assert_eq!(Value::parse(&value.to_string()).unwrap(), value);
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,12}") {
            let _ = Value::parse(&text);
            let _ = TimePeriod::parse(&text);
        }
    }
}
