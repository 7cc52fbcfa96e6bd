//! Devon's audit programme, so that the programme page opens on a month in progress.
//!
//! Its open cases are the children of its demo audits plus three never audited in each
//! team; its auditors are the three team managers. Last month's programme and this
//! month's are proposed by the same rules as the page and confirmed by the quality
//! lead; every other item of last month was audited (the rest are overdue), and every
//! third item of this month has been audited so far. Everything follows from the demo
//! audits and a fixed seed; a second run in the same month changes nothing.

use super::audits::{self, programme_audit, SplitMix64, DEVON};
use anyhow::{anyhow, Context};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use ilacs_domain::audit::{
    propose_programme, AuditMonth, AuditRules, AuditTemplates, AuditorId, CaseType, ChildId,
    OpenCase, ProgrammeAuditor, ProgrammeItem, Team, TemplateKey,
};
use ilacs_domain::authority::LaCode;
use ilacs_store::{NewCaseAudit, Store};
use std::collections::BTreeSet;

/// Decides the never-audited children's IDs and the programme audits' words.
const SEED: u64 = 0x9E0C_2A44_0878_0001;
/// Children per team with no audit yet.
const NEVER_AUDITED_PER_TEAM: usize = 3;
/// Who plans Devon's programme.
const PLANNER: &str = "qp.devon";

fn auditors() -> anyhow::Result<Vec<ProgrammeAuditor>> {
    audits::AUDITORS
        .iter()
        .map(|a| {
            Ok(ProgrammeAuditor {
                auditor: AuditorId::parse(a.username)?,
                team: Team::parse(
                    a.team
                        .ok_or_else(|| anyhow!("{} has no team", a.username))?,
                )?,
                cases: None,
            })
        })
        .collect()
}

/// The demo audits' children (first audits, in date order) and the never audited.
fn open_cases(audited: &[(String, String, CaseType)]) -> anyhow::Result<Vec<OpenCase>> {
    let mut taken: BTreeSet<String> = audited.iter().map(|(c, _, _)| c.clone()).collect();
    let mut cases = Vec::new();
    for (child, team, case_type) in audited {
        cases.push(OpenCase {
            child: ChildId::parse(child)?,
            team: Team::parse(team)?,
            case_type: *case_type,
        });
    }
    let mut rng = SplitMix64(SEED);
    for (team, case_type) in audits::teams() {
        for _ in 0..NEVER_AUDITED_PER_TEAM {
            let child = loop {
                let id = format!("DCC-{}", rng.between(100_000, 999_999));
                if taken.insert(id.clone()) {
                    break id;
                }
            };
            cases.push(OpenCase {
                child: ChildId::parse(&child)?,
                team: Team::parse(team)?,
                case_type,
            });
        }
    }
    Ok(cases)
}

/// A weekday in [first, last] near `date`, or `date` if there is none.
fn weekday(date: NaiveDate, first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let moves: [i64; 4] = match date.weekday() {
        Weekday::Sat => [-1, 2, 0, 0],
        Weekday::Sun => [1, -2, 0, 0],
        _ => [0, 0, 0, 0],
    };
    moves
        .iter()
        .map(|&d| date + TimeDelta::days(d))
        .find(|d| (first..=last).contains(d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .unwrap_or(date)
}

/// Which of a month's items have been audited, and on what day: every `every`th, spread
/// over the month up to `last`.
fn audited_items(
    items: &[ProgrammeItem],
    every: usize,
    month: AuditMonth,
    last: NaiveDate,
) -> Vec<(&ProgrammeItem, NaiveDate)> {
    let first = month.first_day();
    let days = (last - first).num_days().max(0) + 1;
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, item)| {
            let offset = (i as i64 * 7 + 3) % days;
            (item, weekday(first + TimeDelta::days(offset), first, last))
        })
        .collect()
}

/// Loads Devon's lists and confirms last month's and this month's programme, unless
/// this month's is confirmed already. Returns the line to print.
pub async fn ensure(store: &dyn Store, today: NaiveDate) -> anyhow::Result<String> {
    let la = LaCode::parse(DEVON)?;
    let this = AuditMonth::containing(today);
    let confirmed: BTreeSet<AuditMonth> = store
        .programmes(&la)
        .await?
        .iter()
        .map(|p| p.month)
        .collect();
    if confirmed.contains(&this) {
        return Ok(format!(
            "Devon's audit programme: {this} is confirmed already, left as it is."
        ));
    }
    let inputs = store.programme_inputs(&la).await?;
    if inputs.open_cases.is_empty() {
        let mut audited = Vec::new();
        for stored in store.audits(&la, None, None).await?.iter().rev() {
            let case = stored.audit.case();
            if stored.moderates.is_none() {
                audited.push((
                    case.child.to_string(),
                    case.team.to_string(),
                    case.case_type,
                ));
            }
        }
        store
            .replace_open_cases(&la, &open_cases(&audited)?, PLANNER)
            .await
            .context("could not load Devon's open cases")?;
    }
    if inputs.auditors.is_empty() {
        store
            .replace_programme_auditors(&la, &auditors()?, PLANNER)
            .await
            .context("could not list Devon's auditors")?;
    }
    let inputs = store.programme_inputs(&la).await?;
    let rules = AuditRules::bundled().programme;
    let template = AuditTemplates::bundled()
        .get(&TemplateKey::parse("ilacs-quality")?)
        .cloned()
        .ok_or_else(|| anyhow!("the bundled quality template is missing"))?;

    let mut lines = Vec::new();
    for (month, every, last_day) in [
        (this.previous(), 2, this.previous().last_day()),
        (this, 3, today),
    ] {
        if confirmed.contains(&month) {
            continue;
        }
        let history: Vec<_> = store
            .audit_log(&la)
            .await?
            .into_iter()
            .filter(|e| e.date < month.first_day())
            .collect();
        let proposal = propose_programme(
            month,
            &inputs.auditors,
            &inputs.open_cases,
            &history,
            &rules,
            month.programme_seed(),
        )?;
        store
            .confirm_programme(&la, month, &proposal.items, PLANNER)
            .await
            .with_context(|| format!("could not confirm Devon's programme for {month}"))?;
        let done = audited_items(&proposal.items, every, month, last_day);
        for (item, date) in &done {
            let draft = programme_audit(
                item.child.as_str(),
                item.team.as_str(),
                item.auditor.as_str(),
                *date,
                month.programme_seed(),
            )?;
            let audit = draft
                .parse(&template)
                .map_err(|e| anyhow!("a demo audit of {} is not valid: {e}", item.child))?;
            store
                .create_audit(&NewCaseAudit {
                    la: la.clone(),
                    audit,
                    moderates: None,
                    actor: item.auditor.to_string(),
                })
                .await
                .with_context(|| format!("could not record the demo audit of {}", item.child))?;
        }
        lines.push(format!(
            "{month}: {} cases, {} audited",
            proposal.items.len(),
            done.len()
        ));
    }
    Ok(format!(
        "Devon's audit programme: {} open cases, {} auditors; {}.",
        inputs.open_cases.len(),
        inputs.auditors.len(),
        lines.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ilacs_domain::audit::{programme_status, ItemState};

    #[tokio::test]
    async fn a_month_in_progress_with_work_done_and_overdue_and_a_second_run_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        let (data, source) = crate::reference::load(None, None).unwrap();
        store
            .import_reference_data(&data, &source, "test")
            .await
            .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
        audits::ensure(store.as_ref(), today).await.unwrap();

        let first = ensure(store.as_ref(), today).await.unwrap();
        assert_eq!(
            first,
            "Devon's audit programme: 114 open cases, 3 auditors; \
             February 2026: 6 cases, 3 audited; March 2026: 6 cases, 2 audited."
        );
        let la = LaCode::parse(DEVON).unwrap();
        let audits_after_first = store.audit_log(&la).await.unwrap().len();

        let rules = AuditRules::bundled().programme;
        let log = store.audit_log(&la).await.unwrap();
        let programmes = store.programmes(&la).await.unwrap();
        let states = |i: usize| -> Vec<&'static str> {
            programme_status(&programmes[i].items, &log, today, &rules)
                .iter()
                .map(|(_, s)| s.key())
                .collect()
        };
        assert_eq!(programmes[0].month, AuditMonth::containing(today));
        assert_eq!(states(0), ["due", "due", "due", "due", "done", "done"]);
        // Three of February's were audited in February; one of the rest was carried into
        // March's programme for the same auditor and done there (late counts).
        assert_eq!(
            states(1),
            ["overdue", "overdue", "done", "done", "done", "done"]
        );
        for p in &programmes {
            for (item, state) in programme_status(&p.items, &log, today, &rules) {
                assert_eq!(item.last_audited, None, "never-audited cases come first");
                if let ItemState::Done { on } = state {
                    assert!(on >= p.month.first_day() && on <= today);
                    assert!(!matches!(on.weekday(), Weekday::Sat | Weekday::Sun));
                }
            }
        }

        let second = ensure(store.as_ref(), today).await.unwrap();
        assert_eq!(
            second,
            "Devon's audit programme: March 2026 is confirmed already, left as it is."
        );
        assert_eq!(
            store.audit_log(&la).await.unwrap().len(),
            audits_after_first
        );
        assert_eq!(store.programmes(&la).await.unwrap(), programmes);
    }
}
