//! The lists an LA keeps for its audit programme, as CSV: its open cases (exported from
//! its case management system) and its auditors.
//!
//! Header names are matched ignoring case, spaces and punctuation ("Child ID" is
//! `child_id`), columns may come in any order and other columns are ignored, since an
//! export carries many. Every bad row is reported with its line and column
//! ([`ListError`] lists them all, up to [`MAX_PROBLEMS`]); a list with any problem is
//! not read at all, so the caller keeps the list it had.

use ilacs_domain::audit::{AuditorId, CaseType, ChildId, OpenCase, ProgrammeAuditor, Team};
use std::collections::HashMap;
use std::fmt;

/// How many problems an error lists; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// The most cases one auditor may be given a month: more is a typing slip.
pub const MAX_CASES_PER_AUDITOR: u32 = 50;

/// One thing wrong with a list. Lines are 1-based; the header is line 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListProblem {
    #[error(
        "The header has no column '{column}' (the first line must name the columns: {expected})"
    )]
    MissingColumn {
        column: &'static str,
        expected: String,
    },
    #[error("The header names the column '{column}' twice")]
    RepeatedColumn { column: String },
    #[error("There are no rows after the header")]
    Empty,
    #[error("Line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("Line {line}, column '{column}': {message}")]
    Field {
        line: u64,
        /// As the file's header spells it.
        column: String,
        message: String,
    },
}

/// Why a list could not be read: every problem found, up to [`MAX_PROBLEMS`], and how
/// many there were in all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ListError {
    pub problems: Vec<ListProblem>,
    pub total: usize,
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        write!(f, "{}", lines.join("; "))?;
        if self.total > self.problems.len() {
            write!(f, "; and {} more", self.total - self.problems.len())?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Problems {
    list: Vec<ListProblem>,
    total: usize,
}

impl Problems {
    fn add(&mut self, problem: ListProblem) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        }
    }

    fn finish<T>(self, value: T) -> Result<T, ListError> {
        if self.total == 0 {
            Ok(value)
        } else {
            Err(ListError {
                problems: self.list,
                total: self.total,
            })
        }
    }
}

/// "Child ID", "child-id" and "CHILD_ID" are all `child_id`.
fn column_key(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A column a list reads: its key and the other names exports give it.
struct Column {
    key: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

const CASE_COLUMNS: [Column; 3] = [
    Column {
        key: "child_id",
        aliases: &["child", "person_id", "child_reference"],
        required: true,
    },
    Column {
        key: "team",
        aliases: &["team_name", "allocated_team"],
        required: true,
    },
    Column {
        key: "case_type",
        aliases: &["type", "type_of_case"],
        required: true,
    },
];

const AUDITOR_COLUMNS: [Column; 3] = [
    Column {
        key: "auditor",
        aliases: &["auditor_id", "name"],
        required: true,
    },
    Column {
        key: "team",
        aliases: &["team_name", "manages"],
        required: true,
    },
    Column {
        key: "cases",
        aliases: &["cases_a_month", "cases_per_month"],
        required: false,
    },
];

/// A list's rows with the columns found: (line, cells by column key).
struct Table {
    /// Per wanted column, its index in the file and its header as written.
    found: Vec<Option<(usize, String)>>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(text: &str, columns: &[Column], problems: &mut Problems) -> Option<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::None)
            .from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                problems.add(ListProblem::Line {
                    line: 1,
                    message: format!("the header cannot be read: {e}"),
                });
                return None;
            }
        };
        let mut by_key: HashMap<String, (usize, String)> = HashMap::new();
        for (i, header) in headers.iter().enumerate() {
            let key = column_key(header);
            if key.is_empty() {
                continue;
            }
            if by_key.insert(key, (i, header.trim().to_string())).is_some() {
                problems.add(ListProblem::RepeatedColumn {
                    column: header.trim().to_string(),
                });
            }
        }
        let expected = columns.iter().map(|c| c.key).collect::<Vec<_>>().join(", ");
        let found: Vec<Option<(usize, String)>> = columns
            .iter()
            .map(|c| {
                std::iter::once(c.key)
                    .chain(c.aliases.iter().copied())
                    .find_map(|name| by_key.get(name).cloned())
            })
            .collect();
        for (column, found) in columns.iter().zip(&found) {
            if column.required && found.is_none() {
                problems.add(ListProblem::MissingColumn {
                    column: column.key,
                    expected: expected.clone(),
                });
            }
        }
        if problems.total > 0 {
            return None;
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(record) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(0);
                    if record.iter().all(|cell| cell.trim().is_empty()) {
                        continue;
                    }
                    rows.push((line, record));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    problems.add(ListProblem::Line {
                        line,
                        message: format!("the line cannot be read: {e}"),
                    });
                }
            }
        }
        if rows.is_empty() && problems.total == 0 {
            problems.add(ListProblem::Empty);
        }
        Some(Table { found, rows })
    }

    /// The cell of column `index` (of the wanted columns) and its header, "" if absent.
    fn cell<'r>(&self, record: &'r csv::StringRecord, index: usize) -> (&'r str, &str) {
        match &self.found[index] {
            Some((i, header)) => (record.get(*i).unwrap_or(""), header.as_str()),
            None => ("", ""),
        }
    }
}

fn field(line: u64, column: &str, message: impl fmt::Display) -> ListProblem {
    ListProblem::Field {
        line,
        column: column.to_string(),
        message: message.to_string(),
    }
}

/// Reads an LA's open cases: `child_id`, `team`, `case_type` (a key or label the audit
/// form accepts: "help and protection", "in care" or "child in care", "care leaver").
/// A child listed twice is a problem on both lines.
pub fn read_open_cases(text: &str) -> Result<Vec<OpenCase>, ListError> {
    let mut problems = Problems::default();
    let Some(table) = Table::read(text, &CASE_COLUMNS, &mut problems) else {
        return problems.finish(Vec::new());
    };
    let mut cases = Vec::new();
    let mut first_line: HashMap<ChildId, u64> = HashMap::new();
    for (line, record) in &table.rows {
        let line = *line;
        let (child, child_column) = table.cell(record, 0);
        let (team, team_column) = table.cell(record, 1);
        let (case_type, type_column) = table.cell(record, 2);
        // IDs exported with padding are the same IDs: trim before the strict parse.
        let child = ChildId::parse(child.trim()).map_err(|e| field(line, child_column, e));
        let team = Team::parse(team).map_err(|e| field(line, team_column, e));
        let case_type = CaseType::parse(case_type).ok_or_else(|| {
            field(
                line,
                type_column,
                if case_type.trim().is_empty() {
                    "Enter the type of case: help and protection, in care or care leaver"
                        .to_string()
                } else {
                    format!(
                        "'{}' is not a type of case: use help and protection, in care or care leaver",
                        case_type.trim()
                    )
                },
            )
        });
        if let Ok(child) = &child {
            if let Some(first) = first_line.get(child) {
                problems.add(field(
                    line,
                    child_column,
                    format!("{child} is listed already, on line {first}"),
                ));
                continue;
            }
            first_line.insert(child.clone(), line);
        }
        match (child, team, case_type) {
            (Ok(child), Ok(team), Ok(case_type)) => cases.push(OpenCase {
                child,
                team,
                case_type,
            }),
            (child, team, case_type) => {
                for problem in [child.err(), team.err(), case_type.err()]
                    .into_iter()
                    .flatten()
                {
                    problems.add(problem);
                }
            }
        }
    }
    problems.finish(cases)
}

/// Reads an LA's auditors: `auditor` (the ID or name their audits record), `team` (the
/// team they manage) and, optionally, `cases` a month (blank for the rules' number, 0
/// for someone away this month).
pub fn read_programme_auditors(text: &str) -> Result<Vec<ProgrammeAuditor>, ListError> {
    let mut problems = Problems::default();
    let Some(table) = Table::read(text, &AUDITOR_COLUMNS, &mut problems) else {
        return problems.finish(Vec::new());
    };
    let mut auditors = Vec::new();
    let mut first_line: HashMap<AuditorId, u64> = HashMap::new();
    for (line, record) in &table.rows {
        let line = *line;
        let (auditor, auditor_column) = table.cell(record, 0);
        let (team, team_column) = table.cell(record, 1);
        let (cases, cases_column) = table.cell(record, 2);
        let auditor = AuditorId::parse(auditor).map_err(|e| field(line, auditor_column, e));
        let team = Team::parse(team).map_err(|e| field(line, team_column, e));
        let cases = match cases.trim() {
            "" => Ok(None),
            text => match text.parse::<u32>() {
                Ok(n) if n <= MAX_CASES_PER_AUDITOR => Ok(Some(n)),
                _ => Err(field(
                    line,
                    cases_column,
                    format!(
                        "'{text}' is not a number of cases: use a whole number from 0 to {MAX_CASES_PER_AUDITOR}, or leave it blank for the usual number"
                    ),
                )),
            },
        };
        if let Ok(auditor) = &auditor {
            if let Some(first) = first_line.get(auditor) {
                problems.add(field(
                    line,
                    auditor_column,
                    format!("{auditor} is listed already, on line {first}"),
                ));
                continue;
            }
            first_line.insert(auditor.clone(), line);
        }
        match (auditor, team, cases) {
            (Ok(auditor), Ok(team), Ok(cases)) => auditors.push(ProgrammeAuditor {
                auditor,
                team,
                cases,
            }),
            (auditor, team, cases) => {
                for problem in [auditor.err(), team.err(), cases.err()]
                    .into_iter()
                    .flatten()
                {
                    problems.add(problem);
                }
            }
        }
    }
    problems.finish(auditors)
}

/// An LA's auditors as the CSV [`read_programme_auditors`] reads, so that the list can
/// be edited as text and read back unchanged.
pub fn write_programme_auditors(auditors: &[ProgrammeAuditor]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let cases = |a: &ProgrammeAuditor| a.cases.map(|n| n.to_string()).unwrap_or_default();
    writer
        .write_record(["auditor", "team", "cases"])
        .and_then(|_| {
            auditors.iter().try_for_each(|a| {
                writer.write_record([a.auditor.as_str(), a.team.as_str(), &cases(a)])
            })
        })
        .expect("writing to memory");
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_any_order_and_case_with_other_columns_ignored() {
        let text = "\u{feff}Team,Worker,Case Type,CHILD ID\n\
                    Exeter assessment,Sam,Help and protection,DCC-1\n\
                    \n\
                    Care leavers,Jo,care_leaver, DCC-2 \n";
        let cases = read_open_cases(text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].child.as_str(), "DCC-1");
        assert_eq!(cases[0].case_type, CaseType::HelpAndProtection);
        assert_eq!(cases[1].child.as_str(), "DCC-2");
        assert_eq!(cases[1].team.as_str(), "Care leavers");
        assert_eq!(cases[1].case_type, CaseType::CareLeaver);
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let text = "child_id,team,case_type\n\
                    C1,Team A,in care\n\
                    C2,Team A,adopted\n\
                    ,,child in care\n\
                    C1,Team B,care leaver\n";
        let err = read_open_cases(text).unwrap_err();
        let messages: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "Line 3, column 'case_type': 'adopted' is not a type of case: use help and protection, in care or care leaver",
                "Line 4, column 'child_id': Enter the child's ID",
                "Line 4, column 'team': Enter the team",
                "Line 5, column 'child_id': C1 is listed already, on line 2",
            ]
        );
        assert_eq!(err.total, 4);
    }

    #[test]
    fn missing_columns_and_empty_lists_are_refused() {
        let err = read_open_cases("child,team\nC1,A\n").unwrap_err();
        assert_eq!(
            err.problems,
            [ListProblem::MissingColumn {
                column: "case_type",
                expected: "child_id, team, case_type".into()
            }]
        );
        let err = read_open_cases("child_id,team,case_type\n").unwrap_err();
        assert_eq!(err.problems, [ListProblem::Empty]);
        let err = read_open_cases("").unwrap_err();
        assert_eq!(err.total, 3, "{err}");
        let err = read_open_cases("team,Team,child_id,case_type\nA,A,C1,in care\n").unwrap_err();
        assert_eq!(
            err.problems,
            [ListProblem::RepeatedColumn {
                column: "Team".into()
            }]
        );
    }

    #[test]
    fn problems_are_capped_but_counted() {
        let mut text = String::from("child_id,team,case_type\n");
        for i in 0..60 {
            text.push_str(&format!("C{i},A,unknown\n"));
        }
        let err = read_open_cases(&text).unwrap_err();
        assert_eq!(err.problems.len(), MAX_PROBLEMS);
        assert_eq!(err.total, 60);
        assert!(err.to_string().ends_with("; and 10 more"));
    }

    #[test]
    fn auditors_with_their_own_numbers() {
        let text = "Auditor,Team,Cases\n\
                    tm.exeter,Exeter assessment,\n\
                    tm.north,North Devon safeguarding,1\n\
                    tm.west,Children in care West,0\n";
        let auditors = read_programme_auditors(text).unwrap();
        let cases: Vec<_> = auditors.iter().map(|a| a.cases).collect();
        assert_eq!(cases, [None, Some(1), Some(0)]);
        // Written out and read back unchanged: the page edits the list as text.
        let written = write_programme_auditors(&auditors);
        assert_eq!(read_programme_auditors(&written).unwrap(), auditors);
        // The cases column is optional.
        let without = read_programme_auditors("team,auditor\nA,amy\n").unwrap();
        assert_eq!(without[0].cases, None);
    }

    #[test]
    fn bad_auditors() {
        let text = "auditor,team,cases\namy,A,two\namy,B,1\n,C,-1\n";
        let err = read_programme_auditors(text).unwrap_err();
        let messages: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "Line 2, column 'cases': 'two' is not a number of cases: use a whole number from 0 to 50, or leave it blank for the usual number",
                "Line 3, column 'auditor': amy is listed already, on line 2",
                "Line 4, column 'auditor': Enter the auditor",
                "Line 4, column 'cases': '-1' is not a number of cases: use a whole number from 0 to 50, or leave it blank for the usual number",
            ]
        );
    }
}
