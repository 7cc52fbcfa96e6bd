//! The identifiers a self-evaluation refers to, parsed once at the edge.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The year a self-evaluation is for, as a financial year (April to March) keyed by the
/// year it starts: `FinancialYear::new(2026)` is "2026-27". It is the year the LA shares
/// and discusses the self-evaluation and the year its plan covers ("your plans for the
/// next 12 months"); its evidence looks back over the months before. LAs plan and report
/// by financial year, and DfE's statistics use the same labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear(i32);

/// An audit's id in the store (`case_audits.id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct AuditRef(i64);

/// An uploaded document's id in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct DocumentId(i64);

/// An indicator's key, as Annex A names them (`re_referral`, `assessment_45wd`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndicatorId(String);

/// The period an indicator's value is for, as its report labels it: `2025-26`,
/// `Q1 2026`, `6 months to 31/03/2026`. Kept as text until Annex A gives periods a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period(String);

/// A section's key within one self-evaluation: `context`, a judgement's key
/// (`help_and_protection`) or, for a section the LA adds, one made from its first title
/// (`early-help`). It does not change when the section is renamed, so links hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SectionKey(String);

/// What an [`ItemId`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Strength,
    AreaForDevelopment,
    Action,
}

impl ItemKind {
    fn prefix(self) -> char {
        match self {
            ItemKind::Strength => 's',
            ItemKind::AreaForDevelopment => 'a',
            ItemKind::Action => 'p',
        }
    }
}

/// A strength, area for development or plan action: `s-2026-3` is the third strength
/// first written in 2026-27. The id is copied with the item into later versions and
/// into the next year's self-evaluation, so the year-on-year comparison can follow an
/// item whose wording changed. The year in it keeps ids written in different years
/// apart, so a new item can never take an old item's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemId {
    kind: ItemKind,
    year: FinancialYear,
    number: u32,
}

pub const MAX_KEY_CHARS: usize = 64;
pub const MAX_PERIOD_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SefIdError {
    #[error("'{0}' is not a year: enter a financial year such as 2026-27")]
    Year(String),
    #[error("'{0}' is not an audit number: enter the audit's number, such as 42")]
    Audit(String),
    #[error("'{0}' is not a document number: enter the document's number, such as 7")]
    Document(String),
    #[error("'{0}' is not an indicator: use its key, such as re_referral (lower-case letters, digits and underscores)")]
    Indicator(String),
    #[error("Enter the period the indicator is for, such as 2025-26")]
    BlankPeriod,
    #[error("The period must be {MAX_PERIOD_CHARS} characters or fewer")]
    PeriodTooLong,
    #[error("'{0}' is not a section key")]
    Section(String),
    #[error("'{0}' is not an item reference: expected s-2026-1, a-2026-1 or p-2026-1")]
    Item(String),
}

/// A date as the interface shows it: `23 November 2026`.
pub(super) fn uk_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Trims and collapses runs of white space to one space.
pub(super) fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl FinancialYear {
    /// `None` unless the starting year has four digits.
    pub fn new(starting: i32) -> Option<FinancialYear> {
        (1000..=9998)
            .contains(&starting)
            .then_some(FinancialYear(starting))
    }

    /// The financial year a date falls in: 31 March 2027 is in 2026-27, 1 April in 2027-28.
    pub fn containing(date: NaiveDate) -> FinancialYear {
        use chrono::Datelike;
        let start = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        FinancialYear(start)
    }

    /// Accepts `2026-27`, `2026/27`, `2026-2027` or the starting year alone, `2026`.
    pub fn parse(input: &str) -> Result<FinancialYear, SefIdError> {
        let s = input.trim();
        let bad = || SefIdError::Year(input.to_string());
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let (start, end) = match s.split_once(['-', '/']) {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        if start.len() != 4 || !digits(start) {
            return Err(bad());
        }
        let year = FinancialYear::new(start.parse().map_err(|_| bad())?).ok_or_else(bad)?;
        match end {
            None => Ok(year),
            Some(e) if digits(e) && e.len() == 2 && e == &year.label()[5..] => Ok(year),
            Some(e) if digits(e) && e.len() == 4 && e.parse() == Ok(year.0 + 1) => Ok(year),
            Some(_) => Err(bad()),
        }
    }

    pub fn starting_year(self) -> i32 {
        self.0
    }

    /// `2026-27`.
    pub fn label(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1) % 100)
    }

    /// 1 April.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("a checked year")
    }

    /// 31 March of the next calendar year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("a checked year")
    }

    pub fn next(self) -> Option<FinancialYear> {
        FinancialYear::new(self.0 + 1)
    }

    pub fn previous(self) -> Option<FinancialYear> {
        FinancialYear::new(self.0 - 1)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = SefIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        FinancialYear::parse(&value)
    }
}

impl From<FinancialYear> for String {
    fn from(value: FinancialYear) -> String {
        value.label()
    }
}

/// A positive whole number, optionally written with a leading `#`.
fn positive_id(input: &str) -> Option<i64> {
    let s = input.trim();
    let s = s.strip_prefix('#').unwrap_or(s);
    (!s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n > 0)
}

macro_rules! numeric_ids {
    ($($t:ident => $err:ident),*) => {$(
        impl $t {
            /// A positive number, as typed (`42` or `#42`) or as stored.
            pub fn parse(input: &str) -> Result<Self, SefIdError> {
                positive_id(input)
                    .map($t)
                    .ok_or_else(|| SefIdError::$err(input.to_string()))
            }
            pub fn new(id: i64) -> Option<Self> {
                (id > 0).then_some($t(id))
            }
            pub fn get(self) -> i64 {
                self.0
            }
        }
        impl TryFrom<i64> for $t {
            type Error = SefIdError;
            fn try_from(value: i64) -> Result<Self, Self::Error> {
                $t::new(value).ok_or_else(|| SefIdError::$err(value.to_string()))
            }
        }
        impl From<$t> for i64 {
            fn from(value: $t) -> i64 {
                value.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}
numeric_ids!(AuditRef => Audit, DocumentId => Document);

/// A key of lower-case letters and digits, starting with a letter, words joined by
/// any of `seps`, at most `MAX_KEY_CHARS` characters.
fn is_key(s: &str, seps: &[char]) -> bool {
    let mut chars = s.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_lowercase());
    starts_well
        && s.chars().count() <= MAX_KEY_CHARS
        && s.chars().all(|c| {
            seps.contains(&c) || c.is_ascii_digit() || (c.is_alphanumeric() && !c.is_uppercase())
        })
        && !s.ends_with(seps)
}

impl IndicatorId {
    pub fn parse(input: &str) -> Result<Self, SefIdError> {
        let s = input.trim();
        if is_key(s, &['_']) && s.is_ascii() {
            Ok(IndicatorId(s.to_string()))
        } else {
            Err(SefIdError::Indicator(input.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Period {
    pub fn parse(input: &str) -> Result<Self, SefIdError> {
        let s = tidy(input);
        if s.is_empty() {
            Err(SefIdError::BlankPeriod)
        } else if s.chars().count() > MAX_PERIOD_CHARS {
            Err(SefIdError::PeriodTooLong)
        } else {
            Ok(Period(s))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl SectionKey {
    /// Lower-case letters and digits in words joined by `_` or `-`, starting with a
    /// letter: a judgement key, `context`, or a key made by [`SectionKey::from_title`].
    pub fn parse(input: &str) -> Result<Self, SefIdError> {
        let s = input.trim();
        if is_key(s, &['_', '-']) {
            Ok(SectionKey(s.to_string()))
        } else {
            Err(SefIdError::Section(input.to_string()))
        }
    }

    /// A key for a title: its words, lower-cased, joined by hyphens (`Early help` is
    /// `early-help`), cut to 64 characters at a word. A title that does not start
    /// with a letter gets `section` in front (`2024 learning` is `section-2024-learning`).
    pub fn from_title(title: &str) -> SectionKey {
        // Lower-case first: lower-casing can add characters that are not letters, and
        // splitting after it keeps the key a valid key.
        let lower = title.to_lowercase();
        let mut words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric() || c.is_uppercase())
            .filter(|w| !w.is_empty())
            .collect();
        if !words
            .first()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_lowercase)
        {
            words.insert(0, "section");
        }
        let mut key = String::new();
        for word in words {
            let extra = usize::from(!key.is_empty()) + word.chars().count();
            if key.chars().count() + extra > MAX_KEY_CHARS {
                break;
            }
            if !key.is_empty() {
                key.push('-');
            }
            key.push_str(word);
        }
        SectionKey::parse(&key).unwrap_or_else(|_| SectionKey("section".to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ItemId {
    pub fn new(kind: ItemKind, year: FinancialYear, number: u32) -> Option<ItemId> {
        (number > 0).then_some(ItemId { kind, year, number })
    }

    pub fn parse(input: &str) -> Result<Self, SefIdError> {
        let bad = || SefIdError::Item(input.to_string());
        let s = input.trim().to_ascii_lowercase();
        let mut parts = s.splitn(3, '-');
        let (Some(prefix), Some(year), Some(number)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let kind = [
            ItemKind::Strength,
            ItemKind::AreaForDevelopment,
            ItemKind::Action,
        ]
        .into_iter()
        .find(|k| prefix.len() == 1 && prefix.starts_with(k.prefix()))
        .ok_or_else(bad)?;
        let digits =
            |p: &str| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year) || !digits(number) || number.starts_with('0') {
            return Err(bad());
        }
        let year = FinancialYear::new(year.parse().map_err(|_| bad())?).ok_or_else(bad)?;
        ItemId::new(kind, year, number.parse().map_err(|_| bad())?).ok_or_else(bad)
    }

    pub fn kind(self) -> ItemKind {
        self.kind
    }
    pub fn year(self) -> FinancialYear {
        self.year
    }
    pub fn number(self) -> u32 {
        self.number
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{}",
            self.kind.prefix(),
            self.year.starting_year(),
            self.number
        )
    }
}

impl TryFrom<String> for ItemId {
    type Error = SefIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ItemId::parse(&value)
    }
}

impl From<ItemId> for String {
    fn from(value: ItemId) -> String {
        value.to_string()
    }
}

string_newtype_conversions!(SefIdError: IndicatorId, Period, SectionKey);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn financial_years_are_labelled_by_their_start() {
        let y = FinancialYear::parse("2026-27").unwrap();
        assert_eq!(y.starting_year(), 2026);
        assert_eq!(y.label(), "2026-27");
        assert_eq!(y.first_day(), d("2026-04-01"));
        assert_eq!(y.last_day(), d("2027-03-31"));
        for same in ["2026", " 2026/27 ", "2026-2027"] {
            assert_eq!(FinancialYear::parse(same), Ok(y), "{same}");
        }
        for bad in [
            "",
            "26-27",
            "2026-28",
            "2026-2028",
            "2026-7",
            "twenty",
            "2026-27-28",
        ] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
        // Across a century: 1999-00.
        assert_eq!(FinancialYear::new(1999).unwrap().label(), "1999-00");
        assert_eq!(
            FinancialYear::parse("1999-00"),
            Ok(FinancialYear::new(1999).unwrap())
        );
        assert_eq!(FinancialYear::containing(d("2027-03-31")), y);
        assert_eq!(
            FinancialYear::containing(d("2027-04-01")),
            y.next().unwrap()
        );
        assert_eq!(y.previous().unwrap().label(), "2025-26");
    }

    #[test]
    fn numeric_ids_are_positive() {
        assert_eq!(AuditRef::parse(" #42 ").unwrap().get(), 42);
        assert_eq!(DocumentId::parse("7").unwrap().get(), 7);
        for bad in ["", "0", "-3", "4.2", "x", "99999999999999999999"] {
            assert!(AuditRef::parse(bad).is_err(), "{bad}");
        }
        assert!(AuditRef::new(0).is_none());
        let err = AuditRef::parse("x").unwrap_err().to_string();
        assert!(err.contains("audit number"), "{err}");
    }

    #[test]
    fn keys_have_their_shapes() {
        assert!(IndicatorId::parse("assessment_45wd").is_ok());
        for bad in ["", "Re_referral", "re-referral", "_x", "x_", "45wd", "é"] {
            assert!(IndicatorId::parse(bad).is_err(), "{bad}");
        }
        assert!(SectionKey::parse("help_and_protection").is_ok());
        assert!(SectionKey::parse("early-help").is_ok());
        assert!(SectionKey::parse("Early").is_err());
        assert_eq!(Period::parse("  Q1   2026 ").unwrap().as_str(), "Q1 2026");
        assert_eq!(Period::parse(" "), Err(SefIdError::BlankPeriod));
        assert_eq!(
            Period::parse(&"x".repeat(41)),
            Err(SefIdError::PeriodTooLong)
        );
    }

    #[test]
    fn section_keys_come_from_titles() {
        let key = |t: &str| SectionKey::from_title(t).to_string();
        assert_eq!(key("Early help"), "early-help");
        assert_eq!(
            key("  SEND & disabled children! "),
            "send-disabled-children"
        );
        assert_eq!(key("2024 learning"), "section-2024-learning");
        assert_eq!(key("!!!"), "section");
        assert_eq!(key("Élan"), "élan");
        let long = key(&"word ".repeat(30));
        assert!(
            long.len() <= MAX_KEY_CHARS && long.ends_with("word"),
            "{long}"
        );
    }

    #[test]
    fn item_ids_round_trip() {
        let y = FinancialYear::new(2026).unwrap();
        let id = ItemId::new(ItemKind::AreaForDevelopment, y, 3).unwrap();
        assert_eq!(id.to_string(), "a-2026-3");
        assert_eq!(ItemId::parse(" A-2026-3 "), Ok(id));
        for bad in [
            "",
            "a-2026",
            "x-2026-1",
            "a-26-1",
            "a-2026-0",
            "a-2026-01",
            "ab-2026-1",
            "a-2026-1-2",
        ] {
            assert!(ItemId::parse(bad).is_err(), "{bad}");
        }
        assert!(ItemId::new(ItemKind::Strength, y, 0).is_none());
    }

    proptest! {
        #[test]
        fn section_keys_from_any_title_parse_again(title in "\\PC{0,80}") {
            let key = SectionKey::from_title(&title);
            prop_assert_eq!(SectionKey::parse(key.as_str()), Ok(key.clone()));
        }

        #[test]
        fn item_ids_and_years_round_trip(start in 1000i32..9998, number in 1u32..1_000_000, kind in 0usize..3) {
            let year = FinancialYear::new(start).unwrap();
            prop_assert_eq!(FinancialYear::parse(&year.label()), Ok(year));
            let kind = [ItemKind::Strength, ItemKind::AreaForDevelopment, ItemKind::Action][kind];
            let id = ItemId::new(kind, year, number).unwrap();
            prop_assert_eq!(ItemId::parse(&id.to_string()), Ok(id));
        }
    }
}
