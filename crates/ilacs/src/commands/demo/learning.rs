//! Devon's learning actions, so that a newcomer sees what the audits changed: training on
//! the most common theme of the year (done, with the later audits that show its impact),
//! a practice standard for the next theme (in progress) and a supervision focus from the
//! latest inadequate audit (overdue). Each cites Devon's demo audits as stored, chosen by
//! rule from them, so the same audits always give the same actions; each is a
//! [`NewLearningAction`] form, checked by [`NewLearningAction::parse`].

use super::audits::DEVON;
use anyhow::{anyhow, bail};
use chrono::{Days, NaiveDate};
use ilacs_domain::audit::{AuditIndex, LearningKinds, NewLearningAction, ThemeKey};
use ilacs_domain::authority::LaCode;
use ilacs_domain::grade::Grade;
use ilacs_domain::self_evaluation::AuditRef;
use ilacs_store::{Store, StoredAudit};
use std::collections::BTreeMap;

/// Who records them: Devon's quality lead.
const RECORDED_BY: &str = "qp.devon";

fn form_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn numbers(audits: &[&StoredAudit]) -> String {
    audits
        .iter()
        .map(|a| a.id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The three actions as forms, from Devon's audits (any order).
fn plan(audits: &[StoredAudit], today: NaiveDate) -> anyhow::Result<Vec<NewLearningAction>> {
    // First audits, oldest first: moderations grade the same cases again.
    let mut firsts: Vec<&StoredAudit> = audits.iter().filter(|a| a.moderates.is_none()).collect();
    firsts.sort_by_key(|a| (a.audit.date(), a.id));
    let mut counts: BTreeMap<&ThemeKey, usize> = BTreeMap::new();
    for a in &firsts {
        for theme in a.audit.themes() {
            *counts.entry(theme).or_default() += 1;
        }
    }
    let mut themes: Vec<(&ThemeKey, usize)> = counts.into_iter().collect();
    themes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (Some((top, _)), Some((next, _))) = (themes.first(), themes.get(1)) else {
        bail!("Devon's audits have fewer than two themes");
    };
    let tagged = |theme: &ThemeKey| -> Vec<&StoredAudit> {
        firsts
            .iter()
            .copied()
            .filter(|a| a.audit.themes().contains(theme))
            .collect()
    };

    // Training on the top theme: raised by its first two audits, done two months after
    // the second, its impact shown by the good audits since.
    let raised = tagged(top).into_iter().take(2).collect::<Vec<_>>();
    let last_raised = raised.last().map(|a| a.audit.date()).unwrap_or(today);
    let done_on = (last_raised + Days::new(60)).min(today);
    let since: Vec<&StoredAudit> = firsts
        .iter()
        .copied()
        .filter(|a| a.audit.date() > done_on)
        .collect();
    let good_since: Vec<&StoredAudit> = since
        .iter()
        .copied()
        .filter(|a| a.audit.overall_grade() <= Grade::Good)
        .collect();
    let impact: Vec<&StoredAudit> = good_since.iter().rev().take(2).rev().copied().collect();
    let training = NewLearningAction {
        title: format!("Training: {}", top.as_str().replace('-', " ")),
        kind: "training".into(),
        description: "Half-day workshops for every team, built on anonymised extracts from the audits that raised it: what good looks like and how to record it.".into(),
        owner: "Principal social worker".into(),
        due: form_date(done_on),
        status: "done".into(),
        done_on: form_date(done_on),
        audits: numbers(&raised),
        themes: vec![top.to_string()],
        impact_audits: numbers(&impact),
        impact_note: format!(
            "{} of the {} audits since the training graded good or better overall.",
            good_since.len(),
            since.len()
        ),
    };

    // A practice standard for the next theme, raised by the theme across the year.
    let standard = NewLearningAction {
        title: format!("Practice standard: {}", next.as_str().replace('-', " ")),
        kind: "practice_standard".into(),
        description: "A one-page standard, agreed with team managers, that audits will check from next quarter.".into(),
        owner: "Head of service, quality assurance".into(),
        due: form_date(today + Days::new(60)),
        status: "in_progress".into(),
        themes: vec![next.to_string()],
        ..NewLearningAction::default()
    };

    // A supervision focus from the latest of the weakest audits (grades run best first,
    // and of equals the last is kept): overdue.
    let weakest = firsts
        .iter()
        .copied()
        .max_by_key(|a| a.audit.overall_grade())
        .ok_or_else(|| anyhow!("Devon has no audits"))?;
    let focus = NewLearningAction {
        title: "Supervision focus: decisions and their reasons on file".into(),
        kind: "supervision_focus".into(),
        description: "For three months every supervision records the decision made, its reason and who will do what by when.".into(),
        owner: "Team managers, led by the service manager".into(),
        due: form_date(today - Days::new(7)),
        status: "planned".into(),
        audits: weakest.id.to_string(),
        ..NewLearningAction::default()
    };
    Ok(vec![training, standard, focus])
}

/// Records Devon's learning actions unless Devon has some already. Returns the line to
/// print. Needs Devon's audits ([`super::audits::ensure`]) first.
pub async fn ensure(store: &dyn Store, today: NaiveDate) -> anyhow::Result<String> {
    let la = LaCode::parse(DEVON)?;
    let existing = store.learning_actions(&la).await?;
    if !existing.is_empty() {
        return Ok(format!(
            "Devon's learning actions: already there ({}), left as they are.",
            existing.len()
        ));
    }
    let audits = store.audits(&la, None, None).await?;
    let mut index = AuditIndex::default();
    for a in &audits {
        let id = AuditRef::new(a.id).ok_or_else(|| anyhow!("audit id {}", a.id))?;
        index.add(id, &a.audit);
    }
    let kinds = LearningKinds::bundled();
    let forms = plan(&audits, today)?;
    for form in &forms {
        let action = form.parse(&kinds, &index, today).map_err(|e| {
            anyhow!(
                "the demo learning action '{}' is not valid: {e}",
                form.title
            )
        })?;
        store
            .create_learning_action(&la, &action, RECORDED_BY)
            .await?;
    }
    Ok(format!("Devon's learning actions: {}.", forms.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ilacs_domain::audit::{LearningFlag, LearningStatus};

    #[tokio::test]
    async fn three_actions_cite_devons_audits_and_a_second_run_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        let (data, source) = crate::reference::load(None, None).unwrap();
        store
            .import_reference_data(&data, &source, "test")
            .await
            .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        super::super::audits::ensure(store.as_ref(), today)
            .await
            .unwrap();

        assert_eq!(
            ensure(store.as_ref(), today).await.unwrap(),
            "Devon's learning actions: 3."
        );
        assert_eq!(
            ensure(store.as_ref(), today).await.unwrap(),
            "Devon's learning actions: already there (3), left as they are."
        );
        let la = LaCode::parse(DEVON).unwrap();
        let actions = store.learning_actions(&la).await.unwrap();
        assert_eq!(actions.len(), 3);
        let done: Vec<_> = actions
            .iter()
            .filter(|a| a.action.status() == LearningStatus::Done)
            .collect();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].action.impact_audits().len(), 2);
        assert!(done[0].action.flags(today).is_empty());
        assert!(actions
            .iter()
            .any(|a| a.action.flags(today) == [LearningFlag::Overdue]));
        for a in &actions {
            for id in a.action.cited_audits() {
                assert!(store.audit(&la, id.get()).await.unwrap().is_some());
            }
        }

        // The same audits give the same actions.
        let audits = store.audits(&la, None, None).await.unwrap();
        assert_eq!(plan(&audits, today).unwrap(), plan(&audits, today).unwrap());
    }
}
