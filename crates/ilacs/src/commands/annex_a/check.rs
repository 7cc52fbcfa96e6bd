//! `ilacs annex-a check`: the report of every list found and every issue, as the
//! stable JSON contract or a text summary.

use ilacs_annexa::{Action, AnnexA, Schema};
use std::collections::BTreeMap;
use std::io::Write;

/// `check --format json`: exactly the contract's keys, lists in list order and issues
/// by list and row. Borrowed, so a large report is written without a copy.
#[derive(serde::Serialize)]
pub(super) struct CheckJson<'a> {
    lists: Vec<ListJson>,
    issues: Vec<IssueJson<'a>>,
}

#[derive(serde::Serialize)]
struct ListJson {
    list: u8,
    rows: usize,
}

#[derive(serde::Serialize)]
struct IssueJson<'a> {
    list: u8,
    row: u32,
    column: &'a str,
    value: &'a str,
    reason: &'a str,
    action: &'static str,
}

pub(super) fn json(annex: &AnnexA) -> CheckJson<'_> {
    CheckJson {
        lists: annex
            .lists
            .iter()
            .map(|l| ListJson {
                list: l.list,
                rows: l.rows_read,
            })
            .collect(),
        issues: annex
            .issues
            .iter()
            .map(|i| IssueJson {
                list: i.list,
                row: i.row,
                column: &i.column,
                value: &i.value,
                reason: &i.reason,
                action: i.action.as_str(),
            })
            .collect(),
    }
}

/// Issues shown in the text summary; the JSON has them all.
const SHOWN_ISSUES: usize = 20;

pub(super) fn write_summary(out: &mut impl Write, annex: &AnnexA) -> std::io::Result<()> {
    let schema = Schema::bundled();
    for l in &annex.lists {
        let name = schema.list(l.list).map_or("", |d| d.name.as_str());
        writeln!(
            out,
            "List {:>2} {name:<32} from '{}': {} rows read, {} kept",
            l.list,
            l.source,
            l.rows_read,
            l.rows_kept()
        )?;
    }
    for s in &annex.skipped_sheets {
        writeln!(out, "'{s}': not an Annex A list, skipped")?;
    }
    if annex.issues.is_empty() {
        return writeln!(out, "No issues: every cell is clean.");
    }
    let mut by_action: BTreeMap<Action, usize> = BTreeMap::new();
    for i in &annex.issues {
        *by_action.entry(i.action).or_default() += 1;
    }
    let counts: Vec<String> = by_action
        .iter()
        .map(|(a, n)| format!("{n} {}", a.as_str()))
        .collect();
    writeln!(out, "{} issues: {}.", annex.issues.len(), counts.join(", "))?;
    for i in annex.issues.iter().take(SHOWN_ISSUES) {
        writeln!(
            out,
            "  List {}, row {}, {}: '{}': {} ({})",
            i.list,
            i.row,
            i.column,
            i.value,
            i.reason,
            i.action.as_str()
        )?;
    }
    if annex.issues.len() > SHOWN_ISSUES {
        writeln!(
            out,
            "  ... and {} more (`--format json` lists every one).",
            annex.issues.len() - SHOWN_ISSUES
        )?;
    }
    Ok(())
}
