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
}

#[derive(Debug, Clone)]
pub struct ListDef {
    /// 1 to 11.
    pub number: u8,
    pub name: String,
    /// The sheet's name in the clean workbook (at most 31 characters, Excel's limit).
    pub sheet: String,
    pub columns: Vec<Column>,
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
                columns.push(Column {
                    name: c.name.clone(),
                    kind,
                    required: c.required,
                    added: c.added.clone(),
                    variants: c.variants.clone(),
                });
            }
            lists.push(ListDef {
                number: l.number,
                name: l.name.clone(),
                sheet: l.sheet.clone(),
                columns,
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
            lists,
            code_sets,
            blank_markers: file.blank_markers,
        })
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
