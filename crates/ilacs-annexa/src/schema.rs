//! The lists, their columns and the code sets, read from `data/annex_a/lists.toml`.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const BUNDLED: &str = include_str!("../../../data/annex_a/lists.toml");

/// The schema file is wrong: a fault in the data, found when it is loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the Annex A schema is not valid TOML: {0}")]
    Toml(String),
    #[error("the Annex A schema: {0}")]
    Invalid(String),
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    /// Identifies a child, adopter or family; whole numbers are written without ".0".
    Id,
    Date,
    /// A non-negative whole number.
    Integer,
    /// One of a code set's values (an index into [`Schema::code_sets`]).
    Code(usize),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: ColumnType,
    pub required: bool,
    /// The list version that added the column (List 9 gained four in 2024).
    pub added: Option<String>,
    pub variants: Vec<String>,
    /// What degrading does to it before data leaves the LA (None: kept as it is).
    pub degrade: Option<Degrade>,
}

/// How degrading (pseudonymising) treats a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Degrade {
    /// Replaced by a keyed hash of the text and this kind ("child", "worker"...): the
    /// same text gives the same pseudonym in every column of one kind, and never the
    /// pseudonym it gives in a column of another kind.
    Hash(String),
    /// A date to the 1st of its month.
    Month,
    /// A postcode to its sector (`E20 1LP` to `E20 1`); anything else blank.
    PostcodeSector,
}

#[derive(Debug, Clone)]
pub struct ListDef {
    /// 1 to 11.
    pub number: u8,
    pub name: String,
    /// The sheet's name in the clean workbook (at most 31 characters, Excel's limit).
    pub sheet: String,
    pub columns: Vec<Column>,
    /// The columns (indexes into `columns`) whose values identify a row when uploads
    /// are merged: an upload's row replaces the history's row with the same values.
    pub dedup: Vec<usize>,
    /// Date columns: a row's reference date for retention is the latest of them.
    pub reference_dates: Vec<usize>,
    /// Normalised header → column index: the canonical names and their variants.
    headers: HashMap<String, usize>,
    /// Columns no other list has: a sheet must have one to be recognised as this list,
    /// since the child's details (ID, gender...) head nearly every list.
    distinctive: Vec<bool>,
}

impl ListDef {
    /// The column a sheet's header names, by [`normalise_header`].
    pub fn column_for_header(&self, header: &str) -> Option<usize> {
        self.headers.get(&normalise_header(header)).copied()
    }

    pub fn is_distinctive(&self, column: usize) -> bool {
        self.distinctive[column]
    }
}

#[derive(Debug, Clone)]
pub struct CodeSet {
    pub name: String,
    /// The canonical spellings, in the schema's order.
    pub values: Vec<String>,
    /// Exact canonical spelling → value index: the clean path, without allocating.
    exact: HashMap<String, u16>,
    /// [`code_key`] of every accepted spelling → value index.
    accepted: HashMap<String, u16>,
}

/// How a cell's text matched a code set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMatch {
    Canonical(u16),
    /// An accepted spelling other than the canonical one.
    Spelling(u16),
}

impl CodeSet {
    pub fn lookup(&self, text: &str) -> Option<CodeMatch> {
        if let Some(&i) = self.exact.get(text) {
            return Some(CodeMatch::Canonical(i));
        }
        self.accepted
            .get(&code_key(text))
            .map(|&i| CodeMatch::Spelling(i))
    }
}

/// The whole schema: every list and code set.
#[derive(Debug, Clone)]
pub struct Schema {
    pub version: String,
    /// Merged history keeps a row while its reference date is at most this many years
    /// before the merge's "as at" date (None: rows never expire).
    pub retention_years: Option<u32>,
    pub lists: Vec<ListDef>,
    pub code_sets: Vec<CodeSet>,
    /// Lower-cased cell texts that mean "no value" (`#n/a`, `null`...).
    blank_markers: Vec<String>,
}

impl Schema {
    /// The schema shipped in the program, parsed once.
    pub fn bundled() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::parse(BUNDLED).expect("the bundled data/annex_a/lists.toml is valid")
        })
    }

    pub fn list(&self, number: u8) -> Option<&ListDef> {
        self.lists.iter().find(|l| l.number == number)
    }

    /// The canonical text of a code in `column` (None if the column holds no codes or
    /// the index is past its set's end).
    pub fn code_text(&self, column: &Column, index: u16) -> Option<&str> {
        match column.kind {
            ColumnType::Code(set) => self.code_sets[set]
                .values
                .get(usize::from(index))
                .map(String::as_str),
            _ => None,
        }
    }

    /// Whether a trimmed cell text is a placeholder for no value.
    pub fn is_blank_marker(&self, text: &str) -> bool {
        // Markers are short; most cells are not, and skip the comparison entirely.
        text.len() <= 10
            && self
                .blank_markers
                .iter()
                .any(|m| m.eq_ignore_ascii_case(text))
    }

    pub fn parse(text: &str) -> Result<Schema, SchemaError> {
        let file: SchemaFile =
            toml::from_str(text).map_err(|e| SchemaError::Toml(e.to_string()))?;
        let invalid = |m: String| SchemaError::Invalid(m);

        let mut set_names: Vec<&String> = file.code_sets.keys().collect();
        set_names.sort();
        let mut code_sets = Vec::new();
        for name in set_names {
            code_sets.push(code_set(name, &file.code_sets[name])?);
        }
        let set_index: HashMap<&str, usize> = code_sets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();

        let mut lists = Vec::new();
        for l in &file.lists {
            if !(1..=11).contains(&l.number) || lists.iter().any(|x: &ListDef| x.number == l.number)
            {
                return Err(invalid(format!(
                    "list number {} is not 1 to 11 or repeats",
                    l.number
                )));
            }
            if l.sheet.chars().count() > 31 {
                return Err(invalid(format!(
                    "list {}: sheet name '{}' is over 31 characters",
                    l.number, l.sheet
                )));
            }
            let mut columns = Vec::new();
            let mut headers = HashMap::new();
            for c in &l.columns {
                let kind = match (c.kind.as_str(), &c.codes) {
                    ("text", None) => ColumnType::Text,
                    ("id", None) => ColumnType::Id,
                    ("date", None) => ColumnType::Date,
                    ("integer", None) => ColumnType::Integer,
                    ("code", Some(set)) => ColumnType::Code(*set_index.get(set.as_str()).ok_or_else(|| {
                        invalid(format!("list {}, '{}': no code set '{set}'", l.number, c.name))
                    })?),
                    (other, _) => {
                        return Err(invalid(format!(
                            "list {}, '{}': type '{other}' (codes are given only for, and always for, type \"code\")",
                            l.number, c.name
                        )))
                    }
                };
                let index = columns.len();
                for header in std::iter::once(&c.name).chain(&c.variants) {
                    let key = normalise_header(header);
                    if let Some(&other) = headers.get(&key) {
                        return Err(invalid(if other == index {
                            format!(
                                "list {}: variant '{header}' is the header itself once normalised",
                                l.number
                            )
                        } else {
                            format!("list {}: header '{header}' would name both column {other} and column {index}", l.number)
                        }));
                    }
                    headers.insert(key, index);
                }
                let degrade = c
                    .degrade
                    .as_ref()
                    .map(|d| degrade_rule(d, kind))
                    .transpose()
                    .map_err(|m| invalid(format!("list {}, '{}': {m}", l.number, c.name)))?;
                columns.push(Column {
                    name: c.name.clone(),
                    kind,
                    required: c.required,
                    added: c.added.clone(),
                    variants: c.variants.clone(),
                    degrade,
                });
            }
            let named = |field: &str, names: &[String]| {
                names
                    .iter()
                    .map(|n| {
                        columns.iter().position(|c| &c.name == n).ok_or_else(|| {
                            invalid(format!(
                                "list {}: {field} names '{n}', not one of its columns",
                                l.number
                            ))
                        })
                    })
                    .collect::<Result<Vec<usize>, SchemaError>>()
            };
            let dedup = named("dedup", &l.dedup)?;
            let reference_dates = named("reference_dates", &l.reference_dates)?;
            if let Some(&c) = reference_dates
                .iter()
                .find(|&&c| columns[c].kind != ColumnType::Date)
            {
                return Err(invalid(format!(
                    "list {}: reference date '{}' is not a date column",
                    l.number, columns[c].name
                )));
            }
            lists.push(ListDef {
                number: l.number,
                name: l.name.clone(),
                sheet: l.sheet.clone(),
                columns,
                dedup,
                reference_dates,
                headers,
                distinctive: Vec::new(),
            });
        }
        lists.sort_by_key(|l| l.number);
        let mut lists_naming: HashMap<String, usize> = HashMap::new();
        for l in &lists {
            for c in &l.columns {
                *lists_naming.entry(normalise_header(&c.name)).or_default() += 1;
            }
        }
        for l in &mut lists {
            l.distinctive = l
                .columns
                .iter()
                .map(|c| lists_naming[&normalise_header(&c.name)] == 1)
                .collect();
            if !l.distinctive.contains(&true) {
                return Err(invalid(format!(
                    "list {} has no column of its own to recognise it by",
                    l.number
                )));
            }
        }
        Ok(Schema {
            version: file.version,
            retention_years: file.retention_years,
            lists,
            code_sets,
            blank_markers: file.blank_markers,
        })
    }
}

/// A column's degrading rule, if its type allows it.
fn degrade_rule(rule: &DegradeFile, kind: ColumnType) -> Result<Degrade, String> {
    match (rule, kind) {
        (DegradeFile::Hash(k), ColumnType::Id | ColumnType::Text) => {
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(format!(
                    "hash kind '{k}' is not a word of lower-case letters"
                ));
            }
            Ok(Degrade::Hash(k.clone()))
        }
        (DegradeFile::Month, ColumnType::Date) => Ok(Degrade::Month),
        (DegradeFile::PostcodeSector, ColumnType::Text) => Ok(Degrade::PostcodeSector),
        _ => Err("degrade: a hash is for id or text columns, month for dates and postcode_sector for text".into()),
    }
}

fn code_set(name: &str, values: &[CodeValueFile]) -> Result<CodeSet, SchemaError> {
    let mut exact = HashMap::new();
    let mut accepted: HashMap<String, u16> = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        let i = u16::try_from(i)
            .map_err(|_| SchemaError::Invalid(format!("code set {name} is too large")))?;
        exact.insert(v.canonical.clone(), i);
        let mut spellings = vec![v.canonical.clone()];
        // "a) Male" is also written "Male", "a" and "a)".
        if let Some((prefix, label)) = v.canonical.split_once(") ") {
            spellings.extend([label.to_string(), prefix.to_string(), format!("{prefix})")]);
        }
        spellings.extend(v.accept.iter().cloned());
        for s in spellings {
            let key = code_key(&s);
            match accepted.get(&key) {
                Some(&other) if other != i => {
                    return Err(SchemaError::Invalid(format!(
                        "code set {name}: '{s}' would mean both '{}' and '{}'",
                        values[usize::from(other)].canonical,
                        v.canonical
                    )))
                }
                _ => {
                    accepted.insert(key, i);
                }
            }
        }
    }
    Ok(CodeSet {
        name: name.to_string(),
        values: values.iter().map(|v| v.canonical.clone()).collect(),
        exact,
        accepted,
    })
}

/// A header as compared: lower case, letters, digits and `/` kept, every run of
/// anything else (spaces, quotes straight or curly, brackets, `?`) one space. So
/// `(Y/N))`, `'Missing'` with curly quotes and trailing spaces all compare equal to the
/// published header.
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut gap = false;
    for ch in header.chars() {
        if ch.is_alphanumeric() || ch == '/' {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(ch.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// A code as compared: lower case without spaces, so `A) male`, `a)Male` and ` a) MALE`
/// are one spelling.
pub fn code_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    version: String,
    #[serde(default)]
    retention_years: Option<u32>,
    #[serde(default)]
    blank_markers: Vec<String>,
    code_sets: HashMap<String, Vec<CodeValueFile>>,
    lists: Vec<ListFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeValueFile {
    canonical: String,
    #[serde(default)]
    accept: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    number: u8,
    name: String,
    sheet: String,
    #[serde(default)]
    dedup: Vec<String>,
    #[serde(default)]
    reference_dates: Vec<String>,
    columns: Vec<ColumnFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    codes: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    added: Option<String>,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    degrade: Option<DegradeFile>,
}

/// `{ hash = "child" }`, `"month"` or `"postcode_sector"`.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum DegradeFile {
    Hash(String),
    Month,
    PostcodeSector,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schema_parses_with_eleven_lists() {
        let s = Schema::bundled();
        assert_eq!(s.lists.len(), 11);
        assert_eq!(
            s.lists.iter().map(|l| l.number).collect::<Vec<_>>(),
            (1..=11).collect::<Vec<_>>()
        );
        assert_eq!(s.list(8).unwrap().columns.len(), 34);
    }

    #[test]
    fn headers_normalise_case_spaces_quotes_and_brackets() {
        assert_eq!(
            normalise_header("  Age of Child (Years) "),
            "age of child years"
        );
        assert_eq!(
            normalise_header("Did the child accept a Return Interview (Y/N))?"),
            normalise_header("did the child accept a return interview (y/n)?")
        );
        assert_eq!(
            normalise_header("been \u{2018}Missing\u{2019} from"),
            normalise_header("been 'Missing' from")
        );
    }

    fn names<'a>(list: &'a ListDef, columns: &[usize]) -> Vec<&'a str> {
        columns
            .iter()
            .map(|&c| list.columns[c].name.as_str())
            .collect()
    }

    #[test]
    fn the_bundled_merge_keys_and_reference_dates_name_the_lists_columns() {
        let s = Schema::bundled();
        assert_eq!(s.retention_years, Some(6));
        for l in &s.lists {
            let id = if l.number == 11 {
                "Individual adopter identifier"
            } else {
                "Child Unique ID"
            };
            assert_eq!(names(l, &l.dedup).first(), Some(&id), "list {}", l.number);
            assert!(!l.reference_dates.is_empty(), "list {}", l.number);
        }
        let list = |n| s.list(n).unwrap();
        assert_eq!(
            names(list(1), &list(1).dedup),
            ["Child Unique ID", "Date of Contact", "Contact Source"]
        );
        assert_eq!(
            names(list(8), &list(8).dedup),
            [
                "Child Unique ID",
                "Date Started to be Looked After",
                "Child's Legal Status",
                "Placement Type",
                "Placement Provider",
                "Placement postcode"
            ]
        );
        assert_eq!(names(list(9), &list(9).dedup), ["Child Unique ID"]);
        assert_eq!(
            names(list(11), &list(11).dedup),
            ["Individual adopter identifier", "Date enquiry received"]
        );
        assert_eq!(
            names(list(1), &list(1).reference_dates),
            ["Date of Contact"]
        );
        assert_eq!(
            names(list(8), &list(8).reference_dates),
            [
                "Date Started to be Looked After",
                "Date of Last Social Work Visit",
                "Date Ceased to be Looked After"
            ]
        );
    }

    #[test]
    fn the_bundled_schema_degrades_ids_names_births_and_postcodes() {
        let hash = |k: &str| Some(Degrade::Hash(k.to_string()));
        let mut degraded = 0;
        for l in &Schema::bundled().lists {
            for c in &l.columns {
                let expected = match c.name.as_str() {
                    "Child Unique ID" => hash("child"),
                    "Individual adopter identifier" => hash("adopter"),
                    "Family identifier" => hash("family"),
                    "Allocated Worker" | "Allocated Personal Advisor" => hash("worker"),
                    "Allocated Team" => hash("team"),
                    "Date of Birth" => Some(Degrade::Month),
                    "Placement postcode" => Some(Degrade::PostcodeSector),
                    _ => None,
                };
                assert_eq!(c.degrade, expected, "list {}, {}", l.number, c.name);
                degraded += usize::from(expected.is_some());
            }
        }
        // IDs in 11 lists (and two family IDs), DOB in 10, workers and teams in 7 and a
        // personal advisor, one postcode.
        assert_eq!(degraded, 11 + 2 + 10 + 7 * 2 + 1 + 1);
    }

    #[test]
    fn merge_and_degrade_settings_that_do_not_fit_their_columns_are_refused() {
        let schema = |list_extra: &str, column_extra: &str| {
            format!(
                r#"
                version = "x"
                [code_sets]
                [[lists]]
                number = 1
                name = "L"
                sheet = "L"
                {list_extra}
                columns = [
                  {{ name = "ID", type = "id" }},
                  {{ name = "Seen", type = "date" }},
                  {{ name = "Where", type = "text"{column_extra} }},
                ]
            "#
            )
        };
        let ok = Schema::parse(&schema(
            r#"dedup = ["ID", "Seen"]
               reference_dates = ["Seen"]"#,
            r#", degrade = "postcode_sector""#,
        ))
        .unwrap();
        assert_eq!(ok.lists[0].dedup, [0, 1]);
        assert_eq!(ok.retention_years, None);
        for (list_extra, column_extra, says) in [
            (r#"dedup = ["Id"]"#, "", "dedup names 'Id'"),
            (r#"reference_dates = ["Where"]"#, "", "not a date column"),
            ("", r#", degrade = "month""#, "degrade"),
            ("", r#", degrade = { hash = "Child" }"#, "hash kind 'Child'"),
        ] {
            match Schema::parse(&schema(list_extra, column_extra)) {
                Err(SchemaError::Invalid(m)) => assert!(m.contains(says), "{m}"),
                other => panic!("{list_extra} {column_extra}: {other:?}"),
            }
        }
        assert!(matches!(
            Schema::parse(&schema("", r#", degrade = "shred""#)),
            Err(SchemaError::Toml(_))
        ));
    }

    #[test]
    fn a_code_set_with_two_values_spelt_alike_is_refused() {
        let text = r#"
            version = "x"
            [code_sets]
            s = [{ canonical = "a) Yes" }, { canonical = "b) No", accept = ["yes"] }]
            [[lists]]
            number = 1
            name = "L"
            sheet = "L"
            columns = []
        "#;
        assert!(matches!(Schema::parse(text), Err(SchemaError::Invalid(_))));
    }
}
